"""The apps' steps of the demo, run after the region, people, programs and bases exist.

The demo depends on the apps, never the reverse: an app adds to the demo by a module of its own,
``nastavnik/<app>/demo.py``, that does not import ``nastavnik.demo`` and has

- ``POSITION: int`` — when the step runs (lower first; today: programs 150, relatives 250,
  matching 300; a step that needs published pairs goes after 300);
- ``def step(context) -> None`` — writes the app's demo data through the app's services. It
  types ``context`` with a ``typing.Protocol`` of its own that lists what it reads of
  ``nastavnik.demo.registry.DemoContext`` (``organizations``, ``curators``, ``people``,
  ``programs``, ``today``, ``rng_for(...)``), so the app needs no import of the demo.

Then the module is added to ``STEPS`` below, with the name its time is printed under; mypy checks
there that the demo's context satisfies the step's protocol.
"""

from __future__ import annotations

from nastavnik.demo.registry import DemoStep, extra_steps
from nastavnik.events import demo as events_demo
from nastavnik.ideas import demo as ideas_demo
from nastavnik.library import demo as library_demo
from nastavnik.matching import demo as matching_demo
from nastavnik.pairwork import demo as pairwork_demo
from nastavnik.people import demo as people_demo
from nastavnik.programs import demo as programs_demo
from nastavnik.quickmentoring import demo as quickmentoring_demo
from nastavnik.reports import demo as reports_demo
from nastavnik.surveys import demo as surveys_demo

# (name printed with its time by ``seed_demo -v 2``, position, step) of every app's demo module
STEPS: tuple[tuple[str, int, DemoStep], ...] = (
    ("programs", programs_demo.POSITION, programs_demo.step),
    ("relatives", people_demo.POSITION, people_demo.step),
    ("matching", matching_demo.POSITION, matching_demo.step),
    ("pairwork", pairwork_demo.POSITION, pairwork_demo.step),
    ("surveys", surveys_demo.POSITION, surveys_demo.step),
    ("events", events_demo.POSITION, events_demo.step),
    ("reports", reports_demo.POSITION, reports_demo.step),
    ("quickmentoring", quickmentoring_demo.POSITION, quickmentoring_demo.step),
    ("ideas", ideas_demo.POSITION, ideas_demo.step),
    ("library", library_demo.POSITION, library_demo.step),
)


def demo_steps() -> list[tuple[str, DemoStep]]:
    """The apps' steps and any extra ones, in the order of their positions (then names)."""
    found = [*STEPS, *extra_steps()]
    return [(name, step) for name, _position, step in sorted(found, key=lambda s: (s[1], s[0]))]
