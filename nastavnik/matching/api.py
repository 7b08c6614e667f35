"""Read endpoints for integrators: a program's matching runs and their proposals (scoped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from nastavnik.matching.models import Proposal
from nastavnik.matching.selectors import proposal_list, run_get, run_list, staff_program_get

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


@router.get("/programs/{program_id}/runs", response=list[RunOut])
@paginate(LimitOffsetPagination)
def list_runs(request: HttpRequest, program_id: int) -> object:
    program = staff_program_get(user=request.user, program_id=program_id)
    return run_list(user=request.user, program=program)


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> object:
    return run_get(user=request.user, run_id=run_id)


@router.get("/runs/{run_id}/proposals", response=list[ProposalOut])
@paginate(LimitOffsetPagination)
def list_proposals(request: HttpRequest, run_id: int, state: str = "") -> object:
    run = run_get(user=request.user, run_id=run_id)
    return proposal_list(run=run, state=state)
