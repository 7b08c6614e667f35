"""The score model: all factors of a program folded into one evaluable object.

``score[i, j] = sum_f w_f * value_f[i, j]`` with the weights normalised to sum to 1 over the
factors that apply, so a score is in [0, 1]. The bilinear parts of all factors are concatenated
into one mentee design ``U`` (n × D) and one weighted mentor design ``V`` (m × D), so a block of
scores is ``U[rows] @ V.T`` plus the sparse terms. Hard rules that depend on both people
(exclusions, refusals, incompatible formats when the program requires a match) make a pair
negative: ``-inf`` for forbidden pairs, ``-PENALTY`` through the design for formats, and the
candidate generator keeps only pairs with a non-negative score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.factors import (
    FACTOR_CODES,
    applicable,
    build_factor,
    experience_applies,
    format_penalty,
)
from nastavnik.matching.engine.features import MenteeFeatures, MentorFeatures, Rules, Weights
from nastavnik.matching.engine.terms import Factor, SparseTable, SparseTerm
from nastavnik.matching.engine.text import RussianTextVectorizer

__all__ = ["PENALTY", "ScoreModel", "build_model"]

PENALTY = 16.0
"""Added negatively to pairs a hard rule forbids through the design (scores are at most 1)."""

Rows = NDArray[np.int64]


@dataclass(frozen=True)
class ScoreModel:
    """Everything needed to score any block of pairs or any list of pairs.

    Attributes:
        factors: the factors that apply (weight > 0 and applicable under the rules).
        weights: their weights, normalised to sum to 1, in the order of ``factors``.
        mentee_design: ``(n_mentees, D)`` float32, the concatenated bilinear designs.
        mentor_design: ``(n_mentors, D)`` float32, the same for mentors, times the weights.
        sparse_terms: ``(weight, term)`` pairs added on top of the bilinear part.
        forbidden: ``(n_mentees, n_mentors)`` CSR, nonzero = the pair is excluded.
    """

    n_mentees: int
    n_mentors: int
    factors: tuple[Factor, ...]
    weights: tuple[float, ...]
    mentee_design: NDArray[np.float32]
    mentor_design: NDArray[np.float32]
    sparse_terms: tuple[tuple[float, SparseTerm], ...]
    forbidden: sparse.csr_array

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.factors)

    def sparse_block(self, rows: Rows) -> sparse.csr_array | None:
        """Sum of the weighted sparse terms for a block of mentee rows (sorted indices)."""
        total: sparse.csr_array | None = None
        for weight, term in self.sparse_terms:
            part = term.block(rows) * np.float32(weight)
            total = part if total is None else total + part
        if total is not None:
            total = sparse.csr_array(total)
            total.sum_duplicates()
        return total

    def pair_factor_values(self, mentee: Rows, mentor: Rows) -> NDArray[np.float64]:
        """``(len(pairs), n_factors)`` factor values of the given pairs."""
        values = np.zeros((mentee.shape[0], len(self.factors)))
        for k, factor in enumerate(self.factors):
            values[:, k] = factor.pair_values(mentee, mentor)
        return values

    def pair_scores(self, mentee: Rows, mentor: Rows) -> NDArray[np.float64]:
        """Scores of the given pairs; ``-inf`` where a hard rule forbids the pair."""
        values = self.pair_factor_values(mentee, mentor) @ np.asarray(self.weights)
        penalty_cols = self.mentee_design.shape[1] - sum(f.mentee.shape[1] for f in self.factors)
        if penalty_cols:
            tail = slice(self.mentee_design.shape[1] - penalty_cols, None)
            values += np.einsum(
                "pd,pd->p",
                self.mentee_design[mentee, tail],
                self.mentor_design[mentor, tail],
                dtype=np.float64,
            )
        banned = SparseTable(self.forbidden).pairs(mentee, mentor) > 0
        values[banned] = -np.inf
        return values


def build_model(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    rules: Rules,
    weights: Weights,
    *,
    vectorizer: RussianTextVectorizer | None = None,
) -> ScoreModel:
    """Build the factors that apply and fold them into a :class:`ScoreModel`."""
    check_sides(mentees, mentors)
    raw = weights.as_dict()
    codes = [c for c in FACTOR_CODES if raw[c] > 0 and applicable(c, rules)]
    if "experience" in codes and not experience_applies(mentors, rules).any():
        # No mentor of the base has teaching experience to weigh (pupils): the other factors
        # share its weight.
        codes.remove("experience")
    if not codes:
        raise InvalidInput("every applicable factor has weight 0: nothing to score pairs by")
    total = sum(raw[c] for c in codes)
    norm = tuple(raw[c] / total for c in codes)
    factors = tuple(build_factor(c, mentees, mentors, rules, vectorizer) for c in codes)

    mentee_parts = [f.mentee for f in factors]
    mentor_parts = [f.mentor * np.float32(w) for f, w in zip(factors, norm, strict=True)]
    if rules.require_format_match:
        pen_e, pen_o = format_penalty(mentees, mentors, PENALTY)
        mentee_parts.append(pen_e)
        mentor_parts.append(pen_o)
    sparse_terms = tuple(
        (w, term) for f, w in zip(factors, norm, strict=True) for term in f.sparse_terms
    )
    return ScoreModel(
        n_mentees=mentees.n,
        n_mentors=mentors.n,
        factors=factors,
        weights=norm,
        mentee_design=np.ascontiguousarray(np.hstack(mentee_parts), dtype=np.float32),
        mentor_design=np.ascontiguousarray(np.hstack(mentor_parts), dtype=np.float32),
        sparse_terms=sparse_terms,
        forbidden=forbidden_pairs(mentees, mentors, rules),
    )


def check_sides(mentees: MenteeFeatures, mentors: MentorFeatures) -> None:
    """Shapes that relate the two sides."""
    shapes = {
        "MenteeFeatures.wishes": (mentees.wishes, (mentees.n, mentors.n)),
        "MenteeFeatures.refusals": (mentees.refusals, (mentees.n, mentors.n)),
        "MentorFeatures.wishes": (mentors.wishes, (mentors.n, mentees.n)),
        "MentorFeatures.refusals": (mentors.refusals, (mentors.n, mentees.n)),
    }
    for name, (matrix, want) in shapes.items():
        if matrix is not None and matrix.shape != want:
            raise InvalidInput(f"{name} must have shape {want}, got {matrix.shape}")


def forbidden_pairs(
    mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules
) -> sparse.csr_array:
    """Exclusions of the rules plus refusals of either side, as a CSR indicator."""
    shape = (mentees.n, mentors.n)
    assert rules.exclusions is not None
    pairs = rules.exclusions
    if pairs.size:
        bad = (
            (pairs[:, 0] < 0)
            | (pairs[:, 0] >= mentees.n)
            | (pairs[:, 1] < 0)
            | (pairs[:, 1] >= mentors.n)
        )
        if bad.any():
            i, j = pairs[np.flatnonzero(bad)[0]]
            raise InvalidInput(f"Rules.exclusions has a pair out of range: ({i}, {j})")
    parts = [
        sparse.csr_array(
            (np.ones(pairs.shape[0], dtype=np.float32), (pairs[:, 0], pairs[:, 1])), shape=shape
        )
    ]
    if mentees.refusals is not None:
        parts.append(sparse.csr_array(mentees.refusals != 0, dtype=np.float32))
    if mentors.refusals is not None:
        parts.append(sparse.csr_array((mentors.refusals != 0).T, dtype=np.float32))
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    result = sparse.csr_array(total, dtype=np.float32)
    result.sum_duplicates()
    result.sort_indices()
    return result
