"""Approval of a run: its accepted and kept pairs or groups become mentorships."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.core.audit import audit
from nastavnik.matching.features import program_variant, run_variant
from nastavnik.matching.group_selectors import group_prefetch
from nastavnik.matching.models import (
    KEPT_STATES,
    MatchingRun,
    Proposal,
    ProposalGroup,
    RunKind,
)
from nastavnik.matching.services._common import (
    _check_open,
    _group_model,
    _pair_model,
    _require_curator,
)
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.selectors import matched_mentee_ids
from nastavnik.mentorships.services import NewMentorship, mentorships_create
from nastavnik.programs.models import Program, Variant

logger = logging.getLogger(__name__)


def _variants(
    program: Program, chosen: int | None, kept: list[Proposal]
) -> Callable[[Proposal], Variant | None]:
    """The variant each new mentorship carries: the one the curator chose for the run, else
    («как в базе») the mentee's enrolment's, else the mentor's, else the program's only one."""
    if chosen is not None:
        variant = run_variant(program, chosen)
        return lambda _p: variant
    of_mentee = {p.mentee_id: p.mentee.variant_id for p in kept}
    of_mentor = {p.mentor_id: p.mentor.variant_id for p in kept}
    ids = {*of_mentee.values(), *of_mentor.values()} - {None}
    known = {v.pk: v for v in Variant.objects.filter(pk__in=ids)}
    fallback = program_variant(program)

    def variant_of(p: Proposal) -> Variant | None:
        found = of_mentee.get(p.mentee_id) or of_mentor.get(p.mentor_id)
        return known.get(found) if found else fallback

    return variant_of


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
    # Only the run's row: ``mentorships_create`` locks the enrolments before the program, so
    # locking the joined program here first would deadlock with a curator pairing by hand.
    run = (
        MatchingRun.objects.select_for_update(of=("self",)).select_related("program").get(pk=run.pk)
    )
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
    chosen = run.parameters.get("variant_id")
    variant_of = _variants(program, chosen, kept)
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
                    variant=variant_of(members[0]),
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
                variant=variant_of(p),
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
