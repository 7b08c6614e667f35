"""What other apps add to the organization's page. The counts of people and bases read the people
and programs apps, which sit above organizations in the layers, so the programs app registers them
from its ``ready()`` (``programs.counts``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nastavnik.accounts.access import Actor
from nastavnik.organizations.models import Organization

CountsBuilder = Callable[..., Any]

_COUNTS: list[CountsBuilder] = []


def register_organization_counts(builder: CountsBuilder) -> None:
    """``builder(user=…, organization=…)`` returns the counts the page shows (``counts.*``)."""
    _COUNTS[:] = [builder]


def organization_page_counts(*, user: Actor, organization: Organization) -> Any:
    """The registered counts of the organization, or None when no app counts anything."""
    return _COUNTS[0](user=user, organization=organization) if _COUNTS else None
