"""Each factor on hand-made profiles: the expected ORDER of candidates."""

from __future__ import annotations

import numpy as np
import pytest

from nastavnik.matching.engine.factors import age_band
from nastavnik.matching.engine.features import (
    FORMAT_ANY,
    FORMAT_IN_PERSON,
    FORMAT_ONLINE,
    FORMAT_UNKNOWN,
    MenteeFeatures,
    MentorFeatures,
    Rules,
    Weights,
)
from nastavnik.matching.engine.scoring import build_model

from .helpers import only, ranking, rows, scores_of

FORMATIVE_ASSESSMENT = 0  # «формирующее оценивание»
PROJECT_WORK = 1
DIGITAL_TOOLS = 2


def test_deficit_coverage_prefers_the_mentor_who_covers_the_deficit() -> None:
    mentees = MenteeFeatures(
        n=2,
        deficits=rows([{FORMATIVE_ASSESSMENT: 1}, {FORMATIVE_ASSESSMENT: 1, PROJECT_WORK: 1}], 3),
    )
    mentors = MentorFeatures(
        n=4,
        competencies=rows(
            [
                {PROJECT_WORK: 3},  # covers something else
                {FORMATIVE_ASSESSMENT: 1},  # covers it, basic level
                {FORMATIVE_ASSESSMENT: 3},  # covers it, expert
                {FORMATIVE_ASSESSMENT: 3, PROJECT_WORK: 3},  # covers both
            ],
            3,
        ),
    )
    model = build_model(mentees, mentors, Rules(), only("deficit_coverage"))
    assert ranking(model, 0)[:2] == [2, 3]  # expert coverage ties; lower index first
    assert scores_of(model, 0)[0] == 0.0
    assert scores_of(model, 0)[1] == pytest.approx(1 / 3)
    assert ranking(model, 1) == [3, 0, 2, 1]  # mentors 0 and 2 each cover half
    assert scores_of(model, 1)[3] == pytest.approx(1.0)
    assert scores_of(model, 1)[2] == pytest.approx(0.5)


def test_deficit_coverage_accepts_levels_already_in_unit_range() -> None:
    mentees = MenteeFeatures(n=1, deficits=rows([{0: 1}], 1))
    mentors = MentorFeatures(n=2, competencies=rows([{0: 0.5}, {0: 1.0}], 1), max_level=1)
    model = build_model(mentees, mentors, Rules(), only("deficit_coverage"))
    assert scores_of(model, 0).tolist() == pytest.approx([0.5, 1.0])


def test_interests_match_across_inflections_and_yo() -> None:
    mentees = MenteeFeatures(n=2, text=("Занимаюсь робототехникой", "ёлка"))
    mentors = MentorFeatures(n=3, text=("рисование", "Робототехника и шахматы", "Елка"))
    model = build_model(mentees, mentors, Rules(), only("interests"))
    assert ranking(model, 0)[0] == 1
    assert scores_of(model, 0)[0] == 0.0
    assert ranking(model, 1)[0] == 2
    assert scores_of(model, 1)[2] == pytest.approx(1.0, abs=1e-6)
    details = model.factors[0].describe(0, 1)
    assert details["shared_lemmas"] == ["робототехника"]
    assert details["shared_words"] == ["робототехника"]


LEVELS = np.array([[0, 2], [1, -1]], dtype=np.int8)  # mentee 0: weak, strong; mentee 1: medium


def _achievement_mentors() -> MentorFeatures:
    return MentorFeatures(
        n=4,
        achievement=np.array([[2, 2], [1, 1], [0, 0], [-1, -1]], dtype=np.int8),
    )


def test_strong_helps_weak() -> None:
    mentees = MenteeFeatures(n=2, achievement=LEVELS)
    model = build_model(
        mentees, _achievement_mentors(), Rules(variant="strong_helps_weak"), only("achievement")
    )
    # Mentee 0 is weak in subject 0: a strong mentor helps most, a medium one half as much.
    assert ranking(model, 0) == [0, 1, 2, 3]
    assert scores_of(model, 0).tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])
    assert scores_of(model, 1).tolist() == pytest.approx([0.5, 0.0, 0.0, 0.0])
    subjects = model.factors[0].describe(0, 0)["subjects"]
    assert subjects == [{"subject": 0, "mentee_level": 0, "mentor_level": 2, "contribution": 1.0}]


def test_similar_level() -> None:
    mentees = MenteeFeatures(n=2, achievement=LEVELS)
    model = build_model(
        mentees, _achievement_mentors(), Rules(variant="similar_level"), only("achievement")
    )
    # Mentee 1 (medium in subject 0) is closest to the medium mentor.
    assert ranking(model, 1)[0] == 1
    assert scores_of(model, 1).tolist() == pytest.approx([0.5, 1.0, 0.5, 0.0])
    # Mentee 0 (weak, strong): mentors 0 (strong, strong) and 2 (weak, weak) are half right.
    assert scores_of(model, 0).tolist() == pytest.approx([0.5, 0.5, 0.5, 0.0])


def test_achievement_does_not_apply_to_the_general_variant() -> None:
    mentees = MenteeFeatures(n=2, achievement=LEVELS)
    model = build_model(mentees, _achievement_mentors(), Rules(), Weights())
    assert "achievement" not in model.codes


def test_reverse_mentoring_prefers_younger_mentors() -> None:
    mentees = MenteeFeatures(n=1, age=np.array([16.2]))
    mentors = MentorFeatures(n=4, age=np.array([55.0, 13.0, 15.9, np.nan]))
    model = build_model(mentees, mentors, Rules(variant="reverse"), only("age"))
    assert ranking(model, 0) == [1, 3, 2, 0]
    assert scores_of(model, 0).tolist() == pytest.approx([0.0, 1.0, 1 / 3, 0.5])
    assert model.factors[0].describe(0, 1)["rule"] == "younger"


def test_general_variant_prefers_older_mentors_and_peers_prefer_close_ages() -> None:
    mentees = MenteeFeatures(n=1, age=np.array([12.5]))
    mentors = MentorFeatures(n=3, age=np.array([12.0, 14.0, 17.0]))
    older = build_model(mentees, mentors, Rules(), only("age"))
    assert ranking(older, 0) == [2, 1, 0]
    assert scores_of(older, 0).tolist() == pytest.approx([0.0, 2 / 3, 1.0])
    close = build_model(mentees, mentors, Rules(variant="similar_level"), only("age"))
    assert ranking(close, 0) == [0, 1, 2]


def test_age_bands() -> None:
    ages = np.array([7.9, 19.99, 20.0, 24.9, 25.0, 61.0, np.nan])
    assert age_band(ages)[:-1].tolist() == [7, 19, 22, 22, 27, 62]
    assert np.isnan(age_band(ages)[-1])


def test_young_specialist_rule() -> None:
    mentees = MenteeFeatures(n=3, experience=np.array([1.0, 12.0, np.nan]))
    mentors = MentorFeatures(n=4, experience=np.array([2.0, 25.0, 8.0, np.nan]))
    model = build_model(mentees, mentors, Rules(variant="young_specialist"), only("experience"))
    # A young specialist (0–3 years) gets the most experienced mentor first.
    assert ranking(model, 0) == [1, 2, 0, 3]
    assert scores_of(model, 0).tolist() == pytest.approx([0.0, 1.0, 5 / 7, 0.0])
    # Not a young specialist: the rule gives nothing.
    assert scores_of(model, 1).tolist() == pytest.approx([0.0, 0.0, 0.0, 0.0])
    assert scores_of(model, 2)[1] == pytest.approx(0.5)
    assert "age" not in model.codes  # the variant leaves age out


def test_availability_overlap_share() -> None:
    monday_all_day = 0b111
    mentees = MenteeFeatures(n=2, availability=np.array([monday_all_day, 0], dtype=np.uint32))
    mentors = MentorFeatures(
        n=4, availability=np.array([0b1000, 0b001, 0b111 | 0b1000, 0], dtype=np.uint32)
    )
    model = build_model(mentees, mentors, Rules(), only("availability"))
    assert ranking(model, 0) == [2, 3, 1, 0]
    assert scores_of(model, 0).tolist() == pytest.approx([0.0, 1 / 3, 1.0, 0.5])
    # Unknown availability of the mentee: neutral for every mentor.
    assert scores_of(model, 1).tolist() == pytest.approx([0.5] * 4)
    assert model.factors[0].describe(0, 2)["n_common"] == 3


def test_format_compatibility_and_the_hard_rule() -> None:
    mentees = MenteeFeatures(n=1, format=np.array([FORMAT_IN_PERSON], dtype=np.int8))
    fmts = [FORMAT_ONLINE, FORMAT_ANY, FORMAT_IN_PERSON, FORMAT_UNKNOWN]
    mentors = MentorFeatures(n=4, format=np.array(fmts, dtype=np.int8))
    soft = build_model(mentees, mentors, Rules(), only("format"))
    assert scores_of(soft, 0).tolist() == pytest.approx([0.0, 1.0, 1.0, 0.5])
    hard = build_model(mentees, mentors, Rules(require_format_match=True), only("format"))
    assert ranking(hard, 0) == [1, 2, 3]


def test_wishes_rank_and_refusals_exclude() -> None:
    mentees = MenteeFeatures(
        n=2,
        wishes=rows([{2: 1, 0: 2}, {}], 3),
        refusals=rows([{}, {1: 1}], 3),
    )
    mentors = MentorFeatures(
        n=3, wishes=rows([{0: 1}, {}, {}], 2), refusals=rows([{}, {}, {1: 1}], 2)
    )
    model = build_model(mentees, mentors, Rules(), only("wishes"))
    # Mentee 0: first choice 2 (0.5), second choice 0 who also chose them (0.25 + 0.5).
    assert scores_of(model, 0).tolist() == pytest.approx([0.75, 0.0, 0.5])
    assert ranking(model, 0) == [0, 2, 1]
    # Mentee 1 refused mentor 1, mentor 2 refused mentee 1: both pairs are excluded.
    assert ranking(model, 1) == [0]
    assert model.factors[0].describe(0, 0) == {"mentee_rank": 2, "mentor_rank": 1}


def test_exclusions_are_hard() -> None:
    mentees = MenteeFeatures(n=1)
    mentors = MentorFeatures(n=3)
    model = build_model(mentees, mentors, Rules(exclusions=np.array([[0, 1]])), Weights())
    assert ranking(model, 0) == [0, 2]


@pytest.mark.parametrize(
    ("preference", "expected"),
    [("prefer_same", [1.0, 0.0, 0.5]), ("prefer_different", [0.0, 1.0, 0.5])],
)
def test_same_class(preference: str, expected: list[float]) -> None:
    mentees = MenteeFeatures(n=1, class_id=np.array([7]))
    mentors = MentorFeatures(n=3, class_id=np.array([7, 8, -1]))
    model = build_model(mentees, mentors, Rules(same_class=preference), only("same_class"))
    assert scores_of(model, 0).tolist() == pytest.approx(expected)


def test_same_class_indifferent_leaves_the_factor_out() -> None:
    model = build_model(MenteeFeatures(n=1), MentorFeatures(n=1), Rules(), Weights())
    assert "same_class" not in model.codes
    assert sum(model.weights) == pytest.approx(1.0)


def test_weights_combine_and_normalise() -> None:
    mentees = MenteeFeatures(n=1, deficits=rows([{0: 1}], 1), text=("шахматы",))
    mentors = MentorFeatures(n=2, competencies=rows([{0: 3}, {}], 1), text=("футбол", "шахматы"))
    weights = Weights(
        deficit_coverage=3,
        interests=1,
        achievement=0,
        availability=0,
        format=0,
        wishes=0,
        same_class=0,
        age=0,
        experience=0,
    )
    model = build_model(mentees, mentors, Rules(), weights)
    assert model.codes == ("deficit_coverage", "interests")
    assert scores_of(model, 0).tolist() == pytest.approx([0.75, 0.25], abs=1e-6)
    heavier_text = Weights(**{**weights.as_dict(), "interests": 9.0})
    model = build_model(mentees, mentors, Rules(), heavier_text)
    assert ranking(model, 0) == [1, 0]


def test_the_shared_interests_are_the_words_people_wrote() -> None:
    mentees = MenteeFeatures(n=1, text=("Люблю родной край и походы",))
    mentors = MentorFeatures(n=1, text=("Краевед: изучаю родной край, хожу в походы",))
    model = build_model(mentees, mentors, Rules(), only("interests"))
    details = model.factors[0].describe(0, 0)
    assert details["shared_words"] == ["родной край", "походы"]
    assert "родный" not in details["shared_words"]
    assert set(details["shared_lemmas"]) >= {"край", "поход"}


PUPIL, TEACHER = 0, 1


def test_experience_is_left_out_when_every_mentor_is_a_pupil() -> None:
    mentees = MenteeFeatures(n=1, text=("шахматы",))
    mentors = MentorFeatures(
        n=2,
        text=("шахматы", "шахматы"),
        experience=np.array([np.nan, np.nan]),
        category=np.array([PUPIL, PUPIL]),
    )
    rules = Rules(no_experience_categories=frozenset({PUPIL}))
    model = build_model(mentees, mentors, rules, Weights())
    assert "experience" not in [f.code for f in model.factors]
    # Without the pupils' rule the unknown experience is a factor (the old behaviour).
    assert "experience" in [
        f.code for f in build_model(mentees, mentors, Rules(), Weights()).factors
    ]


def test_a_pupil_mentor_is_not_costed_by_experience_beside_teachers() -> None:
    mentees = MenteeFeatures(n=1)
    mentors = MentorFeatures(
        n=2, experience=np.array([np.nan, 20.0]), category=np.array([PUPIL, TEACHER])
    )
    rules = Rules(no_experience_categories=frozenset({PUPIL}))
    model = build_model(mentees, mentors, rules, only("experience"))
    assert scores_of(model, 0).tolist() == pytest.approx([1.0, 1.0])
    assert model.factors[0].describe(0, 0)["applies"] is False
    assert model.factors[0].describe(0, 1)["applies"] is True
