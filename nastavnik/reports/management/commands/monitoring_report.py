"""``manage.py monitoring_report --organization CODE --year 2025/2026 --format json|xlsx|pdf
--output FILE``: an organization's monitoring report for an academic year, from the data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from nastavnik.organizations.models import Organization
from nastavnik.reports import exports
from nastavnik.reports.figures import figures_by_organization
from nastavnik.reports.selectors import report_context

_YEAR = re.compile(r"^(?P<first>\d{4})(?:/(?P<second>\d{4}))?$")


def parse_year(value: str) -> int:
    """«2025/2026» or «2025» (the year the academic year starts in) → 2025."""
    match = _YEAR.match(value.strip())
    if not match:
        raise CommandError(
            _("--year: «%(value)s» is not an academic year like 2025/2026") % {"value": value}
        )
    first = int(match["first"])
    if match["second"] and int(match["second"]) != first + 1:
        raise CommandError(_("--year: «%(value)s» is not two consecutive years") % {"value": value})
    return first


class Command(BaseCommand):
    help = "Write an organization's monitoring report for an academic year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="organization code")
        parser.add_argument(
            "--year", required=True, help="academic year: 2025/2026 (or 2025, its first year)"
        )
        parser.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
        parser.add_argument("--output", required=True, help="file to write («-» for stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("ru"):
            self._write(options)

    def _write(self, options: dict[str, Any]) -> None:
        try:
            organization = Organization.objects.get(code=options["organization"])
        except Organization.DoesNotExist as exc:
            raise CommandError(
                _("No organization with the code «%(code)s».") % {"code": options["organization"]}
            ) from exc
        start_year = parse_year(options["year"])
        figures = figures_by_organization([organization.pk], start_year)[organization.pk]
        extra = report_context(organization=organization, start_year=start_year, figures=figures)
        fmt = options["format"]
        if fmt == "xlsx":
            content = exports.report_xlsx(organization, start_year, figures, extra=extra)
        elif fmt == "pdf":
            content = exports.report_pdf(organization, start_year, figures, extra=extra)
        else:
            content = exports.report_json(organization, start_year, figures, extra=extra)
        if options["output"] == "-":
            self.stdout.write(
                content.decode()
                if fmt == "json"
                else _("(a binary file: name a file in --output to write it)")
            )
            return
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            _("%(path)s: %(size)s bytes written")
            % {"path": options["output"], "size": len(content)}
        )
