"""Methodological and interactive events of an organization, their registrations, attendance,
materials and feedback; festivals of mentoring pairs (nominations, jury, scores); a pair's place
in an outside contest.

Every table carries the organization of the event (``TenantModel``). An event may be open to the
municipality (``open_to_municipality``): members of the other organizations of the same
municipality then see it and may register; their registration still belongs to the event's
organization, whose curator manages it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.access import Access, Actor, access_for
from nastavnik.accounts.tenancy import TenantModel, TenantQuerySet
from nastavnik.events.catalogue import form_choices

SCORE_MIN = 1
SCORE_MAX_LIMIT = 100


class EventQuerySet(TenantQuerySet["Event"]):
    def visible_to(self, user: Actor | Access) -> EventQuerySet:
        """Events of the user's organizations, and events open to the municipality of one of
        them (administrator: all; anonymous and coordinators: none)."""
        access = user if isinstance(user, Access) else access_for(user)
        if access.is_admin:
            return self.all()
        own = models.Q(organization_id__in=access.member_org_ids)
        if not access.member_org_ids:
            return self.none()
        open_to = models.Q(
            open_to_municipality=True,
            organization__territory__organizations__id__in=access.member_org_ids,
        )
        return self.filter(own | open_to).distinct()


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class Event(TenantModel):
    form = models.CharField(_("form"), max_length=32, choices=form_choices())
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration, minutes"), validators=[MinValueValidator(5), MaxValueValidator(12 * 60)]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    seat_limit = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deficit = models.ForeignKey(
        "people.Competency",
        verbose_name=_("deficit addressed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agenda = models.TextField(_("agenda"), blank=True)
    open_to_municipality = models.BooleanField(_("open to the municipality"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    score_max = models.PositiveSmallIntegerField(
        _("top of the jury's scale"),
        default=10,
        validators=[MinValueValidator(2), MaxValueValidator(SCORE_MAX_LIMIT)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[Any] = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_festival(self) -> bool:
        return self.form == "festival"


class Registration(TenantModel):
    """A login registered for an event (the event's organization owns the row)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    registered_at = models.DateTimeField(_("registered at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_registration_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class Material(TenantModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="events/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    link = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Feedback(TenantModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("what was useful, what to change"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.rating}"


class Nomination(TenantModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(_("nomination"), max_length=300)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="events_nomination_unique")
        ]

    def __str__(self) -> str:
        return self.name


class JuryMember(TenantModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_jury_unique")]

    def __str__(self) -> str:
        return str(self.user)


class Entry(TenantModel):
    """A mentoring pair or group competing in a nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="entries")
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("pair or group"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("festival entry")
        verbose_name_plural = _("festival entries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "mentorship"], name="events_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.mentorship_id}"


class Score(TenantModel):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["entry", "juror"], name="events_score_once")]

    def __str__(self) -> str:
        return str(self.value)


class ContestResult(TenantModel):
    """A pair's place in an outside contest (municipal, regional, national)."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("pair or group"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    contest = models.CharField(_("contest"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    result = models.CharField(
        _("place or result"), max_length=200, help_text=_("For example: 1 место, призёр, лауреат.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contest result")
        verbose_name_plural = _("contest results")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.contest} ({self.year}): {self.result}"
