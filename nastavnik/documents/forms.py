from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.people.forms import DateInput

FORMAT_CHOICES = [("docx", _("Word (.docx)")), ("pdf", _("PDF"))]


class GenerateForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=64, required=False)
    signed_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="docx")


class PairsOrderForm(GenerateForm):
    """The order fixing pairs and groups: a mentor for each mentee of the base.

    The mentorships will fill this from the approved pairs; until then the curator chooses."""

    def __init__(self, *args: Any, mentors: list[Any], mentees: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((str(p.pk), p.full_name) for p in mentors)]
        self.mentee_fields = []
        for person in mentees:
            name = f"mentor_for_{person.pk}"
            self.fields[name] = forms.ChoiceField(
                label=person.full_name, choices=choices, required=False
            )
            self.mentee_fields.append(name)

    def pairs(self) -> dict[int, list[int]]:
        result: dict[int, list[int]] = {}
        for name in self.mentee_fields:
            mentor = self.cleaned_data.get(name)
            if mentor:
                result.setdefault(int(mentor), []).append(int(name.removeprefix("mentor_for_")))
        return result

    def mentee_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.mentee_fields]


class TemplateForm(forms.Form):
    html = forms.CharField(
        label=_("Template for PDF (HTML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
    )
    docx = forms.FileField(label=_("Word template (.docx)"), required=False)

    def clean_docx(self) -> Any:
        upload = self.cleaned_data.get("docx")
        if upload and not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(_("Upload a .docx file."))
        return upload
