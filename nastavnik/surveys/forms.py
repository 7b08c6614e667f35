from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.surveys.catalogue import template_choices
from nastavnik.surveys.models import Audience, Moment, Question, QuestionKind, SurveyKind


class FromTemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Questionnaire"), choices=())
    due_on = forms.DateField(
        label=_("Answer by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = template_choices()  # type: ignore[attr-defined]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)
    moment = forms.ChoiceField(label=_("When"), choices=Moment.choices, initial=Moment.ANY)
    audience = forms.ChoiceField(label=_("Who answers"), choices=Audience.choices)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    due_on = forms.DateField(
        label=_("Answer by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    section = forms.CharField(label=_("Section"), max_length=200, required=False)
    show_if = forms.ModelChoiceField(
        label=_("Show only after the question"),
        queryset=Question.objects.none(),
        required=False,
    )
    show_if_value = forms.CharField(label=_("was answered"), max_length=200, required=False)

    def __init__(self, *args: Any, questions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if questions is not None:
            self.fields["show_if"].queryset = questions  # type: ignore[attr-defined]

    def option_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class OutsideLinkForm(forms.Form):
    name = forms.CharField(label=_("Who the link is for"), max_length=300)
