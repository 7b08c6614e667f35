"""Calendars of a program: the roadmap as .ics to import into a phone or a mail client."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from nastavnik.programs.models import Program
from nastavnik.programs.selectors import roadmap_list


def roadmap_ics(*, program: Program, host: str) -> bytes:
    """One all-day event per roadmap item, from its start (or due) date to its due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Nastavnik//roadmap//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", program.title)
    for item in roadmap_list(program=program):
        event = Event()
        event.add("uid", f"roadmap-{item.pk}@{host}")
        event.add("summary", item.title)
        event.add("dtstart", item.starts_on or item.due_on)
        event.add("dtend", item.due_on + dt.timedelta(days=1))
        event.add("dtstamp", item.updated_at)
        details = [str(item.get_status_display())]
        if item.responsible:
            details.append(_("Responsible: %(who)s") % {"who": item.responsible})
        event.add("description", "\n".join(details))
        calendar.add_component(event)
    return calendar.to_ical()
