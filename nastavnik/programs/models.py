"""Mentoring programs and their bases of mentors and mentees. The catalogue (forms, variants,
models of mentoring) is data: shipped by a data migration, editable in the admin, extended by an
organization with variants of its own."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantScoped
from nastavnik.core.models import TimeStampedModel
from nastavnik.people.models import Person, PersonCategory


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


class SupportKind(models.TextChoices):
    """Kinds of support a program gives its mentees."""

    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", pgettext_lazy("form of work", "group")
    COLLECTIVE = "collective", _("collective")
    PEER = "peer", _("peer")
    ONLINE = "online", _("online")


class Program(TimeStampedModel, TenantScoped):
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
    is_public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_(
            "Show goals, forms, news, events and counts (never personal data) to everyone."
        ),
    )
    group_counts_as_one_place = models.BooleanField(
        _("a group takes one place of a mentor"),
        default=True,
        help_text=_(
            "A mentor who leads a group, alone or in a team, uses one place of their capacity "
            "for it. Otherwise each member of the group takes a place of each of its mentors."
        ),
    )
    support_kinds = models.JSONField(
        _("kinds of support"), default=list, blank=True, help_text=_("Codes of kinds of support.")
    )
    public_news = models.TextField(
        _("news for the public page"),
        blank=True,
        help_text=_("One item per paragraph; shown on the public page of the program."),
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring program")
        verbose_name_plural = _("mentoring programs")
        ordering = ["-academic_year__start_year", "form__position", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.academic_year_id
            and self.organization_id
            and self.academic_year.organization_id != self.organization_id
        ):
            raise ValidationError(
                {"academic_year": _("The academic year belongs to another organization.")}
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end is earlier than the start.")})
        unknown = set(self.support_kinds or []) - set(SupportKind.values)
        if unknown:
            raise ValidationError({"support_kinds": _("Unknown kinds of support.")})

    def get_support_kinds_display(self) -> list[str]:
        labels = dict(SupportKind.choices)
        return [str(labels[code]) for code in self.support_kinds if code in labels]


class EnrolmentRole(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")


class EnrolmentStatus(models.TextChoices):
    CANDIDATE = "candidate", pgettext_lazy("enrolment", "candidate")
    APPROVED = "approved", pgettext_lazy("enrolment", "approved")
    TRAINED = "trained", pgettext_lazy("enrolment", "trained")
    ACTIVE = "active", pgettext_lazy("enrolment", "active")
    COMPLETED = "completed", pgettext_lazy("enrolment", "completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("enrolment", "withdrawn")


class Enrolment(TimeStampedModel, TenantScoped):
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
        help_text=_(
            "How many mentees the mentor may take; a group is one place if the program says so."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    trained_on = models.DateField(
        _("trained on"), null=True, blank=True, help_text=_("When the mentor finished training.")
    )
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)

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

    @property
    def is_trained(self) -> bool:
        """Marked trained, or already past training in the statuses (imports, older records)."""
        return self.trained_on is not None or self.status in (
            EnrolmentStatus.TRAINED,
            EnrolmentStatus.ACTIVE,
            EnrolmentStatus.COMPLETED,
        )


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATUSES = (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


class OutputKind(models.TextChoices):
    """What a checklist item of a stage produces."""

    DOCUMENT = "document", _("document")
    DATA = "data", _("data")
    EVENT = "event", _("event")


class StageTask(TimeStampedModel, TenantScoped):
    """An item of a stage's checklist: a document, data or an event the stage must produce.

    Items the product ships have a ``code`` (their title comes from ``programs.stages``); the
    curator adds items of their own with a title.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="stage_tasks"
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    code = models.SlugField(_("code"), max_length=64, blank=True)
    custom_title = models.CharField(_("title"), max_length=500, blank=True)
    kind = models.CharField(_("output"), max_length=16, choices=OutputKind.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("stage checklist item")
        verbose_name_plural = _("stage checklists")
        ordering = ["program", "stage", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                condition=~models.Q(code=""),
                name="stage_task_unique_code",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        from nastavnik.programs.stages import checklist_item

        item = checklist_item(self.code) if self.code else None
        return str(item.title) if item else self.custom_title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class RoadmapItem(TimeStampedModel, TenantScoped):
    """A dated item of the program's roadmap (дорожная карта)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="roadmap"
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=Stage.choices, null=True, blank=True
    )
    title = models.CharField(_("what is done"), max_length=500)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    due_on = models.DateField(_("due"))
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    result = models.CharField(_("expected result"), max_length=500, blank=True)
    is_public = models.BooleanField(
        _("show on the public page"), default=False, help_text=_("As an event of the program.")
    )

    class Meta:
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap")
        ordering = ["program", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": _("The end is earlier than the start.")})

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.status in OPEN_STATUSES and self.due_on < day


class ContourArea(models.TextChoices):
    """The areas of the internal and external contours of a program."""

    ORGANIZATION = "organization", _("organization of the program")
    STAFF_INFORMING = "staff_informing", _("informing the staff")
    METHODOLOGY = "methodology", _("methodological support")
    EVALUATION = "evaluation", _("evaluation")
    INFORMATION = "information", _("information support")
    PARTNERS = "partners", _("partners and resources")
    OUTSIDE_EVALUATION = "outside_evaluation", _("outside evaluation")


INTERNAL_AREAS = (
    ContourArea.ORGANIZATION,
    ContourArea.STAFF_INFORMING,
    ContourArea.METHODOLOGY,
    ContourArea.EVALUATION,
)
EXTERNAL_AREAS = (ContourArea.INFORMATION, ContourArea.PARTNERS, ContourArea.OUTSIDE_EVALUATION)


class ContourTask(TimeStampedModel, TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="contour_tasks"
    )
    area = models.CharField(_("area"), max_length=32, choices=ContourArea.choices)
    title = models.CharField(_("task"), max_length=500)
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )

    class Meta:
        verbose_name = _("contour task")
        verbose_name_plural = _("contour tasks")
        ordering = ["program", "area", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_internal(self) -> bool:
        return self.area in INTERNAL_AREAS


class Partner(TimeStampedModel, TenantScoped):
    """A partner of the program: an employer, a university, an NGO."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("employer")
        UNIVERSITY = "university", _("university or college")
        NGO = "ngo", _("non-profit organization")
        OTHER = "other", _("other")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EMPLOYER)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contribution = models.TextField(_("what the partner gives"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["program", "name"]

    def __str__(self) -> str:
        return self.name


class TrainingSession(TimeStampedModel, TenantScoped):
    """A session of the mentors' training plan."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="training_sessions",
    )
    title = models.CharField(_("topic"), max_length=500)
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=255, blank=True)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Links and titles, one per line.")
    )
    attendees: models.ManyToManyField[Enrolment, TrainingAttendance] = models.ManyToManyField(
        Enrolment,
        verbose_name=_("attended"),
        through="TrainingAttendance",
        blank=True,
        related_name="training_sessions",
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training plan")
        ordering = ["program", "held_on", "id"]

    def __str__(self) -> str:
        return self.title

    def material_lines(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


class TrainingAttendance(TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.enrolment_id}"


class TandemStep(models.IntegerChoices):
    """The five steps of partner mentoring among colleagues («равный – равному»)."""

    SEARCH = 1, _("searching the competence market")
    FORMING = 2, _("forming a tandem on mutual interest")
    EXCHANGE = 3, _("exchanging experience")
    TOOLKIT = 4, _("building a shared toolkit")
    TEAM = 5, _("a team with common goals")


class Tandem(TimeStampedModel, TenantScoped):
    """Two or more teachers who mentor each other («равный – равному»)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="tandems"
    )
    name = models.CharField(_("name"), max_length=255)
    interest = models.TextField(_("mutual professional interest"), blank=True)
    goals = models.TextField(_("common goals"), blank=True)
    step = models.PositiveSmallIntegerField(
        _("step"), choices=TandemStep.choices, default=TandemStep.FORMING
    )
    # At the fifth step the tandem is fixed by the order, as a pair is (mentorships' order page).
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    members: models.ManyToManyField[Person, TandemMember] = models.ManyToManyField(
        "people.Person", verbose_name=_("members"), through="TandemMember", related_name="tandems"
    )

    class Meta:
        verbose_name = _("tandem")
        verbose_name_plural = _("tandems")
        ordering = ["program", "name"]

    def __str__(self) -> str:
        return self.name


class TandemMember(TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tandem", "person"], name="tandem_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tandem_id}: {self.person_id}"


class TandemNote(TimeStampedModel, TenantScoped):
    """A meeting or a note of the tandem's exchange of experience."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        NOTE = "note", _("note")
        EVENT = "event", _("event showing the work")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MEETING)
    held_on = models.DateField(_("date"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("tandem note")
        verbose_name_plural = _("tandem notes")
        ordering = ["tandem", "-held_on", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class TandemToolItem(TimeStampedModel, TenantScoped):
    """A method of the tandem's shared toolkit, tried out in practice."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="toolkit")
    title = models.CharField(_("method"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    tried_on = models.DateField(_("tried on"), null=True, blank=True)

    class Meta:
        verbose_name = _("toolkit item")
        verbose_name_plural = _("toolkit")
        ordering = ["tandem", "id"]

    def __str__(self) -> str:
        return self.title
