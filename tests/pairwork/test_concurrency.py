"""Two bookings at once on PostgreSQL, through two real connections: the overlap check runs under
a lock of the pair's people, so only one of two overlapping meetings of one mentor is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nastavnik.pairwork import services
from nastavnik.pairwork.models import Meeting
from tests.concurrency import ON_POSTGRES, at_once, meet_after
from tests.conftest import make_tenant
from tests.factories import PersonFactory
from tests.pairwork.factories import working_pair

pytestmark = [pytest.mark.django_db(transaction=True), ON_POSTGRES]


def test_two_overlapping_bookings_at_once_save_one(monkeypatch: Any) -> None:
    tenant = make_tenant("race")
    first = working_pair(tenant)
    second = working_pair(tenant, mentee=PersonFactory(organization=tenant.organization))
    start = timezone.now() + dt.timedelta(days=2)
    # Both wait for each other right after their overlap check: without the lock both pass it
    # and both save; with it the second waits for the first's commit (the meeting times out)
    # and then sees the first meeting.
    meet_after(monkeypatch, services, "_overlaps")

    def book(pair: Any, minutes: int) -> str:
        try:
            services.meeting_create(
                actor=tenant.mentor,
                mentorship=pair,
                starts_at=start + dt.timedelta(minutes=minutes),
                topic="Встреча",
            )
        except ValidationError:
            return "refused"
        return "saved"

    outcomes = at_once(lambda: book(first, 0), lambda: book(second, 20))
    assert sorted(outcomes) == ["refused", "saved"]
    assert Meeting.objects.count() == 1
