"""Printing the order of the pairs page in a test: it goes through a ``DocumentJob`` (the worker
runs at once in the tests), then the job page's download."""

from __future__ import annotations

from typing import Any

from django.test import Client, TestCase
from django.urls import reverse

from nastavnik.documents.models import DocumentJob


def order_print(client: Client, program_id: int, data: dict[str, Any]) -> tuple[DocumentJob, Any]:
    """Post the order page's form; the job it queued (run) and its file's download response."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("mentorships:order", kwargs={"program_id": program_id}), data
        )
    job = DocumentJob.objects.latest("id")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    job.refresh_from_db()
    download = client.get(reverse("documents:job_download", args=[job.pk]))
    return job, download


def content(download: Any) -> bytes:
    return b"".join(download.streaming_content)
