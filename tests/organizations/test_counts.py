"""The organization page counts people, not enrolments (issue 17, «Counts that are true»)."""

from __future__ import annotations

from typing import Any

import pytest

from nastavnik.organizations.selectors import academic_year_current
from nastavnik.programs.counts import organization_counts
from nastavnik.programs.models import EnrolmentStatus
from tests.conftest import Tenant, login
from tests.factories import EnrolmentFactory, ProgramFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def _two_programs(tenant: Tenant) -> None:
    year = academic_year_current(organization=tenant.organization)
    if year.pk is None:
        year.save()
    first: Any = ProgramFactory(organization=tenant.organization, academic_year=year)
    second: Any = ProgramFactory(organization=tenant.organization, academic_year=year)
    for program in (first, second):
        # The same teacher and the same pupil are in both programs.
        EnrolmentFactory(program=program, person=tenant.mentor_person, role="mentor")
        EnrolmentFactory(program=program, person=tenant.mentee_person, role="mentee")
    withdrawn = TeacherFactory(organization=tenant.organization)
    EnrolmentFactory(
        program=first, person=withdrawn, role="mentor", status=EnrolmentStatus.WITHDRAWN
    )


def test_a_person_in_two_programs_is_counted_once(tenant_a: Tenant) -> None:
    _two_programs(tenant_a)
    counts = organization_counts(user=tenant_a.curator, organization=tenant_a.organization)
    # mentor_person, the withdrawn teacher; mentee_person and the pupil without a login
    assert (counts.people, counts.teachers, counts.pupils, counts.others) == (4, 2, 2, 0)
    assert counts.programs == 2
    assert (counts.mentors, counts.mentees) == (1, 1)


def test_the_organization_page_shows_pupils_and_teachers_apart(tenant_a: Tenant) -> None:
    _two_programs(tenant_a)
    body = login(tenant_a.curator).get(f"/organizations/{tenant_a.organization.pk}/")
    text = body.content.decode()
    assert "<b>2</b>обучающихся" in text.replace("\n", "")
    assert "<b>2</b>педагогов" in text.replace("\n", "")
    assert "<b>1</b>человек в базе наставников" in text.replace("\n", "")
