"""Monitoring reports handed in: an organization's snapshot of its figures for a year."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.tenancy import TenantModel, TenantQuerySet
from nastavnik.core.jobs import ACTIVE_STATUSES, BackgroundJob


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


class YearTargets(TenantModel):
    """«Перспективные задачи»: what the organization sets out to reach in an academic year —
    coverage of pupils and teachers, forms, models and variants it means to take up. Set by the
    curator the year before; that year's report compares its figures against them."""

    start_year = models.PositiveSmallIntegerField(_("first calendar year"))
    coverage_students = models.PositiveSmallIntegerField(
        _("coverage of pupils, %"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    coverage_teachers = models.PositiveSmallIntegerField(
        _("coverage of teachers, %"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    forms = models.ManyToManyField(
        "programs.MentoringForm", verbose_name=_("new forms"), blank=True, related_name="+"
    )
    models_used = models.ManyToManyField(
        "programs.MentoringModel", verbose_name=_("new models"), blank=True, related_name="+"
    )
    variants = models.ManyToManyField(
        "programs.Variant", verbose_name=_("new variants"), blank=True, related_name="+"
    )
    note = models.TextField(_("other tasks"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("targets for the year")
        verbose_name_plural = _("targets for the years")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_year"], name="report_year_targets_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.start_year}/{self.start_year + 1}"


class ClosedYear(TenantModel):
    """An academic year the organization closed by starting the next one: its figures as they
    were, which its report shows from then on (pupils moved up a class, leavers and newcomers
    change the people, not the year that is over)."""

    start_year = models.PositiveSmallIntegerField(_("first calendar year"))
    figures: models.JSONField[Any, Any] = models.JSONField(_("figures"), default=dict)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("date the year was closed"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed academic year")
        verbose_name_plural = _("closed academic years")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_year"], name="report_closed_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.start_year}/{self.start_year + 1}"


class SchoolLeaver(TenantModel):
    """A pupil who left the organization after an academic year (an 11th grader at the start of
    the next year): counted among the pupils up to that year, not after."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("leaving pupil"),
        on_delete=models.CASCADE,
        related_name="school_leaving",
    )
    start_year = models.PositiveSmallIntegerField(_("last academic year"))

    class Meta:
        verbose_name = _("school leaver")
        verbose_name_plural = _("school leavers")

    def __str__(self) -> str:
        return f"{self.person_id} {self.start_year}"


class YearStartJob(BackgroundJob, TenantModel):
    """The start of the academic year after ``from_year``, run in the background with a progress
    page (``services.year_start_queue`` → ``tasks.year_start_run`` → ``year_start_next``). One
    job of an organization at a time: the partial unique constraint, decided under the
    organization's row lock."""

    from_year = models.PositiveSmallIntegerField(_("academic year closed"))
    staying: models.JSONField[Any, Any] = models.JSONField(
        _("pupils of the last grade who stay"), default=list, blank=True
    )
    result: models.JSONField[Any, Any] = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("start of an academic year")
        verbose_name_plural = _("starts of academic years")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="report_one_year_start_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.from_year}/{self.from_year + 1} {self.status}"


class ReportFileJob(BackgroundJob, TenantModel):
    """An organization's report as a PDF, laid out in the background (WeasyPrint takes seconds);
    the file is kept under ``MEDIA_ROOT`` and downloaded through a view that checks the reader
    as the report's page does (``selectors.report_file_job_get``)."""

    start_year = models.PositiveSmallIntegerField(_("first calendar year"))

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.start_year}/{self.start_year + 1} {self.status}"
