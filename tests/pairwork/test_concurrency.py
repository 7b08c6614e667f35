"""Two bookings at once on PostgreSQL, through two real connections: the overlap check runs under
a lock of the pair's people, so only one of two overlapping meetings of one mentor is saved."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from nastavnik.pairwork import services
from nastavnik.pairwork.models import Meeting
from tests.conftest import make_tenant
from tests.factories import PersonFactory
from tests.pairwork.factories import working_pair

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


def test_two_overlapping_bookings_at_once_save_one(monkeypatch: Any) -> None:
    tenant = make_tenant("race")
    first = working_pair(tenant)
    second = working_pair(tenant, mentee=PersonFactory(organization=tenant.organization))
    start = timezone.now() + dt.timedelta(days=2)
    # Both threads wait for each other right after their overlap check: without the lock both
    # pass it and both save; with it the second waits for the first's commit (the barrier times
    # out) and then sees the first meeting.
    barrier = threading.Barrier(2)
    original = services._overlaps

    def slow_overlaps(**kwargs: Any) -> list[Meeting]:
        found = original(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return found

    monkeypatch.setattr(services, "_overlaps", slow_overlaps)
    outcomes: list[str] = []

    def book(pair: Any, minutes: int) -> None:
        try:
            services.meeting_create(
                actor=tenant.mentor,
                mentorship=pair,
                starts_at=start + dt.timedelta(minutes=minutes),
                topic="Встреча",
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(first, 0)),
        threading.Thread(target=book, args=(second, 20)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert Meeting.objects.count() == 1
