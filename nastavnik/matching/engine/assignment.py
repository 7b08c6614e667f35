"""Optimal assignment of mentees to mentors: a b-matching solved exactly as a min-cost flow.

The model
---------
Candidate pairs are the edges of a sparse bipartite graph (no edge, no pair). Each mentee takes at
most one mentor; mentor ``j`` takes at most ``capacity[j]`` mentees. The flow network is::

    mentee i (supply 1) --[cap 1, cost -q(i, j)]--> mentor j --[cap capacity[j], cost 0]--> sink
    mentee i            --[cap 1, cost 0]--> sink          (bypass, only for prefer="score")

``q = rint(score * SCORE_SCALE)`` is the quantized score. With ``prefer="score"`` the bypass arcs
let a mentee stay unmatched, so the min-cost flow is a maximum-weight b-matching. With
``prefer="coverage"`` there are no bypass arcs and OR-Tools' ``solve_max_flow_with_min_cost``
first maximizes the flow (the number of matched mentees) and then, among maximum flows, minimizes
the cost: exactly the lexicographic objective.

Optimality is exact for the quantized scores: the solver works on integers, so the returned
assignment maximizes ``sum(q)``; against the raw float scores it can lose at most
``0.5 / SCORE_SCALE`` per matched pair (1e-6 relative to a score range of [0, 1]).

Determinism: edges are put in a canonical order (mentee, then mentor) before the graph is built
and OR-Tools' min-cost flow is deterministic for a given arc order, so the same input, in any edge
order, gives the same assignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from nastavnik.matching.engine.errors import InvalidInput, SolverFailure

__all__ = ["SCORE_SCALE", "Assignment", "Prefer", "assign"]

SCORE_SCALE = 10**6
"""Scores are multiplied by this and rounded to integers for the solver."""

Prefer = Literal["score", "coverage"]

# OR-Tools' cost scaling multiplies costs by the number of nodes internally; stay well clear of
# int64 overflow so that BAD_COST_RANGE can never be the answer.
_COST_HEADROOM = 2**62


@dataclass(frozen=True)
class Assignment:
    """The optimal assignment.

    Attributes:
        mentor_of: ``(n_mentees,)`` int64, the mentor of each mentee or -1.
        edge_of: ``(n_mentees,)`` int64, the index into the input edge arrays of the chosen edge
            (for duplicate edges, the best one, first in input order among equals) or -1.
        load: ``(n_mentors,)`` int64, mentees given to each mentor (locked ones included).
        total_score: sum of the raw scores of the chosen edges, locked ones included.
        objective: sum of the quantized scores (``rint(score * SCORE_SCALE)``) of the chosen
            edges: the integer the solver maximized.
        n_matched: number of mentees with a mentor.
        locked: ``(n_mentees,)`` bool, which mentees came from ``locked``.
    """

    mentor_of: NDArray[np.int64]
    edge_of: NDArray[np.int64]
    load: NDArray[np.int64]
    total_score: float
    objective: int
    n_matched: int
    locked: NDArray[np.bool_]

    @property
    def chosen_edges(self) -> NDArray[np.int64]:
        """Indices into the input edge arrays of the chosen edges, sorted."""
        edges = self.edge_of[self.edge_of >= 0]
        return np.sort(edges)

    def chosen_mask(self, n_edges: int) -> NDArray[np.bool_]:
        """Boolean mask over the ``n_edges`` input edges, True for chosen ones."""
        mask = np.zeros(n_edges, dtype=bool)
        mask[self.chosen_edges] = True
        return mask


@dataclass(frozen=True)
class _Edges:
    """Deduplicated edges in canonical (mentee, mentor) order."""

    mentee: NDArray[np.int64]
    mentor: NDArray[np.int64]
    quantized: NDArray[np.int64]
    source: NDArray[np.int64]  # index of each edge in the caller's arrays


def assign(
    mentee: NDArray[np.integer] | Sequence[int],
    mentor: NDArray[np.integer] | Sequence[int],
    score: NDArray[np.floating] | Sequence[float],
    capacity: NDArray[np.integer] | Sequence[int],
    n_mentees: int,
    *,
    locked: Sequence[tuple[int, int]] = (),
    prefer: Prefer = "score",
) -> Assignment:
    """Assign mentees to mentors optimally.

    Args:
        mentee, mentor, score: the candidate edges, equal lengths; ``score >= 0`` and finite
            (an unwanted pair is expressed by leaving the edge out, never by a negative score).
            Duplicate edges are allowed; the best score of a pair counts.
        capacity: ``(n_mentors,)`` non-negative, how many mentees each mentor may take.
        n_mentees: number of mentees; mentee indices are in ``[0, n_mentees)``.
        locked: (mentee, mentor) pairs the curator fixed. Each must be an edge; they are kept,
            count toward the mentor's capacity and toward the total.
        prefer: ``"score"`` maximizes the total score; ``"coverage"`` first maximizes the number
            of matched mentees, then the total score.

    Raises:
        InvalidInput: with a message saying which argument is wrong and how.
    """
    if prefer not in ("score", "coverage"):
        raise InvalidInput(f'prefer must be "score" or "coverage", not {prefer!r}')
    cap = _as_int_array(capacity, "capacity")
    n_mentors = cap.shape[0]
    if not isinstance(n_mentees, int | np.integer) or n_mentees < 0:
        raise InvalidInput(f"n_mentees must be a non-negative int, not {n_mentees!r}")
    n_mentees = int(n_mentees)
    if cap.size and cap.min() < 0:
        bad = int(np.flatnonzero(cap < 0)[0])
        raise InvalidInput(f"capacity must be >= 0; capacity[{bad}] = {cap[bad]}")
    raw_score = _as_float_array(score, "score")
    edges = _canonical_edges(
        _as_int_array(mentee, "mentee"),
        _as_int_array(mentor, "mentor"),
        raw_score,
        n_mentees,
        n_mentors,
    )

    mentor_of = np.full(n_mentees, -1, dtype=np.int64)
    edge_of = np.full(n_mentees, -1, dtype=np.int64)
    is_locked = np.zeros(n_mentees, dtype=bool)
    residual = cap.copy()
    objective = 0
    if len(locked):
        lock_pos = _locked_edges(locked, edges, n_mentees, n_mentors, cap)
        lk_mentee = edges.mentee[lock_pos]
        lk_mentor = edges.mentor[lock_pos]
        mentor_of[lk_mentee] = lk_mentor
        edge_of[lk_mentee] = edges.source[lock_pos]
        is_locked[lk_mentee] = True
        residual -= np.bincount(lk_mentor, minlength=n_mentors)
        objective += int(edges.quantized[lock_pos].sum())

    # Edges of locked mentees and of full mentors can never be used: leave them out of the graph.
    free = ~is_locked[edges.mentee] & (residual[edges.mentor] > 0)
    sub = np.flatnonzero(free)
    if sub.size:
        chosen = _solve(
            edges.mentee[sub],
            edges.mentor[sub],
            edges.quantized[sub],
            residual,
            n_mentees,
            n_mentors,
            prefer,
        )
        picked = sub[chosen]
        mentor_of[edges.mentee[picked]] = edges.mentor[picked]
        edge_of[edges.mentee[picked]] = edges.source[picked]
        objective += int(edges.quantized[picked].sum())

    matched = mentor_of >= 0
    load = np.bincount(mentor_of[matched], minlength=n_mentors).astype(np.int64)
    total = float(raw_score[edge_of[matched]].sum()) if matched.any() else 0.0
    return Assignment(
        mentor_of=mentor_of,
        edge_of=edge_of,
        load=load,
        total_score=total,
        objective=objective,
        n_matched=int(matched.sum()),
        locked=is_locked,
    )


def _solve(
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    quantized: NDArray[np.int64],
    capacity: NDArray[np.int64],
    n_mentees: int,
    n_mentors: int,
    prefer: Prefer,
) -> NDArray[np.bool_]:
    """Solve the flow on canonical edges; return which of them carry flow."""
    n_edges = mentee.shape[0]
    # Only mentees with an edge and mentors with an edge get nodes: compact numbering keeps the
    # graph small when most of a large base has no candidate.
    left_idx, n_left = _compact(mentee, n_mentees)
    right_idx, n_right = _compact(mentor, n_mentors)
    right = np.flatnonzero(np.bincount(mentor, minlength=n_mentors))
    sink = n_left + n_right
    n_nodes = sink + 1

    bypass = prefer == "score"
    n_arcs = n_edges + n_right + (n_left if bypass else 0)
    tails = np.empty(n_arcs, dtype=np.int32)
    heads = np.empty(n_arcs, dtype=np.int32)
    caps = np.ones(n_arcs, dtype=np.int64)
    costs = np.zeros(n_arcs, dtype=np.int64)
    tails[:n_edges] = left_idx
    heads[:n_edges] = right_idx + n_left
    np.negative(quantized, out=costs[:n_edges])
    end = n_edges + n_right
    tails[n_edges:end] = np.arange(n_left, sink, dtype=np.int32)
    heads[n_edges:end] = sink
    caps[n_edges:end] = capacity[right]
    if bypass:
        tails[end:] = np.arange(n_left, dtype=np.int32)
        heads[end:] = sink

    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[:n_left] = 1
    supplies[sink] = -n_left

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies)
    status = flow.solve() if bypass else flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverFailure(f"min-cost flow ended with status {status}")
    return np.asarray(flow.flows(np.arange(n_edges, dtype=np.int32))) > 0


def _compact(index: NDArray[np.int64], size: int) -> tuple[NDArray[np.int64], int]:
    """Renumber the values present in ``index`` as 0..k-1 in increasing order, in O(len)."""
    present = np.bincount(index, minlength=size) > 0
    new_id = np.cumsum(present) - 1
    return new_id[index], int(present.sum())


def _canonical_edges(
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    score: NDArray[np.float64],
    n_mentees: int,
    n_mentors: int,
) -> _Edges:
    n = mentee.shape[0]
    if mentor.shape[0] != n or score.shape[0] != n:
        raise InvalidInput(
            "mentee, mentor and score must have the same length; got "
            f"{n}, {mentor.shape[0]} and {score.shape[0]}"
        )
    _check_range(mentee, n_mentees, "mentee", "n_mentees")
    _check_range(mentor, n_mentors, "mentor", "len(capacity)")
    finite = np.isfinite(score)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise InvalidInput(f"score must be finite; score[{bad}] = {score[bad]}")
    if n and score.min() < 0:
        bad = int(np.flatnonzero(score < 0)[0])
        raise InvalidInput(
            f"score must be >= 0 (leave an unwanted pair out instead); score[{bad}] = {score[bad]}"
        )
    # Checked in floats before the cast, which would overflow silently.
    if n and float(score.max()) * SCORE_SCALE * (n_mentees + n_mentors + 2) >= _COST_HEADROOM:
        raise InvalidInput(
            f"scores are too large for exact integer costs (max {score.max()}); "
            "keep them within [0, 1]"
        )
    quantized = np.rint(score * SCORE_SCALE).astype(np.int64)
    key = mentee * max(n_mentors, 1) + mentor
    if n < 2 or bool((key[1:] > key[:-1]).all()):
        # Fast path: the candidate generator already emits sorted, unique edges.
        source = np.arange(n, dtype=np.int64)
        return _Edges(mentee, mentor, quantized, source)
    # Best score first within a pair, then input order (lexsort is stable) for equal scores.
    order = np.lexsort((-quantized, key))
    key_sorted = key[order]
    first = np.ones(n, dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    source = order[first].astype(np.int64)
    return _Edges(mentee[source], mentor[source], quantized[source], source)


def _locked_edges(
    locked: Sequence[tuple[int, int]],
    edges: _Edges,
    n_mentees: int,
    n_mentors: int,
    capacity: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Positions in ``edges`` of the locked pairs, after checking them."""
    try:
        pairs = np.asarray(locked, dtype=np.int64).reshape(-1, 2)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("locked must be a sequence of (mentee, mentor) int pairs") from exc
    lk_mentee, lk_mentor = pairs[:, 0], pairs[:, 1]
    _check_range(lk_mentee, n_mentees, "locked mentee", "n_mentees")
    _check_range(lk_mentor, n_mentors, "locked mentor", "len(capacity)")
    values, counts = np.unique(lk_mentee, return_counts=True)
    if (counts > 1).any():
        twice = int(values[counts > 1][0])
        raise InvalidInput(f"mentee {twice} is locked more than once")
    stride = max(n_mentors, 1)
    key = edges.mentee * stride + edges.mentor
    want = lk_mentee * stride + lk_mentor
    pos = np.searchsorted(key, want)
    pos_clipped = np.minimum(pos, max(key.shape[0] - 1, 0))
    found = (pos < key.shape[0]) & (key[pos_clipped] == want) if key.size else pos < 0
    if not found.all():
        bad = int(np.flatnonzero(~found)[0])
        raise InvalidInput(
            f"locked pair ({lk_mentee[bad]}, {lk_mentor[bad]}) is not a candidate edge"
        )
    per_mentor = np.bincount(lk_mentor, minlength=n_mentors)
    over = per_mentor > capacity
    if over.any():
        j = int(np.flatnonzero(over)[0])
        raise InvalidInput(
            f"mentor {j} has {per_mentor[j]} locked mentees but capacity {capacity[j]}"
        )
    return pos_clipped.astype(np.int64)


def _as_int_array(values: object, name: str) -> NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidInput(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all():
            return arr.astype(np.int64)
        raise InvalidInput(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def _as_float_array(values: object, name: str) -> NDArray[np.float64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidInput(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size and arr.dtype.kind not in "iuf":
        raise InvalidInput(f"{name} must hold numbers, got dtype {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def _check_range(values: NDArray[np.int64], upper: int, name: str, bound: str) -> None:
    if values.size == 0:
        return
    bad_mask = (values < 0) | (values >= upper)
    if bad_mask.any():
        bad = int(np.flatnonzero(bad_mask)[0])
        raise InvalidInput(
            f"{name} indices must be in [0, {bound}={upper}); found {values[bad]} at position {bad}"
        )
