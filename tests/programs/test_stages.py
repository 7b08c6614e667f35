"""The seven stages: checklists, the data checks and the guards before the next stage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nastavnik.consents.models import Consent
from nastavnik.core.models import AuditEntry
from nastavnik.documents.models import DocumentKind, IssuedDocument
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.services import (
    mentorship_create,
    mentorship_set_order,
    mentorship_set_status,
)
from nastavnik.programs import services
from nastavnik.programs.models import Enrolment, Program, RoadmapItem, Stage, StageTask
from nastavnik.programs.selectors import stage_overview
from nastavnik.programs.stages import CHECKLISTS, missing_for, warnings_for_entering
from tests.conftest import Tenant
from tests.factories import PersonFactory, TeacherFactory
from tests.matching.factories import mentee, mentor
from tests.programs.conftest import give_consent

pytestmark = pytest.mark.django_db


def _tick_stage(program: Program, stage: int, actor: object) -> None:
    for task in StageTask.objects.filter(program=program, stage=stage):
        services.stage_task_set_done(actor=actor, task=task, done=True)


def _enrol(tenant: Tenant, program: Program, role: str, *, trained: bool = False) -> Enrolment:
    factory = TeacherFactory if role == "mentor" else PersonFactory
    person = factory(organization=tenant.organization)
    give_consent(tenant.curator, person)
    enrolment, _ = services.enrolment_upsert(
        actor=tenant.curator, program=program, person=person, role=role
    )
    if trained:
        services.enrolment_mark_trained(actor=tenant.curator, enrolment=enrolment)
    return enrolment


def test_every_stage_has_a_checklist(program: Program) -> None:
    stages = {task.stage for task in StageTask.objects.filter(program=program)}
    assert stages == set(Stage.values)


def test_the_checklist_is_created_once(program: Program) -> None:
    services.checklist_ensure(program=program)
    assert StageTask.objects.filter(program=program).count() == len(CHECKLISTS)


def test_a_ticked_item_records_who_and_when(tenant_a: Tenant, program: Program) -> None:
    task = StageTask.objects.filter(program=program, code="regulation").get()
    services.stage_task_set_done(actor=tenant_a.curator, task=task, done=True)
    task.refresh_from_db()
    assert (task.done_by, task.done_at is not None) == (tenant_a.curator, True)


def test_moving_on_with_an_unfinished_stage_warns_and_stays(
    tenant_a: Tenant, program: Program
) -> None:
    with pytest.raises(services.StageWarnings) as caught:
        services.program_stage_advance(actor=tenant_a.curator, program=program)
    program.refresh_from_db()
    assert program.stage == Stage.PREPARATION
    assert any("Положение о наставничестве" in w for w in caught.value.warnings)


def test_the_warning_names_the_missing_roadmap(tenant_a: Tenant, program: Program) -> None:
    warnings = warnings_for_entering(program, Stage.MENTEE_BASE)
    assert any("дорожная карта" in w.lower() for w in warnings)


def test_a_finished_stage_moves_on_without_warnings(tenant_a: Tenant, program: Program) -> None:
    program.goals, program.tasks = "Цель", "Задачи"
    program.save()
    RoadmapItem.objects.create(
        organization=program.organization,
        program=program,
        title="Старт",
        due_on=dt.date(2026, 9, 30),
    )
    _tick_stage(program, Stage.PREPARATION, tenant_a.curator)
    warnings = services.program_stage_advance(actor=tenant_a.curator, program=program)
    program.refresh_from_db()
    assert (warnings, program.stage) == ([], Stage.MENTEE_BASE)


def test_a_confirmed_move_goes_on_and_keeps_the_warnings_in_the_audit(
    tenant_a: Tenant, program: Program
) -> None:
    warnings = services.program_stage_advance(actor=tenant_a.curator, program=program, confirm=True)
    entry = AuditEntry.objects.filter(action="program.stage").latest("id")
    assert (program.stage, entry.data["warnings"]) == (Stage.MENTEE_BASE, warnings)


def test_a_data_checked_item_follows_the_base(tenant_a: Tenant, program: Program) -> None:
    def mentee_base_done() -> bool:
        stage = stage_overview(program=program)[Stage.MENTEE_BASE - 1]
        return next(i["done"] for i in stage["items"] if i["task"].code == "mentee-base")

    before = mentee_base_done()
    _enrol(tenant_a, program, "mentee")
    assert (before, mentee_base_done()) == (False, True)


def test_forming_pairs_with_untrained_mentors_warns_with_their_names(
    tenant_a: Tenant, program: Program
) -> None:
    untrained = _enrol(tenant_a, program, "mentor")
    _enrol(tenant_a, program, "mentor", trained=True)
    _enrol(tenant_a, program, "mentee")
    warnings = warnings_for_entering(program, Stage.MATCHING)
    untrained_warnings = [w for w in warnings if "без обучения" in w]
    assert untrained_warnings == [f"Наставники без обучения: {untrained.person.full_name}."]


def test_forming_pairs_with_a_withdrawn_consent_warns(tenant_a: Tenant, program: Program) -> None:
    mentee = _enrol(tenant_a, program, "mentee")
    Consent.objects.filter(person=mentee.person).update(withdrawn_on=timezone.localdate())
    warnings = warnings_for_entering(program, Stage.MATCHING)
    assert f"Без действующего согласия: {mentee.person.full_name}." in warnings


def test_forming_pairs_with_empty_bases_warns(program: Program) -> None:
    warnings = warnings_for_entering(program, Stage.MATCHING)
    assert {"База наставляемых пуста.", "База наставников пуста."} <= set(warnings)


def test_the_earlier_stages_do_not_ask_about_training(tenant_a: Tenant, program: Program) -> None:
    _enrol(tenant_a, program, "mentor")
    warnings = warnings_for_entering(program, Stage.MENTOR_BASE)
    assert not [w for w in warnings if "без обучения" in w]


def test_the_last_stage_has_no_next(tenant_a: Tenant, program: Program) -> None:
    program.stage = Stage.COMPLETION
    program.save()
    with pytest.raises(ValidationError):
        services.program_stage_advance(actor=tenant_a.curator, program=program, confirm=True)


def test_a_mentor_cannot_move_the_program(tenant_a: Tenant, program: Program) -> None:
    with pytest.raises(PermissionDenied):
        services.program_stage_advance(actor=tenant_a.mentor, program=program, confirm=True)


def test_the_curator_can_step_back(tenant_a: Tenant, program: Program) -> None:
    services.program_stage_advance(actor=tenant_a.curator, program=program, confirm=True)
    services.program_stage_back(actor=tenant_a.curator, program=program)
    program.refresh_from_db()
    assert program.stage == Stage.PREPARATION


def test_marking_a_mentee_trained_is_refused(tenant_a: Tenant, program: Program) -> None:
    mentee = _enrol(tenant_a, program, "mentee")
    with pytest.raises(ValidationError):
        services.enrolment_mark_trained(actor=tenant_a.curator, enrolment=mentee)


def test_a_trained_mentor_has_the_status_and_the_date(tenant_a: Tenant, program: Program) -> None:
    mentor = _enrol(tenant_a, program, "mentor", trained=True)
    mentor.refresh_from_db()
    assert (mentor.status, mentor.trained_on) == ("trained", timezone.localdate())


def test_a_running_program_ticks_its_earlier_stages_at_once(
    tenant_a: Tenant, program: Program
) -> None:
    ticked = services.stage_tasks_complete_before(
        actor=tenant_a.curator, program=program, stage=Stage.MENTOR_BASE
    )
    open_before = StageTask.objects.filter(
        program=program, stage__lt=Stage.MENTOR_BASE, done_at=None
    ).count()
    expected = len([i for i in CHECKLISTS if i.stage < Stage.MENTOR_BASE])
    assert (ticked, open_before) == (expected, 0)


# --- Items the system's own data answers (issue 16, item 10) -------------------------------------


def _row(program: Program, code: str) -> dict[str, object]:
    for stage in stage_overview(program=program):
        for row in stage["items"]:
            if row["task"].code == code:
                return row
    raise AssertionError(code)


def _pair(tenant: Tenant, program: Program) -> Mentorship:
    return mentorship_create(
        actor=tenant.curator,
        program=program,
        mentors=[mentor(program)],
        mentees=[mentee(program)],
    )


def test_pairs_are_formed_when_the_program_has_active_mentorships(
    tenant_a: Tenant, program: Program
) -> None:
    assert _row(program, "pairs-formed")["done"] is False
    _pair(tenant_a, program)
    row = _row(program, "pairs-formed")
    assert row["done"] is True
    assert row["auto"] is True
    assert not any("сформированы" in w for w in missing_for(program, Stage.MATCHING))


def test_a_dissolved_pair_does_not_count_as_formed(tenant_a: Tenant, program: Program) -> None:
    pair = _pair(tenant_a, program)
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status=MentorshipStatus.DISSOLVED, reason="ошибка"
    )
    assert _row(program, "pairs-formed")["done"] is False


def test_the_order_for_pairs_is_signed_when_the_register_has_it(
    tenant_a: Tenant, program: Program
) -> None:
    _pair(tenant_a, program)
    assert _row(program, "pairs-order")["done"] is False
    IssuedDocument.objects.create(
        organization=program.organization,
        program=program,
        kind=DocumentKind.PAIRS_ORDER,
        number="15-о",
        signed_on=dt.date(2026, 10, 1),
        title="Приказ",
    )
    assert _row(program, "pairs-order") == {
        "task": StageTask.objects.get(program=program, code="pairs-order"),
        "auto": True,
        "done": True,
    }


def test_the_order_number_recorded_on_the_pairs_signs_the_item(
    tenant_a: Tenant, program: Program
) -> None:
    pair = _pair(tenant_a, program)
    mentorship_set_order(
        actor=tenant_a.curator,
        program=program,
        number="15-о",
        date=dt.date(2026, 10, 1),
        mentorship_ids=[pair.pk],
    )
    assert _row(program, "pairs-order")["done"] is True


def test_an_order_signed_on_paper_is_ticked_by_hand(tenant_a: Tenant, program: Program) -> None:
    task = StageTask.objects.get(program=program, code="implementation-order")
    row = _row(program, "implementation-order")
    assert row == {"task": task, "auto": False, "done": False}
    services.stage_task_set_done(actor=tenant_a.curator, task=task, done=True)
    assert _row(program, "implementation-order")["done"] is True
    # Formed pairs are never ticked by hand: only the data answers them.
    formed = StageTask.objects.get(program=program, code="pairs-formed")
    services.stage_task_set_done(actor=tenant_a.curator, task=formed, done=True)
    assert _row(program, "pairs-formed")["done"] is False


def test_the_implementation_order_in_the_register_ticks_the_item(
    tenant_a: Tenant, program: Program
) -> None:
    IssuedDocument.objects.create(
        organization=program.organization,
        program=program,
        kind=DocumentKind.IMPLEMENTATION_ORDER,
        number="3",
        signed_on=dt.date(2026, 9, 1),
        title="Приказ",
    )
    assert _row(program, "implementation-order")["done"] is True
