"""Writes of territories, organizations and academic years."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

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
