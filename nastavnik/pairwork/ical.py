"""iCalendar of meetings: one meeting as a file, or a user's personal feed.

Times are written in the organization's time zone with its VTIMEZONE, so that common calendar
clients show the school's local time; an online meeting's link goes into LOCATION and URL. No
names and no private notes: a calendar is often synchronised to other services.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.pairwork.models import Meeting, MeetingFormat, MeetingStatus

PRODID = "-//Nastavnik//pairwork//RU"


def _event(meeting: Meeting, page_url: str, stamp: dt.datetime) -> icalendar.Event:
    tz = zoneinfo.ZoneInfo(meeting.organization.time_zone or "Europe/Moscow")
    start = meeting.starts_at.astimezone(tz)
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@nastavnik")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", _("Mentoring meeting: %(topic)s") % {"topic": meeting.topic})
    online = meeting.format == MeetingFormat.ONLINE and meeting.link
    if online:
        event.add("location", meeting.link)
        event.add("url", meeting.link)
    else:
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", page_url)
    description = "\n\n".join(part for part in (meeting.agenda, page_url) if part)
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def calendar(
    meetings: Iterable[Meeting], *, page_url: Callable[[Meeting], str], name: str = ""
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(_event(meeting, page_url(meeting), stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
