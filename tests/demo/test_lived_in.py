"""The demo school a newcomer finds after ``make run`` is lived in (issue 24, «The demo»).

Seeds the compact demo (every login and every program of the full one, a quarter of the people;
the full school's figures are seed 004's, as ``test_report.py`` checks on the full demo) and reads
it the way its people do, through the selectors their pages use: programs at different stages,
active pairs with held meetings and development plans, an early warning on the curator's
«Требует внимания», survey results, a past and a coming event, and a filled report ready to
submit (while the college's report is submitted and accepted, as the coordinator's roll-up shows).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nastavnik.demo.registry import DemoContext
from nastavnik.events.selectors import visible_events
from nastavnik.mentorships.models import MentorshipStatus
from nastavnik.organizations.models import academic_start_year
from nastavnik.pairwork import selectors as pairwork
from nastavnik.pairwork.models import MeetingStatus
from nastavnik.pairwork.warnings import warnings_for
from nastavnik.programs.models import Program
from nastavnik.reports.models import ReportSubmission, SubmissionStatus
from nastavnik.reports.selectors import organization_figures, territory_rollup
from nastavnik.surveys.evaluation import compare_start_end, survey_results
from nastavnik.surveys.selectors import survey_list
from tests.conftest import DEMO_TEST_PASSWORD

SCHOOL = "demo-school-1"
PASSWORD = DEMO_TEST_PASSWORD
ROOT = Path(__file__).resolve().parents[2]


def test_the_schools_programs_are_at_three_or_more_stages(demo: DemoContext) -> None:
    curator = demo.users["curator"]
    by_stage = pairwork.programs_by_stage(user=curator)
    school_stages = {
        label
        for label, programs in by_stage
        if any(p.organization.code == SCHOOL for p in programs)
    }
    assert len(school_stages) >= 3, by_stage
    stages = set(Program.objects.filter(organization__code=SCHOOL).values_list("stage", flat=True))
    assert len(stages) >= 3


def test_active_pairs_have_held_meetings_and_a_development_plan(demo: DemoContext) -> None:
    curator = demo.users["curator"]
    pairs = list(
        pairwork.pair_queryset(user=curator).filter(
            organization__code=SCHOOL, status=MentorshipStatus.ACTIVE
        )
    )
    lived_in = []
    for pair in pairs:
        held = [m for m in pairwork.meetings(mentorship=pair) if m.status == MeetingStatus.HELD]
        goals = pairwork.plan(mentorship=pair)
        if held and goals and any(goal.tasks.exists() for goal in goals):
            lived_in.append(pair)
    assert len(lived_in) >= 3, f"{len(lived_in)} of {len(pairs)} pairs are lived in"
    # The named mentor and the young teacher find their own pair with its plan and meetings.
    for username in ("mentor", "young-teacher"):
        mine = pairwork.my_pairs(user=demo.users[username])
        assert any(pair in lived_in for pair in mine), username


def test_the_curator_sees_an_early_warning_with_its_reason(demo: DemoContext) -> None:
    curator = demo.users["curator"]
    pairs = list(
        pairwork.pair_queryset(user=curator).filter(
            organization__code=SCHOOL, status=MentorshipStatus.ACTIVE
        )
    )
    found = warnings_for(pairs)
    assert found
    assert {w.code for w in found} & {"overdue_tasks", "never_started", "level_falling"}
    assert all(w.text for w in found)
    # …and on the curator's «Требует внимания».
    client = Client()
    client.force_login(curator)
    page = client.get(reverse("pairwork:attention")).content.decode()
    assert found[0].text in page


def test_a_survey_has_responses_and_evaluated_results(demo: DemoContext) -> None:
    curator = demo.users["curator"]
    surveys = list(survey_list(user=curator).filter(program__organization__code=SCHOOL))
    answered = [s for s in surveys if s.responses.exists()]
    assert answered
    shown = [
        result
        for survey in answered
        for result in survey_results(survey)
        if result.total.mean is not None and not result.total.withheld
    ]
    assert shown, "no survey question has a figure to show"
    assert all(1 <= (r.total.mean or 0) <= 10 for r in shown)
    # The mentees' satisfaction at the start against the end, in the same program (where
    # enough mentees answered for the anonymous figures to be shown).
    deltas = []
    for start in [s for s in answered if "начало" in s.title]:
        end = next(
            s for s in answered if s.program_id == start.program_id and "завершение" in s.title
        )
        deltas += [c.delta for c in compare_start_end(start, end) if c.delta is not None]
    assert deltas
    assert sum(deltas) > 0  # the demo's mentees end the year more satisfied than they began


def test_the_school_has_a_past_and_a_coming_event(demo: DemoContext) -> None:
    now = timezone.now()
    events = list(visible_events(user=demo.users["curator"]).filter(organization__code=SCHOOL))
    past = [e for e in events if e.starts_at < now]
    coming = [e for e in events if e.starts_at > now]
    assert past
    assert coming
    # The mentor, who registered, sees them too.
    assert visible_events(user=demo.users["mentor"]).filter(pk=coming[0].pk).exists()


def test_the_schools_report_is_filled_and_ready_to_submit(demo: DemoContext) -> None:
    school = demo.organizations[SCHOOL]
    start_year = academic_start_year(timezone.localdate())
    assert not ReportSubmission.objects.filter(organization=school, start_year=start_year).exists()
    figures = organization_figures(organization=school, start_year=start_year)
    assert figures.students_total > 0
    assert figures.teachers_total > 0
    assert figures.students_in_bases > 0
    assert figures.pairs_total > 0
    client = Client()
    client.force_login(demo.users["curator"])
    page = client.get(
        reverse(
            "reports:organization",
            kwargs={"organization_id": school.pk, "start_year": start_year},
        )
    ).content.decode()
    assert "Сдать отчёт в муниципалитет" in page
    assert "ещё не сдан" in page


def test_the_coordinator_sees_one_report_accepted_and_the_school_still_to_submit(
    demo: DemoContext,
) -> None:
    coordinator = demo.users["municipality"]
    school = demo.organizations[SCHOOL]
    college = demo.organizations["demo-college"]
    start_year = academic_start_year(timezone.localdate())
    accepted = ReportSubmission.objects.get(organization=college, start_year=start_year)
    assert accepted.status == SubmissionStatus.ACCEPTED
    assert accepted.decided_by == coordinator
    rollup = territory_rollup(
        user=coordinator, territory_id=school.territory_id, start_year=start_year
    )
    missing = {row.organization.pk for row in rollup.missing if row.organization is not None}
    assert school.pk in missing
    assert college.pk not in missing


# --- the README's «Первые шаги» (no database) ------------------------------------------------


def _readme_images() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", readme)


def test_every_image_the_readme_shows_exists() -> None:
    images = _readme_images()
    assert any(path.startswith("docs/first-steps/") for path in images)
    missing = [path for path in images if not (ROOT / path).is_file()]
    assert not missing, f"README.md shows images that are not there: {missing}"


def test_the_first_steps_screenshots_are_all_shown_and_small() -> None:
    shots = sorted((ROOT / "docs" / "first-steps").glob("*.png"))
    assert shots
    shown = set(_readme_images())
    assert not [p.name for p in shots if f"docs/first-steps/{p.name}" not in shown]
    assert sum(p.stat().st_size for p in shots) < 2 * 1024 * 1024
