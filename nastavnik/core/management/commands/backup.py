"""``manage.py backup FILE``: the database and MEDIA_ROOT in one archive (see core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from nastavnik.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Translated when the parser is built: argparse needs a str, not a lazy proxy.
        self.help = _("Back up the database and the uploaded files into one .tar.gz archive.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help=_("Path of the archive to write."))

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            _("Backup written to %(path)s: %(tables)d tables, %(rows)d rows.")
            % {"path": output, "tables": len(manifest["tables"]), "rows": rows}
        )
