from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nastavnik.core.job_admin import BackgroundJobAdmin
from nastavnik.reports.models import ReportFileJob, ReportSubmission, YearStartJob
from nastavnik.reports.tables import period_title


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(admin.ModelAdmin[ReportSubmission]):
    list_display = ("organization", "start_year", "version", "status", "submitted_at")
    list_filter = ("status", "start_year")
    raw_id_fields = ("organization", "submitted_by", "decided_by")
    # A submitted snapshot is kept unchanged: decisions go through the report page.
    readonly_fields = ("figures", "submitted_at", "submitted_by", "version")


@admin.register(YearStartJob)
class YearStartJobAdmin(BackgroundJobAdmin[YearStartJob]):
    list_filter = ("status",)
    list_select_related = ("organization",)
    extra_fields = ("from_year",)

    @admin.display(description=_("kind"), ordering="from_year")
    def job_kind(self, job: YearStartJob) -> str:
        return f"{job._meta.verbose_name}: {period_title(job.from_year)}"


@admin.register(ReportFileJob)
class ReportFileJobAdmin(BackgroundJobAdmin[ReportFileJob]):
    list_filter = ("status",)
    list_select_related = ("organization",)
    extra_fields = ("start_year",)

    @admin.display(description=_("kind"), ordering="start_year")
    def job_kind(self, job: ReportFileJob) -> str:
        return f"{job._meta.verbose_name}: {period_title(job.start_year)}"
