"""People of an organization and their profiles, and the shared competency taxonomy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantQuerySet, TenantScoped
from nastavnik.core.models import TimeStampedModel
from nastavnik.core.text import capitalize_name_part, normalize_class_name, search_key
from nastavnik.core.validators import normalize_snils, validate_snils


class PersonCategory(models.TextChoices):
    STUDENT = "student", _("student")
    TEACHER = "teacher", _("teacher")
    UNIVERSITY_STUDENT = "university_student", _("university student")
    EMPLOYER_SPECIALIST = "employer_specialist", _("employer's specialist")
    STAFF = "staff", _("staff member")


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


# How a category reads about a woman or a girl («обучающаяся», «студентка»); the categories
# not listed read the same («педагог»).
FEMALE_CATEGORY_LABELS = {
    PersonCategory.STUDENT: pgettext_lazy("female", "student"),
    PersonCategory.UNIVERSITY_STUDENT: pgettext_lazy("female", "university student"),
    PersonCategory.STAFF: pgettext_lazy("female", "staff member"),
}


def sex_from_patronymic(middle_name: str) -> str:
    """«Сергеевна», «Ильинична», «Мамед кызы» are a woman's; «Сергеевич», «оглы» a man's;
    "" when the patronymic does not say."""
    word = middle_name.strip().casefold()
    if word.endswith(("вна", "чна", "кызы", "гызы")):
        return Sex.FEMALE
    if word.endswith(("вич", "ич", "оглы", "улы", "уулу")):
        return Sex.MALE
    return ""


# People are listed by the folded «фамилия имя отчество» (``search_name``: lower case, «ё» as «е»),
# so «Ёлкина» stands among the «Е», not before «А», on any database and collation.
PERSON_ORDER = ("search_name", "id")


class PersonQuerySet(TenantQuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(anonymized_at__isnull=True)


class Person(TimeStampedModel):
    """A person known to an organization. A login is optional: young children have none."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="people",
    )
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=PersonCategory.choices)
    class_name = models.CharField(
        _("class or group"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_("For example «7Б»; «7 «Б»» and «7-б» are the same class."),
    )
    subject = models.CharField(_("subject taught"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("years of teaching experience"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(80)],
    )
    snils = models.CharField(_("SNILS"), max_length=14, blank=True, validators=[validate_snils])
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Folded, lower-cased «фамилия имя отчество» for search that ignores case and ё.
    search_name = models.CharField(max_length=500, editable=False, db_index=True)
    anonymized_at = models.DateTimeField(_("anonymized"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = list(PERSON_ORDER)
        indexes = [models.Index(fields=["organization", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "snils"],
                condition=~models.Q(snils=""),
                name="person_unique_snils_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Фамилия Имя Отчество."""
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """Фамилия И. О."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def is_female(self) -> bool:
        """The sex as recorded, or as the patronymic says when it is not recorded."""
        return (self.sex or sex_from_patronymic(self.middle_name)) == Sex.FEMALE

    def get_category_display(self) -> str:  # type: ignore[no-redef]
        """The category as it reads about this person: «обучающаяся» for a girl."""
        female = FEMALE_CATEGORY_LABELS.get(self.category)  # type: ignore[call-overload]
        if female is not None and self.is_female:
            return str(female)
        return str(dict(PersonCategory.choices).get(self.category, self.category))

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    def is_minor_on(self, day: dt.date) -> bool:
        age = self.age_on(day)
        return age is not None and age < 18

    def normalize(self) -> None:
        """What ``save`` does to the fields; bulk writes (imports) call it themselves."""
        self.last_name = capitalize_name_part(self.last_name)
        self.first_name = capitalize_name_part(self.first_name)
        self.middle_name = capitalize_name_part(self.middle_name)
        self.class_name = normalize_class_name(self.class_name)
        if self.snils:
            self.snils = normalize_snils(self.snils)
        self.search_name = search_key(self.full_name)

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalize()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CompetencyArea(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """A node of the shared taxonomy: a subject, a method, a skill. Not tenant-owned."""

    area = models.ForeignKey(
        CompetencyArea,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="competencies",
    )
    code = models.SlugField(_("code"), max_length=96, unique=True)
    name = models.CharField(_("name"), max_length=255)
    is_subject = models.BooleanField(
        _("school subject"),
        default=False,
        help_text=_("Achievement levels are kept per school subject."),
    )
    keywords = models.TextField(_("keywords"), blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["area__position", "name"]

    def __str__(self) -> str:
        return self.name


class Level(models.IntegerChoices):
    BASIC = 1, _("basic")
    CONFIDENT = 2, _("confident")
    EXPERT = 3, _("expert")


class Achievement(models.IntegerChoices):
    WEAK = 0, _("weak")
    MEDIUM = 1, _("medium")
    STRONG = 2, _("strong")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    ANY = "any", _("in person or online")


class Profile(TimeStampedModel, TenantScoped):
    """What matching and the competence market know about a person."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="profiles",
    )
    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="profile"
    )
    interests = models.TextField(_("interests"), blank=True)
    request = models.TextField(
        _("request"), blank=True, help_text=_("What the person wants help with.")
    )
    preferred_format = models.CharField(
        _("preferred format"), max_length=16, choices=Format.choices, default=Format.ANY
    )
    availability = models.PositiveIntegerField(
        _("availability"),
        default=0,
        help_text=_("Weekly slots: 7 days × 3 parts of the day, one bit each."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The person's consent to show a contact to their mentor or mentees (never shown otherwise
    # outside the staff; see ``people.fields``).
    share_email = models.BooleanField(_("show the email to my mentor or mentees"), default=False)
    share_phone = models.BooleanField(_("show the phone to my mentor or mentees"), default=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.person)


class ProfileCompetency(TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="competency_levels")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.CONFIDENT
    )

    class Meta:
        verbose_name = _("competency of a person")
        verbose_name_plural = _("competencies of a person")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competency"], name="profile_competency_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency} ({self.get_level_display()})"


class ProfileDeficit(TenantScoped):
    """An educational deficit (образовательный дефицит): a competency to develop."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="deficits")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("educational deficit")
        verbose_name_plural = _("educational deficits")
        constraints = [
            models.UniqueConstraint(fields=["profile", "competency"], name="profile_deficit_unique")
        ]

    def __str__(self) -> str:
        return str(self.competency)


class SubjectAchievement(TenantScoped):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="achievements")
    subject = models.ForeignKey(
        Competency,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"is_subject": True},
    )
    level = models.PositiveSmallIntegerField(_("achievement level"), choices=Achievement.choices)

    class Meta:
        verbose_name = _("achievement level")
        verbose_name_plural = _("achievement levels")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "subject"], name="subject_achievement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_level_display()}"


AVAILABILITY_DAYS = 7
AVAILABILITY_PARTS = 3
AVAILABILITY_MAX = (1 << (AVAILABILITY_DAYS * AVAILABILITY_PARTS)) - 1


def availability_bit(day: int, part: int) -> int:
    """Bit of a weekly slot: day 0 = Monday, part 0 = morning, 1 = afternoon, 2 = evening."""
    if not (0 <= day < AVAILABILITY_DAYS and 0 <= part < AVAILABILITY_PARTS):
        raise ValueError("slot out of range")
    return 1 << (day * AVAILABILITY_PARTS + part)


class KinshipKind(models.TextChoices):
    PARENT_CHILD = "parent_child", _("parent – child")
    SIBLINGS = "siblings", _("siblings")
    SPOUSES = "spouses", _("spouses")
    OTHER = "other", _("other relative")


class Kinship(TimeStampedModel, TenantScoped):
    """Two people of one organization who are relatives: never a mentoring pair.

    The pair is unordered and stored with the smaller person id first (``person_a``): a check
    constraint rules out self-links (and the other order), a unique constraint duplicates. A
    parent – child link does not say who is the parent: matching only needs the pair.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    person_a = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        Person, verbose_name=_("relative"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        _("kinship"), max_length=16, choices=KinshipKind.choices, default=KinshipKind.OTHER
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kinship link")
        verbose_name_plural = _("kinship links")
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                name="kinship_unique_pair",
                violation_error_message=_("These people are already linked as relatives."),
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="kinship_ordered_pair",
                violation_error_message=_("A person cannot be their own relative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} – {self.person_b_id} ({self.get_kind_display()})"

    def clean(self) -> None:
        """Store the pair smaller id first, whichever order it was given in."""
        a, b = self.person_a_id, self.person_b_id
        if a is not None and b is not None and a > b:
            self.person_a_id, self.person_b_id = b, a

    def other(self, person_id: int) -> Person:
        """The relative of ``person_id`` in this pair."""
        return self.person_b if self.person_a_id == person_id else self.person_a

    @staticmethod
    def ordered(first_id: int, second_id: int) -> tuple[int, int]:
        return (first_id, second_id) if first_id < second_id else (second_id, first_id)
