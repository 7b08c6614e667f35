"""The demo's bank of ideas in the demo school: a few ideas of its teachers with votes and
comments, one adopted by the curator into the teachers' program. Written through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.ideas import services
from nastavnik.ideas.models import IdeaKind
from nastavnik.organizations.models import Organization
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs.models import Program

# After the programs and pairs exist.
POSITION = 470

SCHOOL = "demo-school-1"

IDEAS = (
    (
        "Педагогическая гостиная для молодых специалистов",
        IdeaKind.IDEA,
        "Раз в месяц после уроков молодые педагоги и наставники встречаются за чаем и "
        "разбирают одну трудную ситуацию урока.",
        ["молодые специалисты", "гостиная"],
    ),
    (
        "Дневник успехов наставляемого",
        IdeaKind.PRACTICE,
        "Наставляемый записывает три достижения в неделю; наставник начинает встречу с них.",
        ["рефлексия", "ученик – ученик"],
    ),
    (
        "Квик-настройка перед педсоветом",
        IdeaKind.IDEA,
        "Десять минут перед педсоветом: одна ситуация, один вопрос, одна договорённость.",
        ["педсовет"],
    ),
)

COMMENTS = ("Поддерживаю, готова помочь с организацией.", "Попробовал в 6А — работает.")


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def organizations(self) -> Mapping[str, Organization]: ...
    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...
    @property
    def today(self) -> dt.date: ...
    def rng_for(self, *key: object) -> random.Random: ...


def step(context: DemoContext) -> None:
    school = context.organizations.get(SCHOOL)
    curator = context.curators.get(SCHOOL)
    if school is None or curator is None:
        return
    teachers = [
        p.user
        for p in Person.objects.filter(
            organization=school, category=PersonCategory.TEACHER, user__isnull=False
        ).select_related("user")[:6]
        if p.user is not None
    ]
    authors = teachers or [curator]
    voters = [curator, *teachers]
    posted = []
    for n, (title, kind, text, tags) in enumerate(IDEAS):
        idea = services.idea_create(
            actor=authors[n % len(authors)],
            organization_id=school.pk,
            title=title,
            text=text,
            kind=kind,
            tags=tags,
        )
        posted.append(idea)
        for voter in voters[: len(voters) - n]:
            services.idea_vote(actor=voter, idea=idea)
        for k, comment in enumerate(COMMENTS[: 2 - n if n < 2 else 0]):
            services.idea_comment(actor=voters[(k + 1) % len(voters)], idea=idea, text=comment)
    program = context.programs.get((SCHOOL, "teacher-teacher")) or next(
        (p for (org, _form), p in sorted(context.programs.items()) if org == SCHOOL), None
    )
    if program is not None:
        services.idea_adopt(actor=curator, idea=posted[0], program=program)
