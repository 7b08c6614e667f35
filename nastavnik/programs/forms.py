from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import Role, User
from nastavnik.organizations.models import AcademicYear, Organization
from nastavnik.people.forms import DateInput, PersonChoiceField
from nastavnik.people.models import Person
from nastavnik.programs.models import (
    ContourTask,
    Enrolment,
    EnrolmentRole,
    MentoringForm,
    MentoringModel,
    OutputKind,
    Partner,
    Program,
    RoadmapItem,
    Stage,
    SupportKind,
    TandemNote,
    TandemStep,
    TandemToolItem,
    TrainingSession,
    Variant,
    VariantRule,
)


class ProgramForm(forms.ModelForm[Program]):
    """A program's card. The form of mentoring is chosen once, at creation."""

    support_kinds = forms.MultipleChoiceField(
        label=_("Kinds of support"),
        choices=SupportKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = [
            "title",
            "form",
            "academic_year",
            "goals",
            "tasks",
            "expected_results",
            "variants",
            "models_used",
            "group_counts_as_one_place",
            "support_kinds",
            "curator",
            "starts_on",
            "ends_on",
            "is_public",
            "public_news",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "public_news": forms.Textarea(attrs={"rows": 3}),
            "variants": forms.CheckboxSelectMultiple,
            "models_used": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = AcademicYear.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )
        self.fields["curator"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organization=organization, memberships__role=Role.CURATOR
        ).distinct()
        self.fields["models_used"].queryset = MentoringModel.objects.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            # The form of mentoring is fixed: the bases were formed for it.
            del self.fields["form"]
            del self.fields["academic_year"]
            from django.db.models import Q

            self.fields["variants"].queryset = Variant.objects.filter(  # type: ignore[attr-defined]
                Q(organization__isnull=True) | Q(organization=organization),
                form_id=self.instance.form_id,
            )
        else:
            self.fields["form"].queryset = MentoringForm.objects.all()  # type: ignore[attr-defined]
            # Variants depend on the form: chosen after creation.
            del self.fields["variants"]

    def program_data(self) -> dict[str, Any]:
        skip = {"form", "academic_year", "variants", "models_used"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class StageTaskAddForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("Stage"), choices=Stage.choices, coerce=int)
    title = forms.CharField(label=_("Item"), max_length=500)
    kind = forms.ChoiceField(label=_("Output"), choices=OutputKind.choices)


class EnrolmentAddForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    variant = forms.ModelChoiceField(
        label=_("Variant"), queryset=Variant.objects.none(), required=False
    )
    capacity = forms.IntegerField(
        label=_("Mentor's capacity"), min_value=0, max_value=50, initial=1, required=False
    )

    def __init__(self, *args: Any, people: Any, variants: Any, role: str, **kwargs: Any) -> None:
        kwargs["prefix"] = role
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["variant"].queryset = variants  # type: ignore[attr-defined]
        if role != EnrolmentRole.MENTOR:
            del self.fields["capacity"]


class EnrolmentForm(forms.ModelForm[Enrolment]):
    class Meta:
        model = Enrolment
        fields = ["status", "variant", "capacity", "interviewed_on", "interview_notes", "notes"]
        widgets = {
            "interviewed_on": DateInput(),
            "interview_notes": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, variants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].queryset = variants  # type: ignore[attr-defined]
        if self.instance.role != EnrolmentRole.MENTOR:
            for name in ("capacity", "interviewed_on", "interview_notes"):
                del self.fields[name]


class VariantForm(forms.Form):
    form = forms.ModelChoiceField(label=_("Form"), queryset=MentoringForm.objects.all())
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rule = forms.ChoiceField(label=_("Matching rule"), choices=VariantRule.choices)


class RoadmapItemForm(forms.ModelForm[RoadmapItem]):
    class Meta:
        model = RoadmapItem
        fields = [
            "title",
            "stage",
            "starts_on",
            "due_on",
            "responsible",
            "status",
            "result",
            "is_public",
        ]
        widgets = {"starts_on": DateInput(), "due_on": DateInput()}


class ContourTaskForm(forms.ModelForm[ContourTask]):
    class Meta:
        model = ContourTask
        fields = ["area", "title", "responsible", "due_on", "status"]
        widgets = {"due_on": DateInput()}


class PartnerForm(forms.ModelForm[Partner]):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact_name", "phone", "email", "contribution"]
        widgets = {"contribution": forms.Textarea(attrs={"rows": 2})}


class TrainingSessionForm(forms.ModelForm[TrainingSession]):
    class Meta:
        model = TrainingSession
        fields = ["title", "held_on", "trainer", "materials"]
        widgets = {"held_on": DateInput(), "materials": forms.Textarea(attrs={"rows": 3})}


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mark_trained = forms.BooleanField(label=_("Mark those who attended as trained"), required=False)

    def __init__(self, *args: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = mentors  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: e.person.full_name  # type: ignore[attr-defined]


class TandemCreateForm(forms.Form):
    name = forms.CharField(label=_("Name of the tandem"), max_length=255)
    interest = forms.CharField(
        label=_("Mutual professional interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = colleagues  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.full_name  # type: ignore[attr-defined]


class TandemUpdateForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Step"), choices=TandemStep.choices, coerce=int)
    interest = forms.CharField(
        label=_("Mutual professional interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    goals = forms.CharField(
        label=_("Common goals"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TandemNoteForm(forms.ModelForm[TandemNote]):
    class Meta:
        model = TandemNote
        fields = ["kind", "held_on", "text"]
        widgets = {"held_on": DateInput(), "text": forms.Textarea(attrs={"rows": 2})}


class TandemToolForm(forms.ModelForm[TandemToolItem]):
    class Meta:
        model = TandemToolItem
        fields = ["title", "description", "tried_on"]
        widgets = {"tried_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}
