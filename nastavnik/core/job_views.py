"""The two answers every background job's pages give (``core.jobs``): its progress polled by htmx
and its result file. The app's view finds the job through its scoped selector first."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nastavnik.core.jobs import BackgroundJob, JobStatus


def job_status_partial(
    request: HttpRequest, job: BackgroundJob, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The progress partial; the page reloads once a job it saw running is over."""
    response = render(request, template, context)
    if not job.is_working and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


def job_file_download(job: BackgroundJob, content_type: str) -> FileResponse:
    """The job's file as an attachment, once it is done (404 before)."""
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=content_type,
    )
