"""Group mentoring: mentees who share a deficit, within size limits, led by mentors who cover it.

The method, deterministic throughout:

1. **Eligibility.** Consent and categories as in :func:`match`; a mentor needs capacity > 0.
   A competency is *coverable* if some eligible mentor has it at ``min_level`` or above.
2. **Bucketing.** Each mentee joins the bucket of one of their coverable deficits: the one with
   the highest weight, then the most demanded (so groups fill up), then the lowest id. A bucket
   with fewer than ``min_size`` mentees is closed (the smallest first, one at a time) and its
   mentees choose again among their remaining deficits, until every open bucket is big enough.
3. **Splitting.** A bucket of ``s`` mentees (ordered by ``order`` — e.g. the class — then by
   index, so groups stay homogeneous) becomes ``ceil(s / max_size)`` groups of balanced sizes;
   when balanced sizes would fall below ``min_size``, it becomes ``s // min_size`` groups and the
   last mentees stay ungrouped.
4. **Staffing**, exactly. The score of a mentor for a group is the mean coverage of the members'
   deficits (the ``deficit_coverage`` factor, averaged); a mentor qualifies if they have the
   group's competency at ``min_level`` and no member has excluded or refused them. With
   ``capacity_unit="group"`` (a group uses one unit of the declared capacity) this is a min-cost
   flow: group → mentor arcs of capacity 1 (a mentor is in a group's team at most once), group
   supply ``team_size``, mentor → sink arcs of the capacity, and bypass arcs where the last unit
   costs ``BIG`` so that, with ``prefer="coverage"``, the number of staffed groups is maximized
   first and the total score second. With ``capacity_unit="mentee"`` (a group uses as many units
   as it has members) the capacities make it a knapsack-like problem, solved exactly as a MILP by
   HiGHS through ``scipy.optimize.milp``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from nastavnik.matching.engine.assignment import SCORE_SCALE, Prefer
from nastavnik.matching.engine.errors import InvalidInput, SolverFailure
from nastavnik.matching.engine.explain import (
    REASON_CATEGORY,
    REASON_MENTORS_FULL,
    REASON_NO_CANDIDATE,
    REASON_NO_CONSENT,
)
from nastavnik.matching.engine.features import MenteeFeatures, MentorFeatures, Rules
from nastavnik.matching.engine.match import eligible_mentees, eligible_mentors
from nastavnik.matching.engine.scoring import check_sides, forbidden_pairs

__all__ = [
    "REASON_GROUP_TOO_SMALL",
    "REASON_NO_DEFICIT",
    "Group",
    "Grouping",
    "form_groups",
    "score_group",
]

REASON_NO_DEFICIT = "no_deficit"
"""The mentee has no deficit to group on."""
REASON_GROUP_TOO_SMALL = "group_too_small"
"""Too few mentees share a coverable deficit with this one to make a group."""

CapacityUnit = Literal["group", "mentee"]


@dataclass(frozen=True)
class Group:
    """A group and what it shares.

    Attributes:
        competency: the deficit the group was formed on (a competency id).
        members: mentee indices, in order.
        mentors: the mentor team (empty when no mentor could be given: see ``reason``).
        shared: competency ids in every member's deficits (``competency`` among them).
        mentor_levels: each mentor's level in ``competency``, in [0, 1].
        mentor_scores: each mentor's mean coverage of the members' deficits, in [0, 1].
        reason: None if staffed, else ``"no_candidate"`` or ``"mentors_full"``.
    """

    competency: int
    members: tuple[int, ...]
    mentors: tuple[int, ...]
    shared: tuple[int, ...]
    mentor_levels: tuple[float, ...]
    mentor_scores: tuple[float, ...]
    reason: str | None


@dataclass(frozen=True)
class Grouping:
    """Result of :func:`form_groups`.

    Attributes:
        groups: sorted by competency, then first member.
        group_of: ``(n_mentees,)`` int64, the group of each mentee or -1.
        reasons: for a mentee without a group, why (else None).
        load: ``(n_mentors,)`` int64, capacity units used.
        optimal: the staffing was proven optimal (always for ``capacity_unit="group"``).
    """

    groups: tuple[Group, ...]
    group_of: NDArray[np.int64]
    reasons: tuple[str | None, ...]
    load: NDArray[np.int64]
    optimal: bool


def form_groups(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    rules: Rules | None = None,
    *,
    min_size: int = 3,
    max_size: int = 8,
    team_size: int = 1,
    capacity_unit: CapacityUnit = "group",
    min_level: float = 1.0,
    order: NDArray[np.integer] | None = None,
    prefer: Prefer = "coverage",
    time_limit: float = 60.0,
) -> Grouping:
    """Form groups of mentees on shared deficits and give each a mentor team.

    Args:
        mentees, mentors, rules: as for :func:`match` (deficits, competencies, capacity,
            consent, categories, exclusions and refusals are used).
        min_size, max_size: group size limits, ``1 <= min_size <= max_size``.
        team_size: mentors per group, at most.
        capacity_unit: a mentor's capacity counts groups (``"group"``) or members
            (``"mentee"``), as the program declares.
        min_level: the raw competency level (same scale as ``mentors.competencies``) a mentor
            needs to lead a group on it.
        order: ``(n_mentees,)`` int key; mentees with close keys go together (e.g. grade).
        prefer: ``"coverage"`` staffs as many groups as possible, then maximizes the score;
            ``"score"`` maximizes the total score.
        time_limit: seconds for the MILP (``capacity_unit="mentee"`` only).
    """
    rules = rules if rules is not None else Rules()
    _check_options(min_size, max_size, team_size, capacity_unit, prefer, min_level)
    check_sides(mentees, mentors)
    assert mentees.deficits is not None
    assert mentors.competencies is not None
    assert mentors.capacity is not None
    n = mentees.n
    if order is None:
        order_key = np.zeros(n, dtype=np.int64)
    else:
        order_key = np.asarray(order, dtype=np.int64)
        if order_key.shape != (n,):
            raise InvalidInput(f"order must have shape ({n},), got {order_key.shape}")

    n_cols = max(mentees.deficits.shape[1], mentors.competencies.shape[1])
    deficits = _resized(mentees.deficits, n_cols)
    levels = _resized(mentors.competencies, n_cols)
    ok_e = eligible_mentees(mentees, rules)
    ok_o = eligible_mentors(mentors, rules)
    leads = _leads(levels, ok_o, min_level)
    coverable = np.bincount(leads.indices, minlength=n_cols) > 0
    # The same without the capacity: a deficit some mentor covers, but none with a free place.
    assert mentors.capacity is not None
    ok_any = eligible_mentors(replace(mentors, capacity=np.ones_like(mentors.capacity)), rules)
    coverable_if_free = np.bincount(_leads(levels, ok_any, min_level).indices, minlength=n_cols) > 0

    reasons: list[str | None] = [None] * n
    bucket = _buckets(deficits, ok_e, coverable, min_size)
    for i in range(n):
        own = deficits.indices[deficits.indptr[i] : deficits.indptr[i + 1]]
        if not ok_e[i]:
            reasons[i] = (
                REASON_NO_CONSENT
                if rules.require_consent and not bool(mentees.consent[i])  # type: ignore[index]
                else REASON_CATEGORY
            )
        elif own.size == 0:
            reasons[i] = REASON_NO_DEFICIT
        elif not coverable[own].any():
            reasons[i] = (
                REASON_MENTORS_FULL if coverable_if_free[own].any() else REASON_NO_CANDIDATE
            )
        elif bucket[i] < 0:
            reasons[i] = REASON_GROUP_TOO_SMALL

    members = _split(bucket, order_key, min_size, max_size)
    for group in members:
        bucket[list(group[1])] = -2  # placed
    for leftover in np.flatnonzero(bucket >= 0).tolist():
        reasons[leftover] = REASON_GROUP_TOO_SMALL  # a bucket that did not divide evenly

    group_of = np.full(n, -1, dtype=np.int64)
    for g, (_, mem) in enumerate(members):
        group_of[list(mem)] = g

    forbidden = forbidden_pairs(mentees, mentors, rules)
    edges = _group_edges(members, deficits, levels, leads, forbidden, mentors.max_level)
    capacity = np.where(ok_o, mentors.capacity, 0).astype(np.int64)
    sizes = np.array([len(mem) for _, mem in members], dtype=np.int64)
    if capacity_unit == "group":
        chosen = _staff_by_flow(edges, len(members), capacity, team_size, prefer)
        optimal = True
    else:
        chosen, optimal = _staff_by_milp(edges, sizes, capacity, team_size, prefer, time_limit)

    g_idx, m_idx, score = edges
    load = np.zeros(mentors.n, dtype=np.int64)
    units = np.ones_like(sizes) if capacity_unit == "group" else sizes
    np.add.at(load, m_idx[chosen], units[g_idx[chosen]])
    has_edge = np.bincount(g_idx, minlength=len(members)) > 0
    groups = []
    for g, (comp, mem) in enumerate(members):
        pick = chosen & (g_idx == g)
        team = m_idx[pick]
        order_team = np.lexsort((team, -score[pick]))
        team, team_score = team[order_team], score[pick][order_team]
        groups.append(
            Group(
                competency=comp,
                members=mem,
                mentors=tuple(int(j) for j in team),
                shared=_shared(deficits, mem),
                mentor_levels=tuple(float(levels[int(j), comp]) / mentors.max_level for j in team),
                mentor_scores=tuple(float(s) for s in team_score),
                reason=None
                if team.size
                else (REASON_MENTORS_FULL if has_edge[g] else REASON_NO_CANDIDATE),
            )
        )
    return Grouping(tuple(groups), group_of, tuple(reasons), load, optimal)


def _leads(levels: sparse.csr_array, ok: NDArray[np.bool_], min_level: float) -> sparse.csr_array:
    """The levels of the allowed mentors (``ok``) in the competencies they have at
    ``min_level`` or above: who may lead a group on which competency."""
    leads = sparse.csr_array(levels.multiply(levels >= min_level))
    leads = sparse.csr_array(sparse.diags_array(ok.astype(np.float64)) @ leads)
    leads.eliminate_zeros()
    return leads


def score_group(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    members: tuple[int, ...],
    team: tuple[int, ...],
) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """What a given group shares and each team mentor's score for it, as :func:`form_groups`
    computes them: for a group the curator changed (a member moved or removed) or kept.

    Returns ``(shared, scores)``: competency ids in every member's deficits, and per mentor of
    ``team`` (in order) the mean coverage of the members' deficits, in [0, 1].
    """
    check_sides(mentees, mentors)
    assert mentees.deficits is not None
    assert mentors.competencies is not None
    if not members:
        return (), tuple(0.0 for _ in team)
    n_cols = max(mentees.deficits.shape[1], mentors.competencies.shape[1])
    deficits = _resized(mentees.deficits, n_cols)
    levels = _resized(mentors.competencies, n_cols)
    rows = sparse.csr_array(deficits[np.asarray(members, dtype=np.int64)])
    totals = np.asarray(rows.sum(axis=1)).ravel()
    share = sparse.csr_array(
        sparse.diags_array(np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0))
        @ rows
    )
    mean_share = np.asarray(share.sum(axis=0)).ravel() / len(members)
    scores = levels[np.asarray(team, dtype=np.int64)] @ mean_share / mentors.max_level
    return _shared(deficits, members), tuple(float(s) for s in np.atleast_1d(scores))


def _check_options(
    min_size: int,
    max_size: int,
    team_size: int,
    capacity_unit: str,
    prefer: str,
    min_level: float,
) -> None:
    if not 1 <= min_size <= max_size:
        raise InvalidInput(
            f"group sizes need 1 <= min_size <= max_size, got {min_size} and {max_size}"
        )
    if team_size < 1:
        raise InvalidInput(f"team_size must be >= 1, not {team_size}")
    if capacity_unit not in ("group", "mentee"):
        raise InvalidInput(f'capacity_unit must be "group" or "mentee", not {capacity_unit!r}')
    if prefer not in ("score", "coverage"):
        raise InvalidInput(f'prefer must be "score" or "coverage", not {prefer!r}')
    if not min_level > 0:
        raise InvalidInput("min_level must be > 0")


def _buckets(
    deficits: sparse.csr_array,
    eligible: NDArray[np.bool_],
    coverable: NDArray[np.bool_],
    min_size: int,
) -> NDArray[np.int64]:
    """The competency each mentee is grouped on, or -1."""
    n = deficits.shape[0]
    rows = np.repeat(np.arange(n), np.diff(deficits.indptr))
    cols = deficits.indices.astype(np.int64)
    weight = deficits.data
    keep = eligible[rows] & coverable[cols]
    rows, cols, weight = rows[keep], cols[keep], weight[keep]
    active = np.ones(deficits.shape[1], dtype=bool)
    while True:
        live = active[cols]
        r, c, w = rows[live], cols[live], weight[live]
        choice = np.full(n, -1, dtype=np.int64)
        if r.size == 0:
            return choice
        demand = np.bincount(c, minlength=active.size)
        # Best per mentee: weight desc, demand desc, competency asc.
        order = np.lexsort((c, -demand[c], -w, r))
        first = np.ones(order.size, dtype=bool)
        first[1:] = r[order][1:] != r[order][:-1]
        picked = order[first]
        choice[r[picked]] = c[picked]
        size = np.bincount(choice[choice >= 0], minlength=active.size)
        small = np.flatnonzero((size > 0) & (size < min_size))
        if small.size == 0:
            return choice
        # Close the smallest bucket (lowest id on ties) and let its mentees choose again.
        worst = small[np.lexsort((small, size[small]))[0]]
        active[worst] = False


def _split(
    bucket: NDArray[np.int64], order_key: NDArray[np.int64], min_size: int, max_size: int
) -> list[tuple[int, tuple[int, ...]]]:
    groups: list[tuple[int, tuple[int, ...]]] = []
    for comp in np.unique(bucket[bucket >= 0]):
        who = np.flatnonzero(bucket == comp)
        who = who[np.lexsort((who, order_key[who]))]
        s = who.size
        count = -(-s // max_size)
        if s // count < min_size:
            count = s // min_size
            used = min(s, count * max_size)
        else:
            used = s
        base, extra = divmod(used, count)
        start = 0
        for g in range(count):
            size = base + (1 if g < extra else 0)
            groups.append((int(comp), tuple(int(i) for i in who[start : start + size])))
            start += size
    return groups


def _group_edges(
    members: list[tuple[int, tuple[int, ...]]],
    deficits: sparse.csr_array,
    levels: sparse.csr_array,
    leads: sparse.csr_array,
    forbidden: sparse.csr_array,
    max_level: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """(group, mentor, score) of every mentor qualified for every group."""
    n_groups = len(members)
    if n_groups == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0)
    totals = np.asarray(deficits.sum(axis=1)).ravel()
    share = sparse.csr_array(
        sparse.diags_array(np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0))
        @ deficits
    )
    g_rows = np.concatenate([np.full(len(mem), g) for g, (_, mem) in enumerate(members)])
    g_cols = np.concatenate([np.asarray(mem) for _, mem in members])
    size = np.array([len(mem) for _, mem in members], dtype=np.float64)
    membership = sparse.csr_array(
        (1.0 / size[g_rows], (g_rows, g_cols)), shape=(n_groups, deficits.shape[0])
    )
    mean_share = sparse.csr_array(membership @ share)  # mean coverage is linear: mean of rows
    banned = sparse.csr_array((membership @ forbidden) > 0)
    leads_csc = sparse.csc_array(leads)
    out_g, out_m, out_s = [], [], []
    for comp in sorted({c for c, _ in members}):
        groups = np.array([g for g, (c, _) in enumerate(members) if c == comp])
        start, stop = leads_csc.indptr[comp], leads_csc.indptr[comp + 1]
        leaders = np.sort(leads_csc.indices[start:stop]).astype(np.int64)
        if leaders.size == 0:
            continue
        scores = (mean_share[groups] @ levels[leaders].T).toarray() / max_level
        ban = banned[groups][:, leaders].toarray()
        gi, mi = np.nonzero(~ban)
        out_g.append(groups[gi])
        out_m.append(leaders[mi])
        out_s.append(scores[gi, mi])
    if not out_g:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0)
    g_all = np.concatenate(out_g).astype(np.int64)
    m_all = np.concatenate(out_m).astype(np.int64)
    s_all = np.concatenate(out_s)
    order = np.lexsort((m_all, g_all))
    return g_all[order], m_all[order], s_all[order]


def _staff_by_flow(
    edges: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    n_groups: int,
    capacity: NDArray[np.int64],
    team_size: int,
    prefer: Prefer,
) -> NDArray[np.bool_]:
    g_idx, m_idx, score = edges
    if g_idx.size == 0:
        return np.zeros(0, dtype=bool)
    n_mentors = capacity.size
    q = np.rint(score * SCORE_SCALE).astype(np.int64)
    big = int(q.sum()) + 1 if prefer == "coverage" else 0
    sink = n_groups + n_mentors
    n_edges = g_idx.size
    tails = np.concatenate(
        [g_idx, n_groups + np.arange(n_mentors), np.arange(n_groups), np.arange(n_groups)]
    )
    heads = np.concatenate(
        [n_groups + m_idx, np.full(n_mentors, sink), np.full(2 * n_groups, sink)]
    )
    caps = np.concatenate(
        [
            np.ones(n_edges, dtype=np.int64),
            capacity,
            np.full(n_groups, team_size - 1),
            np.ones(n_groups, dtype=np.int64),
        ]
    )
    # The last bypass unit of a group costs BIG: it is used only by an unstaffed group.
    costs = np.concatenate(
        [-q, np.zeros(n_mentors + n_groups, dtype=np.int64), np.full(n_groups, big)]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_groups] = team_size
    supplies[sink] = -team_size * n_groups
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverFailure(f"min-cost flow for groups ended with status {status}")
    return np.asarray(flow.flows(np.arange(n_edges, dtype=np.int32))) > 0


def _staff_by_milp(
    edges: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    sizes: NDArray[np.int64],
    capacity: NDArray[np.int64],
    team_size: int,
    prefer: Prefer,
    time_limit: float,
) -> tuple[NDArray[np.bool_], bool]:
    g_idx, m_idx, score = edges
    n_edges = g_idx.size
    n_groups = sizes.size
    if n_edges == 0:
        return np.zeros(0, dtype=bool), True
    # Scores in [0, 1] as they are: HiGHS works in floating point, and mixing them with a
    # large coverage weight would drown score differences in its tolerances. The coverage
    # preference is solved lexicographically instead: first the most staffed groups, then the
    # best score with that many staffed.
    # Variables: x per edge, then y per group (staffed); y_g <= sum_j x_gj.
    e = np.arange(n_edges)
    n_vars = n_edges + n_groups
    team_rows = sparse.csr_array((np.ones(n_edges), (g_idx, e)), shape=(n_groups, n_vars))
    cap_rows = sparse.csr_array(
        (sizes[g_idx].astype(np.float64), (m_idx, e)), shape=(capacity.size, n_vars)
    )
    staffed = sparse.hstack([-team_rows[:, :n_edges], sparse.eye_array(n_groups)], format="csr")
    constraints = [
        LinearConstraint(team_rows, -np.inf, team_size),
        LinearConstraint(cap_rows, -np.inf, capacity.astype(np.float64)),
        LinearConstraint(staffed, -np.inf, 0.0),
    ]
    options = {"mip_rel_gap": 0.0, "time_limit": time_limit}
    optimal = True
    if prefer == "coverage":
        count = np.concatenate([np.zeros(n_edges), -np.ones(n_groups)])
        first = milp(
            count,
            constraints=constraints,
            integrality=np.ones(n_vars),
            bounds=Bounds(0, 1),
            options=options,
        )
        if first.x is None:
            raise SolverFailure(f"MILP for groups failed: {first.message}")
        optimal = first.status == 0
        best = float(np.rint(-first.fun))
        constraints.append(LinearConstraint(-count[None, :], best, np.inf))
    res = milp(
        -np.concatenate([score, np.zeros(n_groups)]),
        constraints=constraints,
        integrality=np.ones(n_vars),
        bounds=Bounds(0, 1),
        options=options,
    )
    if res.x is None:
        raise SolverFailure(f"MILP for groups failed: {res.message}")
    chosen = np.rint(res.x[:n_edges]) > 0
    return chosen, bool(optimal and res.status == 0)


def _shared(deficits: sparse.csr_array, members: tuple[int, ...]) -> tuple[int, ...]:
    sets = [
        set(deficits.indices[deficits.indptr[i] : deficits.indptr[i + 1]].tolist()) for i in members
    ]
    return tuple(sorted(set.intersection(*sets))) if sets else ()


def _resized(matrix: sparse.csr_array, n_cols: int) -> sparse.csr_array:
    out = sparse.csr_array(matrix, dtype=np.float64, copy=True)
    out.resize((out.shape[0], n_cols))
    out.sort_indices()
    return out
