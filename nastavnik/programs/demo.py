"""The demo's programs come alive: checklists ticked up to their stage, a roadmap, the mentors'
training with attendance, contours, partners, tandems of colleagues and public pages.

A step of the demo (``nastavnik.demo.steps`` imports this module and runs ``step`` at
``POSITION``); the app never imports the demo: ``DemoContext`` below says what the step reads of the
demo's context. Everything goes through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs import services
from nastavnik.programs.models import (
    ContourArea,
    ContourTask,
    EnrolmentRole,
    EnrolmentStatus,
    Partner,
    Program,
    RoadmapItem,
    Stage,
    TandemNote,
    TandemStep,
    TandemToolItem,
    TaskStatus,
    TrainingSession,
)

# After the demo's people, programs and bases: checklists, roadmaps, training, tandems.
POSITION = 150


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def today(self) -> dt.date: ...
    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def people(self) -> Mapping[str, list[Person]]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...
    def rng_for(self, *key: object) -> random.Random: ...


# (stage, title, days from 1 September to the start or None, days to the due date, public)
ROADMAP = (
    (1, "Совещание о внедрении целевой модели наставничества", None, 14, False),
    (1, "Информирование педагогов, обучающихся и родителей о программе", 7, 29, True),
    (2, "Анкетирование обучающихся: запросы и образовательные дефициты", 20, 39, False),
    (3, "Формирование базы наставников, сбор анкет и согласий", 30, 49, False),
    (4, "Обучение наставников", 50, 70, False),
    (5, "Встреча наставников и наставляемых, формирование пар и групп", None, 80, True),
    (6, "Промежуточный мониторинг работы пар и групп", None, 152, False),
    (7, "Фестиваль наставнических пар", None, 261, True),
)

CONTOUR_TASKS = (
    (ContourArea.ORGANIZATION, "Приказ о назначении куратора и рабочей группы"),
    (ContourArea.STAFF_INFORMING, "Выступление на педагогическом совете"),
    (ContourArea.METHODOLOGY, "Подборка методических материалов для наставников"),
    (ContourArea.EVALUATION, "Анкетирование участников в начале и в конце года"),
    (ContourArea.INFORMATION, "Раздел «Наставничество» на сайте организации"),
    (ContourArea.PARTNERS, "Договор о сотрудничестве с партнёром"),
    (ContourArea.OUTSIDE_EVALUATION, "Отчёт в муниципальный методический центр"),
)

TRAINING = (
    (52, "Роль наставника в целевой модели наставничества", "https://example.org/rol-nastavnika"),
    (63, "Индивидуальный план развития: как его составить вместе", ""),
)


def _on(program: Program, days: int) -> dt.date:
    return program.academic_year.starts_on + dt.timedelta(days=days)


def _status(stage: int, program: Program) -> str:
    if stage < program.stage:
        return TaskStatus.DONE
    if stage == program.stage:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.PLANNED


def _program(context: DemoContext, org_code: str, program: Program) -> None:
    curator = context.curators[org_code]
    rng = context.rng_for("programs-lifecycle", org_code, program.form.code)
    services.checklist_ensure(program=program)
    services.stage_tasks_complete_before(actor=curator, program=program, stage=program.stage)

    for stage, title, start, due, public in ROADMAP:
        services.roadmap_item_save(
            actor=curator,
            item=RoadmapItem(
                program=program,
                stage=stage,
                title=title,
                starts_on=_on(program, start) if start is not None else None,
                due_on=_on(program, due),
                responsible="Куратор программы" if stage != 4 else "Методист",
                status=_status(stage, program),
                is_public=public,
            ),
        )
    for area, title in CONTOUR_TASKS:
        done = rng.random() < min(0.9, program.stage / 7 + 0.2)
        services.contour_task_save(
            actor=curator,
            task=ContourTask(
                program=program,
                area=area,
                title=title,
                due_on=_on(program, rng.randrange(20, 240)),
                status=TaskStatus.DONE if done else TaskStatus.PLANNED,
            ),
        )
    if program.form.code.startswith("employer") or program.form.code.startswith("university"):
        services.partner_save(
            actor=curator,
            partner=Partner(
                program=program,
                name=(
                    "ООО «Технопарк»"
                    if program.form.code.startswith("employer")
                    else "Педагогический университет"
                ),
                kind=Partner.Kind.EMPLOYER
                if program.form.code.startswith("employer")
                else Partner.Kind.UNIVERSITY,
                contact_name="Соколова Марина Андреевна",
                phone="+7 900 000-00-00",
                contribution="Наставники, площадка для экскурсий и проб",
            ),
        )

    mentors = list(
        program.enrolments.filter(role=EnrolmentRole.MENTOR).select_related("person", "program")
    )
    if program.stage >= Stage.MENTOR_TRAINING and mentors:
        for mentor in mentors:
            services.enrolment_update(
                actor=curator,
                enrolment=mentor,
                data={
                    "interviewed_on": _on(program, rng.randrange(35, 48)),
                    "interview_notes": rng.choice(
                        (
                            "Готов(а) вести двоих наставляемых.",
                            "Есть опыт кураторства класса; просит материалы по ИПР.",
                            "Предпочитает встречи после уроков.",
                        )
                    ),
                },
            )
        for days, title, material in TRAINING:
            session = services.training_session_save(
                actor=curator,
                session=TrainingSession(
                    program=program,
                    title=title,
                    held_on=_on(program, days),
                    trainer="Методист",
                    materials=material,
                ),
            )
            attended = [
                m for m in mentors if m.status != EnrolmentStatus.APPROVED or rng.random() < 0.5
            ]
            services.training_attendance_set(
                actor=curator,
                session=session,
                enrolments=attended,
                mark_trained=False,
            )
        trained_on = min(_on(program, TRAINING[-1][0]), context.today)
        for mentor in mentors:
            if mentor.is_trained:
                services.enrolment_mark_trained(actor=curator, enrolment=mentor, on=trained_on)

    if program.form.code == "teacher-teacher":
        _tandems(context, org_code, program)
    if program.is_public:
        program.public_news = (
            "Стартовала программа наставничества: сформированы базы наставников и "
            "наставляемых.\n\nНаставники прошли обучение и встретились со своими наставляемыми."
        )
        program.save(update_fields=["public_news", "updated_at"])


def _tandems(context: DemoContext, org_code: str, program: Program) -> None:
    curator = context.curators[org_code]
    teachers = [
        p
        for p in context.people[org_code]
        if p.category == PersonCategory.TEACHER and p.anonymized_at is None
    ][:4]
    if len(teachers) < 4:
        return
    for name, members, step in (
        ("Проектная деятельность на уроках", teachers[:2], TandemStep.TOOLKIT),
        ("Цифровые инструменты учителя", teachers[2:4], TandemStep.EXCHANGE),
    ):
        tandem = services.tandem_create(
            actor=curator,
            program=program,
            name=name,
            members=members,
            interest="Обмен опытом: " + name.lower(),
        )
        services.tandem_update(
            actor=curator,
            tandem=tandem,
            step=step,
            goals="Разработать и апробировать общие приёмы работы" if step >= 4 else "",
            interest=tandem.interest,
        )
        services.tandem_note_add(
            actor=curator,
            note=TandemNote(
                tandem=tandem,
                kind=TandemNote.Kind.MEETING,
                held_on=_on(program, 40),
                text="Взаимопосещение уроков и обсуждение.",
            ),
        )
        if step >= TandemStep.TOOLKIT:
            services.tandem_tool_add(
                actor=curator,
                item=TandemToolItem(
                    tandem=tandem,
                    title="Метод проектов: паспорт проекта",
                    description="Шаблон паспорта проекта для 5–7 классов.",
                    tried_on=_on(program, 60),
                ),
            )


def seed_demo_programs(context: DemoContext) -> None:
    for (org_code, _form_code), program in sorted(context.programs.items()):
        _program(context, org_code, program)


step = seed_demo_programs
