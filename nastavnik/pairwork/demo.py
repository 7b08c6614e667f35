"""The demo's week of pairs: the active pairs of the programs at «the work of pairs and groups»
get a development plan, the meetings of the target model's sequence (знакомство and a trial
meeting held, planning ahead), a mentee's reflection, a question in the thread and the mentor's
answer where both have logins, progress records (weak → medium), and — on the last pair of
each program — an overdue task, so «Требует внимания» shows a warning. The pairs of the demo's
logins come first, so the mentor and the mentee who sign in find their own pair lived in.

Written through the services, by the program's curator (a mentor without a login still has a
plan); the mentee writes their own reflection.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import zoneinfo
from collections.abc import Mapping
from typing import Protocol

from django.core.exceptions import ValidationError

from nastavnik.accounts.models import User
from nastavnik.core.workdays import working_days_from
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipStatus
from nastavnik.pairwork import services, threads
from nastavnik.pairwork.models import MeetingFormat
from nastavnik.people.models import Achievement
from nastavnik.programs.models import Program, Stage

logger = logging.getLogger(__name__)

# After matching (300) has formed the pairs.
POSITION = 350


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...
    @property
    def today(self) -> dt.date: ...
    def rng_for(self, *key: object) -> random.Random: ...


# Pairs per program that get a lived-in week (the rest keep an empty plan).
PAIRS_PER_PROGRAM = 12

GOALS = (
    (
        "Повысить уровень по предмету со «слабого» до «среднего»",
        "Контрольная работа не ниже «4»",
        (
            "Разобрать ошибки последней контрольной",
            "Решить 10 задач посильной сложности",
            "Подготовить вопросы к следующей встрече",
        ),
    ),
    (
        "Научиться анализировать свои результаты",
        "Дневник успехов заполнен за 4 недели",
        ("Завести дневник успехов", "Записать три своих достижения за неделю"),
    ),
)


def seed_demo_pairwork(context: DemoContext) -> None:
    for (org_code, _form_code), program in sorted(context.programs.items()):
        if program.stage != Stage.WORK:
            continue
        curator = context.curators.get(org_code)
        if curator is None:
            continue
        active = list(
            Mentorship.objects.filter(program=program, status=MentorshipStatus.ACTIVE)
            .prefetch_related("members__person__user")
            .order_by("id")
        )
        # The pairs of the demo's logins first: whoever signs in finds their pair lived in.
        active.sort(key=lambda m: (not any(x.person.user_id for x in m.members.all()), m.pk))
        pairs = active[:PAIRS_PER_PROGRAM]
        for index, pair in enumerate(pairs):
            try:
                _week(context, curator, pair, index, overdue=index == len(pairs) - 1)
            except ValidationError as exc:
                logger.warning("demo: the week of pair %s not written: %s", pair.pk, exc.messages)


def _week(
    context: DemoContext, curator: object, pair: Mentorship, index: int, *, overdue: bool
) -> None:
    tz = zoneinfo.ZoneInfo(pair.organization.time_zone or "Europe/Moscow")
    # «Now» of the demo: noon of its day; each pair of a mentor meets at its own hour.
    now = dt.datetime.combine(context.today, dt.time(12, 0), tzinfo=tz)
    hour = dt.time(14 + index % 4, 0)
    rng = context.rng_for("pairwork", pair.pk)
    members = list(pair.members.all())
    people = [m.person_id for m in members]
    today = context.today
    for g_index, (title, result, tasks) in enumerate(GOALS):
        goal = services.goal_create(
            actor=curator,
            mentorship=pair,
            title=title,
            result=result,
            due_on=today + dt.timedelta(days=60 + 30 * g_index),
        )
        for t_index, task_title in enumerate(tasks):
            due = today + dt.timedelta(days=7 * (t_index + 1) - 10)
            task = services.task_create(
                actor=curator,
                mentorship=pair,
                goal=goal,
                title=task_title,
                due_on=today - dt.timedelta(days=3) if overdue and t_index == 0 else due,
            )
            if due < today and not overdue:
                services.task_set_done(actor=curator, task=task, done=True)
    # Meetings on working days only (``core.workdays``): two weeks and one week back, and two
    # days ahead, counted in working days; distinct counts keep a mentor's pairs apart.
    for days_ago, topic in ((10, "Знакомство"), (5, "Пробная встреча")):
        start = dt.datetime.combine(
            working_days_from(today, -(days_ago + index // 4)), hour, tzinfo=tz
        )
        held = services.meeting_create(
            actor=curator,
            mentorship=pair,
            starts_at=start,
            topic=topic,
            place=f"Кабинет {rng.randint(1, 40)}",
            notes="Договорились о целях и удобном времени встреч.",
            held=True,
            present_person_ids=people,
            now=now,
        )
        for member in members:
            user = member.person.user
            if member.role == MemberRole.MENTEE and user is not None and topic == "Знакомство":
                services.reflection_write(
                    actor=user,
                    meeting=held,
                    learned="Понял(а), над чем будем работать и как готовиться к встречам.",
                    hard="Сформулировать свою цель.",
                )
    services.meeting_create(
        actor=curator,
        mentorship=pair,
        starts_at=dt.datetime.combine(working_days_from(today, 2 + index // 4), hour, tzinfo=tz),
        topic="Планирование",
        format=MeetingFormat.ONLINE if index % 2 else MeetingFormat.IN_PERSON,
        link="https://meet.example.org/nastavnik" if index % 2 else "",
        place="" if index % 2 else "Библиотека",
        agenda="Составить план на месяц; выбрать задачи посильной сложности.",
        now=now,
    )
    mentor_user = next(
        (m.person.user for m in members if m.role == MemberRole.MENTOR and m.person.user), None
    )
    for member in members:
        if member.role != MemberRole.MENTEE:
            continue
        for days_ago, level in ((20, Achievement.WEAK), (2, Achievement.MEDIUM)):
            services.progress_record(
                actor=curator,
                mentorship=pair,
                mentee_id=member.person_id,
                subject="Математика",
                level=level,
                recorded_on=today - dt.timedelta(days=days_ago),
                source="Контрольная работа",
            )
        user = member.person.user
        if user is not None:
            threads.message_post(
                actor=user,
                mentorship=pair,
                text="Здравствуйте! Можно перед встречей разобрать задачу № 7?",
            )
        if mentor_user is not None:
            threads.message_post(
                actor=mentor_user,
                mentorship=pair,
                text="Да, конечно. Принесите черновик — разберём вместе."
                if user is not None
                else "Не забудьте принести дневник успехов на встречу.",
            )


step = seed_demo_pairwork
