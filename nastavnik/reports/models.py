"""Monitoring reports handed in: an organization's snapshot of its figures for a year."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.tenancy import TenantQuerySet


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for correction")


class ReportSubmission(models.Model):
    """A version of an organization's report for an academic year, kept unchanged once made.

    A correction is a new version; the earlier ones stay with who submitted them and when.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="report_submissions",
    )
    start_year = models.PositiveSmallIntegerField(_("first calendar year"))
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    figures: models.JSONField[Any, Any] = models.JSONField(_("figures"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects: Any = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        ordering = ["organization", "-start_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_year", "version"],
                name="report_submission_unique_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.start_year}/{self.start_year + 1} v{self.version}"

    @property
    def period(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"
