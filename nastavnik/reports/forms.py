"""Forms of the reports: the targets for the next year, the start of a new academic year."""

from __future__ import annotations

from typing import Any

from django import forms as df
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.organizations.models import Organization
from nastavnik.programs.models import MentoringForm, MentoringModel, Variant
from nastavnik.reports.models import YearTargets


def _variant_label(obj: Variant) -> str:
    return f"{obj.form.name}: {obj.name}"


class TargetsForm(df.Form):
    coverage_students = df.IntegerField(
        label=_("Coverage of pupils, %"),
        required=False,
        min_value=0,
        validators=[MaxValueValidator(100)],
    )
    coverage_teachers = df.IntegerField(
        label=_("Coverage of teachers, %"),
        required=False,
        min_value=0,
        validators=[MaxValueValidator(100)],
    )
    forms = df.ModelMultipleChoiceField(
        label=_("New forms"),
        queryset=MentoringForm.objects.order_by("position"),
        required=False,
        widget=df.CheckboxSelectMultiple,
    )
    models_used = df.ModelMultipleChoiceField(
        label=_("New models"),
        queryset=MentoringModel.objects.all(),
        required=False,
        widget=df.CheckboxSelectMultiple,
    )
    variants = df.ModelMultipleChoiceField(
        label=_("New variants"),
        queryset=Variant.objects.none(),
        required=False,
        widget=df.CheckboxSelectMultiple,
    )
    note = df.CharField(label=_("Other tasks"), required=False, widget=df.Textarea)

    def __init__(
        self, *args: Any, organization: Organization, instance: YearTargets | None, **kwargs: Any
    ) -> None:
        if instance is not None and "data" not in kwargs and not args:
            kwargs["initial"] = {
                "coverage_students": instance.coverage_students,
                "coverage_teachers": instance.coverage_teachers,
                "forms": list(instance.forms.all()),
                "models_used": list(instance.models_used.all()),
                "variants": list(instance.variants.all()),
                "note": instance.note,
            }
        super().__init__(*args, **kwargs)
        variants = self.fields["variants"]
        assert isinstance(variants, df.ModelMultipleChoiceField)
        variants.queryset = (
            Variant.objects.filter(Q(organization__isnull=True) | Q(organization=organization))
            .select_related("form")
            .order_by("form__position", "name")
        )
        variants.label_from_instance = _variant_label  # type: ignore[method-assign]
