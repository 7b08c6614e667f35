"""Rematch priority: a mentee whose pair was dissolved goes back to the base with priority for
the next matching run (issue 18).

The engine has no per-mentee priority, so a run with such mentees is solved in two passes over
the same bases, rules and weights: first only the priority mentees (and the pairs the curator
kept) are eligible, so they take the mentors that suit them best before anyone else; then their
pairs are given to the full run as locked pairs, which the engine keeps and counts against the
mentors' places. Everyone else is matched optimally over the places that remain. A proposal of
a priority mentee carries the line «приоритет: пара распалась» in its explanation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nastavnik.matching.engine.match import MatchResult
from nastavnik.matching.features import Base

PRIORITY_CODE = "priority"
"""The code of the explanation line of a priority mentee (not an engine factor: no weight)."""

REASON_DISSOLVED = "dissolved"


def priority_locked(
    base: Base,
    locked: Sequence[tuple[int, int]],
    solve: Callable[..., MatchResult],
) -> list[tuple[int, int]]:
    """The locked pairs for the full run: ``locked`` plus the pairs the priority mentees get
    when they are matched first. ``solve(mentee_features, mentor_features, rules, locked=…)``
    is the run's own call of the engine (its weights, ``top_k`` and ``prefer``)."""
    first = [base.mentee_index[pk] for pk in sorted(base.priority) if pk in base.mentee_index]
    if not first:
        return list(locked)
    mentees, mentors, rules = base.mentee_features, base.mentor_features, base.rules
    assert mentees.consent is not None
    assert mentors.consent is not None
    only = np.zeros(mentees.n, dtype=bool)
    only[first] = True
    only[[i for i, _ in locked]] = True
    # «Eligible» is how the engine restricts a run to some mentees: consent is its mask.
    mentee_ok = mentees.consent if rules.require_consent else np.ones(mentees.n, dtype=bool)
    mentor_ok = mentors.consent if rules.require_consent else np.ones(mentors.n, dtype=bool)
    result = solve(
        dataclasses.replace(mentees, consent=mentee_ok & only),
        dataclasses.replace(mentors, consent=mentor_ok),
        dataclasses.replace(rules, require_consent=True),
        locked=list(locked),
    )
    chosen = result.mentor_of
    return [(int(i), int(chosen[i])) for i in np.flatnonzero(only) if chosen[i] >= 0]


def priority_line() -> dict[str, Any]:
    """The explanation entry of a priority mentee's proposal (stored with the factors)."""
    return {
        "code": PRIORITY_CODE,
        "value": 1.0,
        "weight": 0.0,
        "contribution": 0.0,
        "details": {"reason": REASON_DISSOLVED},
    }
