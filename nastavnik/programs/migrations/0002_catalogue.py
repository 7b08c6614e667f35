"""The catalogue of the target model of mentorship: forms, their variants, models of mentoring.

Data, not code: editable in the admin; organizations add variants of their own.
"""

from django.db import migrations

FORMS = [
    # code, name, mentor categories, mentee categories, description
    ("student-student", "ученик – ученик", ["student"], ["student"],
     "Взаимодействие обучающихся, при котором один из них находится на более высокой ступени "
     "образования и обладает организаторскими и лидерскими качествами."),
    ("teacher-teacher", "учитель – учитель", ["teacher"], ["teacher"],
     "Взаимодействие молодого специалиста с опытным и располагающим ресурсами педагогом."),
    ("teacher-student", "учитель – ученик", ["teacher", "staff"], ["student"],
     "Взаимодействие педагога и обучающегося для раскрытия потенциала и поддержки."),
    ("university-student-student", "студент – ученик", ["university_student"], ["student"],
     "Взаимодействие студента вуза или колледжа с обучающимся школы."),
    ("employer-student", "работодатель – ученик", ["employer_specialist"], ["student"],
     "Взаимодействие представителя предприятия с обучающимся для профориентации."),
    ("employer-university-student", "работодатель – студент", ["employer_specialist"],
     ["university_student"],
     "Взаимодействие представителя предприятия со студентом для профессионального развития."),
]

VARIANTS = [
    # form code, code, name, rule
    ("student-student", "achiever-underachiever", "успевающий – неуспевающий", "strong_helps_weak"),
    ("student-student", "leader-passive", "лидер – пассивный", "none"),
    ("student-student", "peer-to-peer", "равный – равному", "similar_level"),
    ("student-student", "adapted-unadapted", "адаптированный – неадаптированный", "none"),
    ("teacher-teacher", "experienced-young", "опытный педагог – молодой специалист", "young_specialist"),
    ("teacher-teacher", "innovator-conservative", "педагог-новатор – консервативный педагог", "reverse"),
    ("teacher-teacher", "peer-to-peer", "равный – равному", "similar_level"),
    ("teacher-student", "teacher-gifted", "учитель – одарённый ребёнок", "none"),
    ("teacher-student", "teacher-special", "учитель – особенный ребёнок", "none"),
    ("teacher-student", "teacher-underachiever", "учитель – неуспевающий ученик", "strong_helps_weak"),
    ("university-student-student", "achiever-underachiever", "успевающий студент – неуспевающий ученик", "strong_helps_weak"),
    ("university-student-student", "mentor-career", "студент – ученик, выбирающий профессию", "none"),
    ("employer-student", "employer-future-employee", "работодатель – будущий сотрудник", "none"),
    ("employer-student", "expert-project", "эксперт – автор проекта", "none"),
    ("employer-university-student", "employer-future-employee", "работодатель – будущий сотрудник", "none"),
]

MODELS = [
    ("traditional", "традиционная (один на один)", "direct", False,
     "Длительное взаимодействие одного наставника и одного наставляемого."),
    ("peer", "партнёрская («равный – равному»)", "direct", False,
     "Обмен опытом между коллегами или сверстниками одного уровня."),
    ("group", "групповая", "collective", True,
     "Один наставник работает с группой наставляемых (до 10 человек)."),
    ("flash", "флеш-наставничество", "direct", False,
     "Одна или несколько коротких встреч для решения конкретного вопроса."),
    ("speed", "скоростная", "collective", True,
     "Серия коротких встреч со сменой собеседников для обмена опытом."),
    ("reverse", "реверсивная", "direct", False,
     "Младший по возрасту или стажу делится с опытным коллегой новыми знаниями."),
    ("virtual", "виртуальная", "mediated", False,
     "Взаимодействие с помощью информационно-коммуникационных технологий."),
    ("situational", "ситуационная", "direct", False,
     "Помощь наставника в важной для наставляемого ситуации."),
    ("short-term", "краткосрочная (целеполагающая)", "direct", False,
     "Встречи по заранее намеченному графику для постановки цели и проверки её достижения."),
]


def seed(apps, schema_editor):
    Form = apps.get_model("programs", "MentoringForm")
    Variant = apps.get_model("programs", "Variant")
    Model = apps.get_model("programs", "MentoringModel")
    forms = {}
    for position, (code, name, mentors, mentees, description) in enumerate(FORMS):
        forms[code], _ = Form.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "mentor_categories": mentors,
                "mentee_categories": mentees,
                "description": description,
                "position": position,
            },
        )
    for form_code, code, name, rule in VARIANTS:
        Variant.objects.update_or_create(
            form=forms[form_code], organization=None, code=code,
            defaults={"name": name, "rule": rule},
        )
    for position, (code, name, kind, is_group, description) in enumerate(MODELS):
        Model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "type": kind,
                "is_group": is_group,
                "description": description,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
