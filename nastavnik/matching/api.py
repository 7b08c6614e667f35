"""Read endpoints for integrators: a program's matching runs, their proposals and, for group
runs, their groups with the team of mentors (scoped)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nastavnik.core.api import created, paginated
from nastavnik.matching.group_selectors import run_groups, shared_names
from nastavnik.matching.models import Prefer, Proposal, ProposalGroup, RunKind
from nastavnik.matching.selectors import proposal_list, run_get, run_list, staff_program_get
from nastavnik.matching.services import run_start
from nastavnik.matching.services._common import MAX_GROUP_SIZE, MAX_TEAM_SIZE, MAX_TOP_K

router = Router(tags=["matching"])


class RunOut(Schema):
    id: int
    program_id: int
    status: str
    progress: int
    error_message: str
    parameters: dict[str, Any]
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    published_at: dt.datetime | None
    n_mentees: int
    n_mentors: int
    matched_count: int
    unmatched_count: int
    total_score: float
    mean_score: float | None
    unmatched_by_reason: dict[str, int]
    duration_ms: int | None


class RunIn(Schema):
    """Start a matching run of a program (a curator): it is queued and runs in the background;
    poll ``GET /matching/runs/{id}`` until ``status`` is done. Parameters not given take the
    engine's defaults."""

    program_id: int
    kind: RunKind = RunKind.PAIRS
    prefer: Prefer | None = None
    top_k: int | None = Field(None, ge=1, le=MAX_TOP_K)
    same_class: Literal["indifferent", "prefer_same", "prefer_different"] | None = None
    weights: dict[str, float] | None = Field(None, max_length=20)
    variant_id: int | None = None
    require_format_match: bool = False
    min_size: int | None = Field(None, ge=1, le=MAX_GROUP_SIZE)
    max_size: int | None = Field(None, ge=1, le=MAX_GROUP_SIZE)
    team_size: int | None = Field(None, ge=1, le=MAX_TEAM_SIZE)


class ProposalOut(Schema):
    id: int
    run_id: int
    mentee_enrolment_id: int
    mentee_person_id: int
    mentor_enrolment_id: int
    mentor_person_id: int
    score: float
    state: str
    factors: list[dict[str, Any]]

    @staticmethod
    def resolve_mentee_enrolment_id(obj: Proposal) -> int:
        return obj.mentee_id

    @staticmethod
    def resolve_mentor_enrolment_id(obj: Proposal) -> int:
        return obj.mentor_id

    @staticmethod
    def resolve_mentee_person_id(obj: Proposal) -> int:
        return obj.mentee.person_id

    @staticmethod
    def resolve_mentor_person_id(obj: Proposal) -> int:
        return obj.mentor.person_id


class DeficitOut(Schema):
    id: int
    name: str


class GroupMentorOut(Schema):
    mentor_enrolment_id: int
    mentor_person_id: int
    full_name: str
    position: int
    is_lead: bool
    score: float


class GroupMemberOut(Schema):
    proposal_id: int
    mentee_enrolment_id: int
    mentee_person_id: int
    full_name: str
    class_name: str


class GroupOut(Schema):
    id: int
    run_id: int
    number: int
    state: str
    score: float
    common_deficit: DeficitOut | None
    shared_deficits: list[DeficitOut]
    team: list[GroupMentorOut]
    members: list[GroupMemberOut]


def _group_out(group: ProposalGroup, names: dict[int, str]) -> dict[str, Any]:
    competency = group.competency
    return {
        "id": group.pk,
        "run_id": group.run_id,
        "number": group.key,
        "state": group.state,
        "score": group.score,
        "common_deficit": (
            {"id": competency.pk, "name": competency.name} if competency is not None else None
        ),
        "shared_deficits": [{"id": int(c), "name": names.get(int(c), "")} for c in group.shared],
        "team": [
            {
                "mentor_enrolment_id": m.mentor_id,
                "mentor_person_id": m.mentor.person_id,
                "full_name": m.mentor.person.full_name,
                "position": m.position,
                "is_lead": index == 0,
                "score": m.score,
            }
            for index, m in enumerate(group.team.all())
        ],
        "members": [
            {
                "proposal_id": p.pk,
                "mentee_enrolment_id": p.mentee_id,
                "mentee_person_id": p.mentee.person_id,
                "full_name": p.mentee.person.full_name,
                "class_name": p.mentee.person.class_name,
            }
            for p in group.members.all()
        ],
    }


@router.get("/programs/{program_id}/runs", response=list[RunOut])
@paginated
def list_runs(request: HttpRequest, program_id: int) -> object:
    program = staff_program_get(user=request.user, program_id=program_id)
    return run_list(user=request.user, program=program)


@router.post("/runs", response={201: RunOut})
@created(RunOut)
def start_run(request: HttpRequest, payload: RunIn) -> object:
    """Queue a matching run of the program's bases."""
    program = staff_program_get(user=request.user, program_id=payload.program_id)
    parameters = {k: v for k, v in payload.dict(exclude={"program_id"}).items() if v is not None}
    return run_start(actor=request.user, program=program, parameters=parameters)


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> object:
    return run_get(user=request.user, run_id=run_id)


@router.get("/runs/{run_id}/proposals", response=list[ProposalOut])
@paginated
def list_proposals(request: HttpRequest, run_id: int, state: str = "") -> object:
    run = run_get(user=request.user, run_id=run_id)
    return proposal_list(run=run, state=state, user=request.user)


@router.get("/runs/{run_id}/groups", response=list[GroupOut])
@paginated
def list_groups(request: HttpRequest, run_id: int) -> object:
    """The groups of a group run in order (none for a pairs run): the team of mentors, the lead
    first, and the members. A run's groups are few (the review page shows them all), so they
    are read at once, with the names of what they share in one more query."""
    run = run_get(user=request.user, run_id=run_id)
    groups = run_groups(run=run, user=request.user)
    names = shared_names(groups)
    return [_group_out(group, names) for group in groups]
