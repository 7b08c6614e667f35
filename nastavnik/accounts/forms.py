from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Login"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Wrong login or password. Both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }


class ApiTokenForm(forms.Form):
    """A new personal API token: what for, its scope, read or read-write, how long it lives."""

    DAYS = ((30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("365 days")))

    name = forms.CharField(
        label=_("What it is for"),
        max_length=255,
        help_text=_("For example: the school's electronic journal."),
    )
    organization = forms.TypedChoiceField(
        label=_("Organization"), coerce=int, required=False, empty_value=None
    )
    territory = forms.TypedChoiceField(
        label=_("Territory (aggregates only)"), coerce=int, required=False, empty_value=None
    )
    can_write = forms.TypedChoiceField(
        label=_("Access"),
        coerce=lambda value: value == "write",
        choices=(("read", _("read only")), ("write", _("read and write"))),
        initial="read",
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, choices=DAYS, initial=90)

    def __init__(
        self,
        *args: object,
        organizations: list[tuple[int, str]],
        territories: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        blank = [("", "—")]
        self.fields["organization"].choices = blank + organizations  # type: ignore[attr-defined]
        if territories:
            self.fields["territory"].choices = blank + territories  # type: ignore[attr-defined]
        else:
            del self.fields["territory"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("organization") is None) == (data.get("territory") is None):
            raise forms.ValidationError(_("Choose an organization or a territory."))
        return data
