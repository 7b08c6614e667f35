"""One calendar of an organization's happenings, filled by the apps that own them.

The events app shows the calendar of an organization and a territory; other apps (speed and flash
mentoring, the work of pairs) add their dated items by registering a source from their
``AppConfig.ready()``. A source answers the items the acting user may see between two moments, so
each app keeps its own scoping; the calendar never reads another app's tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from nastavnik.accounts.access import Actor


@dataclass(frozen=True)
class CalendarItem:
    """One dated item of the calendar: what, when, where it is read in full."""

    title: str
    start: datetime.datetime
    end: datetime.datetime
    url: str
    kind: str | Promise
    organization_id: int | None = None
    cancelled: bool = False


CalendarSource = Callable[[Actor, datetime.datetime, datetime.datetime], list[CalendarItem]]
_SOURCES: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def calendar_items(
    actor: Actor, start: datetime.datetime, end: datetime.datetime
) -> list[CalendarItem]:
    """Every registered source's items for ``actor`` in [start, end), by start time."""
    items = [item for source in _SOURCES for item in source(actor, start, end)]
    return sorted(items, key=lambda item: (item.start, item.title))
