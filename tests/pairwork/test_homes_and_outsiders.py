"""The home of each role, and 404 for a mentor of another pair, a coordinator and another
organization on a pair's plan, notes, messages and peer review — reading or writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from nastavnik.pairwork import services, threads
from nastavnik.pairwork.models import (
    Goal,
    Message,
    Observation,
    PeerReview,
    PeerWork,
    ProgressRecord,
    Task,
)
from tests.conftest import Tenant, login
from tests.factories import MembershipFactory, TeacherFactory, UserFactory
from tests.pairwork.factories import goal, meeting, task, working_pair

pytestmark = pytest.mark.django_db


def test_the_mentor_and_the_mentee_see_their_week_first(tenant_a: Tenant) -> None:
    pair = working_pair(tenant_a)
    soon = meeting(
        pair,
        status="planned",
        topic="Разбор пробника",
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    task(goal(pair), title="Решить вариант ОГЭ", due_on=timezone.localdate())
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Можно вопрос?")
    mentor_home = login(tenant_a.mentor).get(reverse("pairwork:home")).content.decode()
    assert tenant_a.mentee_person.full_name in mentor_home
    assert "Разбор пробника" in mentor_home
    assert reverse("pairwork:meeting", args=[soon.pk]) in mentor_home
    assert "Решить вариант ОГЭ" in mentor_home
    assert "1 новое сообщение" in mentor_home
    # One tap to log a meeting.
    assert reverse("pairwork:meeting_new", args=[pair.pk]) in mentor_home
    mentee_home = login(tenant_a.mentee).get(reverse("pairwork:home")).content.decode()
    assert tenant_a.mentor_person.full_name in mentee_home
    assert "Разбор пробника" in mentee_home


def test_the_curator_sees_what_needs_attention_and_the_programs_by_stage(
    tenant_a: Tenant,
) -> None:
    pair = working_pair(tenant_a)
    page = login(tenant_a.curator).get(reverse("pairwork:attention")).content.decode()
    assert "Требует внимания" in page
    assert 'id="programs-by-stage"' in page
    assert pair.program.title in page


def test_a_coordinator_keeps_aggregates_only(tenant_a: Tenant, coordinator: Any) -> None:
    pair = working_pair(tenant_a)
    client = login(coordinator)
    assert client.get(reverse("pairwork:attention")).status_code == 403
    home = client.get(reverse("pairwork:home")).content.decode()
    assert tenant_a.mentee_person.full_name not in home
    assert client.get(reverse("pairwork:pair", args=[pair.pk])).status_code == 404


def _outsiders(tenant_a: Tenant, tenant_b: Tenant, coordinator: Any) -> list[Any]:
    other = UserFactory(username="mentor-of-another-pair")
    MembershipFactory(user=other, role="mentor", organization=tenant_a.organization)
    TeacherFactory(organization=tenant_a.organization, user=other)
    return [other, coordinator, tenant_b.curator, tenant_b.mentor]


def test_outsiders_get_404_on_plans_notes_messages_and_reviews(
    tenant_a: Tenant, tenant_b: Tenant, coordinator: Any
) -> None:
    pair = working_pair(tenant_a)
    held = meeting(pair, days_ago=1, private_notes="Только наставнику")
    the_goal = goal(pair)
    the_task = task(the_goal, peer_review=True, rubric="Верно")
    message = Message(
        organization_id=pair.organization_id,
        mentorship=pair,
        author=tenant_a.mentee_person,
        text="Вопрос",
        attachment_name="q.txt",
        attachment_type="text/plain",
    )
    message.attachment.save("q.txt", ContentFile(b"q"), save=False)
    message.save()
    work = PeerWork.objects.create(
        organization_id=pair.organization_id,
        task=the_task,
        author=tenant_a.mentee_person,
        text="Работа",
    )
    services.observation_add(
        actor=tenant_a.mentor,
        mentorship=pair,
        mentee_id=tenant_a.mentee_person.pk,
        text="Лучше работает утром",
    )
    before = (
        Goal.objects.count(),
        Task.objects.count(),
        Observation.objects.count(),
        ProgressRecord.objects.count(),
        Message.objects.count(),
        PeerWork.objects.count(),
        PeerReview.objects.count(),
    )
    reads = [
        reverse("pairwork:pair", args=[pair.pk]),
        reverse("pairwork:meeting", args=[held.pk]),
        reverse("pairwork:thread", args=[pair.pk]),
        reverse("pairwork:attachment", args=[message.pk]),
    ]
    writes = {
        reverse("pairwork:goal_new", args=[pair.pk]): {"title": "Чужая цель"},
        reverse("pairwork:task_new", args=[pair.pk]): {
            "goal": str(the_goal.pk),
            "title": "Чужая задача",
        },
        reverse("pairwork:task_done", args=[the_task.pk]): {"done": "1"},
        reverse("pairwork:observation_new", args=[pair.pk]): {
            "mentee": str(tenant_a.mentee_person.pk),
            "text": "Чужое наблюдение",
        },
        reverse("pairwork:progress_new", args=[pair.pk]): {
            "mentee": str(tenant_a.mentee_person.pk),
            "subject": "Алгебра",
            "mark": "2",
            "recorded_on": timezone.localdate().isoformat(),
        },
        reverse("pairwork:thread", args=[pair.pk]): {"text": "Чужое сообщение"},
        reverse("pairwork:peer_work", args=[the_task.pk]): {"text": "Чужая работа"},
        reverse("pairwork:peer_review", args=[work.pk]): {"c0": "0"},
    }
    for user in _outsiders(tenant_a, tenant_b, coordinator):
        client = login(user)
        for url in reads:
            assert client.get(url).status_code == 404, (user, url)
        for url, body in writes.items():
            assert client.post(url, body).status_code == 404, (user, url)
    after = (
        Goal.objects.count(),
        Task.objects.count(),
        Observation.objects.count(),
        ProgressRecord.objects.count(),
        Message.objects.count(),
        PeerWork.objects.count(),
        PeerReview.objects.count(),
    )
    assert after == before
    the_task.refresh_from_db()
    assert the_task.status == "open"
