"""Object makers for the programs' URLs (see tests/isolation.py)."""

from __future__ import annotations

import datetime as dt

from nastavnik.programs.models import (
    ContourArea,
    ContourTask,
    Enrolment,
    Partner,
    Program,
    RoadmapItem,
    StageTask,
    Tandem,
    TandemMember,
    TrainingSession,
)
from nastavnik.programs.services import checklist_ensure
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory
from tests.isolation import Maker


def _program(tenant: Tenant) -> Program:
    program = ProgramFactory.create(organization=tenant.organization, goals="Цели программы")
    checklist_ensure(program=program)
    return program


def _program_id(tenant: Tenant) -> object:
    return _program(tenant).pk


def _stage_task(tenant: Tenant) -> object:
    return StageTask.objects.filter(program=_program(tenant)).first().pk  # type: ignore[union-attr]


def _enrolment(tenant: Tenant) -> object:
    program = _program(tenant)
    return Enrolment.objects.create(
        organization=tenant.organization, program=program, person=tenant.student, role="mentee"
    ).pk


def _roadmap_item(tenant: Tenant) -> object:
    program = _program(tenant)
    return RoadmapItem.objects.create(
        organization=tenant.organization,
        program=program,
        title="Пункт",
        due_on=dt.date(2026, 10, 1),
    ).pk


def _contour_task(tenant: Tenant) -> object:
    program = _program(tenant)
    return ContourTask.objects.create(
        organization=tenant.organization,
        program=program,
        area=ContourArea.ORGANIZATION,
        title="Задача",
    ).pk


def _partner(tenant: Tenant) -> object:
    return Partner.objects.create(
        organization=tenant.organization, program=_program(tenant), name="Партнёр"
    ).pk


def _training_session(tenant: Tenant) -> object:
    return TrainingSession.objects.create(
        organization=tenant.organization,
        program=_program(tenant),
        title="Занятие",
        held_on=dt.date(2026, 10, 1),
    ).pk


def _tandem(tenant: Tenant) -> object:
    tandem = Tandem.objects.create(
        organization=tenant.organization, program=_program(tenant), name="Тандем"
    )
    for person in (tenant.mentor_person, TeacherFactory.create(organization=tenant.organization)):
        TandemMember.objects.create(organization=tenant.organization, tandem=tandem, person=person)
    return tandem.pk


OBJECT_MAKERS: dict[str, Maker] = {
    # A mentor of the organization may open the program's card (no personal data on it).
    "program_id": Maker(_program_id, mentor_may_see=True),
    "stage_task_id": Maker(_stage_task),
    "enrolment_id": Maker(_enrolment),
    "roadmap_item_id": Maker(_roadmap_item),
    "contour_task_id": Maker(_contour_task),
    "partner_id": Maker(_partner),
    "training_session_id": Maker(_training_session),
    "tandem_id": Maker(_tandem),
}

PUBLIC_URL_NAMES: set[str] = {"programs:public", "programs:public_index"}
