"""A run of groups: groups formed by the engine and the kept groups of the previous run."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db import transaction

from nastavnik.matching.engine.collective import (
    TeamCover,
    form_collective_groups,
    score_team,
)
from nastavnik.matching.engine.features import MentorFeatures
from nastavnik.matching.engine.groups import form_groups, score_group
from nastavnik.matching.engine.match import eligible_mentees
from nastavnik.matching.features import Base, build_base, run_variant
from nastavnik.matching.group_selectors import group_prefetch
from nastavnik.matching.models import (
    KEPT_STATES,
    MatchingRun,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
    ProposalState,
    RunKind,
    Unmatched,
)
from nastavnik.matching.services._common import (
    GROUPING_COLLECTIVE,
    _collective_factors,
    _group_factors,
    _group_places,
    _is_collective,
    _mentor_allowed,
    _progress,
    _rejected_from,
)
from nastavnik.programs.models import Enrolment, Program

logger = logging.getLogger(__name__)


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
    # A collective group: what its team covers (engine columns) and the way back to competency
    # ids. None for a group on a shared deficit.
    cover: TeamCover | None = None
    competency_ids: list[int] | None = None

    @property
    def score(self) -> float:
        if self.cover is not None:
            return round(self.cover.score, 6)
        return round(self.scores[0], 6) if self.scores else 0.0

    def factors(self) -> Any:
        if self.cover is None or self.competency_ids is None:
            return _group_factors(
                self.score, self.competency_id, self.shared_ids, len(self.mentees)
            )
        ids = self.competency_ids
        return _collective_factors(
            self.score,
            deficits=[ids[c] for c in self.cover.deficits],
            covers=[
                (m.pk, [ids[c] for c in cs])
                for m, cs in zip(self.mentors, self.cover.covers, strict=True)
            ],
            uncovered=[ids[c] for c in self.cover.uncovered],
            shared=self.shared_ids,
            size=len(self.mentees),
        )


def _collective_draft(
    base: Base, rows: tuple[int, ...], cols: tuple[int, ...], cover: TeamCover, **decision: Any
) -> _GroupDraft:
    return _GroupDraft(
        mentees=[base.mentees[i] for i in rows],
        mentors=[base.mentors[j] for j in cols],
        scores=[float(x) for x in cover.mentor_scores],
        competency_id=None,
        shared_ids=[base.competency_ids[c] for c in cover.shared],
        cover=cover,
        competency_ids=list(base.competency_ids),
        **decision,
    )


def _group_base(run: MatchingRun, **kwargs: Any) -> Base:
    params = run.parameters
    return build_base(
        program=run.program,
        variant=run_variant(run.program, params.get("variant_id")),
        same_class=params.get("same_class", "indifferent"),
        require_format_match=bool(params.get("require_format_match")),
        **kwargs,
    )


def _execute_groups(run: MatchingRun, base: Base) -> None:
    """Groups with a team of mentors each: on shared deficits (the engine's ``form_groups``) or,
    with ``grouping="collective"``, mentees with different deficits and a team that covers them
    all (``form_collective_groups``).

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
        options: dict[str, Any] = {
            "min_size": int(params.get("min_size", 3)),
            "max_size": int(params.get("max_size", 8)),
            "team_size": int(params.get("team_size", 1)),
            "capacity_unit": "group" if run.program.group_counts_as_one_place else "mentee",
            "order": base.mentee_features.class_id,
            "prefer": params.get("prefer", "coverage"),
        }
        if params.get("grouping") == GROUPING_COLLECTIVE:
            collective = form_collective_groups(
                base.mentee_features, mentors, base.rules, **options
            )
            reasons = {i: r for i, r in enumerate(collective.reasons) if r is not None}
            drafts += [
                _collective_draft(base, group.members, group.mentors, group.cover)
                for group in collective.groups
            ]
        else:
            reasons = _shared_drafts(base, mentors, options, drafts)
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


def _shared_drafts(
    base: Base, mentors: MentorFeatures, options: dict[str, Any], drafts: list[_GroupDraft]
) -> dict[int, str]:
    """Groups on a shared deficit (the engine's ``form_groups``) added to ``drafts``; the reasons
    of the mentees left out."""
    grouping = form_groups(base.mentee_features, mentors, base.rules, **options)
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
    return reasons


def _store_groups(run: MatchingRun, drafts: list[_GroupDraft]) -> None:
    groups = [
        ProposalGroup(
            organization_id=run.organization_id,
            run=run,
            key=key,
            competency_id=d.competency_id,
            shared=d.shared_ids,
            score=d.score,
            factors=d.factors(),
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
        decision = {
            "state": group.state,
            "decided_by_id": group.decided_by_id,
            "decided_at": group.decided_at,
        }
        if _is_collective(group):
            cover = score_team(base.mentee_features, base.mentor_features, tuple(rows), tuple(cols))
            kept.append(_collective_draft(base, tuple(rows), tuple(cols), cover, **decision))
            continue
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
