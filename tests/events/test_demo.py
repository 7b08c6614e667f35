"""The demo's methodological work: a past seminar with attendance and feedback, a coming event
with registrations (one from the lyceum of the same municipality), a festival with jury scores."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from nastavnik.demo.registry import DemoContext
from nastavnik.events import selectors
from nastavnik.events.models import Event, Feedback, Registration, Score
from tests.conftest import DEMO_TEST_PASSWORD

PASSWORD = DEMO_TEST_PASSWORD


def test_the_demo_school_has_its_events(demo: DemoContext) -> None:
    school = demo.organizations["demo-school-1"]
    events = list(Event.objects.filter(organization=school))
    now = timezone.now()
    past = [e for e in events if e.starts_at < now and e.form == "seminar"]
    coming = [e for e in events if e.starts_at > now]
    [festival] = [e for e in events if e.form == "festival"]
    assert len(past) == 1
    assert len(coming) == 1
    assert Registration.objects.filter(event=past[0], attended=True).count() == 3
    assert Feedback.objects.filter(event=past[0]).count() == 3
    assert coming[0].open_to_municipality
    registered = set(
        Registration.objects.filter(event=coming[0]).values_list("user__username", flat=True)
    )
    assert "curator-lyceum" in registered
    assert len(registered) == 4
    curator = demo.curators["demo-school-1"]
    results = selectors.festival_results(user=curator, event=festival)
    assert len(results) == 2
    assert all(row.count == 3 and row.place for block in results for row in block.rows)
    assert Score.objects.filter(entry__nomination__event=festival).count() == 3 * sum(
        len(block.rows) for block in results
    )


def test_the_demo_pages_open(demo: DemoContext) -> None:
    client = Client()
    assert client.login(username="curator", password=PASSWORD)
    school = demo.organizations["demo-school-1"]
    for event in Event.objects.filter(organization=school):
        assert client.get(f"/events/{event.pk}/").status_code == 200
        if event.form == "festival":
            assert client.get(f"/events/{event.pk}/festival/").status_code == 200
    for url in ("/events/", "/events/planning/", "/events/contests/", "/events/forms/"):
        assert client.get(url).status_code == 200, url
