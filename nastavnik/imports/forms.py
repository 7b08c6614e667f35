from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.programs.models import Program

NO_PROGRAM = "none"

ENCODING_CHOICES = [
    ("", _("detect automatically")),
    ("utf-8", "UTF-8"),
    ("cp1251", "Windows-1251"),
]
DELIMITER_CHOICES = [
    ("", _("detect automatically")),
    (";", _("semicolon «;»")),
    (",", _("comma «,»")),
    ("\t", _("tab")),
]


class UploadForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx, .ods or .csv table with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods,.csv,.txt"}),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV only)"), choices=ENCODING_CHOICES, required=False
    )
    delimiter = forms.ChoiceField(
        label=_("Separator (CSV only)"), choices=DELIMITER_CHOICES, required=False
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"),
        required=False,
        help_text=_(
            "Import the valid rows and give a report of the skipped ones. Otherwise a file with "
            "any invalid row imports nothing."
        ),
    )

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organizations  # type: ignore[attr-defined]


class OptionsForm(forms.Form):
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)
    delimiter = forms.ChoiceField(label=_("Separator"), choices=DELIMITER_CHOICES, required=False)


class CommitForm(forms.Form):
    skip_invalid = forms.BooleanField(label=_("Skip invalid rows"), required=False)


class ProgramForm(forms.Form):
    """The program the rows with «Роль в программе» are enrolled in, among the batch's choices."""

    program = forms.ChoiceField(label=_("Enrol in the program"))

    def __init__(self, *args: Any, programs: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programs = {str(p.pk): p for p in programs}
        self.fields["program"].choices = [  # type: ignore[attr-defined]
            *((key, f"{p.title} ({p.form.name})") for key, p in self.programs.items()),
            (NO_PROGRAM, _("do not enrol in a program")),
        ]

    def chosen(self) -> Program | None:
        value = self.cleaned_data["program"]
        return None if value == NO_PROGRAM else self.programs[value]
