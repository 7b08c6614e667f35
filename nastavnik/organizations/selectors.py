"""Reads of territories, organizations and academic years, scoped to the acting user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from nastavnik.accounts.access import Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.organizations.models import (
    AcademicYear,
    Organization,
    Territory,
    academic_start_year,
    academic_year_bounds,
)


def territory_ids_under(territory_ids: frozenset[int]) -> set[int]:
    """The territories and the municipalities of the regions among them."""
    if not territory_ids:
        return set()
    children = Territory.objects.filter(parent_id__in=territory_ids).values_list("id", flat=True)
    return set(territory_ids) | set(children)


def organization_list(*, user: Actor) -> QuerySet[Organization]:
    """Organizations the user belongs to, or whose territory the user coordinates."""
    access = access_for(user)
    qs = Organization.objects.select_related("territory", "territory__parent")
    if access.is_admin:
        return qs.all()
    if not access.is_authenticated:
        return qs.none()
    condition = Q(id__in=access.member_org_ids)
    coordinated = territory_ids_under(frozenset(access.territory_roles))
    if coordinated:
        condition |= Q(territory_id__in=coordinated)
    return qs.filter(condition)


def organization_get(*, user: Actor, organization_id: int) -> Organization:
    return get_visible(organization_list(user=user), pk=organization_id)


def staff_organization_list(*, user: Actor) -> QuerySet[Organization]:
    """Organizations whose personal data the user may see and manage (curator, head)."""
    access = access_for(user)
    qs = Organization.objects.select_related("territory")
    if access.is_admin:
        return qs.all()
    return qs.filter(id__in=access.staff_org_ids)


def academic_year_current(
    *, organization: Organization, today: dt.date | None = None
) -> AcademicYear:
    """The academic year containing ``today`` (or starting in its 1 September – 31 August span).

    A read: when the organization has no such year stored yet, the year with the default bounds
    is returned unsaved (``pk is None``); writers store it with
    :func:`nastavnik.organizations.services.academic_year_current_ensure`.
    """
    day = today or timezone.localdate()
    start_year = academic_start_year(day)
    stored = AcademicYear.objects.filter(organization=organization)
    found = (
        stored.filter(starts_on__lte=day, ends_on__gte=day).order_by("-start_year").first()
        or stored.filter(start_year=start_year).first()
    )
    if found is not None:
        return found
    starts_on, ends_on = academic_year_bounds(start_year)
    return AcademicYear(
        organization=organization, start_year=start_year, starts_on=starts_on, ends_on=ends_on
    )
