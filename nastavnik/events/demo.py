"""The demo's methodological work in the demo school: a seminar-practicum held two weeks ago
(registrations, attendance, feedback, a material), a coming event planned from the teachers'
most shared deficit and open to the municipality (registrations of the school's colleagues and a
curator of the lyceum nearby), and a festival of mentoring pairs held last week (two nominations,
a jury of three, scores) with one pair's place in an outside contest.

Written through the services by the school's curator; each participant registers and leaves
their feedback themselves. An event in the past is planned «a week before it» (``now=``). No
event falls on a weekend or a public holiday (``core.workdays``: a coming one moves to the next
working day, a past one to the working day before).
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.core.workdays import working_day
from nastavnik.events import services
from nastavnik.events.catalogue import get_form
from nastavnik.events.planning import shared_deficits
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.organizations.models import Organization

# After the pairs' work (350) and the surveys (400), before the monitoring report (450).
POSITION = 420
SCHOOL = "demo-school-1"
# Named logins of the demo school who take part (``demo/data.py``), and a neighbour's curator.
PARTICIPANTS = ("mentor", "young-teacher", "head", "student-mentor")
NEIGHBOUR = "curator-lyceum"
FEEDBACK = (
    (5, "Разобрали приёмы на своих заданиях — сразу понятно, как применить на уроке."),
    (4, "Полезно; хотелось бы больше времени на практику в парах."),
    (5, "Понравился чек-лист самопроверки для учеников."),
)


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def organizations(self) -> Mapping[str, Organization]: ...
    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def users(self) -> Mapping[str, User]: ...
    @property
    def today(self) -> dt.date: ...
    def rng_for(self, *key: object) -> random.Random: ...


def _at(day: dt.date, hour: int, organization: Organization) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(organization.time_zone or "Europe/Moscow")
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)


def seed_demo_events(context: DemoContext) -> None:
    school = context.organizations.get(SCHOOL)
    curator = context.curators.get(SCHOOL)
    if school is None or curator is None:
        return
    people = [context.users[name] for name in PARTICIPANTS if name in context.users]
    _past_seminar(context, school, curator, people)
    _coming_event(context, school, curator, people)
    _festival(context, school, curator)


def _past_seminar(
    context: DemoContext, school: Organization, curator: User, people: list[User]
) -> None:
    starts_at = _at(working_day(context.today - dt.timedelta(days=14), backwards=True), 15, school)
    planned_on = starts_at - dt.timedelta(days=7)
    seminar = services.event_create(
        actor=curator,
        organization_id=school.pk,
        form="seminar",
        title="Семинар-практикум «Формирующее оценивание на уроке»",
        starts_at=starts_at,
        place="Актовый зал, 2 этаж",
        seat_limit=25,
        description="Приёмы обратной связи и самооценки учеников; разбор заданий участников.",
        now=planned_on,
    )
    for index, user in enumerate(people):
        services.registration_create(
            actor=user, event=seminar, now=planned_on + dt.timedelta(hours=index + 1)
        )
    present = people[: len(FEEDBACK)]
    services.attendance_mark(
        actor=curator, event=seminar, attended_user_ids=[user.pk for user in present]
    )
    for user, (rating, text) in zip(present, FEEDBACK, strict=False):
        services.feedback_leave(actor=user, event=seminar, rating=rating, text=text)
    services.material_add(
        actor=curator,
        event=seminar,
        title="Памятка «Приёмы формирующего оценивания»",
        link="https://example.org/nastavnik/formiruyushchee-otsenivanie",
    )


def _coming_event(
    context: DemoContext, school: Organization, curator: User, people: list[User]
) -> None:
    found = shared_deficits(user=curator, organization_id=school.pk)
    top = found[0] if found else None
    form = top.form_code if top else "workshop"
    title = f"{get_form(form).name}: {top.name}" if top else get_form(form).name
    coming = services.event_create(
        actor=curator,
        organization_id=school.pk,
        form=form,
        title=title,
        starts_at=_at(working_day(context.today + dt.timedelta(days=10)), 15, school),
        place="Кабинет 214",
        link="https://example.org/nastavnik/online",
        seat_limit=20,
        deficit_id=top.competency_id if top else None,
        open_to_municipality=True,
    )
    for user in [*people[:3], context.users.get(NEIGHBOUR)]:
        if user is not None:
            services.registration_create(actor=user, event=coming)


def _festival(context: DemoContext, school: Organization, curator: User) -> None:
    pairs = list(
        Mentorship.objects.filter(organization=school, status=MentorshipStatus.ACTIVE).order_by(
            "program_id", "number"
        )[:6]
    )
    if len(pairs) < 2:
        return
    starts_at = _at(working_day(context.today - dt.timedelta(days=7), backwards=True), 14, school)
    festival = services.event_create(
        actor=curator,
        organization_id=school.pk,
        form="festival",
        title="Школьный фестиваль наставнических пар",
        starts_at=starts_at,
        place="Актовый зал",
        score_max=10,
        now=starts_at - dt.timedelta(days=21),
    )
    nominations = [
        services.nomination_add(actor=curator, event=festival, name="Лучший совместный проект"),
        services.nomination_add(actor=curator, event=festival, name="Самый заметный рост"),
    ]
    jurors = [curator, *(context.users[n] for n in ("head", "mentor") if n in context.users)]
    for user in jurors:
        services.jury_add(actor=curator, event=festival, user_id=user.pk)
    rng = context.rng_for("events", "festival")
    half = len(pairs) // 2
    for nomination, group in zip(nominations, (pairs[:half], pairs[half:]), strict=True):
        for pair in group:
            entry = services.entry_add(actor=curator, nomination=nomination, mentorship_id=pair.pk)
            for user in jurors:
                services.score_set(actor=user, entry=entry, value=rng.randint(6, 10))
    services.contest_result_add(
        actor=curator,
        mentorship=pairs[0],
        contest="Муниципальный конкурс наставнических пар",
        year=context.today.year,
        result="2 место",
    )


step = seed_demo_events
