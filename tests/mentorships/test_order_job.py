"""The order of the pairs page is printed in the background (``mentorships.orders``): the page
queues a ``DocumentJob`` and goes to its page; the worker prints the order and records it on the
pairs and tandems in one transaction; the file is downloaded through the scoped job view."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import TestCase
from django.urls import reverse

from nastavnik.core.jobs import JobStatus
from nastavnik.documents.models import DocumentJob, IssuedDocument
from nastavnik.mentorships.models import MentorshipStatus
from nastavnik.mentorships.orders import pairs_order_execute
from nastavnik.mentorships.services import mentorship_create, mentorship_set_status
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor
from tests.mentorships.orders import content, order_print

pytestmark = pytest.mark.django_db

ORDER = {"number": "17-н", "signed_on": "01.10.2026", "fmt": "docx", "only_new": "on"}


def _pairs(tenant: Any, count: int = 2) -> list[Any]:
    program = matching_program(tenant.organization)
    return [
        mentorship_create(
            actor=tenant.curator,
            program=program,
            mentors=[mentor(program)],
            mentees=[mentee(program)],
        )
        for _ in range(count)
    ]


def test_the_page_only_queues_and_the_worker_prints_and_records(tenant_a: Any) -> None:
    pairs = _pairs(tenant_a)
    program_id = pairs[0].program_id
    client = login(tenant_a.curator)
    # Without the worker (the commit's callbacks not run): nothing printed in the request.
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post(
            reverse("mentorships:order", kwargs={"program_id": program_id}), ORDER
        )
    job = DocumentJob.objects.get(program_id=program_id)
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert (job.status, job.mentorships, job.origin) == (
        JobStatus.QUEUED,
        sorted(p.pk for p in pairs),
        "mentorships:order",
    )
    assert not IssuedDocument.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    order_page = reverse("mentorships:order", kwargs={"program_id": program_id})
    assert order_page in page  # back to the page that asked for it
    assert len(callbacks) == 1
    callbacks[0]()  # the worker (immediate in the tests)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert IssuedDocument.objects.filter(program_id=program_id, number="17-н").count() == 1
    for pair in pairs:
        pair.refresh_from_db()
        assert pair.order_number == "17-н"
    download = client.get(reverse("documents:job_download", args=[job.pk]))
    assert content(download).startswith(b"PK")  # a .docx
    # The file is the organization's curators' only.
    for user in (tenant_a.mentor,):
        assert login(user).get(reverse("documents:job_download", args=[job.pk])).status_code == 404


def test_another_organizations_curator_gets_404(tenant_a: Any, tenant_b: Any) -> None:
    pairs = _pairs(tenant_a, 1)
    job, _download = order_print(login(tenant_a.curator), pairs[0].program_id, ORDER)
    for name in ("documents:job", "documents:job_status", "documents:job_download"):
        assert login(tenant_b.curator).get(reverse(name, args=[job.pk])).status_code == 404


def test_a_pair_ended_before_the_worker_runs_is_not_fixed(tenant_a: Any) -> None:
    kept, ended = _pairs(tenant_a)
    client = login(tenant_a.curator)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(reverse("mentorships:order", kwargs={"program_id": kept.program_id}), ORDER)
    job = DocumentJob.objects.get()
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=ended, status=MentorshipStatus.COMPLETED, reason="итог"
    )
    pairs_order_execute(job_id=job.pk)
    job.refresh_from_db()
    kept.refresh_from_db()
    ended.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (kept.order_number, ended.order_number) == ("17-н", "")


def test_nothing_left_to_fix_fails_the_job_with_the_reason(tenant_a: Any) -> None:
    (pair,) = _pairs(tenant_a, 1)
    client = login(tenant_a.curator)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(reverse("mentorships:order", kwargs={"program_id": pair.program_id}), ORDER)
    job = DocumentJob.objects.get()
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status=MentorshipStatus.COMPLETED, reason="итог"
    )
    pairs_order_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "хотя бы одну пару" in job.error
    assert not IssuedDocument.objects.exists()
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    # «Generate again» leads back to the order page.
    assert reverse("mentorships:order", kwargs={"program_id": pair.program_id}) in page
    assert pairs_order_execute(job_id=job.pk) is None  # never run twice


def test_a_mentor_cannot_queue_the_order(tenant_a: Any) -> None:
    (pair,) = _pairs(tenant_a, 1)
    response = login(tenant_a.mentor).post(
        reverse("mentorships:order", kwargs={"program_id": pair.program_id}), ORDER
    )
    assert response.status_code in (403, 404)
    assert not DocumentJob.objects.exists()


def test_a_worker_killed_while_recording_leaves_nothing_written(
    tenant_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nastavnik.mentorships import orders

    (pair,) = _pairs(tenant_a, 1)
    client = login(tenant_a.curator)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(reverse("mentorships:order", kwargs={"program_id": pair.program_id}), ORDER)
    job = DocumentJob.objects.get()

    def die(**kwargs: object) -> int:
        raise SystemExit("killed")  # not an Exception: nothing in the job catches it

    monkeypatch.setattr(orders, "mentorship_set_order", die)
    with pytest.raises(SystemExit):
        pairs_order_execute(job_id=job.pk)
    job.refresh_from_db()
    pair.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # its lease will lapse: shown as interrupted
    assert not job.result_file
    assert pair.order_number == ""
    assert not IssuedDocument.objects.exists()
