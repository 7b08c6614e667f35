"""Flash and speed mentoring for integrators, scoped like the pages
(``quickmentoring.selectors``): the coming open flash slots of the caller's organizations, a
slot with how many seats are booked (never by whom), the speed sessions the caller runs or takes
part in (with how many take part, never who). The one write: booking a seat of a flash slot,
for oneself or (a curator) for a person of the organization — ``services.slot_book``, decided
under the slot's row lock; an ``Idempotency-Key`` makes a retry safe."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import created, paginated
from nastavnik.people.selectors import person_get
from nastavnik.quickmentoring.models import FlashBooking, FlashSlot, SpeedParticipant, SpeedSession
from nastavnik.quickmentoring.selectors import session_get, session_list, slot_get, slot_list
from nastavnik.quickmentoring.services import booked_count, slot_book

router = Router(tags=["quickmentoring"])


class FlashSlotOut(Schema):
    id: int
    organization_id: int
    expert_id: int
    expert_name: str
    expert_kind: str
    topic: str
    description: str
    format: str
    place: str
    link: str
    starts_at: dt.datetime
    duration_minutes: int
    seats: int
    booked: int
    status: str

    @staticmethod
    def resolve_expert_name(obj: FlashSlot) -> str:
        return obj.expert.full_name

    @staticmethod
    def resolve_booked(obj: FlashSlot) -> int:
        taken = getattr(obj, "taken", None)
        return booked_count(obj) if taken is None else int(taken)


class BookingIn(Schema):
    """A seat of a flash slot: for the caller's own person, or (a curator) for ``person_id``."""

    slot_id: int
    person_id: int | None = None


class BookingOut(Schema):
    id: int
    slot_id: int
    person_id: int
    status: str
    booked_at: dt.datetime


class SpeedSessionOut(Schema):
    id: int
    organization_id: int
    title: str
    program_id: int | None
    mode: str
    tables: int
    rounds: int
    round_minutes: int
    starts_at: dt.datetime
    place: str
    rotation_generated: bool
    participants_count: int

    @staticmethod
    def resolve_rotation_generated(obj: SpeedSession) -> bool:
        return obj.generated_at is not None

    @staticmethod
    def resolve_participants_count(obj: SpeedSession) -> int:
        return SpeedParticipant.objects.filter(session=obj).count()


@router.get("/slots", response=list[FlashSlotOut])
@paginated
def list_slots(request: HttpRequest) -> object:
    """The coming open flash slots of the caller's organizations, soonest first."""
    return slot_list(user=request.user).order_by("starts_at", "pk")


@router.get("/slots/{flash_slot_id}", response=FlashSlotOut)
def get_slot(request: HttpRequest, flash_slot_id: int) -> object:
    return slot_get(user=request.user, slot_id=flash_slot_id)


@router.post("/bookings", response={201: BookingOut})
@created(BookingOut)
def book_slot(request: HttpRequest, payload: BookingIn) -> FlashBooking:
    """Book a seat (refused when the slot is cancelled, begun, full or already booked)."""
    slot = slot_get(user=request.user, slot_id=payload.slot_id)
    person = (
        person_get(user=request.user, person_id=payload.person_id)
        if payload.person_id is not None
        else None
    )
    return slot_book(actor=request.user, slot=slot, person=person)


@router.get("/sessions", response=list[SpeedSessionOut])
@paginated
def list_sessions(request: HttpRequest) -> object:
    """The speed-mentoring sessions of the organizations the caller runs, newest first."""
    return session_list(user=request.user).order_by("-starts_at", "-pk")


@router.get("/sessions/{session_id}", response=SpeedSessionOut)
def get_session(request: HttpRequest, session_id: int) -> object:
    """A session the caller runs or takes part in."""
    session, _me = session_get(user=request.user, session_id=session_id)
    return session
