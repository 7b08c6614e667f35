"""An uploaded file of people and what its import did.

The file itself is kept only until the import is committed or cancelled (it holds personal data);
the batch keeps its hash, counts, the problems found and the skipped rows for the report.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel


class ProgramChoice(models.TextChoices):
    """Where the rows with «Роль в программе» / «Форма наставничества» are enrolled."""

    AUTOMATIC = "", _("not chosen: a new program of the form if the year has none")
    PROGRAM = "program", _("the chosen program")
    NONE = "none", _("do not enrol in a program")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    ANALYZING = "analyzing", _("checking the file")
    READY = "ready", _("ready to import")
    COMMITTING = "committing", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", pgettext_lazy("import", "cancelled")


FINAL_STATUSES = frozenset({ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED})
RUNNING_STATUSES = frozenset(
    {ImportStatus.UPLOADED, ImportStatus.ANALYZING, ImportStatus.COMMITTING}
)


def _upload_to(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.organization_id}/{instance.sha256[:16]}-{instance.kind or 'file'}"


class ImportBatch(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=_upload_to, blank=True, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64, db_index=True)
    kind = models.CharField(_("file type"), max_length=8, blank=True)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    delimiter = models.CharField(_("separator"), max_length=2, blank=True)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    invalid_rows = models.PositiveIntegerField(_("invalid rows"), default=0)
    enrolments = models.PositiveIntegerField(_("enrolments to make"), default=0)
    enrolments_blocked = models.PositiveIntegerField(_("enrolments without consent"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    issues: models.JSONField[Any, Any] = models.JSONField(_("problems"), default=list, blank=True)
    warnings: models.JSONField[Any, Any] = models.JSONField(_("warnings"), default=list, blank=True)
    unknown_columns: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    preview: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    skipped_rows: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    headers: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("the same file as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # The program the curator chose for the rows with a role (``program_choice``): one of the
    # organization's programs of the current year, or none at all.
    program_choice = models.CharField(
        _("enrolment"), max_length=8, choices=ProgramChoice.choices, blank=True
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program to enrol in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # None: the file has no role or form column; else the forms its rows name (ids).
    enrol_forms: models.JSONField[Any, Any] = models.JSONField(null=True, blank=True)
    # The enrolments to make by role: {"mentor": n, "mentee": m}.
    enrol_roles: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    # While a worker checks or commits the file it renews this lease (a heartbeat); a running
    # import whose lease has run out lost its worker: it is shown as interrupted and may be
    # run again (the dead worker's transaction was rolled back by the database).
    lease_until = models.DateTimeField(_("worker's lease until"), null=True, blank=True)

    class Meta:
        verbose_name = _("import of people")
        verbose_name_plural = _("imports of people")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_interrupted(self) -> bool:
        """Running, but its worker's lease ran out: the worker died (see ``lease.py``)."""
        return (
            self.is_running and self.lease_until is not None and self.lease_until < timezone.now()
        )

    @property
    def is_working(self) -> bool:
        """Running with a live worker (or waiting for one): the page keeps polling."""
        return self.is_running and not self.is_interrupted

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def valid_rows(self) -> int:
        return self.total_rows - self.invalid_rows
