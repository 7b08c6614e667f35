"""The bank of ideas (банк идей): colleagues of an organization post ideas and practices with
tags, vote once each and comment; a curator marks an idea adopted and links it to a program.

Who takes part — «colleagues»: the curators and heads of the organization and its members whose
person there is an adult (a teacher, a staff member, an employer's specialist, a university
student). Pupils do not take part: the bank is the staff's methodological work (seed 003), and a
pupil mentor or mentee neither sees nor writes it (``selectors.colleague_org_ids``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantModel
from nastavnik.core.models import TimeStampedModel


class IdeaKind(models.TextChoices):
    IDEA = "idea", pgettext_lazy("bank of ideas", "idea")
    PRACTICE = "practice", pgettext_lazy("bank of ideas", "practice")


class IdeaStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("bank of ideas", "proposed")
    ADOPTED = "adopted", pgettext_lazy("bank of ideas", "adopted")


class Idea(TenantModel, TimeStampedModel):
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("description"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=IdeaKind.choices, default=IdeaKind.IDEA
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.PROPOSED
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by ``services.idea_vote`` under the idea's row lock (the votes are the truth).
    votes_count = models.PositiveIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-votes_count"]),
            models.Index(fields=["organization", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_adopted(self) -> bool:
        return self.status == IdeaStatus.ADOPTED


class IdeaTag(TenantModel):
    """A tag of an idea, stored lower-case (the list filters by it)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=50)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["idea", "name"], name="ideas_tag_once")]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class Vote(TenantModel):
    """One colleague's vote for an idea: once each (the constraint, and the service decides
    under the idea's row lock so that the second gets a clear message)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    # Empty once the voter is anonymized: the vote still counts, nobody's (``services``).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}:{self.user_id}"


class Comment(TenantModel, TimeStampedModel):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.pk}"
