"""``manage.py import_people FILE --organization CODE [--actor LOGIN] [--program ID|none]
[--dry-run] [--skip-invalid]``.

With ``--actor`` the import runs on behalf of that curator of the organization, as the import
page does: the audit names them, and the consents of «Согласие получено» are recorded by them.
Without it the import runs as the system and records no consent: a row that would record one is
reported as a problem (row and column), in the dry run as in the commit.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from nastavnik.imports.models import ImportBatch
from nastavnik.imports.rows import Issue
from nastavnik.imports.services import import_can_run, import_run_command_line
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program


class Command(BaseCommand):
    help = "Import people (.xlsx, .ods, .csv) into the bases of an organization."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # The description is translated when the parser is built, not when the module is loaded.
        self.help = _(
            "Import people (.xlsx, .ods, .csv) into the bases of an organization, with the checks "
            "of the import page and in one transaction. The consents of the column «Согласие "
            "получено» are recorded on behalf of the curator given by --actor; without --actor "
            "no consent is recorded: the rows that would record one are reported as problems "
            "(nothing is imported, or they are skipped with --skip-invalid), and the audit log "
            "names no one."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("the file: .xlsx, .ods or .csv"))
        parser.add_argument("--organization", required=True, help=_("the organization's code"))
        parser.add_argument(
            "--actor",
            metavar="LOGIN",
            help=_(
                "the login of a curator of the organization on whose behalf the import runs: "
                "named in the audit log and as the one who recorded the consents; needed to "
                "record the consents of «Согласие получено»"
            ),
        )
        parser.add_argument(
            "--program",
            metavar="ID",
            help=_(
                "the id of the organization's program the rows with «Роль в программе» are "
                "enrolled in, or «none» to enrol them in no program; without it, in the first "
                "program of their form of the current academic year (created if there is none)"
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))
        parser.add_argument(
            "--skip-invalid", action="store_true", help=_("import the valid rows, skip the rest")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("ru")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file") % {"path": path})
        try:
            organization = Organization.objects.get(code=options["organization"])
        except Organization.DoesNotExist as exc:
            raise CommandError(
                _("There is no organization with the code «%(code)s».")
                % {"code": options["organization"]}
            ) from exc
        actor = self._actor(options["actor"], organization) if options["actor"] else None
        program = self._program(options.get("program"), organization)
        if actor is None:
            self.stderr.write(
                _(
                    "Without --actor the import runs as the system: no consent is recorded, "
                    "and the rows with «Согласие получено» whose consents would be recorded are "
                    "reported as problems."
                )
            )
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
                actor=actor,
                program=program,
                no_enrolment=options.get("program") == "none",
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

    def _program(self, value: str | None, organization: Organization) -> Program | None:
        """The program ``--program`` names: one of the organization's (``none``: no program)."""
        if not value or value == "none":
            return None
        program = (
            Program.objects.filter(organization=organization, pk=int(value)).first()
            if value.isdigit()
            else None
        )
        if program is None:
            raise CommandError(
                _(
                    "«%(organization)s» has no program with the id «%(id)s»; give the id of one "
                    "of its programs, or «none»."
                )
                % {"organization": organization, "id": value}
            )
        return program

    def _actor(self, username: str, organization: Organization) -> Any:
        """The user ``--actor`` names: an active curator of the organization (or an admin)."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist as exc:
            raise CommandError(
                _("There is no user with the login «%(login)s».") % {"login": username}
            ) from exc
        if not user.is_active:
            raise CommandError(
                _("The user «%(login)s» is deactivated and cannot import people.")
                % {"login": username}
            )
        if not import_can_run(user=user, organization_id=organization.pk):
            raise CommandError(
                _(
                    "The user «%(login)s» is not a curator of «%(organization)s»: only a curator "
                    "of the organization may import its people and record their consents."
                )
                % {"login": username, "organization": organization}
            )
        return user

    def _report(self, batch: ImportBatch) -> None:
        for issue in batch.issues:
            self.stdout.write(str(Issue(issue["row"], issue["column"], issue["message"])))
        for warning in batch.warnings:
            self.stdout.write(str(Issue(warning["row"], warning["column"], warning["message"])))
        if batch.unknown_columns:
            self.stdout.write(
                _("Unknown columns: %(columns)s") % {"columns": ", ".join(batch.unknown_columns)}
            )
        self.stdout.write(
            _(
                "rows: %(total)s; to create: %(create)s; to update: %(update)s; "
                "unchanged: %(unchanged)s; invalid: %(invalid)s; to enrol in the bases: "
                "%(enrol)s; not enrolled, no consent: %(blocked)s"
            )
            % {
                "total": batch.total_rows,
                "create": batch.to_create,
                "update": batch.to_update,
                "unchanged": batch.unchanged,
                "invalid": batch.invalid_rows,
                "enrol": batch.enrolments,
                "blocked": batch.enrolments_blocked,
            }
        )
        if batch.committed_at:
            self.stdout.write(
                _(
                    "created: %(created)s; updated: %(updated)s; skipped: %(skipped)s; "
                    "file hash: %(sha256)s"
                )
                % {
                    "created": batch.created_count,
                    "updated": batch.updated_count,
                    "skipped": batch.skipped_count,
                    "sha256": batch.sha256,
                }
            )
