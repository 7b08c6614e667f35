"""Remind by e-mail those who have not answered an open survey (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from nastavnik.surveys.services import reminders_send


class Command(BaseCommand):
    help = _("Remind by e-mail those who have not answered an open survey yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(_("Reminders sent: %(count)d.") % {"count": sent})
