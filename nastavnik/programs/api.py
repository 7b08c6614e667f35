"""REST API of programs: the catalogue, programs with their stage checklists, and the roadmap."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nastavnik.core.api import Day, created, paginated, unknown_value
from nastavnik.organizations.selectors import organization_get
from nastavnik.organizations.services import academic_year_current_ensure
from nastavnik.people.selectors import person_get
from nastavnik.programs.models import (
    EnrolmentRole,
    EnrolmentStatus,
    MentoringForm,
    MentoringModel,
)
from nastavnik.programs.selectors import (
    enrolment_list,
    form_find,
    program_get,
    program_list,
    roadmap_list,
    staff_program_get,
    stage_overview,
    variants_for,
)
from nastavnik.programs.services import enrolment_upsert, program_create

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


class ProgramIn(Schema):
    """A new program of the current academic year (a curator of the organization)."""

    organization_id: int
    title: str = Field(min_length=1, max_length=300)
    form: str = Field(
        min_length=1, max_length=100, description="The form's code or name (see /programs/forms)"
    )
    starts_on: Day | None = None
    ends_on: Day | None = None
    goals: str = Field("", max_length=5000)


class EnrolmentIn(Schema):
    """A person put in a program's base of mentors or mentees (a curator). Idempotent by nature:
    the same person and role twice changes nothing the second time."""

    program_id: int
    person_id: int
    role: EnrolmentRole
    capacity: int | None = Field(None, ge=1, le=30, description="Mentors: how many mentees")
    variant_id: int | None = None
    status: EnrolmentStatus | None = None


class EnrolmentOut(Schema):
    id: int
    program_id: int
    person_id: int
    role: str
    status: str
    capacity: int | None
    variant_id: int | None


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


@router.post("", response={201: ProgramOut})
@created(ProgramOut)
def create_program(request: HttpRequest, payload: ProgramIn) -> object:
    """Create a program of the organization's current academic year."""
    organization = organization_get(user=request.user, organization_id=payload.organization_id)
    form = form_find(payload.form)
    if form is None:
        raise unknown_value("form")
    year = academic_year_current_ensure(organization=organization)
    return program_create(
        actor=request.user,
        organization=organization,
        academic_year=year,
        form=form,
        title=payload.title.strip(),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        goals=payload.goals,
    )


@router.post("/enrolments", response={201: EnrolmentOut})
@created(EnrolmentOut)
def create_enrolment(request: HttpRequest, payload: EnrolmentIn) -> object:
    """Put a person in the program's base (needs their valid consents)."""
    program = staff_program_get(user=request.user, program_id=payload.program_id)
    person = person_get(user=request.user, person_id=payload.person_id)
    variant = None
    if payload.variant_id is not None:
        variant = next(
            (
                v
                for v in variants_for(form=program.form, organization_id=program.organization_id)
                if v.pk == payload.variant_id
            ),
            None,
        )
        if variant is None:
            raise unknown_value("variant_id")
    enrolment, _changed = enrolment_upsert(
        actor=request.user,
        program=program,
        person=person,
        role=payload.role,
        capacity=payload.capacity,
        variant=variant,
        status=payload.status,
    )
    return enrolment


@router.get("/{program_id}/enrolments", response=list[EnrolmentOut])
@paginated
def list_enrolments(request: HttpRequest, program_id: int, role: str = "") -> object:
    """The program's bases (``role``: mentor or mentee)."""
    program = staff_program_get(user=request.user, program_id=program_id)
    enrolments = enrolment_list(user=request.user, program=program)
    return enrolments.filter(role=role) if role else enrolments


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
