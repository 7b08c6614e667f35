"""A withdrawn consent scrubs speed and flash mentoring (``quickmentoring_forget_person``, run
by ``consents.person_anonymize``): flash feedback text, coming bookings and offered slots; speed
wishes by or for the person, and their place in a session not yet generated; a generated
rotation keeps its seat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nastavnik.consents.services import person_anonymize
from nastavnik.quickmentoring.models import (
    BookingStatus,
    FlashBooking,
    SlotStatus,
    SpeedParticipant,
    SpeedSeat,
    SpeedWish,
)
from nastavnik.quickmentoring.services import rotation_generate
from tests.conftest import Tenant
from tests.quickmentoring.factories import booking, participant, session_with_people, slot

pytestmark = pytest.mark.django_db


def test_flash_bookings_feedback_and_slots(tenant_a: Tenant) -> None:
    person = tenant_a.mentor_person
    held = slot(tenant_a, starts_at=timezone.now() - dt.timedelta(days=2), status=SlotStatus.HELD)
    past = booking(
        held, person, status=BookingStatus.HELD, rating=5, feedback="Эксперт Сидоров помог"
    )
    other = booking(held, tenant_a.mentee_person, status=BookingStatus.HELD, feedback="Полезно")
    coming = booking(slot(tenant_a), person)
    offered = slot(tenant_a, expert=person)

    person_anonymize(actor=tenant_a.curator, person=person)

    past.refresh_from_db()
    assert (past.feedback, past.rating, past.status) == ("", 5, BookingStatus.HELD)
    assert FlashBooking.objects.get(pk=other.pk).feedback == "Полезно"
    assert FlashBooking.objects.get(pk=coming.pk).status == BookingStatus.CANCELLED
    offered.refresh_from_db()
    assert offered.status == SlotStatus.CANCELLED


def test_speed_wishes_and_participants(tenant_a: Tenant) -> None:
    person = tenant_a.mentor_person
    generated = session_with_people(tenant_a, mentors=1, mentees=2, tables=1, rounds=2)
    me = participant(generated, person, "mentor")
    rotation_generate(actor=tenant_a.curator, session=generated)
    others = list(SpeedParticipant.objects.filter(session=generated).exclude(pk=me.pk))
    mentee = next(p for p in others if p.side == "mentee")
    SpeedWish.objects.create(
        organization=tenant_a.organization, session=generated, author=me, wanted=mentee
    )
    SpeedWish.objects.create(
        organization=tenant_a.organization, session=generated, author=mentee, wanted=me
    )
    kept = SpeedWish.objects.create(
        organization=tenant_a.organization,
        session=generated,
        author=mentee,
        wanted=next(p for p in others if p.side == "mentor"),
    )
    planned = session_with_people(tenant_a, mentors=1, mentees=1)
    participant(planned, person, "mentor")
    seats = SpeedSeat.objects.filter(session=generated).count()

    person_anonymize(actor=tenant_a.curator, person=person)

    assert list(SpeedWish.objects.all()) == [kept]
    assert not SpeedParticipant.objects.filter(session=planned, person=person).exists()
    assert SpeedParticipant.objects.filter(pk=me.pk).exists()
    assert SpeedSeat.objects.filter(session=generated).count() == seats
    person.refresh_from_db()
    assert person.anonymized_at is not None
