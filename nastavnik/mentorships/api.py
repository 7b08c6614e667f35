"""Read endpoints for integrators: a program's pairs and groups (scoped)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nastavnik.core.api import created, foreign_value, paginated
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipStatus
from nastavnik.mentorships.selectors import mentorship_get, program_mentorships, staff_program_get
from nastavnik.mentorships.services import mentorship_create, mentorship_set_status
from nastavnik.programs.models import Enrolment, Program
from nastavnik.programs.selectors import enrolment_get

router = Router(tags=["mentorships"])


class MentorshipOut(Schema):
    id: int
    program_id: int
    number: int
    status: str
    is_group: bool
    model_id: int | None
    variant_id: int | None
    started_on: dt.date | None
    ended_on: dt.date | None
    end_cause: str
    order_number: str
    order_date: dt.date | None
    score: float | None
    mentor_person_ids: list[int]
    mentee_person_ids: list[int]

    @staticmethod
    def resolve_mentor_person_ids(obj: Mentorship) -> list[int]:
        return [m.person_id for m in obj.members.all() if m.role == MemberRole.MENTOR]

    @staticmethod
    def resolve_mentee_person_ids(obj: Mentorship) -> list[int]:
        return [m.person_id for m in obj.members.all() if m.role == MemberRole.MENTEE]


class MentorshipIn(Schema):
    """A pair (one mentor, one mentee) or a group formed by hand by a curator, from the
    enrolments of the program's bases."""

    program_id: int
    mentor_enrolment_ids: list[int] = Field(min_length=1, max_length=5)
    mentee_enrolment_ids: list[int] = Field(min_length=1, max_length=40)


class StatusIn(Schema):
    """Pause, resume, complete or dissolve (a reason is required to dissolve)."""

    status: MentorshipStatus
    reason: str = Field("", max_length=1000)


def _enrolments(request: HttpRequest, program: Program, ids: list[int]) -> list[Enrolment]:
    found = [enrolment_get(user=request.user, enrolment_id=i) for i in dict.fromkeys(ids)]
    if any(e.program_id != program.pk for e in found):
        raise foreign_value("mentee_enrolment_ids")
    return found


@router.post("", response={201: MentorshipOut})
@created(MentorshipOut)
def create_mentorship(request: HttpRequest, payload: MentorshipIn) -> object:
    """Form a pair or a group (capacity, consents and free mentees are checked under a lock)."""
    program = staff_program_get(user=request.user, program_id=payload.program_id)
    made = mentorship_create(
        actor=request.user,
        program=program,
        mentors=_enrolments(request, program, payload.mentor_enrolment_ids),
        mentees=_enrolments(request, program, payload.mentee_enrolment_ids),
    )
    return mentorship_get(user=request.user, mentorship_id=made.pk)


@router.get("/programs/{program_id}", response=list[MentorshipOut])
@paginated
def list_mentorships(request: HttpRequest, program_id: int, status: str = "") -> object:
    program = staff_program_get(user=request.user, program_id=program_id)
    return program_mentorships(user=request.user, program=program, status=status)


@router.get("/{mentorship_id}", response=MentorshipOut)
def get_mentorship(request: HttpRequest, mentorship_id: int) -> object:
    return mentorship_get(user=request.user, mentorship_id=mentorship_id)


@router.patch("/{mentorship_id}", response=MentorshipOut)
def set_mentorship_status(request: HttpRequest, mentorship_id: int, payload: StatusIn) -> object:
    """Change the status of a pair or group (a curator)."""
    mentorship = mentorship_get(user=request.user, mentorship_id=mentorship_id)
    mentorship_set_status(
        actor=request.user, mentorship=mentorship, status=payload.status, reason=payload.reason
    )
    return mentorship_get(user=request.user, mentorship_id=mentorship_id)
