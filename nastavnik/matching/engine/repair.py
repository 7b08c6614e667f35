"""Repair an optimal assignment after a few edges were added, instead of solving it again.

The restricted re-solves of :class:`~nastavnik.matching.engine.match._Solver` often end with a
handful of candidates that violate the duals of the restricted optimum: solving again from
scratch costs a whole min-cost flow (seconds at region size, whatever the number of edges
added), while the change is local. This module repairs the previous optimum instead, by
successive shortest paths with potentials (the primal-dual method):

* the flow network is :func:`~nastavnik.matching.engine.assignment.assign`'s in "score" form
  (mentee -> mentor -> sink, a bypass arc mentee -> sink), on weights ``w`` (``q`` plus the
  coverage weight when coverage comes first); the old duals give node potentials under which
  every residual arc of the old optimum has a non-negative reduced cost;
* a mentee with a violating new edge is taken off its mentor (or its bypass) and its potential
  raised until all its arcs are non-negative again: it now has one unit to place, and the node
  it left lacks one;
* Dijkstra (scipy, from every mentee with a unit to place) on the non-negative reduced costs,
  the potentials moved by the distances, and a maximum flow (scipy) over the arcs left at
  reduced cost 0 sends as many units as they can carry to the nodes lacking one; as long as
  units are left.

It pays when few mentees move (a phase costs a Dijkstra over the graph, and the units left after
a phase need longer paths): the caller repairs only then and solves again otherwise.

Every step keeps the reduced costs of the residual arcs non-negative, so the flow is optimal
when no unit is left. The caller does not trust it anyway: the duals of the result are computed
and checked exactly (:func:`~nastavnik.matching.engine.pricing.dual_potentials`), and ``None``
(too many rounds, or anything unexpected) sends it back to a whole solve.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra, maximum_flow

__all__ = ["repair"]

Ints = NDArray[np.int64]


def repair(
    mentee: Ints,
    mentor: Ints,
    weight: Ints,
    capacity: Ints,
    chosen: Ints,
    u: Ints,
    v: Ints,
    *,
    max_rounds: int = 20,
) -> Ints | None:
    """The optimal assignment over the edges, from an optimum over part of them.

    Args:
        mentee, mentor, weight: the edges, sorted by (mentee, mentor), unique; ``weight >= 0``.
            Only edges the solver may use (free mentees, mentors with places).
        capacity: ``(n_mentors,)`` places of each mentor for these mentees.
        chosen: ``(n_mentees,)`` index of each mentee's edge in the starting assignment, or -1;
            it must be optimal over the edges on which ``(u, v)`` is feasible.
        u, v: optimal duals of the starting assignment: ``u + v >= weight`` on every edge but
            the new ones, with equality on the chosen edges, ``u >= 0`` and 0 for unmatched
            mentees, ``v >= 0`` and 0 for mentors with a place left.
        max_rounds: Dijkstra rounds at most before giving up.

    Returns:
        ``(n_mentees,)`` the edge of each mentee in an optimal assignment over all the edges,
        or -1; None if it gave up.
    """
    n, m = u.size, v.size
    sink = n + m
    n_nodes = sink + 1
    edges = mentee.size
    x = np.zeros(edges, dtype=bool)  # flow on each edge
    x[chosen[chosen >= 0]] = True
    in_graph = np.zeros(n, dtype=bool)
    in_graph[mentee] = True
    reduced = u[mentee] + v[mentor] - weight
    bad = np.flatnonzero(reduced < 0)
    if bad.size == 0:
        return chosen
    # Take the violators' mentees off, raise their potentials to cover every edge of theirs.
    movers = np.unique(mentee[bad])
    x[np.isin(mentee, movers) & x] = False
    pot = np.zeros(n_nodes, dtype=np.int64)
    pot[:n] = u
    pot[n:sink] = -v
    need = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(need, mentee, weight - v[mentor])
    pot[movers] = np.maximum(np.maximum(u[movers], need[movers]), 0)
    # Flow on the mentor -> sink arcs stays as it was: a mentor that lost a mentee lacks a unit.
    old = chosen[movers]
    to_sink = np.bincount(mentor[x], minlength=m) + np.bincount(mentor[old[old >= 0]], minlength=m)
    # A mentee on its bypass arc: in the graph, with no edge chosen, not a mover.
    bypass = in_graph & (chosen < 0)
    bypass[movers] = False
    out_deg = np.bincount(mentee[x], minlength=n)  # edges with flow, per mentee
    in_deg = np.bincount(mentor[x], minlength=m)  # and per mentor
    demand = int(np.count_nonzero(in_graph))
    into_sink = int(to_sink.sum()) + int(np.count_nonzero(bypass))

    for _ in range(max_rounds):
        excess = np.flatnonzero(in_graph & (out_deg + bypass == 0))
        if excess.size == 0:
            break
        # Arcs of the residual graph with their reduced costs, all >= 0.
        fwd = np.flatnonzero(~x)
        back = np.flatnonzero(x)
        byp_on = np.flatnonzero(bypass)
        byp_off = np.flatnonzero(in_graph & ~bypass)
        js_fwd = np.flatnonzero(to_sink < capacity)
        js_back = np.flatnonzero(to_sink > 0)
        zeros = byp_off.size + byp_on.size + js_fwd.size + js_back.size
        tail = np.concatenate(
            [
                mentee[fwd],
                n + mentor[back],
                byp_off,
                np.full(byp_on.size, sink),
                n + js_fwd,
                np.full(js_back.size, sink),
            ]
        )
        head = np.concatenate(
            [
                n + mentor[fwd],
                mentee[back],
                np.full(byp_off.size, sink),
                byp_on,
                np.full(js_fwd.size, sink),
                n + js_back,
            ]
        )
        base = np.concatenate([-weight[fwd], weight[back], np.zeros(zeros, dtype=np.int64)])
        room = np.concatenate(
            [
                np.ones(fwd.size + back.size + byp_off.size + byp_on.size, dtype=np.int64),
                capacity[js_fwd] - to_sink[js_fwd],
                to_sink[js_back],
            ]
        )
        edge_id = np.concatenate([fwd, back])
        n_fwd, n_back = fwd.size, back.size
        cost = base + pot[tail] - pot[head]
        if cost.size and cost.min() < 0:
            return None
        graph = sp.csr_matrix((cost.astype(np.float64), (tail, head)), shape=(n_nodes, n_nodes))
        dist = dijkstra(graph, directed=True, indices=excess, min_only=True)
        lacking = n + np.flatnonzero(to_sink > in_deg)
        if into_sink < demand:
            lacking = np.append(lacking, sink)
        reach = lacking[np.isfinite(dist[lacking])]
        if reach.size == 0:
            return None
        far = dist[reach].max()
        step = np.where(np.isfinite(dist), np.minimum(dist, far), far)
        pot += np.rint(step).astype(np.int64)
        # A maximum flow over the arcs left at reduced cost 0, from the units to place to the
        # nodes lacking them: every such path is a shortest one, and the flow stays optimal.
        cost = base + pot[tail] - pot[head]
        zero = np.flatnonzero(cost == 0)
        lack = np.where(reach == sink, demand - into_sink, 0)
        inside = reach < sink
        lack[inside] = to_sink[reach[inside] - n] - in_deg[reach[inside] - n]
        src, dst = n_nodes, n_nodes + 1
        a_tail = np.concatenate([tail[zero], np.full(excess.size, src), reach])
        a_head = np.concatenate([head[zero], excess, np.full(reach.size, dst)])
        a_cap = np.concatenate([room[zero], np.ones(excess.size, np.int64), lack])
        net = sp.csr_matrix(
            (a_cap.astype(np.int32), (a_tail, a_head)), shape=(n_nodes + 2, n_nodes + 2)
        )
        net.sum_duplicates()
        sent = maximum_flow(net, src, dst, method="dinic")
        if sent.flow_value == 0:
            return None
        f = np.asarray(sent.flow[tail[zero], head[zero]]).ravel().astype(np.int64)
        go = f > 0
        arc, amount = zero[go], f[go]
        kind_edge = arc < n_fwd + n_back
        for a in arc[kind_edge]:
            e = int(edge_id[a])
            on = a < n_fwd
            x[e] = on
            change = 1 if on else -1
            out_deg[mentee[e]] += change
            in_deg[mentor[e]] += change
        rest = ~kind_edge
        for a, k in zip(arc[rest], amount[rest], strict=True):
            t, h = int(tail[a]), int(head[a])
            if t < n:  # mentee -> sink: onto the bypass
                bypass[t] = True
                into_sink += 1
            elif h < n:  # sink -> mentee: off it
                bypass[h] = False
                into_sink -= 1
            elif h == sink:  # mentor -> sink
                to_sink[t - n] += k
                into_sink += k
            else:  # sink -> mentor
                to_sink[h - n] -= k
                into_sink -= k
    else:
        return None
    placed = out_deg + bypass
    if (placed > 1).any() or (in_graph & (placed == 0)).any() or into_sink != demand:
        return None
    if (in_deg != to_sink).any() or (to_sink > capacity).any():
        return None
    out = np.full(n, -1, dtype=np.int64)
    out[mentee[x]] = np.flatnonzero(x)
    return out
