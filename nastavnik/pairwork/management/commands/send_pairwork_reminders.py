from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.pairwork.reminders import reminders_send


class Command(BaseCommand):
    help = "E-mail the reminders due now (meetings within a day, overdue tasks), each once."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{reminders_send()}")
