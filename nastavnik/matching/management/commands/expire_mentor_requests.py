from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.matching.services import requests_expire


class Command(BaseCommand):
    help = "Mark mentees' requests to mentors past their date as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        count = requests_expire()
        self.stdout.write(f"{count}")
