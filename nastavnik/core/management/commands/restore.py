"""``manage.py restore FILE --yes``: replace the database and MEDIA_ROOT with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from nastavnik.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from an archive made by backup."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Translated when the parser is built: argparse needs a str, not a lazy proxy.
        self.help = _(
            "Restore the database and the uploaded files from an archive made by backup. "
            "Everything stored now is replaced."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help=_("Path of the archive to restore."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Confirm that the current data may be replaced."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                _("Restoring replaces all current data. Run again with --yes to confirm.")
            )
        try:
            manifest = backup_restore(archive_path=Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored the backup of %(when)s: %(tables)d tables match the archive.")
            % {"when": manifest["created_at"], "tables": len(manifest["tables"])}
        )
