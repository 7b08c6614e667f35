"""Working days for dates the system proposes itself (the demo's coming events and meetings):
Monday to Friday. Public holidays and moved working days are not known here."""

from __future__ import annotations

import datetime as dt

FRIDAY = 4


def is_working_day(day: dt.date) -> bool:
    return day.weekday() <= FRIDAY


def working_day(day: dt.date, *, backwards: bool = False) -> dt.date:
    """The day itself on a weekday; a Saturday or a Sunday moves to the next Monday, or with
    ``backwards`` to the previous Friday (so that a past date stays in the past)."""
    step = dt.timedelta(days=-1 if backwards else 1)
    while not is_working_day(day):
        day += step
    return day


def working_days_from(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (before it when ``count`` is negative); distinct
    counts give distinct days. ``count`` 0 is ``working_day(day)``."""
    if count == 0:
        return working_day(day)
    step = dt.timedelta(days=1 if count > 0 else -1)
    left = abs(count)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day
