"""The pricing scan with row bounds: it must find exactly what a full scan finds.

Every scan of a pruned ``match()`` is run twice here: once bounded (the rows the previous scan's
bounds prove are not scored, as ``match()`` does) and once in full (every row scored). The two
must agree on every pair found, the count of violations and the bound. Before each bounded scan,
the bounds are checked against the truth: every allowed pair outside the candidates, scored as
the scan scores it, has ``w - v`` at most its row's bound for its group of mentors.
"""

from __future__ import annotations

import sys
from typing import Any
from unittest import mock

import numpy as np
import pytest

from nastavnik.matching.engine import match
from nastavnik.matching.engine import pricing as pricing_module
from nastavnik.matching.engine.candidates import _NEGATIVE, block_pair_scores
from nastavnik.matching.engine.pricing import _ANY, Priced, RowBounds, price, quantize
from tests.matching.engine.test_certificate import EVERY_PAIR, _base, _locks

match_module = sys.modules["nastavnik.matching.engine.match"]  # the package exports match()


def _check_bounds(bounds: RowBounds, kwargs: dict[str, Any], args: tuple) -> int:
    """Every allowed pair outside the candidates is within its row's bound; how many were."""
    model, duals, cands = args
    mentees, mentors = kwargs["mentees"], kwargs["mentors"]
    rows = mentees[duals.free[mentees]]
    group = np.arange(mentors.size) % bounds.n_groups
    usable = np.flatnonzero(duals.residual[mentors] > 0)
    if rows.size == 0 or usable.size == 0:
        return 0
    mentee = np.repeat(rows, usable.size)
    column = np.tile(usable, rows.size)
    score = block_pair_scores(model, mentors, mentee, mentors[column], workers=1, base=mentees)
    keys = cands.mentee * model.n_mentors + cands.mentor
    outside = ~np.isin(mentee * model.n_mentors + mentors[column], keys) & (score >= _NEGATIVE)
    mentee, column, score = mentee[outside], column[outside], score[outside]
    value = quantize(np.maximum(score, 0.0)) + bounds.big - bounds.mentor[mentors[column]]
    table = bounds.table[mentee, group[column]]
    known = table != _ANY
    assert (value[known] <= table[known]).all()
    return int(known.sum())


def _same(one: Priced, two: Priced) -> None:
    assert one.violations == two.violations
    assert one.bound == two.bound
    for name in ("mentee", "mentor", "score", "reserve_mentee", "reserve_mentor", "reserve_score"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name


def _run(seed: int, crowded: int) -> tuple[int, int, int]:
    rng = np.random.default_rng(30_000 + seed)
    n, m = int(rng.integers(150, 500)), int(rng.integers(20, 120))
    bases, rules = _base(seed, n, m, bool(seed % 3 == 0), rng)
    prefer = "coverage" if seed % 2 else "score"
    assert bases.mentors.capacity is not None
    locked: list[tuple[int, int]] = []
    if seed % 4:
        every = match(
            bases.mentees, bases.mentors, rules, prefer=prefer, all_pairs_cells=EVERY_PAIR
        )
        locked = _locks(every, bases.mentors.capacity, rng)
    totals = [0, 0, 0]  # rows the full scans scored, rows the bounded ones did, pairs checked

    def both(*args: Any, **kwargs: Any) -> Priced:
        bounds = kwargs.pop("bounds")
        if bounds is not None:
            totals[2] += _check_bounds(bounds, kwargs, args)
        full = price(*args, **kwargs, bounds=None)
        bounded = price(*args, **kwargs, bounds=bounds)
        _same(full, bounded)
        totals[0] += full.scanned
        totals[1] += bounded.scanned
        return bounded

    with (
        mock.patch.object(match_module, "price", both),
        mock.patch.object(pricing_module, "_CROWDED", crowded),
    ):
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
            block_cells=int(rng.choice([1 << 12, 1 << 16])),
        )
    assert result.certified
    return totals[0], totals[1], totals[2]


@pytest.mark.parametrize("seed", range(36))
def test_a_bounded_scan_finds_what_a_full_scan_finds(seed: int) -> None:
    full, bounded, _ = _run(seed, crowded=10**9 if seed % 5 else 0)
    assert bounded <= full


def test_the_bounds_spare_rows() -> None:
    # Over a few bases, the bounds prove a good part of the rows of the later scans.
    full = bounded = checked = 0
    for seed in range(1, 11):
        f, b, c = _run(seed, crowded=10**9)
        full, bounded, checked = full + f, bounded + b, checked + c
    assert checked > 0
    assert bounded < full
