"""The proof that an assignment over candidate pairs is optimal over every allowed pair.

The assignment is a maximum-weight b-matching; its linear program and dual are::

    max  sum w[i, j] x[i, j]              min  sum u[i] + sum r[j] v[j]
         sum_j x[i, j] <= 1   (u[i])           u[i] + v[j] >= w[i, j]  for every pair
         sum_i x[i, j] <= r[j] (v[j])          u, v >= 0
         x >= 0

with ``w = q`` (the quantized score) for ``prefer="score"`` and ``w = q + big`` for
``prefer="coverage"``, where ``big`` exceeds any candidate matching's total ``q``, so that one
more matched mentee always outweighs any score (the lexicographic objective). ``r`` is each
mentor's capacity less the locked mentees. The constraint matrix is totally unimodular, so the
LP optimum is the integer optimum.

After solving over the candidate pairs, :func:`dual_potentials` computes potentials ``u`` (per
mentee) and ``v`` (per mentor) that are optimal for the dual *over the candidates*: the
shortest distances in the residual network of the optimal flow (Bellman-Ford, exact on
integers), checked afterwards by complementary slackness. :func:`price` then scans every
allowed pair, block by block with the very scores the candidates came from, for a pair with
``w[i, j] > u[i] + v[j]``. If none is left, ``(u, v)`` is feasible for the dual over *all* pairs
and its value equals the assignment's: the assignment is optimal over every allowed pair, and the
potentials are the certificate. Otherwise the violating pairs are added and the assignment is
solved again (pricing, as in column generation).

Whatever the round, ``u[i] + max(0, max_j (w[i, j] - u[i] - v[j]))`` with ``v`` is feasible for
the dual over all pairs, so its value is an upper bound on the optimum (:attr:`Priced.bound`).

Each scan costs as much as scoring every pair, so the later scans score only the rows they must
(:class:`RowBounds`): a scan also keeps, per mentee row and group of mentors, an upper bound on
``w - v`` over the pairs outside the candidates (integers, from the float32 maxima and the
filter's margin); the next scan, with the new duals, skips a row whose bound, raised by how far
each group's potentials fell, stays ``slack`` below its ``u``. Such a row has no pair to add nor
to count, so a bounded scan finds exactly what a full one finds (the candidates' cells are set to
``-inf`` in the block, which also spares looking them up). At 30 000 × 6 000 the second scan
scores about half the rows of the uniform base, the third 5 %; the skewed base's second scan
scores all (its first finds ~700 improving pairs per row and the potentials move far, so no
bounds are kept: ``_CROWDED``), its third ~40 %, its fourth 5 %.
(Those figures are for candidates chosen by score; since ``match()`` chooses them by ``score -
price`` with estimated mentor potentials, the first scan of the uniform base finds a few dozen
pairs and the second scores about 1 % of the rows.)

A crowded row (score mode) is not materialized cell by cell: its ``per_mentee``-th largest
group maximum of ``score - v`` bounds its top from below, only the cells near that threshold
(and near ``u``, for the count) are tested exactly, and its sure violators are counted in place
(``_Scan._crowd``); the result is the same, pair for pair, count and bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nastavnik.matching.engine.assignment import SCORE_SCALE, Assignment, Prefer
from nastavnik.matching.engine.candidates import (
    _NEGATIVE,
    BlockScorer,
    Candidates,
    _top_per_row,
    blocks_of,
    in_order,
)
from nastavnik.matching.engine.scoring import ScoreModel

__all__ = ["Duals", "Priced", "coverage_weight", "dual_potentials", "price"]

Rows = NDArray[np.int64]


@dataclass(frozen=True)
class Duals:
    """Optimal dual values of the assignment over its candidates (integers, quantized scores).

    Attributes:
        mentee: ``(n_mentees,)`` int64, ``u``; 0 for mentees outside the problem (not eligible,
            locked).
        mentor: ``(n_mentors,)`` int64, ``v``; 0 for mentors outside it (not eligible, full of
            locked mentees).
        residual: ``(n_mentors,)`` int64, the places left after the locked mentees (``r``).
        free: ``(n_mentees,)`` bool, the mentees the assignment was free to place.
        big: the weight of one matched mentee in ``prefer="coverage"`` (0 for ``"score"``).
        value: the dual objective ``sum u + sum r v``, equal to the assignment's ``sum w``.
    """

    mentee: NDArray[np.int64]
    mentor: NDArray[np.int64]
    residual: NDArray[np.int64]
    free: NDArray[np.bool_]
    big: int
    value: int


def quantize(score: NDArray[np.floating]) -> NDArray[np.int64]:
    """The solver's integer scores (as :func:`~nastavnik.matching.engine.assignment.assign`)."""
    return np.rint(np.asarray(score, dtype=np.float64) * SCORE_SCALE).astype(np.int64)


def dual_potentials(
    cands: Candidates,
    result: Assignment,
    capacity: NDArray[np.int64],
    eligible: NDArray[np.bool_],
    prefer: Prefer,
    big: int | None = None,
    *,
    low: bool = False,
) -> Duals | None:
    """Optimal duals over the candidates, or None if the check of them fails (never expected).

    ``cands`` are the edges ``result`` was solved over (canonical, so ``edge_of`` indexes them),
    ``capacity`` the mentors' capacities (0 for mentors not eligible), ``eligible`` the mentees
    that may be matched at all. ``big`` (coverage only) is the weight of a matched mentee, by
    default computed from ``cands`` (see :func:`coverage_weight`); a caller solving over a part
    of its candidates passes the whole set's, so that the duals price every pair alike.
    ``low``: of the optimal duals, those with the lowest mentor potentials (and the highest
    mentee ones) instead of the reverse.
    """
    n, m = result.mentor_of.size, capacity.size
    locked = result.locked
    residual = capacity - np.bincount(result.mentor_of[locked], minlength=m)
    free = eligible & ~locked
    q = quantize(cands.score)
    use = free[cands.mentee] & (residual[cands.mentor] > 0)
    ei, ej, eq = cands.mentee[use], cands.mentor[use], q[use]
    if big is None:
        big = coverage_weight(ei, eq, n) if prefer == "coverage" else 0
    w = eq + big
    chosen = np.zeros(cands.mentee.size, dtype=bool)
    placed = free & (result.mentor_of >= 0)
    chosen[result.edge_of[placed]] = True
    on = chosen[use]
    load = np.bincount(result.mentor_of[placed], minlength=m)

    # Difference constraints with x = -u for mentees, v for mentors and 0 for the root: the
    # shortest distances from the root satisfy them all (no negative cycle: x is optimal).
    # An arc tail -> head of weight c says x[head] <= x[tail] + c.
    root = n + m
    open_mentor = residual > 0
    free_idx = np.flatnonzero(free)
    open_idx = n + np.flatnonzero(open_mentor)
    unplaced = np.flatnonzero(free & ~placed)
    slack = n + np.flatnonzero(open_mentor & (load < residual))
    arcs = [
        (ej + n, ei, -w),  # u + v >= w on every candidate pair
        (ei[on], ej[on] + n, w[on]),  # u + v <= w on the chosen ones (so: equal)
        (np.full(free_idx.size, root), free_idx, 0),  # u >= 0
        (open_idx, np.full(open_idx.size, root), 0),  # v >= 0
        (unplaced, np.full(unplaced.size, root), 0),  # u <= 0 for a mentee left without a mentor
        (np.full(slack.size, root), slack, 0),  # v <= 0 for a mentor with a place left
    ]
    tails = [a[0] for a in arcs]
    heads = [a[1] for a in arcs]
    weights = [np.broadcast_to(np.asarray(a[2], dtype=np.int64), a[0].shape) for a in arcs]
    tail = np.concatenate(tails).astype(np.int64)
    head = np.concatenate(heads).astype(np.int64)
    weight = np.concatenate(weights).astype(np.int64)
    if low:
        # The least solution: x[k] = -(shortest distance from k to the root), the distances
        # from the root over the reversed arcs.
        found = shortest_distances(head, tail, weight, root + 1, root)
        if found is None:
            return None
        x = -found
    else:
        found = shortest_distances(tail, head, weight, root + 1, root)
        if found is None:
            return None
        x = found
    u = np.where(free, -x[:n], 0)
    v = np.where(open_mentor, x[n:root], 0)
    # Complementary slackness, checked exactly on integers: then the dual value equals the
    # primal one, and (u, v) is optimal over the candidates.
    reduced = u[ei] + v[ej] - w
    ok = (
        (reduced >= 0).all()
        and (reduced[on] == 0).all()
        and (u >= 0).all()
        and (v >= 0).all()
        and (u[free & ~placed] == 0).all()
        and (v[open_mentor & (load < residual)] == 0).all()
    )
    value = int(u.sum()) + int((residual[open_mentor] * v[open_mentor]).sum())
    if not ok or value != int(w[on].sum()):
        return None
    return Duals(u, v, residual, free, big, value)


def coverage_weight(mentee: Rows, q: NDArray[np.int64], n_mentees: int) -> int:
    """More than any matching's total ``q`` over these edges: one more mentee outweighs it.

    The candidates hold every mentee's best allowed mentor, so this exceeds the total of any
    matching over every allowed pair too.
    """
    best = np.zeros(n_mentees, dtype=np.int64)
    np.maximum.at(best, mentee, q)
    return int(best.sum()) + 1


_UNREACHED = np.iinfo(np.int64).max // 4


def shortest_distances(
    tail: Rows, head: Rows, weight: NDArray[np.int64], n_nodes: int, source: int
) -> NDArray[np.int64] | None:
    """Shortest distances from ``source`` with negative arc weights (integers, exact).

    Bellman-Ford by rounds, vectorized: each round relaxes only the arcs leaving the nodes whose
    distance fell in the round before (as SPFA), so the work follows the changes. Unreached nodes
    get 0; None if a negative cycle is reachable (more rounds than nodes).
    """
    # Any order of a node's arcs gives the same distances (each round relaxes them all at once).
    order = _by_node(tail, n_nodes)
    head, weight = head[order], weight[order]
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n_nodes), out=indptr[1:])
    dist = np.full(n_nodes, _UNREACHED, dtype=np.int64)
    dist[source] = 0
    frontier = np.array([source], dtype=np.int64)
    for _ in range(n_nodes + 1):
        starts, ends = indptr[frontier], indptr[frontier + 1]
        counts = ends - starts
        total = int(counts.sum())
        if total == 0:
            break
        # The arcs leaving the frontier: for each node, starts[k] .. ends[k] - 1.
        arc = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        reach = np.repeat(dist[frontier], counts) + weight[arc]
        to = head[arc]
        better = reach < dist[to]
        if not better.any():
            break
        to, reach = to[better], reach[better]
        np.minimum.at(dist, to, reach)
        frontier = np.unique(to)
    else:
        return None
    return np.where(dist == _UNREACHED, 0, dist)


def _by_node(tail: Rows, n_nodes: int) -> Rows:
    """An order of the arcs grouping them by tail: numpy's radix sort on 16-bit halves (linear
    time; half the cost of a comparison sort on the whole graph's 5 M arcs)."""
    if n_nodes <= 1 << 16:
        return np.argsort(tail.astype(np.uint16), kind="stable")
    if n_nodes <= 1 << 32:
        order = np.argsort((tail & 0xFFFF).astype(np.uint16), kind="stable")
        high = (tail >> 16).astype(np.uint16)
        return order[np.argsort(high[order], kind="stable")]
    return np.argsort(tail)


@dataclass(frozen=True)
class Priced:
    """The outcome of one pricing scan.

    Attributes:
        mentee, mentor, score: the pairs with a positive reduced cost that are not candidates
            yet, at most ``per_mentee`` per mentee (the largest reduced costs, ties towards the
            lower mentor), in (mentee, mentor) order; score as the candidates hold it.
        violations: how many allowed non-candidate pairs had a positive reduced cost in all.
        bound: an upper bound on ``sum w`` over every allowed pair (see the module docstring);
            equal to the duals' value when nothing was found.
        reserve_mentee, reserve_mentor, reserve_score: pairs that nearly violate (reduced cost
            within ``slack``), among the ``per_mentee`` of their mentee.
        bounds: the row bounds for the next scan (see :class:`RowBounds`).
        scanned: the mentee rows this scan scored (the others were proven by ``bounds``).
    """

    mentee: Rows
    mentor: Rows
    score: NDArray[np.float64]
    violations: int
    bound: int
    reserve_mentee: Rows
    reserve_mentor: Rows
    reserve_score: NDArray[np.float64]
    bounds: RowBounds | None = None
    scanned: int = 0


_NONE = -(1 << 61)
"""A row bound for a group where the row has no allowed pair outside the candidates."""
_ANY = 1 << 61
"""A row bound that proves nothing (the row was not bounded)."""
_CROWDED = 64
"""Violations per row above which a block's rows get no bounds: so many pairs improve that the
potentials move far in the next solve, and the bounds would prove nothing (measured)."""


@dataclass
class RowBounds:
    """Per mentee row and group of mentors, an upper bound on ``w - v`` outside the candidates.

    ``table[i, g] >= w[i, j] - mentor[j]`` for every allowed pair ``(i, j)`` with ``j`` in group
    ``g`` (mentors with a place left) that is not a candidate, with ``w`` the weights (``big``
    included) and ``mentor`` the potentials ``v`` of the scan that computed the row; ``_NONE``
    where there is no such pair, ``_ANY`` where the row has no bound. The scan leaves out the
    pairs it adds too (the caller adds them all); pairs added later only leave the set, so the
    table stays valid. With new duals ``(u', v')`` and weight ``big'``, every such pair has
    reduced cost at most ``table[i, g] + max_{j in g} (mentor[j] - v'[j]) + big' - big -
    u'[i]``; if the largest over the groups is at most ``-slack``, the row would yield nothing
    in a scan and need not be scored. A proven row's bounds move to the new potentials
    (``table += drift``), a scored row's are computed afresh.

    The group of the ``c``-th scanned mentor column is ``c % n_groups``: the scan takes the
    maxima of its block in place, with no gather of the columns. (Groups of mentors of near
    potentials, sorted at the first scan, proved somewhat more rows, 83 % instead of 79 % in the
    second scan of a uniform 12 000 × 2 400 base, but the gather cost more than that saved.)

    Attributes:
        n_groups: the number of groups.
        mentor: ``(n_mentors,)`` int64, the potentials the table refers to.
        big: the weight of a matched mentee the table refers to (coverage; else 0).
        table: ``(n_mentees, n_groups)`` int64 (rows of mentees not free are unused).
    """

    n_groups: int
    mentor: NDArray[np.int64]
    big: int
    table: NDArray[np.int64]

    @classmethod
    def start(cls, duals: Duals, n_mentees: int, width: int, n_groups: int) -> RowBounds:
        """Bounds that prove nothing yet, for ``width`` mentor columns."""
        n_groups = max(1, min(n_groups, width))
        table = np.full((n_mentees, n_groups), _ANY, dtype=np.int64)
        return cls(n_groups, duals.mentor.copy(), duals.big, table)

    def by_group(self, values: NDArray[Any], fill: Any) -> NDArray[Any]:
        """``(size, n_groups)``: per column values laid out by group, padded with ``fill``."""
        size = -(-values.size // self.n_groups)
        padded = np.full(size * self.n_groups, fill, dtype=values.dtype)
        padded[: values.size] = values
        return padded.reshape(size, self.n_groups)

    def advance(self, rows: Rows, duals: Duals, cols: Rows, slack: int) -> Rows:
        """The rows not proven by the table at ``duals``; the bounds moved to them."""
        lowest = np.iinfo(np.int64).min
        fall = np.where(duals.residual[cols] > 0, self.mentor[cols] - duals.mentor[cols], lowest)
        drift = self.by_group(fall, lowest).max(axis=0)
        drift = np.where(drift == lowest, 0, drift) + (duals.big - self.big)
        limit = duals.mentee[rows] - slack
        proven = np.empty(rows.size, dtype=bool)
        step = 4096
        for start in range(0, rows.size, step):
            part = rows[start : start + step]
            moved = np.clip(self.table[part] + drift[None, :], _NONE, _ANY)
            moved[self.table[part] == _ANY] = _ANY
            self.table[part] = moved
            proven[start : start + step] = moved.max(axis=1) <= limit[start : start + step]
        self.mentor = duals.mentor.copy()
        self.big = duals.big
        return rows[~proven]


def price(
    model: ScoreModel,
    duals: Duals,
    cands: Candidates,
    *,
    mentees: Rows,
    mentors: Rows,
    per_mentee: int,
    slack: float,
    block_cells: int,
    workers: int | None,
    bounds: RowBounds | None = None,
    groups: int = 128,
) -> Priced:
    """Scan every allowed pair of the free ``mentees`` × eligible ``mentors`` for violations.

    ``mentees`` and ``mentors`` must be the rows and columns the candidates were scored with, so
    that every pair's score is the candidates' one bit for bit (see ``_ROW_CHUNK`` in
    :mod:`.candidates`). Per mentee,
    the ``per_mentee`` pairs of largest reduced cost above ``-slack`` (score units) are kept:
    the positive ones are the violations, the others the reserve.

    ``bounds`` (the previous scan's :attr:`Priced.bounds`, with ``cands`` grown from that
    scan's candidates) spares the rows it proves: they would yield nothing (no pair within
    ``slack``), so the result is exactly the full scan's. ``groups``: mentor groups of the
    bounds made by a first scan.
    """
    rows = mentees[duals.free[mentees]]
    empty = np.zeros(0, dtype=np.int64)
    if rows.size == 0 or mentors.size == 0:
        return Priced(empty, empty, np.zeros(0), 0, duals.value, empty, empty, np.zeros(0))
    if bounds is None:
        bounds = RowBounds.start(duals, model.n_mentees, mentors.size, groups)
    else:
        rows = bounds.advance(rows, duals, mentors, round(slack * SCORE_SCALE))
    scanned = int(rows.size)
    scan = _Scan(model, duals, cands, mentors, per_mentee, slack, base=mentees, bounds=bounds)
    found: list[tuple[Rows, Rows, NDArray[np.float64], NDArray[np.int64]]] = []
    worst = np.zeros(model.n_mentees, dtype=np.int64)
    violations = 0
    found.append((empty, empty, np.zeros(0), empty))
    for block, (row, col, score, reduced, count, top, table) in in_order(
        scan, blocks_of(rows, mentors.size, block_cells), workers
    ):
        found.append((block[row], mentors[col], score, reduced))
        violations += count
        worst[block] = top
        bounds.table[block] = table
    mentee = np.concatenate([f[0] for f in found])
    mentor = np.concatenate([f[1] for f in found])
    score = np.concatenate([f[2] for f in found])
    bad = np.concatenate([f[3] for f in found]) > 0
    return Priced(
        mentee[bad],
        mentor[bad],
        score[bad],
        violations,
        duals.value + int(worst.sum()),
        mentee[~bad],
        mentor[~bad],
        score[~bad],
        bounds,
        scanned,
    )


_Found = tuple[
    Rows,
    Rows,
    NDArray[np.float64],
    NDArray[np.int64],
    int,
    NDArray[np.int64],
    NDArray[np.int64],
]


class _Scan:
    """Pricing of one block of mentees (thread-safe: no shared writes).

    The test ``w > u + v`` runs on the float32 block as a filter that can only err towards
    keeping a pair (a margin above float32 rounding), then exactly on integers for the few kept.
    In coverage mode every potential is ``level * big + small`` with ``level`` 0 or 1 and a small
    part far below ``big``; the filter works on the small parts with a stand-in ``lift`` for
    ``big`` that keeps the float32 values small: a pair whose levels add up to 0 always
    violates, one whose levels add up to 2 never does, whether with ``big`` or with ``lift``.

    The candidates' cells are set to ``-inf`` first: they hold the dual by construction, and
    so are neither violations nor new. The same float32 differences ``score - v``, at most per
    row and group of mentors, give the next scan's row bounds (:class:`RowBounds`), rounded up
    to integers with the margin that covers the float32 rounding.
    """

    def __init__(
        self,
        model: ScoreModel,
        duals: Duals,
        cands: Candidates,
        cols: Rows,
        per_mentee: int,
        slack: float,
        *,
        base: Rows,
        bounds: RowBounds,
    ) -> None:
        self.scorer = BlockScorer(model, cols, 1, None, base=base)
        self.duals = duals
        self.cols = cols
        self.per_mentee = per_mentee
        column = self.scorer.position[cands.mentor]
        inside = column >= 0
        self.cand_mentee = cands.mentee[inside]
        self.cand_column = column[inside]
        u = duals.mentee.astype(np.float64)
        v = duals.mentor[cols].astype(np.float64)
        level_v = np.zeros(cols.size)
        lift = 0.0
        if duals.big:
            big = float(duals.big)
            level_u = np.rint(u / big)
            level_v = np.rint(v / big)
            small_u, small_v = u - level_u * big, v - level_v * big
            spread = (np.abs(small_u).max() + np.abs(small_v).max()) / SCORE_SCALE + 2.0
            lift = float(2.0 ** np.ceil(np.log2(spread)))
            if lift * SCORE_SCALE <= big:
                u = small_u / SCORE_SCALE + (level_u - 1.0) * lift
                v = small_v / SCORE_SCALE + level_v * lift
            else:  # big is small itself: no need to lift anything
                u, v = (u - big) / SCORE_SCALE, v / SCORE_SCALE
                level_v = np.zeros(cols.size)
        else:
            u, v = u / SCORE_SCALE, v / SCORE_SCALE
        # Mentors with no place left take nobody: an infinite price.
        usable = duals.residual[cols] > 0
        v = np.where(usable, v, np.inf)
        finite = np.abs(v[np.isfinite(v)]).max(initial=0.0) + np.abs(u).max(initial=0.0)
        margin = (finite + 4.0) * 2.0**-20
        self.reach = np.float32(margin + slack)
        self.slack = round(slack * SCORE_SCALE)
        self.u32 = u.astype(np.float32)
        self.v32 = v.astype(np.float32)
        # The crowded rows' shortcut (score mode; see ``_crowd``): float32 thresholds beyond
        # which ``w - u - v`` is surely positive (``hi32``) or surely not (``lo32``).
        self.margin = margin
        self.u64 = u
        self.shortcut = not duals.big and 1 <= per_mentee <= bounds.n_groups
        self.hi32 = (u + 2.0 * margin).astype(np.float32)
        self.lo32 = (u - 2.0 * margin).astype(np.float32)
        # Forbidden pairs (score below _NEGATIVE) fall below this in ``score - v32``: a row whose
        # ``u`` is above it has none among its sure violators (always so with duals >= 0).
        self.floor = float(_NEGATIVE) - float(self.v32.min(initial=np.inf))
        # Row bounds: w - v = (q - small) + (1 - level) * big, and q - small <= S * (r + level *
        # lift + margin) for the float32 r = score - v32 (see the class docstring). A group
        # whose mentors are not all of level 1 takes level 0: as big >= S * lift, valid for
        # both.
        self.bounds = bounds
        level = bounds.by_group(np.where(usable, level_v, 1.0) >= 0.5, True).all(axis=0)
        level_g = level.astype(np.float64)
        self.group_add = level_g * lift + 2.0 * margin
        self.group_big = np.rint((1.0 - level_g) * duals.big).astype(np.int64)

    def __call__(self, rows: Rows) -> _Found:
        return self._scan(rows, self.shortcut)

    def _scan(self, rows: Rows, shortcut: bool) -> _Found:
        scores = self.scorer.scores(rows)
        width = self.cols.size
        # Candidates: -inf (thread-safe: the block is this call's own).
        lo, hi = np.searchsorted(self.cand_mentee, [rows[0], rows[-1] + 1])
        c_mentee, c_column = self.cand_mentee[lo:hi], self.cand_column[lo:hi]
        c_row = np.minimum(np.searchsorted(rows, c_mentee), rows.size - 1)
        hit = rows[c_row] == c_mentee
        scores[c_row[hit], c_column[hit]] = -np.inf
        # scores - v > u - reach, a slice of rows at a time: the temporaries stay in cache.
        limit = (self.u32[rows] - self.reach)[:, None]
        passed = np.empty(scores.shape, dtype=bool)
        most = np.empty((rows.size, self.bounds.n_groups), dtype=np.float32)
        step = 16
        reduced32 = np.empty((step, width), dtype=np.float32)
        crowd = np.zeros(rows.size, dtype=bool)
        low = np.full(rows.size, -np.inf, dtype=np.float32)
        sure = 0
        for start in range(0, rows.size, step):
            part = slice(start, start + step)
            n_part = scores[part].shape[0]
            red = reduced32[:n_part]
            np.subtract(scores[part], self.v32[None, :], out=red)
            np.greater(red, limit[part], out=passed[part])
            self._most(red, most[part])
            if shortcut:
                sure += self._crowd(rows, start, red, most[part], passed[part], crowd, low)
        return self._finish(rows, scores, passed, most, crowd, low, sure)

    def _crowd(
        self,
        rows: Rows,
        start: int,
        red: NDArray[np.float32],
        most: NDArray[np.float32],
        passed: NDArray[np.bool_],
        crowd: NDArray[np.bool_],
        low: NDArray[np.float32],
    ) -> int:
        """Narrow the crowded rows of a slice to what their top ``per_mentee`` can be.

        The ``k``-th largest of a row's group maxima ``M`` has ``k`` cells at or above it; if
        ``M - u`` exceeds twice the float32 margin, they surely violate, and a cell below
        ``M`` less three margins can be among the row's ``k`` best only through a tie of the
        float32 keys, which :meth:`_sure_top` rules out (or the block is scanned again in full;
        never seen: in score mode with ``u + v >= -0.25`` the keys are exact integers).
        Of the others, only the cells near ``u`` are kept, for the count; the sure violators
        beyond them are counted here (returned). Sets ``crowd`` and ``low`` (the threshold).
        """
        k = self.per_mentee
        n_groups = most.shape[1]
        kth = np.partition(most, n_groups - k, axis=1)[:, n_groups - k].astype(np.float64)
        mine = rows[start : start + red.shape[0]]
        u = self.u64[mine]
        local = np.flatnonzero((kth - u >= 2.0 * self.margin) & (u + self.margin >= self.floor))
        if local.size == 0:
            return 0
        sub = red[local]
        threshold = (kth[local] - 3.0 * self.margin).astype(np.float32)
        top = sub >= threshold[:, None]
        hi = self.hi32[mine[local]][:, None]
        lo = self.lo32[mine[local]][:, None]
        sure = int(np.count_nonzero(sub > hi))
        edge = (sub > lo) & (sub <= hi)
        edge &= ~top
        top |= edge
        passed[local] &= top
        crowd[start + local] = True
        low[start + local] = threshold
        return sure

    def _finish(
        self,
        rows: Rows,
        scores: NDArray[np.float32],
        passed: NDArray[np.bool_],
        most: NDArray[np.float32],
        crowd: NDArray[np.bool_],
        low: NDArray[np.float32],
        sure: int,
    ) -> _Found:
        """The exact test, the count and the top ``per_mentee`` of the cells passed."""
        width = self.cols.size
        flat = np.flatnonzero(passed)
        row = flat // width
        col = flat - row * width
        value = scores.reshape(-1)[flat]
        allowed = value >= _NEGATIVE
        row, col, value = row[allowed], col[allowed], value[allowed]
        score = np.maximum(value.astype(np.float64), 0.0)
        mentee, mentor = rows[row], self.cols[col]
        duals = self.duals
        reduced = quantize(score) + duals.big - duals.mentee[mentee] - duals.mentor[mentor]
        near = (reduced > -self.slack) & (duals.residual[mentor] > 0)
        bad = reduced > 0
        top = np.zeros(rows.size, dtype=np.int64)
        np.maximum.at(top, row[bad], reduced[bad])
        counted = bad
        shortcut = crowd.any()
        if shortcut:
            # The crowded rows' sure violators were counted in the slices; their cells near the
            # threshold and near u are here only for the count.
            in_crowd = crowd[row]
            red32 = value - self.v32[col]
            counted = bad & ~(in_crowd & (red32 > self.hi32[mentee]))
            near = near & ~(in_crowd & (red32 < low[row]))
        idx = np.flatnonzero(near)
        count = sure + int(np.count_nonzero(counted))
        row, col, score, red_exact = row[idx], col[idx], score[idx], reduced[idx]
        # The largest reduced costs of each mentee, ties towards the lower mentor; entries stay
        # in (row, col) order.
        rank_key = red_exact.astype(np.float32)
        keep = _top_entries(row, col, rank_key, rows.size, self.per_mentee)
        row, col = row[keep], col[keep]
        if shortcut and not self._sure_top(rows, row, rank_key[keep], crowd, low):
            return self._scan(rows, False)
        # The pairs found become candidates: the row bounds leave them out (their rows again).
        if count > _CROWDED * rows.size:
            table = np.full(most.shape, _ANY, dtype=np.int64)
        else:
            if row.size:
                # Only the groups of the pairs found change: their maxima again without them.
                scores[row, col] = -np.inf
                n_groups = most.shape[1]
                cell = np.unique(row * n_groups + col % n_groups)
                r, g = cell // n_groups, cell % n_groups
                member = g[:, None] + n_groups * np.arange(-(-width // n_groups))[None, :]
                inside = member < width
                member = np.minimum(member, width - 1)
                fresh = scores[r[:, None], member] - self.v32[member]
                fresh[~inside] = -np.inf
                most[r, g] = fresh.max(axis=1)
            table = self._table(most)
        return row, col, score[keep], red_exact[keep], count, top, table

    def _sure_top(
        self,
        rows: Rows,
        row: Rows,
        key: NDArray[np.float32],
        crowd: NDArray[np.bool_],
        low: NDArray[np.float32],
    ) -> bool:
        """Whether no cell below a crowded row's threshold can rank among its kept ones.

        Such a cell has ``w - u - v <= S * (low - u + margin)`` (exact ``reduced``), so its
        float32 key is at most that bound's; it must fall below the smallest key kept.
        """
        kept = np.bincount(row, minlength=rows.size)
        if (kept[crowd] < self.per_mentee).any():
            return False
        least = np.full(rows.size, np.inf, dtype=np.float32)
        np.minimum.at(least, row, key)
        where = np.flatnonzero(crowd)
        u = self.u64[rows[where]]
        above = np.ceil((low[where].astype(np.float64) - u + self.margin) * SCORE_SCALE) + 1.0
        return bool((above.astype(np.float32) < least[where]).all())

    def _most(self, red: NDArray[np.float32], out: NDArray[np.float32]) -> None:
        """Per row and group (column modulo the groups), the largest of ``red``."""
        n_groups = out.shape[1]
        whole = red.shape[1] // n_groups * n_groups
        grid = red[:, :whole].reshape(red.shape[0], -1, n_groups)
        np.max(grid, axis=1, out=out)
        tail = red[:, whole:]
        np.maximum(out[:, : tail.shape[1]], tail, out=out[:, : tail.shape[1]])

    def _table(self, most: NDArray[np.float32]) -> NDArray[np.int64]:
        """The row bounds (see :class:`RowBounds`) from the float32 maxima of ``score - v32``."""
        table = np.full(most.shape, _NONE, dtype=np.int64)
        seen = np.isfinite(most)
        finite = np.where(seen, most, np.float32(0)).astype(np.float64)
        upper = np.ceil((finite + self.group_add[None, :]) * SCORE_SCALE)
        table[seen] = (upper.astype(np.int64) + 1 + self.group_big[None, :])[seen]
        return table


def _top_entries(
    row: Rows, col: Rows, key: NDArray[np.float32], n_rows: int, k: int
) -> NDArray[np.int64]:
    """Positions of each row's ``k`` largest keys (ties to the lower column), in input order."""
    position = np.arange(row.size, dtype=np.int64)
    counts = np.bincount(row, minlength=n_rows)
    if counts.size == 0 or counts.max() <= k:
        return position
    kept_row, kept_pos, _ = _top_per_row(row, position, key, n_rows, k)
    del kept_row
    return kept_pos
