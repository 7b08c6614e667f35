"""A run queued in the database is done by the embedded worker (``manage.py db_worker``).

The test claims and runs the task as the worker's loop does, without the loop's
``close_old_connections()``, which would close the test's connection on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun, RunStatus
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_the_worker_runs_a_queued_run(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    mentor(program, interests="шахматы")
    mentee(program, interests="шахматы")
    with override_settings(TASKS=DATABASE_TASKS):
        run = services.run_start(actor=tenant_a.curator, program=program)
        queued = run.status
        task = DBTaskResult.objects.ready().get()
        task.claim("test-worker")
        _worker().run_task(task)
    run = MatchingRun.objects.get(pk=run.pk)
    assert (queued, run.status, run.matched_count) == (RunStatus.QUEUED, RunStatus.DONE, 1)
