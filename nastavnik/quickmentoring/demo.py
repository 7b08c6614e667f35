"""The demo's speed and flash mentoring: in the demo school, a coming speed-mentoring session of
the first program's mentors and mentees with its rotation generated, and a few flash slots of
its teachers, one of them booked by a pupil. Written through the services by the curator."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.core.workdays import working_day, working_days_from
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program
from nastavnik.quickmentoring import services
from nastavnik.quickmentoring.models import SessionMode, Side

# After the reports (450): the school's programs and bases are there.
POSITION = 460

SCHOOL = "demo-school-1"

SLOTS = (
    ("Как выбрать тему исследовательского проекта", 2, 16),
    ("Подготовка к олимпиаде по математике: с чего начать", 3, 15),
    ("Профессия инженера: вопросы специалисту", 5, 14),
)


class DemoContext(Protocol):
    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...
    @property
    def today(self) -> dt.date: ...


def step(context: DemoContext) -> None:
    curator = context.curators.get(SCHOOL)
    programs = [p for (code, _form), p in sorted(context.programs.items()) if code == SCHOOL]
    if curator is None or not programs:
        return
    program = programs[0]
    organization = program.organization
    tz = zoneinfo.ZoneInfo(organization.time_zone or "Europe/Moscow")
    enrolments = list(
        Enrolment.objects.filter(program=program)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .order_by("pk")
    )
    mentors = [e for e in enrolments if e.role == EnrolmentRole.MENTOR][:4]
    mentees = [e for e in enrolments if e.role == EnrolmentRole.MENTEE][:8]
    if mentors and mentees:
        session = services.session_create(
            actor=curator,
            organization=organization,
            title="Скоростное наставничество: знакомство наставников и наставляемых",
            mode=SessionMode.BIPARTITE,
            tables=min(len(mentors), 4),
            rounds=min(4, len(mentees)),
            round_minutes=7,
            starts_at=dt.datetime.combine(
                working_day(context.today + dt.timedelta(days=7)), dt.time(15, 0), tzinfo=tz
            ),
            place="Актовый зал",
            program=program,
        )
        for e in mentors:
            services.participant_add(
                actor=curator, session=session, person=e.person, side=Side.MENTOR
            )
        for e in mentees:
            services.participant_add(
                actor=curator, session=session, person=e.person, side=Side.MENTEE
            )
        services.rotation_generate(actor=curator, session=session)
    experts = [e.person for e in mentors] or []
    booked = False
    for index, (topic, days, hour) in enumerate(SLOTS):
        if not experts:
            break
        expert = experts[index % len(experts)]
        slot = services.slot_publish(
            actor=curator,
            organization=organization,
            expert=expert,
            topic=topic,
            # The ``days``-th working day ahead: never a day off, never two slots on one day.
            starts_at=dt.datetime.combine(
                working_days_from(context.today, days), dt.time(hour, 0), tzinfo=tz
            ),
            duration_minutes=30,
            place="Кабинет 21",
        )
        if not booked and mentees:
            services.slot_book(actor=curator, slot=slot, person=mentees[-1].person)
            booked = True
