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

from nastavnik.accounts.access import Actor, access_for
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
from nastavnik.programs.models import Enrolment, EnrolmentRole, Program
from nastavnik.programs.selectors import staff_program_get

__all__ = ["staff_program_get"]  # the one definition lives in programs.selectors

DEFAULT_REQUEST_DAYS = 7


def request_expiry_days() -> int:
    return int(getattr(settings, "NASTAVNIK_MENTOR_REQUEST_DAYS", DEFAULT_REQUEST_DAYS))


def run_list(*, user: Actor, program: Program) -> QuerySet[MatchingRun]:
    return MatchingRun.objects.staff_view(user).filter(program=program).select_related("created_by")


def run_get(*, user: Actor, run_id: int) -> MatchingRun:
    qs = MatchingRun.objects.staff_view(user).select_related(
        "program", "program__form", "program__organization", "created_by"
    )
    return get_visible(qs, pk=run_id)


def _proposals(user: Actor | None) -> QuerySet[Proposal]:
    """The user's staff view of proposals; without a user the caller vouches for the run."""
    return Proposal.objects.all() if user is None else Proposal.objects.staff_view(user)


def run_proposals(
    *, run: MatchingRun, state: str = "", user: Actor | None = None
) -> QuerySet[Proposal]:
    """The run's proposals by score, with both people, from the user's staff view."""
    qs = (
        _proposals(user)
        .filter(run=run)
        .select_related("mentee__person", "mentor__person")
        .order_by("-score", "mentee__person__last_name", "id")
    )
    return qs.filter(state=state) if state else qs


def proposal_counts(*, run: MatchingRun, user: Actor | None = None) -> dict[str, int]:
    """How many proposals of the run are in each state (one query)."""
    counts = dict.fromkeys(ProposalState.values, 0)
    for state, count in (
        _proposals(user).filter(run=run).values_list("state").annotate(n=Count("id")).order_by()
    ):
        counts[state] = count
    return counts


def proposal_list(
    *, run: MatchingRun, state: str = "", user: Actor | None = None
) -> QuerySet[Proposal]:
    """Proposals of a run, from the user's staff view."""
    qs = (
        _proposals(user).filter(run=run).select_related("mentee", "mentor").order_by("-score", "id")
    )
    return qs.filter(state=state) if state else qs


def run_unmatched(
    *, run: MatchingRun, limit: int = 200, user: Actor | None = None
) -> list[Unmatched]:
    scope = Unmatched.objects.all() if user is None else Unmatched.objects.staff_view(user)
    return list(
        scope.filter(run=run)
        .select_related("mentee__person")
        .order_by("reason", "mentee__person__last_name", "id")[:limit]
    )


def proposal_get(*, user: Actor, proposal_id: int) -> Proposal:
    qs = Proposal.objects.staff_view(user).select_related(
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


def request_queryset(*, user: Actor) -> QuerySet[MentorRequest]:
    """The staff's whole record, and a member's own requests as a mentee or a mentor."""
    access = access_for(user)
    related = ("program", "mentee__person", "mentor__person", "organization")
    staff = MentorRequest.objects.staff_view(access)
    if access.is_admin or access.user_id is None:
        return staff.select_related(*related)
    own = MentorRequest.objects.member_view(access).filter(
        Q(mentee__person__user_id=access.user_id) | Q(mentor__person__user_id=access.user_id)
    )
    return (staff | own).select_related(*related)


def request_get(*, user: Actor, request_id: int) -> MentorRequest:
    return _as_of_now([get_visible(request_queryset(user=user), pk=request_id)])[0]


def exclusion_list(*, user: Actor, organization_id: int) -> list[MatchExclusion]:
    """The curator's «never» pairs of an organization."""
    return list(
        MatchExclusion.objects.staff_view(user)
        .filter(organization_id=organization_id)
        .select_related("mentee", "mentor")
        .order_by("-created_at", "-id")
    )


def exclusion_get(*, user: Actor, exclusion_id: int) -> MatchExclusion:
    return get_visible(MatchExclusion.objects.staff_view(user), pk=exclusion_id)


def program_requests(*, user: Actor, program: Program, limit: int = 100) -> list[MentorRequest]:
    """The mentees' requests of a program, newest first, for its staff."""
    return _as_of_now(
        list(
            MentorRequest.objects.staff_view(user)
            .filter(program=program)
            .select_related("mentee__person", "mentor__person")
            .order_by("-created_at", "-id")[:limit]
        )
    )


def incoming_requests(*, user: Actor) -> list[MentorRequest]:
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


def outgoing_requests(*, user: Actor) -> list[MentorRequest]:
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


def my_mentee_enrolments(*, user: Actor) -> list[Enrolment]:
    """The user's own places in bases of mentees (self-matching starts from them)."""
    access = access_for(user)
    if access.user_id is None:
        return []
    return list(
        Enrolment.objects.member_view(access)
        .filter(person__user_id=access.user_id, role=EnrolmentRole.MENTEE)
        .select_related("program", "program__form", "person")
        .order_by("-program__academic_year__start_year", "program__title")
    )
