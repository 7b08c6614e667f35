"""REST API of programs: the catalogue, programs with their stage checklists, and the roadmap."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import paginated
from nastavnik.programs.models import MentoringForm, MentoringModel
from nastavnik.programs.selectors import (
    program_get,
    program_list,
    roadmap_list,
    staff_program_get,
    stage_overview,
)

router = Router(tags=["programs"])


class FormOut(Schema):
    id: int
    code: str
    name: str
    mentor_categories: list[str]
    mentee_categories: list[str]


class ModelOut(Schema):
    id: int
    code: str
    name: str
    type: str
    description: str


class ProgramOut(Schema):
    id: int
    organization_id: int
    title: str
    form: str
    academic_year: str
    stage: int
    stage_name: str
    starts_on: dt.date | None
    ends_on: dt.date | None

    @staticmethod
    def resolve_form(obj: object) -> str:
        return obj.form.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_academic_year(obj: object) -> str:
        return obj.academic_year.title  # type: ignore[attr-defined]

    @staticmethod
    def resolve_stage_name(obj: object) -> str:
        return str(obj.get_stage_display())  # type: ignore[attr-defined]


class ChecklistItemOut(Schema):
    title: str
    kind: str
    done: bool
    checked_against_data: bool
    done_at: dt.datetime | None


class StageOut(Schema):
    stage: int
    name: str
    current: bool
    items: list[ChecklistItemOut]


class RoadmapItemOut(Schema):
    id: int
    title: str
    stage: int | None
    starts_on: dt.date | None
    due_on: dt.date
    responsible: str
    status: str


@router.get("/forms", response=list[FormOut])
def list_forms(request: HttpRequest) -> object:
    return MentoringForm.objects.all()


@router.get("/models", response=list[ModelOut])
def list_models(request: HttpRequest) -> object:
    return MentoringModel.objects.all()


@router.get("", response=list[ProgramOut])
@paginated
def list_programs(request: HttpRequest, organization_id: int | None = None) -> object:
    return program_list(user=request.user, organization_id=organization_id)


@router.get("/{program_id}", response=ProgramOut)
def get_program(request: HttpRequest, program_id: int) -> object:
    return program_get(user=request.user, program_id=program_id)


@router.get("/{program_id}/stages", response=list[StageOut])
def get_stages(request: HttpRequest, program_id: int) -> object:
    program = staff_program_get(user=request.user, program_id=program_id)
    return [
        {
            "stage": stage["value"],
            "name": str(stage["label"]),
            "current": stage["current"],
            "items": [
                {
                    "title": row["task"].title,
                    "kind": row["task"].kind,
                    "done": row["done"],
                    "checked_against_data": row["auto"],
                    "done_at": row["task"].done_at,
                }
                for row in stage["items"]
            ],
        }
        for stage in stage_overview(program=program, user=request.user)
    ]


@router.get("/{program_id}/roadmap", response=list[RoadmapItemOut])
@paginated
def get_roadmap(request: HttpRequest, program_id: int) -> object:
    return roadmap_list(
        program=staff_program_get(user=request.user, program_id=program_id), user=request.user
    )
