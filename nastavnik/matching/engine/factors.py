"""The scoring factors. Each value is in [0, 1]; each factor has a stable code.

========================= ===================================================================
code                      value of a pair (mentee i, mentor j)
========================= ===================================================================
``deficit_coverage``      weighted share of i's deficits that j's competencies cover, level-aware:
                          ``sum_c d[i,c] * level[j,c] / max_level / sum_c d[i,c]``
``interests``             cosine similarity of the TF-IDF vectors of lemmatized free text
``achievement``           by variant: ``strong_helps_weak`` — over subjects, weighted by how weak
                          i is (weak 2, medium 1, strong 0), how far j is above i (strong over
                          weak 1, one level above 0.5); ``similar_level`` — mean over i's known
                          subjects of ``1 - |level_i - level_j| / 2`` (unknown level of j: 0)
``availability``          share of i's weekly slots that j also has; 0.5 if either is unknown
``format``                1 if the formats are compatible (in person / online / either), else 0;
                          0.5 if either is unknown
``wishes``                ``(1/rank_i→j + 1/rank_j→i) / 2`` with 1/rank = 0 without a wish
``same_class``            ``prefer_same``: 1 same class, 0 different; ``prefer_different``: the
                          reverse; 0.5 if either class is unknown
``age``                   by variant: mentor older (``general``, ``strong_helps_weak``):
                          ``clip((age_j - age_i) / gap, 0, 1)``; ``reverse``: mentor younger,
                          ``clip((age_i - age_j) / gap, 0, 1)``; ``similar_level``:
                          ``max(0, 1 - |age_i - age_j| / gap)``; 0.5 if unknown
``experience``            ``young_specialist``: ``young(i) * clip((exp_j - Y) / (X - Y), 0, 1)``,
                          ``young(i)`` 1 if ``exp_i <= Y``, 0 if more, 0.5 if unknown; otherwise
                          ``clip(exp_j / X, 0, 1)``, 0.5 if unknown. ``Y`` young specialist
                          years, ``X`` experienced years (see :class:`Rules`)
========================= ===================================================================

Which of achievement, age and experience apply depends on the variant:

==================== =================== ============ ===================
variant              achievement         age          experience
==================== =================== ============ ===================
general              —                   older        generic
strong_helps_weak    strong helps weak   older        generic
similar_level        similar level       close        generic
reverse              —                   younger      —
young_specialist     —                   —            young specialist
==================== =================== ============ ===================

``same_class`` applies unless the program is indifferent. A factor that does not apply, or has
weight 0, is left out of the score and of the explanation.

Ages enter in whole years below 20 and in five-year bands from 20 (20–24 counts as 22, …): the
age factor is a table over these bands, which keeps it bilinear (see :mod:`.terms`), and a year
of difference matters between pupils, not between adults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.features import (
    FORMAT_UNKNOWN,
    MenteeFeatures,
    MentorFeatures,
    Rules,
)
from nastavnik.matching.engine.terms import (
    Factor,
    SparseProduct,
    SparseTable,
    split_bilinear,
)
from nastavnik.matching.engine.text import RussianTextVectorizer, shared_phrases

__all__ = ["FACTOR_CODES", "applicable", "build_factor"]

FACTOR_CODES: tuple[str, ...] = (
    "deficit_coverage",
    "interests",
    "achievement",
    "availability",
    "format",
    "wishes",
    "same_class",
    "age",
    "experience",
)

F32 = np.float32
Array = NDArray[np.float32]


def applicable(code: str, rules: Rules) -> bool:
    """Whether a factor takes part in scoring under the program's rules."""
    if code == "achievement":
        return rules.variant in ("strong_helps_weak", "similar_level")
    if code == "age":
        return rules.variant != "young_specialist"
    if code == "experience":
        return rules.variant != "reverse"
    if code == "same_class":
        return rules.same_class != "indifferent"
    return True


def build_factor(
    code: str,
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    rules: Rules,
    vectorizer: RussianTextVectorizer | None = None,
) -> Factor:
    builder = _BUILDERS[code]
    return builder(mentees, mentors, rules, vectorizer)


def _deficit_coverage(
    mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any
) -> Factor:
    deficits = mentees.deficits
    competencies = mentors.competencies
    assert deficits is not None
    assert competencies is not None
    totals = np.asarray(deficits.sum(axis=1)).ravel()
    scale = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    share = sparse.csr_array(sparse.diags_array(scale) @ deficits)
    level = sparse.csr_array(competencies / mentors.max_level)
    mentee, mentor, rest = split_bilinear(share, level)
    n_cols = max(deficits.shape[1], competencies.shape[1])
    d_csr = _resized(deficits, n_cols)
    k_csr = _resized(level, n_cols)

    def details(i: int, j: int) -> Mapping[str, Any]:
        wanted = d_csr.indices[d_csr.indptr[i] : d_csr.indptr[i + 1]]
        weights = d_csr.data[d_csr.indptr[i] : d_csr.indptr[i + 1]]
        row = dict(_row_items(k_csr, j))
        covered = [
            (int(c), float(row[int(c)]), float(w) * float(row[int(c)]))
            for c, w in zip(wanted, weights, strict=True)
            if row.get(int(c), 0.0) > 0
        ]
        covered.sort(key=lambda item: (-item[2], item[0]))
        return {
            "covered": [c for c, _, _ in covered],
            "levels": {c: level for c, level, _ in covered},
            "missing": sorted(int(c) for c in wanted if row.get(int(c), 0.0) <= 0),
        }

    terms = (rest,) if rest is not None else ()
    return Factor("deficit_coverage", mentee, mentor, terms, details)


def _interests(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    rules: Rules,
    vectorizer: RussianTextVectorizer | None,
) -> Factor:
    assert mentees.text is not None
    assert mentors.text is not None
    text_e, text_o = mentees.text, mentors.text
    vec = vectorizer if vectorizer is not None else RussianTextVectorizer()
    if vec.lemmas:
        a, b = vec.transform(mentees.text), vec.transform(mentors.text)
    else:
        a, b = vec.fit_transform(mentees.text, mentors.text)
    mentee, mentor, rest = split_bilinear(a, b)

    def details(i: int, j: int) -> Mapping[str, Any]:
        mine = dict(_row_items(a, i))
        shared = [(col, mine[col] * value) for col, value in _row_items(b, j) if col in mine]
        shared.sort(key=lambda item: (-item[1], item[0]))
        lemmas = [vec.lemmas[c] for c, _ in shared]
        return {
            "shared_lemmas": lemmas,
            "shared_words": _as_written(text_e[i], text_o[j], lemmas),
            "contributions": [float(v) for _, v in shared],
        }

    terms = (rest,) if rest is not None else ()
    return Factor("interests", mentee, mentor, terms, details)


def _as_written(mentee_text: str, mentor_text: str, lemmas: list[str]) -> list[str]:
    """The shared words as one side wrote them (the side whose words are more often in their
    dictionary form, the mentee's on a tie): «родной край», not the stems «родный, край»."""
    if not lemmas:
        return []
    sides = [shared_phrases(mentee_text, lemmas), shared_phrases(mentor_text, lemmas)]
    best = max(sides, key=lambda phrases: sum(exact for _, exact in phrases))
    return [phrase for phrase, _ in best]


def _achievement(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    n_subjects = max(mentees.n_subjects, mentors.n_subjects)
    lv_e = _pad_levels(mentees.achievement, n_subjects)
    lv_o = _pad_levels(mentors.achievement, n_subjects)
    strong_helps_weak = rules.variant == "strong_helps_weak"
    # table[a, b]: contribution of one subject where the mentee has level a, the mentor b.
    a_lv = np.arange(3)[:, None]
    b_lv = np.arange(3)[None, :]
    if strong_helps_weak:
        need = (2 - np.arange(3)).astype(np.float64)  # weak subjects weigh most
        table = np.clip((b_lv - a_lv) / 2.0, 0.0, 1.0)
    else:
        need = np.ones(3)
        table = 1.0 - np.abs(b_lv - a_lv) / 2.0
    known_e = lv_e >= 0
    weight = np.where(known_e, need[np.maximum(lv_e, 0)], 0.0)
    total = weight.sum(axis=1, keepdims=True)
    weight = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
    # Columns are (subject, mentor level).
    mentee = (weight[:, :, None] * table[np.maximum(lv_e, 0)]).reshape(mentees.n, -1)
    onehot = (lv_o[:, :, None] == np.arange(3)[None, None, :]).reshape(mentors.n, -1)
    mentee, mentor = _drop_empty(mentee, onehot.astype(np.float64))

    def details(i: int, j: int) -> Mapping[str, Any]:
        subjects = []
        for s in range(n_subjects):
            a, b = int(lv_e[i, s]), int(lv_o[j, s])
            if a < 0 or b < 0:
                continue
            contribution = float(weight[i, s] * table[a, b])
            if contribution > 0:
                subjects.append(
                    {
                        "subject": s,
                        "mentee_level": a,
                        "mentor_level": b,
                        "contribution": contribution,
                    }
                )
        subjects.sort(key=lambda item: (-item["contribution"], item["subject"]))
        return {"rule": rules.variant, "subjects": subjects}

    return Factor("achievement", mentee, mentor, (), details)


def _availability(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    assert mentees.availability is not None
    assert mentors.availability is not None
    av_e, av_o = mentees.availability, mentors.availability
    bits_e = _bits(av_e)
    bits_o = _bits(av_o)
    used = bits_e.any(axis=0) & bits_o.any(axis=0)
    count_e = np.bitwise_count(av_e).astype(np.float64)
    known_e = count_e > 0
    known_o = av_o > 0
    share = bits_e[:, used] / np.where(known_e, count_e, 1.0)[:, None]
    mentee = np.column_stack([share, 0.5 * known_e, 0.5 * ~known_e])
    mentor = np.column_stack([bits_o[:, used], ~known_o, np.ones(mentors.n)])

    def details(i: int, j: int) -> Mapping[str, Any]:
        common = int(av_e[i]) & int(av_o[j])
        return {
            "common_slots": common,
            "n_common": common.bit_count(),
            "n_mentee_slots": int(av_e[i]).bit_count(),
            "known": bool(av_e[i] and av_o[j]),
        }

    return Factor("availability", _f32(mentee), _f32(mentor), (), details)


def format_table() -> NDArray[np.float64]:
    """``table[a, b]`` for format codes 0..3: compatible 1, not 0, unknown 0.5."""
    codes = np.arange(4)
    compatible = (codes[:, None] & codes[None, :]) > 0
    unknown = (codes[:, None] == FORMAT_UNKNOWN) | (codes[None, :] == FORMAT_UNKNOWN)
    return np.where(unknown, 0.5, compatible.astype(np.float64))


def _format(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    assert mentees.format is not None
    assert mentors.format is not None
    fmt_e, fmt_o = mentees.format, mentors.format
    table = format_table()
    mentee = table[fmt_e.astype(np.int64)]
    mentor = np.eye(4)[fmt_o.astype(np.int64)]

    def details(i: int, j: int) -> Mapping[str, Any]:
        return {"mentee_format": int(fmt_e[i]), "mentor_format": int(fmt_o[j])}

    return Factor("format", _f32(mentee), _f32(mentor), (), details)


def format_penalty(
    mentees: MenteeFeatures, mentors: MentorFeatures, penalty: float
) -> tuple[Array, Array]:
    """Designs adding ``-penalty`` to every pair with known, incompatible formats."""
    assert mentees.format is not None
    assert mentors.format is not None
    incompatible = (format_table() == 0).astype(np.float64)
    mentee = -penalty * incompatible[mentees.format.astype(np.int64)]
    mentor = np.eye(4)[mentors.format.astype(np.int64)]
    return _f32(mentee), _f32(mentor)


def _wishes(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    shape = (mentees.n, mentors.n)
    from_mentee = _inverse_ranks(mentees.wishes, shape)
    from_mentor = _inverse_ranks(
        None if mentors.wishes is None else sparse.csr_array(mentors.wishes.T),
        shape,
    )
    table = SparseTable(sparse.csr_array((from_mentee + from_mentor) * 0.5))
    rank_e = _ranks(mentees.wishes, shape)
    rank_o = _ranks(None if mentors.wishes is None else mentors.wishes.T, shape)

    def details(i: int, j: int) -> Mapping[str, Any]:
        return {"mentee_rank": _lookup(rank_e, i, j), "mentor_rank": _lookup(rank_o, i, j)}

    empty = np.zeros((0, 0), dtype=F32)
    return Factor(
        "wishes", empty.reshape(mentees.n, 0), empty.reshape(mentors.n, 0), (table,), details
    )


def _same_class(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    assert mentees.class_id is not None
    assert mentors.class_id is not None
    cls_e, cls_o = mentees.class_id, mentors.class_id
    known_e = (cls_e >= 0).astype(np.float64)
    known_o = (cls_o >= 0).astype(np.float64)
    codes, inverse = np.unique(np.concatenate([cls_e, cls_o]), return_inverse=True)
    inv_e, inv_o = inverse[: mentees.n], inverse[mentees.n :]
    onehot_e = _onehot(inv_e, known_e > 0, codes.size)
    onehot_o = _onehot(inv_o, known_o > 0, codes.size)
    ones_e, ones_o = np.ones(mentees.n), np.ones(mentors.n)
    # value = same if both known, 0.5 if either unknown (prefer_same), see the module docs.
    if rules.same_class == "prefer_same":
        mentee = np.column_stack([0.5 * ones_e, -0.5 * known_e])
        same = SparseProduct(onehot_e, onehot_o, 1.0)
    else:
        mentee = np.column_stack([0.5 * ones_e, 0.5 * known_e])
        same = SparseProduct(onehot_e, onehot_o, -1.0)
    mentor = np.column_stack([ones_o, known_o])

    def details(i: int, j: int) -> Mapping[str, Any]:
        known = bool(cls_e[i] >= 0 and cls_o[j] >= 0)
        return {
            "same": known and bool(cls_e[i] == cls_o[j]),
            "known": known,
            "preference": rules.same_class,
        }

    return Factor("same_class", _f32(mentee), _f32(mentor), (same,), details)


def age_band(age: NDArray[np.float64]) -> NDArray[np.float64]:
    """Whole years below 20, five-year bands (by their middle) from 20; NaN stays NaN."""
    years = np.floor(age)
    banded = 20.0 + 5.0 * np.floor((years - 20.0) / 5.0) + 2.0
    return np.where(years < 20, years, banded)


def _age_value(rules: Rules) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """Value as a function of ``mentor_age - mentee_age``."""
    gap = rules.age_gap_years
    if rules.variant == "reverse":
        return lambda diff: np.clip(-diff / gap, 0.0, 1.0)
    if rules.variant == "similar_level":
        return lambda diff: np.maximum(0.0, 1.0 - np.abs(diff) / gap)
    return lambda diff: np.clip(diff / gap, 0.0, 1.0)


def _age(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    assert mentees.age is not None
    assert mentors.age is not None
    band_e, band_o = age_band(mentees.age), age_band(mentors.age)
    value = _age_value(rules)
    known_o = ~np.isnan(band_o)
    bands = np.unique(band_o[known_o])
    # Columns: one per mentor age band present, then "mentor age unknown".
    diff = bands[None, :] - band_e[:, None]
    mentee = np.where(np.isnan(diff), 0.5, value(np.nan_to_num(diff)))
    mentee = np.column_stack([mentee, np.full(mentees.n, 0.5)])
    position = np.searchsorted(bands, np.nan_to_num(band_o))
    column = np.where(known_o, position, bands.size)
    mentor = np.eye(bands.size + 1)[column]

    def details(i: int, j: int) -> Mapping[str, Any]:
        a_e, a_o = mentees.age[i], mentors.age[j]  # type: ignore[index]
        known = not (np.isnan(a_e) or np.isnan(a_o))
        return {
            "mentee_age": None if np.isnan(a_e) else float(a_e),
            "mentor_age": None if np.isnan(a_o) else float(a_o),
            "difference": float(a_o - a_e) if known else None,
            "rule": "younger"
            if rules.variant == "reverse"
            else "close"
            if rules.variant == "similar_level"
            else "older",
        }

    return Factor("age", _f32(mentee), _f32(mentor), (), details)


def experience_applies(mentors: MentorFeatures, rules: Rules) -> NDArray[np.bool_]:
    """Mentors teaching experience applies to: all but the categories the rules leave out."""
    if not rules.no_experience_categories or mentors.category is None:
        return np.ones(mentors.n, dtype=bool)
    return ~np.isin(mentors.category, list(rules.no_experience_categories))


def _experience(mentees: MenteeFeatures, mentors: MentorFeatures, rules: Rules, _: Any) -> Factor:
    assert mentees.experience is not None
    assert mentors.experience is not None
    exp_e, exp_o = mentees.experience, mentors.experience
    applies = experience_applies(mentors, rules)
    young, full = rules.young_specialist_years, rules.experienced_years
    if rules.variant == "young_specialist":
        need = np.where(np.isnan(exp_e), 0.5, (exp_e <= young).astype(np.float64))
        ramp = np.clip((np.nan_to_num(exp_o) - young) / (full - young), 0.0, 1.0)
        ramp = np.where(np.isnan(exp_o), 0.0, ramp)
    else:
        need = np.ones(mentees.n)
        ramp = np.where(np.isnan(exp_o), 0.5, np.clip(np.nan_to_num(exp_o) / full, 0.0, 1.0))
    # A pupil mentor has no teaching experience to weigh: full value, so it costs them nothing.
    ramp = np.where(applies, ramp, 1.0)

    def details(i: int, j: int) -> Mapping[str, Any]:
        return {
            "mentee_years": None if np.isnan(exp_e[i]) else float(exp_e[i]),
            "mentor_years": None if np.isnan(exp_o[j]) else float(exp_o[j]),
            "rule": "young_specialist" if rules.variant == "young_specialist" else "experience",
            "applies": bool(applies[j]),
        }

    return Factor("experience", _f32(need[:, None]), _f32(ramp[:, None]), (), details)


_Builder = Callable[[MenteeFeatures, MentorFeatures, Rules, RussianTextVectorizer | None], Factor]
_BUILDERS: dict[str, _Builder] = {
    "deficit_coverage": _deficit_coverage,
    "interests": _interests,
    "achievement": _achievement,
    "availability": _availability,
    "format": _format,
    "wishes": _wishes,
    "same_class": _same_class,
    "age": _age,
    "experience": _experience,
}


def _f32(values: NDArray[Any]) -> Array:
    return np.ascontiguousarray(values, dtype=F32)


def _resized(matrix: sparse.csr_array, n_cols: int) -> sparse.csr_array:
    out = sparse.csr_array(matrix, dtype=np.float64, copy=True)
    out.resize((out.shape[0], n_cols))
    out.sort_indices()
    return out


def _row_items(matrix: sparse.csr_array, row: int) -> list[tuple[int, float]]:
    start, stop = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
    # tolist() first: Python ints and floats are much cheaper to handle than numpy scalars.
    return list(
        zip(matrix.indices[start:stop].tolist(), matrix.data[start:stop].tolist(), strict=True)
    )


def _pad_levels(levels: NDArray[np.int8] | None, n_subjects: int) -> NDArray[np.int64]:
    assert levels is not None
    out = np.full((levels.shape[0], n_subjects), -1, dtype=np.int64)
    out[:, : levels.shape[1]] = levels
    return out


def _drop_empty(mentee: NDArray[np.float64], mentor: NDArray[np.float64]) -> tuple[Array, Array]:
    keep = mentee.any(axis=0) & mentor.any(axis=0)
    return _f32(mentee[:, keep]), _f32(mentor[:, keep])


def _bits(mask: NDArray[np.uint32]) -> NDArray[np.float64]:
    shifts = np.arange(32, dtype=np.uint32)
    return ((mask[:, None] >> shifts[None, :]) & 1).astype(np.float64)


def _onehot(code: NDArray[np.int64], keep: NDArray[np.bool_], width: int) -> sparse.csr_array:
    rows = np.flatnonzero(keep)
    return sparse.csr_array(
        (np.ones(rows.size, dtype=np.float32), (rows, code[rows])),
        shape=(code.shape[0], width),
    )


def _inverse_ranks(ranks: sparse.csr_array | None, shape: tuple[int, int]) -> sparse.csr_array:
    if ranks is None:
        return sparse.csr_array(shape, dtype=np.float64)
    matrix = sparse.csr_array(ranks, dtype=np.float64, copy=True)
    if matrix.shape != shape:
        raise _shape_error("wishes", matrix.shape, shape)
    matrix.data = 1.0 / np.maximum(matrix.data, 1.0)
    return matrix


def _ranks(ranks: Any, shape: tuple[int, int]) -> sparse.csr_array | None:
    if ranks is None:
        return None
    matrix = sparse.csr_array(ranks, dtype=np.float64)
    matrix.sort_indices()
    return matrix


def _lookup(matrix: sparse.csr_array | None, i: int, j: int) -> int | None:
    if matrix is None:
        return None
    value = dict(_row_items(matrix, i)).get(j, 0.0)
    return int(value) if value > 0 else None


def _shape_error(name: str, got: tuple[int, ...], want: tuple[int, int]) -> Exception:
    return InvalidInput(f"{name} must have shape {want}, got {got}")
