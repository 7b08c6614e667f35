"""Read endpoints for integrators: a program's pairs and groups (scoped)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import paginated
from nastavnik.mentorships.models import MemberRole, Mentorship
from nastavnik.mentorships.selectors import mentorship_get, program_mentorships, staff_program_get

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


@router.get("/programs/{program_id}", response=list[MentorshipOut])
@paginated
def list_mentorships(request: HttpRequest, program_id: int, status: str = "") -> object:
    program = staff_program_get(user=request.user, program_id=program_id)
    return program_mentorships(user=request.user, program=program, status=status)


@router.get("/{mentorship_id}", response=MentorshipOut)
def get_mentorship(request: HttpRequest, mentorship_id: int) -> object:
    return mentorship_get(user=request.user, mentorship_id=mentorship_id)
