from __future__ import annotations

from typing import Any, cast

import pytest

from nastavnik.organizations.models import Organization
from nastavnik.people.models import Person
from nastavnik.reports.figures import QUERY_COUNT, Figures, figures_by_organization
from nastavnik.surveys import services as surveys
from nastavnik.surveys.models import Invitation
from tests.conftest import Tenant
from tests.reports.scenario import (
    EXPECTED,
    EXPECTED_BY_FORM,
    EXPECTED_BY_VARIANT,
    YEAR,
    build_school,
)
from tests.surveys.helpers import program_with_people, scale_survey

pytestmark = pytest.mark.django_db


def by_form(figures: Figures) -> list[tuple[str, int, int, int]]:
    return sorted((r.form_code, r.pairs, r.groups, r.people) for r in figures.mentorships_by_form)


def by_variant(figures: Figures) -> list[tuple[str, str, int, int, int]]:
    return sorted(
        (r.form_code, r.variant_code, r.pairs, r.groups, r.people)
        for r in figures.mentorships_by_variant
    )


def test_every_figure_of_a_known_school() -> None:
    school = build_school()
    assert Person.objects.filter(anonymized_at__isnull=False).count() == 1
    figures = figures_by_organization([school.organization.pk], YEAR)[school.organization.pk]
    data = figures.as_json()
    assert {key: data[key] for key in EXPECTED} == EXPECTED
    assert by_form(figures) == sorted(EXPECTED_BY_FORM)
    assert by_variant(figures) == sorted(EXPECTED_BY_VARIANT)
    assert sorted((r.form_code, r.programs) for r in figures.programs_by_form) == [
        ("student-student", 1),
        ("teacher-student", 1),
        ("teacher-teacher", 1),
    ]
    # Names of the catalogue, in Russian, for the tables.
    names = {r.variant_code: r.variant_name for r in figures.mentorships_by_variant}
    assert names["peer-to-peer"] == "равный – равному"


def test_last_year_is_its_own_report() -> None:
    school = build_school()
    figures = figures_by_organization([school.organization.pk], YEAR - 1)[school.organization.pk]
    assert (figures.students_in_bases, figures.students_mentors, figures.pairs_total) == (2, 1, 1)


def test_the_json_round_trips() -> None:
    school = build_school()
    figures = figures_by_organization([school.organization.pk], YEAR)[school.organization.pk]
    again = Figures.from_json(figures.as_json())
    assert again.as_json() == figures.as_json()


def test_a_fixed_number_of_queries_whatever_the_number_of_organizations(
    django_assert_num_queries: Any,
) -> None:
    schools = [build_school(label=f"s{i}") for i in range(3)]
    ids = [s.organization.pk for s in schools]
    with django_assert_num_queries(QUERY_COUNT):
        result = figures_by_organization(ids[:1], YEAR)
    with django_assert_num_queries(QUERY_COUNT):
        result = figures_by_organization(ids, YEAR)
    assert all(by_variant(result[i]) == sorted(EXPECTED_BY_VARIANT) for i in ids)


def test_a_rollup_is_the_sum_of_its_organizations() -> None:
    a = build_school(label="a")
    b = build_school(label="b")
    result = figures_by_organization([a.organization.pk, b.organization.pk], YEAR)
    total = Figures.sum(result.values())
    assert total.students_in_bases == 8
    assert total.teachers_mentors == 2
    assert total.coverage_students == 80.0
    assert by_form(total) == sorted((f, 2 * p, 2 * g, 2 * n) for f, p, g, n in EXPECTED_BY_FORM)
    assert by_variant(total) == sorted(
        (f, v, 2 * p, 2 * g, 2 * n) for f, v, p, g, n in EXPECTED_BY_VARIANT
    )


def test_an_organization_without_data_has_no_made_up_shares() -> None:
    from tests.factories import OrganizationFactory

    org = cast(Organization, OrganizationFactory())
    figures = figures_by_organization([org.pk], YEAR)[org.pk]
    assert figures.students_total == 0
    assert figures.coverage_students is None
    assert figures.mentors_trained_share is None


def test_satisfaction_comes_from_the_end_of_year_surveys(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=6, mentors=2)
    survey = scale_survey(tenant_a, setup.program, anonymous=True, audience="everyone")
    surveys.survey_open(actor=tenant_a.curator, survey=survey)
    question = survey.questions.order_by("position")[0]
    for invitation in Invitation.objects.filter(survey=survey):
        score = "9" if invitation.role == "mentee" else "6"
        surveys.response_submit(invitation=invitation, raw={question.pk: [score]})
    year = setup.program.academic_year.start_year
    figures = figures_by_organization([tenant_a.organization.pk], year)[tenant_a.organization.pk]
    assert figures.satisfaction_mentees == 90.0
    # two mentors answered: fewer than five, so no figure
    assert figures.satisfaction_mentors is None
