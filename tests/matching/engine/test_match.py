"""match(): end to end, explanations and the reasons of unmatched mentees."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nastavnik.matching.engine import (
    REASONS,
    FactorContribution,
    InvalidInput,
    MenteeFeatures,
    MentorFeatures,
    PairExplanation,
    Rules,
    UnmatchedExplanation,
    Weights,
    match,
)
from nastavnik.matching.engine.synthetic import CATEGORY_STUDENT, CATEGORY_TEACHER, synthetic

from .helpers import ENGINE_EXAMPLES, rows


def small_bases() -> tuple[MenteeFeatures, MentorFeatures]:
    """Five mentees, three mentors, each mentee with a reason to end up where they do."""
    mentees = MenteeFeatures(
        n=5,
        text=("робототехника", "шахматы", "", "футбол", "музыка"),
        deficits=rows([{0: 1}, {1: 1}, {0: 1}, {0: 1}, {0: 1}], 2),
        consent=np.array([True, True, False, True, True]),
        category=np.array([CATEGORY_STUDENT] * 4 + [CATEGORY_TEACHER]),
    )
    mentors = MentorFeatures(
        n=3,
        text=("Увлекаюсь робототехникой", "Играю в шахматы", "футбол"),
        competencies=rows([{0: 3}, {1: 3}, {0: 1}], 2),
        capacity=np.array([1, 1, 0]),
    )
    return mentees, mentors


def test_pairs_reasons_and_explanations() -> None:
    mentees, mentors = small_bases()
    rules = Rules(mentee_categories=frozenset({CATEGORY_STUDENT}))
    result = match(mentees, mentors, rules)
    assert result.mentor_of.tolist() == [0, 1, -1, -1, -1]
    assert result.reasons == (None, None, "no_consent", "mentors_full", "category_not_allowed")
    assert {r for r in result.reasons if r} <= set(REASONS)

    pair = result.explain(0)
    assert isinstance(pair, PairExplanation)
    assert pair.mentor == 0
    assert not pair.locked
    codes = [f.code for f in pair.factors]
    assert set(codes) == set(result.codes)
    contributions = [f.contribution for f in pair.factors]
    assert contributions == sorted(contributions, reverse=True)
    assert sum(contributions) == pytest.approx(pair.score)
    assert pair.score == pytest.approx(
        result.candidates.score[result.assignment.edge_of[0]], abs=1e-5
    )
    by_code = {f.code: f for f in pair.factors}
    assert isinstance(by_code["interests"], FactorContribution)
    assert by_code["interests"].details["shared_words"] == ["робототехника"]
    assert by_code["deficit_coverage"].details["covered"] == [0]
    assert by_code["deficit_coverage"].value == pytest.approx(1.0)
    for f in pair.factors:
        assert 0.0 <= f.value <= 1.0 + 1e-6
        assert f.contribution == pytest.approx(f.weight * f.value)

    full = result.explain(3)
    assert isinstance(full, UnmatchedExplanation)
    assert full.reason == "mentors_full"
    assert full.n_candidates == 2
    assert len(list(result.explanations())) == 5
    assert set(result.timings) == {"model", "candidates", "assign", "explain"}


def test_no_candidate_when_every_mentor_is_excluded() -> None:
    mentees = MenteeFeatures(n=2, refusals=rows([{0: 1}, {}], 1))
    mentors = MentorFeatures(n=1, capacity=np.array([2]))
    result = match(mentees, mentors)
    assert result.reasons == ("no_candidate", None)


def test_no_candidate_when_the_form_admits_no_mentor() -> None:
    mentees = MenteeFeatures(n=1)
    mentors = MentorFeatures(n=2, category=np.array([CATEGORY_STUDENT, CATEGORY_STUDENT]))
    result = match(mentees, mentors, Rules(mentor_categories=frozenset({CATEGORY_TEACHER})))
    assert result.reasons == ("no_candidate",)


def test_coverage_matches_more_mentees() -> None:
    bases = synthetic(300, 60, seed=5)
    by_score = match(bases.mentees, bases.mentors, top_k=10)
    by_cov = match(bases.mentees, bases.mentors, top_k=10, prefer="coverage")
    assert by_cov.assignment.n_matched >= by_score.assignment.n_matched
    assert by_score.assignment.total_score >= by_cov.assignment.total_score - 1e-9


def test_locked_pairs_outside_the_top_k_are_kept() -> None:
    bases = synthetic(200, 40, seed=1)
    # Pruned lists (not every allowed pair, as a small base would have by default).
    free = match(bases.mentees, bases.mentors, top_k=3, all_pairs_cells=0)
    mentee = int(np.flatnonzero(bases.mentees.consent)[0])
    ranked = set(free.candidates.mentor[free.candidates.mentee == mentee].tolist())
    consent, capacity = bases.mentors.consent, bases.mentors.capacity
    assert consent is not None
    assert capacity is not None
    mentor = next(j for j in range(40) if j not in ranked and consent[j] and capacity[j] > 0)
    refused = bases.mentees.refusals
    assert refused is None or refused[mentee, mentor] == 0
    locked = match(
        bases.mentees, bases.mentors, top_k=3, locked=[(mentee, mentor)], all_pairs_cells=0
    )
    assert locked.mentor_of[mentee] == mentor
    assert locked.assignment.locked[mentee]
    explanation = locked.explain(mentee)
    assert isinstance(explanation, PairExplanation)
    assert explanation.locked


def test_locked_pairs_must_obey_hard_rules() -> None:
    mentees, mentors = small_bases()
    with pytest.raises(InvalidInput, match="locked mentee 2 is not eligible"):
        match(mentees, mentors, locked=[(2, 0)])
    with pytest.raises(InvalidInput, match="locked mentor 2 is not eligible"):
        match(mentees, mentors, locked=[(0, 2)])
    rules = Rules(exclusions=np.array([[0, 0]]))
    with pytest.raises(InvalidInput, match=r"locked pair \(0, 0\) breaks a hard rule"):
        match(mentees, mentors, rules, locked=[(0, 0)])


def test_deterministic() -> None:
    bases = synthetic(500, 100, seed=9, skewed=True)
    first = match(bases.mentees, bases.mentors, Rules(variant="strong_helps_weak"))
    again = match(bases.mentees, bases.mentors, Rules(variant="strong_helps_weak"))
    assert np.array_equal(first.mentor_of, again.mentor_of)
    assert first.reasons == again.reasons


def test_every_weight_zero_is_rejected() -> None:
    zero = Weights(**dict.fromkeys(Weights().as_dict(), 0.0))
    with pytest.raises(InvalidInput, match="every applicable factor has weight 0"):
        match(MenteeFeatures(n=1), MentorFeatures(n=1), weights=zero)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: MenteeFeatures(n=-1), "MenteeFeatures.n must be"),
        (lambda: MenteeFeatures(n=2, text=("a",)), "text must be 2 strings"),
        (lambda: MenteeFeatures(n=2, age=np.array([1.0])), r"age must have shape \(2,\)"),
        (lambda: MenteeFeatures(n=1, age=np.array([-3.0])), "age must be >= 0"),
        (lambda: MenteeFeatures(n=1, achievement=np.array([[3]])), "achievement must be -1"),
        (lambda: MenteeFeatures(n=1, format=np.array([7])), "format must be one of"),
        (lambda: MenteeFeatures(n=1, class_id=np.array([1.5])), "class_id must hold integers"),
        (lambda: MenteeFeatures(n=1, deficits=rows([{0: -1}], 1)), "deficits must be non-negative"),
        (lambda: MenteeFeatures(n=2, deficits=rows([{0: 1}], 1)), "deficits must have 2 rows"),
        (lambda: MentorFeatures(n=1, capacity=np.array([-1])), "capacity must be >= 0"),
        (
            lambda: MentorFeatures(n=1, competencies=rows([{0: 4}], 1)),
            r"competencies must be levels in \[0, 3.0\]",
        ),
        (lambda: Rules(variant="buddy"), "Rules.variant must be one of"),
        (lambda: Rules(same_class="same"), "Rules.same_class must be one of"),
        (lambda: Rules(exclusions=np.array([1, 2, 3])), r"exclusions must have shape \(k, 2\)"),
        (lambda: Rules(age_gap_years=0), "age_gap_years must be > 0"),
        (lambda: Weights(interests=-1), "Weights.interests must be"),
        (lambda: Weights(age=float("nan")), "Weights.age must be"),
    ],
)
def test_bad_features_are_rejected(build, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        build()


def test_cross_side_shapes_are_checked() -> None:
    mentees = MenteeFeatures(n=2, wishes=rows([{0: 1}, {}], 3))
    with pytest.raises(InvalidInput, match=r"MenteeFeatures.wishes must have shape \(2, 2\)"):
        match(mentees, MentorFeatures(n=2))
    with pytest.raises(InvalidInput, match="exclusions has a pair out of range"):
        match(MenteeFeatures(n=1), MentorFeatures(n=1), Rules(exclusions=np.array([[0, 4]])))


def test_fill_round_uses_places_left_empty_by_crowded_lists() -> None:
    # Every mentee likes mentor 0 best; mentor 0 has one place, the others have room but are
    # in nobody's top-1 list.
    n = 6
    mentees = MenteeFeatures(n=n, deficits=rows([{0: 1}] * n, 2))
    mentors = MentorFeatures(
        n=3, competencies=rows([{0: 3}, {0: 1}, {1: 3}], 2), capacity=np.array([1, 3, 3])
    )
    pruned = {"top_k": 1, "mentor_top_k": 0, "all_pairs_cells": 0, "certify": False}
    crowded = match(mentees, mentors, fill_rounds=0, **pruned)
    assert crowded.assignment.n_matched == 1
    assert crowded.reasons.count("mentors_full") == n - 1
    # One round: the waiting mentees' best mentor with room (mentor 1) fills up.
    once = match(mentees, mentors, fill_rounds=1, fill_top_k=1, **pruned)
    assert once.assignment.load.tolist() == [1, 3, 0]
    assert "fill" in once.timings
    # A second round reaches mentor 2.
    twice = match(mentees, mentors, fill_rounds=2, fill_top_k=1, **pruned)
    assert twice.assignment.n_matched == n
    assert twice.assignment.load.tolist() == [1, 3, 2]


@ENGINE_EXAMPLES
@given(st.integers(0, 2**16), st.booleans(), st.sampled_from(["score", "coverage"]))
def test_hard_rules_hold_on_random_bases(seed: int, skewed: bool, prefer: str) -> None:
    bases = synthetic(60, 12, seed=seed, skewed=skewed)
    rng = np.random.default_rng(seed)
    exclusions = np.column_stack([rng.integers(0, 60, 30), rng.integers(0, 12, 30)])
    rules = Rules(
        variant="strong_helps_weak",
        mentor_categories=frozenset({CATEGORY_TEACHER}),
        require_format_match=True,
        exclusions=exclusions,
    )
    result = match(bases.mentees, bases.mentors, rules, top_k=4, prefer=prefer)
    mentees, mentors = bases.mentees, bases.mentors
    assert mentees.consent is not None
    assert mentors.consent is not None
    assert mentors.category is not None
    assert mentees.format is not None
    assert mentors.format is not None
    assert mentors.capacity is not None
    banned = {(int(i), int(j)) for i, j in exclusions}
    if mentees.refusals is not None:
        r, c = mentees.refusals.nonzero()
        banned |= set(zip(r.tolist(), c.tolist(), strict=True))
    for i, j in enumerate(result.mentor_of.tolist()):
        if j < 0:
            assert result.reasons[i] is not None
            continue
        assert result.reasons[i] is None
        assert mentees.consent[i]
        assert mentors.consent[j]
        assert mentors.category[j] == CATEGORY_TEACHER
        assert (i, j) not in banned
        fe, fo = int(mentees.format[i]), int(mentors.format[j])
        assert fe == 0 or fo == 0 or fe & fo
    assert (result.assignment.load <= mentors.capacity).all()
    matched = result.mentor_of >= 0
    assert np.allclose(
        result.score[matched],
        result.candidates.score[result.assignment.edge_of[matched]],
        atol=1e-5,
    )


def test_a_small_base_is_matched_over_every_allowed_pair_and_certified() -> None:
    # Every mentee likes mentor 0 best and its lists are one long: pruned, most stay unmatched.
    n = 6
    mentees = MenteeFeatures(n=n, deficits=rows([{0: 1}] * n, 2))
    mentors = MentorFeatures(
        n=3, competencies=rows([{0: 3}, {0: 1}, {1: 3}], 2), capacity=np.array([1, 3, 3])
    )
    pruned = match(
        mentees, mentors, top_k=1, mentor_top_k=0, fill_rounds=0, all_pairs_cells=0, certify=False
    )
    assert not pruned.certified
    whole = match(mentees, mentors, top_k=1, mentor_top_k=0, fill_rounds=0)
    assert whole.certified
    assert whole.assignment.n_matched == n
    assert whole.assignment.total_score >= pruned.assignment.total_score
    assert len(whole.candidates) == n * 3
