"""Who sees an event: its organization's members; members of the other organizations of its
municipality only when it is open to the municipality; never another municipality."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from nastavnik.core.calendar import calendar_items
from nastavnik.events import selectors, services
from nastavnik.events.models import Event, Registration
from tests.conftest import Tenant, login, make_tenant
from tests.events.factories import event, registration

pytestmark = pytest.mark.django_db


def test_another_organizations_event_is_404(tenant_a: Tenant, tenant_b: Tenant) -> None:
    ev = event(tenant_a.organization, open_to_municipality=True)
    outsider = login(tenant_b.curator)
    for url in (
        f"/events/{ev.pk}/",
        f"/events/{ev.pk}/event.ics",
        f"/events/{ev.pk}/feedback/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/events/{ev.pk}/register/").status_code == 404
    assert not Registration.objects.exists()
    assert login(tenant_a.mentor).get(f"/events/{ev.pk}/").status_code == 200
    assert "Участники" in login(tenant_a.curator).get(f"/events/{ev.pk}/").content.decode()


def test_open_to_the_municipality_reaches_its_other_organizations_only(tenant_a: Tenant) -> None:
    neighbour = make_tenant("neighbour", territory=tenant_a.organization.territory)
    far = make_tenant("far")
    closed = event(tenant_a.organization, title="Только для своих")
    shared = event(tenant_a.organization, title="Для муниципалитета", open_to_municipality=True)
    assert set(Event.objects.visible_to(neighbour.mentor)) == {shared}
    assert set(Event.objects.visible_to(far.mentor)) == set()
    assert set(Event.objects.visible_to(tenant_a.mentee)) == {closed, shared}
    # A neighbour registers for the shared event; the row belongs to the event's organization,
    # whose curator manages it; the neighbour's curator does not see it.
    services.registration_create(actor=neighbour.mentor, event=shared)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=neighbour.mentee, event=closed)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=far.mentor, event=shared)
    row = Registration.objects.get()
    assert row.organization_id == tenant_a.organization.pk
    assert [r.user_id for r in selectors.registrations(user=tenant_a.curator, event=shared)] == [
        neighbour.mentor.pk
    ]
    assert selectors.registrations(user=neighbour.curator, event=shared) == []
    # The neighbour's curator sees the event but does not manage it.
    page = login(neighbour.curator).get(f"/events/{shared.pk}/")
    assert page.status_code == 200
    assert "Участники" not in page.content.decode()  # the staff's list of participants
    assert login(neighbour.curator).post(f"/events/{shared.pk}/cancel/").status_code == 404
    assert login(neighbour.curator).get(f"/events/{closed.pk}/").status_code == 404


def test_anonymous_and_coordinators_see_no_event(tenant_a: Tenant, coordinator: object) -> None:
    from django.contrib.auth.models import AnonymousUser

    event(tenant_a.organization, open_to_municipality=True)
    assert not Event.objects.visible_to(AnonymousUser()).exists()
    assert not Event.objects.visible_to(coordinator).exists()


def test_the_calendar_registry_lists_visible_events_only(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    mine = event(tenant_a.organization, title="Мастер-класс А", form="master_class")
    event(tenant_b.organization, title="Мастер-класс Б", open_to_municipality=True)
    cancelled = event(tenant_a.organization, title="Отменённый", status="cancelled")
    start, end = timezone.now(), timezone.now() + dt.timedelta(days=30)
    items = calendar_items(tenant_a.mentor, start, end)
    titles = [item.title for item in items]
    assert "Мастер-класс А" in titles
    assert "Мастер-класс Б" not in titles
    # A cancelled event stays in the calendar, marked so (its participants look for it there).
    [gone] = [item for item in items if item.title == cancelled.title]
    assert gone.cancelled
    [item] = [item for item in items if item.title == mine.title]
    assert not item.cancelled
    assert item.url == f"/events/{mine.pk}/"
    assert item.end - item.start == dt.timedelta(minutes=mine.duration_minutes)
    assert item.organization_id == tenant_a.organization.pk


def test_staff_reads_of_registrations_and_feedback_stay_in_the_organization(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    ev = event(tenant_a.organization, days=-1)
    registration(ev, tenant_a.mentor, attended=True)
    services.feedback_leave(actor=tenant_a.mentor, event=ev, rating=4, text="Хорошо")
    summary = selectors.feedback_summary(user=tenant_a.curator, event=ev)
    assert (summary.count, summary.mean, summary.attended) == (1, 4.0, 1)
    other = selectors.feedback_summary(user=tenant_b.curator, event=ev)
    assert (other.count, other.items, other.attended) == (0, [], 0)
