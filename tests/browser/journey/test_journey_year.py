"""The second half of the year-long journey (issue 24, steps 3–6) in real Chromium.

The fixture ``after_step_two`` builds, through the apps' services on top of the compact demo,
what the first half leaves: the lyceum's program «учитель – ученик» of the current year at the
work stage, its active pairs fixed by an order, one mentor (a teacher) with a login; the mentee
(a pupil) has none, as after the import. The steps themselves (``steps_year``) read only
``j.state`` and the pages they are given, so the whole journey (``test_journey.py``) runs them
after steps 1–2 unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from nastavnik.accounts.models import Role
from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.demo.registry import DemoContext
from nastavnik.mentorships.services import (
    NewMentorship,
    mentorship_set_order,
    mentorships_create,
)
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs import services as program_services
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Stage
from tests.browser.journey import steps_year
from tests.browser.journey.harness import Journey
from tests.browser.journey.steps_year import give_login

pytestmark = pytest.mark.browser

LYCEUM = "demo-lyceum-3"


@pytest.fixture
def after_step_two(demo: DemoContext) -> dict[str, Any]:
    """The state the journey's steps 1–2 leave, as ``j.state``."""
    lyceum = demo.organizations[LYCEUM]
    curator = demo.users["curator-lyceum"]
    program = demo.programs[(LYCEUM, "teacher-student")]
    while program.stage < Stage.WORK:
        program_services.program_stage_advance(actor=curator, program=program, confirm=True)
    enrolments = (
        Enrolment.objects.filter(program=program)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .order_by("pk")
    )
    allowed = people_with_valid_consent(e.person_id for e in enrolments)
    mentors = [e for e in enrolments if e.role == EnrolmentRole.MENTOR and e.person_id in allowed]
    mentees = [e for e in enrolments if e.role == EnrolmentRole.MENTEE and e.person_id in allowed]
    assert mentors, "the lyceum's program has no mentor"
    assert mentees, "the lyceum's program has no mentee"
    # The compact demo keeps few people in the lyceum's bases; the first half's spreadsheet
    # brings more: pupils with consents who are in no base yet join as mentees.
    enrolled = Enrolment.objects.filter(organization=lyceum).values_list("person_id", flat=True)
    pupils = Person.objects.filter(
        organization=lyceum, category=PersonCategory.STUDENT, anonymized_at__isnull=True
    ).exclude(pk__in=enrolled)
    for pupil in pupils.filter(pk__in=people_with_valid_consent(p.pk for p in pupils)).order_by(
        "pk"
    )[: max(0, 5 - len(mentees))]:
        enrolment, _changed = program_services.enrolment_upsert(
            actor=curator,
            program=program,
            person=pupil,
            role=EnrolmentRole.MENTEE,
            variant=mentees[0].variant,
            status=mentees[0].status,
        )
        mentees.append(enrolment)
    for enrolment in mentors:  # three places each: the pairs and a speed-mentoring one
        program_services.enrolment_upsert(
            actor=curator, program=program, person=enrolment.person, role=enrolment.role, capacity=3
        )
        enrolment.refresh_from_db()
    assert len(mentees) >= 4, len(mentees)
    # Every mentee but the last two gets a pair (one place of a mentor each, in turn): the last
    # ones are left for the speed-mentoring event of step 5.
    free = {m.pk: m.capacity for m in mentors}
    items = []
    turn = 0
    for mentee in mentees[:-2]:
        for _ in range(len(mentors)):
            mentor = mentors[turn % len(mentors)]
            turn += 1
            if free[mentor.pk] > 0:
                free[mentor.pk] -= 1
                items.append(NewMentorship(mentors=[mentor], mentees=[mentee]))
                break
    started = max(
        timezone.localdate() - dt.timedelta(days=10),
        dt.date(program.academic_year.start_year, 9, 1),
    )
    pairs = mentorships_create(actor=curator, program=program, items=items, started_on=started)
    mentorship_set_order(
        actor=curator,
        program=program,
        number="17-о",
        date=started,
        mentorship_ids=[m.pk for m in pairs],
    )
    first = pairs[0]
    teacher = items[0].mentors[0].person
    pupil = items[0].mentees[0].person
    # The mentor has a login (the first half gives one); the pupil has none yet: the start
    # survey reaches them by a one-time link, and step 3 gives them a login for the reflection.
    mentor_user = teacher.user or give_login(teacher, "mentor-lyceum", Role.MENTOR)
    assert pupil.user_id is None
    return {
        "program_id": program.pk,
        "organization_id": lyceum.pk,
        "mentorship_id": first.pk,
        "mentor_user_id": mentor_user.pk,
        "mentee_person_id": pupil.pk,
    }


def test_the_year_from_the_first_meeting_to_the_report(
    after_step_two: dict[str, Any],
    page: Page,
    new_page: Callable[..., Page],
    sign_in: Callable[[Page, str, str], Page],
) -> None:
    # The live server's first answer (URLs, templates, translations loaded) is not the journey's.
    page.goto("/accounts/login/", timeout=60_000)
    j = Journey()
    j.state.update(after_step_two)
    steps_year.step_3(j, curator=page, new_page=new_page, sign_in=sign_in)
    steps_year.step_4(j, curator=page, new_page=new_page, sign_in=sign_in)
    steps_year.step_5(j, curator=page, new_page=new_page, sign_in=sign_in)
    steps_year.step_6(j, curator=page, new_page=new_page, sign_in=sign_in)
    print()
    print(j.summary())
