"""Object makers for the mentorships' URLs (see tests/isolation.py)."""

from __future__ import annotations

from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
from nastavnik.programs.models import Enrolment
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory
from tests.isolation import Maker


def _mentorship_id(tenant: Tenant) -> object:
    """A pair of the victim's pupil with a teacher other than the victim's mentor."""
    program = ProgramFactory(organization=tenant.organization)
    mentorship = Mentorship.objects.create(
        organization=tenant.organization, program=program, status="active"
    )
    teacher = TeacherFactory(organization=tenant.organization)
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
