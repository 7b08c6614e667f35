"""Reads of the proposed groups of group runs, scoped like the rest of matching: the staff
(curator, head) of the run's organization sees them, nobody else."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from nastavnik.accounts.access import Actor
from nastavnik.core.selectors import get_visible
from nastavnik.matching.explanations import competency_names
from nastavnik.matching.models import (
    MatchingRun,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
    ProposalState,
)


def group_prefetch() -> list[Prefetch[Any]]:
    """Members with their people, and the team in order (the lead first)."""
    return [
        Prefetch(
            "members",
            queryset=Proposal.objects.select_related("mentee__person").order_by(
                "mentee__person__last_name", "mentee__person__first_name", "id"
            ),
        ),
        Prefetch(
            "team",
            queryset=ProposalGroupMentor.objects.select_related("mentor__person").order_by(
                "position", "id"
            ),
        ),
    ]


def _groups(user: Actor | None) -> QuerySet[ProposalGroup]:
    """The user's staff view of groups; without a user the caller vouches for the run."""
    return ProposalGroup.objects.all() if user is None else ProposalGroup.objects.staff_view(user)


def run_group_queryset(*, run: MatchingRun, user: Actor | None = None) -> QuerySet[ProposalGroup]:
    """The groups of a run from the user's staff view, in order, with members and teams (three
    queries whatever the number of groups, or of a page of them)."""
    return (
        _groups(user)
        .filter(run=run)
        .select_related("competency")
        .prefetch_related(*group_prefetch())
        .order_by("key")
    )


def run_groups(*, run: MatchingRun, user: Actor | None = None) -> list[ProposalGroup]:
    return list(run_group_queryset(run=run, user=user))


def group_counts(*, run: MatchingRun, user: Actor | None = None) -> dict[str, int]:
    """How many groups of a run the caller already fetched through ``run_get`` (scoped) are in
    each state (one query): a group run counts decisions by group."""
    counts = dict.fromkeys(ProposalState.values, 0)
    for state, count in (
        _groups(user).filter(run=run).values_list("state").annotate(n=Count("id")).order_by()
    ):
        counts[state] = count
    return counts


def shared_names(groups: list[ProposalGroup]) -> dict[int, str]:
    """Names of the deficits the groups' members share (one query for all the groups)."""
    return competency_names(int(c) for g in groups for c in g.shared)


def group_get(*, user: Actor, group_id: int) -> ProposalGroup:
    qs = ProposalGroup.objects.staff_view(user).select_related("run", "run__program", "competency")
    return get_visible(qs, pk=group_id)
