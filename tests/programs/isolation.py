"""Object makers for the programs' URLs (see tests/isolation.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nastavnik.programs.forms import (
    ContourTaskForm,
    EnrolmentForm,
    PartnerForm,
    ProgramForm,
    RoadmapItemForm,
)
from nastavnik.programs.models import (
    ContourArea,
    ContourTask,
    Enrolment,
    OutputKind,
    Partner,
    Program,
    RoadmapItem,
    StageTask,
    Tandem,
    TandemMember,
    TandemNote,
    TaskStatus,
    TrainingSession,
    Variant,
)
from nastavnik.programs.services import checklist_ensure
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory, consents_grant
from tests.isolation import Maker, PostBody, form_data


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
    # Two other teachers: the victim's mentor is no member, so they must not open it either
    # (the members themselves do).
    for _ in range(2):
        person = TeacherFactory.create(organization=tenant.organization)
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


# --- POST bodies: what the victim's curator would send (see tests/isolation.py) ----------------


def _body_program_edit(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    program = Program.objects.get(pk=values["program_id"])
    form = ProgramForm(
        instance=program,
        organization=program.organization,
        initial={"support_kinds": program.support_kinds},
    )
    return form_data(form, title="Изменённая программа")


def _body_base_add(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    person = TeacherFactory.create(organization=victim.organization, last_name="Новикова")
    consents_grant(person)
    return {"role": "mentor", "mentor-person": person.pk, "mentor-capacity": "1"}


def _body_enrolment_edit(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    enrolment = Enrolment.objects.get(pk=values["enrolment_id"])
    form = EnrolmentForm(instance=enrolment, variants=Variant.objects.none())
    return form_data(form, notes="Изменено")


def _body_roadmap_add(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Новый пункт", "due_on": "2026-10-01", "status": TaskStatus.PLANNED}


def _body_roadmap_item(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    form = RoadmapItemForm(instance=RoadmapItem.objects.get(pk=values["roadmap_item_id"]))
    return form_data(form, title="Изменённый пункт")


def _body_contour_task(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    form = ContourTaskForm(instance=ContourTask.objects.get(pk=values["contour_task_id"]))
    return form_data(form, title="Изменённая задача")


def _body_partner(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    form = PartnerForm(instance=Partner.objects.get(pk=values["partner_id"]))
    return form_data(form, name="Изменённый партнёр")


def _body_trained(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    # Only a mentor is trained: the victim's enrolment becomes a mentor's before the check.
    Enrolment.objects.filter(pk=values["enrolment_id"]).update(
        role="mentor", person=victim.mentor_person
    )
    return {"trained": "1"}


def _body_training_add(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Новое занятие", "held_on": "2026-10-01"}


def _body_training_session(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    session = TrainingSession.objects.get(pk=values["training_session_id"])
    mentor = Enrolment.objects.create(
        organization=victim.organization,
        program=session.program,
        person=victim.mentor_person,
        role="mentor",
    )
    return {"attended": [mentor.pk]}


def _body_tandem_add(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    first = TeacherFactory.create(organization=victim.organization)
    second = TeacherFactory.create(organization=victim.organization)
    return {"name": "Новый тандем", "members": [first.pk, second.pk]}


def _body_tandem(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "what": "note",
        "note-kind": TandemNote.Kind.values[0],
        "note-held_on": "2026-10-01",
        "note-text": "Запись о встрече",
    }


POST_BODIES: dict[str, PostBody] = {
    "programs:edit": _body_program_edit,
    "programs:stage_advance": lambda victim, values: {"confirm": "1"},
    "programs:stage_task_add": lambda victim, values: {
        "stage": "1",
        "title": "Новый пункт",
        "kind": OutputKind.values[0],
    },
    "programs:stage_task_toggle": lambda victim, values: {"done": "1", "note": "Сделано"},
    "programs:base": _body_base_add,
    "programs:enrolment_edit": _body_enrolment_edit,
    "programs:enrolment_trained": _body_trained,
    "programs:roadmap": _body_roadmap_add,
    "programs:roadmap_item": _body_roadmap_item,
    "programs:contours": lambda victim, values: {
        "what": "task",
        "task-area": ContourArea.ORGANIZATION,
        "task-title": "Новая задача",
        "task-status": TaskStatus.PLANNED,
    },
    "programs:contour_task": _body_contour_task,
    "programs:partner": _body_partner,
    "programs:training": _body_training_add,
    "programs:training_session": _body_training_session,
    "programs:tandems": _body_tandem_add,
    "programs:tandem": _body_tandem,
}

# Pages, downloads and the public pages; «back» moves the stage with no field.
NO_FORM: set[str] = {
    "programs:base_choices",
    "programs:detail",
    "programs:stages",
    "programs:stage_back",
    "programs:roadmap_export",
    "programs:roadmap_calendar",
    "programs:public",
    "programs:public_index",
    "api:get_program",
    "api:get_stages",
    "api:get_roadmap",
}
