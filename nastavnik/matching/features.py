"""Django → engine: a program's bases of mentors and mentees as the engine's feature arrays.

Everything is read in a fixed, small number of bulk queries, whatever the size of the base
(enrolments with people and profiles, competencies, deficits, achievements, consents, the
mentors' current load, exclusions, mentees' pending requests as their first choice). The
engine's indices map back to enrolments through ``Base.mentees`` / ``Base.mentors``, and its
competency / subject columns to database ids through ``Base.competency_ids`` /
``Base.subject_ids``.

Hard rules given to the engine: the form's categories, valid consent (consents app), free places
(capacity minus open mentorships), exclusions (the curator's «never», dissolved pairs, relatives
in either role, a person never mentors themselves, pairs the caller rejects), the variant's rule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone
from scipy import sparse

from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.core.text import class_order_key
from nastavnik.matching.engine.features import (
    FORMAT_ANY,
    FORMAT_IN_PERSON,
    FORMAT_ONLINE,
    MenteeFeatures,
    MentorFeatures,
    Rules,
    SameClass,
    Weights,
)
from nastavnik.matching.engine.features import Variant as EngineVariant
from nastavnik.matching.models import MatchExclusion, MentorRequest, RequestStatus
from nastavnik.mentorships.selectors import (
    dissolved_pairs,
    matched_mentee_ids,
    mentor_load,
    rematch_priority_ids,
)
from nastavnik.people.models import (
    Format,
    PersonCategory,
    ProfileCompetency,
    ProfileDeficit,
    SubjectAchievement,
)
from nastavnik.people.selectors import kinship_pairs
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Program,
    Variant,
    VariantRule,
)

# Enrolment statuses that take part in matching: approved by the curator, not finished.
MATCHABLE_STATUSES: tuple[str, ...] = (
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.TRAINED,
    EnrolmentStatus.ACTIVE,
)

CATEGORY_CODES: dict[str, int] = {value: i for i, value in enumerate(PersonCategory.values)}

_FORMATS = {
    Format.IN_PERSON: FORMAT_IN_PERSON,
    Format.ONLINE: FORMAT_ONLINE,
    Format.ANY: FORMAT_ANY,
}

_RULES: dict[str, EngineVariant] = {
    VariantRule.NONE: "general",
    VariantRule.STRONG_HELPS_WEAK: "strong_helps_weak",
    VariantRule.SIMILAR_LEVEL: "similar_level",
    VariantRule.REVERSE: "reverse",
    VariantRule.YOUNG_SPECIALIST: "young_specialist",
}


def engine_variant(variant: Variant | None) -> EngineVariant:
    return _RULES.get(variant.rule if variant else VariantRule.NONE, "general")


def program_variant(program: Program, variant_id: int | None = None) -> Variant | None:
    """The variant a run follows: the one chosen, else the program's only variant, else none."""
    variants = list(program.variants.all())
    if variant_id is not None:
        return next((v for v in variants if v.pk == variant_id), None)
    return variants[0] if len(variants) == 1 else None


def base_variants(program: Program) -> list[Variant]:
    """The variants the program's bases have: those of the enrolments taking part in matching."""
    return list(
        Variant.objects.filter(
            enrolments__program=program, enrolments__status__in=MATCHABLE_STATUSES
        )
        .distinct()
        .order_by("name", "pk")
    )


def run_variant(program: Program, variant_id: int | None = None) -> Variant | None:
    """The variant whose rule a run follows: the one the curator chose; «как в базе» (none
    chosen) the variant the base's enrolments share, none (the general rule) if they differ, the
    program's only variant if no enrolment has one."""
    if variant_id is not None:
        chosen = next((v for v in base_variants(program) if v.pk == variant_id), None)
        return chosen or program_variant(program, variant_id)
    found = base_variants(program)
    if found:
        return found[0] if len(found) == 1 else None
    return program_variant(program)


def weights_from(values: Mapping[str, Any] | None) -> Weights:
    """The engine's weights with a program's overrides (unknown keys are ignored)."""
    defaults = Weights().as_dict()
    chosen = {k: float(v) for k, v in (values or {}).items() if k in defaults and v is not None}
    return Weights(**{**defaults, **chosen})


@dataclass
class Base:
    """A program's bases as engine input, plus the way back to the database."""

    program: Program
    mentees: list[Enrolment]
    mentors: list[Enrolment]
    mentee_features: MenteeFeatures
    mentor_features: MentorFeatures
    rules: Rules
    competency_ids: list[int]
    subject_ids: list[int]
    consent: set[int]  # person ids with valid consent
    free_places: dict[int, int]  # mentor enrolment id -> free places
    mentee_index: dict[int, int] = field(default_factory=dict)
    mentor_index: dict[int, int] = field(default_factory=dict)
    # Mentee enrolments back in the base after their pair was dissolved: matched first
    # (``matching.priority``).
    priority: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.mentee_index = {e.pk: i for i, e in enumerate(self.mentees)}
        self.mentor_index = {e.pk: j for j, e in enumerate(self.mentors)}


def _text(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _profile(enrolment: Enrolment) -> Any:
    return getattr(enrolment.person, "profile", None)


def build_base(
    *,
    program: Program,
    variant: Variant | None = None,
    same_class: SameClass = "indifferent",
    mentee_ids: Iterable[int] | None = None,
    keep_matched: Iterable[int] = (),
    excluded_pairs: Iterable[tuple[int, int]] = (),
    require_format_match: bool = False,
    on: dt.date | None = None,
) -> Base:
    """Read the program's bases and build the engine's inputs.

    Args:
        program: whose bases.
        variant: the role model; its rule becomes the engine's variant.
        same_class: the class preference.
        mentee_ids: restrict the mentees to these enrolments (self-matching of one mentee).
        keep_matched: mentee enrolments to keep although they are already in a mentorship.
        excluded_pairs: (mentee enrolment, mentor enrolment) pairs never to propose (rejected).
        on: the day consents and ages are taken on (today by default).
    """
    day = on or timezone.localdate()
    wanted = set(mentee_ids) if mentee_ids is not None else None
    rows = Enrolment.objects.filter(
        program=program,
        status__in=MATCHABLE_STATUSES,
        person__anonymized_at__isnull=True,
    )
    if wanted is not None:
        # A few mentees (one mentee's suggestions): the rest of the base of mentees is not read
        # at all. The texts' vocabulary comes from the chosen mentees and the mentors either way.
        rows = rows.filter(Q(role=EnrolmentRole.MENTOR) | Q(pk__in=wanted))
    enrolments = list(
        rows.select_related("person", "person__profile").order_by(
            "role", "person__last_name", "person__first_name", "id"
        )
    )
    already = matched_mentee_ids(program=program) - set(keep_matched)
    mentees = [
        e
        for e in enrolments
        if e.role == EnrolmentRole.MENTEE
        and e.pk not in already
        and (wanted is None or e.pk in wanted)
    ]
    mentors = [e for e in enrolments if e.role == EnrolmentRole.MENTOR]

    mentee_profiles = {p.pk: i for i, e in enumerate(mentees) if (p := _profile(e))}
    mentor_profiles = {p.pk: j for j, e in enumerate(mentors) if (p := _profile(e))}
    competencies = list(
        ProfileCompetency.objects.filter(profile_id__in=list(mentor_profiles)).values_list(
            "profile_id", "competency_id", "level"
        )
    )
    deficits = list(
        ProfileDeficit.objects.filter(profile_id__in=list(mentee_profiles)).values_list(
            "profile_id", "competency_id"
        )
    )
    achievements = list(
        SubjectAchievement.objects.filter(
            profile_id__in=[*mentee_profiles, *mentor_profiles]
        ).values_list("profile_id", "subject_id", "level")
    )
    competency_ids = sorted({c for _, c, _ in competencies} | {c for _, c in deficits})
    column = {c: k for k, c in enumerate(competency_ids)}
    subject_ids = sorted({s for _, s, _ in achievements})
    subject_column = {s: k for k, s in enumerate(subject_ids)}

    consent = people_with_valid_consent([e.person_id for e in enrolments], on=day)
    load = mentor_load(e.pk for e in mentors)
    free = {e.pk: max(0, e.capacity - load.get(e.pk, 0)) for e in mentors}

    # Classes numbered by grade and letter, so the engine's order (groups are formed along it)
    # keeps pupils of one grade together: «1Б», «2Б», «5А»..., not the order they were read in.
    names = {e.person.class_name for e in [*mentees, *mentors] if e.person.class_name}
    classes = {name: k for k, name in enumerate(sorted(names, key=class_order_key))}

    def people_arrays(group: list[Enrolment], profiles: dict[int, int]) -> dict[str, Any]:
        n = len(group)
        achievement = np.full((n, len(subject_ids)), -1, dtype=np.int8)
        for profile_id, subject_id, level in achievements:
            row = profiles.get(profile_id)
            if row is not None:
                achievement[row, subject_column[subject_id]] = level
        texts, availability, formats, class_id, age, experience, category, ok = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for e in group:
            person = e.person
            profile = _profile(e)
            if profile is not None:
                extra = person.subject if e.role == EnrolmentRole.MENTOR else ""
                texts.append(_text(profile.interests, profile.request, extra))
                availability.append(profile.availability)
                formats.append(_FORMATS.get(profile.preferred_format, FORMAT_ANY))
            else:
                texts.append(person.subject)
                availability.append(0)
                formats.append(0)
            if person.class_name:
                class_id.append(classes[person.class_name])
            else:
                class_id.append(-1)
            years = person.age_on(day)
            age.append(math.nan if years is None or years < 0 else float(years))
            experience.append(
                math.nan if person.experience_years is None else float(person.experience_years)
            )
            category.append(CATEGORY_CODES.get(person.category, -1))
            ok.append(person.pk in consent)
        return {
            "n": n,
            "text": tuple(texts),
            "achievement": achievement,
            "availability": np.asarray(availability, dtype=np.uint32),
            "format": np.asarray(formats, dtype=np.int8),
            "class_id": np.asarray(class_id, dtype=np.int64),
            "age": np.asarray(age, dtype=np.float64),
            "experience": np.asarray(experience, dtype=np.float64),
            "category": np.asarray(category, dtype=np.int64),
            "consent": np.asarray(ok, dtype=bool),
        }

    n_cols = len(competency_ids)
    d_rows = [mentee_profiles[p] for p, _ in deficits]
    d_cols = [column[c] for _, c in deficits]
    deficit_matrix = sparse.csr_array(
        (np.ones(len(d_rows)), (d_rows, d_cols)), shape=(len(mentees), n_cols)
    )
    c_rows = [mentor_profiles[p] for p, _, _ in competencies]
    c_cols = [column[c] for _, c, _ in competencies]
    c_vals = [float(level) for _, _, level in competencies]
    competency_matrix = sparse.csr_array(
        (np.asarray(c_vals, dtype=np.float64), (c_rows, c_cols)), shape=(len(mentors), n_cols)
    )
    mentee_features = MenteeFeatures(
        **people_arrays(mentees, mentee_profiles),
        deficits=deficit_matrix,
        wishes=_wishes(program, mentees, mentors),
    )
    mentor_features = MentorFeatures(
        **people_arrays(mentors, mentor_profiles),
        competencies=competency_matrix,
        max_level=3.0,
        capacity=np.asarray([free[e.pk] for e in mentors], dtype=np.int64),
    )

    rules = Rules(
        variant=engine_variant(variant),
        same_class=same_class,
        mentee_categories=_categories(program.form.mentee_categories),
        mentor_categories=_categories(program.form.mentor_categories),
        require_format_match=require_format_match,
        # Teaching experience is an adult's: a pupil mentor is not weighed by it.
        no_experience_categories=frozenset({CATEGORY_CODES[PersonCategory.STUDENT]}),
        exclusions=_exclusions(program, mentees, mentors, excluded_pairs),
    )
    return Base(
        program=program,
        mentees=mentees,
        mentors=mentors,
        mentee_features=mentee_features,
        mentor_features=mentor_features,
        rules=rules,
        competency_ids=competency_ids,
        subject_ids=subject_ids,
        consent=consent,
        free_places=free,
        priority=frozenset(rematch_priority_ids(program=program) & {e.pk for e in mentees}),
    )


def _wishes(
    program: Program, mentees: list[Enrolment], mentors: list[Enrolment]
) -> sparse.csr_array:
    """A mentee's pending request to a mentor is their first choice (the ``wishes`` factor)."""
    e_index = {e.pk: i for i, e in enumerate(mentees)}
    o_index = {e.pk: j for j, e in enumerate(mentors)}
    pairs = [
        (e_index[e], o_index[o])
        for e, o in MentorRequest.objects.filter(
            program=program, status=RequestStatus.PENDING, expires_at__gt=timezone.now()
        ).values_list("mentee_id", "mentor_id")
        if e in e_index and o in o_index
    ]
    rows = [i for i, _ in pairs]
    cols = [j for _, j in pairs]
    return sparse.csr_array((np.ones(len(pairs)), (rows, cols)), shape=(len(mentees), len(mentors)))


def _categories(codes: list[str]) -> frozenset[int] | None:
    if not codes:
        return None
    return frozenset(CATEGORY_CODES[c] for c in codes if c in CATEGORY_CODES)


def _exclusions(
    program: Program,
    mentees: list[Enrolment],
    mentors: list[Enrolment],
    excluded_pairs: Iterable[tuple[int, int]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """(mentee index, mentor index) pairs the engine must never propose."""
    by_person_e: dict[int, list[int]] = {}
    for i, e in enumerate(mentees):
        by_person_e.setdefault(e.person_id, []).append(i)
    by_person_o: dict[int, list[int]] = {}
    for j, e in enumerate(mentors):
        by_person_o.setdefault(e.person_id, []).append(j)
    person_pairs = set(
        MatchExclusion.objects.filter(organization_id=program.organization_id).values_list(
            "mentee_id", "mentor_id"
        )
    )
    person_pairs |= dissolved_pairs(organization_id=program.organization_id)
    # Relatives are never a pair, whichever of them would be the mentee.
    for first, second in kinship_pairs(organization_id=program.organization_id):
        person_pairs |= {(first, second), (second, first)}
    # Nobody mentors themselves (a person may be in both bases of a program).
    person_pairs |= {(p, p) for p in set(by_person_e) & set(by_person_o)}
    pairs: set[tuple[int, int]] = set()
    for mentee_person, mentor_person in person_pairs:
        for i in by_person_e.get(mentee_person, []):
            for j in by_person_o.get(mentor_person, []):
                pairs.add((i, j))
    e_index = {e.pk: i for i, e in enumerate(mentees)}
    o_index = {e.pk: j for j, e in enumerate(mentors)}
    for mentee_id, mentor_id in excluded_pairs:
        if mentee_id in e_index and mentor_id in o_index:
            pairs.add((e_index[mentee_id], o_index[mentor_id]))
    return np.asarray(sorted(pairs), dtype=np.int64).reshape(-1, 2)
