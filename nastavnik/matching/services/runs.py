"""Runs: the checked parameters, queueing a run and executing it (pairs here, groups in
:mod:`group_runs`)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.core.audit import audit
from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.explain import PairExplanation
from nastavnik.matching.engine.match import eligible_mentees, eligible_mentors, match
from nastavnik.matching.explanations import stored_factors
from nastavnik.matching.features import (
    Base,
    base_variants,
    build_base,
    run_variant,
    weights_from,
)
from nastavnik.matching.models import (
    KEPT_STATES,
    MatchingRun,
    Prefer,
    Proposal,
    ProposalGroup,
    ProposalState,
    RunKind,
    RunStatus,
    Unmatched,
)
from nastavnik.matching.priority import priority_line, priority_locked
from nastavnik.matching.services._common import (
    GROUPING_SHARED,
    GROUPINGS,
    MAX_GROUP_SIZE,
    MAX_TEAM_SIZE,
    MAX_TOP_K,
    SAME_CLASS_CHOICES,
    _progress,
    _rejected_from,
    _require_curator,
)
from nastavnik.matching.services.group_runs import _execute_groups
from nastavnik.programs.models import Program, Variant

logger = logging.getLogger(__name__)

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
    variant = _chosen_variant(raw.get("variant_id"), program=program)
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
        grouping = raw.get("grouping") or GROUPING_SHARED
        if grouping not in GROUPINGS:
            raise ValidationError({"grouping": _("Choose how groups are formed.")})
        sizes = {
            "min_size": min_size,
            "max_size": max_size,
            "team_size": team_size,
            "grouping": grouping,
        }
    return {
        **sizes,
        "prefer": prefer,
        "top_k": top_k,
        "same_class": same_class,
        "weights": weights,
        "variant_id": variant.pk if variant else None,
        "require_format_match": bool(raw.get("require_format_match")),
    }


def _chosen_variant(raw: Any, *, program: Program) -> Variant | None:
    """The variant the curator chose, one the bases' enrolments have (any of the program's if
    no enrolment has a variant); none is «как в базе»."""
    if raw in (None, ""):
        return None
    try:
        variant_id = int(raw)
    except (TypeError, ValueError):
        variant_id = 0
    # Enrolments without variants contradict none of the program's own.
    allowed = base_variants(program) or list(program.variants.all())
    found = next((v for v in allowed if v.pk == variant_id), None)
    if found is None:
        raise ValidationError(
            {
                "variant_id": _(
                    "No enrolment in the program's bases has this variant: choose a variant of "
                    "the bases or «as in the base»."
                )
            }
        )
    return found


# --- Runs ---------------------------------------------------------------------------------------


def run_start(
    *,
    actor: Any,
    program: Program,
    parameters: Mapping[str, Any] | None = None,
    previous: MatchingRun | None = None,
) -> MatchingRun:
    """Queue a run; with ``previous``, its accepted and locked proposals are kept (re-run).

    The task is enqueued once the transaction commits, so a worker never looks for a run that is
    not there yet (or that a rollback removed).
    """
    with transaction.atomic():
        runs_close_interrupted(program=program)
        run = _run_create(actor=actor, program=program, parameters=parameters, previous=previous)
        transaction.on_commit(partial(_enqueue, run.pk))
    # Outside a transaction the task has been enqueued by now (an immediate backend has run it).
    run.refresh_from_db()
    return run


def runs_close_interrupted(*, program: Program) -> int:
    """Close the program's runs whose worker died mid-run (``MatchingRun.is_interrupted``):
    whatever such a run wrote before it died is removed and the run fails with the reason, so
    the list shows what happened and a new run starts clean. Returns how many were closed."""
    stale = [
        run
        for run in MatchingRun.objects.select_for_update().filter(
            program=program, status=RunStatus.RUNNING
        )
        if run.is_interrupted
    ]
    for run in stale:
        Proposal.objects.filter(run=run).delete()
        ProposalGroup.objects.filter(run=run).delete()
        Unmatched.objects.filter(run=run).delete()
        run.status = RunStatus.FAILED
        run.error_message = _(
            "The run was interrupted: its worker stopped before the end. Nothing of it was "
            "kept; start the matching again."
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error_message", "finished_at"])
    return len(stale)


def _enqueue(run_id: int) -> None:
    from nastavnik.matching.tasks import run_matching  # tasks import the services

    run_matching.enqueue(run_id=run_id)


def _run_create(
    *,
    actor: Any,
    program: Program,
    parameters: Mapping[str, Any] | None,
    previous: MatchingRun | None,
) -> MatchingRun:
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
    # The program's row is locked, so two curators starting runs at once get two numbers.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    last = MatchingRun.objects.filter(program=program).aggregate(last=Max("number"))["last"]
    run = MatchingRun.objects.create(
        organization_id=program.organization_id,
        program=program,
        number=(last or 0) + 1,
        kind=kind,
        parameters=clean,
        previous=previous,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor=actor, action="matching.run_start", obj=run, data={"program": program.pk})
    return run


def program_has_group_model(program: Program) -> bool:
    return any(m.is_group for m in program.models_used.all())


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


def _execute(run: MatchingRun) -> None:
    params = run.parameters
    program = run.program
    variant = run_variant(program, params.get("variant_id"))
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
    solve = partial(
        match,
        weights=weights_from(params.get("weights")),
        top_k=int(params.get("top_k", 50)),
        prefer=params.get("prefer", "score"),
    )
    # Mentees of dissolved pairs are matched first (``matching.priority``).
    locked = priority_locked(base, locked, solve)
    result = solve(base.mentee_features, base.mentor_features, base.rules, locked=locked)
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
                    )
                    + ([priority_line()] if mentee.pk in base.priority else []),
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
    run.certified = result.certified


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
