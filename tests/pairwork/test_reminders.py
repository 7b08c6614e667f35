"""Reminders by e-mail: sent by the worker exactly once, each user may turn them off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from nastavnik.pairwork import services
from nastavnik.pairwork.models import MeetingStatus, ReminderSent
from nastavnik.pairwork.reminders import reminders_send
from nastavnik.pairwork.tasks import send_reminders
from tests.pairwork.factories import goal, meeting, task, working_pair

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def _with_emails(tenant: Any) -> None:
    for user in (tenant.mentor, tenant.mentee):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def _run_worker_once() -> None:
    with override_settings(TASKS=DATABASE_TASKS):
        send_reminders.enqueue()
        queued = DBTaskResult.objects.ready().get()
        queued.claim("test-worker")
        _worker().run_task(queued)


def test_the_worker_sends_each_reminder_once(tenant_a: Any) -> None:
    _with_emails(tenant_a)
    pair = working_pair(tenant_a)
    meeting(
        pair,
        starts_at=timezone.now() + dt.timedelta(hours=3),
        status=MeetingStatus.PLANNED,
        topic="Планирование",
    )
    task(goal(pair), due_on=timezone.localdate() - dt.timedelta(days=2), title="Эссе")
    _run_worker_once()
    _run_worker_once()
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(subjects) == 3
    assert sorted(to for to, s in subjects if "Планирование" in s) == sorted(
        [tenant_a.mentee.email, tenant_a.mentor.email]
    )
    overdue = [m for m in mail.outbox if "Эссе" in m.subject]
    assert [m.to for m in overdue] == [[tenant_a.mentor.email]]
    assert "просрочена" in overdue[0].subject.lower()
    assert ReminderSent.objects.count() == 3


def test_the_command_and_turning_reminders_off(tenant_a: Any) -> None:
    _with_emails(tenant_a)
    pair = working_pair(tenant_a)
    services.reminders_set(actor=tenant_a.mentee, enabled=False)
    meeting(
        pair,
        starts_at=timezone.now() + dt.timedelta(hours=2),
        status=MeetingStatus.PLANNED,
    )
    call_command("send_pairwork_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [[tenant_a.mentor.email]]


def test_no_reminder_for_a_meeting_far_ahead(tenant_a: Any) -> None:
    _with_emails(tenant_a)
    pair = working_pair(tenant_a)
    meeting(pair, starts_at=timezone.now() + dt.timedelta(days=3), status=MeetingStatus.PLANNED)
    assert reminders_send() == 0
    assert mail.outbox == []


def test_new_messages_are_mailed_in_one_batch_once(tenant_a: Any) -> None:
    from nastavnik.pairwork import threads

    _with_emails(tenant_a)
    pair = working_pair(tenant_a)
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Первый вопрос")
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Второй вопрос")
    reminders_send()
    reminders_send()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([tenant_a.mentor.email], "2 новых сообщения от вашей пары или группы")
    ]
    # Read on the page: a later message is mailed, the read ones are not counted again.
    threads.thread_messages(user=tenant_a.mentor, mentorship=pair)
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Третий")
    reminders_send()
    assert mail.outbox[-1].subject == "1 новое сообщение от вашей пары или группы"
    assert len(mail.outbox) == 2
