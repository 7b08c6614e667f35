"""Pages: «my pairs», a pair's page, logging a meeting, reflections, «needs attention»,
calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from nastavnik.pairwork.models import ItemStatus, Meeting, MeetingStatus, Reflection
from tests.conftest import Tenant, login
from tests.factories import MembershipFactory, TeacherFactory, UserFactory
from tests.pairwork.factories import goal, meeting, task, working_pair

pytestmark = pytest.mark.django_db


def test_my_pairs_shows_the_next_meeting_and_one_tap_to_log(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    meeting(
        pair,
        starts_at=timezone.now() + dt.timedelta(days=2),
        status=MeetingStatus.PLANNED,
        topic="Планирование",
    )
    body = login(tenant_a.mentor).get(reverse("pairwork:home")).content.decode()
    assert tenant_a.mentee_person.last_name in body
    assert "Планирование" in body
    assert reverse("pairwork:meeting_new", args=[pair.pk]) in body
    mentee_body = login(tenant_a.mentee).get(reverse("pairwork:home")).content.decode()
    assert "Мой наставник" in mentee_body
    assert reverse("pairwork:meeting_new", args=[pair.pk]) not in mentee_body


def test_the_mentor_logs_a_meeting_and_ticks_a_task(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    t = task(goal(pair))
    client = login(tenant_a.mentor)
    start = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("pairwork:meeting_new", args=[pair.pk]),
        {
            "held": "on",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "format": "in_person",
            "place": "Кабинет 12",
            "topic": "Знакомство",
            "private_notes": "Стесняется отвечать у доски",
            "present": [str(tenant_a.mentor_person.pk), str(tenant_a.mentee_person.pk)],
        },
    )
    assert response.status_code == 302
    logged = Meeting.objects.get()
    assert logged.status == MeetingStatus.HELD
    assert logged.attendance.filter(present=True).count() == 2
    client.post(reverse("pairwork:task_done", args=[t.pk]), {"done": "1"})
    t.refresh_from_db()
    assert t.status == ItemStatus.DONE
    page = client.get(reverse("pairwork:pair", args=[pair.pk])).content.decode()
    assert "Знакомство" in page
    assert "100%" in page


def test_a_planned_meeting_in_the_past_shows_a_russian_error(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    response = login(tenant_a.mentor).post(
        reverse("pairwork:meeting_new", args=[pair.pk]) + "?plan=1",
        {
            "starts_at": "2020-01-10T10:00",
            "duration_minutes": "45",
            "format": "in_person",
            "topic": "Пробная встреча",
        },
    )
    assert response.status_code == 200
    assert "Запланированная встреча не может быть в прошлом." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_mentee_writes_a_reflection_and_never_reads_private_notes(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    held = meeting(pair, days_ago=1, private_notes="Личная заметка наставника")
    client = login(tenant_a.mentee)
    url = reverse("pairwork:meeting", args=[held.pk])
    assert "Личная заметка" not in client.get(url).content.decode()
    client.post(url, {"learned": "Как решать задачи на проценты", "hard": "Дроби"})
    assert Reflection.objects.get().author == tenant_a.mentee_person
    mentor_page = login(tenant_a.mentor).get(url).content.decode()
    assert "Как решать задачи на проценты" in mentor_page
    assert "Личная заметка наставника" in mentor_page
    assert login(tenant_a.mentor).post(url, {"learned": "x"}).status_code == 403


def test_outsiders_get_404(tenant_a: Any, tenant_b: Any, coordinator: Any) -> None:
    pair = working_pair(tenant_a)
    held = meeting(pair, days_ago=1)
    t = task(goal(pair))
    other = UserFactory(username="mentor-other")
    MembershipFactory(user=other, role="mentor", organization=tenant_a.organization)
    TeacherFactory(organization=tenant_a.organization, user=other)
    urls = [
        reverse("pairwork:pair", args=[pair.pk]),
        reverse("pairwork:meeting", args=[held.pk]),
        reverse("pairwork:meeting_ics", args=[held.pk]),
        reverse("pairwork:meeting_new", args=[pair.pk]),
    ]
    for user in (other, coordinator, tenant_b.curator):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("pairwork:task_done", args=[t.pk])).status_code == 404


def test_the_head_reads_but_does_not_log(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    client = login(tenant_a.head)
    assert client.get(reverse("pairwork:pair", args=[pair.pk])).status_code == 200
    assert client.get(reverse("pairwork:meeting_new", args=[pair.pk])).status_code == 403


def test_the_curators_needs_attention(tenant_a: Any, tenant_b: Any) -> None:
    pair = working_pair(tenant_a)
    meeting(pair, days_ago=30)
    body = login(tenant_a.curator).get(reverse("pairwork:attention")).content.decode()
    assert "Нет встреч 30 дней" in body
    assert tenant_a.mentee_person.last_name in body
    other = login(tenant_b.curator).get(reverse("pairwork:attention")).content.decode()
    assert tenant_a.mentee_person.last_name not in other
    assert login(tenant_a.mentor).get(reverse("pairwork:attention")).status_code == 403


def test_one_meeting_as_icalendar(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    m = meeting(
        pair,
        starts_at=dt.datetime(2030, 3, 5, 12, 0, tzinfo=dt.UTC),
        status=MeetingStatus.PLANNED,
        topic="Итоговая встреча",
        format="online",
        link="https://meet.example.org/abc",
        private_notes="секрет",
    )
    response = login(tenant_a.mentee).get(reverse("pairwork:meeting_ics", args=[m.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Moscow"]
    assert event.decoded("dtstart") == dt.datetime(2030, 3, 5, 12, 0, tzinfo=dt.UTC)
    start: Any = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Moscow"
    assert str(event["location"]) == "https://meet.example.org/abc"
    assert str(event["url"]) == "https://meet.example.org/abc"
    assert "Итоговая встреча" in str(event["summary"])
    assert b"secret" not in response.content
    assert "секрет".encode() not in response.content


def test_the_personal_feed_and_its_revocation(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    meeting(pair, days_ago=1, topic="Знакомство")
    meeting(pair, starts_at=timezone.now() + dt.timedelta(days=3), status="planned", topic="Вторая")
    client = login(tenant_a.mentee)
    client.post(reverse("pairwork:feed_issue"))
    token = tenant_a.mentee.pairwork_feed.token
    url = reverse("pairwork:feed", args=[token])
    from django.test import Client

    anonymous = Client()
    cal = icalendar.Calendar.from_ical(anonymous.get(url).content)
    assert sorted(str(e["summary"]) for e in cal.walk("VEVENT")) == [
        "Встреча наставничества: Вторая",
        "Встреча наставничества: Знакомство",
    ]
    client.post(reverse("pairwork:feed_revoke"))
    assert anonymous.get(url).status_code == 404


def test_the_api_hides_private_notes_from_the_mentee(tenant_a: Any, tenant_b: Any) -> None:
    pair = working_pair(tenant_a)
    task(goal(pair), status=ItemStatus.DONE)
    meeting(pair, days_ago=1, private_notes="Только для наставника")
    url = f"/api/v1/pairwork/pairs/{pair.pk}"
    as_mentee = login(tenant_a.mentee).get(url).json()
    assert as_mentee["progress_percent"] == 100
    assert as_mentee["meetings"][0]["private_notes"] is None
    as_mentor = login(tenant_a.mentor).get(url).json()
    assert as_mentor["meetings"][0]["private_notes"] == "Только для наставника"
    assert login(tenant_b.curator).get(url).status_code == 404


def test_the_curator_sets_the_programs_thresholds(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    meeting(pair, days_ago=8)
    url = reverse("pairwork:thresholds", args=[pair.program_id])
    assert (
        "Нет встреч"
        not in login(tenant_a.curator).get(reverse("pairwork:attention")).content.decode()
    )
    assert login(tenant_a.head).post(url, {"no_meeting_days": "7"}).status_code == 403
    assert login(tenant_a.mentor).get(url).status_code == 404
    response = login(tenant_a.curator).post(
        url, {"no_meeting_days": "7", "never_started_days": "10", "answer_days": "2"}
    )
    assert response.status_code == 302
    body = login(tenant_a.curator).get(reverse("pairwork:attention")).content.decode()
    assert "Нет встреч 8 дней" in body


def test_the_mentor_cancels_a_planned_meeting(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    planned = meeting(
        pair, starts_at=timezone.now() + dt.timedelta(days=1), status=MeetingStatus.PLANNED
    )
    url = reverse("pairwork:meeting_cancel", args=[planned.pk])
    assert login(tenant_a.mentee).post(url).status_code == 403
    login(tenant_a.mentor).post(url)
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.CANCELLED


def test_progress_and_observations_through_the_pair_page(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    progress_url = reverse("pairwork:progress_new", args=[pair.pk])
    body = {
        "mentee": str(tenant_a.mentee_person.pk),
        "subject": "Физика",
        "level": "1",
        "recorded_on": timezone.localdate().isoformat(),
    }
    assert login(tenant_a.mentee).post(progress_url, body).status_code == 403
    login(tenant_a.mentor).post(progress_url, body)
    login(tenant_a.mentor).post(
        reverse("pairwork:observation_new", args=[pair.pk]),
        {"mentee": str(tenant_a.mentee_person.pk), "text": "Любит наглядные схемы"},
    )
    login(tenant_a.mentor).post(reverse("pairwork:plan_template", args=[pair.pk]))
    page = login(tenant_a.mentor).get(reverse("pairwork:pair", args=[pair.pk])).content.decode()
    assert "Физика" in page
    assert "Любит наглядные схемы" in page
    assert "Встреча-знакомство" in page
    mentee_page = login(tenant_a.mentee).get(reverse("pairwork:pair", args=[pair.pk]))
    assert "Физика" in mentee_page.content.decode()
    assert "Любит наглядные схемы" not in mentee_page.content.decode()


def test_a_mentor_and_a_mentee_start_at_my_pairs_the_staff_at_needs_attention(
    tenant_a: Tenant,
) -> None:
    for user in (tenant_a.mentor, tenant_a.mentee):
        response = login(user).get(reverse("core:home"))
        assert response.status_code == 302
        assert response["Location"] == reverse("pairwork:home")
    for user in (tenant_a.curator, tenant_a.head):
        response = login(user).get(reverse("core:home"))
        assert response["Location"] == reverse("pairwork:attention")
