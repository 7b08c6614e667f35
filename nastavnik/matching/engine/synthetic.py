"""Seeded synthetic bases of mentees and mentors for tests and benchmarks.

Profiles look like a school's: pupils 10–16 years old as mentees; senior pupils and teachers as
mentors; deficits and competencies from one taxonomy with uneven popularity; achievement levels
per subject; weekly availability; formats; Russian free-text interests in inflected forms
(«увлекаюсь робототехникой», «шахматы»); a few wishes and refusals.

``skewed=True`` makes a small share of "star" mentors far more attractive (more competencies
at expert level, broad interests, free every day, either format) and gives more places than
mentees, which is where naive greedy matching and per-mentee candidate lists struggle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from nastavnik.matching.engine.features import (
    FORMAT_ANY,
    FORMAT_IN_PERSON,
    FORMAT_ONLINE,
    FORMAT_UNKNOWN,
    MenteeFeatures,
    MentorFeatures,
)

__all__ = ["CATEGORY_STUDENT", "CATEGORY_TEACHER", "TOPICS", "SyntheticBases", "synthetic"]

CATEGORY_STUDENT = 0
CATEGORY_TEACHER = 1

# (nominative, instrumental) forms: texts mix them, so matching must lemmatize.
TOPICS: tuple[tuple[str, str], ...] = (
    ("робототехника", "робототехникой"),
    ("шахматы", "шахматами"),
    ("программирование", "программированием"),
    ("футбол", "футболом"),
    ("волейбол", "волейболом"),
    ("баскетбол", "баскетболом"),
    ("плавание", "плаванием"),
    ("рисование", "рисованием"),
    ("музыка", "музыкой"),
    ("гитара", "гитарой"),
    ("фортепиано", "фортепиано"),
    ("театр", "театром"),
    ("танцы", "танцами"),
    ("история", "историей"),
    ("математика", "математикой"),
    ("физика", "физикой"),
    ("химия", "химией"),
    ("биология", "биологией"),
    ("экология", "экологией"),
    ("астрономия", "астрономией"),
    ("литература", "литературой"),
    ("поэзия", "поэзией"),
    ("журналистика", "журналистикой"),
    ("фотография", "фотографией"),
    ("видеомонтаж", "видеомонтажом"),
    ("дизайн", "дизайном"),
    ("кулинария", "кулинарией"),
    ("туризм", "туризмом"),
    ("краеведение", "краеведением"),
    ("волонтерство", "волонтёрством"),
    ("английский язык", "английским языком"),
    ("немецкий язык", "немецким языком"),
    ("китайский язык", "китайским языком"),
    ("лыжи", "лыжами"),
    ("хоккей", "хоккеем"),
    ("бокс", "боксом"),
    ("самбо", "самбо"),
    ("легкая атлетика", "лёгкой атлетикой"),
    ("моделирование", "моделированием"),
    ("3d-печать", "3d-печатью"),
    ("электроника", "электроникой"),
    ("предпринимательство", "предпринимательством"),
    ("финансовая грамотность", "финансовой грамотностью"),
    ("психология", "психологией"),
    ("дебаты", "дебатами"),
    ("олимпиады", "олимпиадами"),
    ("генетика", "генетикой"),
    ("архитектура", "архитектурой"),
    ("авиамоделирование", "авиамоделированием"),
    ("ёлочные игрушки", "ёлочными игрушками"),
    ("вязание", "вязанием"),
    ("садоводство", "садоводством"),
    ("собаки", "собаками"),
    ("аниме", "аниме"),
    ("комиксы", "комиксами"),
    ("киберспорт", "киберспортом"),
    ("блогинг", "блогингом"),
    ("нейросети", "нейросетями"),
    ("анимация", "анимацией"),
    ("скалолазание", "скалолазанием"),
)
_TEMPLATES = ("Увлекаюсь {i}", "Интересуюсь {i}", "{n}", "Люблю {n}", "Занимаюсь {i}")


@dataclass(frozen=True)
class SyntheticBases:
    mentees: MenteeFeatures
    mentors: MentorFeatures


def synthetic(
    n_mentees: int,
    n_mentors: int,
    *,
    seed: int = 0,
    skewed: bool = False,
    n_competencies: int = 40,
    n_subjects: int = 8,
    capacity: tuple[int, int] = (1, 5),
    wish_share: float = 0.05,
) -> SyntheticBases:
    """Random but plausible bases; the same seed gives the same bases.

    With ``skewed`` the capacities are drawn from ``(capacity[0], 2 * capacity[1])`` so that the
    places exceed the mentees at the benchmark sizes.
    """
    rng = np.random.default_rng(seed)
    popularity = _zipf(n_competencies, 1.1 if skewed else 0.6)
    topic_pop = _zipf(len(TOPICS), 1.0 if skewed else 0.5)
    star = rng.random(n_mentors) < (0.05 if skewed else 0.0)

    deficits = _sparse_sets(rng, n_mentees, popularity, (1, 4), levels=None)
    n_comp = np.where(star, 12, rng.integers(2, 7, n_mentors))
    competencies = _sparse_sets(rng, n_mentors, popularity, n_comp, levels=(1, 4))
    if skewed:
        competencies = competencies.tolil()
        for j in np.flatnonzero(star):
            for c in competencies.rows[j]:
                competencies[j, c] = 3
        competencies = sparse.csr_array(competencies)

    teacher = rng.random(n_mentors) < 0.6
    age_e = rng.uniform(10, 17, n_mentees)
    age_o = np.where(teacher, rng.uniform(23, 65, n_mentors), rng.uniform(14, 18, n_mentors))
    exp_o = np.where(teacher, np.clip(age_o - 23 - rng.uniform(0, 5, n_mentors), 0, None), np.nan)

    n_classes = max(1, n_mentees // 25)
    class_e = rng.integers(0, n_classes, n_mentees)
    class_o = np.where(teacher, -1, rng.integers(0, n_classes, n_mentors))

    level_e = rng.choice([-1, 0, 1, 2], p=[0.15, 0.35, 0.35, 0.15], size=(n_mentees, n_subjects))
    level_o = rng.choice([-1, 0, 1, 2], p=[0.15, 0.05, 0.35, 0.45], size=(n_mentors, n_subjects))
    level_o[star] = 2

    avail_e = _availability(rng, n_mentees, np.zeros(n_mentees, dtype=bool))
    avail_o = _availability(rng, n_mentors, star)
    formats = np.array([FORMAT_IN_PERSON, FORMAT_ONLINE, FORMAT_ANY, FORMAT_UNKNOWN])
    fmt_p = [0.4, 0.15, 0.4, 0.05]
    fmt_e = rng.choice(formats, p=fmt_p, size=n_mentees)
    fmt_o = np.where(star, FORMAT_ANY, rng.choice(formats, p=fmt_p, size=n_mentors))

    text_e = _texts(rng, n_mentees, topic_pop, np.full(n_mentees, 3))
    text_o = _texts(rng, n_mentors, topic_pop, np.where(star, 8, 3))

    mentor_pop = np.where(star, 20.0, 1.0)
    mentor_pop /= mentor_pop.sum()
    wishes_e = _choices(rng, n_mentees, n_mentors, wish_share, mentor_pop)
    wishes_o = _choices(rng, n_mentors, n_mentees, wish_share / 2, None)
    refusals_e = _choices(rng, n_mentees, n_mentors, 0.01, None, max_choices=1)

    low, high = capacity
    cap = rng.integers(low, (2 * high if skewed else high) + 1, n_mentors)

    mentees = MenteeFeatures(
        n=n_mentees,
        text=text_e,
        achievement=level_e.astype(np.int8),
        availability=avail_e,
        format=fmt_e.astype(np.int8),
        class_id=class_e,
        age=age_e,
        experience=np.full(n_mentees, np.nan),
        category=np.full(n_mentees, CATEGORY_STUDENT),
        consent=rng.random(n_mentees) < 0.97,
        wishes=wishes_e,
        refusals=refusals_e,
        deficits=deficits,
    )
    mentors = MentorFeatures(
        n=n_mentors,
        text=text_o,
        achievement=level_o.astype(np.int8),
        availability=avail_o,
        format=fmt_o.astype(np.int8),
        class_id=class_o,
        age=age_o,
        experience=exp_o,
        category=np.where(teacher, CATEGORY_TEACHER, CATEGORY_STUDENT),
        consent=rng.random(n_mentors) < 0.97,
        wishes=wishes_o,
        competencies=competencies,
        capacity=cap,
    )
    return SyntheticBases(mentees, mentors)


def _zipf(n: int, exponent: float) -> NDArray[np.float64]:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


def _sparse_sets(
    rng: np.random.Generator,
    n_rows: int,
    popularity: NDArray[np.float64],
    sizes: tuple[int, int] | NDArray[np.int64],
    levels: tuple[int, int] | None,
) -> sparse.csr_array:
    """Each row draws a set of columns by popularity (without repeats), valued 1 or a level."""
    n_cols = popularity.size
    count = rng.integers(sizes[0], sizes[1], n_rows) if isinstance(sizes, tuple) else sizes
    count = np.minimum(count, n_cols)
    # Gumbel top-k: sampling without replacement for all rows at once.
    keys = np.log(popularity)[None, :] - np.log(-np.log(rng.random((n_rows, n_cols))))
    order = np.argsort(-keys, axis=1)
    take = np.arange(n_cols)[None, :] < count[:, None]
    rows = np.repeat(np.arange(n_rows), count)
    cols = order[take]
    data = (
        np.ones(cols.size)
        if levels is None
        else rng.integers(levels[0], levels[1], cols.size).astype(np.float64)
    )
    return sparse.csr_array((data, (rows, cols)), shape=(n_rows, n_cols))


def _availability(
    rng: np.random.Generator, n: int, always: NDArray[np.bool_]
) -> NDArray[np.uint32]:
    slots = rng.random((n, 21)) < rng.uniform(0.15, 0.5, (n, 1))
    masks = (slots * (1 << np.arange(21))).sum(axis=1).astype(np.uint32)
    masks[rng.random(n) < 0.1] = 0  # unknown
    masks[always] = (1 << 21) - 1
    return masks


def _texts(
    rng: np.random.Generator,
    n: int,
    popularity: NDArray[np.float64],
    topics: NDArray[np.int64],
) -> tuple[str, ...]:
    n_topics = np.maximum(1, rng.poisson(topics))
    picks = rng.choice(len(TOPICS), p=popularity, size=int(n_topics.sum()))
    forms = rng.integers(0, len(_TEMPLATES), picks.size)
    empty = rng.random(n) < 0.08
    out: list[str] = []
    pos = 0
    for i in range(n):
        parts = []
        for t, f in zip(
            picks[pos : pos + n_topics[i]], forms[pos : pos + n_topics[i]], strict=True
        ):
            nomn, ablt = TOPICS[int(t)]
            parts.append(_TEMPLATES[int(f)].format(n=nomn, i=ablt))
        pos += int(n_topics[i])
        out.append("" if empty[i] else ", ".join(parts))
    return tuple(out)


def _choices(
    rng: np.random.Generator,
    n_rows: int,
    n_cols: int,
    share: float,
    popularity: NDArray[np.float64] | None,
    max_choices: int = 3,
) -> sparse.csr_array:
    """A few rows rank 1..max_choices columns (1 = first choice)."""
    who = np.flatnonzero(rng.random(n_rows) < share)
    count = rng.integers(1, max_choices + 1, who.size)
    rows = np.repeat(who, count)
    cols = rng.choice(n_cols, p=popularity, size=rows.size) if n_cols else rows[:0]
    ranks = np.concatenate([np.arange(1, c + 1) for c in count]) if count.size else rows[:0]
    # A repeated column keeps its best (first) rank.
    _, first = np.unique(rows * max(n_cols, 1) + cols, return_index=True)
    rows, cols, ranks = rows[first], cols[first], ranks[first]
    return sparse.csr_array((ranks.astype(np.float64), (rows, cols)), shape=(n_rows, n_cols))
