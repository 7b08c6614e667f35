"""Independent exact references for the assignment: brute force and a HiGHS MILP."""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from nastavnik.matching.engine.assignment import SCORE_SCALE


def quantize(score: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.rint(np.asarray(score, dtype=np.float64) * SCORE_SCALE).astype(np.int64)


def brute_force(
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    score: NDArray[np.float64],
    capacity: NDArray[np.int64],
    n_mentees: int,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Best (objective, matched) for prefer="score" and best (matched, objective) for coverage."""
    q = quantize(score)
    options: list[list[int]] = [[-1] for _ in range(n_mentees)]
    for e in range(len(mentee)):
        options[int(mentee[e])].append(e)
    best_score = (-1, -1)
    best_cov = (-1, -1)
    for combo in itertools.product(*options):
        load = np.zeros(len(capacity), dtype=np.int64)
        total = 0
        matched = 0
        for e in combo:
            if e >= 0:
                load[mentor[e]] += 1
                total += int(q[e])
                matched += 1
        if (load > capacity).any():
            continue
        best_score = max(best_score, (total, matched))
        best_cov = max(best_cov, (matched, total))
    return best_score, best_cov


def milp_reference(
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    score: NDArray[np.float64],
    capacity: NDArray[np.int64],
    n_mentees: int,
    *,
    coverage: bool = False,
) -> tuple[int, int]:
    """(objective, matched) of an optimal b-matching found by HiGHS (scipy.optimize.milp).

    Duplicate edges are fine: the model simply has one variable per edge.
    """
    q = quantize(score).astype(np.float64)
    n_edges = len(mentee)
    if n_edges == 0:
        return 0, 0
    rows = np.concatenate([mentee, n_mentees + np.asarray(mentor)])
    cols = np.concatenate([np.arange(n_edges), np.arange(n_edges)])
    a = sparse.csr_array(
        (np.ones(2 * n_edges), (rows, cols)), shape=(n_mentees + len(capacity), n_edges)
    )
    upper = np.concatenate([np.ones(n_mentees), np.asarray(capacity, dtype=np.float64)])
    big = float(q.sum() + 1) if coverage else 0.0
    res = milp(
        -(q + big),
        constraints=LinearConstraint(a, -np.inf, upper),
        integrality=np.ones(n_edges),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    assert res.success, res.message
    x = np.rint(res.x).astype(np.int64)
    return int((x * q.astype(np.int64)).sum()), int(x.sum())
