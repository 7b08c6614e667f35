"""Background work of matching: thin tasks that call a service."""

from __future__ import annotations

from django_tasks import task

from nastavnik.matching import services


@task()
def run_matching(run_id: int) -> None:
    services.run_execute(run_id=run_id)


@task()
def expire_mentor_requests() -> int:
    return services.requests_expire()
