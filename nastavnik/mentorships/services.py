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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.accounts.access import Actor, actor_user, require_curator
from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.core.audit import audit
from nastavnik.core.models import AuditEntry
from nastavnik.mentorships.models import (
    LOAD_STATUSES,
    TRANSITIONS,
    EndCause,
    MemberRole,
    Mentorship,
    MentorshipMember,
    MentorshipStatus,
    MentorshipStatusChange,
    mentor_places,
    next_number,
)
from nastavnik.mentorships.selectors import matched_mentee_ids, mentor_load
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


def _lock_enrolments(ids: set[int]) -> dict[int, Enrolment]:
    """Lock the enrolment rows of mentors and mentees in one statement, in id order: every path
    that forms a pair or group (and ``programs.services`` counting a program's places) locks
    enrolments by ascending id, so two of them never wait for each other in a circle."""
    return {
        e.pk: e
        for e in Enrolment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=sorted(ids))
        .order_by("pk")
    }


def ensure_capacity(*, wanted: dict[int, int]) -> None:
    """Raise ValidationError if taking ``wanted[mentor enrolment id]`` more places of a mentor
    (``mentor_places``: a pair takes one, a group one or one per mentee, as the program says)
    exceeds their capacity. Locks the mentors' enrolment rows until the transaction ends."""
    if not wanted:
        return
    mentors = _lock_enrolments(set(wanted))
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


def ensure_mentees_free(*, program: Program, mentee_ids: set[int]) -> None:
    """Raise ValidationError if a mentee enrolment already is in an open (proposed, active or
    paused) pair or group of the program. The caller holds the enrolments' row locks, so the
    answer holds until its transaction ends."""
    taken = mentee_ids & matched_mentee_ids(program=program)
    if taken:
        names = sorted(
            e.person.full_name
            for e in Enrolment.objects.select_related("person").filter(pk__in=taken)
        )
        raise ValidationError(
            ngettext(
                "%(names)s is already in a pair or group of this program.",
                "%(names)s are already in pairs or groups of this program.",
                len(names),
            )
            % {"names": ", ".join(names)},
            code="mentee_taken",
        )


def _variant(item: NewMentorship) -> Variant | None:
    """The variant of the mentees' enrolments when they share one, else the caller's."""
    found = {e.variant_id for e in item.mentees}
    if len(found) == 1 and None not in found:
        mentee = item.mentees[0]
        return mentee.variant if mentee.variant_id is not None else None
    return item.variant


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
        # Locks: the enrolments of everyone involved (ascending ids, one statement), then the
        # program (its numbers). Both checks below read committed rows after the locks.
        _lock_enrolments(set(wanted) | seen_mentees)
        Program.objects.select_for_update(no_key=True).filter(pk=program.pk).first()
        ensure_mentees_free(program=program, mentee_ids=seen_mentees)
        ensure_capacity(wanted=dict(wanted))
        day = started_on or timezone.localdate()
        number = next_number(program.pk)
        created = []
        for offset, item in enumerate(items):
            mentorship = Mentorship(
                organization_id=program.organization_id,
                program=program,
                number=number + offset,
                model=item.model,
                variant=_variant(item),
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
        by = actor_user(actor)
        MentorshipStatusChange.objects.bulk_create(
            MentorshipStatusChange(
                organization_id=program.organization_id,
                mentorship=mentorship,
                from_status="",
                to_status=status,
                changed_by=by,
            )
            for mentorship in created
        )
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
    """Start, pause, resume, complete or dissolve a pair or group, always with a reason.

    Allowed moves are ``TRANSITIONS``; completed and dissolved are final. A completed pair (early
    or not) counts in the program's history, a dissolved one does not (``HISTORY_STATUSES``),
    and its mentee goes back to the base with priority for the next matching run
    (``selectors.rematch_priority_ids``)."""
    require_curator(actor, mentorship.organization_id)
    # Under the row lock, from the committed status: a pair completed meanwhile by
    # ``mentorships_complete`` (or another curator) is not changed twice.
    mentorship.status = (
        Mentorship.objects.select_for_update(of=("self",))
        .values_list("status", flat=True)
        .get(pk=mentorship.pk)
    )
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
    if not reason:
        # Every change of status says why: it stays in the pair's history.
        if status == MentorshipStatus.DISSOLVED:
            raise ValidationError({"reason": _("Say why the pair or group is dissolved.")})
        raise ValidationError({"reason": _("Say why the status of the pair or group changes.")})
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
    _history(mentorship, previous=previous, reason=reason, actor=actor)
    audit(
        actor=actor,
        action="mentorship.status",
        obj=mentorship,
        message=reason,
        data={"from": previous, "to": status},
    )
    return mentorship


# A pair or group a curator may complete (the end of the program, in one go).
COMPLETABLE: tuple[str, ...] = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)


@dataclass
class CompletedPairs:
    """What ``mentorships_complete`` did: the pairs it completed, and those it left alone because
    they were no longer active or paused when their row lock was taken."""

    completed: list[Mentorship]
    skipped: list[Mentorship]


def mentorships_complete(
    *, actor: Actor, program: Program, mentorships: Sequence[Mentorship], reason: str
) -> CompletedPairs:
    """Complete several pairs and groups of a program at once with one reason (the end of the
    program): each change written as ``mentorship_set_status`` writes it — the pair's end date and
    reason, a ``MentorshipStatusChange`` row, an audit row.

    One transaction; the rows are locked in ascending id order (one statement), so two curators
    completing overlapping selections never wait for each other in a circle, and a pair completed
    or dissolved meanwhile (by a single change, the other curator, a withdrawn consent) is reported
    in ``skipped`` and never changed twice."""
    require_curator(actor, program.organization_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the pairs and groups are completed.")})
    ids = sorted({m.pk for m in mentorships})
    if not ids:
        raise ValidationError(_("Choose at least one pair or group."))
    if any(m.program_id != program.pk for m in mentorships):
        raise ValidationError(_("A chosen pair or group is not of this program."))
    with transaction.atomic():
        locked = list(
            Mentorship.objects.select_for_update(of=("self",))
            .filter(program=program, pk__in=ids)
            .order_by("pk")
        )
        today = timezone.localdate()
        moment = timezone.now()
        done: list[Mentorship] = []
        skipped: list[Mentorship] = []
        previous: dict[int, str] = {}
        for mentorship in locked:
            if mentorship.status not in COMPLETABLE:
                skipped.append(mentorship)
                continue
            previous[mentorship.pk] = mentorship.status
            mentorship.status = MentorshipStatus.COMPLETED
            mentorship.ended_on = today
            mentorship.end_reason = reason
            mentorship.updated_at = moment
            mentorship.full_clean()
            done.append(mentorship)
        Mentorship.objects.bulk_update(
            done, ["status", "ended_on", "end_reason", "updated_at"], batch_size=500
        )
        by = actor_user(actor)
        MentorshipStatusChange.objects.bulk_create(
            (
                MentorshipStatusChange(
                    organization_id=m.organization_id,
                    mentorship=m,
                    from_status=previous[m.pk],
                    to_status=m.status,
                    reason=reason,
                    changed_by=by,
                )
                for m in done
            ),
            batch_size=500,
        )
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    actor=by,
                    organization_id=m.organization_id,
                    action="mentorship.status",
                    object_type=m._meta.label_lower,
                    object_id=str(m.pk),
                    message=reason,
                    data={"from": previous[m.pk], "to": m.status, "bulk": True},
                )
                for m in done
            ),
            batch_size=500,
        )
    return CompletedPairs(completed=done, skipped=skipped)


def _history(mentorship: Mentorship, *, previous: str, reason: str, actor: Any) -> None:
    MentorshipStatusChange.objects.create(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        from_status=previous,
        to_status=mentorship.status,
        reason=reason,
        changed_by=actor_user(actor),
    )


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


def mentorships_end_for_withdrawn_consent(person: Any) -> None:
    """The person's consent to processing is withdrawn (``consents`` anonymizes them and runs
    this hook inside its transaction): their open pairs and groups end with the cause «consent
    withdrawn» and free the mentors' places.

    An active or paused pair or group is completed (it counts in the history of the program); a
    proposed one, never started, is dissolved. In a group where others remain on the person's
    side (other mentees, or other mentors of its team), only the person leaves it.
    """
    rows = list(
        MentorshipMember.objects.select_related("mentorship")
        .filter(person=person, mentorship__status__in=LOAD_STATUSES)
        .order_by("mentorship_id")
    )
    if not rows:
        return
    locked = {
        m.pk: m
        for m in Mentorship.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted({r.mentorship_id for r in rows}))
        .order_by("pk")
    }
    cause = EndCause.CONSENT_WITHDRAWN
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(cause.label)
    today = timezone.localdate()
    for row in rows:
        mentorship = locked[row.mentorship_id]
        if mentorship.status not in LOAD_STATUSES:
            continue
        same_side = MentorshipMember.objects.filter(mentorship=mentorship, role=row.role).exclude(
            person=person
        )
        previous = mentorship.status
        if mentorship.is_group and same_side.exists():
            row.delete()
            _history(mentorship, previous=previous, reason=reason, actor=None)
            continue
        mentorship.status = (
            MentorshipStatus.DISSOLVED
            if previous == MentorshipStatus.PROPOSED
            else MentorshipStatus.COMPLETED
        )
        mentorship.ended_on = today
        mentorship.end_reason = reason
        mentorship.end_cause = cause
        mentorship.save(
            update_fields=["status", "ended_on", "end_reason", "end_cause", "updated_at"]
        )
        _history(mentorship, previous=previous, reason=reason, actor=None)
        audit(
            actor=None,
            action="mentorship.status",
            obj=mentorship,
            data={"from": previous, "to": mentorship.status, "cause": cause.value},
        )
