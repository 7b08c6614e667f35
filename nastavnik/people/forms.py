from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import Role
from nastavnik.core.validators import validate_person_name
from nastavnik.people.models import (
    AVAILABILITY_DAYS,
    AVAILABILITY_PARTS,
    Achievement,
    Competency,
    Format,
    KinshipKind,
    Level,
    Person,
    PersonCategory,
    Profile,
    availability_bit,
)

DAY_NAMES = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
PART_NAMES = [_("morning"), _("afternoon"), _("evening")]

# Django's own messages of every form field, said again in this app's catalogue so that each
# says how to fix the value (issue 24: «Укажите дату в формате дд.мм.гггг»). An app's catalogue
# takes precedence over Django's, so the Russian text below is the one every form of the project
# shows; the msgids must stay Django's exactly.
DJANGO_FIELD_MESSAGES = (
    _("This field is required."),
    _("Enter a valid date."),
    _("Enter a valid date/time."),
    _("Enter a valid time."),
    _("Enter a whole number."),
    _("Enter a number."),
    _("Enter a valid email address."),
    _("Enter a valid URL."),
    _("The submitted file is empty."),
    _("No file was submitted. Check the encoding type on the form."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Select a valid choice. That choice is not one of the available choices."),
)


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            format="%d.%m.%Y",
            attrs={"placeholder": _("dd.mm.yyyy"), "inputmode": "numeric", **kwargs},
        )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    organization = forms.TypedChoiceField(
        label=_("Organization"), required=False, coerce=int, empty_value=None
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    class_name = forms.ChoiceField(label=_("Class or group"), required=False)

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]],
        class_names: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", _("All organizations")), *organizations]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("All categories")), *PersonCategory.choices]  # type: ignore[attr-defined]
        self.fields["class_name"].choices = [  # type: ignore[attr-defined]
            ("", _("All classes")),
            *((name, name) for name in class_names),
        ]


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "sex",
            "birth_date",
            "category",
            "class_name",
            "subject",
            "position",
            "experience_years",
            "snils",
            "email",
            "phone",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("last_name", "first_name", "middle_name"):
            self.fields[name].validators.append(validate_person_name)


class ProfileForm(forms.Form):
    """The profile editor: texts, format, weekly availability, competencies, deficits, levels."""

    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words, for example: robotics, chess, volunteering."),
    )
    request = forms.CharField(
        label=_("Request"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person wants help with."),
    )
    preferred_format = forms.ChoiceField(label=_("Preferred format"), choices=Format.choices)
    availability = forms.MultipleChoiceField(
        label=_("When the person is free"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deficits = forms.MultipleChoiceField(
        label=_("Educational deficits"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    share_email = forms.BooleanField(
        label=_("Show the email to my mentor or mentees"), required=False
    )
    share_phone = forms.BooleanField(
        label=_("Show the phone to my mentor or mentees"), required=False
    )

    def __init__(
        self, *args: Any, profile: Profile, competencies: list[Competency], **kwargs: Any
    ) -> None:
        self.competencies = competencies
        initial = {
            "interests": profile.interests,
            "request": profile.request,
            "preferred_format": profile.preferred_format,
            "notes": profile.notes,
            "share_email": profile.share_email,
            "share_phone": profile.share_phone,
            "availability": [
                str(i)
                for i in range(AVAILABILITY_DAYS * AVAILABILITY_PARTS)
                if profile.availability & (1 << i)
            ],
            "deficits": [str(d.competency_id) for d in profile.deficits.all()],
        }
        for pc in profile.competency_levels.all():
            initial[f"competency_{pc.competency_id}"] = str(pc.level)
        for sa in profile.achievements.all():
            initial[f"achievement_{sa.subject_id}"] = str(sa.level)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["availability"].choices = [  # type: ignore[attr-defined]
            (str(day * AVAILABILITY_PARTS + part), f"{DAY_NAMES[day]} {PART_NAMES[part]}")
            for day in range(AVAILABILITY_DAYS)
            for part in range(AVAILABILITY_PARTS)
        ]
        self.fields["deficits"].choices = [(str(c.pk), c.name) for c in competencies]  # type: ignore[attr-defined]
        level_choices = [("", "—"), *((str(v), label) for v, label in Level.choices)]
        achievement_choices = [("", "—"), *((str(v), label) for v, label in Achievement.choices)]
        for competency in competencies:
            self.fields[f"competency_{competency.pk}"] = forms.ChoiceField(
                label=competency.name, choices=level_choices, required=False
            )
            if competency.is_subject:
                self.fields[f"achievement_{competency.pk}"] = forms.ChoiceField(
                    label=competency.name, choices=achievement_choices, required=False
                )

    def competency_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Competency level fields grouped by area, for the template."""
        groups: dict[str, list[forms.BoundField]] = {}
        for competency in self.competencies:
            groups.setdefault(competency.area.name, []).append(self[f"competency_{competency.pk}"])
        return list(groups.items())

    def achievement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("achievement_")]

    def availability_grid(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        chosen = set(self["availability"].value() or [])
        return [
            (
                str(DAY_NAMES[day]),
                [
                    (
                        str(day * AVAILABILITY_PARTS + part),
                        str(day * AVAILABILITY_PARTS + part) in chosen,
                    )
                    for part in range(AVAILABILITY_PARTS)
                ],
            )
            for day in range(AVAILABILITY_DAYS)
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        availability = 0
        for slot in data["availability"]:
            day, part = divmod(int(slot), AVAILABILITY_PARTS)
            availability |= availability_bit(day, part)
        competencies = {
            c.pk: int(data[f"competency_{c.pk}"])
            for c in self.competencies
            if data.get(f"competency_{c.pk}")
        }
        achievements = {
            c.pk: int(data[f"achievement_{c.pk}"])
            for c in self.competencies
            if c.is_subject and data.get(f"achievement_{c.pk}") not in (None, "")
        }
        return {
            "interests": data["interests"].strip(),
            "request": data["request"].strip(),
            "preferred_format": data["preferred_format"],
            "availability": availability,
            "notes": data["notes"].strip(),
            "share_email": data["share_email"],
            "share_phone": data["share_phone"],
            "competencies": competencies,
            "deficits": [int(d) for d in data["deficits"]],
            "achievements": achievements,
        }


def person_choice_label(person: Person) -> str:
    """«Фамилия Имя Отчество, 7Б»: namesakes are common in a school; the class or the position
    tells them apart."""
    extra = person.class_name or person.position or person.subject
    return f"{person.full_name}, {extra}" if extra else person.full_name


class _LabelFieldsIterator(forms.models.ModelChoiceIterator):
    """The options of a person select box read only the columns their labels show: a whole
    row each for the hundreds of people of an organization costs more than the rest of the
    page. The chosen person is still read whole when the form is checked."""

    def __init__(self, field: PersonChoiceField) -> None:
        super().__init__(field)
        self.queryset = self.queryset.select_related(None).only(*field.label_fields)

    def __iter__(self) -> Iterator[Any]:
        """The options from the label columns as plain rows: no model instance each (the same
        values, labels and order as Django's iterator)."""
        field: Any = self.field  # a PersonChoiceField
        if field.to_field_name or self.queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            yield from super().__iter__()
            return
        if field.empty_label is not None:
            yield ("", field.empty_label)
        names = field.label_fields
        for pk, *values in self.queryset.values_list("pk", *names).iterator():
            person: Any = _PersonLabel(pk, dict(zip(names, values, strict=True)))
            yield (ModelChoiceIteratorValue(pk, person), field.label_from_instance(person))


class _PersonLabel:
    """What a person select box's label reads of a person (its ``str`` and ``full_name`` are
    ``Person``'s own), without a model instance."""

    def __init__(self, pk: int, columns: dict[str, Any]) -> None:
        self.pk = pk
        for name in ("last_name", "first_name", "middle_name", "class_name", "position", "subject"):
            setattr(self, name, columns.get(name, ""))

    full_name = Person.full_name
    __str__ = Person.__str__


class PersonChoiceField(forms.ModelChoiceField[Person]):
    """A select box of people labelled «Фамилия Имя Отчество» (``str(person)``)."""

    iterator = _LabelFieldsIterator
    label_fields: tuple[str, ...] = ("last_name", "first_name", "middle_name")


class RelativeChoiceField(PersonChoiceField):
    label_fields = ("last_name", "first_name", "middle_name", "class_name", "position", "subject")

    def label_from_instance(self, obj: Any) -> str:
        return person_choice_label(obj)


class RelativeForm(forms.Form):
    """Add a relative from the other people of the organization."""

    relative = RelativeChoiceField(label=_("Relative"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Kinship"), choices=KinshipKind.choices)

    def __init__(self, *args: Any, choices: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relative"].queryset = choices  # type: ignore[attr-defined]


class LoginGrantForm(forms.Form):
    """A login for a person: the username (suggested) and the role in the organization."""

    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Latin letters, digits and . @ + - _"),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.MENTOR, Role.MENTOR.label), (Role.MENTEE, Role.MENTEE.label)],
        widget=forms.RadioSelect,
    )
