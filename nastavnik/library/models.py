"""The resource library (методическая копилка): methodological materials, programs, templates,
memos, meeting guides and the descriptions of the interactive forms, by form and model of
mentoring, as text, a file or a link.

Two kinds of rows in one table:

- the shipped starter set (``organization`` empty, a ``code``): written for this project
  (``starter.py``), loaded by the data migration ``0002_starter_set`` and read by every signed-in
  user; it holds no personal data and is edited in the admin only;
- an organization's own resources, added by its curator, read by its members.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel


class ResourceKind(models.TextChoices):
    MATERIAL = "material", _("methodological material")
    PROGRAM = "program", pgettext_lazy("resource library", "program")
    TEMPLATE = "template", pgettext_lazy("resource library", "template")
    MEMO = "memo", _("memo")
    MEETING_GUIDE = "meeting_guide", _("meeting guide")
    EVENT_FORM = "event_form", _("interactive form")


def _attachment_path(instance: Resource, filename: str) -> str:
    # The stored name is opaque: the original name is kept in ``attachment_name``.
    return f"library/{instance.organization_id}/{secrets.token_hex(16)}"


class Resource(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="library_resources",
        help_text=_("Empty for the shipped starter set, read by every organization."),
    )
    code = models.SlugField(_("code"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    form = models.ForeignKey(
        "programs.MentoringForm",
        verbose_name=_("form of mentoring"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    model = models.ForeignKey(
        "programs.MentoringModel",
        verbose_name=_("model of mentoring"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    attachment = models.FileField(_("file"), upload_to=_attachment_path, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # « lemma lemma … »: the lemmas of the title, summary, text, form and model (``search.py``).
    search_lemmas = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organization__isnull=True) & ~models.Q(code=""),
                name="library_shipped_code_once",
            )
        ]
        indexes = [models.Index(fields=["organization", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shipped(self) -> bool:
        return self.organization_id is None
