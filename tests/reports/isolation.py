"""Object makers for the reports' URLs (see tests/isolation.py)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from nastavnik.core.jobs import ACTIVE_STATUSES, JobStatus
from nastavnik.organizations.models import academic_start_year
from nastavnik.reports.models import ReportFileJob, ReportSubmission, YearStartJob
from tests.conftest import Tenant
from tests.isolation import Maker, PostBody


def _start_year(tenant: Tenant) -> object:
    return academic_start_year(timezone.localdate())


def _territory_id(tenant: Tenant) -> object:
    """The victim's municipality: only its coordinators (and the region's) see the roll-up."""
    return tenant.organization.territory_id


def _submission_id(tenant: Tenant) -> object:
    return ReportSubmission.objects.create(
        organization=tenant.organization,
        start_year=academic_start_year(timezone.localdate()),
        version=1,
        figures={},
        submitted_by=tenant.curator,
        submitted_at=timezone.now(),
    ).pk


def _year_start_id(tenant: Tenant) -> object:
    return YearStartJob.objects.create(
        organization=tenant.organization,
        from_year=academic_start_year(timezone.localdate()),
        created_by=tenant.curator,
        status="done",
    ).pk


def _report_file_id(tenant: Tenant) -> object:
    job = ReportFileJob(
        organization=tenant.organization,
        start_year=academic_start_year(timezone.localdate()),
        created_by=tenant.curator,
        status="done",
        result_name="report.pdf",
    )
    job.result_file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=False)
    job.save()
    return job.pk


OBJECT_MAKERS: dict[str, Maker] = {
    "report_file_id": Maker(_report_file_id),
    "year_start_id": Maker(_year_start_id),
    "start_year": Maker(_start_year),
    "territory_id": Maker(_territory_id),
    "submission_id": Maker(_submission_id),
}

# Pages and downloads; the submission is the POST itself. A submission is decided by the
# territory's coordinator, never a school's curator: its body cannot be sent as the victim's
# curator, so it is tried empty here and with a body in tests/reports (another territory's
# coordinator gets 404).
NO_FORM: set[str] = {
    "reports:organization",
    "reports:xlsx",
    "reports:pdf",
    "reports:json",
    "reports:submit",
    "reports:decide",
    "reports:territory",
    "reports:territory_xlsx",
    "reports:year_start_job",
    "reports:file_job",
    "reports:file_job_status",
    "reports:file_download",
    "reports:year_start_status",
    "api:organization_report",
}


def _queued_year_start(victim: Tenant, values: dict[str, object]) -> dict[str, object]:
    """Cancelling a start: the victim's start is still queued (the only active one)."""
    active = YearStartJob.objects.filter(
        organization=victim.organization, status__in=ACTIVE_STATUSES
    )
    active.exclude(pk=values["year_start_id"]).update(status=JobStatus.FAILED)
    YearStartJob.objects.filter(pk=values["year_start_id"]).update(status=JobStatus.QUEUED)
    return {}


# The targets and the start of a new year: the bodies the victim's curator would send.
POST_BODIES: dict[str, PostBody] = {
    "reports:year_start_cancel": _queued_year_start,
    "reports:targets": lambda victim, values: {
        "coverage_students": "80",
        "coverage_teachers": "75",
        "note": "Провести фестиваль наставнических пар",
    },
    "reports:year_start": lambda victim, values: {"leaving": []},
}
