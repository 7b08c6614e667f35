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
from nastavnik.people.models import Achievement


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


class TaskKind(models.TextChoices):
    """What a task of the plan is. A held meeting ticks the plan's next open meeting task
    (``services.meeting_tick_task``); a series of meetings is ticked by the mentor, and until it is,
    held meetings count towards it and tick nothing further."""

    TASK = "", pgettext_lazy("plan task", "task")
    MEETING = "meeting", pgettext_lazy("plan task", "meeting of the sequence")
    MEETINGS = "meetings", pgettext_lazy("plan task", "series of meetings")


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
    peer_review = models.BooleanField(
        _("peer review"),
        default=False,
        help_text=_("The mentees of the group review each other's work on this task."),
    )
    rubric = models.TextField(
        _("rubric"), blank=True, help_text=_("One criterion per line, up to five.")
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=TaskKind.choices, default=TaskKind.TASK, blank=True
    )
    meeting = models.ForeignKey(
        "pairwork.Meeting",
        verbose_name=_("ticked by the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticked_tasks",
    )

    class Meta:
        verbose_name = _("task of the plan")
        verbose_name_plural = _("tasks of the plan")
        ordering = ["goal", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def criteria(self) -> list[str]:
        """The criteria of the peer-review rubric, in order."""
        return [line.strip() for line in self.rubric.splitlines() if line.strip()]


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
    answer_days = models.PositiveSmallIntegerField(
        _("a mentee's message without an answer for, days"), default=3
    )

    class Meta:
        verbose_name = _("warning thresholds")
        verbose_name_plural = _("warning thresholds")


class ReminderKind(models.TextChoices):
    MEETING = "meeting", _("meeting soon")
    OVERDUE_TASK = "overdue_task", _("overdue task")
    MESSAGES = "messages", _("new messages")


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


def _attachment_path(instance: Message, filename: str) -> str:
    # The stored name is opaque: the original name is kept in ``attachment_name``.
    return f"pairwork/{instance.organization_id}/{secrets.token_hex(16)}"


class Message(TenantModel, TimeStampedModel):
    """A message of the pair's or group's thread (virtual mentoring). The curator reads a thread
    only after a participant reports a problem, and each such reading is audited."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="pair_messages",
    )
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("message"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=_attachment_path, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organization", "mentorship", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ThreadRead(TenantModel):
    """Up to which message a user has read a thread (unread counts on «My pairs»)."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_message_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "user"], name="pairwork_thread_read")
        ]


class ProblemReport(TenantModel, TimeStampedModel):
    """A participant asks the curator to step in: while it is open the curator reads the thread."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="problem_reports",
    )
    reported_by = models.ForeignKey(
        "people.Person", verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("what happened"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-id"]


class ProgressRecord(TenantModel, TimeStampedModel):
    """A mentee's level or mark in a subject or skill on a date: the history shows whether «the
    weak rise to the middle». Set by the mentor or a curator, never by the mentee."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="progress_records",
    )
    mentee = models.ForeignKey(
        "people.Person", verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("subject or skill"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Achievement.choices, null=True, blank=True
    )
    mark = models.DecimalField(_("mark"), max_digits=4, decimal_places=2, null=True, blank=True)
    recorded_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")
        ordering = ["mentee", "subject", "recorded_on", "id"]


class Observation(TenantModel, TimeStampedModel):
    """The mentor's observation of a learner's individual features (what helps, what to avoid):
    the mentor and the curator read it; the learner does not."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("mentoring pair or group"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    mentee = models.ForeignKey(
        "people.Person", verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("observation"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-created_at", "-id"]


# --- Peer review inside groups (взаимоконтроль) -------------------------------------------------


class PeerPoints(models.IntegerChoices):
    """Points of one criterion of a peer review."""

    NO = 0, pgettext_lazy("peer review", "not met")
    PARTLY = 1, pgettext_lazy("peer review", "partly met")
    YES = 2, pgettext_lazy("peer review", "met")


class PeerWork(TenantModel, TimeStampedModel):
    """A mentee's work on a group task that asks for peer review."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="peer_works"
    )
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("the work"), max_length=4000)
    link = models.URLField(_("link to the work"), blank=True)

    class Meta:
        verbose_name = _("work for peer review")
        verbose_name_plural = _("works for peer review")
        ordering = ["task", "author__last_name", "author__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "author"], name="peer_work_once_per_author")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PeerReview(TenantModel, TimeStampedModel):
    """One mentee's review of another's work: points per criterion of the task's rubric."""

    work = models.ForeignKey(
        PeerWork, verbose_name=_("work"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        "people.Person", verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="+"
    )
    scores = models.JSONField(_("points per criterion"), default=list)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")
        ordering = ["work", "reviewer__last_name", "reviewer__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "reviewer"], name="peer_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.work_id}"

    @property
    def total(self) -> int:
        return sum(int(p) for p in self.scores)
