"""match() is optimal over every allowed pair, proven by pricing: checked against all-pairs solves.

The reference is an exact solve over *every* allowed pair (``all_pairs_cells`` above the base,
no pruning, no pricing); ``match()`` runs with pruned candidate lists (``all_pairs_cells=0``)
and must reach the same objective on every base, certify it, and carry duals that are feasible
for every allowed pair.
"""

from __future__ import annotations

import sys
from unittest import mock

import numpy as np
import pytest

from nastavnik.matching.engine import MatchResult, Rules, match
from nastavnik.matching.engine.assignment import SCORE_SCALE
from nastavnik.matching.engine.pricing import dual_potentials, quantize
from nastavnik.matching.engine.synthetic import synthetic

match_module = sys.modules["nastavnik.matching.engine.match"]  # the package exports match()
EVERY_PAIR = 10**12
RULES = (
    Rules(),
    Rules(variant="strong_helps_weak", same_class="prefer_same"),
    Rules(variant="similar_level", require_format_match=True),
)


def _base(seed: int, n: int, m: int, skewed: bool, rng: np.random.Generator) -> tuple:
    bases = synthetic(n, m, seed=seed, skewed=skewed, capacity=(1, int(rng.integers(2, 6))))
    rules = RULES[seed % len(RULES)]
    if rng.random() < 0.5:
        k = int(rng.integers(1, max(2, n // 4)))
        exclusions = np.stack([rng.integers(0, n, k), rng.integers(0, m, k)], axis=1)
        rules = Rules(
            variant=rules.variant,
            same_class=rules.same_class,
            require_format_match=rules.require_format_match,
            exclusions=exclusions.astype(np.int64),
        )
    return bases, rules


def _locks(reference: MatchResult, capacity: np.ndarray, rng: np.random.Generator) -> list:
    """A few random allowed pairs (any score, not only good ones) that fit the capacities."""
    cands = reference.candidates
    if len(cands) == 0:
        return []
    picked: list[tuple[int, int]] = []
    taken: set[int] = set()
    load = np.zeros_like(capacity)
    for e in rng.permutation(len(cands))[: int(rng.integers(1, 8))]:
        i, j = int(cands.mentee[e]), int(cands.mentor[e])
        if i in taken or load[j] >= capacity[j]:
            continue
        picked.append((i, j))
        taken.add(i)
        load[j] += 1
    return picked


def _check(result: MatchResult, reference: MatchResult) -> None:
    assert reference.certificate.method == "all_pairs"
    assert result.certificate.method == "pricing"
    assert result.certified, result.certificate
    assert result.assignment.objective == reference.assignment.objective
    assert result.assignment.n_matched == reference.assignment.n_matched or (
        # Ties in score can match a different number of mentees in "score" mode.
        result.certificate.duals is not None and result.certificate.duals.big == 0
    )
    assert result.certificate.bound == result.assignment.objective
    _check_duals(result, reference)


def _check_duals(result: MatchResult, reference: MatchResult) -> None:
    """The certificate itself: u + v >= w on every allowed pair (the reference's edges)."""
    duals = result.certificate.duals
    assert duals is not None
    cands = reference.candidates
    use = duals.free[cands.mentee] & (duals.residual[cands.mentor] > 0)
    w = quantize(cands.score[use]) + duals.big
    slack = duals.mentee[cands.mentee[use]] + duals.mentor[cands.mentor[use]] - w
    assert (slack >= 0).all()
    assert (duals.mentee >= 0).all()
    assert (duals.mentor >= 0).all()


def _run(seed: int, n: int, m: int, skewed: bool) -> None:
    # Re-solves over a restricted set of candidates (the region's way) for most bases, over all
    # of them for the others.
    with mock.patch.object(match_module, "SOLVE_WHOLE_UP_TO", 0 if seed % 4 else 10**9):
        _run_once(seed, n, m, skewed)


def _run_once(seed: int, n: int, m: int, skewed: bool) -> None:
    rng = np.random.default_rng(seed)
    bases, rules = _base(seed, n, m, skewed, rng)
    prefer = "coverage" if seed % 2 else "score"
    free = match(bases.mentees, bases.mentors, rules, prefer=prefer, all_pairs_cells=EVERY_PAIR)
    assert bases.mentors.capacity is not None
    locked = _locks(free, bases.mentors.capacity, rng) if seed % 3 else []
    reference = match(
        bases.mentees,
        bases.mentors,
        rules,
        prefer=prefer,
        locked=locked,
        all_pairs_cells=EVERY_PAIR,
    )
    result = match(
        bases.mentees,
        bases.mentors,
        rules,
        prefer=prefer,
        locked=locked,
        all_pairs_cells=0,
        top_k=int(rng.integers(1, 6)),
        mentor_top_k=int(rng.integers(0, 4)),
        fill_rounds=int(rng.integers(0, 2)),
        pricing_top_k=int(rng.integers(1, 6)),
        block_cells=int(rng.choice([1 << 12, 1 << 16, 1 << 23])),
    )
    _check(result, reference)
    for i, j in locked:
        assert result.mentor_of[i] == j


@pytest.mark.parametrize("seed", range(240))
def test_small_bases_match_the_all_pairs_optimum(seed: int) -> None:
    rng = np.random.default_rng(10_000 + seed)
    n = int(rng.integers(2, 120))
    m = int(rng.integers(1, 30))
    _run(seed, n, m, skewed=bool(seed % 4 == 0))


@pytest.mark.parametrize("seed", range(40))
def test_medium_bases_match_the_all_pairs_optimum(seed: int) -> None:
    rng = np.random.default_rng(20_000 + seed)
    n = int(rng.integers(200, 800))
    m = int(rng.integers(40, 200))
    _run(1_000 + seed, n, m, skewed=bool(seed % 2))


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "skewed"), [(1, False), (2, True), (3, False), (4, True)])
def test_larger_bases_match_the_all_pairs_optimum(seed: int, skewed: bool) -> None:
    _run(2_000 + seed, 1_000 * seed // 2 + 1_000, 200 * seed // 2 + 200, skewed=skewed)


def test_a_pruned_match_is_certified_only_after_pricing_found_what_the_lists_missed() -> None:
    bases = synthetic(400, 80, seed=3, skewed=True)
    rules = RULES[1]
    pruned = match(
        bases.mentees,
        bases.mentors,
        rules,
        all_pairs_cells=0,
        top_k=2,
        mentor_top_k=0,
        fill_rounds=0,
        certify=False,
    )
    assert not pruned.certified
    assert pruned.certificate.reason == "off"
    proven = match(
        bases.mentees,
        bases.mentors,
        rules,
        all_pairs_cells=0,
        top_k=2,
        mentor_top_k=0,
        fill_rounds=0,
    )
    assert proven.certified
    assert proven.certificate.rounds >= 2
    assert proven.certificate.pairs_added > 0
    assert proven.assignment.objective > pruned.assignment.objective
    assert proven.certificate.bound_score == pytest.approx(
        proven.assignment.objective / SCORE_SCALE
    )


def test_a_round_limit_leaves_an_honest_bound() -> None:
    bases = synthetic(400, 80, seed=3, skewed=True)
    rules = RULES[1]
    kwargs = {"all_pairs_cells": 0, "top_k": 1, "mentor_top_k": 0, "fill_rounds": 0}
    stopped = match(bases.mentees, bases.mentors, rules, max_rounds=1, **kwargs)
    best = match(bases.mentees, bases.mentors, rules, all_pairs_cells=EVERY_PAIR)
    assert not stopped.certified
    assert stopped.certificate.reason == "rounds"
    assert stopped.certificate.violations > 0
    assert stopped.certificate.bound is not None
    assert stopped.assignment.objective < best.assignment.objective <= stopped.certificate.bound


def test_pricing_is_deterministic() -> None:
    bases = synthetic(500, 100, seed=11, skewed=True)
    kwargs = {"all_pairs_cells": 0, "top_k": 3, "mentor_top_k": 2}
    one = match(bases.mentees, bases.mentors, **kwargs, workers=1, block_cells=1 << 14)
    two = match(bases.mentees, bases.mentors, **kwargs, workers=2, block_cells=1 << 20)
    assert (one.mentor_of == two.mentor_of).all()
    assert one.certificate.history == two.certificate.history


def test_duals_of_a_hand_made_assignment() -> None:
    # Two mentees, one mentor with one place: mentee 0 (0.9) beats mentee 1 (0.5).
    from nastavnik.matching.engine import Candidates, assign

    cands = Candidates(np.array([0, 1]), np.array([0, 0]), np.array([0.9, 0.5]), np.array([1, 1]))
    capacity = np.array([1])
    result = assign(cands.mentee, cands.mentor, cands.score, capacity, 2)
    duals = dual_potentials(cands, result, capacity, np.array([True, True]), "score")
    assert duals is not None
    # Shortest paths give the largest mentor potentials: the place is worth the whole 0.9.
    assert duals.mentor.tolist() == [900_000]
    assert duals.mentee.tolist() == [0, 0]
    assert duals.value == result.objective == 900_000
