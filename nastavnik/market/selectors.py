"""The competence market: colleagues and mentors by competency, interest or a need in words.

Who appears: adults — teachers, staff, employer's specialists, university students — of the
organizations the user belongs to, not anonymized, with valid consents to the processing of
personal data and to participation (the same gate as matching). Never a pupil's record.

What is shown: the full name, the category, the position or subject, the organization, the
competencies with levels and the interests. Not shown: birth date, SNILS, phone, email, class,
the request and the notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString

from nastavnik.accounts.access import Actor
from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.market.text import highlight, lemmas, match_strength
from nastavnik.people.models import (
    Competency,
    Person,
    PersonCategory,
    ProfileCompetency,
)

ADULT_CATEGORIES = (
    PersonCategory.TEACHER,
    PersonCategory.STAFF,
    PersonCategory.EMPLOYER_SPECIALIST,
    PersonCategory.UNIVERSITY_STUDENT,
)
# How much a matched word counts, by where it was found.
WEIGHT_COMPETENCY = 3.0
WEIGHT_KEYWORD = 2.0
WEIGHT_POSITION = 2.0
WEIGHT_INTERESTS = 1.5
MAX_RESULTS = 50


def market_people(*, user: Actor) -> QuerySet[Person]:
    """The people the user may find in the market (before the consent filter)."""
    return (
        Person.objects.member_view(user)
        .active()
        .filter(category__in=ADULT_CATEGORIES)
        .select_related("organization", "profile")
        .prefetch_related(
            Prefetch(
                "profile__competency_levels",
                queryset=ProfileCompetency.objects.select_related("competency"),
            )
        )
    )


def _consented(people: list[Person]) -> list[Person]:
    allowed = people_with_valid_consent([p.pk for p in people])
    return [p for p in people if p.pk in allowed]


@dataclass
class CompetencyTerms:
    """Lemmas of a competency's name and of its keywords."""

    name: set[str]
    keywords: set[str]


def competency_terms() -> dict[int, CompetencyTerms]:
    return {
        c.pk: CompetencyTerms(set(lemmas(c.name)), set(lemmas(c.keywords)))
        for c in Competency.objects.all()
    }


@dataclass
class _Met:
    """Per query word: how strongly it was met (1 the lemma itself, less one of its family:
    ``market.text.relation``) and the best weight of where, scaled by that strength."""

    strength: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    weight: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def meet(self, word: str, found: set[str], weight: float) -> bool:
        value = match_strength(word, found)
        if value:
            self.strength[word] = max(self.strength[word], value)
            self.weight[word] = max(self.weight[word], weight * value)
        return bool(value)


@dataclass
class MarketCard:
    person: Person
    score: float
    matched: set[str]
    competencies: list[tuple[str, str, bool]] = field(default_factory=list)  # name, level, hit
    interests: SafeString | str = ""
    position: SafeString | str = ""


def market_search(
    *, user: Actor, query: str = "", competency_ids: list[int] | None = None
) -> tuple[list[MarketCard], list[str]]:
    """Ranked cards and the lemmas the query was read as. A query word matches its lemma or one
    of its family (``market.text``), the lemma itself ranking above."""
    wanted = list(dict.fromkeys(lemmas(query)))
    chosen = set(competency_ids or [])
    people = _consented(list(market_people(user=user)))
    terms = competency_terms() if wanted else {}
    cards = []
    for person in people:
        profile = getattr(person, "profile", None)
        levels = list(profile.competency_levels.all()) if profile else []
        have = {pc.competency_id for pc in levels}
        if chosen and not chosen <= have:
            continue
        met = _Met()
        hits: set[int] = set()
        for pc in levels:
            t = terms.get(pc.competency_id)
            if t is None:
                continue
            for word in wanted:
                if met.meet(word, t.name, WEIGHT_COMPETENCY * (1 + pc.level / 3)) | met.meet(
                    word, t.keywords, WEIGHT_KEYWORD * (1 + pc.level / 3)
                ):
                    hits.add(pc.competency_id)
        position_text = " ".join(x for x in (person.position, person.subject) if x)
        interests = profile.interests if profile else ""
        for text, weight in ((position_text, WEIGHT_POSITION), (interests, WEIGHT_INTERESTS)):
            found = set(lemmas(text))
            for word in wanted:
                met.meet(word, found, weight)
        if wanted and not met.weight:
            continue
        # Covering more of the request's words beats a strong match of one word; the lemma
        # itself beats one of its family.
        score = (
            10.0 * sum(met.strength.values()) + sum(met.weight.values()) + 0.1 * len(chosen & have)
        )
        words = set(met.weight)
        cards.append(
            MarketCard(
                person=person,
                score=score,
                matched=words,
                competencies=[
                    (pc.competency.name, pc.get_level_display(), pc.competency_id in hits | chosen)
                    for pc in sorted(levels, key=lambda pc: pc.competency.name)
                ],
                interests=highlight(interests, words),
                position=highlight(position_text, words),
            )
        )
    cards.sort(key=lambda c: (-c.score, c.person.last_name, c.person.first_name, c.person.pk))
    return cards[:MAX_RESULTS], wanted


@dataclass
class TeamProposal:
    members: list[Person]
    covers: dict[int, list[int]]  # person id -> the required competency ids they bring
    uncovered: list[Competency]
    exact: bool  # False: the greedy fallback, not proven smallest
    required: list[Competency]

    @property
    def rows(self) -> list[tuple[Person, list[str]]]:
        names = {c.pk: c.name for c in self.required}
        return [(p, [names[c] for c in self.covers.get(p.pk, [])]) for p in self.members]


EXACT_MAX_CANDIDATES = 400
EXACT_MAX_COMPETENCIES = 40


def team_assemble(*, user: Actor, competency_ids: list[int]) -> TeamProposal:
    """The smallest group of colleagues that covers the required competencies.

    Exact (a set-cover ILP solved by scipy's HiGHS) for up to 400 candidates and 40
    competencies; otherwise, or if the solver gives up, the greedy approximation, labelled so.
    """
    required = list(Competency.objects.filter(pk__in=competency_ids).order_by("name"))
    needed = {c.pk for c in required}
    people = _consented(list(market_people(user=user)))
    skills: dict[int, dict[int, int]] = {}
    by_id: dict[int, Person] = {}
    for person in people:
        profile = getattr(person, "profile", None)
        if profile is None:
            continue
        own = {
            pc.competency_id: pc.level
            for pc in profile.competency_levels.all()
            if pc.competency_id in needed
        }
        if own:
            skills[person.pk] = own
            by_id[person.pk] = person
    coverable = set().union(*(set(s) for s in skills.values())) if skills else set()
    uncovered = [c for c in required if c.pk not in coverable]
    targets = sorted(coverable)
    chosen: list[int] | None = None
    exact = False
    if targets and len(skills) <= EXACT_MAX_CANDIDATES and len(targets) <= EXACT_MAX_COMPETENCIES:
        chosen = _exact_cover(skills, targets)
        exact = chosen is not None
    if chosen is None:
        chosen = _greedy_cover(skills, set(targets))
    members = sorted((by_id[i] for i in chosen), key=lambda p: (p.last_name, p.first_name, p.pk))
    covers = {i: sorted(c for c in skills[i] if c in needed) for i in chosen}
    return TeamProposal(members, covers, uncovered, exact or not targets, required)


def _exact_cover(skills: dict[int, dict[int, int]], targets: list[int]) -> list[int] | None:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    ids = sorted(skills)
    matrix = np.zeros((len(targets), len(ids)))
    index = {c: k for k, c in enumerate(targets)}
    for j, person_id in enumerate(ids):
        for competency_id in skills[person_id]:
            if competency_id in index:
                matrix[index[competency_id], j] = 1.0
    # Minimize the team size; among teams of that size prefer higher levels (a tie-break far
    # smaller than one person).
    strength = np.array([sum(skills[i].values()) for i in ids], dtype=float)
    cost = 1.0 - strength / (10.0 * (strength.max() + 1.0) * len(ids))
    result = milp(
        c=cost,
        constraints=LinearConstraint(matrix, lb=np.ones(len(targets)), ub=np.inf),
        integrality=np.ones(len(ids)),
        bounds=Bounds(0, 1),
        options={"time_limit": 5.0},
    )
    if result.status != 0 or result.x is None:
        return None
    return [ids[j] for j, value in enumerate(result.x) if value > 0.5]


def _greedy_cover(skills: dict[int, dict[int, int]], targets: set[int]) -> list[int]:
    left = set(targets)
    chosen: list[int] = []
    while left:
        best = max(
            skills,
            key=lambda i: (len(left & set(skills[i])), sum(skills[i].values()), -i),
        )
        gain = left & set(skills[best])
        if not gain:
            break
        chosen.append(best)
        left -= gain
    return chosen
