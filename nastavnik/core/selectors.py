"""Helpers every selector uses: one answer for «missing» and «forbidden»."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


def get_visible(queryset: models.QuerySet[M], **lookup: object) -> M:
    """The object from a scoped queryset, or 404: another tenant's object does not exist."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Not found.")) from exc
