from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.models import ConsentPurpose, GivenBy
from nastavnik.core.text import search_key


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self) -> None:
        super().__init__(
            format="%d.%m.%Y", attrs={"placeholder": _("dd.mm.yyyy"), "inputmode": "numeric"}
        )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_by = forms.ChoiceField(label=_("Signed by"), choices=GivenBy.choices)
    representative_name = forms.CharField(
        label=_("Parent or legal guardian (full name)"),
        required=False,
        max_length=255,
        help_text=_("For a minor the consent is signed by a parent or legal guardian."),
    )
    given_on = forms.DateField(
        label=_("Date signed"), widget=DateInput(), initial=timezone.localdate
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty: valid until the end of the academic year (31 August)."),
    )


class WithdrawForm(forms.Form):
    """The explicit confirmation of a withdrawal: the person's surname typed in full (case and
    «ё» do not matter)."""

    last_name = forms.CharField(
        label=_("The person's surname"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_last_name(self) -> str:
        typed: str = self.cleaned_data["last_name"]
        if search_key(typed) != search_key(self.expected):
            raise forms.ValidationError(
                _("Type the surname exactly as shown to confirm: «%(name)s».")
                % {"name": self.expected}
            )
        return typed
