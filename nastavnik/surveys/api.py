"""Read endpoints of surveys for integrators (the staff of the organization): the surveys with
their counts, and the aggregated results — figures only, never a person, never free texts;
anonymous figures under the threshold are withheld as on the results page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import paginated
from nastavnik.surveys.evaluation import Cell, survey_results
from nastavnik.surveys.models import Survey
from nastavnik.surveys.selectors import survey_get, survey_list

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    organization_id: int
    program_id: int
    title: str
    kind: str
    moment: str
    audience: str
    anonymous: bool
    status: str
    due_on: dt.date | None
    opened_at: dt.datetime | None
    invited: int
    answered: int

    @staticmethod
    def resolve_invited(obj: Survey) -> int:
        return getattr(obj, "invited", 0)

    @staticmethod
    def resolve_answered(obj: Survey) -> int:
        return getattr(obj, "answered", 0)


class CellOut(Schema):
    count: int
    mean: float | None
    distribution: dict[str, int]
    withheld: bool


class QuestionResultOut(Schema):
    question_id: int
    position: int
    text: str
    kind: str
    total: CellOut
    by_role: dict[str, CellOut]


class SurveyResultsOut(Schema):
    survey_id: int
    anonymous: bool
    questions: list[QuestionResultOut]


def _cell(cell: Cell) -> dict[str, object]:
    return {
        "count": cell.count,
        "mean": cell.mean,
        "distribution": cell.distribution,
        "withheld": cell.withheld,
    }


@router.get("", response=list[SurveyOut])
@paginated
def list_surveys(request: HttpRequest, program_id: int | None = None, status: str = "") -> object:
    """The surveys of the caller's organizations (``program_id``, ``status`` narrow the list)."""
    surveys = survey_list(user=request.user).order_by("-id")
    if program_id is not None:
        surveys = surveys.filter(program_id=program_id)
    if status:
        surveys = surveys.filter(status=status)
    return surveys


@router.get("/{survey_id}", response=SurveyOut)
def get_survey(request: HttpRequest, survey_id: int) -> object:
    found = survey_list(user=request.user).filter(pk=survey_id).first()
    return found if found is not None else survey_get(user=request.user, survey_id=survey_id)


@router.get("/{survey_id}/results", response=SurveyResultsOut)
def get_results(request: HttpRequest, survey_id: int) -> object:
    """Each question's figures: answers, the mean of a scale, the distribution, by role."""
    survey = survey_get(user=request.user, survey_id=survey_id)
    return {
        "survey_id": survey.pk,
        "anonymous": survey.anonymous,
        "questions": [
            {
                "question_id": r.question.pk,
                "position": r.question.position,
                "text": r.question.text,
                "kind": r.question.kind,
                "total": _cell(r.total),
                "by_role": {role: _cell(cell) for role, cell in r.by_role.items()},
            }
            for r in survey_results(survey)
        ],
    }
