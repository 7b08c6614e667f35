"""iCalendar of one event and of the calendar, parsed back."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest

from nastavnik.events.models import Event
from tests.conftest import Tenant, login
from tests.events.factories import event

pytestmark = pytest.mark.django_db


def test_one_event_as_ics_in_the_organizations_time_zone(tenant_a: Tenant) -> None:
    tenant_a.organization.time_zone = "Asia/Yekaterinburg"
    tenant_a.organization.save()
    start = dt.datetime(2030, 3, 14, 15, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Yekaterinburg"))
    ev = event(
        tenant_a.organization,
        form="master_class",
        title="Приём «Кластер»",
        starts_at=start,
        duration_minutes=60,
        place="",
        link="https://meet.example.org/klaster",
        agenda="1. Показ\n2. Проба",
    )
    response = login(tenant_a.mentor).get(f"/events/{ev.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    [item] = cal.walk("VEVENT")
    assert str(item["summary"]) == "Мастер-класс: Приём «Кластер»"
    assert item.decoded("dtstart") == start
    assert str(item.decoded("dtstart").tzinfo) == "Asia/Yekaterinburg"
    assert item.decoded("dtend") - item.decoded("dtstart") == dt.timedelta(minutes=60)
    assert str(item["location"]) == "https://meet.example.org/klaster"
    assert "1. Показ" in str(item["description"])
    assert str(item["uid"]) == f"event-{ev.pk}@nastavnik"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Yekaterinburg"]


def test_the_calendar_export_lists_the_visible_events(tenant_a: Tenant, tenant_b: Tenant) -> None:
    mine = event(tenant_a.organization, title="Квик-настройка перед педсоветом")
    cancelled = event(tenant_a.organization, title="Отменён", status="cancelled")
    event(tenant_b.organization, title="Чужое")
    old = event(tenant_a.organization, title="Давнее", days=-200)
    response = login(tenant_a.mentor).get("/events/calendar.ics")
    cal = icalendar.Calendar.from_ical(response.content)
    found = {str(item["uid"]): str(item["status"]) for item in cal.walk("VEVENT")}
    assert found == {
        f"event-{mine.pk}@nastavnik": "CONFIRMED",
        f"event-{cancelled.pk}@nastavnik": "CANCELLED",
    }
    assert Event.objects.filter(pk=old.pk).exists()
