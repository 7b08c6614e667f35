"""Mentoring programs and their bases of mentors and mentees.

The catalogue (forms, variants, models of mentoring) is data: shipped by a data migration,
editable in the admin, extended by an organization with variants of its own.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.models import TimeStampedModel
from nastavnik.people.models import PersonCategory


class MentoringForm(models.Model):
    """A form of mentoring («ученик – ученик», «учитель – учитель», ...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    mentor_categories = models.JSONField(
        _("mentor categories"), default=list, help_text=_("Codes of person categories.")
    )
    mentee_categories = models.JSONField(
        _("mentee categories"), default=list, help_text=_("Codes of person categories.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form of mentoring")
        verbose_name_plural = _("forms of mentoring")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(PersonCategory.values)
        for field in ("mentor_categories", "mentee_categories"):
            unknown = set(getattr(self, field)) - valid
            if unknown:
                raise ValidationError({field: _("Unknown person categories.")})

    def allows_mentor(self, category: str) -> bool:
        return category in self.mentor_categories

    def allows_mentee(self, category: str) -> bool:
        return category in self.mentee_categories


class VariantRule(models.TextChoices):
    """How a variant shapes matching (see the matching engine's scoring factors)."""

    NONE = "none", _("no special rule")
    STRONG_HELPS_WEAK = "strong_helps_weak", _("a strong mentor helps a weak mentee")
    SIMILAR_LEVEL = "similar_level", _("similar levels (peer to peer)")
    REVERSE = "reverse", _("the mentor is younger (reverse mentoring)")
    YOUNG_SPECIALIST = "young_specialist", _("a young specialist with 0–3 years of experience")


class Variant(models.Model):
    """A variant (role model) of a form, shared or an organization's own."""

    form = models.ForeignKey(
        MentoringForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="variants"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_variants",
        help_text=_("Empty for the shared catalogue."),
    )
    code = models.SlugField(_("code"), max_length=96)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    rule = models.CharField(
        _("matching rule"), max_length=32, choices=VariantRule.choices, default=VariantRule.NONE
    )

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["form__position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "code"],
                condition=models.Q(organization__isnull=True),
                name="variant_unique_shared_code",
            ),
            models.UniqueConstraint(
                fields=["form", "organization", "code"],
                condition=models.Q(organization__isnull=False),
                name="variant_unique_own_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MentoringModel(models.Model):
    """A model of mentoring: traditional, peer, group, flash, speed, reverse, ..."""

    class Type(models.TextChoices):
        DIRECT = "direct", _("direct")
        MEDIATED = "mediated", _("mediated")
        COLLECTIVE = "collective", _("collective")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    is_group = models.BooleanField(_("group model"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("model of mentoring")
        verbose_name_plural = _("models of mentoring")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.IntegerChoices):
    """The seven stages of the target model of mentorship."""

    PREPARATION = 1, _("preparing the conditions")
    MENTEE_BASE = 2, _("forming the base of mentees")
    MENTOR_BASE = 3, _("forming the base of mentors")
    MENTOR_TRAINING = 4, _("selecting and training mentors")
    MATCHING = 5, _("forming pairs and groups")
    WORK = 6, _("the work of pairs and groups")
    COMPLETION = 7, _("completion")


class Program(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="programs",
    )
    academic_year = models.ForeignKey(
        "organizations.AcademicYear",
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    form = models.ForeignKey(
        MentoringForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="programs"
    )
    title = models.CharField(_("title"), max_length=500)
    goals = models.TextField(_("goals"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    variants = models.ManyToManyField(
        Variant, verbose_name=_("variants"), blank=True, related_name="programs"
    )
    models_used = models.ManyToManyField(
        MentoringModel, verbose_name=_("models of mentoring"), blank=True, related_name="programs"
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_programs",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=Stage.choices, default=Stage.PREPARATION
    )
    is_public = models.BooleanField(_("public page"), default=False)

    class Meta:
        verbose_name = _("mentoring program")
        verbose_name_plural = _("mentoring programs")
        ordering = ["-academic_year__start_year", "form__position", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.academic_year_id and self.organization_id:
            if self.academic_year.organization_id != self.organization_id:
                raise ValidationError(
                    {"academic_year": _("The academic year belongs to another organization.")}
                )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end is earlier than the start.")})


class EnrolmentRole(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")


class EnrolmentStatus(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    APPROVED = "approved", _("approved")
    TRAINED = "trained", _("trained")
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Enrolment(TimeStampedModel):
    """A person in the base of mentors or mentees of a program (включение в базу)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    role = models.CharField(_("role in the program"), max_length=16, choices=EnrolmentRole.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.CANDIDATE,
    )
    variant = models.ForeignKey(
        Variant,
        verbose_name=_("variant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentor's capacity"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("How many mentees the mentor may take."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("bases of mentors and mentees")
        ordering = ["program", "role", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person", "role"], name="enrolment_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"
