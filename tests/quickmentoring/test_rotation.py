"""Properties of the rotation (plain Python, no database): every pair meets at most once, each
round is a seating (nobody at two tables), sit-outs balanced within a side, and as many meetings
as any schedule could hold — the bound min(possible pairs, rounds × seated pairs per round),
checked against an exhaustive search on the smallest sizes."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nastavnik.quickmentoring.rotation import (
    Rotation,
    RotationError,
    max_rounds_bipartite,
    max_rounds_peers,
    rotate_bipartite,
    rotate_peers,
)


def _check_common(rotation: Rotation, tables: int, *, peers: bool) -> list[tuple[int, int]]:
    pairs = [pair for r in rotation.rounds for pair in r]
    for seating in rotation.rounds:
        assert len(seating) <= tables
        sides = (
            [[p for pair in seating for p in pair]] if peers else list(zip(*seating, strict=True))
        )
        for people in sides:
            assert len(people) == len(set(people)), "someone sits at two tables"
    return pairs


def _spread(counter: Counter[int], people: range) -> int:
    values = [counter[p] for p in people]
    return max(values) - min(values)


@st.composite
def bipartite_sizes(draw: st.DrawFn) -> tuple[int, int, int, int]:
    mentors = draw(st.integers(1, 14))
    mentees = draw(st.integers(1, 14))
    tables = draw(st.integers(1, 16))
    rounds = draw(
        st.integers(1, max_rounds_bipartite(mentors=mentors, mentees=mentees, tables=tables))
    )
    return mentors, mentees, tables, rounds


@given(bipartite_sizes())
@settings(max_examples=300, deadline=None)
def test_bipartite_properties(sizes: tuple[int, int, int, int]) -> None:
    mentors, mentees, tables, rounds = sizes
    rotation = rotate_bipartite(mentors=mentors, mentees=mentees, tables=tables, rounds=rounds)
    assert len(rotation.rounds) == rounds
    pairs = _check_common(rotation, tables, peers=False)
    assert len(pairs) == len(set(pairs)), "a pair meets twice"
    assert all(0 <= m < mentors and 0 <= e < mentees for m, e in pairs)
    k = min(tables, mentors, mentees)
    assert len(pairs) == min(mentors * mentees, rounds * k)
    # Sit-outs = rounds − seats: balanced on each side.
    assert _spread(Counter(m for m, _ in pairs), range(mentors)) <= 1
    assert _spread(Counter(e for _, e in pairs), range(mentees)) <= 1


@st.composite
def peer_sizes(draw: st.DrawFn) -> tuple[int, int, int]:
    people = draw(st.integers(2, 16))
    tables = draw(st.integers(1, 10))
    rounds = draw(st.integers(1, max_rounds_peers(people=people, tables=tables)))
    return people, tables, rounds


@given(peer_sizes())
@settings(max_examples=300, deadline=None)
def test_peer_properties(sizes: tuple[int, int, int]) -> None:
    people, tables, rounds = sizes
    rotation = rotate_peers(people=people, tables=tables, rounds=rounds)
    assert len(rotation.rounds) == rounds
    pairs = _check_common(rotation, tables, peers=True)
    assert all(p < q for p, q in pairs)
    assert len(pairs) == len(set(pairs)), "a pair meets twice"
    k = min(tables, people // 2)
    assert len(pairs) == min(people * (people - 1) // 2, rounds * k)
    assert _spread(Counter(p for pair in pairs for p in pair), range(people)) <= 1


def _optimum_peers(people: int, tables: int, rounds: int) -> int:
    """The most meetings of any schedule, by exhaustive search (tiny sizes only)."""
    all_pairs = list(itertools.combinations(range(people), 2))
    seatings = [
        combo
        for size in range(min(tables, people // 2) + 1)
        for combo in itertools.combinations(all_pairs, size)
        if len({p for pair in combo for p in pair}) == 2 * size
    ]
    best = 0

    def search(r: int, met: frozenset[tuple[int, int]]) -> None:
        nonlocal best
        best = max(best, len(met))
        if r == rounds:
            return
        for seating in seatings:
            if not met & set(seating):
                search(r + 1, met | frozenset(seating))

    search(0, frozenset())
    return best


@pytest.mark.parametrize(
    ("people", "tables", "rounds"),
    [(3, 1, 3), (4, 1, 4), (4, 2, 3), (5, 1, 4), (5, 2, 5), (6, 2, 3), (6, 1, 3)],
)
def test_peer_meetings_equal_the_exhaustive_optimum(people: int, tables: int, rounds: int) -> None:
    rotation = rotate_peers(people=people, tables=tables, rounds=rounds)
    assert rotation.meetings == _optimum_peers(people, tables, rounds)


def _optimum_bipartite(mentors: int, mentees: int, tables: int, rounds: int) -> int:
    all_pairs = list(itertools.product(range(mentors), range(mentees)))
    seatings = [
        combo
        for size in range(min(tables, mentors, mentees) + 1)
        for combo in itertools.combinations(all_pairs, size)
        if len({m for m, _ in combo}) == size and len({e for _, e in combo}) == size
    ]
    best = 0

    def search(r: int, met: frozenset[tuple[int, int]]) -> None:
        nonlocal best
        best = max(best, len(met))
        if r == rounds:
            return
        for seating in seatings:
            if not met & set(seating):
                search(r + 1, met | frozenset(seating))

    search(0, frozenset())
    return best


@pytest.mark.parametrize(
    ("mentors", "mentees", "tables", "rounds"),
    [(2, 3, 1, 4), (2, 3, 2, 3), (3, 2, 2, 2), (1, 4, 3, 4), (2, 2, 1, 3)],
)
def test_bipartite_meetings_equal_the_exhaustive_optimum(
    mentors: int, mentees: int, tables: int, rounds: int
) -> None:
    rotation = rotate_bipartite(mentors=mentors, mentees=mentees, tables=tables, rounds=rounds)
    assert rotation.meetings == _optimum_bipartite(mentors, mentees, tables, rounds)


def test_more_people_than_seats_sit_out_in_turn() -> None:
    """Ten mentees, three mentors and two tables for five rounds: ten seats for mentees in all,
    so every mentee sits once; the mentors sit 3 or 4 times."""
    rotation = rotate_bipartite(mentors=3, mentees=10, tables=2, rounds=5)
    seated = Counter(e for r in rotation.rounds for _, e in r)
    assert sorted(seated.values()) == [1] * 10
    assert sorted(Counter(m for r in rotation.rounds for m, _ in r).values()) == [3, 3, 4]


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: rotate_bipartite(mentors=3, mentees=3, tables=0, rounds=2), "no_tables"),
        (lambda: rotate_peers(people=4, tables=0, rounds=1), "no_tables"),
        (lambda: rotate_peers(people=4, tables=2, rounds=0), "no_rounds"),
        (lambda: rotate_peers(people=1, tables=2, rounds=1), "too_few_people"),
        (lambda: rotate_bipartite(mentors=0, mentees=3, tables=2, rounds=1), "too_few_people"),
        # Two mentors, two mentees: four pairs, two at a time — a third round meets no one new.
        (lambda: rotate_bipartite(mentors=2, mentees=2, tables=5, rounds=3), "too_many_rounds"),
        (lambda: rotate_peers(people=4, tables=2, rounds=4), "too_many_rounds"),
    ],
)
def test_refusals(call: object, code: str) -> None:
    with pytest.raises(RotationError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code


def test_rotation_is_deterministic() -> None:
    first = rotate_peers(people=11, tables=3, rounds=9)
    assert first == rotate_peers(people=11, tables=3, rounds=9)
