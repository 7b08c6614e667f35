"""The curator's review of a run's pairs: decisions, the exchange of mentors, «never pair»."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.core.audit import audit
from nastavnik.matching.engine.match import eligible_mentees
from nastavnik.matching.engine.scoring import build_model
from nastavnik.matching.explanations import explain_pair, stored_factors
from nastavnik.matching.features import Base, weights_from
from nastavnik.matching.models import (
    MatchExclusion,
    MatchingRun,
    Proposal,
    ProposalGroup,
    ProposalState,
    RunKind,
)
from nastavnik.matching.services._common import (
    _check_open,
    _group_set_state,
    _mentor_allowed,
    _rebuild_for,
    _refresh_figures,
    _require_curator,
    _run_for_decision,
)
from nastavnik.people.models import Person
from nastavnik.programs.models import Enrolment

logger = logging.getLogger(__name__)


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

    Capacity is not touched: each mentor keeps the same number of mentees. Both new pairs are
    accepted: a re-run keeps them instead of proposing the engine's pairs again.
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
        # The curator chose both new pairs: they are a decision, kept by «Подобрать для остальных».
        proposal.state = ProposalState.ACCEPTED
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
def proposal_never(*, actor: Any, proposal: Proposal, reason: str = "") -> MatchExclusion:
    """«Never this pair»: the curator's exclusion for every future run and the proposal rejected,
    both or neither (a closed run leaves no exclusion behind)."""
    exclusion = exclusion_add(
        actor=actor, mentee=proposal.mentee.person, mentor=proposal.mentor.person, reason=reason
    )
    proposal_decide(actor=actor, proposal=proposal, state=ProposalState.REJECTED)
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
