"""The demo's surveys: each program at «the work of pairs» has the mentees' satisfaction survey at
the start and at the end (anonymous) and the mentors' entry questionnaire (named), all answered, so
the results page shows real distributions and the start against the end."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.programs.models import Program, Stage
from nastavnik.surveys import services
from nastavnik.surveys.models import Invitation, QuestionKind, Survey

POSITION = 400


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...
    def rng_for(self, *key: object) -> random.Random: ...


def _answer(context: DemoContext, survey: Survey, *, low: int, high: int) -> None:
    rng = context.rng_for("survey", survey.program_id, survey.title)
    questions = list(survey.questions.order_by("position"))
    for invitation in Invitation.objects.filter(survey=survey).order_by("pk"):
        raw: dict[int, list[str]] = {}
        for q in questions:
            if q.kind == QuestionKind.SCALE:
                raw[q.pk] = [str(rng.randint(low, high))]
            elif q.kind == QuestionKind.YES_NO:
                raw[q.pk] = [rng.choice(["yes", "no"])]
            elif q.kind == QuestionKind.SINGLE:
                raw[q.pk] = [rng.choice(q.options)]
            elif q.kind == QuestionKind.MULTIPLE:
                raw[q.pk] = rng.sample(q.options, k=2)
            elif q.required:
                raw[q.pk] = [rng.choice(["Больше практики", "Всё устраивает", "Встречи чаще"])]
        services.response_submit(invitation=invitation, raw=raw)


def seed_demo_surveys(context: DemoContext) -> None:
    for (org_code, _form_code), program in sorted(context.programs.items()):
        curator = context.curators.get(org_code)
        if program.stage != Stage.WORK or curator is None:
            continue
        for code, low, high in (
            ("satisfaction_mentee_start", 4, 8),
            ("satisfaction_mentee_end", 6, 10),
            ("entry_mentor", 5, 9),
        ):
            survey = services.survey_from_template(actor=curator, program=program, code=code)
            services.survey_open(actor=curator, survey=survey)
            _answer(context, survey, low=low, high=high)


step = seed_demo_surveys
