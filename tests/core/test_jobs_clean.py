"""``manage.py jobs_clean``: old background jobs go with their result files (real files under a
temporary MEDIA_ROOT), the recent and the queued stay, files of no job go, and it is audited."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from nastavnik.core.jobs import JobStatus
from nastavnik.core.models import AuditEntry
from nastavnik.documents.models import DocumentJob
from nastavnik.reports.models import ReportFileJob, YearStartJob
from tests.conftest import Tenant
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _with_file(job: Any, name: str) -> Path:
    job.result_name = name
    job.result_file.save(name, ContentFile(b"%PDF-1.4 " + name.encode()), save=True)
    return Path(job.result_file.path)


def _finished(job: Any, days: float, status: str = JobStatus.DONE) -> Any:
    type(job).objects.filter(pk=job.pk).update(status=status, finished_at=_ago(days))
    return job


def _clean(capture: Any, *args: str) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("jobs_clean", *args, stdout=out)
    return out.getvalue()


def test_old_jobs_and_their_files_go_the_recent_and_the_queued_stay(
    media: Path, tenant_a: Tenant, tenant_b: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    org_a, org_b = tenant_a.organization, tenant_b.organization
    program = ProgramFactory.create(organization=org_a)
    old_document = DocumentJob.objects.create(
        organization=org_a, program=program, kind="regulation", fmt="pdf"
    )
    old_file = _with_file(old_document, "regulation.pdf")
    _finished(old_document, 40)
    old_report = ReportFileJob.objects.create(organization=org_b, start_year=2025)
    old_report_file = _with_file(old_report, "report.pdf")
    _finished(old_report, 31)
    failed_start = _finished(
        YearStartJob.objects.create(organization=org_a, from_year=2025), 60, JobStatus.FAILED
    )
    dead = YearStartJob.objects.create(
        organization=org_b, from_year=2025, status=JobStatus.RUNNING, lease_until=_ago(45)
    )
    recent = ReportFileJob.objects.create(organization=org_a, start_year=2026)
    recent_file = _with_file(recent, "recent.pdf")
    _finished(recent, 3)
    queued = DocumentJob.objects.create(
        organization=org_a, program=program, kind="regulation", fmt="docx"
    )
    DocumentJob.objects.filter(pk=queued.pk).update(created_at=_ago(90))
    # A file no row names (its job went with its program), old; and one just written.
    stray_dir = media / "jobs" / "documents-documentjob"
    stray_dir.mkdir(parents=True, exist_ok=True)
    stray, fresh_stray = stray_dir / "stray.docx", stray_dir / "being-written.docx"
    stray.write_bytes(b"PK")
    fresh_stray.write_bytes(b"PK")
    old_time = _ago(40).timestamp()
    os.utime(stray, (old_time, old_time))
    unrelated = media / "library" / "keep.pdf"
    unrelated.parent.mkdir(parents=True)
    unrelated.write_bytes(b"%PDF")
    os.utime(unrelated, (old_time, old_time))

    output = _clean(django_capture_on_commit_callbacks, "--days", "30")

    assert not DocumentJob.objects.filter(pk=old_document.pk).exists()
    assert not ReportFileJob.objects.filter(pk=old_report.pk).exists()
    assert not YearStartJob.objects.filter(pk__in=[failed_start.pk, dead.pk]).exists()
    assert ReportFileJob.objects.filter(pk=recent.pk).exists()
    assert DocumentJob.objects.filter(pk=queued.pk).exists()
    assert not old_file.exists()
    assert not old_report_file.exists()
    assert not stray.exists()
    assert recent_file.exists()
    assert fresh_stray.exists()
    assert unrelated.exists()  # only the jobs' folder is swept
    assert [int(n) for n in re.findall(r"\d+", output)] == [4, 2, 1]
    entries = {
        (e.organization_id, e.data.get("table"), e.data.get("jobs"), e.data.get("files"))
        for e in AuditEntry.objects.filter(action="jobs.clean", organization__isnull=False)
    }
    assert entries == {
        (org_a.pk, "documents.DocumentJob", 1, 1),
        (org_a.pk, "reports.YearStartJob", 1, 0),
        (org_b.pk, "reports.YearStartJob", 1, 0),
        (org_b.pk, "reports.ReportFileJob", 1, 1),
    }
    orphans = AuditEntry.objects.get(action="jobs.clean", organization__isnull=True)
    assert orphans.data["orphan_files"] == 1
    assert orphans.actor is None


def test_the_days_come_from_the_setting(
    media: Path, settings: Any, tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NASTAVNIK_JOB_KEEP_DAYS = 5
    org = tenant_a.organization
    older = _finished(ReportFileJob.objects.create(organization=org, start_year=2025), 6)
    newer = _finished(ReportFileJob.objects.create(organization=org, start_year=2026), 4)
    _clean(django_capture_on_commit_callbacks)
    assert list(ReportFileJob.objects.values_list("pk", flat=True)) == [newer.pk]
    assert older.pk != newer.pk
    # Nothing old left: nothing deleted, nothing audited.
    before = AuditEntry.objects.count()
    _clean(django_capture_on_commit_callbacks)
    assert AuditEntry.objects.count() == before


def test_a_missing_file_does_not_stop_the_cleaning(
    media: Path, tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    job = ReportFileJob.objects.create(organization=tenant_a.organization, start_year=2025)
    _with_file(job, "gone.pdf").unlink()
    _finished(job, 100)
    _clean(django_capture_on_commit_callbacks, "--days", "30")
    assert not ReportFileJob.objects.exists()


def test_negative_days_are_refused(media: Path) -> None:
    with pytest.raises(CommandError):
        call_command("jobs_clean", "--days", "-1")
