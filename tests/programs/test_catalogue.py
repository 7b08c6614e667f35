"""The catalogue of the target model and its rules."""

from __future__ import annotations

import importlib

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


# The shared catalogue, exactly: (form, variant, its matching rule). A rule only where the name
# implies one: who is stronger (``strong_helps_weak``), peers (``similar_level``), an experienced
# teacher with a novice (``young_specialist``); the rest follow the general rule.
SHIPPED_VARIANTS = {
    ("ученик – ученик", "адаптированный – неадаптированный", VariantRule.NONE),
    ("ученик – ученик", "волонтёрский отряд наставников", VariantRule.NONE),
    ("ученик – ученик", "вожатый – ребёнок", VariantRule.NONE),
    ("ученик – ученик", "лидер – класс", VariantRule.NONE),
    ("ученик – ученик", "лидер – пассивный", VariantRule.NONE),
    ("ученик – ученик", "лидер – тихоня", VariantRule.NONE),
    ("ученик – ученик", "мастер-класс", VariantRule.NONE),
    ("ученик – ученик", "наставник – подопечный", VariantRule.NONE),
    ("ученик – ученик", "равный – равному", VariantRule.SIMILAR_LEVEL),
    ("ученик – ученик", "успевающий – неуспевающий", VariantRule.STRONG_HELPS_WEAK),
    ("учитель – учитель", "опытный педагог – молодой специалист", VariantRule.YOUNG_SPECIALIST),
    ("учитель – учитель", "педагог-новатор – консервативный педагог", VariantRule.NONE),
    ("учитель – учитель", "педагог-стажист – педагог-новичок", VariantRule.YOUNG_SPECIALIST),
    ("учитель – учитель", "равный – равному", VariantRule.SIMILAR_LEVEL),
    ("учитель – ученик", "учитель – неуспевающий ученик", VariantRule.STRONG_HELPS_WEAK),
    ("учитель – ученик", "учитель – одарённый ребёнок", VariantRule.NONE),
    ("учитель – ученик", "учитель – особенный ребёнок", VariantRule.NONE),
    ("студент – ученик", "студент – ученик, выбирающий профессию", VariantRule.NONE),
    (
        "студент – ученик",
        "успевающий студент – неуспевающий ученик",
        VariantRule.STRONG_HELPS_WEAK,
    ),
    ("работодатель – ученик", "работодатель – будущий сотрудник", VariantRule.NONE),
    ("работодатель – ученик", "эксперт – автор проекта", VariantRule.NONE),
    ("работодатель – студент", "работодатель – будущий сотрудник", VariantRule.NONE),
}

# The variants of the regional target model (seed 004), in its words.
SEED_004 = (
    "Наставник – Подопечный",
    "Мастер-класс",
    "Равный – равному",
    "Волонтёрский отряд наставников",
    "Лидер – Тихоня",
    "Лидер – класс",
    "Вожатый – ребёнок",
    "Педагог-стажист – педагог-новичок",
    "Учитель – неуспевающий ученик",
    "Учитель – одарённый ребёнок",
    "Учитель – особенный ребёнок",
)


def test_the_shipped_variants_and_their_rules_exactly() -> None:
    shipped = {
        (v.form.name, v.name, v.rule)
        for v in Variant.objects.filter(organization__isnull=True).select_related("form")
    }
    assert shipped == SHIPPED_VARIANTS


@pytest.mark.parametrize("name", SEED_004)
def test_each_variant_of_the_target_model_is_shipped(name: str) -> None:
    # The catalogue writes names with a lower-case first letter (SQLite's iexact is ASCII only).
    shipped = {
        n.casefold()
        for n in Variant.objects.filter(organization__isnull=True).values_list("name", flat=True)
    }
    assert name.casefold() in shipped


def test_the_innovator_may_be_of_any_age() -> None:
    """«Педагог-новатор – консервативный педагог» does not say who is younger: no reverse rule;
    reverse mentoring is the reverse model's, not this variant's."""
    innovator = Variant.objects.get(code="innovator-conservative", organization__isnull=True)
    assert innovator.rule == VariantRule.NONE
    assert not Variant.objects.filter(organization__isnull=True, rule=VariantRule.REVERSE).exists()


def test_the_seed_puts_back_a_changed_catalogue_and_leaves_an_administrators_rule() -> None:
    """The migration's seed is idempotent (``tests/shipped.py`` runs it again) and corrects only
    the rule it shipped wrong."""
    from django.apps import apps

    seed = importlib.import_module("nastavnik.programs.migrations.0006_seed_variants").seed
    Variant.objects.filter(code="leader-quiet").delete()
    Variant.objects.filter(code="innovator-conservative").update(rule=VariantRule.REVERSE)
    Variant.objects.filter(code="trainee-novice").update(name="старое имя")
    seed(apps, None)
    seed(apps, None)
    assert Variant.objects.filter(code="leader-quiet", organization__isnull=True).count() == 1
    assert Variant.objects.get(code="trainee-novice").name == "педагог-стажист – педагог-новичок"
    assert Variant.objects.get(code="innovator-conservative").rule == VariantRule.NONE
    Variant.objects.filter(code="innovator-conservative").update(rule=VariantRule.STRONG_HELPS_WEAK)
    seed(apps, None)
    assert Variant.objects.get(code="innovator-conservative").rule == VariantRule.STRONG_HELPS_WEAK


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
        name="Шеф – стажёр",
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
            name="Капитан – команда",
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
        name="Капитан – команда",
    )
    pupil = PersonFactory.create(organization=tenant_a.organization)
    give_consent(tenant_a.curator, pupil)
    with pytest.raises(ValidationError):
        enrolment_upsert(
            actor=tenant_a.curator, program=program, person=pupil, role="mentee", variant=theirs
        )
