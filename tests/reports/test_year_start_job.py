"""The start of a new academic year as a background job (``core.jobs``): queued by the page, run
by the worker's task with its steps on a progress page, refused twice at once, and all or
nothing when the worker dies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from nastavnik.core import jobs as core_jobs
from nastavnik.core.jobs import JobStatus
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Person
from nastavnik.programs.models import Program
from nastavnik.reports import jobs
from nastavnik.reports.models import ClosedYear, SchoolLeaver, YearStartJob
from nastavnik.reports.tasks import year_start_run
from tests.conftest import login
from tests.reports.scenario import YEAR, School, build_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    school = build_school()
    first = Person.objects.filter(organization=school.organization, category="student").first()
    assert first is not None
    Person.objects.filter(pk=first.pk).update(class_name="11А")
    return school


def _classes(school: School) -> list[str]:
    return list(
        Person.objects.filter(organization=school.organization, category="student")
        .order_by("pk")
        .values_list("class_name", flat=True)
    )


def _nothing_written(school: School, classes: list[str]) -> None:
    org = school.organization
    assert not ClosedYear.objects.filter(organization=org).exists()
    assert not SchoolLeaver.objects.filter(organization=org).exists()
    assert not Program.objects.filter(organization=org, academic_year__start_year=YEAR + 1).exists()
    assert _classes(school) == classes


def test_the_task_runs_the_job_through_its_steps(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = school.organization
    steps: list[tuple[int, str]] = []
    step = core_jobs.job_step

    def record(job: YearStartJob, percent: int, text: str) -> None:
        steps.append((percent, text))
        step(job, percent, text)

    monkeypatch.setattr(jobs, "job_step", record)
    job = YearStartJob.objects.create(organization=org, from_year=YEAR, created_by=school.curator)
    year_start_run.enqueue(job_id=job.pk)  # immediate in the tests
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.progress, job.lease_until, job.error) == (100, None, "")
    assert job.result["programs_created"] == 3
    assert job.result["left"] == 1
    assert ClosedYear.objects.filter(organization=org, start_year=YEAR).exists()
    # The four steps, in order, with a growing percentage.
    texts = [text for _percent, text in steps]
    assert texts[0].startswith("Закрытие учебного года")
    assert any(t.startswith("Перенос программ") for t in texts)
    assert any(t.startswith("Перевод обучающихся") for t in texts)
    assert texts[-1] == "Учёт выпускников"
    percents = [percent for percent, _text in steps]
    assert percents == sorted(percents)
    # A second run of the same job does nothing: it is no longer queued.
    assert jobs.year_start_execute(job_id=job.pk) is None


def test_a_killed_worker_leaves_nothing_half_written(
    school: School, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """One transaction: the worker dies while moving pupils up, after the year was closed and
    the programs carried over — the database rolls all of it back; the job stays «running»
    until its lease runs out, then reads as interrupted and the year may be started again."""
    org = school.organization
    classes = _classes(school)
    step = core_jobs.job_step

    def die(job: YearStartJob, percent: int, text: str) -> None:
        if "Перевод" in text:
            raise SystemExit("killed")  # not an Exception: nothing in the job catches it
        step(job, percent, text)

    monkeypatch.setattr(jobs, "job_step", die)
    job = YearStartJob.objects.create(organization=org, from_year=YEAR, created_by=school.curator)
    with pytest.raises(SystemExit):
        jobs.year_start_execute(job_id=job.pk)
    _nothing_written(school, classes)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.is_working
    assert not job.is_interrupted

    # The lease runs out: interrupted, shown so.
    YearStartJob.objects.filter(pk=job.pk).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    job.refresh_from_db()
    assert job.is_interrupted
    assert not job.is_working
    client = login(school.curator)
    page = client.get(reverse("reports:year_start_job", kwargs={"year_start_id": job.pk}))
    assert "прервано" in page.content.decode()

    # Started again: the interrupted job is closed, the new one runs to the end.
    monkeypatch.setattr(jobs, "job_step", step)
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.year_start_queue(actor=school.curator, organization=org, from_year=YEAR)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    again.refresh_from_db()
    assert again.status == JobStatus.DONE
    assert ClosedYear.objects.filter(organization=org, start_year=YEAR).count() == 1


def test_a_start_is_refused_while_another_is_under_way(school: School) -> None:
    org = school.organization
    YearStartJob.objects.create(
        organization=org,
        from_year=YEAR,
        created_by=school.curator,
        status=JobStatus.RUNNING,
        lease_until=timezone.now() + dt.timedelta(minutes=2),
    )
    with pytest.raises(ValidationError, match="уже"):
        jobs.year_start_queue(actor=school.curator, organization=org, from_year=YEAR)
    # The database says so too: one queued or running start per organization.
    with pytest.raises(IntegrityError), transaction.atomic():
        YearStartJob.objects.create(organization=org, from_year=YEAR)
    assert YearStartJob.objects.filter(organization=org).count() == 1


def test_a_closed_year_is_refused_before_queueing(school: School) -> None:
    ClosedYear.objects.create(organization=school.organization, start_year=YEAR)
    with pytest.raises(ValidationError, match="уже закрыт"):
        jobs.year_start_queue(
            actor=school.curator, organization=school.organization, from_year=YEAR
        )
    assert not YearStartJob.objects.exists()


def test_a_failure_is_kept_with_its_message(school: School) -> None:
    """The year closed meanwhile (another way): the worker's job fails with the reason."""
    job = YearStartJob.objects.create(
        organization=school.organization, from_year=YEAR, created_by=school.curator
    )
    ClosedYear.objects.create(organization=school.organization, start_year=YEAR)
    jobs.year_start_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "уже закрыт" in job.error
    page = login(school.curator).get(
        reverse("reports:year_start_job", kwargs={"year_start_id": job.pk})
    )
    assert "уже закрыт" in page.content.decode()
    assert (
        reverse(
            "reports:year_start",
            kwargs={"organization_id": school.organization.pk, "start_year": YEAR},
        )
        in page.content.decode()
    )


def test_the_progress_partial_polls_while_working_and_reloads_at_the_end(school: School) -> None:
    job = YearStartJob.objects.create(
        organization=school.organization,
        from_year=YEAR,
        created_by=school.curator,
        status=JobStatus.RUNNING,
        progress=40,
        step="Перенос программ: 1 из 3",
        lease_until=timezone.now() + dt.timedelta(minutes=2),
    )
    client = login(school.curator)
    url = reverse("reports:year_start_status", kwargs={"year_start_id": job.pk})
    body = client.get(url + "?was=running")
    html = body.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html
    assert "Перенос программ: 1 из 3" in html
    assert "HX-Refresh" not in body
    # The start page sends the curator to the one under way.
    start = reverse(
        "reports:year_start", kwargs={"organization_id": school.organization.pk, "start_year": YEAR}
    )
    assert url.removesuffix("status/") in client.get(start).content.decode()

    YearStartJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        lease_until=None,
        result={"programs_created": 3, "enrolments_carried": 7, "moved_up": 2, "left": 1},
    )
    done = client.get(url + "?was=running")
    assert done["HX-Refresh"] == "true"
    html = done.content.decode()
    assert "hx-trigger" not in html
    assert "перенесено программ — 3" in html


def test_other_curators_and_the_organizations_mentors_get_404(
    school: School, tenant_b: Any
) -> None:
    job = YearStartJob.objects.create(
        organization=school.organization, from_year=YEAR, created_by=school.curator
    )
    for name in ("year_start_job", "year_start_status"):
        url = reverse(f"reports:{name}", kwargs={"year_start_id": job.pk})
        assert login(tenant_b.curator).get(url).status_code == 404
        assert login(school.curator).get(url).status_code == 200


def _queued(school: School) -> YearStartJob:
    return YearStartJob.objects.create(
        organization=school.organization, from_year=YEAR, created_by=school.curator
    )


def test_a_queued_start_is_cancelled_and_never_run(school: School) -> None:
    """No worker running: the curator takes the start back; a worker coming later skips it,
    and a new start may be queued."""
    job = _queued(school)
    classes = _classes(school)
    client = login(school.curator)
    page = client.get(reverse("reports:year_start_job", kwargs={"year_start_id": job.pk}))
    cancel = reverse("reports:year_start_cancel", kwargs={"year_start_id": job.pk})
    assert cancel in page.content.decode()
    assert client.get(cancel).status_code == 405
    response = client.post(cancel, follow=True)
    html = response.content.decode()
    assert "Начало нового учебного года отменено." in html
    assert cancel not in html  # nothing left to cancel
    job.refresh_from_db()
    assert (job.status, job.lease_until) == (JobStatus.CANCELLED, None)
    assert job.finished_at is not None
    assert AuditEntry.objects.filter(action="report.year_start_cancel", object_id=str(job.pk))
    assert jobs.year_start_execute(job_id=job.pk) is None  # the worker never runs it
    _nothing_written(school, classes)
    again = jobs.year_start_queue(
        actor=school.curator, organization=school.organization, from_year=YEAR
    )
    assert again.status == JobStatus.QUEUED


def test_a_start_the_worker_has_taken_is_not_cancelled(school: School) -> None:
    job = _queued(school)
    assert core_jobs.job_claim(YearStartJob, job.pk) is not None
    client = login(school.curator)
    cancel = reverse("reports:year_start_cancel", kwargs={"year_start_id": job.pk})
    page = client.get(reverse("reports:year_start_job", kwargs={"year_start_id": job.pk}))
    assert cancel not in page.content.decode()
    response = client.post(cancel, follow=True)
    assert "уже нельзя отменить" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    with pytest.raises(ValidationError):
        jobs.year_start_cancel(actor=school.curator, job=job)


def test_only_the_organizations_curator_cancels(school: School, tenant_b: Any) -> None:
    job = _queued(school)
    cancel = reverse("reports:year_start_cancel", kwargs={"year_start_id": job.pk})
    assert login(tenant_b.curator).post(cancel).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    with pytest.raises(PermissionDenied):
        jobs.year_start_cancel(actor=tenant_b.curator, job=job)
