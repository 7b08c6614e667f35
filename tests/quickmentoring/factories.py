"""Builders of speed-mentoring sessions and flash slots for the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nastavnik.people.models import Person
from nastavnik.quickmentoring.models import (
    BookingStatus,
    FlashBooking,
    FlashSlot,
    SessionMode,
    Side,
    SlotStatus,
    SpeedParticipant,
    SpeedSession,
)
from tests.factories import PersonFactory, TeacherFactory


def session(tenant: Any, **kwargs: Any) -> SpeedSession:
    kwargs.setdefault("title", "Быстрые встречи наставников")
    kwargs.setdefault("mode", SessionMode.BIPARTITE)
    kwargs.setdefault("tables", 2)
    kwargs.setdefault("rounds", 3)
    kwargs.setdefault("starts_at", timezone.now() + dt.timedelta(days=3))
    return SpeedSession.objects.create(organization=tenant.organization, **kwargs)


def participant(s: SpeedSession, person: Person, side: str) -> SpeedParticipant:
    return SpeedParticipant.objects.create(
        organization_id=s.organization_id, session=s, person=person, side=side
    )


def session_with_people(
    tenant: Any, *, mentors: int = 2, mentees: int = 3, **kwargs: Any
) -> SpeedSession:
    """A session of new teachers (mentors) and pupils (mentees) of the tenant, none of them the
    tenant's mentor or mentee."""
    s = session(tenant, **kwargs)
    for _ in range(mentors):
        participant(s, TeacherFactory(organization=tenant.organization), Side.MENTOR)
    for _ in range(mentees):
        participant(s, PersonFactory(organization=tenant.organization), Side.MENTEE)
    return s


def slot(tenant: Any, *, expert: Person | None = None, **kwargs: Any) -> FlashSlot:
    kwargs.setdefault("topic", "Как готовиться к олимпиаде")
    kwargs.setdefault("starts_at", timezone.now() + dt.timedelta(days=2))
    kwargs.setdefault("status", SlotStatus.OPEN)
    return FlashSlot.objects.create(
        organization=tenant.organization,
        expert=expert or TeacherFactory(organization=tenant.organization),
        **kwargs,
    )


def booking(s: FlashSlot, person: Person, **kwargs: Any) -> FlashBooking:
    kwargs.setdefault("status", BookingStatus.BOOKED)
    return FlashBooking.objects.create(
        organization_id=s.organization_id, slot=s, person=person, **kwargs
    )
