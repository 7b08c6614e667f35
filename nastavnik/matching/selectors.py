"""Reads of matching runs, proposals and requests, scoped to the acting user.

Runs and proposals are the curator's working material: the staff (curator, head) of the
program's organization sees them, nobody else. A request is seen by its mentee, its mentor and
the staff.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nastavnik.accounts.access import access_for
from nastavnik.core.selectors import get_visible
from nastavnik.matching.explanations import competency_names, referenced_competencies
from nastavnik.matching.models import (
    MatchExclusion,
    MatchingRun,
    MentorRequest,
    Proposal,
    ProposalState,
    RequestStatus,
    Unmatched,
)
from nastavnik.mentorships.selectors import staff_program_get
from nastavnik.programs.models import Enrolment, EnrolmentRole, Program

__all__ = ["staff_program_get"]

DEFAULT_REQUEST_DAYS = 7


def request_expiry_days() -> int:
    return int(getattr(settings, "NASTAVNIK_MENTOR_REQUEST_DAYS", DEFAULT_REQUEST_DAYS))


def _staff_scoped(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    access = access_for(user)
    if access.is_admin:
        return qs
    return qs.filter(organization_id__in=access.staff_org_ids)


def run_list(*, user: Any, program: Program) -> QuerySet[MatchingRun]:
    return _staff_scoped(MatchingRun.objects.filter(program=program), user).select_related(
        "created_by"
    )


def run_get(*, user: Any, run_id: int) -> MatchingRun:
    qs = _staff_scoped(MatchingRun.objects.all(), user).select_related(
        "program", "program__form", "program__organization", "created_by"
    )
    return get_visible(qs, pk=run_id)


def run_proposals(*, run: MatchingRun, state: str = "") -> QuerySet[Proposal]:
    """The run's proposals by score, with both people (the run is already scoped)."""
    qs = (
        Proposal.objects.filter(run=run)
        .select_related("mentee__person", "mentor__person")
        .order_by("-score", "mentee__person__last_name", "id")
    )
    return qs.filter(state=state) if state else qs


def proposal_counts(*, run: MatchingRun) -> dict[str, int]:
    """How many proposals of the run are in each state (one query)."""
    counts = dict.fromkeys(ProposalState.values, 0)
    for state, count in (
        Proposal.objects.filter(run=run).values_list("state").annotate(n=Count("id")).order_by()
    ):
        counts[state] = count
    return counts


def proposal_list(*, run: MatchingRun, state: str = "") -> QuerySet[Proposal]:
    """Proposals of a run the caller already fetched through ``run_get`` (scoped)."""
    qs = (
        Proposal.objects.filter(run=run).select_related("mentee", "mentor").order_by("-score", "id")
    )
    return qs.filter(state=state) if state else qs


def run_unmatched(*, run: MatchingRun, limit: int = 200) -> list[Unmatched]:
    return list(
        Unmatched.objects.filter(run=run)
        .select_related("mentee__person")
        .order_by("reason", "mentee__person__last_name", "id")[:limit]
    )


def proposal_get(*, user: Any, proposal_id: int) -> Proposal:
    qs = _staff_scoped(Proposal.objects.all(), user).select_related(
        "run", "run__program", "mentee__person", "mentor__person"
    )
    return get_visible(qs, pk=proposal_id)


def names_for(factor_lists: list[Any]) -> dict[int, str]:
    """Names of the competencies the explanations mention (one query for the whole page)."""
    return competency_names(referenced_competencies(factor_lists))


# --- Self-matching requests ---------------------------------------------------------------------


def _as_of_now(requests: list[MentorRequest]) -> list[MentorRequest]:
    """Show a pending request past its date as expired (the write is the service's job:
    :func:`nastavnik.matching.services.requests_expire`, run by the worker and before answers)."""
    now = timezone.now()
    for request in requests:
        if request.status == RequestStatus.PENDING and request.expires_at <= now:
            request.status = RequestStatus.EXPIRED
    return requests


def request_queryset(*, user: Any) -> QuerySet[MentorRequest]:
    access = access_for(user)
    qs = MentorRequest.objects.select_related(
        "program", "mentee__person", "mentor__person", "organization"
    )
    if access.is_admin:
        return qs
    if access.user_id is None:
        return qs.none()
    return qs.filter(
        Q(organization_id__in=access.staff_org_ids)
        | Q(mentee__person__user_id=access.user_id)
        | Q(mentor__person__user_id=access.user_id)
    )


def request_get(*, user: Any, request_id: int) -> MentorRequest:
    return _as_of_now([get_visible(request_queryset(user=user), pk=request_id)])[0]


def exclusion_list(*, user: Any, organization_id: int) -> list[MatchExclusion]:
    """The curator's «never» pairs of an organization."""
    return list(
        _staff_scoped(MatchExclusion.objects.filter(organization_id=organization_id), user)
        .select_related("mentee", "mentor")
        .order_by("-created_at", "-id")
    )


def exclusion_get(*, user: Any, exclusion_id: int) -> MatchExclusion:
    return get_visible(_staff_scoped(MatchExclusion.objects.all(), user), pk=exclusion_id)


def program_requests(*, user: Any, program: Program, limit: int = 100) -> list[MentorRequest]:
    """The mentees' requests of a program, newest first, for its staff."""
    return _as_of_now(
        list(
            _staff_scoped(MentorRequest.objects.filter(program=program), user)
            .select_related("mentee__person", "mentor__person")
            .order_by("-created_at", "-id")[:limit]
        )
    )


def incoming_requests(*, user: Any) -> list[MentorRequest]:
    """Requests waiting for the user as a mentor (not past their date)."""
    access = access_for(user)
    if access.user_id is None:
        return []
    return list(
        request_queryset(user=user)
        .filter(
            mentor__person__user_id=access.user_id,
            status=RequestStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .order_by("expires_at", "id")
    )


def outgoing_requests(*, user: Any) -> list[MentorRequest]:
    """The user's requests as a mentee, newest first."""
    access = access_for(user)
    if access.user_id is None:
        return []
    return _as_of_now(
        list(
            request_queryset(user=user)
            .filter(mentee__person__user_id=access.user_id)
            .order_by("-created_at", "-id")
        )
    )


def my_mentee_enrolments(*, user: Any) -> list[Enrolment]:
    """The user's own places in bases of mentees (self-matching starts from them)."""
    access = access_for(user)
    if access.user_id is None:
        return []
    return list(
        Enrolment.objects.filter(person__user_id=access.user_id, role=EnrolmentRole.MENTEE)
        .select_related("program", "program__form", "person")
        .order_by("-program__academic_year__start_year", "program__title")
    )
