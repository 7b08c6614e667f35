"""The catalogue of the target model and its rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.programs.models import MentoringForm, MentoringModel, Program, Variant, VariantRule
from nastavnik.programs.selectors import variants_for
from nastavnik.programs.services import enrolment_upsert, variant_create
from tests.conftest import Tenant
from tests.factories import PersonFactory, ProgramFactory, TeacherFactory, form
from tests.programs.conftest import give_consent

pytestmark = pytest.mark.django_db

FORMS = {
    "ученик – ученик": (["student"], ["student"]),
    "учитель – учитель": (["teacher"], ["teacher"]),
    "учитель – ученик": (["teacher", "staff"], ["student"]),
    "студент – ученик": (["university_student"], ["student"]),
    "работодатель – ученик": (["employer_specialist"], ["student"]),
    "работодатель – студент": (["employer_specialist"], ["university_student"]),
}


@pytest.mark.parametrize(("name", "categories"), FORMS.items())
def test_each_form_names_who_may_be_mentor_and_mentee(
    name: str, categories: tuple[list[str], list[str]]
) -> None:
    found = MentoringForm.objects.get(name=name)
    assert (found.mentor_categories, found.mentee_categories) == categories


@pytest.mark.parametrize(
    "variant",
    [
        "успевающий – неуспевающий",
        "лидер – пассивный",
        "равный – равному",
        "адаптированный – неадаптированный",
        "опытный педагог – молодой специалист",
        "педагог-новатор – консервативный педагог",
        "учитель – одарённый ребёнок",
        "учитель – особенный ребёнок",
        "успевающий студент – неуспевающий ученик",
        "работодатель – будущий сотрудник",
    ],
)
def test_the_typical_variants_are_shipped(variant: str) -> None:
    assert Variant.objects.filter(name=variant, organization__isnull=True).exists()


def test_the_nine_models_have_russian_descriptions() -> None:
    models = list(MentoringModel.objects.all())
    assert len(models) == 9
    assert all(m.description and m.get_type_display() for m in models)


def test_young_specialist_variant_has_its_rule() -> None:
    variant = Variant.objects.get(name="опытный педагог – молодой специалист")
    assert variant.rule == VariantRule.YOUNG_SPECIALIST


def test_an_organization_adds_its_own_variant_seen_by_it_alone(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    variant = variant_create(
        actor=tenant_a.curator,
        organization=tenant_a.organization,
        form=form("student-student"),
        name="Лидер – Тихоня",
    )
    own_a = variants_for(form=form("student-student"), organization_id=tenant_a.organization.pk)
    own_b = variants_for(form=form("student-student"), organization_id=tenant_b.organization.pk)
    assert (variant in own_a, variant in own_b) == (True, False)


def test_a_mentor_may_not_add_variants(tenant_a: Tenant) -> None:
    with pytest.raises(PermissionDenied):
        variant_create(
            actor=tenant_a.mentor,
            organization=tenant_a.organization,
            form=form("student-student"),
            name="Вожатый – ребёнок",
        )


def _program(tenant: Tenant, code: str) -> Program:
    return ProgramFactory.create(organization=tenant.organization, form=form(code))


def test_a_pupil_cannot_be_a_mentor_in_teacher_student(tenant_a: Tenant) -> None:
    program = _program(tenant_a, "teacher-student")
    pupil = PersonFactory.create(organization=tenant_a.organization)
    give_consent(tenant_a.curator, pupil)
    with pytest.raises(ValidationError, match="не может быть наставником"):
        enrolment_upsert(actor=tenant_a.curator, program=program, person=pupil, role="mentor")


def test_a_teacher_cannot_be_a_mentee_in_teacher_student(tenant_a: Tenant) -> None:
    program = _program(tenant_a, "teacher-student")
    teacher = TeacherFactory.create(organization=tenant_a.organization)
    give_consent(tenant_a.curator, teacher)
    with pytest.raises(ValidationError, match="не может быть наставляемым"):
        enrolment_upsert(actor=tenant_a.curator, program=program, person=teacher, role="mentee")


def test_a_young_specialist_has_at_most_three_years(tenant_a: Tenant) -> None:
    program = _program(tenant_a, "teacher-teacher")
    variant = Variant.objects.get(form=program.form, code="experienced-young")
    veteran = TeacherFactory.create(organization=tenant_a.organization, experience_years=12)
    give_consent(tenant_a.curator, veteran)
    with pytest.raises(ValidationError, match="не более 3"):
        enrolment_upsert(
            actor=tenant_a.curator, program=program, person=veteran, role="mentee", variant=variant
        )


def test_a_young_specialist_with_two_years_is_enrolled(tenant_a: Tenant) -> None:
    program = _program(tenant_a, "teacher-teacher")
    variant = Variant.objects.get(form=program.form, code="experienced-young")
    novice = TeacherFactory.create(organization=tenant_a.organization, experience_years=2)
    give_consent(tenant_a.curator, novice)
    enrolment, created = enrolment_upsert(
        actor=tenant_a.curator, program=program, person=novice, role="mentee", variant=variant
    )
    assert (created, enrolment.variant) == (True, variant)


def test_a_variant_of_another_form_is_refused(tenant_a: Tenant) -> None:
    program = _program(tenant_a, "teacher-student")
    pupil = PersonFactory.create(organization=tenant_a.organization)
    give_consent(tenant_a.curator, pupil)
    alien = Variant.objects.get(form=form("student-student"), code="leader-passive")
    with pytest.raises(ValidationError, match="не относится к форме"):
        enrolment_upsert(
            actor=tenant_a.curator, program=program, person=pupil, role="mentee", variant=alien
        )


def test_another_organizations_own_variant_is_refused(tenant_a: Tenant, tenant_b: Tenant) -> None:
    program = _program(tenant_a, "student-student")
    theirs = variant_create(
        actor=tenant_b.curator,
        organization=tenant_b.organization,
        form=program.form,
        name="Вожатый – ребёнок",
    )
    pupil = PersonFactory.create(organization=tenant_a.organization)
    give_consent(tenant_a.curator, pupil)
    with pytest.raises(ValidationError):
        enrolment_upsert(
            actor=tenant_a.curator, program=program, person=pupil, role="mentee", variant=theirs
        )
