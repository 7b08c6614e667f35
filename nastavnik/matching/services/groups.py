"""The curator's changes to a run's groups: decisions, moving and removing members."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.core.audit import audit
from nastavnik.matching.engine.collective import score_team
from nastavnik.matching.engine.groups import score_group
from nastavnik.matching.engine.match import eligible_mentees
from nastavnik.matching.explanations import REASON_REMOVED, competency_names
from nastavnik.matching.features import Base
from nastavnik.matching.models import (
    MatchingRun,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
    ProposalState,
    Unmatched,
)
from nastavnik.matching.services._common import (
    MAX_GROUP_SIZE,
    _actor_user,
    _check_open,
    _collective_factors,
    _group_factors,
    _group_places,
    _group_set_state,
    _is_collective,
    _mentor_allowed,
    _rebuild_for,
    _refresh_figures,
    _require_curator,
    _run_for_decision,
)

logger = logging.getLogger(__name__)


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
    cols = tuple(j for _m, j in present)
    if _is_collective(group):
        cover = score_team(base.mentee_features, base.mentor_features, rows, cols)
        scores = cover.mentor_scores
        shared = cover.shared
    else:
        shared, scores = score_group(base.mentee_features, base.mentor_features, rows, cols)
    for (member, _j), score in zip(present, scores, strict=True):
        member.score = round(score, 6)
        member.save(update_fields=["score"])
    group.shared = [base.competency_ids[c] for c in shared]
    if _is_collective(group):
        ids = base.competency_ids
        group.score = round(cover.score, 6)
        group.factors = _collective_factors(
            group.score,
            deficits=[ids[c] for c in cover.deficits],
            covers=[
                (m.mentor_id, [ids[c] for c in cs])
                for (m, _j), cs in zip(present, cover.covers, strict=True)
            ],
            uncovered=[ids[c] for c in cover.uncovered],
            shared=group.shared,
            size=len(members),
        )
    else:
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


def _team_misses(base: Base, i: int, team: list[int]) -> list[int]:
    """The deficits of mentee ``i`` that some mentor of the base covers but the team does not
    (a collective group's team covers every deficit of its members that anyone can)."""
    competencies = base.mentor_features.competencies
    assert competencies is not None
    anyone = set(np.flatnonzero(np.asarray((competencies >= 1.0).sum(axis=0)).ravel() > 0).tolist())
    cover = score_team(base.mentee_features, base.mentor_features, (i,), tuple(team))
    return [base.competency_ids[c] for c in cover.uncovered if c in anyone]


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
    if _is_collective(target):
        cols = [j for m in team if (j := base.mentor_index.get(m.mentor_id)) is not None]
        missing = _team_misses(base, i, cols)
        if missing:
            names = competency_names(missing)
            raise ValidationError(
                _(
                    "The team of group № %(number)s does not cover every deficit of %(name)s: "
                    "%(deficits)s."
                )
                % {
                    "number": target.key,
                    "name": name,
                    "deficits": ", ".join(names.get(c, "?") for c in missing),
                }
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
