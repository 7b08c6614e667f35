"""Forms of a pair's work. Dates and times are read in the organization's time zone (the view
activates it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.pairwork.models import Goal, MeetingFormat, PeerPoints
from nastavnik.people.models import Achievement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.Form):
    held = forms.BooleanField(
        label=_("The meeting has already taken place"),
        required=False,
        help_text=_("Leave unticked to plan a meeting."),
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"), min_value=5, max_value=480, initial=45
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=MeetingFormat.choices, initial=MeetingFormat.IN_PERSON
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    link = forms.URLField(
        label=_("Link to the online meeting"), required=False, assume_scheme="https"
    )
    topic = forms.CharField(label=_("Topic"), max_length=300)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes (the pair sees them)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_notes = forms.CharField(
        label=_("My private notes (the curator sees them too)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    present = forms.MultipleChoiceField(
        label=_("Who was present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = self.fields["present"]
        assert isinstance(present, forms.MultipleChoiceField)
        present.choices = [(str(p.pk), p.full_name) for p in people or []]


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    result = forms.CharField(label=_("Measurable result"), max_length=500, required=False)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())


class TaskForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    title = forms.CharField(label=_("Task"), max_length=300)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    peer_review = forms.BooleanField(
        label=_("The mentees review each other's work (peer review)"), required=False
    )
    rubric = forms.CharField(
        label=_("Rubric of the peer review"),
        help_text=_("One criterion per line, up to five."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, goals: list[Goal] | None = None, group: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["goal"]
        assert isinstance(field, forms.ModelChoiceField)
        # The goals of one plan: their default order (mentorship, due date, id) without the
        # joins of the mentorship's own order.
        field.queryset = Goal.objects.filter(pk__in=[g.pk for g in goals or []]).order_by(
            "due_on", "id"
        )
        if not group:  # peer review is for groups
            del self.fields["peer_review"]
            del self.fields["rubric"]


class PeerWorkForm(forms.Form):
    text = forms.CharField(
        label=_("My work"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.URLField(label=_("Link to the work"), required=False, assume_scheme="https")


class PeerReviewForm(forms.Form):
    """Points for each criterion of the task's rubric and a comment."""

    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, criteria: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, criterion in enumerate(criteria):
            self.fields[f"c{index}"] = forms.TypedChoiceField(
                label=criterion,
                choices=PeerPoints.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([*(f"c{i}" for i in range(len(criteria))), "comment"])
        self.criteria = criteria

    def scores(self) -> list[int]:
        return [int(self.cleaned_data[f"c{i}"]) for i in range(len(self.criteria))]


class ReflectionForm(forms.Form):
    learned = forms.CharField(
        label=_("What I learned"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hard = forms.CharField(
        label=_("What was hard"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _mentee_choices(field: forms.Field, mentees: list[Any] | None) -> None:
    assert isinstance(field, forms.TypedChoiceField)
    field.choices = [(p.pk, p.full_name) for p in mentees or []]


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(label=_("File"), required=False)


class ProblemForm(forms.Form):
    text = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProgressForm(forms.Form):
    mentee = forms.TypedChoiceField(label=_("Mentee"), coerce=int)
    subject = forms.CharField(label=_("Subject or skill"), max_length=200)
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *Achievement.choices],
    )
    mark = forms.DecimalField(
        label=_("Mark"), required=False, min_value=1, max_value=5, decimal_places=2
    )
    recorded_on = forms.DateField(label=_("Date"), widget=DateInput())
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("For example: a test, the e-journal, the mentor's observation."),
    )

    def __init__(self, *args: Any, mentees: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mentee_choices(self.fields["mentee"], mentees)


class ObservationForm(forms.Form):
    mentee = forms.TypedChoiceField(label=_("Mentee"), coerce=int)
    text = forms.CharField(
        label=_("What helps, what to avoid"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, mentees: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mentee_choices(self.fields["mentee"], mentees)


class ThresholdsForm(forms.Form):
    no_meeting_days = forms.IntegerField(
        label=_("Warn when there has been no meeting for, days"), min_value=1, max_value=365
    )
    never_started_days = forms.IntegerField(
        label=_("Warn when a pair has had no first meeting for, days"), min_value=1, max_value=365
    )
    answer_days = forms.IntegerField(
        label=_("Warn when a mentee's message has had no answer for, days"),
        min_value=1,
        max_value=60,
    )
