"""Group mentoring: groups on shared deficits, reviewed and published as group mentorships."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nastavnik.matching import services
from nastavnik.matching.models import (
    Proposal,
    ProposalGroup,
    ProposalState,
    RunStatus,
    Unmatched,
)
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.mentorships.services import mentorship_create
from nastavnik.programs.models import MentoringModel
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _per_member(program: Any) -> Any:
    """The program counts every member of a group against its mentors' capacity."""
    program.group_counts_as_one_place = False
    program.save(update_fields=["group_counts_as_one_place"])
    return program


def _program(tenant: Any, capacity: int = 10, *, one_place: bool = True) -> tuple[Any, Any]:
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    if not one_place:
        _per_member(program)
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
    # By default a group takes one place of its mentor, whatever its size.
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}


def test_a_group_never_exceeds_the_mentors_capacity_counting_every_member(
    tenant_a: Any,
) -> None:
    program, teacher = _program(tenant_a, capacity=3, one_place=False)
    run = _groups_run(tenant_a, program)
    assert run.proposals.filter(mentor=teacher).count() <= 3


def test_counting_every_member_a_published_group_takes_a_place_per_mentee(
    tenant_a: Any,
) -> None:
    program, teacher = _program(tenant_a, capacity=4, one_place=False)
    run = _groups_run(tenant_a, program)
    services.proposals_decide_all(
        actor=tenant_a.curator, run=run, state="accepted", from_state="proposed"
    )
    services.run_publish(actor=tenant_a.curator, run=run)
    assert mentor_load([teacher.pk]) == {teacher.pk: 4}
    with pytest.raises(ValidationError, match="нет свободных мест"):
        mentorship_create(
            actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[mentee(program)]
        )


def test_a_mentor_with_one_place_leads_a_group_of_five_and_no_second(tenant_a: Any) -> None:
    """A group is one place: the mentor of capacity 1 leads five; the other five mentees who
    share the deficit wait (the mentors are full), and no second group is given to them."""
    program = matching_program(tenant_a.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    teacher = mentor(program, capacity=1, competencies={"formative-assessment": 3})
    pupils = [mentee(program, deficits=["formative-assessment"]) for _ in range(10)]
    run = services.run_start(
        actor=tenant_a.curator,
        program=program,
        parameters={"kind": "groups", "min_size": 5, "max_size": 5},
    )
    (group,) = run.groups.all()
    assert (run.parameters["prefer"], _team(group), group.members.count()) == (
        "coverage",
        [teacher.pk],
        5,
    )
    assert run.unmatched_by_reason == {"mentors_full": 5}
    services.group_decide(actor=tenant_a.curator, group=group, state="accepted")
    (published,) = services.run_publish(actor=tenant_a.curator, run=run)
    assert (published.members.filter(role="mentee").count(), mentor_load([teacher.pk])) == (
        5,
        {teacher.pk: 1},
    )
    waiting = [p for p in pupils if not published.members.filter(enrolment=p).exists()]
    with pytest.raises(ValidationError, match="нет свободных мест"):
        mentorship_create(
            actor=tenant_a.curator, program=program, mentors=[teacher], mentees=waiting[:3]
        )
    again = services.run_start(
        actor=tenant_a.curator,
        program=program,
        parameters={"kind": "groups", "min_size": 5, "max_size": 5},
    )
    # A mentor without a free place is no candidate at all in a new run.
    assert (again.groups.count(), again.unmatched_count) == (0, 5)
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}


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


# --- Teams of mentors, re-runs keeping groups, the curator's changes ------------------------------


def _group_program(
    tenant: Any, *, capacities: tuple[int, ...] = (10,), n_mentees: int = 4, one_place: bool = True
) -> tuple[Any, list[Any], list[Any]]:
    """Mentors who all cover «формирующее оценивание», mentees who all lack it (and mathematics).
    With ``one_place=False`` the program counts every member of a group against capacity."""
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    if not one_place:
        _per_member(program)
    teachers = [
        mentor(program, capacity=c, competencies={"formative-assessment": 3 - k % 2})
        for k, c in enumerate(capacities)
    ]
    pupils = [
        mentee(program, deficits=["formative-assessment", "mathematics"]) for _ in range(n_mentees)
    ]
    return program, teachers, pupils


def _run_groups(tenant: Any, program: Any, **parameters: Any) -> Any:
    run = services.run_start(
        actor=tenant.curator,
        program=program,
        parameters={
            "kind": "groups",
            "min_size": 2,
            "max_size": 4,
            "prefer": "coverage",
            **parameters,
        },
    )
    assert run.status == RunStatus.DONE, run.error_message
    return run


def _members(group: ProposalGroup) -> set[int]:
    return set(group.members.values_list("mentee_id", flat=True))


def _team(group: ProposalGroup) -> list[int]:
    return list(group.team.order_by("position").values_list("mentor_id", flat=True))


def _group_usage(run: Any) -> Counter[int]:
    """Places each mentor takes in the run's groups, as the run's program counts them."""
    one_place = run.program.group_counts_as_one_place
    used: Counter[int] = Counter()
    for group in run.groups.all():
        for mentor_id in _team(group):
            used[mentor_id] += 1 if one_place else group.members.count()
    return used


def test_a_team_of_two_mentors_is_published_as_one_group_mentorship(tenant_a: Any) -> None:
    program, (first, second), pupils = _group_program(tenant_a, capacities=(10, 10))
    run = _run_groups(tenant_a, program, team_size=2)
    (group,) = run.groups.all()
    assert set(_team(group)) == {first.pk, second.pk}
    assert set(run.proposals.values_list("mentor_id", flat=True)) == {_team(group)[0]}
    services.group_decide(actor=tenant_a.curator, group=group, state="accepted")
    (mentorship,) = services.run_publish(actor=tenant_a.curator, run=run)
    mentors = set(mentorship.members.filter(role="mentor").values_list("enrolment_id", flat=True))
    mentees = set(mentorship.members.filter(role="mentee").values_list("enrolment_id", flat=True))
    assert (mentorship.is_group, mentors, mentees) == (
        True,
        {first.pk, second.pk},
        {p.pk for p in pupils},
    )
    assert mentor_load([first.pk, second.pk]) == {first.pk: 1, second.pk: 1}


def test_the_team_size_is_checked_with_a_russian_message(tenant_a: Any) -> None:
    program, _teachers, _pupils = _group_program(tenant_a)
    with pytest.raises(ValidationError, match="Наставников в группе: от 1 до 3"):
        services.run_start(
            actor=tenant_a.curator, program=program, parameters={"kind": "groups", "team_size": 4}
        )


def test_the_start_form_carries_the_team_size(tenant_a: Any) -> None:
    program, _teachers, _pupils = _group_program(tenant_a, capacities=(10, 10))
    client = login(tenant_a.curator)
    page = client.get(reverse("matching:program", kwargs={"program_id": program.pk}))
    assert 'name="team_size"' in page.content.decode()
    client.post(
        reverse("matching:program", kwargs={"program_id": program.pk}),
        {"kind": "groups", "min_size": "2", "max_size": "4", "team_size": "2"},
    )
    run = program.matching_runs.get()
    assert (run.parameters["team_size"], run.groups.get().team.count()) == (2, 2)
    # The form leaves «what matters more» to the kind of run: coverage for groups.
    assert run.parameters["prefer"] == "coverage"
    assert "Группа занимает у каждого своего наставника одно место" in page.content.decode()


def test_a_team_never_takes_more_places_than_a_mentor_has(tenant_a: Any) -> None:
    """A group is one place: a pair published before takes the second mentor's only place, so
    the team is the first mentor alone — and the card says why it is short."""
    program, (first, second), _pupils = _group_program(tenant_a, capacities=(1, 1))
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[second], mentees=[mentee(program)]
    )
    run = _run_groups(tenant_a, program, team_size=2)
    (group,) = run.groups.all()
    assert _team(group) == [first.pk]
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert (
        "В команде 1 наставник из 2: других свободных наставников с компетенцией "
        "«Формирующее оценивание» нет." in page.content.decode()
    )
    services.group_decide(actor=tenant_a.curator, group=group, state="locked")
    services.run_publish(actor=tenant_a.curator, run=run)
    assert mentor_load([first.pk, second.pk]) == {first.pk: 1, second.pk: 1}


def test_a_team_never_takes_more_places_than_a_mentor_has_counting_every_member(
    tenant_a: Any,
) -> None:
    """A pair published before takes a place: the second mentor has 3 places left, the group
    has 4 mentees, so the team is the first mentor alone."""
    program, (first, second), _pupils = _group_program(tenant_a, capacities=(4, 4), one_place=False)
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[second], mentees=[mentee(program)]
    )
    run = _run_groups(tenant_a, program, team_size=2)
    (group,) = run.groups.all()
    assert _team(group) == [first.pk]
    services.group_decide(actor=tenant_a.curator, group=group, state="locked")
    services.run_publish(actor=tenant_a.curator, run=run)
    load = mentor_load([first.pk, second.pk])
    assert (load[first.pk], load[second.pk]) == (4, 1)


def test_groups_of_a_run_never_exceed_any_mentors_places(tenant_a: Any) -> None:
    """Three groups of four, teams of two asked, three mentors of one place each: coverage
    first, so each group gets one mentor rather than two groups a team of two."""
    program, teachers, _pupils = _group_program(tenant_a, capacities=(1, 1, 1), n_mentees=12)
    run = _run_groups(tenant_a, program, team_size=2)
    used = _group_usage(run)
    assert run.groups.count() == 3
    assert [used[t.pk] for t in teachers] == [1, 1, 1]
    assert [len(_team(g)) for g in run.groups.all()] == [1, 1, 1]


def test_groups_of_a_run_never_exceed_any_mentors_places_counting_every_member(
    tenant_a: Any,
) -> None:
    """Three groups of four: the mentor with 3 places leads none, the one with 8 leads two."""
    program, teachers, _pupils = _group_program(
        tenant_a, capacities=(3, 8, 4), n_mentees=12, one_place=False
    )
    run = _run_groups(tenant_a, program, team_size=2)
    used = _group_usage(run)
    assert run.groups.count() == 3
    assert [used[t.pk] for t in teachers] == [0, 8, 4]


def test_group_runs_prefer_coverage_unless_asked_otherwise(tenant_a: Any) -> None:
    program, _teachers, _pupils = _group_program(tenant_a)
    clean = services.run_parameters_clean
    assert clean({"kind": "groups"}, program=program)["prefer"] == "coverage"
    assert clean({"kind": "groups", "prefer": "score"}, program=program)["prefer"] == "score"
    assert clean({"kind": "pairs"}, program=program)["prefer"] == "score"
    assert clean({}, program=program)["prefer"] == "score"


def _two_groups(
    tenant: Any,
    capacities: tuple[int, ...] = (10, 10),
    n_mentees: int = 6,
    *,
    one_place: bool = True,
) -> tuple[Any, ...]:
    """Six mentees, groups of 2 to 4: two groups of three (seven: four and three)."""
    program, teachers, pupils = _group_program(
        tenant, capacities=capacities, n_mentees=n_mentees, one_place=one_place
    )
    run = _run_groups(tenant, program)
    first, second = run.groups.order_by("key")
    return program, teachers, pupils, run, first, second


def test_a_rerun_keeps_a_locked_group_whole_and_regroups_the_rest(tenant_a: Any) -> None:
    program, _teachers, _pupils, run, first, second = _two_groups(tenant_a)
    services.group_decide(actor=tenant_a.curator, group=first, state="locked")
    newcomers = {
        mentee(program, deficits=["formative-assessment", "mathematics"]).pk for _ in range(2)
    }
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    kept = [g for g in again.groups.all() if _members(g) == _members(first)]
    assert len(kept) == 1
    assert (_team(kept[0]), kept[0].state) == (_team(first), ProposalState.LOCKED)
    regrouped = set().union(*(_members(g) for g in again.groups.exclude(pk=kept[0].pk)))
    assert regrouped == _members(second) | newcomers
    assert set(again.proposals.filter(group=kept[0]).values_list("state", flat=True)) == {"locked"}


def test_a_kept_group_that_no_longer_fits_the_places_is_regrouped(tenant_a: Any) -> None:
    """A group is one place: each mentor leads one group; a pair formed meanwhile takes the
    lead's only place, so the accepted group is not kept and the lead gets no group."""
    program, teachers, _pupils, run, first, _second = _two_groups(tenant_a, capacities=(1, 1))
    services.group_decide(actor=tenant_a.curator, group=first, state="accepted")
    (lead,) = [t for t in teachers if t.pk == _team(first)[0]]
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[lead], mentees=[mentee(program)]
    )
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert not again.groups.filter(state__in=["accepted", "locked"]).exists()
    assert _group_usage(again)[lead.pk] == 0


def test_a_kept_group_that_no_longer_fits_the_places_is_regrouped_counting_every_member(
    tenant_a: Any,
) -> None:
    program, teachers, _pupils, run, first, _second = _two_groups(
        tenant_a, capacities=(3, 3), one_place=False
    )
    services.group_decide(actor=tenant_a.curator, group=first, state="accepted")
    (lead,) = [t for t in teachers if t.pk == _team(first)[0]]
    # A pair formed meanwhile leaves the lead two places: the group of three no longer fits.
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[lead], mentees=[mentee(program)]
    )
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert not again.groups.filter(state__in=["accepted", "locked"]).exists()
    used = _group_usage(again)
    assert used[lead.pk] <= 2


def test_a_rejected_group_is_not_proposed_again(tenant_a: Any) -> None:
    program, _teachers, _pupils, run, first, _second = _two_groups(tenant_a)
    services.group_decide(actor=tenant_a.curator, group=first, state="rejected")
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert not [
        g
        for g in again.groups.all()
        if _members(g) == _members(first) and set(_team(g)) == set(_team(first))
    ]


def test_moving_a_member_changes_both_groups(tenant_a: Any) -> None:
    _program, _teachers, _pupils, run, first, second = _two_groups(tenant_a)
    services.group_decide(actor=tenant_a.curator, group=second, state="accepted")
    moved = first.members.first()
    assert moved is not None
    services.group_member_move(actor=tenant_a.curator, proposal=moved, target=second)
    moved.refresh_from_db()
    second.refresh_from_db()
    assert (moved.group_id, moved.group_key, moved.mentor_id) == (
        second.pk,
        second.key,
        _team(second)[0],
    )
    assert (first.members.count(), second.members.count()) == (2, 4)
    # The changed group goes back to the curator's decision, with its explanation anew.
    assert second.state == ProposalState.PROPOSED
    assert second.factors[0]["details"]["size"] == 4
    run.refresh_from_db()
    assert run.matched_count == 6


def test_moving_keeps_the_group_above_its_least_size(tenant_a: Any) -> None:
    _program, _teachers, _pupils, _run, first, second = _two_groups(tenant_a)
    a, b, _c = first.members.all()
    services.group_member_move(actor=tenant_a.curator, proposal=a, target=second)
    with pytest.raises(ValidationError, match="не меньше 2 наставляемых"):
        services.group_member_move(actor=tenant_a.curator, proposal=b, target=second)
    assert (first.members.count(), second.members.count()) == (2, 4)


def test_moving_never_fills_a_group_above_its_most(tenant_a: Any) -> None:
    _program, _teachers, _pupils, _run, first, second = _two_groups(tenant_a, n_mentees=7)
    assert (first.members.count(), second.members.count()) == (4, 3)
    with pytest.raises(ValidationError, match="не больше 4 наставляемых"):
        services.group_member_move(
            actor=tenant_a.curator, proposal=second.members.first(), target=first
        )
    assert (first.members.count(), second.members.count()) == (4, 3)


def test_a_group_is_one_place_so_moving_a_member_needs_no_new_place(tenant_a: Any) -> None:
    """Each mentor of one place leads one group: a group of four still takes one place."""
    _program, teachers, _pupils, _run, first, second = _two_groups(tenant_a, capacities=(1, 1))
    assert {_team(first)[0], _team(second)[0]} == {t.pk for t in teachers}
    services.group_member_move(
        actor=tenant_a.curator, proposal=first.members.first(), target=second
    )
    assert (first.members.count(), second.members.count()) == (2, 4)


def test_moving_never_exceeds_the_target_mentors_places(tenant_a: Any) -> None:
    """A group is one place: the target's mentor took a pair since the run, so their one place
    is gone and a rejected group may not come back through a move."""
    program, teachers, _pupils, _run, first, second = _two_groups(tenant_a, capacities=(1, 1))
    services.group_decide(actor=tenant_a.curator, group=second, state="rejected")
    (lead,) = [t for t in teachers if t.pk == _team(second)[0]]
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[lead], mentees=[mentee(program)]
    )
    with pytest.raises(ValidationError, match=f"нет свободного места для группы № {second.key}"):
        services.group_member_move(
            actor=tenant_a.curator, proposal=first.members.first(), target=second
        )
    assert (first.members.count(), second.members.count()) == (3, 3)


def test_moving_never_exceeds_the_target_mentors_places_counting_every_member(
    tenant_a: Any,
) -> None:
    _program, teachers, _pupils, _run, first, second = _two_groups(
        tenant_a, capacities=(3, 4), one_place=False
    )
    full = first if _team(first) == [teachers[0].pk] else second
    other = second if full is first else first
    with pytest.raises(ValidationError, match="нет свободного места"):
        services.group_member_move(
            actor=tenant_a.curator, proposal=other.members.first(), target=full
        )
    assert (full.members.count(), other.members.count()) == (3, 3)


def test_removing_a_member_leaves_them_without_a_mentor(tenant_a: Any) -> None:
    _program, _teachers, _pupils, run, first, _second = _two_groups(tenant_a)
    member = first.members.first()
    assert member is not None
    services.group_member_remove(actor=tenant_a.curator, proposal=member)
    assert not Proposal.objects.filter(pk=member.pk).exists()
    assert Unmatched.objects.get(run=run, mentee=member.mentee).reason == "removed_by_curator"
    run.refresh_from_db()
    assert (run.matched_count, run.unmatched_by_reason) == (5, {"removed_by_curator": 1})
    assert first.members.count() == 2
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert "Исключён из группы куратором" in page.content.decode()


def test_a_locked_group_refuses_changes_until_unlocked(tenant_a: Any) -> None:
    _program, _teachers, _pupils, _run, first, second = _two_groups(tenant_a)
    services.group_decide(actor=tenant_a.curator, group=first, state="locked")
    member = first.members.first()
    assert member is not None
    with pytest.raises(ValidationError, match="Группу, оставленную при пересчёте, нельзя изменить"):
        services.group_member_remove(actor=tenant_a.curator, proposal=member)
    with pytest.raises(ValidationError, match="Группу, оставленную при пересчёте, нельзя изменить"):
        services.group_member_move(actor=tenant_a.curator, proposal=member, target=second)
    with pytest.raises(ValidationError, match="Группу, оставленную при пересчёте, нельзя изменить"):
        services.group_member_move(
            actor=tenant_a.curator, proposal=second.members.first(), target=first
        )
    assert first.members.count() == 3
    services.group_decide(actor=tenant_a.curator, group=first, state="proposed")
    services.group_member_move(actor=tenant_a.curator, proposal=member, target=second)
    assert second.members.count() == 4


def test_pair_swaps_still_refuse_groups(tenant_a: Any) -> None:
    _program, _teachers, _pupils, _run, first, second = _two_groups(tenant_a, capacities=(1, 1))
    with pytest.raises(ValidationError, match="только в парах, не в группах"):
        services.proposal_swap(
            actor=tenant_a.curator, first=first.members.first(), second=second.members.first()
        )


def test_the_review_shows_the_team_and_what_the_group_shares(tenant_a: Any) -> None:
    program, (first, second), _pupils = _group_program(tenant_a, capacities=(10, 10))
    run = _run_groups(tenant_a, program, team_size=2)
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    text = page.content.decode()
    assert "Команда наставников" in text
    assert first.person.full_name in text
    assert second.person.full_name in text
    assert "Общее у группы" in text
    assert "Формирующее оценивание" in text
    assert "Математика" in text
    assert "ведёт группу" in text
    assert "В команде" not in text  # the team is as big as asked


def test_the_review_says_why_a_team_is_short(tenant_a: Any) -> None:
    program, _teachers, _pupils = _group_program(tenant_a, capacities=(10, 10))
    run = _run_groups(tenant_a, program, team_size=3)
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert (
        "В команде 2 наставника из 3: других свободных наставников с компетенцией "
        "«Формирующее оценивание» нет." in page.content.decode()
    )


def test_the_review_page_moves_and_removes_members(tenant_a: Any) -> None:
    _program, _teachers, _pupils, run, first, second = _two_groups(tenant_a)
    client = login(tenant_a.curator)
    page = client.get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert reverse("matching:group_move", kwargs={"group_id": first.pk}) in page.content.decode()
    a, b, _c = first.members.all()
    response = client.post(
        reverse("matching:group_move", kwargs={"group_id": first.pk}),
        {"member": a.pk, "to": second.pk},
    )
    assert response.headers["Location"].endswith(f"#group-{second.pk}")
    client.post(reverse("matching:group_remove", kwargs={"proposal_id": a.pk}))
    assert (first.members.count(), second.members.count()) == (2, 3)
    # Too few would stay: refused, and the page says why.
    response = client.post(
        reverse("matching:group_remove", kwargs={"proposal_id": b.pk}), follow=True
    )
    assert "Отклоните всю группу" in response.content.decode()
    assert first.members.count() == 2


def test_a_member_of_another_group_cannot_be_moved_through_this_one(tenant_a: Any) -> None:
    _program, _teachers, _pupils, _run, first, second = _two_groups(tenant_a)
    response = login(tenant_a.curator).post(
        reverse("matching:group_move", kwargs={"group_id": first.pk}),
        {"member": second.members.first().pk, "to": first.pk},
    )
    assert response.status_code == 404
    assert second.members.count() == 3


def test_deciding_a_group_through_htmx_returns_its_card(tenant_a: Any) -> None:
    _program, _teachers, _pupils, _run, first, _second = _two_groups(tenant_a)
    response = login(tenant_a.curator).post(
        reverse("matching:group_decide", kwargs={"group_id": first.pk}),
        {"state": "locked"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert f'id="group-{first.pk}"' in text
    assert "не оставлять группу при пересчёте" in text
    assert "закреп" not in text.lower()
    assert set(first.members.values_list("state", flat=True)) == {"locked"}


def test_deciding_a_group_through_htmx_updates_the_figures_out_of_band(tenant_a: Any) -> None:
    _program, _teachers, _pupils, run, first, second = _two_groups(tenant_a)
    client = login(tenant_a.curator)
    decide = reverse("matching:group_decide", kwargs={"group_id": first.pk})
    locked = client.post(decide, {"state": "locked"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<div class="stats" id="run-stats" hx-swap-oob="true">' in locked
    assert "принято / оставлено при пересчёте" in locked
    assert f"<b>2 / {run.matched_count}</b>" in locked
    assert "<b>0 / 1</b>" in locked
    accepted = client.post(
        reverse("matching:group_decide", kwargs={"group_id": second.pk}),
        {"state": "accepted"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<b>1 / 1</b>" in accepted
    unlocked = client.post(decide, {"state": "proposed"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<b>1 / 0</b>" in unlocked
