"""The background jobs in the admin (``core.job_admin``): listed with their organization, kind,
status and progress, read-only, and without the personal data the job pages show."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nastavnik.core.jobs import JobStatus
from nastavnik.documents.models import DocumentJob
from nastavnik.reports.models import ReportFileJob, YearStartJob
from tests.conftest import Tenant, login
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(tenant_a: Tenant) -> list[Any]:
    org = tenant_a.organization
    program = ProgramFactory.create(organization=org)
    return [
        DocumentJob.objects.create(
            organization=org,
            program=program,
            kind="pairs-order",
            fmt="docx",
            number="15-о",
            pairs=[[990001, [990002]]],
            created_by=tenant_a.curator,
        ),
        YearStartJob.objects.create(
            organization=org,
            from_year=2026,
            staying=[990003],
            status=JobStatus.DONE,
            progress=100,
            result={"not_carried": ["Секретова Тайна Скрытовна"]},
            created_by=tenant_a.curator,
        ),
        ReportFileJob.objects.create(
            organization=org, start_year=2026, status=JobStatus.FAILED, error="сломалось"
        ),
    ]


def _url(job: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{job._meta.app_label}_{job._meta.model_name}_{view}", args=args)


def test_the_administrator_lists_and_reads_the_jobs(
    tenant_a: Tenant, admin_user: Any, jobs: list[Any]
) -> None:
    client = login(admin_user)
    kinds = ("приказ о закреплении", "2026/2027", "2026/2027")
    for job, kind in zip(jobs, kinds, strict=True):
        listing = client.get(_url(job, "changelist")).content.decode()
        assert str(tenant_a.organization) in listing
        assert kind in listing
        assert job.get_status_display() in listing
        detail = client.get(_url(job, "change", job.pk))
        assert detail.status_code == 200
        html = detail.content.decode()
        # The curator's choices and the result with names stay on the scoped job pages.
        for hidden in ("990001", "990002", "990003", "Секретова"):
            assert hidden not in html
    assert "сломалось" in client.get(_url(jobs[2], "change", jobs[2].pk)).content.decode()


def test_nothing_is_added_changed_or_deleted_in_the_admin(admin_user: Any, jobs: list[Any]) -> None:
    client = login(admin_user)
    for job in jobs:
        assert client.get(_url(job, "add")).status_code == 403
        response = client.post(_url(job, "change", job.pk), {"status": "queued", "progress": 0})
        assert response.status_code == 403
        assert client.post(_url(job, "delete", job.pk), {"post": "yes"}).status_code == 403
        assert "delete_selected" not in client.get(_url(job, "changelist")).content.decode()
        fresh = type(job).objects.get(pk=job.pk)
        assert (fresh.status, fresh.progress) == (job.status, job.progress)


def test_a_curator_has_no_admin(tenant_a: Tenant, jobs: list[Any]) -> None:
    for job in jobs:
        assert login(tenant_a.curator).get(_url(job, "changelist")).status_code == 302
