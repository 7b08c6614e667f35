"""Engine explanations → stored JSON → Russian sentences.

The engine explains a pair with factor codes, values and details in its own indices. ``stored``
turns them into JSON with database ids (competencies, subjects) so a proposal keeps its reasons;
``render`` turns the JSON into short Russian lines for the curator, the mentee and the mentor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from nastavnik.matching.engine.collective import REASON_FEW_COVERED, REASON_NO_TEAM
from nastavnik.matching.engine.explain import (
    REASON_CATEGORY,
    REASON_MENTORS_FULL,
    REASON_NO_CANDIDATE,
    REASON_NO_CONSENT,
    REASON_NOT_SELECTED,
)
from nastavnik.matching.engine.groups import REASON_GROUP_TOO_SMALL, REASON_NO_DEFICIT
from nastavnik.matching.engine.scoring import ScoreModel
from nastavnik.people.models import Achievement, Competency

REASON_REMOVED = "removed_by_curator"
"""Not an engine reason: the curator took the mentee out of a proposed group."""

FACTOR_LABELS: dict[str, Promise] = {
    "deficit_coverage": gettext_lazy("educational deficits"),
    "interests": gettext_lazy("interests"),
    "achievement": gettext_lazy("achievement levels"),
    "availability": gettext_lazy("free time"),
    "format": gettext_lazy("format of meetings"),
    "wishes": gettext_lazy("wishes"),
    "same_class": gettext_lazy("class"),
    "age": gettext_lazy("age"),
    "experience": gettext_lazy("experience"),
    "group_deficit": gettext_lazy("the group's common deficit"),
    "priority": gettext_lazy("rematch priority"),
    "group_collective": gettext_lazy("the deficits the team covers"),
}

REASON_LABELS: dict[str, Promise] = {
    REASON_NO_CONSENT: gettext_lazy("no valid consent to the processing of personal data"),
    REASON_CATEGORY: gettext_lazy("the form of mentoring does not admit this category of people"),
    REASON_NO_CANDIDATE: gettext_lazy(
        "no candidates with consent and free places (or every one is excluded)"
    ),
    REASON_MENTORS_FULL: gettext_lazy("every suitable mentor's places went to other mentees"),
    REASON_NOT_SELECTED: gettext_lazy("no mentor adds anything to the score"),
    REASON_NO_DEFICIT: gettext_lazy("no educational deficits to form a group on"),
    REASON_GROUP_TOO_SMALL: gettext_lazy(
        "too few mentees share a deficit with this one to make a group"
    ),
    REASON_REMOVED: gettext_lazy("removed from the group by the curator"),
    REASON_NO_TEAM: gettext_lazy(
        "no team of free mentors of the allowed size covers every deficit of this mentee"
    ),
    REASON_FEW_COVERED: gettext_lazy(
        "too few other mentees could join a group whose team covers this mentee"
    ),
}

SHOWN_ITEMS = 5
SUMMARY_FIRST = (
    "group_deficit",
    "group_collective",
    "deficit_coverage",
    "interests",
    "achievement",
    "wishes",
)


def reason_label(code: str) -> str:
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code


def factor_label(code: str) -> str:
    label = FACTOR_LABELS.get(code)
    return str(label) if label is not None else code


def _plain(value: Any) -> Any:
    """JSON-safe copy of engine details (numpy scalars, tuples, int keys)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def stored_details(
    code: str, details: Mapping[str, Any], competency_ids: Sequence[int], subject_ids: Sequence[int]
) -> dict[str, Any]:
    """Details with the engine's column indices replaced by database ids."""
    if code == "deficit_coverage":
        levels = details.get("levels", {})
        return {
            "covered": [competency_ids[c] for c in details.get("covered", [])],
            "missing": [competency_ids[c] for c in details.get("missing", [])],
            "levels": {str(competency_ids[int(c)]): float(v) for c, v in levels.items()},
        }
    if code == "interests":
        # The words as written (for people) beside the lemmas they share (for the record).
        return {
            "shared_words": list(details.get("shared_words", []))[:10],
            "shared_lemmas": list(details.get("shared_lemmas", []))[:10],
        }
    if code == "achievement":
        return {
            "rule": details.get("rule"),
            "subjects": [
                {
                    "subject": subject_ids[s["subject"]],
                    "mentee_level": int(s["mentee_level"]),
                    "mentor_level": int(s["mentor_level"]),
                }
                for s in details.get("subjects", [])
            ],
        }
    return dict(_plain(details))


def stored_factors(
    factors: Iterable[Any], competency_ids: Sequence[int], subject_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Engine ``FactorContribution``s → JSON for ``Proposal.factors``."""
    return [
        {
            "code": f.code,
            "value": round(float(f.value), 4),
            "weight": round(float(f.weight), 4),
            "contribution": round(float(f.contribution), 4),
            "details": stored_details(f.code, f.details, competency_ids, subject_ids),
        }
        for f in factors
    ]


@dataclass(frozen=True)
class Contribution:
    """The engine's ``FactorContribution`` for a pair it did not assign itself (swaps, hints)."""

    code: str
    value: float
    weight: float
    contribution: float
    details: Mapping[str, Any]


def explain_pair(model: ScoreModel, mentee: int, mentor: int) -> tuple[float, list[Contribution]]:
    """Score and factor contributions of any pair, as ``MatchResult.explain`` gives them."""
    rows = np.asarray([mentee], dtype=np.int64)
    cols = np.asarray([mentor], dtype=np.int64)
    values = model.pair_factor_values(rows, cols)[0]
    items = [
        Contribution(
            code=factor.code,
            value=float(value),
            weight=weight,
            contribution=float(value) * weight,
            details=factor.describe(mentee, mentor),
        )
        for factor, weight, value in zip(model.factors, model.weights, values, strict=True)
    ]
    items.sort(key=lambda c: (-c.contribution, c.code))
    score = float(model.pair_scores(rows, cols)[0])
    return score, items


def referenced_competencies(factor_lists: Iterable[Sequence[Mapping[str, Any]]]) -> set[int]:
    ids: set[int] = set()
    for factors in factor_lists:
        for f in factors or []:
            details = f.get("details", {})
            ids.update(details.get("covered", []))
            ids.update(details.get("missing", []))
            ids.update(s["subject"] for s in details.get("subjects", []))
            ids.update(details.get("shared", []))
            ids.update(details.get("deficits", []))
            ids.update(details.get("uncovered", []))
            if "competency" in details:
                ids.add(details["competency"])
    return ids


def competency_names(ids: Iterable[int]) -> dict[int, str]:
    """Names of the competencies and subjects referenced by explanations (one query)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(Competency.objects.filter(pk__in=wanted).values_list("pk", "name"))


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    text: str
    percent: int  # share of the score this factor brought
    tone: str  # "ok", "warn" or ""


def _lower_first(name: str) -> str:
    """«Формирующее оценивание» reads «формирующее оценивание» inside a sentence."""
    return name[:1].lower() + name[1:]


def _names(ids: Iterable[int], names: Mapping[int, str]) -> str:
    shown = [_lower_first(names.get(int(i), "?")) for i in ids]
    text = ", ".join(shown[:SHOWN_ITEMS])
    if len(shown) > SHOWN_ITEMS:
        text += " " + _("and %(count)s more") % {"count": len(shown) - SHOWN_ITEMS}
    return text


def _years(value: float) -> str:
    n = round(value)
    return ngettext("%(n)s year", "%(n)s years", n) % {"n": n}


def _sentence(code: str, value: float, d: Mapping[str, Any], names: Mapping[int, str]) -> str:
    if code == "priority":
        return _("priority: the previous pair was dissolved")
    if code == "deficit_coverage":
        covered, missing = d.get("covered", []), d.get("missing", [])
        if covered:
            text = ngettext(
                "covers the deficit: %(names)s", "covers the deficits: %(names)s", len(covered)
            ) % {"names": _names(covered, names)}
            if missing:
                text += "; " + _("not covered: %(names)s") % {"names": _names(missing, names)}
            return text
        if missing:
            return _("covers none of the deficits: %(names)s") % {"names": _names(missing, names)}
        return _("the mentee has no educational deficits recorded")
    if code == "interests":
        words = d.get("shared_words", [])
        if words:
            return _("shared interests: %(words)s") % {"words": ", ".join(words[:SHOWN_ITEMS])}
        return _("no shared interests found")
    if code == "achievement":
        levels = dict(Achievement.choices)
        parts = [
            _("%(subject)s (%(mentee)s → %(mentor)s)")
            % {
                "subject": names.get(int(s["subject"]), "?"),
                "mentee": levels.get(s["mentee_level"], "?"),
                "mentor": levels.get(s["mentor_level"], "?"),
            }
            for s in d.get("subjects", [])[:SHOWN_ITEMS]
        ]
        if not parts:
            return _("achievement levels do not help this pair")
        if d.get("rule") == "similar_level":
            return _("similar levels: %(subjects)s") % {"subjects": ", ".join(parts)}
        return _("the mentor is stronger: %(subjects)s") % {"subjects": ", ".join(parts)}
    if code == "availability":
        if not d.get("known"):
            return _("free time is not given")
        return _("common free time: %(common)s of %(total)s weekly slots") % {
            "common": d.get("n_common", 0),
            "total": d.get("n_mentee_slots", 0),
        }
    if code == "format":
        if value >= 1:
            return _("the format of meetings suits both")
        if value <= 0:
            return _("different formats of meetings (in person and online)")
        return _("the format of meetings is not given")
    if code == "wishes":
        mentee_rank, mentor_rank = d.get("mentee_rank"), d.get("mentor_rank")
        if mentee_rank and mentor_rank:
            return _("a mutual choice")
        if mentee_rank:
            return _("the mentee chose this mentor (choice %(rank)s)") % {"rank": mentee_rank}
        if mentor_rank:
            return _("the mentor chose this mentee (choice %(rank)s)") % {"rank": mentor_rank}
        return _("no wishes")
    if code == "same_class":
        if not d.get("known"):
            return _("the class is not given")
        return _("from the same class") if d.get("same") else _("from different classes")
    if code == "age":
        diff = d.get("difference")
        if diff is None:
            return _("the age is not given")
        if diff >= 1:
            return _("the mentor is older by %(years)s") % {"years": _years(diff)}
        if diff <= -1:
            return _("the mentor is younger by %(years)s") % {"years": _years(-diff)}
        return _("the same age")
    if code == "group_deficit":
        size = int(d.get("size", 0))
        return ngettext(
            "a group of %(count)s on the deficit: %(name)s",
            "a group of %(count)s on the deficit: %(name)s",
            size,
        ) % {"count": size, "name": _names([d.get("competency", 0)], names)}
    if code == "group_collective":
        size, deficits = int(d.get("size", 0)), d.get("deficits", [])
        text = ngettext(
            "a collective group of %(count)s; the team covers: %(names)s",
            "a collective group of %(count)s; the team covers: %(names)s",
            size,
        ) % {"count": size, "names": _names(deficits, names)}
        if d.get("uncovered"):
            text += "; " + _("not covered: %(names)s") % {"names": _names(d["uncovered"], names)}
        return text
    if code == "experience":
        if d.get("applies") is False:
            return _("teaching experience does not apply to a pupil mentor")
        years = d.get("mentor_years")
        if years is None:
            return _("the mentor's teaching experience is not given")
        if d.get("rule") == "young_specialist" and d.get("mentee_years") is not None:
            return _("a young specialist (%(mentee)s) and a mentor with %(mentor)s") % {
                "mentee": _years(d["mentee_years"]),
                "mentor": _years(years),
            }
        return _("the mentor's teaching experience: %(years)s") % {"years": _years(years)}
    return code


def render(factors: Sequence[Mapping[str, Any]], names: Mapping[int, str]) -> list[Line]:
    """Russian lines, largest contribution first."""
    total = sum(float(f.get("contribution", 0)) for f in factors) or 1.0
    lines = []
    for f in factors:
        value = float(f.get("value", 0))
        # Only a factor that counts and scores low is a warning; no wishes is no fault.
        weak = value < 0.34 and f["code"] != "wishes"
        tone = "ok" if value >= 0.67 else "warn" if weak else ""
        lines.append(
            Line(
                code=f["code"],
                label=factor_label(f["code"]),
                text=_sentence(f["code"], value, f.get("details", {}), names),
                percent=round(100 * float(f.get("contribution", 0)) / total),
                tone=tone,
            )
        )
    return lines


def summary(factors: Sequence[Mapping[str, Any]], names: Mapping[int, str], limit: int = 3) -> str:
    """The top reasons in one line, for tables."""
    lines = [line for line in render(factors, names) if line.percent > 0 or line.code == "priority"]
    # What the people have in common tells the curator more than age or experience.
    lines.sort(key=lambda line: (line.code != "priority", line.code not in SUMMARY_FIRST))
    return "; ".join(line.text for line in lines[:limit])
