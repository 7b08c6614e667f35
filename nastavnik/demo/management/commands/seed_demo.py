"""``manage.py seed_demo``: the deterministic demo region with named logins."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from nastavnik.demo.logins import demo_login_lines
from nastavnik.demo.services import (
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    DemoAlreadySeeded,
    demo_exists,
    demo_reset,
    demo_seed,
)
from nastavnik.organizations.models import Organization


class Command(BaseCommand):
    help = "Create the demo region and its logins."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Translated when the parser is built: argparse needs a str, not a lazy proxy.
        self.help = _(
            "Create the demo region: organizations, people with profiles, programs with their "
            "bases, and logins for every role. The same seed gives the same data."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing if the database already has an organization."),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Remove the demo region and its logins first, then create it anew."),
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=_("Random seed."))
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=_("Multiply the number of pupils and teachers (1 gives about 850 people)."),
        )
        parser.add_argument(
            "--compact",
            action="store_true",
            help=_("A quarter of the people: every login and program, seeded quickly."),
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=_("Password of every demo login (default: %(default)s)."),
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=_("Allow the demo logins under the production settings."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".production")
        if production and not options["allow_production"]:
            raise CommandError(
                _(
                    "The demo creates logins with a known password; it does not run under "
                    "the production settings without --allow-production."
                )
            )
        if options["scale"] < 1:
            raise CommandError(_("--scale must be at least 1."))
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write(_("The database already has data; the demo was not created."))
            return
        if options["reset"] and demo_exists():
            demo_reset()
            self.stdout.write(_("The demo region has been removed."))
        started = time.monotonic()
        try:
            context = demo_seed(
                seed=options["seed"],
                scale=options["scale"],
                password=options["password"],
                compact=options["compact"],
            )
        except DemoAlreadySeeded as exc:
            raise CommandError(
                _("The demo region or its logins are already there; use --reset to recreate it.")
            ) from exc
        people = sum(len(found) for found in context.people.values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo region created in %(seconds).1f s: %(organizations)d organizations, "
                    "%(people)d people, %(programs)d programs."
                )
                % {
                    "seconds": time.monotonic() - started,
                    "organizations": len(context.organizations),
                    "people": people,
                    "programs": len(context.programs),
                }
            )
        )
        if options["verbosity"] >= 2:
            for name, seconds in context.timings.items():
                self.stdout.write(f"  {name:<22} {seconds:6.1f} s")
        self.stdout.write(
            _("Logins (password «%(password)s»):") % {"password": options["password"]}
        )
        for line in demo_login_lines():
            self.stdout.write(line)
