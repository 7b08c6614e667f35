"""``manage.py jobs_clean [--days N]``: old background jobs and their files go."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from nastavnik.core.job_cleaning import jobs_clean, keep_days


class Command(BaseCommand):
    help = "Delete background jobs finished more than N days ago, with their result files."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Translated when the parser is built: argparse needs a str, not a lazy proxy.
        self.help = _(
            "Delete background jobs finished more than N days ago, with their result files."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Keep the jobs of the last N days (default: NASTAVNIK_JOB_KEEP_DAYS, %(days)s).")
            % {"days": keep_days()},
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError(_("The number of days must not be negative."))
        cleaned = jobs_clean(days=days)
        self.stdout.write(
            _("Deleted %(jobs)s jobs, %(files)s of their files and %(orphans)s files of no job.")
            % {"jobs": cleaned.jobs, "files": cleaned.files, "orphans": cleaned.orphan_files}
        )
