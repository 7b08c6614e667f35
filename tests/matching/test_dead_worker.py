"""A matching run whose worker is killed mid-run: nothing of it is used or kept, the run page
says it was interrupted, and the next run of the program closes it and finishes (PostgreSQL,
a real process killed with SIGKILL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun, Proposal, RunStatus
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor
from tests.processes import hang_here, kill_when_hanging

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _program(tenant: Any) -> Any:
    program = matching_program(tenant.organization)
    for interest in ("шахматы", "химия", "музыка"):
        mentor(program, interests=interest)
        mentee(program, interests=interest)
    return program


def test_a_run_running_past_the_timeout_is_interrupted_and_closed_by_the_next(
    tenant_a: Any, settings: Any
) -> None:
    settings.NASTAVNIK_MATCHING_RUN_TIMEOUT = 60
    program = _program(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert run.status == RunStatus.DONE  # the immediate backend of the tests
    # as left by a killed worker: running, some of its rows written, started long ago
    MatchingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=5)
    )
    run.refresh_from_db()
    assert run.is_interrupted
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert "Подбор прерван" in page.content.decode()
    assert 'hx-trigger="every 1s"' not in page.content.decode()  # the page stops polling

    fresh = services.run_start(actor=tenant_a.curator, program=program)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "прерван" in run.error_message
    assert not Proposal.objects.filter(run=run).exists()
    assert fresh.status == RunStatus.DONE
    assert fresh.matched_count == 3


def test_a_run_still_within_its_time_is_not_interrupted(tenant_a: Any) -> None:
    program = _program(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    MatchingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    run.refresh_from_db()
    assert not run.is_interrupted
    services.run_start(actor=tenant_a.curator, program=program)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # left alone: its worker may still be at it


def _execute_and_hang(run_id: int, flag: str) -> None:
    """The child: run the matching and stop dead once its proposals are being written."""
    from django.db.models.query import QuerySet

    from nastavnik.matching.services.runs import run_execute

    original = QuerySet.bulk_create

    def hang(self: Any, objs: Any, *args: Any, **kwargs: Any) -> Any:
        created = original(self, objs, *args, **kwargs)
        if self.model is Proposal:
            hang_here(flag, "proposals written, run not finished")
        return created

    QuerySet.bulk_create = hang  # type: ignore[method-assign]
    run_execute(run_id=run_id)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_nothing_used_and_the_program_runs_again(
    tenant_a: Any, settings: Any, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a killed worker is tested on PostgreSQL")
    program = _program(tenant_a)
    with override_settings(TASKS=DATABASE_TASKS):
        run = services.run_start(actor=tenant_a.curator, program=program)
    assert run.status == RunStatus.QUEUED
    kill_when_hanging(_execute_and_hang, run.pk, flag=tmp_path / "flag")

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # as the dead worker left it
    assert not run.is_open  # nothing of it can be reviewed or published
    settings.NASTAVNIK_MATCHING_RUN_TIMEOUT = 0
    assert run.is_interrupted
    fresh = services.run_start(actor=tenant_a.curator, program=program)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert not Proposal.objects.filter(run=run).exists()
    assert (fresh.status, fresh.matched_count) == (RunStatus.DONE, 3)
