"""Consents under 152-ФЗ: one record per person and purpose, with the text version it was given for.

No valid consent, no processing: enrolment, matching and surveys ask
``consents.selectors.has_valid_consent`` / ``people_with_valid_consent`` first.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel


class ConsentPurpose(models.TextChoices):
    PARTICIPATION = "participation", _("participation in the mentoring program")
    PERSONAL_DATA = "personal_data", _("processing of personal data")
    PHOTO = "photo", _("photos and video")


# Enrolment, matching and surveys need both of these.
PROCESSING_PURPOSES: tuple[str, ...] = (
    ConsentPurpose.PERSONAL_DATA.value,
    ConsentPurpose.PARTICIPATION.value,
)


class GivenBy(models.TextChoices):
    PERSON = "person", _("the person themselves")
    PARENT = "parent", _("a parent")
    GUARDIAN = "guardian", _("a legal guardian")


class ConsentText(models.Model):
    """A version of the text a consent is given for. Shipped by a data migration; never edited
    once used — a changed text is a new version."""

    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    version = models.CharField(_("version"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    valid_from = models.DateField(_("in force from"))
    term_months = models.PositiveSmallIntegerField(
        _("term in months"),
        null=True,
        blank=True,
        help_text=_("Empty: until the end of the academic year or withdrawal."),
    )

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Consent(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text version"), on_delete=models.PROTECT, related_name="+"
    )
    given_by = models.CharField(
        _("given by"), max_length=16, choices=GivenBy.choices, default=GivenBy.PERSON
    )
    representative_name = models.CharField(
        _("parent or legal guardian (full name)"), max_length=255, blank=True
    )
    given_on = models.DateField(_("date given"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["person", "purpose", "-given_on", "-id"]
        indexes = [models.Index(fields=["organization", "purpose", "person"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_purpose_display()}"

    def is_valid_on(self, day: dt.date) -> bool:
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        if self.given_on > day:
            return False
        return self.valid_until is None or day <= self.valid_until

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.given_by != GivenBy.PERSON and not self.representative_name.strip():
            errors["representative_name"] = str(
                _("Enter the full name of the parent or legal guardian who signed the consent.")
            )
        if self.valid_until and self.given_on and self.valid_until < self.given_on:
            errors["valid_until"] = str(_("The consent cannot end before it was given."))
        if self.text_id and self.purpose and self.text.purpose != self.purpose:
            errors["text"] = str(_("The text is for another purpose."))
        if errors:
            raise ValidationError(errors)
