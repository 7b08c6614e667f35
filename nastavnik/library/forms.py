from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.library.models import ResourceKind
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import MentoringForm, MentoringModel


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("For example: встреча с наставником, план, мастер-класс"),
            }
        ),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("resource library", "Kind"),
        required=False,
        choices=[("", _("any")), *ResourceKind.choices],
    )
    form = forms.ModelChoiceField(
        label=_("Form of mentoring"),
        required=False,
        queryset=MentoringForm.objects.all(),
        empty_label=_("any"),
    )
    model = forms.ModelChoiceField(
        label=_("Model of mentoring"),
        required=False,
        queryset=MentoringModel.objects.all(),
        empty_label=_("any"),
    )


class ResourceForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(
        label=pgettext_lazy("resource library", "Kind"), choices=ResourceKind.choices
    )
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    form = forms.ModelChoiceField(
        label=_("Form of mentoring"), required=False, queryset=MentoringForm.objects.all()
    )
    model = forms.ModelChoiceField(
        label=_("Model of mentoring"), required=False, queryset=MentoringModel.objects.all()
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    attachment = forms.FileField(label=_("File"), required=False)
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
            return
        del self.fields["remove_file"]
        field = self.fields["organization"]
        field.queryset = organizations  # type: ignore[attr-defined]
        if organizations.count() == 1:
            field.initial = organizations.first()
            field.widget = forms.HiddenInput()
