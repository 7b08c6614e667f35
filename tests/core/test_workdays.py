"""``core.workdays``: Monday to Friday except Russia's public holidays, the days off moved from a
holiday on a weekend and the days off the government transfers."""

from __future__ import annotations

import datetime as dt

import pytest

from nastavnik.core.workdays import (
    is_public_holiday,
    is_working_day,
    working_day,
    working_days_from,
)

D = dt.date

# The holidays of the Labour Code, art. 112, in every year.
FIXED = [(1, day) for day in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2031, 2040])
def test_every_public_holiday_is_a_day_off(year: int) -> None:
    for month, day in FIXED:
        assert is_public_holiday(D(year, month, day)), (year, month, day)
        assert not is_working_day(D(year, month, day))
    assert is_working_day(D(year, 12, 3)) is (D(year, 12, 3).weekday() < 5)  # an ordinary day


def test_a_holiday_on_a_weekend_moves_the_next_working_day_further() -> None:
    # 8 March 2026 is a Sunday: its day off is Monday 9 March, so Tuesday is the next working day.
    assert D(2026, 3, 8).weekday() == 6
    assert not is_working_day(D(2026, 3, 9))
    assert working_day(D(2026, 3, 7)) == working_day(D(2026, 3, 8)) == D(2026, 3, 10)
    # 9 May 2026 is a Saturday: Monday 11 May is off.
    assert working_day(D(2026, 5, 9)) == D(2026, 5, 12)
    assert working_days_from(D(2026, 5, 8), 1) == D(2026, 5, 12)
    # 23 February 2026 is a Monday itself: the Friday before is one working day from Tuesday.
    assert working_days_from(D(2026, 2, 20), 1) == D(2026, 2, 24)
    assert working_days_from(D(2026, 2, 24), -1) == D(2026, 2, 20)
    assert working_day(D(2026, 2, 23), backwards=True) == D(2026, 2, 20)


def test_the_governments_transfers_are_days_off() -> None:
    # 2026: Saturday 3 January moved to Friday 9 January, Sunday 4 January to 31 December.
    assert not is_working_day(D(2026, 1, 9))
    assert not is_working_day(D(2026, 12, 31))
    assert working_day(D(2026, 1, 1)) == D(2026, 1, 12)
    assert working_day(D(2026, 12, 31)) == D(2027, 1, 11)
    assert working_day(D(2026, 12, 31), backwards=True) == D(2026, 12, 30)
    # 31 December 2025 was off too (moved from 5 January).
    assert working_day(D(2026, 1, 5), backwards=True) == D(2025, 12, 30)


def test_an_ordinary_week_is_monday_to_friday() -> None:
    monday = D(2026, 12, 7)
    week = [monday + dt.timedelta(days=n) for n in range(7)]
    assert [is_working_day(day) for day in week] == [True] * 5 + [False] * 2
    assert not any(is_public_holiday(day) for day in week)
    days = [working_days_from(D(2026, 12, 24), n) for n in range(-20, 21)]
    assert all(is_working_day(day) for day in days)
    assert len(set(days)) == len(days)
