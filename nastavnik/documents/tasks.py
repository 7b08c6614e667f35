"""Background work of documents: a thin task that calls the job service (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from nastavnik.documents import jobs


@task()
def document_run(job_id: int) -> None:
    jobs.document_execute(job_id=job_id)
