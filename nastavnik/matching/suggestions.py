"""Self-matching: the best mentors for one mentee, with the reasons. A read, nothing is written.

The mentee's suggestions page calls this on every visit, so it reads only what one mentee needs:
the mentee's own enrolment and the program's mentors (``build_base(mentee_ids=[...])`` leaves
the rest of the base of mentees unread), and nothing at all when the mentee cannot be matched
(not approved, already in a pair). Everything the hard rules depend on — consent, free places,
exclusions (dissolved pairs, relatives, the curator's «never»), the form's categories — is read
fresh on every call: no cache, so a suggestion never outlives the rule that would forbid it.

Measured on 2 000 mentees × 300 mentors (SQLite, warm process, 26.11.2026): 110–165 ms a call
when the whole base of mentees was read, about 32 ms now; one query for a mentee who already
has a mentor. What remains is reading the 300 mentors, which carry the hard rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nastavnik.matching.engine.candidates import candidates
from nastavnik.matching.engine.features import Weights
from nastavnik.matching.engine.match import eligible_mentees, eligible_mentors
from nastavnik.matching.engine.scoring import ScoreModel, build_model
from nastavnik.matching.explanations import explain_pair, stored_factors
from nastavnik.matching.features import MATCHABLE_STATUSES, Base, build_base, program_variant
from nastavnik.mentorships.selectors import matched_mentee_ids
from nastavnik.programs.models import Enrolment, EnrolmentRole


@dataclass(frozen=True)
class Suggestion:
    mentor: Enrolment
    score: float
    factors: list[dict[str, Any]]


def suggestions_for(*, enrolment: Enrolment, limit: int = 5) -> list[Suggestion]:
    """The best ``limit`` mentors for one mentee, best first, by the engine's scores.

    The caller has already fetched ``enrolment`` through a scoped selector (the mentee's own
    places, or the curator's).
    """
    prepared = _prepare(enrolment)
    if prepared is None:
        return []
    base, model, i = prepared
    allowed = np.flatnonzero(eligible_mentors(base.mentor_features, base.rules))
    found = candidates(model, top_k=limit, mentees=np.asarray([i]), mentors=allowed)
    result = [_suggestion(base, model, i, int(j)) for j in found.mentor]
    result.sort(key=lambda s: -s.score)
    return result


def suggestion_for_pair(*, enrolment: Enrolment, mentor: Enrolment) -> Suggestion | None:
    """This mentor as a suggestion for this mentee, or None if a hard rule forbids the pair
    (no free place or consent, the form's categories, an exclusion, a refusal, formats).

    The same rules as :func:`suggestions_for`, for one pair: a mentee may ask any mentor the
    rules allow, not only the best few.
    """
    prepared = _prepare(enrolment)
    if prepared is None:
        return None
    base, model, i = prepared
    j = base.mentor_index.get(mentor.pk)
    if j is None or not eligible_mentors(base.mentor_features, base.rules)[j]:
        return None
    score = float(model.pair_scores(np.asarray([i]), np.asarray([j]))[0])
    if not np.isfinite(score) or score < -1e-9:
        return None
    return _suggestion(base, model, i, j)


def _prepare(enrolment: Enrolment) -> tuple[Base, ScoreModel, int] | None:
    """One mentee's base (that mentee and the mentors) and score model, if they can be matched."""
    if enrolment.role != EnrolmentRole.MENTEE or enrolment.status not in MATCHABLE_STATUSES:
        return None
    program = enrolment.program
    if enrolment.pk in matched_mentee_ids(program=program):
        return None
    # The mentee's own variant (as in the base), else the program's only one.
    variant = enrolment.variant or program_variant(program)
    base = build_base(program=program, variant=variant, mentee_ids=[enrolment.pk])
    i = base.mentee_index.get(enrolment.pk)
    if i is None or not base.mentors:
        return None
    if not eligible_mentees(base.mentee_features, base.rules)[i]:
        return None
    model = build_model(base.mentee_features, base.mentor_features, base.rules, Weights())
    return base, model, i


def _suggestion(base: Base, model: ScoreModel, i: int, j: int) -> Suggestion:
    score, items = explain_pair(model, i, j)
    return Suggestion(
        mentor=base.mentors[j],
        score=score,
        factors=stored_factors(items, base.competency_ids, base.subject_ids),
    )
