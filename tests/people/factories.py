"""Builders for the people app's tests and for other apps' tests that need relatives."""

from __future__ import annotations

from nastavnik.people.models import Kinship, KinshipKind, Person


def kinship(first: Person, second: Person, kind: str = KinshipKind.OTHER) -> Kinship:
    """Two people of one organization recorded as relatives (in either order)."""
    a, b = Kinship.ordered(first.pk, second.pk)
    return Kinship.objects.create(
        organization_id=first.organization_id, person_a_id=a, person_b_id=b, kind=kind
    )
