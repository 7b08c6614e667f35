"""The demo's lived-in week: plans, meetings, a reflection and one warning per program at work."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from nastavnik.demo.registry import DemoContext
from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork.models import (
    Goal,
    Meeting,
    MeetingStatus,
    Message,
    ProgressRecord,
    Reflection,
    Task,
)
from nastavnik.pairwork.warnings import warnings_for
from nastavnik.programs.models import Stage
from tests.conftest import DEMO_TEST_PASSWORD

PASSWORD = DEMO_TEST_PASSWORD


def test_pairs_at_work_have_a_plan_and_meetings(demo: DemoContext) -> None:
    at_work = [p for p in demo.programs.values() if p.stage == Stage.WORK]
    assert at_work
    pairs = list(Mentorship.objects.filter(program__in=at_work, goals__isnull=False).distinct())
    assert pairs
    assert Task.objects.filter(mentorship__in=pairs).exists()
    assert Goal.objects.filter(mentorship__in=pairs).count() == 2 * len(pairs)
    assert Meeting.objects.filter(mentorship__in=pairs, status=MeetingStatus.HELD).count() == (
        2 * len(pairs)
    )
    assert Meeting.objects.filter(mentorship__in=pairs, status=MeetingStatus.PLANNED).exists()
    codes = {w.code for w in warnings_for(pairs)}
    assert "overdue_tasks" in codes
    assert ProgressRecord.objects.filter(mentorship__in=pairs).exists()
    assert Message.objects.filter(mentorship__in=pairs).exists()


def test_a_mentee_reflects_and_the_mentor_sees_the_week(demo: DemoContext) -> None:
    reflection = Reflection.objects.select_related("author__user").first()
    assert reflection is not None
    user = reflection.author.user
    assert user is not None
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    page = client.get(reverse("pairwork:home")).content.decode()
    assert "Мой наставник" in page
    assert "Планирование" in page
