"""Collective groups: mentees with different deficits, a team of mentors that covers them all."""

from __future__ import annotations

import numpy as np
import pytest

from nastavnik.matching.engine import InvalidInput, MenteeFeatures, MentorFeatures, Rules
from nastavnik.matching.engine.collective import (
    REASON_FEW_COVERED,
    REASON_NO_TEAM,
    form_collective_groups,
    score_team,
)
from nastavnik.matching.engine.match import eligible_mentors
from nastavnik.matching.engine.synthetic import synthetic

from .helpers import rows

MATH, READING, SCIENCE, ART = 0, 1, 2, 3


def _mentors(competencies: list[dict[int, float]], capacity: list[int]) -> MentorFeatures:
    return MentorFeatures(
        n=len(competencies),
        competencies=rows(competencies, 4),
        capacity=np.asarray(capacity, dtype=np.int64),
    )


def _mentees(deficits: list[dict[int, float]], **kw: object) -> MenteeFeatures:
    return MenteeFeatures(n=len(deficits), deficits=rows(deficits, 4), **kw)


def check(grouping, mentees, mentors, min_size, max_size, unit, team_size) -> None:
    """Every hard rule: sizes, disjoint members, the team covers every member's coverable
    deficits, the team's size, capacities, and a reason for whoever has no group."""
    deficits = mentees.deficits.toarray()
    levels = mentors.competencies.toarray()
    load = np.zeros(mentors.n, dtype=np.int64)
    seen: set[int] = set()
    for g, group in enumerate(grouping.groups):
        assert min_size <= len(group.members) <= max_size
        assert not seen & set(group.members)
        seen |= set(group.members)
        assert (grouping.group_of[list(group.members)] == g).all()
        assert 1 <= len(group.mentors) <= team_size
        assert len(set(group.mentors)) == len(group.mentors)
        team_has = (levels[list(group.mentors)] >= 1.0).any(axis=0)
        usable = eligible_mentors(mentors, Rules()) & (
            mentors.capacity >= (1 if unit == "group" else min_size)
        )
        coverable = (levels[usable] >= 1.0).any(axis=0)
        for i in group.members:
            wanted = (deficits[i] > 0) & coverable
            assert team_has[wanted].all()
        # Each covered deficit is covered by exactly one mentor, who has it.
        flat = [c for cs in group.cover.covers for c in cs]
        assert sorted(flat) == list(group.cover.deficits)
        for j, cs in zip(group.mentors, group.cover.covers, strict=True):
            assert all(levels[j, c] >= 1.0 for c in cs)
        for j in group.mentors:
            load[j] += 1 if unit == "group" else len(group.members)
    assert (load == grouping.load).all()
    assert (load <= mentors.capacity).all()
    for i in range(mentees.n):
        assert (grouping.reasons[i] is None) == (i in seen)


def test_mentees_with_different_deficits_share_a_team_that_covers_them_all() -> None:
    # Two need mathematics, two reading, one both: no deficit is shared by three, so shared-deficit
    # groups of three cannot form; one collective group of five with a team of two can.
    mentees = _mentees([{MATH: 1}, {MATH: 1}, {READING: 1}, {READING: 1}, {MATH: 1, READING: 1}])
    mentors = _mentors([{MATH: 3}, {READING: 2}, {ART: 3}], [1, 1, 1])
    grouping = form_collective_groups(mentees, mentors, min_size=3, max_size=6, team_size=2)
    (group,) = grouping.groups
    assert group.members == (0, 1, 2, 3, 4)
    assert set(group.mentors) == {0, 1}
    covers = dict(zip(group.mentors, group.cover.covers, strict=True))
    assert covers == {0: (MATH,), 1: (READING,)}
    assert group.cover.deficits == (MATH, READING)
    assert group.cover.uncovered == ()
    assert group.cover.shared == ()
    # Mathematics at 3 of 3, reading at 2 of 3: (1 + 1 + 2/3 + 2/3 + (1 + 2/3) / 2) / 5.
    assert group.cover.score == pytest.approx((2 + 4 / 3 + 5 / 6) / 5)
    assert grouping.load.tolist() == [1, 1, 0]
    check(grouping, mentees, mentors, 3, 6, "group", 2)


def test_the_lead_is_the_mentor_who_does_most_for_the_group() -> None:
    mentees = _mentees([{MATH: 1}, {MATH: 1}, {MATH: 1}, {READING: 1}])
    mentors = _mentors([{READING: 3}, {MATH: 3}], [1, 1])
    (group,) = form_collective_groups(mentees, mentors, min_size=2, team_size=2).groups
    assert group.mentors == (1, 0)
    assert group.cover.covers == ((MATH,), (READING,))
    assert group.cover.mentor_scores == pytest.approx((0.75, 0.25))


def test_one_mentor_who_covers_everything_is_a_team_of_one() -> None:
    mentees = _mentees([{MATH: 1}, {READING: 1}, {SCIENCE: 1}])
    mentors = _mentors([{MATH: 2, READING: 2, SCIENCE: 2}, {MATH: 3}], [1, 1])
    (group,) = form_collective_groups(mentees, mentors, min_size=3, team_size=2).groups
    assert (group.members, group.mentors) == ((0, 1, 2), (0,))
    assert group.cover.covers == ((MATH, READING, SCIENCE),)


def test_a_team_limited_to_one_leaves_out_who_needs_a_second_mentor() -> None:
    mentees = _mentees([{MATH: 1}, {MATH: 1}, {MATH: 1}, {MATH: 1, READING: 1}])
    mentors = _mentors([{MATH: 3}, {READING: 3}], [2, 2])
    grouping = form_collective_groups(mentees, mentors, min_size=3, team_size=1)
    (group,) = grouping.groups
    assert (group.members, group.mentors) == ((0, 1, 2), (0,))
    assert grouping.reasons[3] == REASON_NO_TEAM


def test_too_few_mentees_for_a_group_get_the_reason() -> None:
    mentees = _mentees([{MATH: 1}, {READING: 1}, {}])
    mentors = _mentors([{MATH: 3, READING: 3}], [1])
    grouping = form_collective_groups(mentees, mentors, min_size=3)
    assert grouping.groups == ()
    assert grouping.reasons == (REASON_FEW_COVERED, REASON_FEW_COVERED, "no_deficit")
    assert grouping.load.tolist() == [0]


def test_a_deficit_nobody_covers_is_left_out_and_named() -> None:
    mentees = _mentees([{MATH: 1, ART: 1}, {MATH: 1}, {MATH: 1}, {ART: 1}])
    mentors = _mentors([{MATH: 3}], [1])
    grouping = form_collective_groups(mentees, mentors, min_size=3)
    (group,) = grouping.groups
    assert group.members == (0, 1, 2)
    assert (group.cover.deficits, group.cover.uncovered) == ((MATH,), (ART,))
    assert group.cover.score == pytest.approx((0.5 + 1 + 1) / 3)
    assert grouping.reasons[3] == "no_candidate"


def test_capacity_counts_groups_or_members() -> None:
    mentees = _mentees([{MATH: 1}] * 4 + [{READING: 1}] * 4)
    mentors = _mentors([{MATH: 3, READING: 3}], [1])
    by_group = form_collective_groups(mentees, mentors, min_size=2, max_size=4, team_size=1)
    assert [len(g.members) for g in by_group.groups] == [4]
    by_member = form_collective_groups(
        mentees,
        _mentors([{MATH: 3, READING: 3}], [3]),
        min_size=2,
        max_size=8,
        capacity_unit="mentee",
    )
    assert [len(g.members) for g in by_member.groups] == [3]
    assert by_member.load.tolist() == [3]


def test_an_excluded_mentor_is_not_in_the_team_of_the_mentee() -> None:
    mentees = _mentees([{MATH: 1}, {MATH: 1}, {MATH: 1}])
    mentors = _mentors([{MATH: 3}, {MATH: 1}], [1, 1])
    rules = Rules(exclusions=np.array([[1, 0]]))
    (group,) = form_collective_groups(mentees, mentors, rules, min_size=3).groups
    assert group.mentors == (1,)


def test_the_class_keeps_groups_together() -> None:
    mentees = _mentees([{MATH: 1}, {READING: 1}] * 3, class_id=np.array([7, 5, 7, 5, 7, 5]))
    mentors = _mentors([{MATH: 3, READING: 3}], [2])
    grouping = form_collective_groups(
        mentees, mentors, min_size=3, max_size=3, order=np.array([7, 5, 7, 5, 7, 5])
    )
    assert sorted(g.members for g in grouping.groups) == [(0, 2, 4), (1, 3, 5)]


def test_score_team_agrees_with_the_grouping() -> None:
    bases = synthetic(120, 30, seed=4, capacity=(1, 4))
    grouping = form_collective_groups(bases.mentees, bases.mentors, min_size=3, max_size=6)
    assert grouping.groups
    for group in grouping.groups:
        again = score_team(bases.mentees, bases.mentors, group.members, group.mentors)
        assert again == group.cover


@pytest.mark.parametrize("unit", ["group", "mentee"])
@pytest.mark.parametrize(("min_size", "max_size", "team"), [(3, 8, 2), (2, 4, 1), (4, 6, 3)])
@pytest.mark.parametrize("prefer", ["coverage", "score"])
def test_hard_rules_on_synthetic_bases(
    unit: str, min_size: int, max_size: int, team: int, prefer: str
) -> None:
    bases = synthetic(200, 40, seed=7, capacity=(1, 8))
    grouping = form_collective_groups(
        bases.mentees,
        bases.mentors,
        min_size=min_size,
        max_size=max_size,
        team_size=team,
        capacity_unit=unit,
        order=bases.mentees.class_id,
        prefer=prefer,
    )
    check(grouping, bases.mentees, bases.mentors, min_size, max_size, unit, team)
    assert grouping.groups
    again = form_collective_groups(
        bases.mentees,
        bases.mentors,
        min_size=min_size,
        max_size=max_size,
        team_size=team,
        capacity_unit=unit,
        order=bases.mentees.class_id,
        prefer=prefer,
    )
    assert (again.groups, again.reasons) == (grouping.groups, grouping.reasons)


def test_bad_options_are_refused() -> None:
    mentees = _mentees([{MATH: 1}])
    mentors = _mentors([{MATH: 3}], [1])
    with pytest.raises(InvalidInput):
        form_collective_groups(mentees, mentors, min_size=4, max_size=3)
    with pytest.raises(InvalidInput):
        form_collective_groups(mentees, mentors, team_size=0)
