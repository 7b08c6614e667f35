"""«Перспективные задачи» compared in the next year's report, this year beside the year before,
and the start of a new academic year that keeps the closed year's figures."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from nastavnik.accounts.models import User
from nastavnik.people.models import Person
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentStatus,
    MentoringForm,
    MentoringModel,
    Program,
    RoadmapItem,
    Stage,
)
from nastavnik.reports.figures import figures_by_organization
from nastavnik.reports.models import ClosedYear, SchoolLeaver, YearTargets
from nastavnik.reports.selectors import (
    next_class,
    organization_figures,
    report_context,
    year_offer,
    year_start_preview,
)
from nastavnik.reports.services import targets_save, year_start_next
from nastavnik.reports.tables import comparison_lines, target_lines
from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory, consents_grant
from tests.reports.scenario import YEAR, School, build_school, variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    return build_school()


def _program(school: School, form_code: str, year: int = YEAR) -> Program:
    return Program.objects.get(
        organization=school.organization,
        form__code=form_code,
        academic_year__start_year=year,
    )


def _pupils(school: School) -> list[Person]:
    return list(
        Person.objects.filter(organization=school.organization, category="student").order_by("pk")
    )


def test_the_targets_set_for_a_year_are_compared_in_its_report(school: School) -> None:
    gifted = _program(school, "teacher-student")
    gifted.variants.add(variant("teacher-student", "teacher-gifted"))
    traditional = MentoringModel.objects.get(code="traditional")
    gifted.models_used.add(traditional)
    targets_save(
        actor=school.curator,
        organization=school.organization,
        start_year=YEAR,
        coverage_students=75,  # reached: 80 %
        coverage_teachers=70,  # not reached: 66,7 %
        forms=[MentoringForm.objects.get(code=c) for c in ("teacher-teacher", "employer-student")],
        models_used=[traditional, MentoringModel.objects.get(code="reverse")],
        variants=[variant("teacher-student", "teacher-gifted")],
        note="Фестиваль наставнических пар",
    )
    figures = organization_figures(organization=school.organization, start_year=YEAR)
    extra = report_context(organization=school.organization, start_year=YEAR, figures=figures)
    lines = [
        (line.target, line.actual, line.met)
        for line in target_lines(extra.targets, figures, extra.offer)
    ]
    assert lines == [
        ("75,0 %", "80,0 %", True),
        ("70,0 %", "66,7 %", False),
        ("ввести", "введено", True),  # teacher – teacher
        ("ввести", "пока нет", False),  # employer – pupil
        ("ввести", "введено", True),  # traditional
        ("ввести", "пока нет", False),  # reverse
        ("ввести", "введено", True),  # teacher – gifted child
    ]
    offer = year_offer(organization=school.organization, start_year=YEAR)
    assert offer.variants == {variant("teacher-student", "teacher-gifted").pk}
    # The year before shows them as the next year's targets.
    page = login(school.curator).get(
        reverse(
            "reports:organization",
            kwargs={"organization_id": school.organization.pk, "start_year": YEAR - 1},
        )
    )
    assert "Фестиваль наставнических пар" in page.content.decode()


def test_the_curator_sets_the_next_years_targets_on_a_page(school: School) -> None:
    url = reverse(
        "reports:targets",
        kwargs={"organization_id": school.organization.pk, "start_year": YEAR + 1},
    )
    client = login(school.curator)
    assert client.get(url).status_code == 200
    form = MentoringForm.objects.get(code="employer-student")
    response = client.post(
        url,
        {"coverage_students": "85", "coverage_teachers": "", "forms": [form.pk], "note": ""},
    )
    assert response.status_code == 302
    targets = YearTargets.objects.get(organization=school.organization, start_year=YEAR + 1)
    assert (targets.coverage_students, targets.coverage_teachers) == (85, None)
    assert list(targets.forms.all()) == [form]
    # Over 100 % is refused with a message, nothing saved.
    response = client.post(url, {"coverage_students": "120"})
    assert response.status_code == 200
    assert YearTargets.objects.get(pk=targets.pk).coverage_students == 85


def test_this_year_beside_the_year_before_on_the_page_and_in_the_files(school: School) -> None:
    figures = organization_figures(organization=school.organization, start_year=YEAR)
    previous = organization_figures(organization=school.organization, start_year=YEAR - 1)
    compared = {
        line.key: (line.previous, line.current, line.change)
        for line in comparison_lines(figures, previous)
    }
    # The year before: pupil 4 mentored pupil 5 in one program.
    assert compared["students_in_bases"] == (2, 4, "+2")
    assert compared["students_total"] == (5, 5, "0")
    assert compared["pairs_total"] == (1, 3, "+2")
    assert compared["programs_total"] == (1, 3, "+2")
    assert compared["coverage_students"] == ("40,0 %", "80,0 %", "+40 п. п.")
    client = login(school.curator)
    kwargs = {"organization_id": school.organization.pk, "start_year": YEAR}
    page = client.get(reverse("reports:organization", kwargs=kwargs)).content.decode()
    assert 'id="report-comparison"' in page
    data = json.loads(client.get(reverse("reports:json", kwargs=kwargs)).content)
    assert data["previous_year"]["academic_year"] == f"{YEAR - 1}/{YEAR}"
    assert data["previous_year"]["students_in_bases"] == 2
    assert data["students_in_bases"] == 4
    book = load_workbook(io.BytesIO(client.get(reverse("reports:xlsx", kwargs=kwargs)).content))
    sheet = book.worksheets[1]
    rows = {
        row[1]: row[2:5] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)
    }
    assert rows["Численность обучающихся, занесённых в базы наставников/наставляемых"] == (
        2,
        4,
        2,
    )


def test_next_class() -> None:
    assert next_class("7Б") == "8Б"
    assert next_class("7 «б»") == "8Б"
    assert next_class("11А") is None
    assert next_class("ТМ-25") == ""
    assert next_class("") == ""


def test_starting_the_next_year_keeps_the_closed_years_figures(school: School) -> None:
    org = school.organization
    p1, p2, p3, _p4, p5 = _pupils(school)
    for person in Person.objects.filter(organization=org, anonymized_at__isnull=True):
        consents_grant(person)
    Person.objects.filter(pk=p1.pk).update(class_name="11А")
    Person.objects.filter(pk=p5.pk).update(class_name="11Б")
    gifted = _program(school, "teacher-student")
    gifted.variants.add(variant("teacher-student", "teacher-gifted"))
    gifted.models_used.add(MentoringModel.objects.get(code="traditional"))
    RoadmapItem.objects.create(
        organization=org,
        program=gifted,
        stage=4,
        title="Обучение наставников",
        starts_on=dt.date(YEAR, 10, 20),
        due_on=dt.date(YEAR + 1, 2, 28),
    )
    before = figures_by_organization([org.pk], YEAR, frozen=False)[org.pk].as_json()

    preview = year_start_preview(user=school.curator, organization=org, from_year=YEAR)
    leavers = {leaver.person.pk: len(leaver.enrolments) for leaver in preview.leavers}
    assert leavers == {p1.pk: 2, p5.pk: 0}  # p1 is in two bases of the year
    assert preview.moving_up == 2  # p2 and p4 (p3 is anonymised)

    result = year_start_next(
        actor=school.curator, organization=org, from_year=YEAR, staying={p5.pk}
    )
    assert (result.programs_created, result.moved_up, result.left) == (3, 2, 1)

    # The closed year: the report reads the snapshot, and computing it again gives the same.
    assert organization_figures(organization=org, start_year=YEAR).as_json() == before
    assert figures_by_organization([org.pk], YEAR, frozen=False)[org.pk].as_json() == before
    assert ClosedYear.objects.filter(organization=org, start_year=YEAR).count() == 1

    # The programs carried over, at the first stage, with variants, models and the roadmap.
    carried = _program(school, "teacher-student", YEAR + 1)
    assert carried.stage == Stage.PREPARATION
    assert list(carried.variants.values_list("code", flat=True)) == ["teacher-gifted"]
    assert list(carried.models_used.values_list("code", flat=True)) == ["traditional"]
    item = carried.roadmap.get()
    assert (item.starts_on, item.due_on) == (dt.date(YEAR + 1, 10, 20), dt.date(YEAR + 2, 2, 28))
    # The bases: the leaver and the anonymised pupil stay out; everyone else is a candidate.
    next_bases = Enrolment.objects.filter(program__academic_year__start_year=YEAR + 1)
    people = set(next_bases.values_list("person_id", flat=True))
    assert p1.pk not in people
    assert p3.pk not in people
    assert p2.pk in people
    assert set(next_bases.values_list("status", flat=True)) == {EnrolmentStatus.CANDIDATE}
    assert result.enrolments_carried == next_bases.count()
    # Classes: up one; the leaver keeps hers and is recorded; the one who stays keeps hers.
    assert Person.objects.get(pk=p2.pk).class_name == "8Б"
    assert Person.objects.get(pk=p1.pk).class_name == "11А"
    assert Person.objects.get(pk=p5.pk).class_name == "11Б"
    assert SchoolLeaver.objects.get(organization=org).person_id == p1.pk
    # The next year counts the pupils who stayed; the closed year still has five.
    assert organization_figures(organization=org, start_year=YEAR + 1).students_total == 4
    assert organization_figures(organization=org, start_year=YEAR).students_total == 5

    with pytest.raises(ValidationError):
        year_start_next(actor=school.curator, organization=org, from_year=YEAR)


def test_the_curator_reviews_the_leavers_then_confirms(
    school: School, django_capture_on_commit_callbacks: Any
) -> None:
    org = school.organization
    p1 = _pupils(school)[0]
    Person.objects.filter(pk=p1.pk).update(class_name="11А")
    url = reverse("reports:year_start", kwargs={"organization_id": org.pk, "start_year": YEAR})
    client = login(school.curator)
    page = client.get(url).content.decode()
    assert p1.full_name in page
    assert 'id="year-start-leavers"' in page
    # The start runs in the background once the request commits (at once in the tests).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"leaving": [str(p1.pk)]})
    assert response.status_code == 302
    assert "/new-year/" in response["Location"]
    assert SchoolLeaver.objects.filter(person=p1).exists()
    # Once closed, the page says so and a second start is refused with a message.
    assert "уже закрыт" in client.get(url).content.decode()
    response = client.post(url, {"leaving": []}, follow=True)
    assert ClosedYear.objects.filter(organization=org).count() == 1


def test_only_the_curator_starts_a_year_or_sets_targets(school: School) -> None:
    head = cast(User, UserFactory())
    MembershipFactory(user=head, role="head", organization=school.organization)
    for name in ("year_start", "targets"):
        url = reverse(
            f"reports:{name}",
            kwargs={"organization_id": school.organization.pk, "start_year": YEAR},
        )
        assert login(head).get(url).status_code == 403
