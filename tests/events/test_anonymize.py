"""A withdrawn consent scrubs the events (``events_forget_person``, run by
``consents.person_anonymize``): a registration for an event to come is cancelled and frees the
seat, a past one stays for the attendance; the feedback's text goes, its rating stays."""

from __future__ import annotations

import pytest

from nastavnik.consents.services import person_anonymize
from nastavnik.events import selectors
from nastavnik.events.models import Feedback, Registration
from tests.conftest import Tenant
from tests.events.factories import event, registration

pytestmark = pytest.mark.django_db


def test_registrations_and_feedback_of_an_anonymized_person(tenant_a: Tenant) -> None:
    coming = event(tenant_a.organization, seat_limit=2)
    past = event(tenant_a.organization, days=-3)
    registration(coming, tenant_a.mentor)
    registration(coming, tenant_a.mentee)
    registration(past, tenant_a.mentor, attended=True)
    registration(past, tenant_a.mentee, attended=True)
    for user, text in ((tenant_a.mentor, "Спасибо, Петрова объяснила всё"), (tenant_a.mentee, "")):
        Feedback.objects.create(
            organization=tenant_a.organization, event=past, user=user, rating=4, text=text
        )
    Feedback.objects.filter(user=tenant_a.mentee).update(text="Полезно")

    person_anonymize(actor=tenant_a.curator, person=tenant_a.mentor_person)

    assert selectors.active_count(coming) == 1
    assert Registration.objects.get(event=coming, user=tenant_a.mentor).cancelled_at is not None
    assert Registration.objects.get(event=coming, user=tenant_a.mentee).cancelled_at is None
    kept = Registration.objects.get(event=past, user=tenant_a.mentor)
    assert (kept.cancelled_at, kept.attended) == (None, True)
    theirs = Feedback.objects.get(event=past, user=tenant_a.mentor)
    assert (theirs.text, theirs.rating) == ("", 4)
    assert Feedback.objects.get(event=past, user=tenant_a.mentee).text == "Полезно"
    summary = selectors.feedback_summary(user=tenant_a.curator, event=past)
    assert (summary.count, summary.mean) == (2, 4.0)
