"""Group mentoring: sizes, the shared deficit, capacity, teams and reasons."""

from __future__ import annotations

import numpy as np
import pytest

from nastavnik.matching.engine import (
    InvalidInput,
    MenteeFeatures,
    MentorFeatures,
    Rules,
    form_groups,
)
from nastavnik.matching.engine.groups import score_group
from nastavnik.matching.engine.synthetic import synthetic

from .helpers import rows


def check(grouping, mentees, mentors, min_size: int, max_size: int, unit: str, team: int) -> None:
    deficits = mentees.deficits.toarray()
    levels = mentors.competencies.toarray()
    load = np.zeros(mentors.n, dtype=np.int64)
    seen: set[int] = set()
    for g, group in enumerate(grouping.groups):
        assert min_size <= len(group.members) <= max_size
        assert not seen & set(group.members)
        seen |= set(group.members)
        assert (grouping.group_of[list(group.members)] == g).all()
        # Everyone in the group has the deficit it was formed on.
        assert (deficits[list(group.members), group.competency] > 0).all()
        assert group.competency in group.shared
        assert len(group.mentors) <= team
        assert len(set(group.mentors)) == len(group.mentors)
        for j in group.mentors:
            assert levels[j, group.competency] >= 1.0
            load[j] += 1 if unit == "group" else len(group.members)
        assert (group.reason is None) == bool(group.mentors)
    assert (load == grouping.load).all()
    assert (load <= mentors.capacity).all()
    for i in range(mentees.n):
        assert (grouping.reasons[i] is None) == (i in seen)


@pytest.mark.parametrize("unit", ["group", "mentee"])
@pytest.mark.parametrize(("min_size", "max_size", "team"), [(3, 8, 1), (2, 4, 2), (5, 5, 1)])
def test_groups_respect_sizes_deficits_and_capacity(
    unit: str, min_size: int, max_size: int, team: int
) -> None:
    bases = synthetic(240, 50, seed=2, capacity=(1, 12))
    grouping = form_groups(
        bases.mentees,
        bases.mentors,
        min_size=min_size,
        max_size=max_size,
        team_size=team,
        capacity_unit=unit,
        order=bases.mentees.class_id,
    )
    check(grouping, bases.mentees, bases.mentors, min_size, max_size, unit, team)
    assert grouping.optimal
    assert sum(1 for g in grouping.groups if g.mentors) > 0


def test_hand_made_groups() -> None:
    # Six mentees with deficit 0, two with deficit 1 only (too few for a group of 3),
    # one with both (goes where the group fills), one with nothing.
    deficits = [{0: 1}] * 6 + [{1: 1}] * 2 + [{0: 1, 1: 1}] + [{}]
    mentees = MenteeFeatures(n=10, deficits=rows(deficits, 2))
    mentors = MentorFeatures(
        n=3, competencies=rows([{0: 3}, {0: 2, 1: 3}, {1: 1}], 2), capacity=np.array([1, 1, 1])
    )
    grouping = form_groups(mentees, mentors, min_size=3, max_size=4)
    assert [g.members for g in grouping.groups] == [(0, 1, 2, 3), (4, 5, 8)]
    assert all(g.competency == 0 for g in grouping.groups)
    assert sorted(j for g in grouping.groups for j in g.mentors) == [0, 1]
    assert grouping.reasons[6] == grouping.reasons[7] == "group_too_small"
    assert grouping.reasons[9] == "no_deficit"
    assert grouping.groups[1].shared == (0,)


def test_unstaffed_groups_and_coverage_first() -> None:
    mentees = MenteeFeatures(n=6, deficits=rows([{0: 1}] * 3 + [{1: 1}] * 3, 2))
    # One mentor covers both deficits but has room for one group; nobody else covers 1.
    mentors = MentorFeatures(
        n=2, competencies=rows([{0: 3, 1: 3}, {0: 1}], 2), capacity=np.array([1, 1])
    )
    grouping = form_groups(mentees, mentors, min_size=3, max_size=3)
    staffed = {g.competency: g.mentors for g in grouping.groups}
    assert staffed == {0: (1,), 1: (0,)}  # coverage: both groups get someone
    by_score = form_groups(mentees, mentors, min_size=3, max_size=3, prefer="score")
    assert sum(len(g.mentors) for g in by_score.groups) == 2

    tight = MentorFeatures(n=1, competencies=rows([{0: 3}], 2), capacity=np.array([1]))
    grouping = form_groups(mentees, tight, min_size=3, max_size=3)
    reasons = {g.competency: g.reason for g in grouping.groups}
    assert reasons == {0: None}
    assert grouping.reasons[3:] == ("no_candidate",) * 3


def test_mentors_full_reason() -> None:
    mentees = MenteeFeatures(n=6, deficits=rows([{0: 1}] * 6, 1))
    mentors = MentorFeatures(n=1, competencies=rows([{0: 3}], 1), capacity=np.array([1]))
    grouping = form_groups(mentees, mentors, min_size=3, max_size=3)
    assert sorted(str(g.reason) for g in grouping.groups) == ["None", "mentors_full"]


def test_a_deficit_only_full_mentors_cover_is_mentors_full_not_no_candidate() -> None:
    mentees = MenteeFeatures(n=6, deficits=rows([{0: 1}] * 3 + [{1: 1}] * 3, 2))
    # Mentor 1 is the only one who covers deficit 1, and has no place left.
    mentors = MentorFeatures(n=2, competencies=rows([{0: 3}, {1: 3}], 2), capacity=np.array([1, 0]))
    grouping = form_groups(mentees, mentors, min_size=3, max_size=3)
    assert grouping.reasons == (None,) * 3 + ("mentors_full",) * 3
    nobody = MentorFeatures(n=2, competencies=rows([{0: 3}, {0: 2}], 2), capacity=np.array([1, 0]))
    assert form_groups(mentees, nobody, min_size=3, max_size=3).reasons[3:] == ("no_candidate",) * 3


def test_exclusions_keep_a_mentor_out_of_a_group() -> None:
    mentees = MenteeFeatures(n=3, deficits=rows([{0: 1}] * 3, 1))
    mentors = MentorFeatures(n=2, competencies=rows([{0: 3}, {0: 1}], 1), capacity=np.array([1, 1]))
    grouping = form_groups(mentees, mentors, Rules(exclusions=np.array([[2, 0]])), min_size=3)
    assert grouping.groups[0].mentors == (1,)


def test_deterministic() -> None:
    bases = synthetic(300, 40, seed=4)
    first = form_groups(bases.mentees, bases.mentors, team_size=2)
    again = form_groups(bases.mentees, bases.mentors, team_size=2)
    assert first.groups == again.groups


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_size": 4, "max_size": 3}, "min_size <= max_size"),
        ({"team_size": 0}, "team_size must be >= 1"),
        ({"capacity_unit": "hours"}, "capacity_unit must be"),
        ({"prefer": "speed"}, "prefer must be"),
        ({"order": np.zeros(3)}, r"order must have shape \(2,\)"),
    ],
)
def test_bad_options(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        form_groups(MenteeFeatures(n=2), MentorFeatures(n=1), **kwargs)


def test_member_capacity_is_solved_exactly() -> None:
    # Groups of 4 and 3 on the same deficit. Both prefer the expert (capacity 4 members);
    # only giving the expert the group of 4 and the other mentor (capacity 3) the group of 3
    # staffs both, and that is what coverage first must find.
    mentees = MenteeFeatures(n=7, deficits=rows([{0: 1}] * 7, 1))
    mentors = MentorFeatures(n=2, competencies=rows([{0: 3}, {0: 1}], 1), capacity=np.array([4, 3]))
    grouping = form_groups(mentees, mentors, min_size=3, max_size=4, capacity_unit="mentee")
    assert grouping.optimal
    staffing = {len(g.members): g.mentors for g in grouping.groups}
    assert staffing == {4: (0,), 3: (1,)}
    assert grouping.load.tolist() == [4, 3]


def test_score_group_agrees_with_form_groups() -> None:
    """A kept or changed group is scored as the engine scored it when forming it."""
    bases = synthetic(200, 40, seed=3, capacity=(1, 12))
    grouping = form_groups(bases.mentees, bases.mentors, team_size=2, capacity_unit="mentee")
    staffed = [g for g in grouping.groups if g.mentors]
    assert staffed
    for group in staffed:
        shared, scores = score_group(bases.mentees, bases.mentors, group.members, group.mentors)
        assert shared == group.shared
        assert scores == pytest.approx(group.mentor_scores)
