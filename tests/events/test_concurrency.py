"""Two people take the last seat at once on PostgreSQL, through two real connections: the count
of taken seats runs under the event's row lock, so only one of them gets it."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nastavnik.events import services
from nastavnik.events.models import Event, Registration
from tests.conftest import make_tenant
from tests.events.factories import event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


def test_two_registrations_for_the_last_seat_at_once_save_one(monkeypatch: Any) -> None:
    tenant = make_tenant("race")
    ev = event(tenant.organization, seat_limit=1)
    # Both threads wait for each other right after counting the taken seats: without the lock
    # both count 0 and both save; with it the second waits for the first's commit (the barrier
    # times out) and then counts the first registration.
    barrier = threading.Barrier(2)
    original = services._seats_taken

    def slow_count(locked: Event) -> int:
        taken = original(locked)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return taken

    monkeypatch.setattr(services, "_seats_taken", slow_count)
    outcomes: list[str] = []

    def take(user: Any) -> None:
        try:
            services.registration_create(actor=user, event=Event.objects.get(pk=ev.pk))
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=take, args=(tenant.mentor,)),
        threading.Thread(target=take, args=(tenant.mentee,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "Все места (1) заняты: запись закрыта."]
    assert Registration.objects.filter(event_id=ev.pk).count() == 1
