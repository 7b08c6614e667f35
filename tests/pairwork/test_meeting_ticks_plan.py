"""A held meeting ticks the plan's meeting task off (``services.meeting_tick_task``).

The rule: the plan's meeting tasks (``Task.kind``, set by the template's meeting sequence) in the
order of their due dates; the first one still open decides — a single meeting is ticked off with a
reference to the meeting, a series of meetings is left to the mentor and nothing after it is
ticked; a held meeting that is cancelled (it did not take place) reopens the task it ticked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nastavnik.core.models import AuditEntry
from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork import services
from nastavnik.pairwork.models import ItemStatus, Meeting, MeetingStatus, Task, TaskKind
from nastavnik.programs.models import Variant
from tests.conftest import login
from tests.pairwork.factories import goal, task, working_pair

pytestmark = pytest.mark.django_db

SEQUENCE = [
    "Встреча-знакомство",
    "Пробная рабочая встреча",
    "Встреча-планирование: цели и план на четверть",
    "Серия рабочих встреч (не реже раза в две недели)",
    "Итоговая встреча: результаты и рефлексия",
]


def _planned(pair: Mentorship) -> list[Task]:
    services.plan_from_template(actor=pair.created_by, mentorship=pair)
    return list(
        Task.objects.filter(mentorship=pair, goal__title__startswith="Пройти цикл").order_by(
            "due_on"
        )
    )


def _held(tenant: Any, pair: Mentorship, days_ago: int, topic: str = "Встреча") -> Meeting:
    return services.meeting_create(
        actor=tenant.mentor,
        mentorship=pair,
        starts_at=timezone.now() - dt.timedelta(days=days_ago, hours=1),
        topic=topic,
        held=True,
    )


def _state(pair: Mentorship) -> list[tuple[str, str, int | None]]:
    return [
        (t.title, t.status, t.meeting_id)
        for t in Task.objects.filter(mentorship=pair, kind__in=["meeting", "meetings"]).order_by(
            "due_on"
        )
    ]


def test_the_template_marks_the_meeting_sequence(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    pair.variant = Variant.objects.get(code="teacher-underachiever")  # adds a goal of tasks
    tasks = _planned(pair)
    assert [(t.title, t.kind) for t in tasks] == [
        (SEQUENCE[0], "meeting"),
        (SEQUENCE[1], "meeting"),
        (SEQUENCE[2], "meeting"),
        (SEQUENCE[3], "meetings"),
        (SEQUENCE[4], "meeting"),
    ]
    others = Task.objects.filter(mentorship=pair).exclude(goal__title__startswith="Пройти цикл")
    assert others.count() == 3
    assert set(others.values_list("kind", flat=True)) == {""}


def test_a_logged_meeting_ticks_the_next_meeting_task(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, second, *_ = _planned(pair)
    held = _held(tenant_a, pair, days_ago=3, topic="Знакомство")
    first.refresh_from_db()
    assert first.status == ItemStatus.DONE
    assert first.meeting == held
    assert first.done_on == timezone.localtime(held.starts_at).date()
    second.refresh_from_db()
    assert second.status == ItemStatus.OPEN
    assert second.meeting is None
    entry = AuditEntry.objects.get(action="pairwork.task_done", object_id=str(first.pk))
    assert entry.data == {"meeting": held.pk}


def test_marking_a_planned_meeting_held_ticks_too(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, *_ = _planned(pair)
    planned = services.meeting_create(
        actor=tenant_a.mentor,
        mentorship=pair,
        starts_at=timezone.now() + dt.timedelta(hours=1),
        topic="Знакомство",
    )
    first.refresh_from_db()
    assert first.status == ItemStatus.OPEN  # planned is not held
    services.meeting_mark_held(
        actor=tenant_a.mentor, meeting=planned, now=timezone.now() + dt.timedelta(hours=2)
    )
    first.refresh_from_db()
    assert (first.status, first.meeting_id) == (ItemStatus.DONE, planned.pk)


def test_a_series_stops_the_ticking_until_the_mentor_ticks_it(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    tasks = _planned(pair)
    meetings = [_held(tenant_a, pair, days_ago=30 - 2 * i) for i in range(5)]
    # Three single meetings ticked; the series is open: the 4th and 5th tick nothing (the final
    # meeting is not reached through working meetings).
    assert _state(pair) == [
        (SEQUENCE[0], "done", meetings[0].pk),
        (SEQUENCE[1], "done", meetings[1].pk),
        (SEQUENCE[2], "done", meetings[2].pk),
        (SEQUENCE[3], "open", None),
        (SEQUENCE[4], "open", None),
    ]
    services.task_set_done(actor=tenant_a.mentor, task=tasks[3], done=True)
    final = _held(tenant_a, pair, days_ago=1, topic="Итоги")
    assert _state(pair)[3:] == [(SEQUENCE[3], "done", None), (SEQUENCE[4], "done", final.pk)]
    # Everything done: a further meeting changes nothing.
    _held(tenant_a, pair, days_ago=0)
    assert _state(pair)[4] == (SEQUENCE[4], "done", final.pk)


def test_a_task_ticked_by_hand_is_skipped(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, second, *_ = _planned(pair)
    services.task_set_done(actor=tenant_a.mentor, task=first, done=True)
    held = _held(tenant_a, pair, days_ago=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.meeting is None
    assert (second.status, second.meeting_id) == (ItemStatus.DONE, held.pk)


def test_a_plan_without_meeting_tasks_is_not_touched(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    plain = task(goal(pair), title="Встреча с родителями")  # a plain task, whatever its title
    _held(tenant_a, pair, days_ago=1)
    plain.refresh_from_db()
    assert plain.status == ItemStatus.OPEN
    assert plain.kind == TaskKind.TASK


def test_cancelling_a_held_meeting_reopens_its_task(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, *_ = _planned(pair)
    held = _held(tenant_a, pair, days_ago=2)
    services.meeting_cancel(actor=tenant_a.mentor, meeting=held)
    held.refresh_from_db()
    first.refresh_from_db()
    assert held.status == MeetingStatus.CANCELLED
    assert (first.status, first.done_on, first.meeting_id) == (ItemStatus.OPEN, None, None)
    assert AuditEntry.objects.filter(
        action="pairwork.task_reopen", object_id=str(first.pk), data__meeting=held.pk
    ).exists()
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=tenant_a.mentor, meeting=held)
    # The next held meeting ticks the reopened task.
    again = _held(tenant_a, pair, days_ago=1)
    first.refresh_from_db()
    assert first.meeting_id == again.pk


def test_cancelling_leaves_a_task_reopened_by_hand_alone(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, *_ = _planned(pair)
    held = _held(tenant_a, pair, days_ago=2)
    first.refresh_from_db()
    services.task_set_done(actor=tenant_a.mentor, task=first, done=False)
    services.task_set_done(actor=tenant_a.mentor, task=first, done=True)
    services.meeting_cancel(actor=tenant_a.mentor, meeting=held)
    first.refresh_from_db()
    assert first.status == ItemStatus.DONE  # the mentor's own tick, no longer the meeting's
    assert first.meeting is None


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks: PostgreSQL only",
)
def test_the_meeting_tasks_are_locked_in_id_order(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    _planned(pair)
    with CaptureQueriesContext(connection) as queries:
        _held(tenant_a, pair, days_ago=1)
    locks = [q["sql"] for q in queries.captured_queries if 'FROM "pairwork_task"' in q["sql"]]
    assert any("FOR UPDATE" in sql and '"pairwork_task"."id" ASC' in sql for sql in locks), locks


def test_the_pair_page_says_which_meeting_ticked_the_task(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    _planned(pair)
    held = _held(tenant_a, pair, days_ago=2)
    day = timezone.localtime(held.starts_at).strftime("%d.%m.%Y")
    page = login(tenant_a.mentee).get(reverse("pairwork:pair", args=[pair.pk]))
    html = page.content.decode()
    assert f"Отмечено по встрече {day}" in html
    assert reverse("pairwork:meeting", args=[held.pk]) in html
    assert "отметится по следующей проведённой встрече" in html
    meeting_page = login(tenant_a.mentor).get(reverse("pairwork:meeting", args=[held.pk]))
    html = meeting_page.content.decode()
    assert "отмечена по этой встрече" in html
    assert "Встреча не состоялась" in html
    assert f"№ {pair.number}</a>" in html  # the pair's number in its program, not its id


def test_the_mentor_says_the_meeting_did_not_take_place_on_its_page(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, *_ = _planned(pair)
    held = _held(tenant_a, pair, days_ago=2)
    login(tenant_a.mentor).post(reverse("pairwork:meeting_cancel", args=[held.pk]))
    first.refresh_from_db()
    assert first.status == ItemStatus.OPEN


def test_the_api_shows_the_kind_and_the_meeting(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    first, *_ = _planned(pair)
    held = _held(tenant_a, pair, days_ago=2)
    body = login(tenant_a.mentor).get(f"/api/v1/pairwork/pairs/{pair.pk}").json()
    tasks = {t["id"]: t for g in body["goals"] for t in g["tasks"]}
    assert tasks[first.pk]["meeting_id"] == held.pk
    assert tasks[first.pk]["kind"] == "meeting"
