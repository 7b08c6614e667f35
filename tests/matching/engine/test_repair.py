"""repair(): an optimum over part of the edges, repaired, equals a whole solve over all of them."""

from __future__ import annotations

import numpy as np
import pytest

from nastavnik.matching.engine.assignment import assign
from nastavnik.matching.engine.candidates import Candidates
from nastavnik.matching.engine.pricing import coverage_weight, dual_potentials, quantize
from nastavnik.matching.engine.repair import repair


def _edges(rng: np.random.Generator, n: int, m: int) -> Candidates:
    k = int(rng.integers(1, min(m, 6) + 1))
    mentee = np.repeat(np.arange(n), k)
    mentor = np.concatenate([rng.choice(m, k, replace=False) for _ in range(n)])
    key = np.unique(mentee * m + mentor)
    # Coarse scores make ties, the hard case for a repair.
    score = rng.integers(0, 20, key.size) / 20
    return Candidates(key // m, key % m, score, np.bincount(key // m, minlength=n))


@pytest.mark.parametrize("seed", range(60))
def test_repair_reaches_the_whole_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 80)), int(rng.integers(2, 20))
    cands = _edges(rng, n, m)
    capacity = rng.integers(1, 4, m).astype(np.int64)
    eligible = np.ones(n, dtype=bool)
    prefer = "coverage" if seed % 2 else "score"
    q = quantize(cands.score)
    big = coverage_weight(cands.mentee, q, n) if prefer == "coverage" else 0
    # An optimum over a part of the edges, and its duals.
    part_idx = np.flatnonzero(rng.random(len(cands)) < rng.uniform(0.5, 0.95))
    part = Candidates(
        cands.mentee[part_idx],
        cands.mentor[part_idx],
        cands.score[part_idx],
        np.bincount(cands.mentee[part_idx], minlength=n),
    )
    first = assign(part.mentee, part.mentor, part.score, capacity, n, prefer=prefer)
    duals = dual_potentials(part, first, capacity, eligible, prefer, big)
    assert duals is not None
    chosen = np.full(n, -1, dtype=np.int64)
    placed = first.edge_of >= 0
    chosen[placed] = part_idx[first.edge_of[placed]]
    out = repair(
        cands.mentee,
        cands.mentor,
        q + big,
        capacity,
        chosen,
        duals.mentee,
        duals.mentor,
        max_rounds=10_000,
    )
    assert out is not None
    whole = assign(cands.mentee, cands.mentor, cands.score, capacity, n, prefer=prefer)
    got = out[out >= 0]
    assert np.bincount(cands.mentee[got], minlength=n).max(initial=0) <= 1
    assert (np.bincount(cands.mentor[got], minlength=m) <= capacity).all()
    assert int(q[got].sum()) == whole.objective
    if prefer == "coverage":
        assert got.size == whole.n_matched


def test_nothing_to_repair_keeps_the_assignment() -> None:
    mentee = np.array([0, 1], dtype=np.int64)
    mentor = np.array([0, 0], dtype=np.int64)
    chosen = np.array([0, -1], dtype=np.int64)
    out = repair(
        mentee,
        mentor,
        np.array([5, 3], dtype=np.int64),
        np.array([1], dtype=np.int64),
        chosen,
        np.array([0, 0], dtype=np.int64),
        np.array([5], dtype=np.int64),
    )
    assert out is not None
    assert out.tolist() == [0, -1]
