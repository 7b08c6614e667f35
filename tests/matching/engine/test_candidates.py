"""Candidate generation: exact top-k, independent of blocks and threads."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from nastavnik.matching.engine.candidates import _top_per_row, candidates
from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.features import MenteeFeatures, MentorFeatures, Rules, Weights
from nastavnik.matching.engine.scoring import build_model
from nastavnik.matching.engine.synthetic import synthetic
from nastavnik.matching.engine.terms import split_bilinear

from .helpers import ENGINE_EXAMPLES, only, rows


@pytest.fixture(scope="module")
def model():
    bases = synthetic(400, 150, seed=3)
    rules = Rules(variant="strong_helps_weak", same_class="prefer_same")
    return build_model(bases.mentees, bases.mentors, rules, Weights())


def full_scores(model) -> np.ndarray:
    n, m = model.n_mentees, model.n_mentors
    i, j = np.divmod(np.arange(n * m), m)
    return model.pair_scores(i, j).reshape(n, m)


@pytest.mark.parametrize("top_k", [1, 5, 20, 200])
def test_top_k_is_exact(model, top_k: int) -> None:
    result = candidates(model, top_k=top_k)
    scores = full_scores(model)
    allowed = np.isfinite(scores) & (scores >= 0)
    for i in range(model.n_mentees):
        mine = result.mentor[result.mentee == i]
        assert (np.diff(mine) > 0).all()  # canonical order
        assert mine.size == min(top_k, int(allowed[i].sum()))
        assert allowed[i, mine].all()
        rest = np.setdiff1d(np.flatnonzero(allowed[i]), mine)
        if rest.size and mine.size:
            assert scores[i, mine].min() >= scores[i, rest].max() - 1e-5
    chosen = scores[result.mentee, result.mentor]
    assert np.allclose(result.score, chosen, atol=1e-5)
    assert (result.per_mentee == np.bincount(result.mentee, minlength=model.n_mentees)).all()


@pytest.mark.parametrize(
    ("block_cells", "workers"), [(1, 1), (150 * 64, 1), (150 * 128, 2), (10**9, 2)]
)
def test_blocks_and_threads_do_not_change_the_result(model, block_cells: int, workers: int) -> None:
    reference = candidates(model, top_k=20, block_cells=10**9, workers=1)
    result = candidates(model, top_k=20, block_cells=block_cells, workers=workers)
    assert np.array_equal(result.mentee, reference.mentee)
    assert np.array_equal(result.mentor, reference.mentor)
    assert np.allclose(result.score, reference.score, rtol=0, atol=1e-6)


def test_sampled_threshold_falls_back_when_it_overshoots() -> None:
    # Every 12th mentor (the sampled columns for k = 50) is an expert: the sample's threshold
    # passes only 40 mentors of 480, fewer than k, so the exact fallback must fill the rest.
    m = 480
    levels = [{0: 3.0} if j % 12 == 0 else {0: 1.0 + (j % 7) / 7} for j in range(m)]
    mentees = MenteeFeatures(n=3, deficits=rows([{0: 1}] * 3, 1))
    mentors = MentorFeatures(n=m, competencies=rows(levels, 1))
    model = build_model(mentees, mentors, Rules(), only("deficit_coverage"))
    result = candidates(model, top_k=50)
    scores = full_scores(model)
    for i in range(3):
        mine = result.mentor[result.mentee == i]
        assert mine.size == 50
        expected = np.lexsort((np.arange(m), -scores[i]))[:50]
        assert set(mine.tolist()) == set(expected.tolist())


def test_only_eligible_and_allowed_pairs() -> None:
    mentees = MenteeFeatures(n=3)
    mentors = MentorFeatures(n=4)
    rules = Rules(exclusions=np.array([[0, 0], [2, 3]]))
    model = build_model(mentees, mentors, rules, Weights())
    result = candidates(model, top_k=10, mentees=np.array([0, 2]), mentors=np.array([0, 1, 3]))
    pairs = set(zip(result.mentee.tolist(), result.mentor.tolist(), strict=True))
    assert pairs == {(0, 1), (0, 3), (2, 0), (2, 1)}
    assert result.per_mentee.tolist() == [2, 0, 2]


def test_bad_arguments() -> None:
    model = build_model(MenteeFeatures(n=1), MentorFeatures(n=1), Rules(), Weights())
    with pytest.raises(InvalidInput, match="top_k must be >= 1"):
        candidates(model, top_k=0)
    with pytest.raises(InvalidInput, match="mentors must be indices"):
        candidates(model, mentors=np.array([5]))


def test_dense_sparse_split_is_exact() -> None:
    rng = np.random.default_rng(0)
    a = sparse.random_array((30, 12), density=0.3, random_state=rng, format="csr")
    b = sparse.random_array((20, 12), density=0.3, random_state=rng, format="csr")
    exact = (a @ b.T).toarray()
    for share in (0.0, 0.05, 1.0):
        dense_e, dense_o, rest = split_bilinear(a, b, dense_share=share)
        value = dense_e.astype(np.float64) @ dense_o.T.astype(np.float64)
        if rest is not None:
            value += rest.block(np.arange(30)).toarray()
        assert np.allclose(value, exact, atol=1e-6)


@pytest.mark.parametrize("mentor_top_k", [1, 7, 40])
def test_mentor_side_lists_are_exact_and_merged(model, mentor_top_k: int) -> None:
    result = candidates(model, top_k=5, mentor_top_k=mentor_top_k, block_cells=150 * 64)
    keys = result.mentee * model.n_mentors + result.mentor
    assert (np.diff(keys) > 0).all()  # sorted, each pair once
    scores = full_scores(model)
    allowed = np.isfinite(scores) & (scores >= 0)
    assert allowed[result.mentee, result.mentor].all()
    mentee_side = candidates(model, top_k=5)
    mentee_keys = set((mentee_side.mentee * model.n_mentors + mentee_side.mentor).tolist())
    assert mentee_keys <= set(keys.tolist())
    for j in range(model.n_mentors):
        column = np.where(allowed[:, j], scores[:, j], -np.inf)
        mine = result.mentee[result.mentor == j]
        best = np.lexsort((np.arange(column.size), -column))[:mentor_top_k]
        best = best[np.isfinite(column[best])]
        # Every one of the mentor's best is a candidate (up to float32 ties at the boundary).
        missing = np.setdiff1d(best, mine)
        if missing.size:
            kth = column[best].min()
            assert np.allclose(column[missing], kth, atol=1e-5)


def test_mentor_side_does_not_depend_on_blocks(model) -> None:
    reference = candidates(model, top_k=3, mentor_top_k=9, block_cells=10**9)
    for block_cells, workers in ((1, 1), (150 * 128, 2)):
        result = candidates(
            model, top_k=3, mentor_top_k=9, block_cells=block_cells, workers=workers
        )
        assert np.array_equal(result.mentee, reference.mentee)
        assert np.array_equal(result.mentor, reference.mentor)


@ENGINE_EXAMPLES
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 30), st.sampled_from([0.0, 0.25, 0.5, 1.0])),
        max_size=80,
    ),
    st.integers(1, 6),
)
def test_top_per_row_matches_a_sort(entries: list[tuple[int, int, float]], k: int) -> None:
    unique = sorted({(r, c): v for r, c, v in entries}.items())
    row = np.array([rc[0] for rc, _ in unique], dtype=np.int64)
    col = np.array([rc[1] for rc, _ in unique], dtype=np.int64)
    values = np.array([v for _, v in unique], dtype=np.float32)
    got = _top_per_row(row, col, values, 6, k)
    expected = []
    for r in range(6):
        mine = sorted((-v, c) for (rr, c), v in unique if rr == r)[:k]
        expected.extend(sorted((r, c) for _, c in mine))
    assert list(zip(got[0].tolist(), got[1].tolist(), strict=True)) == expected
