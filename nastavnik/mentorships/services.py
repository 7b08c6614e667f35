"""Writes of mentoring pairs and groups.

``mentorships_create`` is the one place that creates mentorships; it enforces the mentors'
capacity under a row lock, so a mentor never uses more places than their capacity, whoever
creates the mentorship (the curator publishing a matching run, a mentor accepting a request).
A pair takes one place; a group one place of each of its mentors or one per mentee, as its
program says (``Program.group_counts_as_one_place``, ``models.mentor_places``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, actor_user, require_curator
from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.core.audit import audit
from nastavnik.mentorships.models import (
    TRANSITIONS,
    MemberRole,
    Mentorship,
    MentorshipMember,
    MentorshipStatus,
    mentor_places,
)
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.programs.models import Enrolment, EnrolmentRole, MentoringModel, Program, Variant


@dataclass
class NewMentorship:
    """What ``mentorships_create`` needs for one pair or group."""

    mentors: Sequence[Enrolment]
    mentees: Sequence[Enrolment]
    score: float | None = None
    explanation: list[Any] = field(default_factory=list)
    source_proposal_id: int | None = None
    source_request_id: int | None = None
    model: MentoringModel | None = None
    variant: Variant | None = None
    is_group: bool = False


def _is_group(item: NewMentorship) -> bool:
    return item.is_group or len(item.mentees) > 1 or len(item.mentors) > 1


def ensure_capacity(*, wanted: dict[int, int]) -> None:
    """Raise ValidationError if taking ``wanted[mentor enrolment id]`` more places of a mentor
    (``mentor_places``: a pair takes one, a group one or one per mentee, as the program says)
    exceeds their capacity. Locks the mentors' enrolment rows until the transaction ends."""
    if not wanted:
        return
    mentors = {
        e.pk: e
        for e in Enrolment.objects.select_for_update()
        .select_related("person")
        .filter(pk__in=list(wanted))
        .order_by("pk")
    }
    load = mentor_load(wanted)
    errors = []
    for enrolment_id, extra in sorted(wanted.items()):
        mentor = mentors[enrolment_id]
        if load[enrolment_id] + extra > mentor.capacity:
            errors.append(
                _(
                    "%(name)s has no free places: capacity %(capacity)s, already mentoring "
                    "%(load)s, %(extra)s more wanted."
                )
                % {
                    "name": mentor.person.full_name,
                    "capacity": mentor.capacity,
                    "load": load[enrolment_id],
                    "extra": extra,
                }
            )
    if errors:
        raise ValidationError(errors, code="capacity")


def _ensure_consent(enrolments: Sequence[Enrolment]) -> None:
    """No valid consent, no mentorship (152-ФЗ): the consent may have ended since enrolment."""
    ids = {e.person_id for e in enrolments}
    missing = ids - people_with_valid_consent(ids)
    if missing:
        names = sorted({e.person.full_name for e in enrolments if e.person_id in missing})
        raise ValidationError(
            _("No valid consent to the processing of personal data: %(names)s.")
            % {"names": ", ".join(names)},
            code="no_consent",
        )


def mentorships_create(
    *,
    actor: Actor,
    program: Program,
    items: Sequence[NewMentorship],
    status: str = MentorshipStatus.ACTIVE,
    started_on: dt.date | None = None,
    order_number: str = "",
    order_date: dt.date | None = None,
) -> list[Mentorship]:
    """Create pairs and groups in one transaction, never exceeding a mentor's capacity.

    The caller has checked the actor's right (a curator publishing, a mentor accepting a request).
    """
    with transaction.atomic():
        wanted: Counter[int] = Counter()
        seen_mentees: set[int] = set()
        for item in items:
            if not item.mentors or not item.mentees:
                raise ValidationError(_("A pair or group needs a mentor and a mentee."))
            for enrolment in item.mentors:
                if enrolment.program_id != program.pk or enrolment.role != EnrolmentRole.MENTOR:
                    raise ValidationError(_("The mentor is not in the program's base of mentors."))
                wanted[enrolment.pk] += mentor_places(
                    mentees=len(item.mentees),
                    is_group=_is_group(item),
                    group_counts_as_one_place=program.group_counts_as_one_place,
                )
            for enrolment in item.mentees:
                if enrolment.program_id != program.pk or enrolment.role != EnrolmentRole.MENTEE:
                    raise ValidationError(_("The mentee is not in the program's base of mentees."))
                if enrolment.pk in seen_mentees:
                    raise ValidationError(_("A mentee is in two pairs at once."))
                seen_mentees.add(enrolment.pk)
        _ensure_consent([e for item in items for e in (*item.mentors, *item.mentees)])
        ensure_capacity(wanted=dict(wanted))
        day = started_on or timezone.localdate()
        created = []
        for item in items:
            mentorship = Mentorship(
                organization_id=program.organization_id,
                program=program,
                model=item.model,
                variant=item.variant,
                is_group=_is_group(item),
                status=status,
                started_on=day if status == MentorshipStatus.ACTIVE else None,
                order_number=order_number,
                order_date=order_date,
                score=item.score,
                explanation=item.explanation,
                source_proposal_id=item.source_proposal_id,
                source_request_id=item.source_request_id,
                created_by=actor_user(actor),
            )
            mentorship.full_clean()
            created.append(mentorship)
        Mentorship.objects.bulk_create(created)
        members = [
            MentorshipMember(
                organization_id=program.organization_id,
                mentorship=mentorship,
                enrolment=enrolment,
                person_id=enrolment.person_id,
                role=role,
            )
            for mentorship, item in zip(created, items, strict=True)
            for role, group in (
                (MemberRole.MENTOR, item.mentors),
                (MemberRole.MENTEE, item.mentees),
            )
            for enrolment in group
        ]
        MentorshipMember.objects.bulk_create(members)
        audit(
            actor=actor,
            action="mentorship.create",
            organization_id=program.organization_id,
            message=_("%(count)s pairs and groups created.") % {"count": len(created)},
            data={"program": program.pk, "mentorships": [m.pk for m in created]},
        )
        return created


def mentorship_create(
    *,
    actor: Actor,
    program: Program,
    mentors: Sequence[Enrolment],
    mentees: Sequence[Enrolment],
    model: MentoringModel | None = None,
    variant: Variant | None = None,
) -> Mentorship:
    """The curator forms a pair or a group by hand."""
    require_curator(actor, program.organization_id)
    item = NewMentorship(mentors=mentors, mentees=mentees, model=model, variant=variant)
    return mentorships_create(actor=actor, program=program, items=[item])[0]


@transaction.atomic
def mentorship_set_status(
    *, actor: Actor, mentorship: Mentorship, status: str, reason: str = ""
) -> Mentorship:
    """Pause, resume, complete or dissolve (with a reason) a pair or group."""
    require_curator(actor, mentorship.organization_id)
    if status not in TRANSITIONS.get(mentorship.status, ()):
        raise ValidationError(
            _("A pair or group that is «%(current)s» cannot become «%(new)s».")
            % {
                "current": mentorship.get_status_display(),
                "new": MentorshipStatus(status).label
                if status in MentorshipStatus.values
                else status,
            }
        )
    reason = reason.strip()
    if status == MentorshipStatus.DISSOLVED and not reason:
        raise ValidationError({"reason": _("Say why the pair or group is dissolved.")})
    if status == MentorshipStatus.ACTIVE:
        # A proposed or paused mentorship already counts towards the load: nothing to reserve.
        mentorship.started_on = mentorship.started_on or timezone.localdate()
    if status in (MentorshipStatus.COMPLETED, MentorshipStatus.DISSOLVED):
        mentorship.ended_on = timezone.localdate()
        mentorship.end_reason = reason
    previous = mentorship.status
    mentorship.status = status
    mentorship.full_clean()
    mentorship.save()
    audit(
        actor=actor,
        action="mentorship.status",
        obj=mentorship,
        message=reason,
        data={"from": previous, "to": status},
    )
    return mentorship


@transaction.atomic
def mentorship_set_order(
    *, actor: Actor, program: Program, number: str, date: dt.date, mentorship_ids: Sequence[int]
) -> int:
    """Record the order (приказ) that fixed the program's pairs and groups."""
    require_curator(actor, program.organization_id)
    count = Mentorship.objects.filter(program=program, pk__in=list(mentorship_ids)).update(
        order_number=number.strip(), order_date=date
    )
    audit(
        actor=actor,
        action="mentorship.order",
        organization_id=program.organization_id,
        data={"program": program.pk, "number": number, "date": date.isoformat()},
    )
    return count
