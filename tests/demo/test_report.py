"""The full demo school's monitoring report reproduces seed 004's figures.

Seeds the whole demo (not the compact one the other demo tests use): the figures are the full
school's, 583 pupils and 51 teachers. Where seed 004 gives no figure (the other variants' pairs,
the distinct people in the bases), the demo's choice is written here and in docs/domain.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from nastavnik.demo.registry import DemoContext
from nastavnik.demo.services import demo_reset, demo_seed
from nastavnik.organizations.models import academic_start_year
from nastavnik.reports.models import ReportSubmission, YearTargets
from nastavnik.reports.selectors import organization_figures
from nastavnik.reports.services import report_submit

pytestmark = pytest.mark.slow

SCHOOL = "demo-school-1"

SEED_004 = {
    "students_total": 583,
    "students_mentors": 11,
    "students_mentees": 57,
    "teachers_total": 51,
    "teachers_mentees": 4,
    "teachers_mentors": 15,
}
# The demo's choices where the seed is silent: nobody is in two bases but the named mentor
# (a teacher mentor of young teachers and of pupils), so the bases are the sums.
DEMO_CHOICES = {
    "students_in_bases": 11 + 57,
    "teachers_in_bases": 4 + 15,
    "mentorships_completed": 0,
    "mentorships_dissolved": 0,
}
# (form, variant): (pairs, groups, people in them). «Учитель – «Одаренный» ребенок – 23 пары и
# 2 группы» is the seed's; groups of three pupils; each pair or group has one teacher.
BY_VARIANT = {
    ("teacher-teacher", "experienced-young"): (4, 0, 8),
    # 29 pupils and all 12 teachers of the program (three places each, handed out in turn).
    ("teacher-student", "teacher-gifted"): (23, 2, 23 + 2 * 3 + 12),
    # 6 pupils and 6 teachers; 2 and 2.
    ("teacher-student", "teacher-underachiever"): (6, 0, 12),
    ("teacher-student", "teacher-special"): (2, 0, 4),
}
BY_FORM = {
    "teacher-teacher": (4, 0, 8),
    # 37 pupils and the 12 teachers of the program.
    "teacher-student": (31, 2, 37 + 12),
}


@pytest.fixture(scope="module")
def _full(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    with django_db_blocker.unblock():
        context = demo_seed(password="demo-test-password")
    yield context
    with django_db_blocker.unblock():
        demo_reset()


@pytest.fixture
def demo(_full: DemoContext, db: Any) -> DemoContext:
    return _full


def test_the_school_report_gives_seed_004s_figures(demo: DemoContext) -> None:
    school = demo.organizations[SCHOOL]
    figures = organization_figures(
        organization=school, start_year=academic_start_year(timezone.localdate())
    )
    for key, value in {**SEED_004, **DEMO_CHOICES}.items():
        assert getattr(figures, key) == value, key
    by_variant = {
        (row.form_code, row.variant_code): (row.pairs, row.groups, row.people)
        for row in figures.mentorships_by_variant
    }
    assert by_variant == BY_VARIANT
    by_form = {
        row.form_code: (row.pairs, row.groups, row.people) for row in figures.mentorships_by_form
    }
    assert by_form == BY_FORM
    assert figures.pairs_total == 4 + 31
    assert figures.groups_total == 2


def test_the_school_report_is_ready_and_submitting_it_keeps_the_figures(
    demo: DemoContext,
) -> None:
    school = demo.organizations[SCHOOL]
    start_year = academic_start_year(timezone.localdate())
    # The demo leaves the school's report for the newcomer to submit.
    assert not ReportSubmission.objects.filter(organization=school).exists()
    submission = report_submit(
        actor=demo.curators[SCHOOL], organization=school, start_year=start_year
    )
    for key, value in SEED_004.items():
        assert submission.figures[key] == value, key


def test_the_school_has_set_its_targets_for_the_next_year(demo: DemoContext) -> None:
    school = demo.organizations[SCHOOL]
    targets = YearTargets.objects.get(
        organization=school, start_year=academic_start_year(timezone.localdate()) + 1
    )
    assert (targets.coverage_students, targets.coverage_teachers) == (25, 45)
    assert [v.code for v in targets.variants.all()] == ["leader-passive"]
