"""Serve the embedded installation: the task worker and the web server, in one command.

Prints the URL and the demo logins first. Stops both processes on Ctrl+C. It lives in the demo
app because it prints the demo logins: the core never imports the demo.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from nastavnik.demo.logins import serve_login_lines


class Command(BaseCommand):
    help = "Start the background task worker and the web server, and print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Nastavnik is available at %(url)s") % {"url": url}))
        self._print_logins()
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "1"],
                env=os.environ.copy(),
            )
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def _print_logins(self) -> None:
        for line in serve_login_lines():
            self.stdout.write(line)
