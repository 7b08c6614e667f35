"""The variants (role models) the regional target model (seed 004) names, and their matching rules.

Added to the shared catalogue, in the catalogue's own spelling (a lower-case first letter, as
«успевающий – неуспевающий»): the forms they belong to follow the seed's lists —

- «ученик – ученик»: «наставник – подопечный», «мастер-класс», «равный – равному» (shipped
  already), «волонтёрский отряд наставников», «лидер – тихоня», «лидер – класс», «вожатый –
  ребёнок»;
- «учитель – учитель»: «педагог-стажист – педагог-новичок»;
- «учитель – ученик»: «учитель – неуспевающий ученик», «учитель – одарённый ребёнок», «учитель –
  особенный ребёнок» (shipped already).

A rule where one follows from the name: «педагог-стажист – педагог-новичок» is an experienced
teacher with a novice (``young_specialist``); the others say who works with whom, not how their
levels, ages or experience compare (``none``: the general rule, which already prefers an older
mentor). «Педагог-новатор – консервативный педагог» carried the reverse rule («the mentor is
younger»): an innovator may be of any age, so it has no special rule; left alone if the
administrator has changed the rule since.

``seed`` is idempotent (update or create); ``tests/shipped.py`` runs it after the catalogue's.
"""

from django.db import migrations

VARIANTS = [
    # form code, code, name, rule
    ("student-student", "mentor-mentee", "наставник – подопечный", "none"),
    ("student-student", "master-class", "мастер-класс", "none"),
    ("student-student", "volunteer-squad", "волонтёрский отряд наставников", "none"),
    ("student-student", "leader-quiet", "лидер – тихоня", "none"),
    ("student-student", "leader-class", "лидер – класс", "none"),
    ("student-student", "counsellor-child", "вожатый – ребёнок", "none"),
    ("teacher-teacher", "trainee-novice", "педагог-стажист – педагог-новичок", "young_specialist"),
]

FIXED_RULES = [
    # form code, code, wrong rule, right rule
    ("teacher-teacher", "innovator-conservative", "reverse", "none"),
]


def seed(apps, schema_editor):
    Form = apps.get_model("programs", "MentoringForm")
    Variant = apps.get_model("programs", "Variant")
    forms = {f.code: f for f in Form.objects.all()}
    for form_code, code, name, rule in VARIANTS:
        Variant.objects.update_or_create(
            form=forms[form_code],
            organization=None,
            code=code,
            defaults={"name": name, "rule": rule},
        )
    for form_code, code, wrong, right in FIXED_RULES:
        Variant.objects.filter(
            form=forms[form_code], organization=None, code=code, rule=wrong
        ).update(rule=right)


def unseed(apps, schema_editor):
    Variant = apps.get_model("programs", "Variant")
    for form_code, code, wrong, right in FIXED_RULES:
        Variant.objects.filter(
            form__code=form_code, organization=None, code=code, rule=right
        ).update(rule=wrong)
    for form_code, code, _name, _rule in VARIANTS:
        # A variant some enrolment has chosen since stays.
        Variant.objects.filter(
            form__code=form_code, organization=None, code=code, enrolments__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_flash_mentoring_spelling")]

    operations = [migrations.RunPython(seed, unseed)]
