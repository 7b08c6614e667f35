"""The demo never puts a coming event, speed session, flash slot or meeting on a weekend or a
public holiday (nor a past one): seeded for a Thursday, when «in 10 days» is a Sunday and «in 2
and 3 days» are the weekend, every date lands on a working day (``core.workdays``; the rule's own
holiday cases are in ``tests/core/test_workdays.py``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from nastavnik.core.workdays import is_working_day, working_day, working_days_from
from nastavnik.demo.registry import DemoContext
from nastavnik.events.models import Event
from nastavnik.pairwork.models import Meeting
from nastavnik.quickmentoring.models import FlashSlot, SpeedSession

THURSDAY = 3


def _coming_thursday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(THURSDAY - today.weekday()) % 7)


# The shared compact demo (``tests/conftest.py``) is seeded with the clock on this day.
DEMO_TODAY = _coming_thursday


def _local_day(moment: dt.datetime, time_zone: str) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone or "Europe/Moscow")).date()


def test_the_rule() -> None:
    thursday = dt.date(2026, 12, 3)
    assert thursday.weekday() == THURSDAY
    assert working_day(thursday) == thursday
    sunday = thursday + dt.timedelta(days=10)
    assert working_day(sunday) == dt.date(2026, 12, 14)  # the Monday after
    assert working_day(sunday, backwards=True) == dt.date(2026, 12, 11)  # the Friday before
    assert working_days_from(thursday, 1) == dt.date(2026, 12, 4)
    assert working_days_from(thursday, 2) == dt.date(2026, 12, 7)
    assert working_days_from(thursday, 3) == dt.date(2026, 12, 8)
    assert working_days_from(thursday, -5) == dt.date(2026, 11, 26)
    assert working_days_from(dt.date(2026, 12, 5), 0) == dt.date(2026, 12, 7)
    days = [working_days_from(thursday, n) for n in range(-12, 13)]
    assert all(day.weekday() < 5 for day in days)
    assert len(set(days)) == len(days)


def test_the_demo_seeded_on_a_thursday_has_no_weekend_dates(demo: DemoContext) -> None:
    today = demo.today
    assert today.weekday() == THURSDAY
    events = list(Event.objects.select_related("organization"))
    sessions = list(SpeedSession.objects.select_related("organization"))
    slots = list(FlashSlot.objects.select_related("organization"))
    meetings = list(Meeting.objects.select_related("organization"))
    assert events
    assert meetings
    dated: list[Event | SpeedSession | FlashSlot | Meeting] = [
        *events,
        *sessions,
        *slots,
        *meetings,
    ]
    for item in dated:
        day = _local_day(item.starts_at, item.organization.time_zone)
        assert is_working_day(day), (type(item).__name__, item.pk, day)
    school = demo.organizations["demo-school-1"]
    # «In 10 days» was a Sunday: the coming event is on the Monday after (or later, when that
    # Monday is a holiday).
    [coming] = [
        e
        for e in events
        if e.organization_id == school.pk and _local_day(e.starts_at, school.time_zone) > today
    ]
    coming_day = _local_day(coming.starts_at, school.time_zone)
    assert coming_day == working_day(today + dt.timedelta(days=10)) >= today + dt.timedelta(days=11)
    # Flash slots on the 2nd, 3rd and 5th working day: Monday, Tuesday, Thursday of a week
    # without holidays, one a day.
    # (The compact demo's school program may have no mentors: then there are none, and the
    # rule's own test above stands for them.)
    slot_days = sorted(_local_day(s.starts_at, s.organization.time_zone) for s in slots)
    assert slot_days in ([], [working_days_from(today, n) for n in (2, 3, 5)])
    # Every demo pair got its coming meeting (none refused as overlapping another).
    coming_meetings = [m for m in meetings if m.starts_at.date() > today]
    held = [m for m in meetings if m.starts_at.date() < today]
    assert len(held) == 2 * len(coming_meetings) > 0
