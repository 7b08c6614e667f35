"""Two bookings of the last seat at once on PostgreSQL, through two real connections: the count
of bookings is read under the slot's row lock, so only one of them is saved."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nastavnik.quickmentoring import services
from nastavnik.quickmentoring.models import FlashBooking
from tests.conftest import make_tenant
from tests.factories import PersonFactory
from tests.quickmentoring.factories import slot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


def test_two_bookings_of_one_seat_at_once_save_one(monkeypatch: Any) -> None:
    tenant = make_tenant("flash")
    s = slot(tenant, seats=1)
    first = PersonFactory.create(organization=tenant.organization)
    second = PersonFactory.create(organization=tenant.organization)
    # Both threads wait for each other right after counting the bookings: without the lock both
    # would count zero and both save; with it the second waits for the first's commit (the
    # barrier times out) and then counts one.
    barrier = threading.Barrier(2)
    original = services.booked_count

    def slow_count(slot_: Any) -> int:
        found = original(slot_)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return found

    monkeypatch.setattr(services, "booked_count", slow_count)
    outcomes: list[str] = []

    def book(person: Any) -> None:
        try:
            services.slot_book(actor=tenant.curator, slot=s, person=person)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert FlashBooking.objects.filter(slot=s).count() == 1
