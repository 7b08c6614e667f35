"""Background work of pairs: thin tasks that call a service."""

from __future__ import annotations

from django_tasks import task

from nastavnik.pairwork.reminders import reminders_send


@task()
def send_reminders() -> int:
    return reminders_send()
