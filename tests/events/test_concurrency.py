"""Two people take the last seat at once on PostgreSQL, through two real connections: the count
of taken seats runs under the event's row lock, so only one of them gets it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nastavnik.events import services
from nastavnik.events.models import Event, Registration
from tests.concurrency import ON_POSTGRES, at_once, meet_after
from tests.conftest import make_tenant
from tests.events.factories import event

pytestmark = [pytest.mark.django_db(transaction=True), ON_POSTGRES]


def test_two_registrations_for_the_last_seat_at_once_save_one(monkeypatch: Any) -> None:
    tenant = make_tenant("race")
    ev = event(tenant.organization, seat_limit=1)
    # Both wait for each other right after counting the taken seats: without the lock both
    # count 0 and both save; with it the second waits for the first's commit (the meeting
    # times out) and then counts the first registration.
    meet_after(monkeypatch, services, "_seats_taken")

    def take(user: Any) -> str:
        try:
            services.registration_create(actor=user, event=Event.objects.get(pk=ev.pk))
        except ValidationError as exc:
            return exc.messages[0]
        return "saved"

    outcomes = at_once(lambda: take(tenant.mentor), lambda: take(tenant.mentee))
    assert sorted(outcomes) == ["saved", "Все места (1) заняты: запись закрыта."]
    assert Registration.objects.filter(event_id=ev.pk).count() == 1
