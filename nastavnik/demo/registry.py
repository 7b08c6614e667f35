"""The context every demo step receives, and extra steps for tests and tools.

The apps' own steps are listed in ``nastavnik.demo.steps`` (the demo imports the apps, never the
reverse). ``register_demo_step`` adds a step at run time: tests use it to watch the order.

A step receives the ``DemoContext`` of the region just built (its organizations, logins,
programs and people) after the core steps ran, and writes its own data through its app's
services. Each step draws from ``context.rng_for(...)``, a generator seeded from the demo seed and
the step's own key, so adding a step never changes the data of the others.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from nastavnik.accounts.models import User
from nastavnik.demo import names
from nastavnik.organizations.models import Organization, Territory
from nastavnik.people.models import Person
from nastavnik.programs.models import Program


@dataclass
class DemoContext:
    seed: int
    scale: int
    today: dt.date
    region: Territory | None = None
    municipalities: dict[str, Territory] = field(default_factory=dict)
    # organization code -> organization
    organizations: dict[str, Organization] = field(default_factory=dict)
    # username -> login (the demo logins printed by ``seed_demo``)
    users: dict[str, User] = field(default_factory=dict)
    # organization code -> curator's login
    curators: dict[str, User] = field(default_factory=dict)
    # organization code -> people, in the order they were created
    people: dict[str, list[Person]] = field(default_factory=dict)
    # (organization code, form code) -> program of the current academic year
    programs: dict[tuple[str, str], Program] = field(default_factory=dict)
    # step name -> seconds it took ("core" is the region, people and programs)
    timings: dict[str, float] = field(default_factory=dict)

    def rng_for(self, *key: object) -> random.Random:
        """A generator of its own for each key: the same seed and key give the same data."""
        # Reproducible demo data, not secrets.
        return random.Random(":".join(str(part) for part in (self.seed, *key)))  # noqa: S311

    def family_of(self, surname: str) -> tuple[str, str]:
        """The (male, female) forms of a surname from the demo's name pools."""
        return names.family_of(surname)

    def patronymic_of(self, middle_name: str) -> tuple[str, str]:
        """The (male, female) forms of a patronymic from the demo's name pools."""
        return names.patronymic_of(middle_name)


DemoStep = Callable[[DemoContext], None]


@dataclass(frozen=True)
class _Registered:
    name: str
    step: DemoStep
    position: int


_STEPS: dict[str, _Registered] = {}


def register_demo_step(name: str, step: DemoStep, *, position: int = 100) -> None:
    """Add an extra step run after the region, people and programs exist (lower positions
    first, among the apps' steps of ``nastavnik.demo.steps``)."""
    _STEPS[name] = _Registered(name, step, position)


def extra_steps() -> list[tuple[str, int, DemoStep]]:
    return [(r.name, r.position, r.step) for r in _STEPS.values()]
