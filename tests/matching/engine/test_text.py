"""Russian text: folding, lemmatization, TF-IDF and cosine similarity."""

from __future__ import annotations

import numpy as np
import pytest

from nastavnik.matching.engine.text import RussianTextVectorizer, fold, lemmatize, tokenize


def test_fold_and_tokenize() -> None:
    assert fold("Ёлка ЁЖИК") == "елка ежик"
    assert tokenize("Научно-популярный 3D-принтер, C++!") == [
        "научно-популярный",
        "3d-принтер",
        "c++",
    ]


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("Занимаюсь робототехникой", ["робототехника"]),
        ("робототехника", ["робототехника"]),
        ("ёлка", ["елка"]),
        ("елки и ёлки", ["елка", "елка"]),
        ("Математика и физика", ["математика", "физика"]),
        ("хочу подтянуть математику", ["подтянуть", "математика"]),
        ("Мне нравится играть в шахматы", ["играть", "шахматы"]),
        ("я и ты, но не он", []),
    ],
)
def test_lemmatize(text: str, lemmas: list[str]) -> None:
    assert lemmatize(text) == lemmas


def test_inflected_forms_match_and_shared_words_are_readable() -> None:
    vec = RussianTextVectorizer()
    mentees, mentors = vec.fit_transform(
        ["Увлекаюсь робототехникой и шахматами", "Люблю ёлочные игрушки"],
        ["робототехника, шахматы", "елочные игрушки", "рисование"],
    )
    sim = (mentees @ mentors.T).toarray()
    assert sim[0, 0] == pytest.approx(1.0, abs=1e-6)
    assert sim[0, 1] == 0.0
    assert sim[1, 1] == pytest.approx(1.0, abs=1e-6)
    assert sim[0, 2] == 0.0
    col = vec.vocabulary["робототехника"]
    assert vec.surface[col] == "робототехникой"
    assert vec.display[col] == "робототехника"
    # ё is folded for matching but kept for display.
    assert vec.display[vec.vocabulary["елочный"]] == "ёлочный"


def test_rows_are_l2_normalised_and_empty_rows_are_zero() -> None:
    vec = RussianTextVectorizer()
    a, b = vec.fit_transform(["футбол футбол хоккей", ""], ["и в на"])
    norms = np.sqrt(np.asarray(a.multiply(a).sum(axis=1)).ravel())
    assert norms[0] == pytest.approx(1.0, abs=1e-6)
    assert norms[1] == 0.0
    assert b.nnz == 0


def test_rare_shared_lemma_counts_more_than_a_common_one() -> None:
    vec = RussianTextVectorizer()
    corpus_e = ["футбол астрономия", "футбол", "футбол", "футбол"]
    corpus_o = ["футбол", "астрономия", "футбол", "футбол"]
    a, b = vec.fit_transform(corpus_e, corpus_o)
    sim = (a @ b.T).toarray()
    # Mentee 0 shares «футбол» with mentor 0 and «астрономия» (rarer) with mentor 1.
    assert sim[0, 1] > sim[0, 0]


def test_transform_with_a_fitted_vocabulary_ignores_unknown_words() -> None:
    vec = RussianTextVectorizer().fit(["шахматы"])
    matrix = vec.transform(["шахматами и футболом"])
    assert matrix.shape == (1, 1)
    assert matrix.toarray()[0, 0] == pytest.approx(1.0)


def test_shared_words_are_shown_as_written_in_phrases() -> None:
    from nastavnik.matching.engine.text import shared_phrases

    vec = RussianTextVectorizer()
    vec.fit(["Люблю родной край, игру на гитаре и шахматы"], ["краеведение: родной край; гитара"])
    lemmas = [vec.lemmas[vec.vocabulary[w]] for w in ("родной", "край", "игра", "гитара")]
    phrases = shared_phrases("Люблю родной край, игру на гитаре и шахматы", lemmas)
    # Neighbours are one phrase (a preposition may sit inside), punctuation and «и» end one.
    assert [p for p, _ in phrases] == ["родной край", "игру на гитаре"]
    assert dict(phrases)["родной край"] == 2  # both words in their dictionary form
