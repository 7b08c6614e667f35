"""Questionnaires shipped with the system, written for it in Russian.

Each template is a title, a kind, the moment it is taken, who answers, whether it is anonymous,
and its questions. ``survey_from_template`` (services) copies one into a program, where the curator
may edit it before opening it. The wording follows the target model's evaluation: expected and real
usefulness, comfort of communication, frequency of meetings, satisfaction, all on a 1–10 scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Q:
    kind: str
    text: str
    options: tuple[str, ...] = ()
    required: bool = True
    section: str = ""
    show_if: int | None = None  # index of an earlier question in the template
    show_if_value: str = ""
    profile_field: str = ""


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    kind: str
    moment: str
    audience: str
    anonymous: bool
    questions: tuple[Q, ...] = field(default_factory=tuple)

    def as_choice(self) -> tuple[str, str]:
        return self.code, self.title


_SATISFACTION_MENTEE = (
    Q(
        "scale",
        "Насколько полезной, по-вашему, будет (была) работа с наставником?",
        section="Польза",
    ),
    Q("scale", "Насколько комфортно вам общаться с наставником?", section="Общение"),
    Q("scale", "Насколько вас устраивает частота встреч с наставником?", section="Общение"),
    Q("scale", "Насколько понятны цели вашей совместной работы?", section="Цели"),
    Q("scale", "Насколько вы удовлетворены участием в программе в целом?", section="Итог"),
    Q("yes_no", "Хотели бы вы сами стать наставником в будущем?", section="Итог"),
    Q("long_text", "Что стоит изменить в программе?", required=False, section="Итог"),
)

_SATISFACTION_MENTOR = (
    Q(
        "scale",
        "Насколько полезной, по-вашему, будет (была) работа для наставляемого?",
        section="Польза",
    ),
    Q("scale", "Насколько полезна работа наставником для вас самих?", section="Польза"),
    Q("scale", "Насколько комфортно вам общаться с наставляемым?", section="Общение"),
    Q("scale", "Насколько вас устраивает частота встреч?", section="Общение"),
    Q("scale", "Насколько достаточна поддержка куратора программы?", section="Поддержка"),
    Q("scale", "Насколько вы удовлетворены участием в программе в целом?", section="Итог"),
    Q("long_text", "Что стоит изменить в программе?", required=False, section="Итог"),
)

TEMPLATES: tuple[Template, ...] = (
    Template(
        "entry_mentee",
        "Входная анкета наставляемого",
        "entry",
        "start",
        "mentees",
        False,
        (
            Q("long_text", "С каким запросом вы приходите в программу наставничества?"),
            Q("long_text", "Чего вы ждёте от работы с наставником?"),
            Q(
                "multiple",
                "Что вам интересно?",
                ("наука и исследования", "творчество", "спорт", "технологии", "общественная жизнь"),
                profile_field="interests",
            ),
            Q("short_text", "В чём вам нужна помощь в первую очередь?", profile_field="deficits"),
            Q(
                "single",
                "Когда вам удобно встречаться?",
                ("на переменах", "после уроков", "в выходные", "онлайн вечером"),
            ),
        ),
    ),
    Template(
        "entry_mentor",
        "Входная анкета наставника",
        "entry",
        "start",
        "mentors",
        False,
        (
            Q("long_text", "Что вы готовы передать наставляемому?"),
            Q("short_text", "Ваши сильные стороны как наставника", profile_field="competencies"),
            Q("yes_no", "Был ли у вас опыт наставничества?"),
            Q("short_text", "Какой это был опыт?", required=False, show_if=2, show_if_value="yes"),
            Q(
                "single",
                "Когда вам удобно встречаться?",
                ("на переменах", "после уроков", "в выходные", "онлайн вечером"),
            ),
        ),
    ),
    Template(
        "satisfaction_mentee_start",
        "Анкета удовлетворённости наставляемого (начало программы)",
        "satisfaction",
        "start",
        "mentees",
        True,
        _SATISFACTION_MENTEE,
    ),
    Template(
        "satisfaction_mentee_end",
        "Анкета удовлетворённости наставляемого (завершение программы)",
        "satisfaction",
        "end",
        "mentees",
        True,
        _SATISFACTION_MENTEE,
    ),
    Template(
        "satisfaction_mentor_start",
        "Анкета удовлетворённости наставника (начало программы)",
        "satisfaction",
        "start",
        "mentors",
        True,
        _SATISFACTION_MENTOR,
    ),
    Template(
        "satisfaction_mentor_end",
        "Анкета удовлетворённости наставника (завершение программы)",
        "satisfaction",
        "end",
        "mentors",
        True,
        _SATISFACTION_MENTOR,
    ),
    Template(
        "swot",
        "SWOT-анализ программы наставничества (анкета куратора)",
        "swot",
        "end",
        "outside",
        False,
        (
            Q("long_text", "Сильные стороны программы", section="Внутренние факторы"),
            Q("long_text", "Слабые стороны программы", section="Внутренние факторы"),
            Q("long_text", "Возможности", section="Внешние факторы"),
            Q("long_text", "Угрозы", section="Внешние факторы"),
        ),
    ),
    Template(
        "check_in",
        "Короткая анкета после встречи",
        "check_in",
        "any",
        "everyone",
        False,
        (
            Q("scale", "Насколько полезной была встреча?"),
            Q("yes_no", "Договорились ли вы о следующем шаге?"),
            Q("short_text", "Что осталось непонятным?", required=False),
        ),
    ),
    Template(
        "feedback_360",
        "Обратная связь о наставнике (360 градусов)",
        "feedback_360",
        "any",
        "outside",
        True,
        (
            Q(
                "single",
                "Кем вы приходитесь наставнику?",
                ("администрация", "коллега", "родитель наставляемого"),
            ),
            Q("scale", "Насколько заметна польза работы наставника?"),
            Q("scale", "Насколько наставник доступен для общения?"),
            Q("long_text", "Что наставнику стоит развивать?", required=False),
        ),
    ),
)

BY_CODE: dict[str, Template] = {t.code: t for t in TEMPLATES}


def template_choices() -> list[tuple[str, str]]:
    return [t.as_choice() for t in TEMPLATES]


def template_question_rows(template: Template) -> list[dict[str, Any]]:
    return [
        {
            "kind": q.kind,
            "text": q.text,
            "options": list(q.options),
            "required": q.required,
            "section": q.section,
            "show_if": q.show_if,
            "show_if_value": q.show_if_value,
            "profile_field": q.profile_field,
        }
        for q in template.questions
    ]
