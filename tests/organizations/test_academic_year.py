from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nastavnik.organizations.models import (
    AcademicYear,
    Territory,
    academic_start_year,
    academic_year_bounds,
)
from nastavnik.organizations.selectors import academic_year_current
from nastavnik.organizations.services import academic_year_current_ensure
from tests.factories import OrganizationFactory


def test_academic_year_runs_september_to_august() -> None:
    assert academic_year_bounds(2025) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert academic_start_year(dt.date(2025, 9, 1)) == 2025
    assert academic_start_year(dt.date(2026, 8, 31)) == 2025
    assert academic_start_year(dt.date(2026, 1, 15)) == 2025


@pytest.mark.django_db
def test_current_year_is_created_once_with_its_title() -> None:
    organization = OrganizationFactory()
    year = academic_year_current_ensure(organization=organization, today=dt.date(2026, 11, 26))
    assert year.title == "2026/2027"
    assert (year.starts_on, year.ends_on) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    again = academic_year_current_ensure(organization=organization, today=dt.date(2027, 3, 1))
    assert again.pk == year.pk
    assert academic_year_current(organization=organization, today=dt.date(2027, 3, 1)) == year


@pytest.mark.django_db
def test_reading_the_current_year_stores_nothing() -> None:
    organization = OrganizationFactory()
    year = academic_year_current(organization=organization, today=dt.date(2026, 11, 26))
    assert year.pk is None
    assert (year.title, year.starts_on, year.ends_on) == (
        "2026/2027",
        dt.date(2026, 9, 1),
        dt.date(2027, 8, 31),
    )
    assert not AcademicYear.objects.filter(organization=organization).exists()


@pytest.mark.django_db
def test_edited_bounds_are_respected() -> None:
    organization = OrganizationFactory()
    year = academic_year_current_ensure(organization=organization, today=dt.date(2026, 11, 26))
    year.ends_on = dt.date(2027, 6, 30)
    year.save()
    # The summer after an edited end still belongs to that academic year, not to a new one.
    summer = academic_year_current(organization=organization, today=dt.date(2027, 7, 15))
    assert summer.pk == year.pk
    autumn = academic_year_current(organization=organization, today=dt.date(2027, 9, 1))
    assert autumn.title == "2027/2028"


@pytest.mark.django_db
def test_territory_levels_are_checked() -> None:
    region = Territory.objects.create(name="Область", level=Territory.Level.REGION, code="r1")
    orphan = Territory(name="Город", level=Territory.Level.MUNICIPALITY, code="m1")
    with pytest.raises(ValidationError):
        orphan.full_clean()
    Territory(
        name="Город", level=Territory.Level.MUNICIPALITY, code="m2", parent=region
    ).full_clean()
