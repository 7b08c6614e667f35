"""Group mentoring: groups on shared deficits, reviewed and published as group mentorships."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nastavnik.matching import services
from nastavnik.matching.models import RunStatus
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.programs.models import MentoringModel
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _program(tenant: Any, capacity: int = 10) -> tuple[Any, Any]:
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    teacher = mentor(program, capacity=capacity, competencies={"formative-assessment": 3})
    for _ in range(4):
        mentee(program, deficits=["formative-assessment"])
    mentee(program, deficits=[])
    return program, teacher


def _groups_run(tenant: Any, program: Any) -> Any:
    return services.run_start(
        actor=tenant.curator,
        program=program,
        parameters={"kind": "groups", "min_size": 2, "max_size": 4},
    )


def test_a_group_is_formed_on_the_shared_deficit(tenant_a: Any) -> None:
    program, teacher = _program(tenant_a)
    run = _groups_run(tenant_a, program)
    keys = set(run.proposals.values_list("group_key", "mentor_id"))
    assert (run.status, keys) == (RunStatus.DONE, {(1, teacher.pk)})


def test_a_mentee_without_deficits_is_left_out_with_the_reason(tenant_a: Any) -> None:
    program, _teacher = _program(tenant_a)
    run = _groups_run(tenant_a, program)
    assert run.unmatched_by_reason == {"no_deficit": 1}


def test_accepting_a_group_accepts_every_member(tenant_a: Any) -> None:
    program, _teacher = _program(tenant_a)
    run = _groups_run(tenant_a, program)
    first = run.proposals.first()
    services.proposal_decide(actor=tenant_a.curator, proposal=first, state="accepted")
    assert set(run.proposals.values_list("state", flat=True)) == {"accepted"}


def test_a_published_group_is_one_group_mentorship(tenant_a: Any) -> None:
    program, teacher = _program(tenant_a)
    run = _groups_run(tenant_a, program)
    services.proposal_decide(
        actor=tenant_a.curator, proposal=run.proposals.first(), state="accepted"
    )
    (group,) = services.run_publish(actor=tenant_a.curator, run=run)
    model_code = group.model.code if group.model else ""
    assert (group.is_group, model_code, group.members.filter(role="mentee").count()) == (
        True,
        "group",
        4,
    )
    assert mentor_load([teacher.pk]) == {teacher.pk: 4}


def test_a_group_never_exceeds_the_mentors_capacity(tenant_a: Any) -> None:
    program, teacher = _program(tenant_a, capacity=3)
    run = _groups_run(tenant_a, program)
    assert run.proposals.filter(mentor=teacher).count() <= 3


def test_groups_need_a_group_model(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    with pytest.raises(ValidationError):
        services.run_start(actor=tenant_a.curator, program=program, parameters={"kind": "groups"})


def test_the_review_shows_the_group_and_its_deficit(tenant_a: Any) -> None:
    program, _teacher = _program(tenant_a)
    run = _groups_run(tenant_a, program)
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert "группа из 4 человек по дефициту: формирующее оценивание" in page.content.decode()


def test_the_curator_starts_groups_from_the_page(tenant_a: Any) -> None:
    program, _teacher = _program(tenant_a)
    login(tenant_a.curator).post(
        reverse("matching:program", kwargs={"program_id": program.pk}),
        {"kind": "groups", "min_size": "2", "max_size": "4", "prefer": "coverage"},
    )
    assert Mentorship.objects.count() == 0
    assert program.matching_runs.get().kind == "groups"
