"""The assignment: optimality against independent references, constraints, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nastavnik.matching.engine.assignment import SCORE_SCALE, assign
from nastavnik.matching.engine.errors import InvalidInput

from .helpers import ENGINE_EXAMPLES
from .reference import brute_force, milp_reference, quantize


@st.composite
def small_instances(draw: st.DrawFn, max_mentees: int = 5, max_mentors: int = 3) -> tuple:
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)), min_size=0, max_size=3 * n
        )
    )
    # Few distinct score values so that ties (and zero scores) are common.
    scores = draw(
        st.lists(
            st.sampled_from([0.0, 0.25, 0.5, 0.5000004, 0.75, 1.0]),
            min_size=len(pairs),
            max_size=len(pairs),
        )
    )
    mentee = np.array([p[0] for p in pairs], dtype=np.int64)
    mentor = np.array([p[1] for p in pairs], dtype=np.int64)
    return mentee, mentor, np.array(scores, dtype=np.float64), capacity, n


def check_feasible(result, mentee, mentor, score, capacity, n) -> None:
    assert result.mentor_of.shape == (n,)
    load = np.bincount(result.mentor_of[result.mentor_of >= 0], minlength=len(capacity))
    assert (load <= capacity).all()
    assert (load == result.load).all()
    matched = np.flatnonzero(result.mentor_of >= 0)
    edges = result.edge_of[matched]
    assert (mentee[edges] == matched).all()
    assert (mentor[edges] == result.mentor_of[matched]).all()
    assert result.n_matched == matched.size
    assert result.objective == int(quantize(score)[edges].sum())
    assert result.total_score == pytest.approx(float(score[edges].sum()))


@ENGINE_EXAMPLES
@given(small_instances())
def test_matches_brute_force_in_both_modes(instance: tuple) -> None:
    mentee, mentor, score, capacity, n = instance
    best_score, best_cov = brute_force(mentee, mentor, score, capacity, n)

    by_score = assign(mentee, mentor, score, capacity, n, prefer="score")
    check_feasible(by_score, mentee, mentor, score, capacity, n)
    assert by_score.objective == best_score[0]

    by_cov = assign(mentee, mentor, score, capacity, n, prefer="coverage")
    check_feasible(by_cov, mentee, mentor, score, capacity, n)
    assert (by_cov.n_matched, by_cov.objective) == best_cov


@st.composite
def larger_instances(draw: st.DrawFn) -> tuple:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    m = int(rng.integers(2, 20))
    n_edges = int(rng.integers(0, n * min(m, 6)))
    mentee = rng.integers(0, n, n_edges)
    mentor = rng.integers(0, m, n_edges)
    score = np.round(rng.random(n_edges), int(rng.integers(1, 7)))
    capacity = rng.integers(0, 5, m)
    return mentee, mentor, score, capacity, n


@ENGINE_EXAMPLES
@given(larger_instances())
def test_matches_milp_reference(instance: tuple) -> None:
    mentee, mentor, score, capacity, n = instance
    for prefer in ("score", "coverage"):
        result = assign(mentee, mentor, score, capacity, n, prefer=prefer)
        check_feasible(result, mentee, mentor, score, capacity, n)
        objective, matched = milp_reference(
            mentee, mentor, score, capacity, n, coverage=prefer == "coverage"
        )
        assert result.objective == objective
        if prefer == "coverage":
            assert result.n_matched == matched


@ENGINE_EXAMPLES
@given(larger_instances(), st.integers(0, 2**32 - 1))
def test_deterministic_and_order_independent(instance: tuple, seed: int) -> None:
    mentee, mentor, score, capacity, n = instance
    first = assign(mentee, mentor, score, capacity, n)
    again = assign(mentee, mentor, score, capacity, n)
    assert (first.mentor_of == again.mentor_of).all()
    assert (first.edge_of == again.edge_of).all()

    perm = np.random.default_rng(seed).permutation(len(mentee))
    shuffled = assign(mentee[perm], mentor[perm], score[perm], capacity, n)
    assert shuffled.objective == first.objective
    # Duplicate pairs with different scores make "the same edge" ambiguous only by index:
    # the chosen (mentee, mentor) pairs must be identical.
    assert (shuffled.mentor_of == first.mentor_of).all()


@ENGINE_EXAMPLES
@given(larger_instances(), st.integers(0, 2**32 - 1))
def test_locked_pairs_are_kept(instance: tuple, seed: int) -> None:
    mentee, mentor, score, capacity, n = instance
    rng = np.random.default_rng(seed)
    # Lock a few edges that respect capacity, one per mentee.
    locked: list[tuple[int, int]] = []
    used = np.zeros(len(capacity), dtype=np.int64)
    seen: set[int] = set()
    for e in rng.permutation(len(mentee))[:5]:
        i, j = int(mentee[e]), int(mentor[e])
        if i not in seen and used[j] < capacity[j]:
            locked.append((i, j))
            seen.add(i)
            used[j] += 1
    result = assign(mentee, mentor, score, capacity, n, locked=locked)
    check_feasible(result, mentee, mentor, score, capacity, n)
    for i, j in locked:
        assert result.mentor_of[i] == j
        assert result.locked[i]
    # The rest is optimal given the locks: compare with the MILP on the residual problem.
    q = quantize(score)
    locked_mentees = np.array([i for i, _ in locked], dtype=np.int64)
    keep = ~np.isin(mentee, locked_mentees)
    residual = capacity - np.bincount(
        np.array([j for _, j in locked], dtype=np.int64), minlength=len(capacity)
    )
    rest, _ = milp_reference(mentee[keep], mentor[keep], score[keep], residual, n)
    best_locked = 0
    key = mentee * len(capacity) + mentor
    for i, j in locked:
        best_locked += int(q[key == i * len(capacity) + j].max())
    assert result.objective == rest + best_locked


def test_duplicate_edges_keep_the_best() -> None:
    result = assign([0, 0, 0], [1, 1, 0], [0.2, 0.9, 0.5], [1, 1], 1)
    assert result.mentor_of.tolist() == [1]
    assert result.edge_of.tolist() == [1]
    assert result.total_score == pytest.approx(0.9)


def test_coverage_trades_score_for_matches() -> None:
    # Mentor 0 is the best for both mentees but takes one; mentor 1 is weak but free.
    args = ([0, 1, 1], [0, 0, 1], [0.9, 1.0, 0.05], [1, 1], 2)
    by_score = assign(*args)
    by_cov = assign(*args, prefer="coverage")
    assert by_score.mentor_of.tolist() == [-1, 0]
    assert by_cov.mentor_of.tolist() == [0, 1]
    assert by_cov.total_score == pytest.approx(0.95)


def test_empty_inputs() -> None:
    result = assign([], [], [], [], 0)
    assert result.n_matched == 0
    result = assign([], [], [], [2], 3)
    assert result.mentor_of.tolist() == [-1, -1, -1]
    assert result.load.tolist() == [0]


def test_quantization_is_documented_scale() -> None:
    assert SCORE_SCALE == 10**6
    result = assign([0], [0], [0.1234564], [1], 1)
    assert result.objective == 123456


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mentor": [0]}, "same length"),
        ({"score": [0.5, 0.5, 0.5]}, "same length"),
        ({"capacity": [1, -1]}, r"capacity must be >= 0; capacity\[1\] = -1"),
        ({"mentee": [0, 5]}, r"mentee indices must be in \[0, n_mentees=2\); found 5"),
        ({"mentor": [0, 2]}, r"mentor indices must be in \[0, len\(capacity\)=2\); found 2"),
        ({"mentee": [-1, 0]}, "mentee indices"),
        ({"score": [np.nan, 0.5]}, r"score must be finite; score\[0\] = nan"),
        ({"score": [0.5, np.inf]}, "score must be finite"),
        ({"score": [0.5, -0.1]}, r"score must be >= 0"),
        ({"locked": [(0, 0)]}, r"locked pair \(0, 0\) is not a candidate edge"),
        ({"locked": [(0, 1), (0, 1)]}, "mentee 0 is locked more than once"),
        ({"locked": [(0, 1), (1, 1)], "capacity": [1, 1]}, "mentor 1 has 2 locked mentees"),
        ({"locked": [(3, 1)]}, "locked mentee indices"),
        ({"prefer": "fairness"}, "prefer must be"),
        ({"n_mentees": -1}, "n_mentees must be"),
        ({"mentee": [[0, 1]]}, "one-dimensional"),
        ({"score": ["a", "b"]}, "must hold numbers"),
        ({"mentee": [0.5, 1]}, "must hold integers"),
        ({"score": [0.5, 1e13]}, "too large"),
    ],
)
def test_bad_input_is_rejected_with_a_message(kwargs: dict, message: str) -> None:
    args = {
        "mentee": [0, 1],
        "mentor": [1, 1],
        "score": [0.5, 0.7],
        "capacity": [1, 2],
        "n_mentees": 2,
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        assign(**args)
