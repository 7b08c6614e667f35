"""Self-matching: a mentee sees suggestions, asks a mentor; the mentor accepts or declines;
requests expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nastavnik.matching import selectors, services
from nastavnik.matching.models import MentorRequest, RequestStatus
from nastavnik.matching.suggestions import suggestions_for
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.selectors import mentor_load
from tests.conftest import login
from tests.matching.factories import enrol, matching_program, mentee, mentor, profile

pytestmark = pytest.mark.django_db


def _setup(tenant: Any, capacity: int = 1) -> tuple[Any, Any, Any]:
    """The tenant's mentee (with a login) and mentor (with a login) in one program."""
    program = matching_program(tenant.organization)
    profile(tenant.mentor_person, interests="шахматы", competencies={"mathematics": 3})
    profile(tenant.mentee_person, interests="шахматы", deficits=["mathematics"])
    teacher = enrol(program, tenant.mentor_person, "mentor", capacity=capacity)
    pupil = enrol(program, tenant.mentee_person, "mentee")
    return program, teacher, pupil


def test_a_mentee_sees_suggestions_with_reasons(tenant_a: Any) -> None:
    _setup(tenant_a)
    page = login(tenant_a.mentee).get(reverse("matching:suggestions"))
    text = page.content.decode()
    assert tenant_a.mentor_person.full_name in text
    assert "Закрывает дефицит: математика" in text


def test_suggestions_leave_out_mentors_without_places(tenant_a: Any) -> None:
    _program, _teacher, pupil = _setup(tenant_a, capacity=0)
    assert suggestions_for(enrolment=pupil) == []


def test_a_request_is_sent_from_the_page(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    login(tenant_a.mentee).post(
        reverse("matching:requests"), {"mentee": pupil.pk, "mentor": teacher.pk, "message": "Hi"}
    )
    request = MentorRequest.objects.get()
    assert (request.mentor_id, request.status) == (teacher.pk, RequestStatus.PENDING)


def test_the_mentor_accepts_and_a_pair_is_formed(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    response = login(tenant_a.mentor).post(
        reverse("matching:request_accept", kwargs={"request_id": request.pk})
    )
    mentorship = Mentorship.objects.get(source_request=request)
    assert response.headers["Location"] == reverse(
        "mentorships:detail", kwargs={"mentorship_id": mentorship.pk}
    )
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}


def test_the_mentor_declines(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    login(tenant_a.mentor).post(
        reverse("matching:request_decline", kwargs={"request_id": request.pk}),
        {"reason": "нет времени"},
    )
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (RequestStatus.DECLINED, "нет времени")


def test_only_the_mentor_answers(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    with pytest.raises(PermissionDenied):
        services.request_accept(actor=tenant_a.mentee, request=request)


def test_one_pending_request_at_a_time(tenant_a: Any) -> None:
    program, teacher, pupil = _setup(tenant_a)
    other = mentor(program, interests="шахматы")
    services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    with pytest.raises(ValidationError):
        services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=other)


def test_accepting_respects_capacity(tenant_a: Any) -> None:
    program, teacher, pupil = _setup(tenant_a, capacity=1)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    from nastavnik.mentorships.services import mentorship_create

    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[mentee(program)]
    )
    with pytest.raises(ValidationError, match="нет свободных мест"):
        services.request_accept(actor=tenant_a.mentor, request=request)
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}


def test_an_old_request_reads_as_expired_before_the_worker_marks_it(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    MentorRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert selectors.incoming_requests(user=tenant_a.mentor) == []
    (shown,) = selectors.outgoing_requests(user=tenant_a.mentee)
    assert shown.status == RequestStatus.EXPIRED
    assert selectors.request_get(user=tenant_a.mentee, request_id=request.pk).status == "expired"
    # Reading writes nothing: marking is the worker's service.
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert services.requests_expire() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED


def test_an_expired_request_cannot_be_accepted(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    MentorRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.request_accept(actor=tenant_a.mentor, request=request)


def test_the_command_expires_requests(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    MentorRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    call_command("expire_mentor_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert MentorRequest.objects.get(pk=request.pk).status == RequestStatus.EXPIRED


def test_requests_expire_after_the_set_number_of_days(tenant_a: Any, settings: Any) -> None:
    settings.NASTAVNIK_MENTOR_REQUEST_DAYS = 3
    _program, teacher, pupil = _setup(tenant_a)
    request = services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    assert round((request.expires_at - request.created_at).total_seconds() / 86400) == 3


def test_the_mentor_sees_the_request_on_my_page(tenant_a: Any) -> None:
    _program, teacher, pupil = _setup(tenant_a)
    services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    page = login(tenant_a.mentor).get(reverse("mentorships:my"))
    assert tenant_a.mentee_person.full_name in page.content.decode()


def test_the_curator_sees_the_programs_requests(tenant_a: Any) -> None:
    program, teacher, pupil = _setup(tenant_a)
    services.request_create(actor=tenant_a.mentee, mentee=pupil, mentor=teacher)
    page = login(tenant_a.curator).get(
        reverse("matching:program", kwargs={"program_id": program.pk})
    )
    assert "ждёт ответа наставника" in page.content.decode()
