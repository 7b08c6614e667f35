"""Matching runs, their proposals, the curator's exclusions and mentees' requests.

A run keeps its parameters and its result forever: the curator compares runs and publishes one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel


class RunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("matching run", "queued")
    RUNNING = "running", pgettext_lazy("matching run", "running")
    DONE = "done", pgettext_lazy("matching run", "done")
    FAILED = "failed", pgettext_lazy("matching run", "failed")


class RunKind(models.TextChoices):
    PAIRS = "pairs", pgettext_lazy("matching run", "pairs")
    GROUPS = "groups", pgettext_lazy("matching run", "groups")


class Prefer(models.TextChoices):
    SCORE = "score", _("the best total score")
    COVERAGE = "coverage", _("as many mentees as possible")


class MatchingRun(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="matching_runs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RunKind.choices, default="pairs")
    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("The run's number in its program: 1, 2, 3…"),
    )
    parameters: models.JSONField[Any, Any] = models.JSONField(
        _("parameters"), default=dict, blank=True
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Accepted and locked proposals of this run were kept."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    error_message = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    n_mentees = models.PositiveIntegerField(_("mentees in the base"), default=0)
    n_mentors = models.PositiveIntegerField(_("mentors in the base"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    unmatched_count = models.PositiveIntegerField(_("without a mentor"), default=0)
    total_score = models.FloatField(_("total score"), default=0.0)
    mean_score = models.FloatField(_("mean score"), null=True, blank=True)
    unmatched_by_reason: models.JSONField[Any, Any] = models.JSONField(
        _("without a mentor, by reason"), default=dict, blank=True
    )
    duration_ms = models.PositiveIntegerField(_("time, ms"), null=True, blank=True)
    certified = models.BooleanField(
        _("the best possible"),
        default=False,
        help_text=_("Every allowed pair was considered: no other choice of pairs is better."),
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="matchingrun_unique_number_in_program"
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.number or self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def is_interrupted(self) -> bool:
        """Running for longer than any run takes: its worker died (was killed) mid-run. Nothing
        of it is used (only a finished run is reviewed or published); the next run of the
        program closes it (``services.runs_close_interrupted``)."""
        timeout = dt.timedelta(seconds=settings.NASTAVNIK_MATCHING_RUN_TIMEOUT)
        return (
            self.status == RunStatus.RUNNING
            and self.started_at is not None
            and self.started_at < timezone.now() - timeout
        )

    @property
    def is_open(self) -> bool:
        """Finished and not published: its proposals may still be decided and changed."""
        return self.status == RunStatus.DONE and self.published_at is None


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("proposed pair", "proposed")
    ACCEPTED = "accepted", pgettext_lazy("proposed pair", "accepted")
    REJECTED = "rejected", pgettext_lazy("proposed pair", "rejected")
    LOCKED = "locked", pgettext_lazy("proposed pair", "locked")


# Proposals that survive a re-run and become mentorships on publishing.
KEPT_STATES: tuple[str, ...] = (ProposalState.ACCEPTED, ProposalState.LOCKED)


class Decided(models.Model):
    """What the curator's review decides on: a proposed pair or a proposed group."""

    score = models.FloatField(_("score"))
    factors: models.JSONField[Any, Any] = models.JSONField(_("factors"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        abstract = True


class ProposalGroup(Decided, TenantScoped):
    """A proposed group of a group run: its members are the run's proposals pointing here,
    its team of mentors is ``ProposalGroupMentor``; decided (and kept by a re-run) as a whole.

    The members' proposals mirror the group's state, so counts and the API read proposals only.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="groups")
    key = models.PositiveIntegerField(_("number"))
    competency = models.ForeignKey(
        "people.Competency",
        verbose_name=_("common deficit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shared: models.JSONField[Any, Any] = models.JSONField(
        _("deficits every member has"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("proposed group")
        verbose_name_plural = _("proposed groups")
        ordering = ["run", "key"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="proposal_group_key_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ProposalGroupMentor(TenantScoped):
    """A mentor of a proposed group's team, in order (the first one leads), with their score."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(ProposalGroup, on_delete=models.CASCADE, related_name="team")
    mentor = models.ForeignKey(
        "programs.Enrolment",
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    score = models.FloatField(_("score"))

    class Meta:
        verbose_name = _("mentor of a proposed group")
        verbose_name_plural = _("mentors of proposed groups")
        ordering = ["group", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "mentor"], name="proposal_group_mentor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.mentor_id}"


class Proposal(Decided, TenantScoped):
    """A proposed pair of a run: a mentee, a mentor, the score and the factors behind it.

    In a group run, a proposal is a member of a ``ProposalGroup``; its mentor is the team's lead.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(
        "programs.Enrolment",
        verbose_name=_("mentee"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mentor = models.ForeignKey(
        "programs.Enrolment",
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    group_key = models.PositiveIntegerField(
        _("group"), null=True, blank=True, help_text=_("Proposals of one group share the key.")
    )
    group = models.ForeignKey(
        ProposalGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
    )

    class Meta:
        verbose_name = _("proposed pair")
        verbose_name_plural = _("proposed pairs")
        ordering = ["run", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_one_per_mentee")
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Unmatched(TenantScoped):
    """A mentee a run left without a mentor, and why (the engine's reason code)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey("programs.Enrolment", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=32)
    n_candidates = models.PositiveIntegerField(_("candidates"), default=0)

    class Meta:
        verbose_name = _("mentee without a mentor")
        verbose_name_plural = _("mentees without a mentor")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return self.reason


class MatchExclusion(TimeStampedModel, TenantScoped):
    """The curator's «never»: this mentor is never proposed to this mentee."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mentee = models.ForeignKey(
        "people.Person", verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        "people.Person", verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("excluded pair")
        verbose_name_plural = _("excluded pairs")
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="match_exclusion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} × {self.mentor_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request to a mentor", "waiting for the mentor")
    ACCEPTED = "accepted", pgettext_lazy("request to a mentor", "accepted")
    DECLINED = "declined", pgettext_lazy("request to a mentor", "declined")
    EXPIRED = "expired", pgettext_lazy("request to a mentor", "expired")
    CANCELLED = "cancelled", pgettext_lazy("request to a mentor", "cancelled")


class MentorRequest(TimeStampedModel, TenantScoped):
    """Self-matching: a mentee asks a mentor; the mentor accepts or declines before it expires."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        "programs.Enrolment", verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        "programs.Enrolment", verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message to the mentor"), blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    factors: models.JSONField[Any, Any] = models.JSONField(_("factors"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("request to a mentor")
        verbose_name_plural = _("requests to mentors")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status", "expires_at"])]

    def __str__(self) -> str:
        return f"#{self.pk}"
