"""Writes of matching: runs, the curator's review of proposals, publishing, mentees' requests.

``run_execute`` is the synchronous core (a test or a management command may call it directly);
``run_start`` queues it as a background task.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for
from nastavnik.core.audit import audit
from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.explain import PairExplanation
from nastavnik.matching.engine.groups import form_groups, score_group
from nastavnik.matching.engine.match import eligible_mentees, eligible_mentors, match
from nastavnik.matching.engine.scoring import build_model
from nastavnik.matching.explanations import REASON_REMOVED, explain_pair, stored_factors
from nastavnik.matching.features import Base, build_base, program_variant, weights_from
from nastavnik.matching.group_selectors import group_prefetch
from nastavnik.matching.models import (
    KEPT_STATES,
    MatchExclusion,
    MatchingRun,
    MentorRequest,
    Prefer,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
    ProposalState,
    RequestStatus,
    RunKind,
    RunStatus,
    Unmatched,
)
from nastavnik.matching.selectors import request_expiry_days
from nastavnik.matching.suggestions import suggestion_for_pair
from nastavnik.mentorships.models import Mentorship, mentor_places
from nastavnik.mentorships.selectors import matched_mentee_ids
from nastavnik.mentorships.services import NewMentorship, mentorships_create
from nastavnik.people.models import Person
from nastavnik.programs.models import Enrolment, EnrolmentRole, MentoringModel, Program

logger = logging.getLogger(__name__)

SAME_CLASS_CHOICES = ("indifferent", "prefer_same", "prefer_different")
MAX_TOP_K = 500
MAX_GROUP_SIZE = 30
MAX_TEAM_SIZE = 3


def _require_curator(actor: Any, organization_id: int) -> None:
    if not access_for(actor).is_curator_of(organization_id):
        raise PermissionDenied(_("Only a curator of the organization may do this."))


# --- Parameters ---------------------------------------------------------------------------------


def run_parameters_clean(raw: Mapping[str, Any], *, program: Program) -> dict[str, Any]:
    """Checked parameters of a run, with the engine's defaults for what is not given.

    What matters more defaults to the best pairs for a run of pairs and to coverage for a group
    run: a curator expects as many groups as possible to get a mentor first.
    """
    groups = raw.get("kind") == RunKind.GROUPS
    prefer = raw.get("prefer") or (Prefer.COVERAGE if groups else Prefer.SCORE)
    if prefer not in Prefer.values:
        raise ValidationError({"prefer": _("Choose what matters more.")})
    try:
        top_k = int(raw.get("top_k") or 50)
    except (TypeError, ValueError):
        top_k = 0
    if not 1 <= top_k <= MAX_TOP_K:
        raise ValidationError(
            {"top_k": _("Candidates per mentee: from 1 to %(max)s.") % {"max": MAX_TOP_K}}
        )
    same_class = raw.get("same_class") or "indifferent"
    if same_class not in SAME_CLASS_CHOICES:
        raise ValidationError({"same_class": _("Unknown class preference.")})
    try:
        weights = weights_from(raw.get("weights")).as_dict()
    except (InvalidInput, TypeError, ValueError) as exc:
        raise ValidationError({"weights": _("Weights are numbers from 0 up.")}) from exc
    if not any(weights.values()):
        raise ValidationError({"weights": _("At least one weight must be above zero.")})
    variant_id = raw.get("variant_id")
    variant = None
    if variant_id:
        variant = program_variant(program, int(variant_id))
        if variant is None:
            raise ValidationError({"variant_id": _("The program has no such variant.")})
    else:
        variant = program_variant(program)
    sizes = {}
    if groups:
        try:
            min_size = int(raw.get("min_size") or 3)
            max_size = int(raw.get("max_size") or 8)
        except (TypeError, ValueError):
            min_size, max_size = 0, 0
        if not 1 <= min_size <= max_size <= MAX_GROUP_SIZE:
            raise ValidationError(
                {
                    "min_size": _("Group size: from 1 to %(max)s, the least not above the most.")
                    % {"max": MAX_GROUP_SIZE}
                }
            )
        try:
            team_size = int(raw.get("team_size") or 1)
        except (TypeError, ValueError):
            team_size = 0
        if not 1 <= team_size <= MAX_TEAM_SIZE:
            raise ValidationError(
                {"team_size": _("Mentors in a group: from 1 to %(max)s.") % {"max": MAX_TEAM_SIZE}}
            )
        sizes = {"min_size": min_size, "max_size": max_size, "team_size": team_size}
    return {
        **sizes,
        "prefer": prefer,
        "top_k": top_k,
        "same_class": same_class,
        "weights": weights,
        "variant_id": variant.pk if variant else None,
        "require_format_match": bool(raw.get("require_format_match")),
    }


# --- Runs ---------------------------------------------------------------------------------------


@transaction.atomic
def run_start(
    *,
    actor: Any,
    program: Program,
    parameters: Mapping[str, Any] | None = None,
    previous: MatchingRun | None = None,
) -> MatchingRun:
    """Queue a run; with ``previous``, its accepted and locked proposals are kept (re-run)."""
    _require_curator(actor, program.organization_id)
    if previous is not None and previous.program_id != program.pk:
        raise ValidationError(_("The previous run belongs to another program."))
    raw = dict(parameters if parameters is not None else (previous.parameters if previous else {}))
    kind = previous.kind if previous is not None else raw.get("kind", RunKind.PAIRS)
    if kind not in RunKind.values:
        raise ValidationError(_("Unknown kind of run."))
    if kind == RunKind.GROUPS and not program_has_group_model(program):
        raise ValidationError(_("The program has no group model of mentoring."))
    raw["kind"] = kind
    clean = run_parameters_clean(raw, program=program)
    run = MatchingRun.objects.create(
        organization_id=program.organization_id,
        program=program,
        kind=kind,
        parameters=clean,
        previous=previous,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor=actor, action="matching.run_start", obj=run, data={"program": program.pk})
    from nastavnik.matching.tasks import run_matching

    run_matching.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


def program_has_group_model(program: Program) -> bool:
    return any(m.is_group for m in program.models_used.all())


def _progress(run: MatchingRun, value: int) -> None:
    MatchingRun.objects.filter(pk=run.pk).update(progress=value)


def run_execute(*, run_id: int) -> MatchingRun | None:
    """Run a queued run to the end. Claims it first, so two workers never run it twice."""
    claimed = MatchingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    run = MatchingRun.objects.select_related("program", "program__form").get(pk=run_id)
    clock = time.perf_counter()
    try:
        _execute(run)
    except Exception as exc:
        logger.exception("matching run %s failed", run.pk)
        run.status = RunStatus.FAILED
        run.error_message = _failure_message(exc)
        run.finished_at = timezone.now()
        run.duration_ms = round((time.perf_counter() - clock) * 1000)
        run.save(update_fields=["status", "error_message", "finished_at", "duration_ms"])
        return run
    run.duration_ms = round((time.perf_counter() - clock) * 1000)
    run.status = RunStatus.DONE
    run.progress = 100
    run.finished_at = timezone.now()
    run.save()
    return run


class EmptyBase(Exception):
    pass


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, EmptyBase):
        return str(exc)
    if isinstance(exc, InvalidInput):
        return _(
            "Matching failed: the data of the bases do not suit matching. "
            "Check the profiles and try again."
        )
    return _("Matching failed because of an internal error. Try again or ask the administrator.")


def _kept_from(previous: MatchingRun | None) -> list[Proposal]:
    """Accepted and locked proposals of an unpublished previous run: kept by a re-run."""
    if previous is None or previous.published_at is not None:
        return []
    return list(Proposal.objects.filter(run=previous, state__in=KEPT_STATES).order_by("id"))


def _rejected_from(previous: MatchingRun | None) -> list[tuple[int, int]]:
    if previous is None:
        return []
    return list(
        Proposal.objects.filter(run=previous, state=ProposalState.REJECTED).values_list(
            "mentee_id", "mentor_id"
        )
    )


def _execute(run: MatchingRun) -> None:
    params = run.parameters
    program = run.program
    variant = program_variant(program, params.get("variant_id"))
    kept = _kept_from(run.previous) if run.kind == RunKind.PAIRS else []
    base = build_base(
        program=program,
        variant=variant,
        same_class=params.get("same_class", "indifferent"),
        excluded_pairs=_rejected_from(run.previous),
        require_format_match=bool(params.get("require_format_match")),
    )
    run.n_mentees, run.n_mentors = len(base.mentees), len(base.mentors)
    if not base.mentees:
        raise EmptyBase(
            _(
                "There is nobody to match: the base of mentees has no approved mentees "
                "without a pair."
            )
        )
    _progress(run, 30)
    if run.kind == RunKind.GROUPS:
        _execute_groups(run, base)
        return
    locked, kept_state = _locked_pairs(base, kept)
    result = match(
        base.mentee_features,
        base.mentor_features,
        base.rules,
        weights_from(params.get("weights")),
        top_k=int(params.get("top_k", 50)),
        prefer=params.get("prefer", "score"),
        locked=locked,
    )
    _progress(run, 80)
    proposals, unmatched = [], []
    for explanation in result.explanations():
        mentee = base.mentees[explanation.mentee]
        if isinstance(explanation, PairExplanation):
            mentor = base.mentors[explanation.mentor]
            proposals.append(
                Proposal(
                    organization_id=run.organization_id,
                    run=run,
                    mentee=mentee,
                    mentor=mentor,
                    score=round(float(explanation.score), 6),
                    factors=stored_factors(
                        explanation.factors, base.competency_ids, base.subject_ids
                    ),
                    state=kept_state.get((mentee.pk, mentor.pk), ProposalState.PROPOSED),
                )
            )
        else:
            unmatched.append(
                Unmatched(
                    organization_id=run.organization_id,
                    run=run,
                    mentee=mentee,
                    reason=explanation.reason,
                    n_candidates=explanation.n_candidates,
                )
            )
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals, batch_size=1000)
        Unmatched.objects.bulk_create(unmatched, batch_size=1000)
    run.matched_count = len(proposals)
    run.unmatched_count = len(unmatched)
    run.total_score = round(sum(p.score for p in proposals), 6)
    run.mean_score = round(run.total_score / len(proposals), 6) if proposals else None
    run.unmatched_by_reason = dict(Counter(u.reason for u in unmatched))


def _group_places(program: Program, size: int) -> int:
    """Places of each mentor of its team a group of ``size`` mentees takes in the program."""
    return mentor_places(
        mentees=size,
        is_group=True,
        group_counts_as_one_place=program.group_counts_as_one_place,
    )


@dataclass
class _GroupDraft:
    """A group about to be stored: kept from the previous run or formed by the engine."""

    mentees: list[Enrolment]
    mentors: list[Enrolment]  # the team, the lead first
    scores: list[float]  # per mentor of the team
    competency_id: int | None
    shared_ids: list[int]
    state: str = ProposalState.PROPOSED
    decided_by_id: int | None = None
    decided_at: dt.datetime | None = None

    @property
    def score(self) -> float:
        return round(self.scores[0], 6) if self.scores else 0.0


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


def _group_base(run: MatchingRun, **kwargs: Any) -> Base:
    params = run.parameters
    return build_base(
        program=run.program,
        variant=program_variant(run.program, params.get("variant_id")),
        same_class=params.get("same_class", "indifferent"),
        require_format_match=bool(params.get("require_format_match")),
        **kwargs,
    )


def _execute_groups(run: MatchingRun, base: Base) -> None:
    """Groups on shared deficits (the engine's ``form_groups``) with a team of mentors each.

    A group takes one place of each mentor of its team, or one per member, as the program
    counts (``Program.group_counts_as_one_place``): the engine's ``capacity_unit``.

    A re-run keeps the accepted and locked groups of the previous run whole (same members, same
    team) if they still satisfy the hard rules and fit the free places, and groups the rest anew
    on what is left of the mentors' places. Rejected groups are not proposed again: their
    members' pairs with the lead mentor are excluded (``_rejected_from``).
    """
    params = run.parameters
    kept = _kept_groups(base, run.previous, program=run.program)
    free = dict(base.free_places)
    for draft in kept:
        for enrolment in draft.mentors:
            free[enrolment.pk] -= _group_places(run.program, len(draft.mentees))
    if kept:
        taken = {e.pk for draft in kept for e in draft.mentees}
        base = _group_base(
            run,
            mentee_ids=[e.pk for e in base.mentees if e.pk not in taken],
            excluded_pairs=_rejected_from(run.previous),
        )
    drafts = list(kept)
    reasons: dict[int, str] = {}
    if base.mentees:
        assert base.mentee_features.class_id is not None
        mentors = replace(
            base.mentor_features,
            capacity=np.asarray([max(0, free.get(e.pk, 0)) for e in base.mentors], dtype=np.int64),
        )
        grouping = form_groups(
            base.mentee_features,
            mentors,
            base.rules,
            min_size=int(params.get("min_size", 3)),
            max_size=int(params.get("max_size", 8)),
            team_size=int(params.get("team_size", 1)),
            capacity_unit="group" if run.program.group_counts_as_one_place else "mentee",
            order=base.mentee_features.class_id,
            prefer=params.get("prefer", "coverage"),
        )
        reasons = {i: reason for i, reason in enumerate(grouping.reasons) if reason is not None}
        for group in grouping.groups:
            if group.reason is not None or not group.mentors:
                for i in group.members:
                    reasons[i] = group.reason or "no_candidate"
                continue
            drafts.append(
                _GroupDraft(
                    mentees=[base.mentees[i] for i in group.members],
                    mentors=[base.mentors[j] for j in group.mentors],
                    scores=[float(x) for x in group.mentor_scores],
                    competency_id=base.competency_ids[group.competency],
                    shared_ids=[base.competency_ids[c] for c in group.shared],
                )
            )
    _progress(run, 80)
    unmatched = [
        Unmatched(
            organization_id=run.organization_id,
            run=run,
            mentee=base.mentees[i],
            reason=reason,
        )
        for i, reason in sorted(reasons.items())
    ]
    with transaction.atomic():
        _store_groups(run, drafts)
        Unmatched.objects.bulk_create(unmatched, batch_size=1000)
    run.matched_count = sum(len(d.mentees) for d in drafts)
    run.unmatched_count = len(unmatched)
    run.total_score = round(sum(d.score for d in drafts), 6)
    run.mean_score = round(run.total_score / len(drafts), 6) if drafts else None
    run.unmatched_by_reason = dict(Counter(u.reason for u in unmatched))


def _store_groups(run: MatchingRun, drafts: list[_GroupDraft]) -> None:
    groups = [
        ProposalGroup(
            organization_id=run.organization_id,
            run=run,
            key=key,
            competency_id=d.competency_id,
            shared=d.shared_ids,
            score=d.score,
            factors=_group_factors(d.score, d.competency_id, d.shared_ids, len(d.mentees)),
            state=d.state,
            decided_by_id=d.decided_by_id,
            decided_at=d.decided_at,
        )
        for key, d in enumerate(drafts, start=1)
    ]
    ProposalGroup.objects.bulk_create(groups, batch_size=1000)
    ProposalGroupMentor.objects.bulk_create(
        [
            ProposalGroupMentor(
                organization_id=run.organization_id,
                group=group,
                mentor=mentor,
                position=position,
                score=round(score, 6),
            )
            for group, d in zip(groups, drafts, strict=True)
            for position, (mentor, score) in enumerate(zip(d.mentors, d.scores, strict=True))
        ],
        batch_size=1000,
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                organization_id=run.organization_id,
                run=run,
                mentee=mentee,
                mentor=d.mentors[0],
                group=group,
                group_key=group.key,
                score=group.score,
                factors=group.factors,
                state=d.state,
                decided_by_id=d.decided_by_id,
                decided_at=d.decided_at,
            )
            for group, d in zip(groups, drafts, strict=True)
            for mentee in d.mentees
        ],
        batch_size=1000,
    )


def _kept_groups(
    base: Base, previous: MatchingRun | None, *, program: Program
) -> list[_GroupDraft]:
    """Accepted and locked groups of an unpublished previous group run that still satisfy the
    hard rules (every member and mentor in the bases with consent and the right category, no
    exclusion between them) and fit the mentors' free places; rescored on today's profiles."""
    if previous is None or previous.published_at is not None or previous.kind != RunKind.GROUPS:
        return []
    groups = (
        ProposalGroup.objects.filter(run=previous, state__in=KEPT_STATES)
        .prefetch_related(*group_prefetch())
        .order_by("key")
    )
    ok_e = eligible_mentees(base.mentee_features, base.rules)
    forbidden = {(int(i), int(j)) for i, j in np.asarray(base.rules.exclusions)}
    free = dict(base.free_places)
    taken: set[int] = set()
    kept = []
    for group in groups:
        members = [base.mentee_index.get(p.mentee_id) for p in group.members.all()]
        team = [base.mentor_index.get(m.mentor_id) for m in group.team.all()]
        rows = [i for i in members if i is not None]
        cols = [j for j in team if j is not None]
        if not rows or not cols or len(rows) < len(members) or len(cols) < len(team):
            continue
        if any(i in taken or not ok_e[i] for i in rows):
            continue
        if not all(_mentor_allowed(base, j) for j in cols):
            continue
        if any((i, j) in forbidden for i in rows for j in cols):
            continue
        mentors = [base.mentors[j] for j in cols]
        places = _group_places(program, len(rows))
        if any(free.get(m.pk, 0) < places for m in mentors):
            continue
        for m in mentors:
            free[m.pk] -= places
        taken.update(rows)
        shared, scores = score_group(
            base.mentee_features, base.mentor_features, tuple(rows), tuple(cols)
        )
        kept.append(
            _GroupDraft(
                mentees=[base.mentees[i] for i in rows],
                mentors=mentors,
                scores=list(scores),
                competency_id=group.competency_id,
                shared_ids=[base.competency_ids[c] for c in shared],
                state=group.state,
                decided_by_id=group.decided_by_id,
                decided_at=group.decided_at,
            )
        )
    return kept


def _locked_pairs(
    base: Base, kept: list[Proposal]
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], str]]:
    """Kept proposals that still satisfy the hard rules and fit the free places."""
    ok_e = eligible_mentees(base.mentee_features, base.rules)
    ok_o = eligible_mentors(base.mentor_features, base.rules)
    forbidden = {(int(i), int(j)) for i, j in np.asarray(base.rules.exclusions)}
    free = dict(base.free_places)
    locked: list[tuple[int, int]] = []
    state: dict[tuple[int, int], str] = {}
    taken: set[int] = set()
    for p in kept:
        i = base.mentee_index.get(p.mentee_id)
        j = base.mentor_index.get(p.mentor_id)
        if i is None or j is None or i in taken or not ok_e[i] or not ok_o[j]:
            continue
        if (i, j) in forbidden or free.get(p.mentor_id, 0) <= 0:
            continue
        free[p.mentor_id] -= 1
        taken.add(i)
        locked.append((i, j))
        state[(p.mentee_id, p.mentor_id)] = p.state
    return locked, state


# --- The curator's review -----------------------------------------------------------------------


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


@transaction.atomic
def proposal_decide(*, actor: Any, proposal: Proposal, state: str) -> Proposal:
    """Accept, reject, lock or return a proposal to «proposed»."""
    _run_for_decision(actor, proposal, state)
    previous = proposal.state
    proposal.state = state
    proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    if proposal.group_id is not None:
        # A group is decided as a whole.
        _group_set_state(
            ProposalGroup.objects.get(pk=proposal.group_id),
            state,
            decided_by=proposal.decided_by,
        )
    else:
        proposal.save(update_fields=["state", "decided_by", "decided_at"])
    audit(
        actor=actor,
        action="matching.proposal_decide",
        obj=proposal,
        person_id=proposal.mentee.person_id,
        data={"from": previous, "to": state},
    )
    return proposal


@transaction.atomic
def proposals_decide_all(*, actor: Any, run: MatchingRun, state: str, from_state: str) -> int:
    """Accept every proposed pair at once (or reject them)."""
    _require_curator(actor, run.organization_id)
    _check_open(run)
    now = timezone.now()
    ProposalGroup.objects.filter(run=run, state=from_state).update(state=state, decided_at=now)
    count = Proposal.objects.filter(run=run, state=from_state).update(state=state, decided_at=now)
    audit(actor=actor, action="matching.proposal_decide_all", obj=run, data={"to": state})
    return count


def _rebuild_for(run: MatchingRun, mentee_ids: list[int]) -> Base:
    params = run.parameters
    return build_base(
        program=run.program,
        variant=program_variant(run.program, params.get("variant_id")),
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


def _pair_block_reason(base: Base, model: Any, mentee: Enrolment, mentor: Enrolment) -> str | None:
    i = base.mentee_index.get(mentee.pk)
    j = base.mentor_index.get(mentor.pk)
    if i is None:
        return _("%(name)s is no longer in the base of mentees.") % {
            "name": mentee.person.full_name
        }
    if j is None:
        return _("%(name)s is no longer in the base of mentors.") % {
            "name": mentor.person.full_name
        }
    if not eligible_mentees(base.mentee_features, base.rules)[i]:
        return _("%(name)s has no valid consent or does not suit the form of mentoring.") % {
            "name": mentee.person.full_name
        }
    if not _mentor_allowed(base, j):
        return _("%(name)s has no valid consent or does not suit the form of mentoring.") % {
            "name": mentor.person.full_name
        }
    score = model.pair_scores(np.asarray([i]), np.asarray([j]))[0]
    if not np.isfinite(score) or score < 0:
        return _(
            "%(mentee)s and %(mentor)s may not be a pair: the pair is excluded (dissolved "
            "before, relatives, the curator's «never») or their formats of meetings do not match."
        ) % {"mentee": mentee.person.full_name, "mentor": mentor.person.full_name}
    return None


@transaction.atomic
def proposal_swap(*, actor: Any, first: Proposal, second: Proposal) -> tuple[Proposal, Proposal]:
    """Exchange the mentors of two proposals of one run, if the hard rules allow both new pairs.

    Capacity is not touched: each mentor keeps the same number of mentees.
    """
    _require_curator(actor, first.organization_id)
    if first.run_id != second.run_id or first.pk == second.pk:
        raise ValidationError(_("Choose two different pairs of the same run."))
    run = (
        MatchingRun.objects.select_for_update().select_related("program__form").get(pk=first.run_id)
    )
    _check_open(run)
    if first.mentor_id == second.mentor_id:
        raise ValidationError(_("Both pairs have the same mentor: there is nothing to exchange."))
    if run.kind == RunKind.GROUPS:
        raise ValidationError(_("Mentors are exchanged between pairs, not groups."))
    if ProposalState.LOCKED in (first.state, second.state):
        raise ValidationError(_("A locked pair cannot be changed; unlock it first."))
    base = _rebuild_for(run, [first.mentee_id, second.mentee_id])
    model = build_model(
        base.mentee_features,
        base.mentor_features,
        base.rules,
        weights_from(run.parameters.get("weights")),
    )
    for mentee, mentor in ((first.mentee, second.mentor), (second.mentee, first.mentor)):
        reason = _pair_block_reason(base, model, mentee, mentor)
        if reason:
            raise ValidationError(
                _("The mentors cannot be exchanged: %(reason)s") % {"reason": reason}
            )
    first_mentor, second_mentor = first.mentor, second.mentor
    for proposal, mentor in ((first, second_mentor), (second, first_mentor)):
        i = base.mentee_index[proposal.mentee_id]
        j = base.mentor_index[mentor.pk]
        score, items = explain_pair(model, i, j)
        proposal.mentor = mentor
        proposal.score = round(score, 6)
        proposal.factors = stored_factors(items, base.competency_ids, base.subject_ids)
        proposal.state = ProposalState.PROPOSED
        proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        proposal.decided_at = timezone.now()
        proposal.save()
    _refresh_figures(run)
    audit(
        actor=actor,
        action="matching.proposal_swap",
        obj=run,
        data={"proposals": [first.pk, second.pk]},
    )
    return first, second


def _refresh_figures(run: MatchingRun) -> None:
    if run.kind == RunKind.GROUPS:
        _refresh_group_figures(run)
        return
    scores = list(Proposal.objects.filter(run=run).values_list("score", flat=True))
    run.total_score = round(sum(scores), 6)
    run.mean_score = round(run.total_score / len(scores), 6) if scores else None
    run.save(update_fields=["total_score", "mean_score", "updated_at"])


# --- The curator's changes to groups ------------------------------------------------------------


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


@transaction.atomic
def group_decide(*, actor: Any, group: ProposalGroup, state: str) -> ProposalGroup:
    """Accept, reject, lock, unlock a proposed group as a whole."""
    run = _run_for_decision(actor, group, state)
    previous = group.state
    _group_set_state(group, state, decided_by=_actor_user(actor))
    audit(
        actor=actor,
        action="matching.group_decide",
        obj=group,
        data={"run": run.pk, "from": previous, "to": state},
    )
    return group


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


def _open_group_run(proposal: Proposal) -> tuple[MatchingRun, ProposalGroup]:
    """The run (locked for the change) and the group of a member the curator changes."""
    if proposal.group_id is None:
        raise ValidationError(_("The mentee is not in a group."))
    run = (
        MatchingRun.objects.select_for_update()
        .select_related("program__form")
        .get(pk=proposal.run_id)
    )
    _check_open(run)
    group = ProposalGroup.objects.get(pk=proposal.group_id)
    if group.state == ProposalState.LOCKED:
        raise ValidationError(_("A locked group cannot be changed; unlock it first."))
    return run, group


def _group_size(group: ProposalGroup) -> int:
    return Proposal.objects.filter(group=group).count()


def _check_min_size(run: MatchingRun, group: ProposalGroup, name: str) -> None:
    least = int(run.parameters.get("min_size", 1))
    if _group_size(group) - 1 < least:
        raise ValidationError(
            _(
                "%(name)s cannot leave group № %(number)s: a group of this run has at least "
                "%(count)s mentees. Reject the whole group instead."
            )
            % {"name": name, "number": group.key, "count": least}
        )


def _group_usage(run: MatchingRun, *, resized: Mapping[int, int]) -> Counter[int]:
    """Places each mentor takes in the run's groups that may still be published (all but the
    rejected), with the groups in ``resized`` at their new size (they return to «proposed»);
    a group takes one place of each mentor of its team or one per member, as the program says."""
    sizes: Counter[int] = Counter(
        Proposal.objects.filter(run=run, group__isnull=False).values_list("group_id", flat=True)
    )
    for group_id, size in resized.items():
        sizes[group_id] = size
    used: Counter[int] = Counter()
    for mentor_id, group_id, state in ProposalGroupMentor.objects.filter(
        group__run=run
    ).values_list("mentor_id", "group_id", "group__state"):
        if state != ProposalState.REJECTED or group_id in resized:
            used[mentor_id] += _group_places(run.program, sizes[group_id])
    return used


def _group_rescore(group: ProposalGroup, base: Base, *, decided_by: Any) -> None:
    """After a change of members: what the group shares, the team's scores and the explanation
    anew, and the group back to «proposed» for the curator's decision."""
    members = list(Proposal.objects.filter(group=group).order_by("id"))
    team = list(ProposalGroupMentor.objects.filter(group=group).order_by("position", "id"))
    rows = tuple(i for p in members if (i := base.mentee_index.get(p.mentee_id)) is not None)
    present = [(m, j) for m in team if (j := base.mentor_index.get(m.mentor_id)) is not None]
    shared, scores = score_group(
        base.mentee_features, base.mentor_features, rows, tuple(j for _m, j in present)
    )
    for (member, _j), score in zip(present, scores, strict=True):
        member.score = round(score, 6)
        member.save(update_fields=["score"])
    group.shared = [base.competency_ids[c] for c in shared]
    group.score = team[0].score if team else 0.0
    group.factors = _group_factors(group.score, group.competency_id, group.shared, len(members))
    group.save(update_fields=["shared", "score", "factors"])
    _group_set_state(group, ProposalState.PROPOSED, decided_by=decided_by)
    Proposal.objects.filter(group=group).update(
        score=group.score,
        factors=group.factors,
        group_key=group.key,
        mentor_id=team[0].mentor_id if team else members[0].mentor_id,
    )


def _has_deficit(base: Base, i: int, competency_id: int) -> bool:
    deficits = base.mentee_features.deficits
    assert deficits is not None
    if competency_id not in base.competency_ids:
        return False
    column = base.competency_ids.index(competency_id)
    return column in deficits.indices[deficits.indptr[i] : deficits.indptr[i + 1]].tolist()


@transaction.atomic
def group_member_move(*, actor: Any, proposal: Proposal, target: ProposalGroup) -> Proposal:
    """Move a mentee to another group of the same run.

    The hard rules of groups hold: the size limits of the run, the target group's common deficit,
    consent and category, no exclusion between the mentee and the target team, and the target
    team's free places. Both groups are rescored and return to «proposed».
    """
    _require_curator(actor, proposal.organization_id)
    if target.run_id != proposal.run_id:
        raise ValidationError(_("Choose a group of the same run."))
    run, source = _open_group_run(proposal)
    if source.pk == target.pk:
        raise ValidationError(_("The mentee is already in this group."))
    target = ProposalGroup.objects.select_related("competency").get(pk=target.pk)
    if target.state == ProposalState.LOCKED:
        raise ValidationError(_("A locked group cannot be changed; unlock it first."))
    name = proposal.mentee.person.full_name
    _check_min_size(run, source, name)
    most = int(run.parameters.get("max_size", MAX_GROUP_SIZE))
    target_size = _group_size(target)
    if target_size + 1 > most:
        raise ValidationError(
            _("Group № %(number)s is full: a group of this run has at most %(count)s mentees.")
            % {"number": target.key, "count": most}
        )
    team = list(target.team.select_related("mentor__person").order_by("position", "id"))
    base = _rebuild_for(
        run,
        list(
            Proposal.objects.filter(group__in=[source, target]).values_list("mentee_id", flat=True)
        ),
    )
    i = base.mentee_index.get(proposal.mentee_id)
    if i is None:
        raise ValidationError(_("%(name)s is no longer in the base of mentees.") % {"name": name})
    if not eligible_mentees(base.mentee_features, base.rules)[i]:
        raise ValidationError(
            _("%(name)s has no valid consent or does not suit the form of mentoring.")
            % {"name": name}
        )
    if target.competency is not None and not _has_deficit(base, i, target.competency.pk):
        raise ValidationError(
            _("%(name)s does not have the common deficit of group № %(number)s: %(deficit)s.")
            % {"name": name, "number": target.key, "deficit": target.competency.name}
        )
    forbidden = {(int(a), int(b)) for a, b in np.asarray(base.rules.exclusions)}
    for member in team:
        mentor_name = member.mentor.person.full_name
        j = base.mentor_index.get(member.mentor_id)
        if j is None:
            raise ValidationError(
                _("%(name)s is no longer in the base of mentors.") % {"name": mentor_name}
            )
        if not _mentor_allowed(base, j):
            raise ValidationError(
                _("%(name)s has no valid consent or does not suit the form of mentoring.")
                % {"name": mentor_name}
            )
        if (i, j) in forbidden:
            raise ValidationError(
                _("%(mentee)s may not be in a group of %(mentor)s: this pair is excluded.")
                % {"mentee": name, "mentor": mentor_name}
            )
    used = _group_usage(
        run, resized={source.pk: _group_size(source) - 1, target.pk: target_size + 1}
    )
    for member in team:
        if used[member.mentor_id] > base.free_places.get(member.mentor_id, 0):
            name = member.mentor.person.full_name
            if run.program.group_counts_as_one_place:
                # The group's place is not new: it was rejected, or the places were taken since.
                raise ValidationError(
                    _("%(name)s has no free place for group № %(number)s.")
                    % {"name": name, "number": target.key}
                )
            raise ValidationError(
                _("%(name)s has no free place for one more mentee.") % {"name": name}
            )
    proposal.group = target
    proposal.save(update_fields=["group"])
    decided_by = _actor_user(actor)
    _group_rescore(source, base, decided_by=decided_by)
    _group_rescore(target, base, decided_by=decided_by)
    _refresh_figures(run)
    proposal.refresh_from_db()
    audit(
        actor=actor,
        action="matching.group_member_move",
        obj=proposal,
        person_id=proposal.mentee.person_id,
        data={"run": run.pk, "from": source.key, "to": target.key},
    )
    return proposal


@transaction.atomic
def group_member_remove(*, actor: Any, proposal: Proposal) -> Unmatched:
    """Take a mentee out of a proposed group: they stay without a mentor in this run (the
    reason says the curator removed them); the group is rescored and returns to «proposed»."""
    _require_curator(actor, proposal.organization_id)
    run, group = _open_group_run(proposal)
    _check_min_size(run, group, proposal.mentee.person.full_name)
    mentee = proposal.mentee
    proposal.delete()
    unmatched = Unmatched.objects.create(
        organization_id=run.organization_id, run=run, mentee=mentee, reason=REASON_REMOVED
    )
    base = _rebuild_for(
        run, list(Proposal.objects.filter(group=group).values_list("mentee_id", flat=True))
    )
    _group_rescore(group, base, decided_by=_actor_user(actor))
    _refresh_figures(run)
    audit(
        actor=actor,
        action="matching.group_member_remove",
        obj=group,
        person_id=mentee.person_id,
        data={"run": run.pk, "group": group.key, "mentee": mentee.pk},
    )
    return unmatched


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


@transaction.atomic
def run_publish(
    *,
    actor: Any,
    run: MatchingRun,
    order_number: str = "",
    order_date: dt.date | None = None,
) -> list[Mentorship]:
    """Accepted and locked proposals become active mentorships, all or nothing."""
    _require_curator(actor, run.organization_id)
    run = MatchingRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    _check_open(run)
    kept = list(
        Proposal.objects.filter(run=run, state__in=KEPT_STATES)
        .select_related("mentee__person", "mentor__person")
        .order_by("id")
    )
    if not kept:
        if run.kind == RunKind.GROUPS:
            raise ValidationError(_("Accept or lock at least one group before publishing."))
        raise ValidationError(_("Accept or lock at least one pair before publishing."))
    already = matched_mentee_ids(program=run.program)
    taken = [p.mentee.person.full_name for p in kept if p.mentee_id in already]
    if taken:
        raise ValidationError(
            _("Already in a pair or group: %(names)s. Reject these proposals first.")
            % {"names": ", ".join(taken)}
        )
    program = run.program
    variant = program_variant(program, run.parameters.get("variant_id"))
    if run.kind == RunKind.GROUPS:
        # One group mentorship per group: its whole team of mentors and all its mentees; each
        # mentor of the team takes one place for it or one per mentee, as the program counts
        # (``mentorships_create`` checks the capacity).
        model = _group_model(program)
        groups = (
            ProposalGroup.objects.filter(run=run, state__in=KEPT_STATES)
            .prefetch_related(*group_prefetch())
            .order_by("key")
        )
        items = []
        for group in groups:
            members = sorted(group.members.all(), key=lambda p: p.pk)
            items.append(
                NewMentorship(
                    mentors=[m.mentor for m in group.team.all()],
                    mentees=[p.mentee for p in members],
                    score=group.score,
                    explanation=group.factors,
                    source_proposal_id=members[0].pk,
                    model=model,
                    variant=variant,
                    is_group=True,
                )
            )
    else:
        model = _pair_model(program)
        items = [
            NewMentorship(
                mentors=[p.mentor],
                mentees=[p.mentee],
                score=p.score,
                explanation=p.factors,
                source_proposal_id=p.pk,
                model=model,
                variant=variant,
            )
            for p in kept
        ]
    created = mentorships_create(
        actor=actor,
        program=program,
        items=items,
        order_number=order_number,
        order_date=order_date,
    )
    run.published_at = timezone.now()
    run.save(update_fields=["published_at", "updated_at"])
    audit(
        actor=actor,
        action="matching.run_publish",
        obj=run,
        data={"mentorships": [m.pk for m in created]},
    )
    return created


@transaction.atomic
def exclusion_add(
    *, actor: Any, mentee: Person, mentor: Person, reason: str = ""
) -> MatchExclusion:
    """The curator's «never»: the mentor is never proposed to the mentee again."""
    _require_curator(actor, mentee.organization_id)
    if mentee.organization_id != mentor.organization_id:
        raise PermissionDenied(_("The person belongs to another organization."))
    exclusion, _created = MatchExclusion.objects.get_or_create(
        mentee=mentee,
        mentor=mentor,
        defaults={
            "organization_id": mentee.organization_id,
            "reason": reason,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit(actor=actor, action="matching.exclusion_add", obj=exclusion, person_id=mentee.pk)
    return exclusion


@transaction.atomic
def exclusion_remove(*, actor: Any, exclusion: MatchExclusion) -> None:
    _require_curator(actor, exclusion.organization_id)
    audit(
        actor=actor,
        action="matching.exclusion_remove",
        obj=exclusion,
        person_id=exclusion.mentee_id,
    )
    exclusion.delete()


# --- Self-matching ------------------------------------------------------------------------------


def _mentee_user_check(actor: Any, enrolment: Enrolment) -> None:
    access = access_for(actor)
    own = enrolment.person.user_id is not None and enrolment.person.user_id == access.user_id
    if not (own or access.is_curator_of(enrolment.organization_id)):
        raise PermissionDenied(_("Only the mentee or the curator may ask for a mentor."))


@transaction.atomic
def request_create(
    *, actor: Any, mentee: Enrolment, mentor: Enrolment, message: str = ""
) -> MentorRequest:
    """A mentee asks a mentor from their suggestions."""
    _mentee_user_check(actor, mentee)
    if mentee.role != EnrolmentRole.MENTEE or mentor.role != EnrolmentRole.MENTOR:
        raise ValidationError(_("Choose a mentor of the program."))
    if mentee.program_id != mentor.program_id:
        raise ValidationError(_("The mentor is in another program."))
    requests_expire(organization_id=mentee.organization_id)
    if mentee.pk in matched_mentee_ids(program=mentee.program):
        raise ValidationError(_("You already have a mentor in this program."))
    if MentorRequest.objects.filter(mentee=mentee, status=RequestStatus.PENDING).exists():
        raise ValidationError(
            _("You already have a request waiting for an answer; cancel it to ask another mentor.")
        )
    suggestion = suggestion_for_pair(enrolment=mentee, mentor=mentor)
    if suggestion is None:
        raise ValidationError(
            _("This mentor cannot take you: no free places, no consent or the pair is excluded.")
        )
    now = timezone.now()
    request = MentorRequest(
        organization_id=mentee.organization_id,
        program_id=mentee.program_id,
        mentee=mentee,
        mentor=mentor,
        message=message.strip(),
        score=round(suggestion.score, 6),
        factors=suggestion.factors,
        expires_at=now + dt.timedelta(days=request_expiry_days()),
    )
    request.full_clean()
    request.save()
    audit(actor=actor, action="matching.request_create", obj=request, person_id=mentee.person_id)
    return request


def requests_expire(*, now: dt.datetime | None = None, organization_id: int | None = None) -> int:
    """Mark pending requests past their date as expired; returns how many."""
    now = now or timezone.now()
    qs = MentorRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs.update(status=RequestStatus.EXPIRED, decided_at=now)


def _mentor_check(actor: Any, request: MentorRequest) -> None:
    access = access_for(actor)
    if request.mentor.person.user_id is None or request.mentor.person.user_id != access.user_id:
        raise PermissionDenied(_("Only the mentor may answer the request."))


def _pending(request: MentorRequest) -> MentorRequest:
    requests_expire(organization_id=request.organization_id)
    fresh = MentorRequest.objects.select_for_update().get(pk=request.pk)
    if fresh.status != RequestStatus.PENDING:
        raise ValidationError(
            _("The request is no longer waiting for an answer: %(status)s.")
            % {"status": fresh.get_status_display()}
        )
    return fresh


@transaction.atomic
def request_accept(*, actor: Any, request: MentorRequest) -> Mentorship:
    """The mentor accepts: a pair is formed at once, within the mentor's capacity."""
    _mentor_check(actor, request)
    fresh = _pending(request)
    mentee = Enrolment.objects.select_related("program", "person").get(pk=fresh.mentee_id)
    if mentee.pk in matched_mentee_ids(program=mentee.program):
        raise ValidationError(_("The mentee already has a mentor in this program."))
    mentor = Enrolment.objects.select_related("person").get(pk=fresh.mentor_id)
    mentorship = mentorships_create(
        actor=actor,
        program=mentee.program,
        items=[
            NewMentorship(
                mentors=[mentor],
                mentees=[mentee],
                score=fresh.score,
                explanation=fresh.factors,
                source_request_id=fresh.pk,
                model=_pair_model(mentee.program),
                variant=program_variant(mentee.program),
            )
        ],
    )[0]
    fresh.status = RequestStatus.ACCEPTED
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decided_at", "updated_at"])
    request.status = fresh.status
    audit(actor=actor, action="matching.request_accept", obj=fresh, person_id=mentee.person_id)
    return mentorship


@transaction.atomic
def request_decline(*, actor: Any, request: MentorRequest, reason: str = "") -> MentorRequest:
    _mentor_check(actor, request)
    fresh = _pending(request)
    fresh.status = RequestStatus.DECLINED
    fresh.decline_reason = reason.strip()[:500]
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decline_reason", "decided_at", "updated_at"])
    audit(actor=actor, action="matching.request_decline", obj=fresh)
    return fresh


@transaction.atomic
def request_cancel(*, actor: Any, request: MentorRequest) -> MentorRequest:
    _mentee_user_check(actor, request.mentee)
    fresh = _pending(request)
    fresh.status = RequestStatus.CANCELLED
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decided_at", "updated_at"])
    audit(actor=actor, action="matching.request_cancel", obj=fresh)
    return fresh
