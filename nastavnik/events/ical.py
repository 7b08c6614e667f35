"""iCalendar of events: one event as a file, or the calendar of the events a user sees.

As ``pairwork.ical``: times in the organization's time zone with its VTIMEZONE, an online link in
LOCATION and URL, the agenda in DESCRIPTION; no participants' names.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone

from nastavnik.events.catalogue import BY_CODE
from nastavnik.events.models import Event, EventStatus

PRODID = "-//Nastavnik//events//RU"


def _event(event: Event, page_url: str, stamp: dt.datetime) -> icalendar.Event:
    tz = zoneinfo.ZoneInfo(event.organization.time_zone or "Europe/Moscow")
    start = event.starts_at.astimezone(tz)
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@nastavnik")
    item.add("dtstamp", stamp)
    item.add("dtstart", start)
    item.add("dtend", start + dt.timedelta(minutes=event.duration_minutes))
    item.add("summary", f"{BY_CODE[event.form].name}: {event.title}")
    if event.link and not event.place:
        item.add("location", event.link)
        item.add("url", event.link)
    else:
        item.add("location", event.place)
        item.add("url", page_url)
    description = "\n\n".join(
        part for part in (event.description, event.agenda, event.link, page_url) if part
    )
    item.add("description", description)
    item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return item


def calendar(events: Iterable[Event], *, page_url: Callable[[Event], str], name: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        cal.add_component(_event(event, page_url(event), stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
