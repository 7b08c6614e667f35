from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.people.models import Competency


class MarketSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Who are you looking for?"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _(
                    "For example: someone who can teach robotics to preschool children"
                ),
            }
        ),
    )
    competency = forms.MultipleChoiceField(
        label=_("Competencies"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in Competency.objects.order_by("name")
        ]

    def competency_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("competency") or []]


class TeamForm(forms.Form):
    competency = forms.MultipleChoiceField(
        label=_("Required competencies"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in Competency.objects.order_by("area__position", "name")
        ]

    def competency_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("competency") or []]
