"""Small builders for hand-made profiles."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import fields

import numpy as np
from hypothesis import HealthCheck, settings
from numpy.typing import NDArray
from scipy import sparse

from nastavnik.matching.engine.features import Weights
from nastavnik.matching.engine.scoring import ScoreModel


def only(code: str) -> Weights:
    """Weights that score by one factor alone."""
    return Weights(**{f.name: (1.0 if f.name == code else 0.0) for f in fields(Weights)})


def rows(entries: Sequence[dict[int, float]], n_cols: int) -> sparse.csr_array:
    """A CSR matrix from one {column: value} dict per row."""
    data, r, c = [], [], []
    for i, row in enumerate(entries):
        for col, value in row.items():
            r.append(i)
            c.append(col)
            data.append(value)
    return sparse.csr_array((data, (r, c)), shape=(len(entries), n_cols))


def ranking(model: ScoreModel, mentee: int) -> list[int]:
    """Mentors by decreasing score for one mentee (ties by index), forbidden ones left out."""
    mentors = np.arange(model.n_mentors)
    scores = model.pair_scores(np.full(mentors.size, mentee), mentors)
    order = np.lexsort((mentors, -scores))
    return [int(j) for j in order if np.isfinite(scores[j]) and scores[j] >= 0]


def scores_of(model: ScoreModel, mentee: int) -> NDArray[np.float64]:
    mentors = np.arange(model.n_mentors)
    return model.pair_scores(np.full(mentors.size, mentee), mentors)


# The engine suite must stay fast on two cores, and must not change Hypothesis settings for the
# rest of the project's suite: each property test is decorated with these.
ENGINE_EXAMPLES = settings(
    max_examples=int(os.environ.get("ENGINE_MAX_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
