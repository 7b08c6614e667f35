"""Collective groups: mentees with different deficits together, a team of mentors that covers
them all — formed, explained, reviewed (moved, removed), locked and kept by a re-run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nastavnik.matching import services
from nastavnik.matching.explanations import summary
from nastavnik.matching.models import ProposalGroup, ProposalState, RunStatus
from nastavnik.matching.selectors import names_for
from nastavnik.people.models import Competency
from nastavnik.programs.models import MentoringModel
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _ids(*codes: str) -> list[int]:
    return [Competency.objects.get(code=code).pk for code in codes]


def _program(tenant: Any) -> Any:
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    return program


def _run(tenant: Any, program: Any, **parameters: Any) -> Any:
    run = services.run_start(
        actor=tenant.curator,
        program=program,
        parameters={
            "kind": "groups",
            "grouping": "collective",
            "min_size": 3,
            "max_size": 6,
            "team_size": 2,
            **parameters,
        },
    )
    assert run.status == RunStatus.DONE, run.error_message
    return run


def _members(group: ProposalGroup) -> set[int]:
    return set(group.members.values_list("mentee_id", flat=True))


def _team(group: ProposalGroup) -> list[int]:
    return list(group.team.order_by("position").values_list("mentor_id", flat=True))


def _covers(group: ProposalGroup) -> dict[int, list[int]]:
    (factor,) = group.factors
    assert factor["code"] == "group_collective"
    return {c["mentor"]: c["competencies"] for c in factor["details"]["covers"]}


@pytest.fixture
def school(tenant_a: Any) -> dict[str, Any]:
    """Two mentees need mathematics, two physics, one both; one needs only what nobody
    teaches. A mathematician and a physicist, ten places each."""
    program = _program(tenant_a)
    people = {
        "math": mentor(
            program, last_name="Алгебраева", capacity=10, competencies={"mathematics": 3}
        ),
        "physics": mentor(program, last_name="Оптиков", capacity=10, competencies={"physics": 2}),
        "m1": mentee(program, deficits=["mathematics"]),
        "m2": mentee(program, deficits=["mathematics"]),
        "p1": mentee(program, deficits=["physics"]),
        "p2": mentee(program, deficits=["physics"]),
        "both": mentee(program, deficits=["mathematics", "physics"]),
        "alone": mentee(program, deficits=["formative-assessment"]),
    }
    return {"program": program, **people}


def test_different_deficits_make_one_group_with_a_team_that_covers_them(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    run = _run(tenant_a, school["program"])
    (group,) = run.groups.all()
    assert _members(group) == {school[k].pk for k in ("m1", "m2", "p1", "p2", "both")}
    assert _team(group) == [school["math"].pk, school["physics"].pk]
    math, physics = _ids("mathematics", "physics")
    assert _covers(group) == {school["math"].pk: [math], school["physics"].pk: [physics]}
    assert (group.competency_id, group.shared) == (None, [])
    # Mathematics at 3 of 3 and physics at 2 of 3: (1 + 1 + 2/3 + 2/3 + 5/6) / 5.
    assert group.score == pytest.approx((2 + 4 / 3 + 5 / 6) / 5, abs=1e-6)
    assert run.unmatched_by_reason == {"no_candidate": 1}
    # Every member's proposal mirrors the group: the lead as its mentor, the same explanation.
    assert set(group.members.values_list("mentor_id", "score")) == {
        (school["math"].pk, group.score)
    }


def test_groups_on_a_shared_deficit_leave_out_whom_a_collective_group_takes(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    run = _run(tenant_a, school["program"], grouping="shared")
    (group,) = run.groups.all()
    assert len(_members(group)) == 3
    assert run.unmatched_by_reason == {"group_too_small": 2, "no_candidate": 1}


def test_the_explanation_says_what_the_team_covers_in_russian(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    run = _run(tenant_a, school["program"])
    (group,) = run.groups.all()
    text = summary(group.factors, names_for([group.factors]))
    assert text == "коллективная группа из 5 человек; команда закрывает: математика, физика"


def test_the_review_says_which_mentor_covers_which_deficit(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    run = _run(tenant_a, school["program"])
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    html = page.content.decode()
    assert "коллективная" in html
    assert "Дефициты, которые закрывает команда" in html
    assert "закрывает: Математика" in html
    assert "закрывает: Физика" in html
    assert "нет ни одного согласованного наставника" not in html


def test_an_unknown_grouping_is_refused_in_russian(tenant_a: Any, school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="Выберите, как составлять группы"):
        services.run_start(
            actor=tenant_a.curator,
            program=school["program"],
            parameters={"kind": "groups", "grouping": "by-height"},
        )


def test_the_curator_starts_collective_groups_from_the_page(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    program = school["program"]
    client = login(tenant_a.curator)
    client.post(
        reverse("matching:program", kwargs={"program_id": program.pk}),
        {
            "kind": "groups",
            "min_size": "3",
            "max_size": "6",
            "team_size": "2",
            "grouping": "collective",
        },
    )
    run = program.matching_runs.get()
    assert (run.kind, run.parameters["grouping"]) == ("groups", "collective")
    assert run.groups.count() == 1
    form = client.get(reverse("matching:program", kwargs={"program_id": program.pk}))
    assert '<option value="collective" selected>' in form.content.decode()


def test_a_rerun_keeps_a_locked_collective_group_whole(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    program = school["program"]
    run = _run(tenant_a, program)
    (group,) = run.groups.all()
    services.group_decide(actor=tenant_a.curator, group=group, state="locked")
    newcomers = {mentee(program, deficits=["physics"]).pk for _ in range(3)}
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert again.status == RunStatus.DONE, again.error_message
    kept = [g for g in again.groups.all() if _members(g) == _members(group)]
    assert len(kept) == 1
    assert (_team(kept[0]), kept[0].state) == (_team(group), ProposalState.LOCKED)
    assert _covers(kept[0]) == _covers(group)
    assert kept[0].score == pytest.approx(group.score)
    (other,) = again.groups.exclude(pk=kept[0].pk)
    assert (_members(other), _team(other)) == (newcomers, [school["physics"].pk])
    assert set(again.proposals.filter(group=kept[0]).values_list("state", flat=True)) == {"locked"}


def test_a_rerun_forms_anew_an_unlocked_collective_group(
    tenant_a: Any, school: dict[str, Any]
) -> None:
    program = school["program"]
    run = _run(tenant_a, program)
    (group,) = run.groups.all()
    services.group_decide(actor=tenant_a.curator, group=group, state="rejected")
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert not again.groups.filter(state=ProposalState.LOCKED).exists()
    # The rejected pairs with the lead are excluded: the mathematics mentees have no team now.
    assert not [g for g in again.groups.all() if _members(g) == _members(group)]


@pytest.fixture
def two_groups(tenant_a: Any) -> dict[str, Any]:
    """A mixed group (physics and mathematics, a team of two) and a mathematics one: the base
    lists mentees by last name, the physics ones first, so the first seed needs physics."""
    program = _program(tenant_a)
    people = {
        "math": mentor(
            program, last_name="Алгебраева", capacity=10, competencies={"mathematics": 3}
        ),
        "physics": mentor(program, last_name="Оптиков", capacity=10, competencies={"physics": 3}),
        "p1": mentee(program, last_name="Абрамов", deficits=["physics"]),
        "p2": mentee(program, last_name="Белов", deficits=["physics"]),
        "m1": mentee(program, last_name="Волков", deficits=["mathematics"]),
        "m2": mentee(program, last_name="Гусев", deficits=["mathematics"]),
        "m3": mentee(program, last_name="Данилов", deficits=["mathematics"]),
        "m4": mentee(program, last_name="Егоров", deficits=["mathematics"]),
    }
    run = _run(tenant_a, program, min_size=2, max_size=4)
    mixed, maths = run.groups.order_by("key")
    assert _members(mixed) == {people[k].pk for k in ("p1", "p2", "m1", "m2")}
    assert (_members(maths), _team(maths)) == (
        {people["m3"].pk, people["m4"].pk},
        [people["math"].pk],
    )
    return {"program": program, "run": run, "mixed": mixed, "maths": maths, **people}


def _proposal(group: ProposalGroup, enrolment: Any) -> Any:
    return group.members.get(mentee=enrolment)


def test_moving_needs_a_team_that_covers_the_mentee(
    tenant_a: Any, two_groups: dict[str, Any]
) -> None:
    mixed, maths = two_groups["mixed"], two_groups["maths"]
    with pytest.raises(
        ValidationError, match=r"Команда группы № 2 закрывает не все дефициты .*: Физика"
    ):
        services.group_member_move(
            actor=tenant_a.curator, proposal=_proposal(mixed, two_groups["p1"]), target=maths
        )
    assert len(_members(maths)) == 2


def test_moving_rescores_both_groups_and_what_each_mentor_covers(
    tenant_a: Any, two_groups: dict[str, Any]
) -> None:
    mixed, maths = two_groups["mixed"], two_groups["maths"]
    for key in ("m1", "m2"):
        services.group_member_move(
            actor=tenant_a.curator, proposal=_proposal(mixed, two_groups[key]), target=maths
        )
    mixed.refresh_from_db()
    maths.refresh_from_db()
    physics, math = two_groups["physics"].pk, two_groups["math"].pk
    assert _members(mixed) == {two_groups["p1"].pk, two_groups["p2"].pk}
    # The team stays (the curator changes members, not mentors); the mathematician now covers
    # nothing of this group.
    assert _covers(mixed) == {physics: _ids("physics"), math: []}
    assert mixed.factors[0]["details"]["size"] == 2
    assert mixed.score == pytest.approx(1.0)
    assert (len(_members(maths)), _covers(maths)) == (4, {math: _ids("mathematics")})
    assert (mixed.state, maths.state) == (ProposalState.PROPOSED, ProposalState.PROPOSED)


def test_removing_a_member_rescores_the_collective_group(
    tenant_a: Any, two_groups: dict[str, Any]
) -> None:
    mixed = two_groups["mixed"]
    services.group_member_remove(
        actor=tenant_a.curator, proposal=_proposal(mixed, two_groups["p1"])
    )
    mixed.refresh_from_db()
    assert mixed.factors[0]["details"]["size"] == 3
    assert two_groups["run"].unmatched.filter(reason="removed_by_curator").count() == 1
