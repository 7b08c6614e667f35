"""The work of a pair or a group (работа наставнических пар и групп): the development plan (goals
and tasks), meetings with attendance, the mentee's reflections, thresholds of early warnings,
reminders sent and the personal calendar feed.

Every row carries its organization (the tenant key) and the mentorship it belongs to, so that a
selector scopes it with one filter. Progress and warnings are computed, never stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantModel
from nastavnik.core.models import TimeStampedModel


class ItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("plan item", "in progress")
    DONE = "done", pgettext_lazy("plan item", "done")


class Goal(TenantModel, TimeStampedModel):
    """A goal of the development plan with a measurable result and a deadline."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    title = models.CharField(_("goal"), max_length=300)
    result = models.CharField(_("measurable result"), max_length=500, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )

    class Meta:
        verbose_name = _("goal of the plan")
        verbose_name_plural = _("goals of the plan")
        ordering = ["mentorship", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Task(TenantModel, TimeStampedModel):
    """A task under a goal; a task never stands without a goal."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="plan_tasks",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence_link = models.URLField(_("evidence (link)"), blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("task of the plan")
        verbose_name_plural = _("tasks of the plan")
        ordering = ["goal", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting", "planned")
    HELD = "held", pgettext_lazy("meeting", "held")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "cancelled")


class Meeting(TenantModel, TimeStampedModel):
    """A planned or held meeting. ``notes`` are shared with the pair; ``private_notes`` are the
    mentor's own (the mentor and the curator read them)."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=45)
    format = models.CharField(
        _("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link to the online meeting"), blank=True)
    topic = models.CharField(_("topic"), max_length=300)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes (shared with the pair)"), blank=True)
    private_notes = models.TextField(_("mentor's private notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["organization", "mentorship", "starts_at"])]

    def __str__(self) -> str:
        return self.topic


class Attendance(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="pairwork_attendance_unique")
        ]


class Reflection(TenantModel, TimeStampedModel):
    """The mentee's short reflection after a meeting: what I learned, what was hard."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    learned = models.TextField(_("what I learned"))
    hard = models.TextField(_("what was hard"), blank=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="pairwork_reflection_unique")
        ]


class Thresholds(TenantModel):
    """Thresholds of early warnings of one program (defaults when a program has none)."""

    program = models.OneToOneField(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="pairwork_thresholds",
    )
    no_meeting_days = models.PositiveSmallIntegerField(_("no meeting for, days"), default=21)
    never_started_days = models.PositiveSmallIntegerField(
        _("no first meeting for, days"), default=14
    )

    class Meta:
        verbose_name = _("warning thresholds")
        verbose_name_plural = _("warning thresholds")


class ReminderKind(models.TextChoices):
    MEETING = "meeting", _("meeting soon")
    OVERDUE_TASK = "overdue_task", _("overdue task")


class ReminderSent(TenantModel):
    """One row per reminder sent: the unique key makes a second worker run send nothing."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "user"], name="pairwork_reminder_once"
            )
        ]


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A user's personal calendar feed (a secret URL). Holds no personal data of its own and
    spans the user's organizations; revoking replaces the token. ``reminders_off`` is the
    user's choice not to get reminders by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairwork_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    active = models.BooleanField(default=True)
    reminders_off = models.BooleanField(_("no reminders by e-mail"), default=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
