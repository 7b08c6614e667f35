"""Fixtures of the programs' tests: a program of tenant A and consents for enrolment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from nastavnik.consents.models import PROCESSING_PURPOSES, GivenBy
from nastavnik.consents.services import consent_record
from nastavnik.people.models import Person
from nastavnik.programs.models import Program
from nastavnik.programs.services import checklist_ensure
from tests.conftest import Tenant
from tests.factories import ProgramFactory


def give_consent(actor: Any, person: Person) -> None:
    """The signed consents enrolment requires (by a parent for a minor)."""
    today = timezone.localdate()
    minor = person.is_minor_on(today)
    for purpose in PROCESSING_PURPOSES:
        consent_record(
            actor=actor,
            person=person,
            purpose=purpose,
            given_on=today - dt.timedelta(days=1),
            given_by=GivenBy.PARENT if minor else GivenBy.PERSON,
            representative_name="Родителева Мария Ивановна" if minor else "",
        )


@pytest.fixture
def program(tenant_a: Tenant) -> Program:
    program = ProgramFactory.create(organization=tenant_a.organization, curator=tenant_a.curator)
    checklist_ensure(program=program)
    return program
