"""Building the demo region: a deterministic set of organizations, people, logins and programs.

People, profiles, programs and enrolments are written through the apps' own services, acting as
each organization's curator, so the demo exercises the same code (permission checks, validation,
audit rows) as a real curator filling in the bases. Territories, organizations and logins have no
services yet and are written here, validated with ``full_clean()``.

The same ``seed`` and ``scale`` give the same region on any database: every random choice comes
from a generator keyed by the seed and by what is being drawn (``DemoContext.rng_for``). Dates are
relative to the current academic year, so the pupils of «7Б» are always 12–13 years old.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import Role, User
from nastavnik.demo import data
from nastavnik.demo.registry import DemoContext
from nastavnik.demo.services.builder import _Builder
from nastavnik.demo.services.parts import (
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    DEMO_CODE_PREFIX,
    _pupils_per_class,
)
from nastavnik.demo.steps import demo_steps
from nastavnik.organizations.models import Organization, Territory, academic_start_year
from nastavnik.people.models import Person
from nastavnik.programs.models import Program

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "DEMO_CODE_PREFIX",
    "DemoAlreadySeeded",
    "_pupils_per_class",
    "demo_context",
    "demo_exists",
    "demo_reset",
    "demo_seed",
]


class DemoAlreadySeeded(Exception):
    """The demo region is already in the database."""


def demo_exists() -> bool:
    return Territory.objects.filter(code=data.REGION[0]).exists()


@transaction.atomic
def demo_reset() -> None:
    """Remove the demo region: its organizations (with everything in them) and its logins."""
    organizations = Organization.objects.filter(code__startswith=DEMO_CODE_PREFIX)
    # Programs protect their academic year; remove them before the organizations.
    Program.objects.filter(organization__in=organizations).delete()
    User.objects.filter(username__in=data.DEMO_USERNAMES).delete()
    organizations.delete()
    Territory.objects.filter(
        code__startswith=DEMO_CODE_PREFIX, level=Territory.Level.MUNICIPALITY
    ).delete()
    Territory.objects.filter(code=data.REGION[0]).delete()


def demo_context(*, seed: int = DEFAULT_SEED, scale: int = 1) -> DemoContext:
    """The context of the demo region already in the database (as ``demo_seed`` returned it).

    For tools that restore a saved copy of the demo instead of building it again.
    """
    context = DemoContext(seed=seed, scale=scale, today=timezone.localdate())
    context.region = Territory.objects.filter(code=data.REGION[0]).first()
    context.municipalities = {
        t.code: t for t in Territory.objects.filter(code__in=list(data.MUNICIPALITIES))
    }
    codes = [spec.code for spec in data.ORGANIZATIONS]
    context.organizations = {
        o.code: o for o in Organization.objects.filter(code__in=codes).order_by("pk")
    }
    context.users = {u.username: u for u in User.objects.filter(username__in=data.DEMO_USERNAMES)}
    for login in data.NAMED_LOGINS:
        if login.role == Role.CURATOR and login.organization and login.username in context.users:
            context.curators[login.organization] = context.users[login.username]
    for code, organization in context.organizations.items():
        context.people[code] = list(Person.objects.filter(organization=organization).order_by("pk"))
    year = academic_start_year(context.today)
    for program in Program.objects.filter(
        organization__in=context.organizations.values(), academic_year__start_year=year
    ).select_related("organization", "form"):
        context.programs[(program.organization.code, program.form.code)] = program
    return context


@transaction.atomic
def demo_seed(
    *,
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    password: str = DEFAULT_PASSWORD,
    compact: bool = False,
) -> DemoContext:
    """Build the demo region; raises ``DemoAlreadySeeded`` if it is there already.

    ``scale`` multiplies the pupils, teachers and the bases; ``compact`` keeps about a quarter
    of the people (every named login and every program stay): quick enough for browser tests.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if demo_exists() or User.objects.filter(username__in=data.DEMO_USERNAMES).exists():
        raise DemoAlreadySeeded
    context = DemoContext(seed=seed, scale=scale, today=timezone.localdate())
    started = time.monotonic()
    _Builder(context, password, compact=compact).build()
    context.timings["core"] = time.monotonic() - started
    for name, step in demo_steps():
        started = time.monotonic()
        step(context)
        context.timings[name] = time.monotonic() - started
    return context
