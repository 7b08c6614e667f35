"""Forms of events. Dates and times are read in the organization's time zone (the view
activates it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.events.catalogue import form_choices
from nastavnik.events.models import SCORE_MAX_LIMIT


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    form = forms.ChoiceField(label=_("Form of the event"), choices=form_choices())
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"),
        min_value=5,
        max_value=720,
        required=False,
        help_text=_("Empty: the usual duration of the form."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    seat_limit = forms.IntegerField(
        label=_("Seats"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    program = forms.TypedChoiceField(
        label=_("Program"), coerce=int, required=False, empty_value=None
    )
    deficit = forms.TypedChoiceField(
        label=_("Deficit addressed"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Empty: the agenda template of the form."),
    )
    open_to_municipality = forms.BooleanField(
        label=_("Open to the municipality"),
        required=False,
        help_text=_("Colleagues of the other organizations of the municipality see and register."),
    )
    score_max = forms.IntegerField(
        label=_("Top of the jury's scale (festival)"),
        min_value=2,
        max_value=SCORE_MAX_LIMIT,
        initial=10,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]],
        programs: list[tuple[int, str]],
        deficits: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organizations  # type: ignore[attr-defined]
        self.fields["program"].choices = [("", "—"), *programs]  # type: ignore[attr-defined]
        self.fields["deficit"].choices = [("", "—"), *deficits]  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    attachment = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the event (1 to 5)"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What was useful, what to change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NominationForm(forms.Form):
    name = forms.CharField(label=_("Nomination"), max_length=300)


class JuryForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Juror"), coerce=int)

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = candidates  # type: ignore[attr-defined]


class EntryForm(forms.Form):
    nomination = forms.TypedChoiceField(label=_("Nomination"), coerce=int)
    mentorship = forms.TypedChoiceField(label=_("Pair or group"), coerce=int)

    def __init__(
        self,
        *args: Any,
        nominations: list[tuple[int, str]],
        mentorships: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = nominations  # type: ignore[attr-defined]
        self.fields["mentorship"].choices = mentorships  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    value = forms.IntegerField(label=_("Score"))


class ContestResultForm(forms.Form):
    mentorship = forms.TypedChoiceField(label=_("Pair or group"), coerce=int)
    contest = forms.CharField(label=_("Contest"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    result = forms.CharField(label=_("Place or result"), max_length=200)

    def __init__(self, *args: Any, mentorships: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].choices = mentorships  # type: ignore[attr-defined]
