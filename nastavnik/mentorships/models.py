"""Mentoring pairs and groups (наставнические пары и группы).

A mentorship has one or more mentors and one or more mentees (``MentorshipMember``). A pair is a
mentorship with one mentor and one mentee; a group has several mentees (or several mentors).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel


class MentorshipStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("mentorship", "proposed")
    ACTIVE = "active", pgettext_lazy("mentorship", "active")
    PAUSED = "paused", pgettext_lazy("mentorship", "paused")
    COMPLETED = "completed", pgettext_lazy("mentorship", "completed")
    DISSOLVED = "dissolved", pgettext_lazy("mentorship", "dissolved")


# A mentorship in these statuses takes a place of the mentor's capacity.
LOAD_STATUSES: tuple[str, ...] = (
    MentorshipStatus.PROPOSED,
    MentorshipStatus.ACTIVE,
    MentorshipStatus.PAUSED,
)


def mentor_places(*, mentees: int, is_group: bool, group_counts_as_one_place: bool) -> int:
    """Places of each of its mentors' capacity a pair or group takes.

    A pair takes one. A group (several mentees, or marked a group) takes one when its program
    counts a group as one place of a mentor (``Program.group_counts_as_one_place``), else one
    per mentee.
    """
    if mentees <= 0:
        return 0
    if group_counts_as_one_place and (is_group or mentees > 1):
        return 1
    return mentees


# A mentorship in these statuses counts in the program's history (reports, «pairs formed»): a pair
# completed early counts, a dissolved one does not.
HISTORY_STATUSES: tuple[str, ...] = (*LOAD_STATUSES, MentorshipStatus.COMPLETED)


# Where a mentorship may go from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    MentorshipStatus.PROPOSED: (MentorshipStatus.ACTIVE, MentorshipStatus.DISSOLVED),
    MentorshipStatus.ACTIVE: (
        MentorshipStatus.PAUSED,
        MentorshipStatus.COMPLETED,
        MentorshipStatus.DISSOLVED,
    ),
    MentorshipStatus.PAUSED: (
        MentorshipStatus.ACTIVE,
        MentorshipStatus.COMPLETED,
        MentorshipStatus.DISSOLVED,
    ),
    MentorshipStatus.COMPLETED: (),
    MentorshipStatus.DISSOLVED: (),
}


class EndCause(models.TextChoices):
    """Why a pair or group ended, when the system ended it (the curator's reason is free text)."""

    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")


class MemberRole(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")


class Mentorship(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    model = models.ForeignKey(
        "programs.MentoringModel",
        verbose_name=_("model of mentoring"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    variant = models.ForeignKey(
        "programs.Variant",
        verbose_name=_("variant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    number = models.PositiveIntegerField(
        _("number"),
        blank=True,
        editable=False,
        help_text=_("The pair's or group's number in its program: 1, 2, 3, …"),
    )
    is_group = models.BooleanField(_("group"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.PROPOSED,
        db_index=True,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    end_cause = models.CharField(
        _("ended because"), max_length=32, choices=EndCause.choices, blank=True
    )
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    score = models.FloatField(_("match score"), null=True, blank=True)
    explanation: models.JSONField[Any, Any] = models.JSONField(
        _("explanation"), default=list, blank=True
    )
    source_proposal = models.ForeignKey(
        "matching.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorships",
    )
    source_request = models.ForeignKey(
        "matching.MentorRequest",
        verbose_name=_("mentee's request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorships",
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
        verbose_name = _("mentoring pair or group")
        verbose_name_plural = _("mentoring pairs and groups")
        ordering = ["program", "number", "id"]
        indexes = [models.Index(fields=["organization", "program", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="mentorship_number_unique")
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``services.mentorships_create`` numbers under the program's lock; this is only for
        # rows written directly (fixtures, the admin).
        if self.number is None:
            self.number = next_number(self.program_id)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in LOAD_STATUSES

    @property
    def counts_in_history(self) -> bool:
        """Everything but a dissolved pair or group counts (a completed-early one too)."""
        return self.status in HISTORY_STATUSES

    @property
    def completed_early(self) -> bool:
        """Completed before its program's end (needs ``program``)."""
        ends_on = self.program.ends_on
        return (
            self.status == MentorshipStatus.COMPLETED
            and self.ended_on is not None
            and ends_on is not None
            and self.ended_on < ends_on
        )

    def sides(self) -> dict[str, list[Any]]:
        """Its people by side: ``mentors`` and ``mentees`` (prefetch ``members__person``)."""
        members = list(self.members.all())
        return {
            "mentors": [m.person for m in members if m.role == MemberRole.MENTOR],
            "mentees": [m.person for m in members if m.role == MemberRole.MENTEE],
        }


def next_number(program_id: int) -> int:
    """The next number of a pair or group in the program (the caller holds the program's lock)."""
    top = Mentorship.objects.filter(program_id=program_id).aggregate(top=models.Max("number"))
    return (top["top"] or 0) + 1


class MentorshipStatusChange(TenantScoped):
    """One change of a pair's or group's status: from what to what, why, by whom, when.

    ``from_status`` is empty for the creation of the mentorship.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    mentorship = models.ForeignKey(
        Mentorship,
        verbose_name=_("pair or group"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=MentorshipStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=MentorshipStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change of a pair or group")
        verbose_name_plural = _("status changes of pairs and groups")
        ordering = ["mentorship", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.mentorship}: {self.from_status} → {self.to_status}"


class MentorshipMember(TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    enrolment = models.ForeignKey(
        "programs.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="mentorship_memberships",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="mentorship_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("member of a pair or group")
        verbose_name_plural = _("members of pairs and groups")
        ordering = ["mentorship", "role", "person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person", "role"], name="mentorship_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"
