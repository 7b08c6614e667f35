"""Background work of mentorships: a thin task that calls the order's job service."""

from __future__ import annotations

from django_tasks import task

from nastavnik.mentorships import orders


@task()
def pairs_order_run(job_id: int) -> None:
    orders.pairs_order_execute(job_id=job_id)
