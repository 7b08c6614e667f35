"""The tenant boundary: territories, organizations and their academic years."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel


def _timezone_choices() -> list[tuple[str, str]]:
    russian = sorted(
        name
        for name in zoneinfo.available_timezones()
        if name.startswith(("Europe/", "Asia/"))
        and name.split("/")[1]
        in {
            "Kaliningrad",
            "Moscow",
            "Samara",
            "Volgograd",
            "Kirov",
            "Astrakhan",
            "Saratov",
            "Ulyanovsk",
            "Yekaterinburg",
            "Omsk",
            "Novosibirsk",
            "Barnaul",
            "Tomsk",
            "Novokuznetsk",
            "Krasnoyarsk",
            "Irkutsk",
            "Chita",
            "Yakutsk",
            "Khandyga",
            "Vladivostok",
            "Ust-Nera",
            "Magadan",
            "Sakhalin",
            "Srednekolymsk",
            "Kamchatka",
            "Anadyr",
            "Simferopol",
        }
    )
    return [(name, name) for name in russian]


class Territory(TimeStampedModel):
    class Level(models.TextChoices):
        REGION = "region", _("region")
        MUNICIPALITY = "municipality", _("municipality")

    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level == self.Level.MUNICIPALITY and (
            self.parent is None or self.parent.level != self.Level.REGION
        ):
            raise ValidationError({"parent": _("A municipality belongs to a region.")})
        if self.level == self.Level.REGION and self.parent_id is not None:
            raise ValidationError({"parent": _("A region has no parent territory.")})


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("school")
        COLLEGE = "college", _("college")
        KINDERGARTEN = "kindergarten", _("kindergarten")
        ADDITIONAL = "additional", _("additional education centre")
        EMPLOYER = "employer", _("employer or partner")

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=255)
    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Latin letters, digits and hyphens; used in imports and the command line."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Moscow", choices=_timezone_choices()
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    head_name = models.CharField(_("head (full name)"), max_length=255, blank=True)
    head_position = models.CharField(_("head's position"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def municipality(self) -> Territory:
        return self.territory

    @property
    def region(self) -> Territory | None:
        return self.territory.parent


def academic_year_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    """The academic year runs 1 September – 31 August."""
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


def academic_start_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


class AcademicYear(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="academic_years",
    )
    start_year = models.PositiveSmallIntegerField(_("first calendar year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["organization", "-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_year"], name="academic_year_unique_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """«2025/2026»."""
        return f"{self.start_year}/{self.start_year + 1}"

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.starts_on or not self.ends_on:
            start, end = academic_year_bounds(self.start_year)
            self.starts_on = self.starts_on or start
            self.ends_on = self.ends_on or end
        super().save(*args, **kwargs)  # type: ignore[arg-type]
