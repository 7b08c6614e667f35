"""Object makers for the mentorships' URLs (see tests/isolation.py)."""

from __future__ import annotations

from typing import Any

from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember, MentorshipStatus
from nastavnik.programs.models import Enrolment, Program
from tests.conftest import Tenant
from tests.factories import PersonFactory, ProgramFactory, TeacherFactory, consents_grant
from tests.isolation import Maker, PostBody


def _mentorship_id(tenant: Tenant) -> object:
    """A pair of the victim's pupil with a teacher other than the victim's mentor."""
    return _pair_in(ProgramFactory(organization=tenant.organization), tenant)


def _pair_in(program: Program, tenant: Tenant) -> int:
    mentorship = Mentorship.objects.create(
        organization=tenant.organization, program=program, status="active"
    )
    teacher = TeacherFactory.create(organization=tenant.organization)
    for person, role in ((teacher, MemberRole.MENTOR), (tenant.student, MemberRole.MENTEE)):
        enrolment = Enrolment.objects.create(
            organization=tenant.organization, program=program, person=person, role=role
        )
        MentorshipMember.objects.create(
            organization=tenant.organization,
            mentorship=mentorship,
            enrolment=enrolment,
            person=person,
            role=role,
        )
    return mentorship.pk


OBJECT_MAKERS: dict[str, Maker] = {"mentorship_id": Maker(_mentorship_id)}


# --- POST bodies: what the victim's curator would send (see tests/isolation.py) ----------------


def _hand_pair(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """A mentor with a free place and a mentee without a pair, both with consents."""
    program = Program.objects.get(pk=values["program_id"])
    teacher = TeacherFactory.create(organization=victim.organization, last_name="Рукова")
    pupil = PersonFactory.create(organization=victim.organization, last_name="Ручкин")
    enrolments = {}
    for person, role in ((teacher, "mentor"), (pupil, "mentee")):
        consents_grant(person)
        enrolments[role] = Enrolment.objects.create(
            organization=victim.organization, program=program, person=person, role=role
        )
    return {"mentor": enrolments["mentor"].pk, "mentees": [enrolments["mentee"].pk]}


def _order(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """The order for the program's pairs not in an order yet (one pair of the program)."""
    program = Program.objects.get(pk=values["program_id"])
    _pair_in(program, victim)
    return {"number": "12", "signed_on": "2026-09-01", "fmt": "docx", "only_new": "on"}


def _complete(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """«Завершить пары»: an active pair of the program, with the one reason."""
    program = Program.objects.get(pk=values["program_id"])
    return {"ids": [_pair_in(program, victim)], "reason": "Программа завершена"}


POST_BODIES: dict[str, PostBody] = {
    "mentorships:complete": _complete,
    "mentorships:program": _hand_pair,
    "mentorships:order": _order,
    "mentorships:status": lambda victim, values: {
        "status": MentorshipStatus.PAUSED,
        "reason": "Болезнь наставника",
    },
}

NO_FORM: set[str] = {"mentorships:detail", "api:list_mentorships", "api:get_mentorship"}
