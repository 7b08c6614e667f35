"""Object makers and POST bodies for the quickmentoring URLs (see tests/isolation.py).

The session is of new teachers and pupils (not the victim's mentor), its rotation generated; the
slot is a new teacher's, booked by the victim's pupil — so the victim's mentor sees neither the
session nor the booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nastavnik.quickmentoring.models import BookingStatus, FlashSlot, SpeedSeat
from nastavnik.quickmentoring.services import rotation_generate
from tests.conftest import Tenant
from tests.factories import PersonFactory
from tests.isolation import Maker, PostBody
from tests.quickmentoring.factories import booking, session_with_people, slot


def _session_id(tenant: Tenant) -> object:
    s = session_with_people(tenant, mentors=2, mentees=2, tables=2, rounds=2)
    rotation_generate(actor=tenant.curator, session=s)
    return s.pk


def _slot_id(tenant: Tenant) -> object:
    """A slot that has begun (so it may be marked held) with the pupil booked; the booking body
    books another person, which the slot's two seats allow."""
    s = slot(tenant, seats=2, starts_at=timezone.now() + dt.timedelta(days=1))
    booking(s, tenant.student)
    return s.pk


def _booking_id(tenant: Tenant) -> object:
    s = slot(tenant, starts_at=timezone.now() - dt.timedelta(hours=1))
    return booking(s, tenant.student, status=BookingStatus.HELD, held_at=timezone.now()).pk


OBJECT_MAKERS: dict[str, Maker] = {
    "session_id": Maker(_session_id),
    "slot_id": Maker(_slot_id),
    "booking_id": Maker(_booking_id),
}


def _participant_body(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    return {"person": str(victim.student.pk), "side": "mentee"}


def _wish_body(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    seat = SpeedSeat.objects.filter(session_id=values["session_id"]).first()
    assert seat is not None
    return {"author": str(seat.first_id), "wanted": [str(seat.second_id)]}


def _book_body(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """The curator books a pupil without a login onto the slot."""
    other = PersonFactory.create(organization=victim.organization)
    return {"person": str(other.pk)}


def _held_body(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    FlashSlot.objects.filter(pk=values["slot_id"]).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10)
    )
    return {}


POST_BODIES: dict[str, PostBody] = {
    "quickmentoring:participant_add": _participant_body,
    "quickmentoring:wishes": _wish_body,
    # The buttons carry no field: generate the rotation (again), cancel a slot, cancel a booking.
    "quickmentoring:rotation": lambda victim, values: {},
    "quickmentoring:flash_slot_cancel": lambda victim, values: {},
    "quickmentoring:flash_book": _book_body,
    "quickmentoring:flash_held": _held_body,
    "quickmentoring:flash_feedback": lambda victim, values: {
        "rating": "4",
        "feedback": "Разобрались с задачей",
    },
}

NO_FORM: set[str] = {
    "quickmentoring:session",
    "quickmentoring:session_print",
    "quickmentoring:session_pdf",
    # A session without a program proposes nothing; the button carries no field.
    "quickmentoring:proposals",
    # The booking maker's booking is held: the button carries no field and only a booked seat
    # is cancelled (tested in test_services).
    "quickmentoring:flash_booking_cancel",
}
