"""Reads of imports, scoped to the acting user: curators and heads of the organization."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nastavnik.accounts.access import access_for
from nastavnik.core.selectors import get_visible
from nastavnik.imports.models import ImportBatch


def import_batch_list(*, user: Any) -> QuerySet[ImportBatch]:
    access = access_for(user)
    qs = ImportBatch.objects.select_related("organization", "created_by")
    if access.is_admin:
        return qs
    return qs.filter(organization_id__in=access.staff_org_ids)


def import_batch_get(*, user: Any, import_id: int) -> ImportBatch:
    return get_visible(import_batch_list(user=user), pk=import_id)


def bases_for_export(*, user: Any, organization_id: int) -> tuple[Any, str, QuerySet[Any]]:
    """The organization, its current academic year's title and the enrolments of its programs."""
    from nastavnik.organizations.selectors import academic_year_current, staff_organization_list
    from nastavnik.programs.models import Enrolment

    organization = get_visible(staff_organization_list(user=user), pk=organization_id)
    year = academic_year_current(organization=organization)
    enrolments = (
        Enrolment.objects.filter(
            organization=organization,
            program__organization=organization,
            program__academic_year_id=year.pk,
            person__anonymized_at__isnull=True,
        )
        .select_related("person", "program__form", "variant")
        .order_by(
            "program__form__position", "-role", "person__last_name", "person__first_name", "id"
        )
    )
    return organization, year.title, enrolments
