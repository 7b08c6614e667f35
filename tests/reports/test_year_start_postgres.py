"""On PostgreSQL: the year's start is one transaction, yet its progress page sees each step
before the commit (``core.jobs.job_step`` writes through a connection of its own); two curators
starting at once get one job."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from nastavnik.core import jobs as core_jobs
from nastavnik.core.jobs import JobStatus
from nastavnik.reports import jobs
from nastavnik.reports.models import ClosedYear, YearStartJob
from tests.concurrency import at_once
from tests.reports.scenario import YEAR, build_school

pytestmark = pytest.mark.django_db(transaction=True)
T = TypeVar("T")


def _from_another_connection(read: Callable[[], T]) -> list[T]:
    seen: list[T] = []

    def run() -> None:
        try:
            seen.append(read())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen


def test_the_steps_are_seen_before_the_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a second connection needs PostgreSQL")
    school = build_school()
    org = school.organization
    seen: list[tuple[str, bool]] = []
    step = core_jobs.job_step

    def watch(job: YearStartJob, percent: int, text: str) -> None:
        step(job, percent, text)
        seen.extend(
            _from_another_connection(
                lambda: (
                    YearStartJob.objects.get(pk=job.pk).step,
                    ClosedYear.objects.filter(organization=org).exists(),
                )
            )
        )

    monkeypatch.setattr(jobs, "job_step", watch)
    job = YearStartJob.objects.create(organization=org, from_year=YEAR, created_by=school.curator)
    jobs.year_start_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # Another connection read every step while the year's data was not committed yet.
    assert [text.split(":")[0] for text, _closed in seen][:2] == [
        f"Закрытие учебного года {YEAR}/{YEAR + 1}",
        "Перенос программ",
    ]
    assert not any(closed for _text, closed in seen)
    assert ClosedYear.objects.filter(organization=org).exists()


def test_two_curators_starting_at_once_get_one_job() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    school = build_school()

    def queue() -> object:
        try:
            return jobs.year_start_queue(
                actor=school.curator, organization=school.organization, from_year=YEAR
            )
        except ValidationError as exc:
            return exc

    refused = [a for a in at_once(queue, queue) if isinstance(a, ValidationError)]
    assert len(refused) == 1
    assert YearStartJob.objects.filter(organization=school.organization).count() == 1


def test_a_cancel_and_a_worker_at_once_one_wins() -> None:
    """«Отменить» and a worker's claim at the same moment: under the job's row lock exactly one
    wins — either the start is cancelled and never run, or the worker runs it and the cancel is
    refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    school = build_school()
    for _ in range(3):
        job = YearStartJob.objects.create(
            organization=school.organization, from_year=YEAR, created_by=school.curator
        )

        def cancel(job: YearStartJob = job) -> object:
            try:
                return jobs.year_start_cancel(actor=school.curator, job=job)
            except ValidationError as exc:
                return exc

        def claim(job: YearStartJob = job) -> object:
            return core_jobs.job_claim(YearStartJob, job.pk)

        cancelled, claimed = at_once(cancel, claim)
        job.refresh_from_db()
        if isinstance(cancelled, ValidationError):
            assert claimed is not None
            assert job.status == JobStatus.RUNNING
        else:
            assert claimed is None
            assert job.status == JobStatus.CANCELLED
        YearStartJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)


def test_a_worker_waiting_on_the_cancel_never_runs_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cancel holds the row lock (its audit row is slow); the worker's claim, arriving in
    the meantime, waits for it and then finds the start no longer queued: nothing is run."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    school = build_school()
    job = YearStartJob.objects.create(
        organization=school.organization, from_year=YEAR, created_by=school.curator
    )
    audit = jobs.audit

    def slow_audit(**kwargs: object) -> object:
        time.sleep(0.8)
        return audit(**kwargs)

    monkeypatch.setattr(jobs, "audit", slow_audit)

    def worker() -> object:
        time.sleep(0.3)  # the cancel has the lock by now
        return jobs.year_start_execute(job_id=job.pk)

    cancelled, ran = at_once(lambda: jobs.year_start_cancel(actor=school.curator, job=job), worker)
    job.refresh_from_db()
    assert ran is None
    assert isinstance(cancelled, YearStartJob)
    assert job.status == JobStatus.CANCELLED
    assert not ClosedYear.objects.filter(organization=school.organization).exists()
