"""Early warnings: each rule, its threshold per program, its Russian reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from nastavnik.pairwork.models import ItemStatus, Thresholds
from nastavnik.pairwork.warnings import warnings_for
from tests.pairwork.factories import goal, meeting, task, working_pair

pytestmark = pytest.mark.django_db


def _codes(pair: Any, today: dt.date | None = None) -> dict[str, str]:
    return {w.code: w.text for w in warnings_for([pair], today=today)}


def test_a_fresh_pair_has_no_warning(tenant_a: Any) -> None:
    assert _codes(working_pair(tenant_a)) == {}


def test_a_pair_never_started(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    today = timezone.localdate() + dt.timedelta(days=14)
    found = _codes(pair, today)
    assert "Ни одной встречи за 14 дней" in found["never_started"]
    meeting(pair, days_ago=0)
    assert "never_started" not in _codes(pair, today)


def test_no_meeting_in_n_days_with_the_programs_threshold(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    meeting(pair, days_ago=10)
    assert "no_meeting" not in _codes(pair)
    Thresholds.objects.create(
        organization=tenant_a.organization, program=pair.program, no_meeting_days=7
    )
    text = _codes(pair)["no_meeting"]
    assert "10 дней" in text
    assert "порог 7" in text


def test_overdue_tasks_and_goals(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    meeting(pair, days_ago=1)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    g = goal(pair, due_on=yesterday)
    task(g, due_on=yesterday)
    task(g, due_on=yesterday, status=ItemStatus.DONE)
    found = _codes(pair)
    assert found["overdue_tasks"] == "Просрочена 1 задача."
    assert found["overdue_goals"] == "1 цель не достигнута к сроку."


def test_a_paused_pair_is_not_warned(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    pair.status = "paused"
    assert warnings_for([pair], today=timezone.localdate() + dt.timedelta(days=60)) == []
