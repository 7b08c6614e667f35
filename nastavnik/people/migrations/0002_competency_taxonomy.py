"""The shared competency taxonomy: subjects, pedagogical methods, technical creativity,
career guidance, soft skills. Data, editable in the admin afterwards."""

from django.db import migrations

TAXONOMY = [
    ("subjects", "Учебные предметы", True, [
        ("russian", "Русский язык", "орфография грамматика диктант сочинение"),
        ("literature", "Литература", "чтение произведение анализ текста"),
        ("mathematics", "Математика", "алгебра геометрия задачи вычисления"),
        ("algebra", "Алгебра", "уравнения функции"),
        ("geometry", "Геометрия", "чертёж доказательство теорема"),
        ("physics", "Физика", "механика электричество опыты"),
        ("chemistry", "Химия", "реакции вещества лаборатория"),
        ("biology", "Биология", "живые организмы экология"),
        ("geography", "География", "карты страны природа"),
        ("history", "История", "даты события историческая карта"),
        ("social-studies", "Обществознание", "право экономика общество"),
        ("english", "Английский язык", "иностранный язык грамматика разговорная речь"),
        ("german", "Немецкий язык", "иностранный язык"),
        ("informatics", "Информатика", "алгоритмы компьютер программы"),
        ("native-language", "Родной язык", "родная литература"),
        ("music", "Музыка", "пение инструмент хор"),
        ("fine-arts", "Изобразительное искусство", "рисование живопись"),
        ("technology", "Труд (технология)", "изделие мастерская"),
        ("physical-education", "Физическая культура", "спорт соревнования"),
        ("life-safety", "Основы безопасности и защиты Родины", "безопасность первая помощь"),
        ("primary-school", "Начальная школа", "младшие школьники чтение письмо счёт"),
    ]),
    ("methods", "Педагогические методы", False, [
        ("formative-assessment", "Формирующее оценивание", "критерии оценивания обратная связь"),
        ("project-method", "Проектная деятельность", "проект исследование"),
        ("research-activity", "Учебно-исследовательская деятельность", "исследование эксперимент"),
        ("functional-literacy", "Функциональная грамотность", "читательская математическая естественнонаучная грамотность"),
        ("classroom-management", "Управление классом и дисциплина", "дисциплина поведение"),
        ("inclusive-education", "Инклюзивное образование", "ОВЗ особые образовательные потребности"),
        ("gifted-children", "Работа с одарёнными детьми", "олимпиады одарённость"),
        ("exam-preparation", "Подготовка к ОГЭ и ЕГЭ", "экзамен ОГЭ ЕГЭ"),
        ("lesson-design", "Конструирование урока по ФГОС", "ФГОС технологическая карта урок"),
        ("digital-tools", "Цифровые образовательные ресурсы", "ЦОС онлайн-доска электронный журнал"),
        ("class-teacher", "Классное руководство и воспитательная работа", "воспитание родители"),
        ("parent-communication", "Работа с родителями", "родительское собрание"),
        ("preschool-methods", "Методики дошкольного образования", "дошкольники детский сад игра"),
        ("speech-development", "Развитие речи дошкольников", "речь логопед"),
        ("game-technologies", "Игровые технологии", "игра геймификация"),
        ("mentoring-methods", "Методы наставничества", "наставник коучинг"),
    ]),
    ("technical", "Техническое творчество", False, [
        ("robotics", "Робототехника", "роботы конструирование Lego"),
        ("programming", "Программирование", "Python Scratch код"),
        ("3d-modelling", "3D-моделирование и прототипирование", "3D-печать моделирование"),
        ("electronics", "Электроника и схемотехника", "Arduino схемы"),
        ("drones", "Беспилотные авиационные системы", "квадрокоптер дрон"),
        ("web-design", "Веб-дизайн", "сайт дизайн"),
        ("engineering-graphics", "Инженерная графика и черчение", "черчение чертёж"),
    ]),
    ("career", "Профориентация", False, [
        ("career-guidance", "Профессиональное самоопределение", "выбор профессии профориентация"),
        ("professional-trials", "Профессиональные пробы", "пробы практика"),
        ("entrepreneurship", "Предпринимательство", "бизнес стартап"),
        ("financial-literacy", "Финансовая грамотность", "деньги бюджет"),
        ("workplace-skills", "Навыки работы на производстве", "производство предприятие"),
    ]),
    ("soft-skills", "Гибкие навыки", False, [
        ("communication", "Коммуникация", "общение диалог"),
        ("teamwork", "Работа в команде", "команда сотрудничество"),
        ("public-speaking", "Публичные выступления", "выступление презентация"),
        ("leadership", "Лидерство", "лидер инициатива"),
        ("time-management", "Тайм-менеджмент", "планирование время"),
        ("critical-thinking", "Критическое мышление", "анализ аргументация"),
        ("creativity", "Креативность", "творчество идеи"),
        ("emotional-intelligence", "Эмоциональный интеллект", "эмоции стресс"),
        ("adaptation", "Адаптация в коллективе", "новичок коллектив адаптация"),
        ("volunteering", "Добровольчество", "волонтёр"),
        ("sports", "Спорт и здоровый образ жизни", "спорт ЗОЖ"),
        ("chess", "Шахматы", "шахматы логика"),
    ]),
]


def seed(apps, schema_editor):
    Area = apps.get_model("people", "CompetencyArea")
    Competency = apps.get_model("people", "Competency")
    for position, (area_code, area_name, is_subject, items) in enumerate(TAXONOMY):
        area, _ = Area.objects.update_or_create(
            code=area_code, defaults={"name": area_name, "position": position}
        )
        for code, name, keywords in items:
            Competency.objects.update_or_create(
                code=code,
                defaults={
                    "area": area,
                    "name": name,
                    "is_subject": is_subject,
                    "keywords": keywords,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
