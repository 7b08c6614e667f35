"""Background work of matching: thin tasks that call a service."""

from __future__ import annotations

from django_tasks import task

from nastavnik.matching.selectors import expire_requests


@task()
def run_matching(run_id: int) -> None:
    from nastavnik.matching.services import run_execute

    run_execute(run_id=run_id)


@task()
def expire_mentor_requests() -> int:
    return expire_requests()
