"""Writes of speed and flash mentoring: one transaction each, the right checked here, an audit
row. Bookings are decided under the slot's row lock, so two people never take its last seat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user, require_curator
from nastavnik.core.audit import audit
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.selectors import matched_mentee_ids
from nastavnik.mentorships.services import NewMentorship, mentorships_create
from nastavnik.organizations.models import Organization
from nastavnik.people.models import Person
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program
from nastavnik.quickmentoring.models import (
    BookingStatus,
    ExpertKind,
    FlashBooking,
    FlashSlot,
    SessionMode,
    Side,
    SlotFormat,
    SlotStatus,
    SpeedParticipant,
    SpeedSeat,
    SpeedSession,
    SpeedWish,
)
from nastavnik.quickmentoring.rotation import (
    RotationError,
    max_rounds_bipartite,
    max_rounds_peers,
    rotate_bipartite,
    rotate_peers,
)

# --- speed mentoring ----------------------------------------------------------------------------


def _rotation_message(error: RotationError) -> str:
    if error.code == "no_tables":
        return _("A session needs at least one table.")
    if error.code == "no_rounds":
        return _("A session needs at least one round.")
    if error.code == "too_few_people":
        return _("Too few participants: a meeting needs two people (a mentor and a mentee).")
    return _(
        "More rounds than possible meetings: after %(limit)s rounds every possible pair has "
        "already met."
    ) % {"limit": error.limit}


def session_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    mode: str,
    tables: int,
    rounds: int,
    starts_at: dt.datetime,
    round_minutes: int = 7,
    place: str = "",
    program: Program | None = None,
    with_bases: bool = False,
) -> SpeedSession:
    """A curator plans a session; with ``with_bases`` the program's mentors and mentees (every
    enrolment but the withdrawn) become its participants."""
    require_curator(actor, organization.pk)
    if program is not None and program.organization_id != organization.pk:
        raise ValidationError(_("The program belongs to another organization."))
    if tables < 1:
        raise ValidationError(_("A session needs at least one table."))
    with transaction.atomic():
        session = SpeedSession(
            organization=organization,
            title=title,
            mode=mode,
            tables=tables,
            rounds=rounds,
            starts_at=starts_at,
            round_minutes=round_minutes,
            place=place,
            program=program,
            created_by=actor_user(actor),
        )
        session.full_clean()
        session.save()
        if program is not None and with_bases:
            enrolments = (
                Enrolment.objects.filter(program=program)
                .exclude(status=EnrolmentStatus.WITHDRAWN)
                .select_related("person")
                .order_by("pk")
            )
            seen: set[int] = set()
            rows = []
            for e in enrolments:
                if e.person_id in seen:
                    continue
                seen.add(e.person_id)
                side = (
                    Side.PEER
                    if mode == SessionMode.PEERS
                    else (Side.MENTOR if e.role == EnrolmentRole.MENTOR else Side.MENTEE)
                )
                rows.append(
                    SpeedParticipant(
                        organization=organization,
                        session=session,
                        person=e.person,
                        side=side,
                        enrolment=e,
                    )
                )
            SpeedParticipant.objects.bulk_create(rows)
        audit(
            actor=actor,
            action="quickmentoring.session_create",
            obj=session,
            message=_("Speed-mentoring session «%(title)s» planned.") % {"title": title},
        )
    return session


def participant_add(
    *, actor: Actor, session: SpeedSession, person: Person, side: str
) -> SpeedParticipant:
    require_curator(actor, session.organization_id)
    if person.organization_id != session.organization_id:
        raise ValidationError(_("The person belongs to another organization."))
    if session.mode == SessionMode.PEERS:
        side = Side.PEER
    elif side not in (Side.MENTOR, Side.MENTEE):
        raise ValidationError(_("Choose whether the person comes as a mentor or a mentee."))
    enrolment = None
    if session.program_id is not None and side != Side.PEER:
        enrolment = Enrolment.objects.filter(
            program_id=session.program_id, person=person, role=side
        ).first()
    with transaction.atomic():
        SpeedSession.objects.select_for_update().filter(pk=session.pk).first()
        if SpeedParticipant.objects.filter(session=session, person=person).exists():
            raise ValidationError(_("%(name)s already takes part.") % {"name": person.full_name})
        participant = SpeedParticipant(
            organization_id=session.organization_id,
            session=session,
            person=person,
            side=side,
            enrolment=enrolment,
        )
        participant.full_clean()
        participant.save()
        audit(
            actor=actor,
            action="quickmentoring.participant_add",
            obj=session,
            person_id=person.pk,
            message=_("%(name)s joined the session.") % {"name": person.full_name},
        )
    return participant


def rotation_generate(
    *, actor: Actor, session: SpeedSession, rounds: int | None = None
) -> list[SpeedSeat]:
    """(Re)build the session's rotation from its participants, tables and rounds.

    ``rounds`` changes the session's number of rounds with it (kept only if the rotation is
    built): the curator learns how many rounds bring a new meeting once the participants are in,
    and a session planned with too many would otherwise never get its rotation."""
    require_curator(actor, session.organization_id)
    with transaction.atomic():
        session = SpeedSession.objects.select_for_update().get(pk=session.pk)
        if rounds is not None:
            session.rounds = rounds
            if rounds > 0:  # none at all is refused by the rotation, in its words
                others = [f.name for f in SpeedSession._meta.fields if f.name != "rounds"]
                session.clean_fields(exclude=others)
        participants = list(
            SpeedParticipant.objects.filter(session=session)
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        try:
            if session.mode == SessionMode.PEERS:
                rotation = rotate_peers(
                    people=len(participants), tables=session.tables, rounds=session.rounds
                )
                pairs = [
                    [(participants[p], participants[q]) for p, q in seating]
                    for seating in rotation.rounds
                ]
            else:
                mentors = [p for p in participants if p.side == Side.MENTOR]
                mentees = [p for p in participants if p.side == Side.MENTEE]
                rotation = rotate_bipartite(
                    mentors=len(mentors),
                    mentees=len(mentees),
                    tables=session.tables,
                    rounds=session.rounds,
                )
                pairs = [
                    [(mentors[m], mentees[e]) for m, e in seating] for seating in rotation.rounds
                ]
        except RotationError as error:
            raise ValidationError(_rotation_message(error), code=error.code) from error
        SpeedSeat.objects.filter(session=session).delete()
        seats = [
            SpeedSeat(
                organization_id=session.organization_id,
                session=session,
                round_number=r,
                table_number=t,
                first=first,
                second=second,
            )
            for r, seating in enumerate(pairs, start=1)
            for t, (first, second) in enumerate(seating, start=1)
        ]
        SpeedSeat.objects.bulk_create(seats)
        session.generated_at = timezone.now()
        session.save(update_fields=["generated_at", "rounds"])
        audit(
            actor=actor,
            action="quickmentoring.rotation",
            obj=session,
            message=_("Rotation generated: %(rounds)s rounds, %(meetings)s meetings.")
            % {"rounds": session.rounds, "meetings": len(seats)},
        )
    return seats


def rounds_limit(session: SpeedSession, participants: Sequence[SpeedParticipant]) -> int:
    """The most rounds with a new meeting for the session's participants and tables."""
    if session.mode == SessionMode.PEERS:
        return max_rounds_peers(people=len(participants), tables=session.tables)
    return max_rounds_bipartite(
        mentors=sum(p.side == Side.MENTOR for p in participants),
        mentees=sum(p.side == Side.MENTEE for p in participants),
        tables=session.tables,
    )


def wishes_set(
    *,
    actor: Actor,
    session: SpeedSession,
    author: SpeedParticipant,
    wanted: Sequence[SpeedParticipant],
) -> list[SpeedWish]:
    """Record whom ``author`` wants to continue with (replacing the earlier answer): the
    participant themselves or a curator. Only people the author met at a table may be named."""
    own = (
        access_for(actor).user_id is not None and author.person.user_id == access_for(actor).user_id
    )
    if not own:
        require_curator(actor, session.organization_id)
    if author.session_id != session.pk or any(w.session_id != session.pk for w in wanted):
        raise ValidationError(_("Only participants of this session can be named."))
    met = set()
    for first_id, second_id in SpeedSeat.objects.filter(session=session).values_list(
        "first_id", "second_id"
    ):
        met.add((first_id, second_id))
        met.add((second_id, first_id))
    for w in wanted:
        if (author.pk, w.pk) not in met:
            raise ValidationError(
                _("%(name)s did not sit at a table with this participant.")
                % {"name": w.person.full_name}
            )
    with transaction.atomic():
        SpeedWish.objects.filter(session=session, author=author).exclude(
            wanted__in=list(wanted)
        ).filter(mentorship__isnull=True).delete()
        existing = set(
            SpeedWish.objects.filter(session=session, author=author).values_list(
                "wanted_id", flat=True
            )
        )
        created = [
            SpeedWish(
                organization_id=session.organization_id, session=session, author=author, wanted=w
            )
            for w in wanted
            if w.pk not in existing
        ]
        SpeedWish.objects.bulk_create(created)
        audit(
            actor=actor,
            action="quickmentoring.wishes",
            obj=session,
            person_id=author.person_id,
            message=_("Wishes to continue recorded for %(name)s.")
            % {"name": author.person.full_name},
        )
    return created


def mutual_pairs(session: SpeedSession) -> list[tuple[SpeedParticipant, SpeedParticipant]]:
    """(mentor, mentee) participants who named each other; peers as (first, second)."""
    wishes = list(
        SpeedWish.objects.filter(session=session).select_related(
            "author__person", "wanted__person", "author__enrolment", "wanted__enrolment"
        )
    )
    by_pair = {(w.author_id, w.wanted_id): w for w in wishes}
    found = []
    for w in wishes:
        if (w.wanted_id, w.author_id) in by_pair and w.author_id < w.wanted_id:
            first, second = w.author, w.wanted
            if first.side == Side.MENTEE and second.side == Side.MENTOR:
                first, second = second, first
            found.append((first, second))
    return found


def proposals_make(*, actor: Actor, session: SpeedSession) -> tuple[list[Mentorship], list[str]]:
    """Mutual wishes of a mentor and a mentee of the session's program become pairs with the
    status «proposed» in that program (``mentorships_create``), which the curator reviews on
    the program's pairs page. Answers the pairs made and why the others were not."""
    require_curator(actor, session.organization_id)
    if session.program_id is None:
        raise ValidationError(_("Tie the session to a program first: pairs belong to a program."))
    program = Program.objects.get(pk=session.program_id)
    made: list[Mentorship] = []
    skipped: list[str] = []
    with transaction.atomic():
        SpeedSession.objects.select_for_update().filter(pk=session.pk).first()
        taken = matched_mentee_ids(program=program)
        done = set(
            SpeedWish.objects.filter(session=session, mentorship__isnull=False).values_list(
                "author_id", "wanted_id"
            )
        )
        for mentor, mentee in mutual_pairs(session):
            names = f"{mentor.person.full_name} — {mentee.person.full_name}"
            if (mentor.pk, mentee.pk) in done or (mentee.pk, mentor.pk) in done:
                continue
            mentor_e = _enrolment(program, mentor, EnrolmentRole.MENTOR)
            mentee_e = _enrolment(program, mentee, EnrolmentRole.MENTEE)
            if mentor_e is None or mentee_e is None:
                skipped.append(
                    _("%(names)s: not a mentor and a mentee of the program.") % {"names": names}
                )
                continue
            if mentee_e.pk in taken:
                skipped.append(
                    _("%(names)s: the mentee already has a pair in the program.") % {"names": names}
                )
                continue
            try:
                created = mentorships_create(
                    actor=actor,
                    program=program,
                    items=[NewMentorship(mentors=[mentor_e], mentees=[mentee_e])],
                    status=MentorshipStatus.PROPOSED,
                )
            except ValidationError as error:
                skipped.append(f"{names}: {' '.join(error.messages)}")
                continue
            taken.add(mentee_e.pk)
            made.extend(created)
            SpeedWish.objects.filter(
                session=session, author__in=[mentor, mentee], wanted__in=[mentor, mentee]
            ).update(mentorship=created[0])
        audit(
            actor=actor,
            action="quickmentoring.proposals",
            obj=session,
            message=_("%(count)s pairs proposed from mutual wishes.") % {"count": len(made)},
        )
    return made, skipped


def _enrolment(program: Program, participant: SpeedParticipant, role: str) -> Enrolment | None:
    e = participant.enrolment
    if e is not None and e.program_id == program.pk and e.role == role:
        return e
    return (
        Enrolment.objects.filter(program=program, person_id=participant.person_id, role=role)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )


# --- flash mentoring ----------------------------------------------------------------------------


def _own_person(actor: Actor, organization_id: int) -> Person | None:
    user_id = access_for(actor).user_id
    if user_id is None:
        return None
    return Person.objects.filter(user_id=user_id, organization_id=organization_id).first()


def _acting_person(
    actor: Actor,
    organization_id: int,
    person: Person | None,
    *,
    member_message: str,
    foreign_message: str,
) -> Person:
    """Whom a flash write is for: the actor's own person of the organization (``person`` None or
    their own), or, for a curator of the organization, another person of it.

    ``member_message``: the refusal of an actor outside the organization; ``foreign_message``:
    of a person of another organization."""
    access = access_for(actor)
    if organization_id not in access.member_org_ids and not access.is_admin:
        raise PermissionDenied(member_message)
    own = _own_person(actor, organization_id)
    if person is None or (own is not None and person.pk == own.pk):
        if own is None:
            raise ValidationError(_("Your login is not linked to a person of the organization."))
        return own
    require_curator(actor, organization_id)
    if person.organization_id != organization_id:
        raise ValidationError(foreign_message)
    return person


def slot_publish(
    *,
    actor: Actor,
    organization: Organization,
    topic: str,
    starts_at: dt.datetime,
    duration_minutes: int = 30,
    format: str = SlotFormat.IN_PERSON,
    place: str = "",
    link: str = "",
    seats: int = 1,
    description: str = "",
    expert_kind: str = ExpertKind.TEACHER,
    expert: Person | None = None,
) -> FlashSlot:
    """A member of the organization publishes a slot of their own; a curator may publish one
    for another adult of the organization (a graduate or an employer's specialist without a
    login)."""
    expert = _acting_person(
        actor,
        organization.pk,
        expert,
        member_message=_("Only a member of the organization may publish slots."),
        foreign_message=_("The expert belongs to another organization."),
    )
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("The slot starts in the past.")})
    if format == SlotFormat.ONLINE and not link:
        raise ValidationError({"link": _("An online slot needs a link.")})
    with transaction.atomic():
        slot = FlashSlot(
            organization=organization,
            expert=expert,
            expert_kind=expert_kind,
            topic=topic,
            description=description,
            format=format,
            place=place,
            link=link,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            seats=seats,
            created_by=actor_user(actor),
        )
        slot.full_clean()
        slot.save()
        audit(
            actor=actor,
            action="quickmentoring.slot_publish",
            obj=slot,
            person_id=expert.pk,
            message=_("Flash slot «%(topic)s» published.") % {"topic": topic},
        )
    return slot


def _may_manage(actor: Actor, slot: FlashSlot) -> bool:
    access = access_for(actor)
    if access.is_curator_of(slot.organization_id):
        return True
    own = _own_person(actor, slot.organization_id)
    return own is not None and own.pk == slot.expert_id


def _locked_slot(slot: FlashSlot) -> FlashSlot:
    return FlashSlot.objects.select_for_update().get(pk=slot.pk)


def booked_count(slot: FlashSlot) -> int:
    return FlashBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count()


def slot_book(*, actor: Actor, slot: FlashSlot, person: Person | None = None) -> FlashBooking:
    """Book a seat: oneself (a member of the organization), or a curator for a person of it.
    Decided under the slot's row lock: the count of bookings read after the lock holds until the
    commit, so a slot is never booked over its seats."""
    person = _acting_person(
        actor,
        slot.organization_id,
        person,
        member_message=_("Only members of the organization may book its slots."),
        foreign_message=_("The person belongs to another organization."),
    )
    with transaction.atomic():
        locked = _locked_slot(slot)
        if locked.status == SlotStatus.CANCELLED:
            raise ValidationError(_("The slot is cancelled."), code="cancelled")
        if locked.status == SlotStatus.HELD or locked.starts_at <= timezone.now():
            raise ValidationError(_("The slot has already begun."), code="past")
        if person.pk == locked.expert_id:
            raise ValidationError(_("The expert cannot book their own slot."))
        if FlashBooking.objects.filter(
            slot=locked, person=person, status=BookingStatus.BOOKED
        ).exists():
            raise ValidationError(
                _("%(name)s has already booked this slot.") % {"name": person.full_name}
            )
        if booked_count(locked) >= locked.seats:
            raise ValidationError(_("The slot is full."), code="full")
        booking = FlashBooking(organization_id=locked.organization_id, slot=locked, person=person)
        booking.full_clean()
        booking.save()
        audit(
            actor=actor,
            action="quickmentoring.book",
            obj=locked,
            person_id=person.pk,
            message=_("%(name)s booked «%(topic)s».")
            % {"name": person.full_name, "topic": locked.topic},
        )
    return booking


def booking_cancel(*, actor: Actor, booking: FlashBooking) -> None:
    """The person who booked, the expert or a curator frees the seat."""
    own = _own_person(actor, booking.organization_id)
    if not (own is not None and own.pk == booking.person_id) and not _may_manage(
        actor, booking.slot
    ):
        raise PermissionDenied(_("Only the person who booked, the expert or a curator may cancel."))
    with transaction.atomic():
        _locked_slot(booking.slot)
        booking.refresh_from_db()
        if booking.status != BookingStatus.BOOKED:
            raise ValidationError(_("Only a booked seat can be cancelled."))
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        audit(
            actor=actor,
            action="quickmentoring.booking_cancel",
            obj=booking,
            person_id=booking.person_id,
            message=_("Booking of «%(topic)s» cancelled.") % {"topic": booking.slot.topic},
        )


def slot_cancel(*, actor: Actor, slot: FlashSlot) -> None:
    if not _may_manage(actor, slot):
        raise PermissionDenied(_("Only the expert or a curator may cancel the slot."))
    with transaction.atomic():
        locked = _locked_slot(slot)
        if locked.status != SlotStatus.OPEN:
            raise ValidationError(_("Only an open slot can be cancelled."))
        locked.status = SlotStatus.CANCELLED
        locked.save(update_fields=["status"])
        FlashBooking.objects.filter(slot=locked, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED
        )
        audit(
            actor=actor,
            action="quickmentoring.slot_cancel",
            obj=locked,
            message=_("Flash slot «%(topic)s» cancelled.") % {"topic": locked.topic},
        )


def slot_mark_held(*, actor: Actor, slot: FlashSlot) -> int:
    """After its start the expert (or a curator) marks the slot held: each booking becomes the
    record of a one-meeting mentorship of the expert and that person. Answers their number."""
    if not _may_manage(actor, slot):
        raise PermissionDenied(_("Only the expert or a curator may mark the slot held."))
    with transaction.atomic():
        locked = _locked_slot(slot)
        if locked.status != SlotStatus.OPEN:
            raise ValidationError(_("Only an open slot can be marked held."))
        if locked.starts_at > timezone.now():
            raise ValidationError(_("The slot has not begun yet."))
        now = timezone.now()
        count = FlashBooking.objects.filter(slot=locked, status=BookingStatus.BOOKED).update(
            status=BookingStatus.HELD, held_at=now
        )
        if not count:
            raise ValidationError(_("Nobody booked the slot: cancel it instead."))
        locked.status = SlotStatus.HELD
        locked.save(update_fields=["status"])
        audit(
            actor=actor,
            action="quickmentoring.slot_held",
            obj=locked,
            message=_("Flash slot «%(topic)s» held with %(count)s people.")
            % {"topic": locked.topic, "count": count},
        )
    return count


def feedback_leave(
    *, actor: Actor, booking: FlashBooking, rating: int | None, feedback: str
) -> FlashBooking:
    """The person who came (or a curator, from a paper form) leaves a short feedback."""
    own = _own_person(actor, booking.organization_id)
    if not (own is not None and own.pk == booking.person_id):
        require_curator(actor, booking.organization_id)
    if booking.status != BookingStatus.HELD:
        raise ValidationError(_("Feedback is left after the meeting is held."))
    if not feedback.strip() and rating is None:
        raise ValidationError(_("Write a few words or give a mark."))
    with transaction.atomic():
        booking.rating = rating
        booking.feedback = feedback.strip()
        booking.feedback_at = timezone.now()
        booking.full_clean()
        booking.save(update_fields=["rating", "feedback", "feedback_at"])
        audit(
            actor=actor,
            action="quickmentoring.feedback",
            obj=booking,
            person_id=booking.person_id,
            message=_("Feedback on «%(topic)s» left.") % {"topic": booking.slot.topic},
        )
    return booking


def quickmentoring_forget_person(person: Person, *, now: dt.datetime | None = None) -> None:
    """The person's consent to processing is withdrawn (``consents`` runs this inside the
    anonymization, before the person's name is replaced).

    - Flash mentoring: the free text of their feedback is cleared (it may name people; the mark
      stays); their bookings of slots still to come are cancelled (the seat is freed), and so are
      the open slots they offered as an expert.
    - Speed mentoring: every wish to continue by or for them goes (a wish is about a person);
      from a session whose rotation is not generated yet they are removed; in a generated
      rotation they stay as a seat, under the anonymized name, so the others' schedule holds.
    """
    now = now or timezone.now()
    FlashBooking.objects.filter(person=person).exclude(feedback="").update(feedback="")
    FlashBooking.objects.filter(
        person=person, status=BookingStatus.BOOKED, slot__starts_at__gt=now
    ).update(status=BookingStatus.CANCELLED)
    FlashSlot.objects.filter(expert=person, status=SlotStatus.OPEN, starts_at__gt=now).update(
        status=SlotStatus.CANCELLED
    )
    mine = SpeedParticipant.objects.filter(person=person)
    SpeedWish.objects.filter(Q(author__in=mine) | Q(wanted__in=mine)).delete()
    mine.filter(session__generated_at__isnull=True).delete()
