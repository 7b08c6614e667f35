"""Forms of speed and flash mentoring."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.quickmentoring.models import ExpertKind, SessionMode, Side, SlotFormat

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    program = forms.TypedChoiceField(
        label=_("Program"), coerce=int, required=False, empty_value=None
    )
    with_bases = forms.BooleanField(
        label=_("Invite the program's mentors and mentees"), required=False, initial=True
    )
    mode = forms.ChoiceField(label=_("Who meets whom"), choices=SessionMode.choices)
    tables = forms.IntegerField(label=_("Tables"), min_value=0, max_value=200, initial=5)
    rounds = forms.IntegerField(label=_("Rounds"), min_value=1, max_value=200, initial=5)
    round_minutes = forms.IntegerField(
        label=_("Minutes per round"), min_value=1, max_value=120, initial=7
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]],
        programs: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organizations  # type: ignore[attr-defined]
        self.fields["program"].choices = [("", "—"), *programs]  # type: ignore[attr-defined]

    def clean_tables(self) -> int:
        tables: int = self.cleaned_data["tables"]
        if tables < 1:
            raise forms.ValidationError(_("A session needs at least one table."))
        return tables


class ParticipantForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    side = forms.ChoiceField(
        label=_("Comes as"),
        choices=[(Side.MENTOR, Side.MENTOR.label), (Side.MENTEE, Side.MENTEE.label)],
        required=False,
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]


class WishForm(forms.Form):
    author = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    wanted = forms.TypedMultipleChoiceField(
        label=_("Would like to continue with"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        authors: list[tuple[int, str]],
        others: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = authors  # type: ignore[attr-defined]
        self.fields["wanted"].choices = others  # type: ignore[attr-defined]


class SlotForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    expert = forms.TypedChoiceField(
        label=_("Expert"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Curators may publish a slot for another adult of the organization."),
    )
    expert_kind = forms.ChoiceField(label=_("The expert is"), choices=ExpertKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    format = forms.ChoiceField(label=_("Format"), choices=SlotFormat.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"), min_value=5, max_value=240, initial=30
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=30, initial=1)

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]],
        experts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organizations  # type: ignore[attr-defined]
        if experts:
            self.fields["expert"].choices = [("", _("Me")), *experts]  # type: ignore[attr-defined]
        else:
            del self.fields["expert"]


class BookForm(forms.Form):
    """A member books for themselves (no field); a curator may name a person."""

    person = forms.IntegerField(required=False)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *[(i, str(i)) for i in range(1, 6)]],
    )
    feedback = forms.CharField(
        label=_("A few words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
