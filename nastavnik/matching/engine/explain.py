"""Explanations: why a pair was formed, and why a mentee was left without a mentor.

Explanations are structured data, never sentences: the engine is language-neutral and the
Django side renders Russian text from the factor codes, values and details.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "REASONS",
    "REASON_CATEGORY",
    "REASON_MENTORS_FULL",
    "REASON_NOT_SELECTED",
    "REASON_NO_CANDIDATE",
    "REASON_NO_CONSENT",
    "FactorContribution",
    "PairExplanation",
    "UnmatchedExplanation",
]

REASON_NO_CONSENT = "no_consent"
"""The mentee has no valid consent to processing: not matched at all."""
REASON_CATEGORY = "category_not_allowed"
"""The program's form does not admit the mentee's category."""
REASON_NO_CANDIDATE = "no_candidate"
"""No mentor is allowed for this mentee (categories, consent, capacity 0, exclusions,
refusals, incompatible formats when required)."""
REASON_MENTORS_FULL = "mentors_full"
"""Candidates existed, but their places all went to other mentees."""
REASON_NOT_SELECTED = "not_selected"
"""A candidate still had room, but pairing added nothing to the score (only with
``prefer="score"`` and candidates scoring 0)."""

REASONS = (
    REASON_NO_CONSENT,
    REASON_CATEGORY,
    REASON_NO_CANDIDATE,
    REASON_MENTORS_FULL,
    REASON_NOT_SELECTED,
)


@dataclass(frozen=True)
class FactorContribution:
    """One factor of a pair: ``contribution = weight * value``; contributions sum to the score.

    ``weight`` is normalised (the weights of the factors that apply sum to 1). ``details`` are
    factor-specific: ``covered``/``missing`` competency ids for ``deficit_coverage``,
    ``shared_lemmas``/``shared_words`` for ``interests``, ``subjects`` for ``achievement``,
    ``common_slots`` (bitmask) for ``availability``, ranks for ``wishes``, and so on.
    """

    code: str
    value: float
    weight: float
    contribution: float
    details: Mapping[str, Any]


@dataclass(frozen=True)
class PairExplanation:
    mentee: int
    mentor: int
    score: float
    locked: bool
    factors: tuple[FactorContribution, ...]
    """Sorted by contribution, largest first."""


@dataclass(frozen=True)
class UnmatchedExplanation:
    mentee: int
    reason: str
    """One of :data:`REASONS`."""
    n_candidates: int
