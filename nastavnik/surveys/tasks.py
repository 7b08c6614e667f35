"""Background work of surveys: thin tasks that call a service."""

from __future__ import annotations

from django_tasks import task

from nastavnik.surveys import services


@task()
def send_survey_reminders() -> int:
    return services.reminders_send()
