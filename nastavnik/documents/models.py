"""Documents of a mentoring program generated from templates the organization can edit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.tenancy import TenantModel, TenantScoped
from nastavnik.core.jobs import BackgroundJob
from nastavnik.core.models import TimeStampedModel


class DocumentKind(models.TextChoices):
    REGULATION = "regulation", _("regulation on mentoring")
    IMPLEMENTATION_ORDER = "implementation-order", _("order on implementing the target model")
    PAIRS_ORDER = "pairs-order", _("order fixing mentoring pairs and groups")
    PROGRAM = "program", _("mentoring program")
    ROADMAP = "roadmap", _("roadmap")


ORDER_KINDS = (DocumentKind.IMPLEMENTATION_ORDER, DocumentKind.PAIRS_ORDER)


def _template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"document-templates/{instance.organization_id}/{instance.kind}.docx"


class DocumentTemplate(TimeStampedModel, TenantScoped):
    """An organization's own template of a kind of document: a .docx (docxtpl) for Word and
    HTML for PDF. Either may be empty: the default shipped with the app is used then."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="document_templates",
    )
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    docx = models.FileField(_("Word template (.docx)"), upload_to=_template_path, blank=True)
    html = models.TextField(_("template for PDF (HTML)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"], name="document_template_unique_kind"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class IssuedDocument(TimeStampedModel, TenantScoped):
    """A register of generated documents: an order's number and date (ГОСТ Р 7.0.97 requisites).

    The order fixing mentoring pairs and groups is referenced from there by the mentorships.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="issued_documents",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="issued_documents",
    )
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=64, blank=True)
    signed_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} № {self.number}" if self.number else self.title


class DocumentJob(BackgroundJob, TenantModel):
    """A document generated in the background (an order of many pairs takes seconds): what the
    curator asked for, then the file under ``MEDIA_ROOT``, downloaded through a view that checks
    the reader (``selectors.document_job_get``), never a public URL."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    fmt = models.CharField(_("format"), max_length=8)
    number = models.CharField(_("number"), max_length=64, blank=True)
    signed_on = models.DateField(_("date"), null=True, blank=True)
    # The order of pairs: the curator's choice, [[mentor's person id, [mentees' ids]], …].
    pairs: models.JSONField[Any, Any] = models.JSONField(_("pairs"), default=list, blank=True)
    # The order printed from the program's pairs page: the ids of the pairs and groups
    # (mentorships app) and of the tandems it fixes; that app's worker records it on them.
    mentorships: models.JSONField[Any, Any] = models.JSONField(
        _("pairs and groups"), default=list, blank=True
    )
    tandems: models.JSONField[Any, Any] = models.JSONField(_("tandems"), default=list, blank=True)
    # The page that asked for it (a URL name taking the program's id): «generate again» leads
    # there. Empty: the documents' own page.
    origin = models.CharField(_("asked on the page"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("document being generated")
        verbose_name_plural = _("documents being generated")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.program_id} {self.status}"
