"""Two bookings of the last seat at once on PostgreSQL, through two real connections: the count
of bookings is read under the slot's row lock, so only one of them is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nastavnik.quickmentoring import services
from nastavnik.quickmentoring.models import FlashBooking
from tests.concurrency import ON_POSTGRES, at_once, meet_after
from tests.conftest import make_tenant
from tests.factories import PersonFactory
from tests.quickmentoring.factories import slot

pytestmark = [pytest.mark.django_db(transaction=True), ON_POSTGRES]


def test_two_bookings_of_one_seat_at_once_save_one(monkeypatch: Any) -> None:
    tenant = make_tenant("flash")
    s = slot(tenant, seats=1)
    first = PersonFactory.create(organization=tenant.organization)
    second = PersonFactory.create(organization=tenant.organization)
    # Both wait for each other right after counting the bookings: without the lock both would
    # count zero and both save; with it the second waits for the first's commit (the meeting
    # times out) and then counts one.
    meet_after(monkeypatch, services, "booked_count")

    def book(person: Any) -> str:
        try:
            services.slot_book(actor=tenant.curator, slot=s, person=person)
        except ValidationError:
            return "refused"
        return "saved"

    outcomes = at_once(lambda: book(first), lambda: book(second))
    assert sorted(outcomes) == ["refused", "saved"]
    assert FlashBooking.objects.filter(slot=s).count() == 1
