"""A run queued in the database is done by the embedded worker (``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun, RunStatus
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_runs_a_queued_run(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    mentor(program, interests="шахматы")
    mentee(program, interests="шахматы")
    with override_settings(TASKS=DATABASE_TASKS):
        run = services.run_start(actor=tenant_a.curator, program=program)
        queued = run.status
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run = MatchingRun.objects.get(pk=run.pk)
    assert (queued, run.status, run.matched_count) == (RunStatus.QUEUED, RunStatus.DONE, 1)
