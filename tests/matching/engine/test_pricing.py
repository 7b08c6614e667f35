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


# The crowded rows' shortcut of the scan (``_Scan._crowd``) against the selection it replaces.


def _reference_scan(scan: Any, rows: np.ndarray) -> tuple:
    """The scan of a block as it was before the shortcut: every passed cell materialized."""
    scores = scan.scorer.scores(rows)
    width = scan.cols.size
    lo, hi = np.searchsorted(scan.cand_mentee, [rows[0], rows[-1] + 1])
    c_mentee, c_column = scan.cand_mentee[lo:hi], scan.cand_column[lo:hi]
    c_row = np.minimum(np.searchsorted(rows, c_mentee), rows.size - 1)
    hit = rows[c_row] == c_mentee
    scores[c_row[hit], c_column[hit]] = -np.inf
    red = scores - scan.v32[None, :]
    passed = red > (scan.u32[rows] - scan.reach)[:, None]
    most = np.empty((rows.size, scan.bounds.n_groups), dtype=np.float32)
    scan._most(red, most)
    flat = np.flatnonzero(passed)
    row = flat // width
    col = flat - row * width
    value = scores.reshape(-1)[flat]
    allowed = value >= _NEGATIVE
    row, col, value = row[allowed], col[allowed], value[allowed]
    score = np.maximum(value.astype(np.float64), 0.0)
    mentee, mentor = rows[row], scan.cols[col]
    duals = scan.duals
    reduced = quantize(score) + duals.big - duals.mentee[mentee] - duals.mentor[mentor]
    near = (reduced > -scan.slack) & (duals.residual[mentor] > 0)
    bad = reduced > 0
    top = np.zeros(rows.size, dtype=np.int64)
    np.maximum.at(top, row[bad], reduced[bad])
    count = int(np.count_nonzero(bad))
    idx = np.flatnonzero(near)
    row, col, score, reduced = row[idx], col[idx], score[idx], reduced[idx]
    # Each row's per_mentee largest float32 keys, ties to the lower column, in (row, col) order.
    key = reduced.astype(np.float32)
    order = np.lexsort((col, -key.astype(np.float64), row))
    rank = np.empty(row.size, dtype=np.int64)
    start = np.searchsorted(row[order], row[order], side="left")
    rank[order] = np.arange(row.size) - start
    keep = np.flatnonzero(rank < scan.per_mentee)
    row, col = row[keep], col[keep]
    if count > pricing_module._CROWDED * rows.size:
        table = np.full(most.shape, _ANY, dtype=np.int64)
    else:
        scores[row, col] = -np.inf
        red = scores - scan.v32[None, :]
        scan._most(red, most)
        table = scan._table(most)
    return row, col, score[keep], reduced[keep], count, top, table


def _compare_scans(calls: list[int]) -> Any:
    original = pricing_module._Scan.__call__

    def both(scan: Any, rows: np.ndarray) -> tuple:
        new = original(scan, rows)
        old = _reference_scan(scan, rows)
        for a, b in zip(new, old, strict=True):
            assert np.array_equal(np.asarray(a), np.asarray(b))
        calls[0] += 1
        return new

    return both


def _crowded_rows(calls: list[int]) -> Any:
    original = pricing_module._Scan._crowd

    def counting(scan: Any, *args: Any) -> int:
        crowd = args[5]
        before = int(crowd.sum())
        sure = original(scan, *args)
        calls[1] += int(crowd.sum()) - before
        return sure

    return counting


@pytest.mark.parametrize("seed", range(12))
def test_the_crowded_shortcut_selects_what_every_cell_selects(seed: int) -> None:
    rng = np.random.default_rng(40_000 + seed)
    n, m = int(rng.integers(150, 600)), int(rng.integers(20, 150))
    bases, rules = _base(seed, n, m, bool(seed % 3 == 0), rng)
    prefer = "coverage" if seed % 4 == 3 else "score"
    calls = [0, 0]
    with (
        mock.patch.object(pricing_module._Scan, "__call__", _compare_scans(calls)),
        mock.patch.object(pricing_module._Scan, "_crowd", _crowded_rows(calls)),
    ):
        result = match(
            bases.mentees,
            bases.mentors,
            rules,
            prefer=prefer,
            all_pairs_cells=0,
            top_k=int(rng.integers(1, 4)),
            mentor_top_k=int(rng.integers(0, 3)),
            fill_rounds=0,
            pricing_top_k=int(rng.integers(1, 12)),
            block_cells=int(rng.choice([1 << 12, 1 << 16])),
        )
    assert result.certified
    assert calls[0] > 0
    if prefer == "score":
        assert calls[1] > 0  # the shortcut was taken


@pytest.mark.parametrize("seed", range(6))
def test_the_crowded_shortcut_on_made_up_potentials_with_ties(seed: int) -> None:
    # Potentials far from any solve's: every pair violates (u = v = 0, ties of integer keys), or
    # by about 20 score units (v = -20 S: the float32 keys tie in pairs and more, and forbidden
    # pairs would pass as sure violators, so the shortcut must stay away), or u and v both far.
    rng = np.random.default_rng(50_000 + seed)
    n, m = int(rng.integers(100, 400)), int(rng.integers(30, 150))
    bases, rules = _base(seed, n, m, bool(seed % 2), rng)
    seen: list[tuple] = []

    def capture(*args: Any, **kwargs: Any) -> Priced:
        seen.append((args, dict(kwargs)))
        return price(*args, **kwargs)

    with mock.patch.object(match_module, "price", capture):
        match(bases.mentees, bases.mentors, rules, all_pairs_cells=0, top_k=2, fill_rounds=0)
    (model, duals, cands), kwargs = seen[0]
    calls = [0, 0]
    for lift, shift in ((0, 0), (0, -20 * 10**6), (0, -(10**6) // 2), (20 * 10**6, -20 * 10**6)):
        u = np.full_like(duals.mentee, lift) + rng.integers(0, 2, duals.mentee.size)
        v = np.where(duals.residual > 0, shift + rng.integers(0, 3, duals.mentor.size), 0)
        made = pricing_module.Duals(u, v, duals.residual, duals.free, 0, 0)
        for per_mentee in (1, 3, 10):
            kwargs.update(per_mentee=per_mentee, bounds=None)
            with (
                mock.patch.object(pricing_module._Scan, "__call__", _compare_scans(calls)),
                mock.patch.object(pricing_module._Scan, "_crowd", _crowded_rows(calls)),
            ):
                found = price(model, made, cands, **kwargs)
            assert found.violations > 0
    assert calls[1] > 0
