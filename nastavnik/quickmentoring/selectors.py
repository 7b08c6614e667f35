"""Reads of speed and flash mentoring, scoped to the acting user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.access import Actor, access_for
from nastavnik.core.calendar import CalendarItem
from nastavnik.core.selectors import get_visible
from nastavnik.quickmentoring.models import (
    BookingStatus,
    FlashBooking,
    FlashSlot,
    SlotStatus,
    SpeedParticipant,
    SpeedSeat,
    SpeedSession,
    SpeedWish,
)


def session_list(*, user: Actor) -> QuerySet[SpeedSession]:
    """The sessions of the organizations the user runs (curator or head)."""
    return SpeedSession.objects.staff_view(user).select_related("organization", "program")


def _participating(user: Actor) -> QuerySet[SpeedSession]:
    access = access_for(user)
    return SpeedSession.objects.member_view(user).filter(
        participants__person__user_id=access.user_id or 0
    )


def session_get(*, user: Actor, session_id: int) -> tuple[SpeedSession, SpeedParticipant | None]:
    """A session the user runs (participant None) or takes part in (their participant row)."""
    staff = session_list(user=user).filter(pk=session_id).first()
    if staff is not None:
        return staff, None
    session = get_visible(_participating(user).select_related("organization"), pk=session_id)
    me = SpeedParticipant.objects.select_related("person").get(
        session=session, person__user_id=access_for(user).user_id or 0
    )
    return session, me


@dataclass
class Schedule:
    """A rotation read for printing: by round, by table and by person."""

    rounds: list[list[SpeedSeat]] = field(default_factory=list)
    by_table: dict[int, list[SpeedSeat]] = field(default_factory=dict)
    by_person: list[
        tuple[SpeedParticipant, list[tuple[int, int | None, SpeedParticipant | None]]]
    ] = field(default_factory=list)


def schedule(session: SpeedSession, *, only: SpeedParticipant | None = None) -> Schedule:
    """The session's rotation (the caller has the session from ``session_get``); with ``only``
    just that participant's rounds."""
    seats = list(
        SpeedSeat.objects.filter(session=session).select_related("first__person", "second__person")
    )
    participants = list(SpeedParticipant.objects.filter(session=session).select_related("person"))
    if only is not None:
        participants = [p for p in participants if p.pk == only.pk]
        seats = [s for s in seats if only.pk in (s.first_id, s.second_id)]
    result = Schedule()
    by_round: dict[int, list[SpeedSeat]] = defaultdict(list)
    by_table: dict[int, list[SpeedSeat]] = defaultdict(list)
    where: dict[tuple[int, int], tuple[int, SpeedParticipant]] = {}
    for seat in seats:
        by_round[seat.round_number].append(seat)
        by_table[seat.table_number].append(seat)
        where[(seat.first_id, seat.round_number)] = (seat.table_number, seat.second)
        where[(seat.second_id, seat.round_number)] = (seat.table_number, seat.first)
    if seats:
        result.rounds = [by_round[r] for r in range(1, session.rounds + 1)]
        result.by_table = dict(sorted(by_table.items()))
        for p in participants:
            rows: list[tuple[int, int | None, SpeedParticipant | None]] = []
            for r in range(1, session.rounds + 1):
                table, other = where.get((p.pk, r), (None, None))
                rows.append((r, table, other))
            result.by_person.append((p, rows))
    return result


def participants(session: SpeedSession) -> list[SpeedParticipant]:
    return list(SpeedParticipant.objects.filter(session=session).select_related("person"))


def wishes(session: SpeedSession) -> list[SpeedWish]:
    return list(
        SpeedWish.objects.filter(session=session).select_related(
            "author__person", "wanted__person", "mentorship"
        )
    )


def met_with(session: SpeedSession, participant: SpeedParticipant) -> list[SpeedParticipant]:
    """Whom the participant sat with (the choices of their wishes)."""
    ids = set()
    for first_id, second_id in (
        SpeedSeat.objects.filter(session=session)
        .filter(Q(first=participant) | Q(second=participant))
        .values_list("first_id", "second_id")
    ):
        ids.add(second_id if first_id == participant.pk else first_id)
    return list(SpeedParticipant.objects.filter(pk__in=ids).select_related("person"))


# --- flash --------------------------------------------------------------------------------------


def slot_list(*, user: Actor) -> QuerySet[FlashSlot]:
    """Coming open slots of the user's organizations with their count of bookings."""
    return (
        FlashSlot.objects.member_view(user)
        .filter(status=SlotStatus.OPEN, starts_at__gt=timezone.now())
        .select_related("expert", "organization")
        .annotate(taken=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
    )


def slot_get(*, user: Actor, slot_id: int) -> FlashSlot:
    return get_visible(FlashSlot.objects.member_view(user).select_related("expert"), pk=slot_id)


def my_bookings(*, user: Actor) -> QuerySet[FlashBooking]:
    access = access_for(user)
    return (
        FlashBooking.objects.member_view(user)
        .filter(person__user_id=access.user_id or 0)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot__expert")
        .order_by("-slot__starts_at")
    )


def my_slots(*, user: Actor) -> QuerySet[FlashSlot]:
    """The user's own slots as an expert (with every booking), newest first."""
    access = access_for(user)
    return (
        FlashSlot.objects.member_view(user)
        .filter(expert__user_id=access.user_id or 0)
        .prefetch_related("bookings__person")
        .order_by("-starts_at")
    )


def booking_get(*, user: Actor, booking_id: int) -> FlashBooking:
    """A booking the user made, or of a slot the user gives, or (curators) of their
    organization."""
    access = access_for(user)
    qs = FlashBooking.objects.member_view(user).filter(
        Q(person__user_id=access.user_id or 0)
        | Q(slot__expert__user_id=access.user_id or 0)
        | Q(organization_id__in=access.staff_org_ids)
    )
    if access.is_admin:
        qs = FlashBooking.objects.all()
    return get_visible(qs.select_related("slot", "person"), pk=booking_id)


def managed_slot_get(*, user: Actor, slot_id: int) -> FlashSlot:
    """A slot the user gives, or one of an organization the user runs."""
    access = access_for(user)
    qs = FlashSlot.objects.member_view(user)
    if not access.is_admin:
        qs = qs.filter(
            Q(expert__user_id=access.user_id or 0) | Q(organization_id__in=access.staff_org_ids)
        )
    return get_visible(qs.select_related("expert"), pk=slot_id)


# --- calendar -----------------------------------------------------------------------------------


def calendar_sessions(actor: Actor, start: dt.datetime, end: dt.datetime) -> list[CalendarItem]:
    found = (session_list(user=actor) | _participating(actor)).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    return [
        CalendarItem(
            title=s.title,
            start=s.starts_at,
            end=s.starts_at + dt.timedelta(minutes=s.rounds * s.round_minutes),
            url=reverse("quickmentoring:session", kwargs={"session_id": s.pk}),
            kind=_("speed mentoring"),
            organization_id=s.organization_id,
        )
        for s in found.distinct()
    ]


def calendar_slots(actor: Actor, start: dt.datetime, end: dt.datetime) -> list[CalendarItem]:
    found = (
        FlashSlot.objects.member_view(actor)
        .exclude(status=SlotStatus.CANCELLED)
        .filter(starts_at__gte=start, starts_at__lt=end)
    )
    return [
        CalendarItem(
            title=s.topic,
            start=s.starts_at,
            end=s.starts_at + dt.timedelta(minutes=s.duration_minutes),
            url=reverse("quickmentoring:flash"),
            kind=_("flash mentoring"),
            organization_id=s.organization_id,
        )
        for s in found
    ]
