"""The Django → engine adapter: features from real models, hard rules, Russian explanations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from nastavnik.matching.explanations import competency_names, render, summary
from nastavnik.matching.features import CATEGORY_CODES, build_base
from nastavnik.matching.models import MatchExclusion
from nastavnik.people.models import PersonCategory
from tests.factories import PersonFactory, TeacherFactory, competency
from tests.matching.factories import enrol, matching_program, mentee, mentor
from tests.people.factories import kinship

pytestmark = pytest.mark.django_db


def test_features_come_from_profiles(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    m = mentor(
        program,
        capacity=2,
        interests="робототехника, шахматы",
        competencies={"formative-assessment": 3, "mathematics": 2},
    )
    e = mentee(
        program,
        interests="люблю шахматы",
        deficits=["formative-assessment"],
        achievements={"mathematics": 0},
    )
    base = build_base(program=program)
    assert (base.mentees, base.mentors) == ([e], [m])
    column = base.competency_ids.index(competency("formative-assessment").pk)
    mentees: Any = base.mentee_features
    mentors: Any = base.mentor_features
    assert mentors.competencies.toarray()[0, column] == 3.0
    assert mentees.deficits.toarray()[0, column] == 1.0
    assert mentees.achievement[0].tolist() == [0]
    assert int(mentors.capacity[0]) == 2
    assert "шахматы" in mentees.text[0]


def test_classes_are_numbered_by_grade_then_letter(tenant_a: Any) -> None:
    # Groups are formed along this order: one grade's pupils stay together.
    program = matching_program(tenant_a.organization)
    names = ["10А", "2Б", "5А", "2А", "ТМ-21", "5Б"]
    pupils = [mentee(program, class_name=name) for name in names]
    mentors = [mentor(program, capacity=1, class_name="9В")]
    base = build_base(program=program)
    class_id: Any = base.mentee_features.class_id
    by_name = {e.person.class_name: int(class_id[base.mentee_index[e.pk]]) for e in pupils}
    assert sorted(by_name, key=by_name.__getitem__) == ["2А", "2Б", "5А", "5Б", "10А", "ТМ-21"]
    mentor_class: Any = base.mentor_features.class_id
    assert by_name["5Б"] < int(mentor_class[base.mentor_index[mentors[0].pk]]) < by_name["10А"]


def test_people_without_consent_are_marked(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    mentor(program)
    mentee(program, consent=False)
    base = build_base(program=program)
    consent: Any = base.mentee_features.consent
    assert consent.tolist() == [False]


def test_categories_come_from_the_form(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    base = build_base(program=program)
    assert base.rules.mentee_categories == frozenset({CATEGORY_CODES[PersonCategory.STUDENT]})


def test_curators_never_is_an_exclusion(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    m = mentor(program)
    e = mentee(program)
    MatchExclusion.objects.create(
        organization=tenant_a.organization, mentee=e.person, mentor=m.person
    )
    base = build_base(program=program)
    assert np.asarray(base.rules.exclusions).tolist() == [[0, 0]]


def test_relatives_are_an_exclusion_whichever_of_them_is_the_mentee(tenant_a: Any) -> None:
    """Teacher – teacher: both sisters are in both bases; neither may mentor the other."""
    program = matching_program(tenant_a.organization, "teacher-teacher")
    org = tenant_a.organization
    people: list[Any] = [TeacherFactory(organization=org) for _ in range(3)]
    elder, younger, _stranger = people
    for person in people:
        enrol(program, person, "mentee")
        enrol(program, person, "mentor")
    kinship(younger, elder, "siblings")
    base = build_base(program=program)
    e = {m.person_id: i for i, m in enumerate(base.mentees)}
    o = {m.person_id: j for j, m in enumerate(base.mentors)}
    pairs = {tuple(p) for p in np.asarray(base.rules.exclusions).tolist()}
    assert (e[elder.pk], o[younger.pk]) in pairs
    assert (e[younger.pk], o[elder.pk]) in pairs
    # Nobody mentors themselves; the stranger may mentor and be mentored by either sister.
    assert pairs == {
        (e[elder.pk], o[younger.pk]),
        (e[younger.pk], o[elder.pk]),
        *((e[p.pk], o[p.pk]) for p in people),
    }


def test_relatives_outside_the_program_change_nothing(tenant_a: Any, tenant_b: Any) -> None:
    program = matching_program(tenant_a.organization)
    m = mentor(program)
    mentee(program)
    kinship(m.person, TeacherFactory(organization=tenant_a.organization))
    kinship(tenant_b.student, tenant_b.mentor_person)
    base = build_base(program=program)
    assert np.asarray(base.rules.exclusions).tolist() == []


def test_candidates_and_withdrawn_are_not_in_the_base(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    enrol(program, PersonFactory(organization=tenant_a.organization), "mentee", status="candidate")
    base = build_base(program=program)
    assert base.mentees == []


def test_explanations_read_in_russian(tenant_a: Any) -> None:
    mentee_id = competency("formative-assessment").pk
    factors = [
        {
            "code": "deficit_coverage",
            "value": 1.0,
            "weight": 0.5,
            "contribution": 0.5,
            "details": {"covered": [mentee_id], "missing": [], "levels": {}},
        },
        {
            "code": "interests",
            "value": 0.4,
            "weight": 0.5,
            "contribution": 0.2,
            "details": {"shared_words": ["робототехника", "шахматы"]},
        },
    ]
    text = summary(factors, competency_names([mentee_id]))
    assert (
        text == "закрывает дефицит: формирующее оценивание; общие интересы: робототехника, шахматы"
    )
    assert render(factors, {})[0].label == "образовательные дефициты"


def _queries_for_base(program: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        build_base(program=program)
    return len(queries)


def test_the_base_is_read_in_a_fixed_number_of_queries(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    mentor(program, competencies={"mathematics": 2}, achievements={"mathematics": 2})
    mentee(program, deficits=["mathematics"], achievements={"mathematics": 0})
    few = _queries_for_base(program)
    for _ in range(8):
        mentor(program, competencies={"physics": 3}, achievements={"physics": 2})
        mentee(program, deficits=["physics", "mathematics"], achievements={"physics": 1})
    assert _queries_for_base(program) == few


def test_a_pending_request_is_the_mentees_first_choice(tenant_a: Any) -> None:
    from django.utils import timezone

    from nastavnik.matching.models import MentorRequest

    program = matching_program(tenant_a.organization)
    mentor(program)
    chosen = mentor(program)
    e = mentee(program)
    MentorRequest.objects.create(
        organization=tenant_a.organization,
        program=program,
        mentee=e,
        mentor=chosen,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    base = build_base(program=program)
    wishes: Any = base.mentee_features.wishes
    assert wishes.toarray()[0, base.mentor_index[chosen.pk]] == 1.0
