"""The bulk variant of enrolment_upsert (used by imports) keeps its rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.programs.bulk import EnrolmentWrite, enrolments_bulk_upsert
from nastavnik.programs.models import Enrolment, EnrolmentStatus
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory, consents_grant

TODAY = dt.date(2026, 10, 1)


def test_creates_and_reactivates_with_the_rules(tenant_a: Tenant) -> None:
    program = ProgramFactory(organization=tenant_a.organization)
    teacher: Any = TeacherFactory(organization=tenant_a.organization)
    for person in (teacher, tenant_a.student):
        consents_grant(person)
    writes = [
        EnrolmentWrite(program=program, person_id=teacher.pk, role="mentor", capacity=3),
        EnrolmentWrite(program=program, person_id=tenant_a.student.pk, role="mentee", capacity=5),
    ]
    assert enrolments_bulk_upsert(actor=tenant_a.curator, writes=writes, today=TODAY) == 2
    mentor = Enrolment.objects.get(person=teacher)
    mentee = Enrolment.objects.get(person=tenant_a.student)
    assert (mentor.capacity, mentee.capacity) == (3, 1)  # a capacity is only for mentors
    Enrolment.objects.filter(pk=mentee.pk).update(status=EnrolmentStatus.WITHDRAWN)
    assert enrolments_bulk_upsert(actor=tenant_a.curator, writes=writes, today=TODAY) == 1
    mentee.refresh_from_db()
    assert mentee.status == EnrolmentStatus.CANDIDATE
    assert enrolments_bulk_upsert(actor=tenant_a.curator, writes=writes, today=TODAY) == 0


def test_refuses_what_enrolment_upsert_refuses(tenant_a: Tenant, tenant_b: Tenant) -> None:
    program = ProgramFactory(organization=tenant_a.organization)
    student = tenant_a.student
    with pytest.raises(ValidationError):  # no consent
        enrolments_bulk_upsert(
            actor=tenant_a.curator,
            writes=[EnrolmentWrite(program=program, person_id=student.pk, role="mentee")],
            today=TODAY,
        )
    consents_grant(student)
    with pytest.raises(ValidationError):  # a pupil is no mentor in «учитель – ученик»
        enrolments_bulk_upsert(
            actor=tenant_a.curator,
            writes=[EnrolmentWrite(program=program, person_id=student.pk, role="mentor")],
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        enrolments_bulk_upsert(
            actor=tenant_b.curator,
            writes=[EnrolmentWrite(program=program, person_id=student.pk, role="mentee")],
            today=TODAY,
        )
    assert not Enrolment.objects.exists()
