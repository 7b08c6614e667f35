"""Writes of territories, organizations and academic years."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from nastavnik.organizations.models import (
    AcademicYear,
    Organization,
    academic_start_year,
    academic_year_bounds,
)


@transaction.atomic
def academic_year_ensure(*, organization: Organization, day: dt.date) -> AcademicYear:
    """The academic year of ``day`` for the organization, with 1 September – 31 August bounds."""
    start_year = academic_start_year(day)
    starts_on, ends_on = academic_year_bounds(start_year)
    year, _created = AcademicYear.objects.get_or_create(
        organization=organization,
        start_year=start_year,
        defaults={"starts_on": starts_on, "ends_on": ends_on},
    )
    return year


def academic_year_current_ensure(
    *, organization: Organization, today: dt.date | None = None
) -> AcademicYear:
    """The current academic year (see the selector ``academic_year_current``), stored."""
    from nastavnik.organizations.selectors import academic_year_current

    year = academic_year_current(organization=organization, today=today)
    if year.pk is None:
        year = academic_year_ensure(organization=organization, day=today or timezone.localdate())
    return year
