"""Shipped templates of a development plan, per form and variant of the program (data, in the
target model's own words, like the catalogue): the target model's sequence of meetings and
goals with tasks of feasible difficulty («каждый обучающийся получает посильное задание»).

A template is a list of goals ``(title, measurable result, days to the deadline, tasks)``,
each task ``(title, days to its due date)``. The tasks of the meeting sequence are meetings
(``MEETING_KINDS``): a held meeting ticks the next one off (``services.meeting_tick_task``).
"""

from __future__ import annotations

from typing import TypeAlias

Goal: TypeAlias = tuple[str, str, int, tuple[tuple[str, int], ...]]

MEETING_SEQUENCE: Goal = (
    "Пройти цикл встреч наставнической пары",
    "Проведены все встречи цикла, по итогам — рефлексия",
    120,
    (
        ("Встреча-знакомство", 7),
        ("Пробная рабочая встреча", 14),
        ("Встреча-планирование: цели и план на четверть", 21),
        ("Серия рабочих встреч (не реже раза в две недели)", 90),
        ("Итоговая встреча: результаты и рефлексия", 120),
    ),
)

# The kind (``models.TaskKind``) of each task of the meeting sequence: one meeting each, and the
# series of working meetings, which the mentor ticks off when the series is done.
MEETING_KINDS: dict[str, str] = {
    "Встреча-знакомство": "meeting",
    "Пробная рабочая встреча": "meeting",
    "Встреча-планирование: цели и план на четверть": "meeting",
    "Серия рабочих встреч (не реже раза в две недели)": "meetings",
    "Итоговая встреча: результаты и рефлексия": "meeting",
}

RAISE_THE_WEAK: Goal = (
    "Повысить уровень по предмету со «слабого» до «среднего»",
    "Отметка за контрольную работу не ниже «4»",
    90,
    (
        ("Разобрать ошибки последней контрольной работы", 10),
        ("Каждую неделю решать задачи посильной сложности", 60),
        ("Межоперационный контроль: короткая проверка после каждой темы", 75),
    ),
)

BY_FORM: dict[str, tuple[Goal, ...]] = {
    "student-student": (
        (
            "Научиться анализировать собственные результаты",
            "Дневник успехов заполнен за 4 недели",
            45,
            (("Завести дневник успехов", 7), ("Записывать три достижения в неделю", 35)),
        ),
    ),
    "teacher-teacher": (
        (
            "Освоить приёмы подготовки и проведения урока",
            "Проведён открытый урок, получена обратная связь наставника",
            90,
            (
                ("Посетить три урока наставника", 30),
                ("Разработать конспект урока вместе с наставником", 45),
                ("Провести открытый урок", 80),
            ),
        ),
    ),
    "employer-student": (
        (
            "Познакомиться с профессией на практике",
            "Выполнен учебный проект по заданию предприятия",
            90,
            (
                ("Экскурсия на предприятие", 20),
                ("Список операций профессии с проверкой после каждого шага", 50),
                ("Защитить учебный проект", 85),
            ),
        ),
    ),
}

# Variants whose pairs work on raising a weak learner to the middle.
RAISE_VARIANTS = {"achiever-underachiever", "teacher-underachiever"}


def task_kind(*, goal_title: str, task_title: str) -> str:
    """The kind of a template's task: a meeting of the sequence, a series, or a plain task."""
    if goal_title != MEETING_SEQUENCE[0]:
        return ""
    return MEETING_KINDS.get(task_title, "")


def template_for(*, form_code: str, variant_code: str = "") -> tuple[Goal, ...]:
    goals: list[Goal] = [MEETING_SEQUENCE]
    if variant_code in RAISE_VARIANTS:
        goals.append(RAISE_THE_WEAK)
    goals.extend(BY_FORM.get(form_code, ()))
    return tuple(goals)
