"""What the sections of matching's writes share: the curator check, the open run, the bases
rebuilt for a change, the models of a published pair or group, the run's figures."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for
from nastavnik.matching.features import Base, build_base, run_variant
from nastavnik.matching.models import (
    MatchingRun,
    Proposal,
    ProposalGroup,
    ProposalState,
    RunKind,
    RunStatus,
    Unmatched,
)
from nastavnik.mentorships.models import mentor_places
from nastavnik.programs.models import MentoringModel, Program

logger = logging.getLogger(__name__)


SAME_CLASS_CHOICES = ("indifferent", "prefer_same", "prefer_different")
MAX_TOP_K = 500
MAX_GROUP_SIZE = 30
MAX_TEAM_SIZE = 3
# How a group run forms groups: on a deficit the members share, or collective (different
# deficits, a team that covers them all).
GROUPING_SHARED = "shared"
GROUPING_COLLECTIVE = "collective"
GROUPINGS = (GROUPING_SHARED, GROUPING_COLLECTIVE)


def _require_curator(actor: Any, organization_id: int) -> None:
    if not access_for(actor).is_curator_of(organization_id):
        raise PermissionDenied(_("Only a curator of the organization may do this."))


def _group_places(program: Program, size: int) -> int:
    """Places of each mentor of its team a group of ``size`` mentees takes in the program."""
    return mentor_places(
        mentees=size,
        is_group=True,
        group_counts_as_one_place=program.group_counts_as_one_place,
    )


def _rejected_from(previous: MatchingRun | None) -> list[tuple[int, int]]:
    if previous is None:
        return []
    return list(
        Proposal.objects.filter(run=previous, state=ProposalState.REJECTED).values_list(
            "mentee_id", "mentor_id"
        )
    )


def _group_factors(score: float, competency_id: int | None, shared: list[int], size: int) -> Any:
    return [
        {
            "code": "group_deficit",
            "value": score,
            "weight": 1.0,
            "contribution": score,
            "details": {"competency": competency_id, "shared": shared, "size": size},
        }
    ]


def _collective_factors(
    score: float,
    *,
    deficits: list[int],
    covers: list[tuple[int, list[int]]],
    uncovered: list[int],
    shared: list[int],
    size: int,
) -> Any:
    """The explanation of a collective group: the deficits its team covers, who covers which
    (``covers``: a mentor's enrolment and competency ids, the team's order), what is not covered."""
    return [
        {
            "code": "group_collective",
            "value": score,
            "weight": 1.0,
            "contribution": score,
            "details": {
                "deficits": deficits,
                "covers": [{"mentor": mentor, "competencies": ids} for mentor, ids in covers],
                "uncovered": uncovered,
                "shared": shared,
                "size": size,
            },
        }
    ]


def _is_collective(group: ProposalGroup) -> bool:
    """A collective group (its explanation says so: the run's parameters may differ on a re-run
    that kept it)."""
    return any(f.get("code") == "group_collective" for f in group.factors or [])


def _check_open(run: MatchingRun) -> None:
    if run.status != RunStatus.DONE:
        raise ValidationError(_("The run has not finished."))
    if run.published_at is not None:
        raise ValidationError(_("The run has been published; start a new run to change pairs."))


def _run_for_decision(actor: Any, decided: Proposal | ProposalGroup, state: str) -> MatchingRun:
    """The run of a pair or group the curator decides on, locked, after the common checks."""
    _require_curator(actor, decided.organization_id)
    if state not in ProposalState.values:
        raise ValidationError(_("Unknown decision."))
    run = MatchingRun.objects.select_for_update().get(pk=decided.run_id)
    _check_open(run)
    return run


def _rebuild_for(run: MatchingRun, mentee_ids: list[int]) -> Base:
    params = run.parameters
    return build_base(
        program=run.program,
        variant=run_variant(run.program, params.get("variant_id")),
        same_class=params.get("same_class", "indifferent"),
        keep_matched=mentee_ids,
        require_format_match=bool(params.get("require_format_match")),
    )


def _mentor_allowed(base: Base, j: int) -> bool:
    """Consent and category of a mentor (capacity aside: a swap does not change the load)."""
    features, rules = base.mentor_features, base.rules
    assert features.consent is not None
    assert features.category is not None
    if rules.require_consent and not features.consent[j]:
        return False
    return rules.mentor_categories is None or int(features.category[j]) in rules.mentor_categories


def _refresh_figures(run: MatchingRun) -> None:
    if run.kind == RunKind.GROUPS:
        _refresh_group_figures(run)
        return
    scores = list(Proposal.objects.filter(run=run).values_list("score", flat=True))
    run.total_score = round(sum(scores), 6)
    run.mean_score = round(run.total_score / len(scores), 6) if scores else None
    run.save(update_fields=["total_score", "mean_score", "updated_at"])


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _group_set_state(group: ProposalGroup, state: str, *, decided_by: Any) -> None:
    """The group's decision, mirrored on its members' proposals."""
    group.state = state
    group.decided_by = decided_by
    group.decided_at = timezone.now()
    group.save(update_fields=["state", "decided_by", "decided_at"])
    Proposal.objects.filter(group=group).update(
        state=state, decided_by=decided_by, decided_at=group.decided_at
    )


def _refresh_group_figures(run: MatchingRun) -> None:
    scores = list(ProposalGroup.objects.filter(run=run).values_list("score", flat=True))
    reasons = Counter(Unmatched.objects.filter(run=run).values_list("reason", flat=True))
    run.matched_count = Proposal.objects.filter(run=run).count()
    run.unmatched_count = sum(reasons.values())
    run.unmatched_by_reason = dict(reasons)
    run.total_score = round(sum(scores), 6)
    run.mean_score = round(run.total_score / len(scores), 6) if scores else None
    run.save(
        update_fields=[
            "matched_count",
            "unmatched_count",
            "unmatched_by_reason",
            "total_score",
            "mean_score",
            "updated_at",
        ]
    )


def _pair_model(program: Program) -> MentoringModel | None:
    models = list(program.models_used.all())
    for code in ("traditional", "peer", "reverse", "virtual", "short-term", "situational"):
        found = next((m for m in models if m.code == code), None)
        if found is not None:
            return found
    return next((m for m in models if not m.is_group), None)


def _group_model(program: Program) -> MentoringModel | None:
    models = [m for m in program.models_used.all() if m.is_group]
    return next((m for m in models if m.code == "group"), models[0] if models else None)


def _progress(run: MatchingRun, value: int) -> None:
    MatchingRun.objects.filter(pk=run.pk).update(progress=value)
