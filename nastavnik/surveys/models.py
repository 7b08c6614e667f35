"""Questionnaires, the invitations that carry one-time links, and the answers.

Anonymity is a property of the tables, not of the pages: a response of an anonymous survey has no
person, no time and no order (a random primary key), and the invitation that let it in keeps only
whether it was used — never which response it produced.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.tenancy import TenantModel, TenantScoped
from nastavnik.core.models import TimeStampedModel


class SurveyKind(models.TextChoices):
    ENTRY = "entry", _("entry questionnaire")
    SATISFACTION = "satisfaction", _("satisfaction questionnaire")
    SWOT = "swot", _("SWOT analysis of the program")
    CHECK_IN = "check_in", _("check-in after a meeting")
    FEEDBACK_360 = "feedback_360", _("360° feedback on a mentor")
    OTHER = "other", _("other questionnaire")


class Moment(models.TextChoices):
    """When in the program the answers are taken: the evaluation compares the start with the end."""

    START = "start", _("at the start")
    END = "end", _("at the end")
    ANY = "any", _("during the program")


class Audience(models.TextChoices):
    MENTORS = "mentors", _("mentors of the program")
    MENTEES = "mentees", _("mentees of the program")
    EVERYONE = "everyone", _("everyone in the program")
    OUTSIDE = "outside", _("outside respondents")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("collecting answers")
    CLOSED = "closed", _("closed")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("scale 1–10")
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    YES_NO = "yes_no", _("yes or no")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
# Results of an anonymous survey show only where at least this many answers stand behind a figure.
ANONYMITY_THRESHOLD = 5


class Survey(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)
    moment = models.CharField(_("when"), max_length=8, choices=Moment.choices, default=Moment.ANY)
    audience = models.CharField(_("who answers"), max_length=16, choices=Audience.choices)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    due_on = models.DateField(_("answer by"), null=True, blank=True)
    link_days = models.PositiveSmallIntegerField(_("a one-time link is valid, days"), default=14)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Question(TenantModel):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    section = models.CharField(_("section"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    options: models.JSONField[Any, Any] = models.JSONField(_("options"), default=list, blank=True)
    # Shown only when the earlier question ``show_if`` was answered with ``show_if_value``.
    show_if = models.ForeignKey(
        "self",
        verbose_name=_("shown after the question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
    )
    show_if_value = models.CharField(_("shown after the answer"), max_length=200, blank=True)
    # A question that feeds the respondent's profile once they or the curator confirm it.
    profile_field = models.CharField(_("fills the profile field"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Invitation(TenantModel):
    """A person (or an outside respondent by name) asked to answer; the one-time link's key hash."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    outside_name = models.CharField(_("outside respondent"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=16, blank=True)
    key_hash = models.CharField(_("link key hash"), max_length=64, unique=True)
    expires_on = models.DateField(_("link valid until"))
    used = models.BooleanField(_("answered"), default=False)
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=models.Q(person__isnull=False),
                name="survey_invitation_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.person_id or self.outside_name}"


class Response(TenantModel):
    """One filled questionnaire. Anonymous: no person, no time, no order (random key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    # Named only when the survey is not anonymous.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    role = models.CharField(_("role"), max_length=16, blank=True)
    submitted_on = models.DateField(_("date of the answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.id)


class Answer(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    # scale: int; yes_no: bool; single/short/long: str; multiple: list[str]
    value: models.JSONField[Any, Any] = models.JSONField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"
