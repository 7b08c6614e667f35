"""Background work of reports: thin tasks that call the job services (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from nastavnik.reports import jobs


@task()
def year_start_run(job_id: int) -> None:
    jobs.year_start_execute(job_id=job_id)


@task()
def report_pdf_run(job_id: int) -> None:
    jobs.report_pdf_execute(job_id=job_id)
