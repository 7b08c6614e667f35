"""``manage.py import_people FILE --organization CODE [--dry-run] [--skip-invalid]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from nastavnik.imports.models import ImportBatch
from nastavnik.imports.rows import Issue
from nastavnik.imports.services import import_run_command_line
from nastavnik.organizations.models import Organization


class Command(BaseCommand):
    help = "Import people (.xlsx, .ods, .csv) into the bases of an organization."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="the organization's code")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows, skip the rest"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("ru")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            organization = Organization.objects.get(code=options["organization"])
        except Organization.DoesNotExist as exc:
            raise CommandError(
                f"no organization with the code {options['organization']!r}"
            ) from exc
        last = [-1]
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            percent = 100 * min(done, total) // max(total, 1)
            step = percent // (5 if interactive else 10)
            if step != last[0]:
                last[0] = step
                ending = "" if interactive else "\n"
                self.stderr.write(f"\r{percent:3d}% ({done}/{total})", ending=ending)
                self.stderr.flush()

        try:
            batch = import_run_command_line(
                organization=organization,
                path=path,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                progress=progress
                if sys.stderr.isatty() or options.get("verbosity", 1) > 1
                else None,
            )
        except ValidationError as exc:
            self.stderr.write("")
            batch_found = (
                ImportBatch.objects.filter(organization=organization).order_by("-id").first()
            )
            if batch_found is not None:
                self._report(batch_found)
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write("")
        self._report(batch)

    def _report(self, batch: ImportBatch) -> None:
        for issue in batch.issues:
            self.stdout.write(str(Issue(issue["row"], issue["column"], issue["message"])))
        for warning in batch.warnings:
            self.stdout.write(str(Issue(warning["row"], warning["column"], warning["message"])))
        if batch.unknown_columns:
            self.stdout.write("Неизвестные столбцы: " + ", ".join(batch.unknown_columns))
        self.stdout.write(
            f"строк: {batch.total_rows}; создать: {batch.to_create}; обновить: {batch.to_update}; "
            f"без изменений: {batch.unchanged}; с ошибками: {batch.invalid_rows}"
        )
        if batch.committed_at:
            self.stdout.write(
                f"создано: {batch.created_count}; обновлено: {batch.updated_count}; "
                f"пропущено: {batch.skipped_count}; хеш файла: {batch.sha256}"
            )
