"""Working days for dates the system proposes itself (the demo's coming events and meetings):
Monday to Friday, except Russia's public holidays (1–8 January, 23 February, 8 March, 1 and
9 May, 12 June, 4 November), the day off after one that falls on a weekend, and the days off
the government transfers (in 2026: 9 January and 31 December, from January's weekend). The
calendar is the RU one of the ``holidays`` package; transfers are known as far as its version
has them (to 2027 in 0.108), later years have the fixed holidays only. A Saturday made a working
day by a transfer stays a weekend here: a proposed date is never on a day off."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

FRIDAY = 4


@lru_cache(maxsize=32)
def _days_off(year: int) -> frozenset[dt.date]:
    import holidays  # imported when first needed: 0.1 s, only the demo asks

    return frozenset(holidays.country_holidays("RU", years=year))


def is_public_holiday(day: dt.date) -> bool:
    """A public holiday or a day off moved or transferred by the government (see above)."""
    return day in _days_off(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() <= FRIDAY and not is_public_holiday(day)


def working_day(day: dt.date, *, backwards: bool = False) -> dt.date:
    """The day itself on a working day; a weekend or a holiday moves to the next working day
    (a Saturday to the Monday, or further when that is a holiday), or with ``backwards`` to the
    previous one (so that a past date stays in the past)."""
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
