"""What the demo region is made of: territories, organizations, named logins, programs.

Plain data. ``services.demo_seed`` turns it into records through the apps' services.
Free text is Russian on purpose: it is the content a school would type, not interface text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REGION = ("demo-region", "Приозёрская область")
MUNICIPALITIES = {
    "demo-priozersk": "Городской округ Приозёрск",
    "demo-lesnogorsk": "Лесногорский муниципальный округ",
}
# The municipality a municipal coordinator of the demo looks after.
COORDINATED_MUNICIPALITY = "demo-priozersk"


@dataclass(frozen=True)
class PairsSpec:
    """Pairs and groups of one variant the demo forms by hand in a program at «the work of
    pairs» (the mentees are enrolled with that variant: one per pair, ``group_size`` per group)."""

    variant: str  # Variant.code of the program's form
    pairs: int
    groups: int = 0
    group_size: int = 3

    @property
    def mentees(self) -> int:
        return self.pairs + self.groups * self.group_size


@dataclass(frozen=True)
class ProgramSpec:
    form: str  # MentoringForm.code
    stage: int  # programs.models.Stage
    variants: tuple[str, ...]  # Variant.code of the form, the first one is the usual one
    models: tuple[str, ...]  # MentoringModel.code
    goals: str
    tasks: str
    results: str
    mentors: int  # how many mentors to enrol, at scale 1
    mentees: int
    # The mentors' capacity, (least, most), when not the form's usual one (a program that counts
    # every member of a group against capacity needs more: a team of two leading four takes
    # four places each; by default a group takes one place of each mentor).
    mentor_capacity: tuple[int, int] | None = None
    # When set, the program's pairs and groups by variant, formed by hand (at scale 1, exactly;
    # a compact demo forms what its smaller base allows); the mentees are enrolled per variant
    # for them and ``mentees`` is their sum. Else a program at «work» gets a matching run.
    mentorships: tuple[PairsSpec, ...] = ()

    @property
    def mentee_count(self) -> int:
        return sum(p.mentees for p in self.mentorships) if self.mentorships else self.mentees


@dataclass(frozen=True)
class OrganizationSpec:
    code: str
    municipality: str
    kind: str  # Organization.Kind
    name: str
    short_name: str
    address: str
    head_position: str
    classes: tuple[str, ...] = ()  # classes (or college groups) of the pupils
    pupils_per_class: int = 0
    # When set, the pupils of the organization in all, spread over the classes (the first classes
    # take one more), instead of ``pupils_per_class``; named logins count towards it.
    pupils: int = 0
    teachers: int = 0
    university_students: int = 0
    employer_specialists: int = 0
    programs: tuple[ProgramSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NamedLogin:
    """A login the demo guide names, with the person behind it (if any)."""

    username: str
    role: str  # accounts.models.Role
    organization: str | None = None  # organization code; None for territory roles and admin
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    sex: str = ""
    category: str = ""  # PersonCategory; empty means no person record
    position: str = ""
    subject: str = ""
    experience_years: int | None = None
    class_name: str = ""
    # Programs of the organization (form codes) the person is enrolled in, with the role.
    enrol_as_mentor: tuple[str, ...] = ()
    enrol_as_mentee: tuple[str, ...] = ()
    # Achievement per subject code (0 weak, 1 medium, 2 strong) for a pupil.
    achievements: tuple[tuple[str, int], ...] = ()


_GOALS_STUDENTS = (
    "Раскрытие личностного потенциала обучающихся, повышение их учебной мотивации "
    "и успеваемости, развитие гибких навыков."
)
_GOALS_TEACHERS = (
    "Успешное закрепление молодых специалистов в профессии, развитие их профессиональных "
    "компетенций, снижение уровня профессионального выгорания."
)
_GOALS_CAREER = (
    "Профессиональное самоопределение обучающихся, знакомство с профессиями "
    "реального сектора экономики региона."
)
_TASKS_STUDENTS = (
    "Помощь в освоении учебного материала; адаптация в новом коллективе; "
    "развитие навыков самоорганизации и проектной деятельности."
)
_TASKS_TEACHERS = (
    "Помощь в подготовке и анализе уроков; освоение формирующего оценивания; "
    "выстраивание общения с родителями; участие в профессиональных конкурсах."
)
_TASKS_CAREER = (
    "Экскурсии на предприятия, профессиональные пробы, совместные проекты "
    "по запросам работодателей."
)
_RESULTS_STUDENTS = "Рост успеваемости наставляемых, снижение числа неуспевающих обучающихся."
_RESULTS_TEACHERS = "Молодые специалисты остаются в профессии; растёт качество их уроков."
_RESULTS_CAREER = "Обучающиеся осознанно выбирают профиль обучения и будущую профессию."


def _students_program(
    stage: int,
    mentors: int = 10,
    mentees: int = 14,
    mentor_capacity: tuple[int, int] | None = None,
) -> ProgramSpec:
    return ProgramSpec(
        form="student-student",
        stage=stage,
        variants=("achiever-underachiever", "peer-to-peer", "adapted-unadapted"),
        models=("traditional", "group", "peer"),
        goals=_GOALS_STUDENTS,
        tasks=_TASKS_STUDENTS,
        results=_RESULTS_STUDENTS,
        mentors=mentors,
        mentees=mentees,
        mentor_capacity=mentor_capacity,
    )


def _teachers_program(
    stage: int,
    mentors: int = 5,
    mentees: int | None = None,
    mentorships: tuple[PairsSpec, ...] = (),
) -> ProgramSpec:
    return ProgramSpec(
        form="teacher-teacher",
        stage=stage,
        variants=("experienced-young", "innovator-conservative"),
        models=("traditional", "reverse", "flash"),
        goals=_GOALS_TEACHERS,
        tasks=_TASKS_TEACHERS,
        results=_RESULTS_TEACHERS,
        mentors=mentors,
        mentees=mentors * 2 if mentees is None else mentees,
        mentorships=mentorships,
    )


ORGANIZATIONS: tuple[OrganizationSpec, ...] = (
    OrganizationSpec(
        code="demo-school-1",
        municipality="demo-priozersk",
        kind="school",
        name="Муниципальное бюджетное общеобразовательное учреждение "
        "«Средняя общеобразовательная школа № 1 г. Приозёрска»",
        short_name="СОШ № 1 г. Приозёрска",
        address="г. Приозёрск, ул. Школьная, д. 1",
        head_position="директор",
        # The school of the target model's example: 583 pupils and 51 teachers.
        classes=tuple(f"{grade}{letter}" for grade in range(1, 12) for letter in "АБ"),
        pupils=583,
        teachers=51,
        university_students=6,
        employer_specialists=5,
        programs=(
            # Seed 004's figures (tests/demo/test_report.py compares the report with them):
            # 583 pupils, 51 teachers; 11 pupil mentors; 57 pupil mentees (14 here, 37 with
            # teachers, 6 with students; nobody is in two bases); 4 teacher mentees; 15 teacher
            # mentors (4 of young teachers, 12 of pupils, the demo mentor in both). The seed
            # gives the pairs of one variant only («Учитель – «Одаренный» ребенок – 23 пары и
            # 2 группы»); the other variants' pairs are the demo's choice: 4 pairs «опытный
            # педагог – молодой специалист», 6 «учитель – неуспевающий ученик», 2 «учитель –
            # особенный ребёнок». The pupils' program is at «forming pairs»: its pairs come
            # when the curator publishes the demo's run.
            # At «forming pairs and groups»; senior pupils also lead small groups of younger
            # ones in twos (the demo's group run), so they take up to four, not one or two.
            _students_program(stage=5, mentors=11, mentees=14, mentor_capacity=(2, 4)),
            _teachers_program(
                stage=6,
                mentors=4,
                mentees=4,
                mentorships=(PairsSpec("experienced-young", pairs=4),),
            ),
            ProgramSpec(
                form="teacher-student",
                stage=6,
                variants=("teacher-gifted", "teacher-underachiever", "teacher-special"),
                models=("traditional", "group", "short-term"),
                goals="Поддержка одарённых детей и обучающихся, испытывающих трудности в учёбе.",
                tasks="Подготовка к олимпиадам и конкурсам; индивидуальные образовательные "
                "траектории для обучающихся с трудностями в обучении.",
                results="Призёры олимпиад; обучающиеся без академической задолженности.",
                mentors=12,
                mentees=37,
                # 33 pairs and groups for 12 teachers: three each (a group takes one place).
                mentor_capacity=(3, 3),
                mentorships=(
                    # «Учитель – «Одаренный» ребенок – 23 пары и 2 группы» (seed 004).
                    PairsSpec("teacher-gifted", pairs=23, groups=2, group_size=3),
                    PairsSpec("teacher-underachiever", pairs=6),
                    PairsSpec("teacher-special", pairs=2),
                ),
            ),
            ProgramSpec(
                form="university-student-student",
                stage=2,
                variants=("mentor-career", "achiever-underachiever"),
                models=("traditional", "virtual"),
                goals="Профессиональная ориентация старшеклассников с участием студентов "
                "педагогического университета.",
                tasks="Знакомство со студенческой жизнью, помощь в выборе профиля обучения.",
                results="Старшеклассники определились с профилем обучения.",
                mentors=6,
                mentees=6,
            ),
            ProgramSpec(
                form="employer-student",
                stage=1,
                variants=("employer-future-employee", "expert-project"),
                models=("group", "flash", "speed"),
                goals=_GOALS_CAREER,
                tasks=_TASKS_CAREER,
                results=_RESULTS_CAREER,
                mentors=5,
                mentees=10,
            ),
        ),
    ),
    OrganizationSpec(
        code="demo-lyceum-3",
        municipality="demo-priozersk",
        kind="school",
        name="Муниципальное автономное общеобразовательное учреждение «Лицей № 3»",
        short_name="Лицей № 3",
        address="г. Приозёрск, пр. Ленина, д. 25",
        head_position="директор",
        classes=("8А", "9А", "10А", "11А"),
        pupils_per_class=12,
        teachers=12,
        programs=(
            ProgramSpec(
                form="teacher-student",
                stage=5,
                variants=("teacher-gifted",),
                models=("traditional", "group"),
                goals="Развитие одарённости обучающихся через олимпиадную и проектную работу.",
                tasks="Подготовка к олимпиадам, научно-практическим конференциям и конкурсам.",
                results="Рост числа победителей и призёров олимпиад.",
                mentors=6,
                mentees=12,
            ),
            _students_program(stage=2, mentors=6, mentees=8),
        ),
    ),
    OrganizationSpec(
        code="demo-college",
        municipality="demo-priozersk",
        kind="college",
        name="Государственное бюджетное профессиональное образовательное учреждение "
        "«Приозёрский политехнический колледж»",
        short_name="Политехнический колледж",
        address="г. Приозёрск, ул. Заводская, д. 12",
        head_position="директор",
        classes=("ТМ-1", "ТМ-2", "ПР-2", "ПР-3"),  # speciality and course
        pupils_per_class=12,
        teachers=10,
        employer_specialists=6,
        programs=(
            ProgramSpec(
                form="employer-university-student",
                stage=4,
                variants=("employer-future-employee",),
                models=("traditional", "group"),
                goals="Подготовка будущих сотрудников предприятий-партнёров колледжа.",
                tasks="Производственная практика с наставником, курсовые проекты "
                "по заданиям предприятия.",
                results="Выпускники трудоустроены на предприятиях-партнёрах.",
                mentors=6,
                mentees=18,
            ),
            _teachers_program(stage=6, mentors=3),
        ),
    ),
    OrganizationSpec(
        code="demo-lesnogorsk-school",
        municipality="demo-lesnogorsk",
        kind="school",
        name="Муниципальное бюджетное общеобразовательное учреждение "
        "«Лесногорская средняя общеобразовательная школа»",
        short_name="Лесногорская СОШ",
        address="с. Лесногорское, ул. Центральная, д. 8",
        head_position="директор",
        classes=("5А", "6А", "7А", "8А", "9А"),
        pupils_per_class=8,
        teachers=10,
        programs=(
            _students_program(stage=6, mentors=5, mentees=7),
            _teachers_program(stage=3, mentors=2),
        ),
    ),
    OrganizationSpec(
        code="demo-kindergarten-7",
        municipality="demo-lesnogorsk",
        kind="kindergarten",
        name="Муниципальное бюджетное дошкольное образовательное учреждение "
        "«Детский сад № 7 «Солнышко»»",
        short_name="Детский сад № 7 «Солнышко»",
        address="пгт Лесной, ул. Садовая, д. 3",
        head_position="заведующий",
        teachers=10,
        programs=(_teachers_program(stage=6, mentors=3),),
    ),
    OrganizationSpec(
        code="demo-employer",
        municipality="demo-priozersk",
        kind="employer",
        name="Акционерное общество «Приозёрский машиностроительный завод»",
        short_name="АО «Приозёрский машзавод»",
        address="г. Приозёрск, ул. Индустриальная, д. 1",
        head_position="генеральный директор",
        employer_specialists=12,
    ),
)

NAMED_LOGINS: tuple[NamedLogin, ...] = (
    NamedLogin(username="admin", role="admin"),
    NamedLogin(username="region", role="regional_coordinator"),
    NamedLogin(username="municipality", role="municipal_coordinator"),
    NamedLogin(
        username="curator",
        role="curator",
        organization="demo-school-1",
        last_name="Смирнова",
        first_name="Ольга",
        middle_name="Викторовна",
        sex="female",
        category="staff",
        position="заместитель директора по учебно-воспитательной работе",
        subject="Русский язык и литература",
        experience_years=22,
    ),
    NamedLogin(
        username="head",
        role="head",
        organization="demo-school-1",
        last_name="Волков",
        first_name="Андрей",
        middle_name="Николаевич",
        sex="male",
        category="staff",
        position="директор",
        experience_years=30,
    ),
    NamedLogin(
        username="mentor",
        role="mentor",
        organization="demo-school-1",
        last_name="Лебедева",
        first_name="Татьяна",
        middle_name="Сергеевна",
        sex="female",
        category="teacher",
        position="учитель математики",
        subject="Математика",
        experience_years=27,
        enrol_as_mentor=("teacher-teacher", "teacher-student"),
    ),
    NamedLogin(
        username="young-teacher",
        role="mentee",
        organization="demo-school-1",
        last_name="Егоров",
        first_name="Даниил",
        middle_name="Игоревич",
        sex="male",
        category="teacher",
        position="учитель физики",
        subject="Физика",
        experience_years=1,
        enrol_as_mentee=("teacher-teacher",),
    ),
    NamedLogin(
        username="student-mentor",
        role="mentor",
        organization="demo-school-1",
        last_name="Орлов",
        first_name="Максим",
        middle_name="Дмитриевич",
        sex="male",
        category="student",
        class_name="10А",
        enrol_as_mentor=("student-student",),
        achievements=(("algebra", 2), ("geometry", 2), ("physics", 2), ("russian", 1)),
    ),
    NamedLogin(
        username="mentee",
        role="mentee",
        organization="demo-school-1",
        last_name="Козлова",
        first_name="Полина",
        middle_name="Андреевна",
        sex="female",
        category="student",
        class_name="7Б",
        enrol_as_mentee=("student-student",),
        achievements=(("algebra", 0), ("geometry", 0), ("russian", 1), ("english", 2)),
    ),
    NamedLogin(
        username="curator-lyceum",
        role="curator",
        organization="demo-lyceum-3",
        last_name="Алексеева",
        first_name="Марина",
        middle_name="Юрьевна",
        sex="female",
        category="staff",
        position="заместитель директора по научно-методической работе",
        subject="Физика",
        experience_years=18,
    ),
    NamedLogin(
        username="curator-college",
        role="curator",
        organization="demo-college",
        last_name="Галиев",
        first_name="Руслан",
        middle_name="Олегович",
        sex="male",
        category="staff",
        position="заместитель директора по учебно-производственной работе",
        experience_years=15,
    ),
    NamedLogin(
        username="curator-lesnogorsk",
        role="curator",
        organization="demo-lesnogorsk-school",
        last_name="Никитина",
        first_name="Светлана",
        middle_name="Петровна",
        sex="female",
        category="staff",
        position="заместитель директора по воспитательной работе",
        subject="История и обществознание",
        experience_years=25,
    ),
    NamedLogin(
        username="curator-kindergarten",
        role="curator",
        organization="demo-kindergarten-7",
        last_name="Фролова",
        first_name="Наталья",
        middle_name="Васильевна",
        sex="female",
        category="staff",
        position="старший воспитатель",
        experience_years=19,
    ),
    NamedLogin(
        username="curator-employer",
        role="curator",
        organization="demo-employer",
        last_name="Корнилов",
        first_name="Денис",
        middle_name="Игоревич",
        sex="male",
        category="employer_specialist",
        position="начальник отдела кадров, куратор наставничества на предприятии",
        experience_years=14,
    ),
)

DEMO_USERNAMES = frozenset(login.username for login in NAMED_LOGINS)

# Subjects a school teacher teaches: (what the person record says, competency codes).
TEACHER_SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Математика", ("mathematics", "algebra", "geometry")),
    ("Русский язык и литература", ("russian", "literature")),
    ("Физика", ("physics",)),
    ("Химия", ("chemistry",)),
    ("Биология", ("biology",)),
    ("История и обществознание", ("history", "social-studies")),
    ("Английский язык", ("english",)),
    ("Информатика", ("informatics", "programming")),
    ("География", ("geography",)),
    ("Начальные классы", ("primary-school",)),
    ("Физическая культура", ("physical-education", "sports")),
    ("Музыка", ("music",)),
    ("Изобразительное искусство", ("fine-arts",)),
    ("Труд (технология)", ("technology", "3d-modelling")),
)

COLLEGE_SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Технология машиностроения", ("workplace-skills", "engineering-graphics")),
    ("Инженерная графика", ("engineering-graphics", "3d-modelling")),
    ("Программирование", ("programming", "informatics")),
    ("Электротехника", ("electronics", "physics")),
    ("Математика", ("mathematics",)),
    ("Иностранный язык в профессиональной деятельности", ("english",)),
)

# Pedagogical methods an experienced teacher is good at and a young one lacks.
TEACHER_METHODS = (
    "formative-assessment",
    "project-method",
    "classroom-management",
    "lesson-design",
    "parent-communication",
    "class-teacher",
    "functional-literacy",
    "gifted-children",
    "exam-preparation",
    "inclusive-education",
    "digital-tools",
    "research-activity",
)
YOUNG_TEACHER_DEFICITS = (
    "classroom-management",
    "parent-communication",
    "lesson-design",
    "formative-assessment",
    "class-teacher",
    "functional-literacy",
)
PRESCHOOL_METHODS = (
    "preschool-methods",
    "speech-development",
    "game-technologies",
    "parent-communication",
    "inclusive-education",
)

# School subjects by grade band: (first grade, last grade, subject codes).
SUBJECTS_BY_GRADE = (
    (5, 6, ("russian", "literature", "mathematics", "english", "history", "biology", "geography")),
    (
        7,
        9,
        (
            "russian",
            "literature",
            "algebra",
            "geometry",
            "physics",
            "english",
            "history",
            "biology",
            "geography",
            "informatics",
        ),
    ),
    (
        10,
        11,
        (
            "russian",
            "literature",
            "algebra",
            "geometry",
            "physics",
            "chemistry",
            "english",
            "history",
            "social-studies",
            "informatics",
            "biology",
        ),
    ),
)
# From grade 8 chemistry joins.
CHEMISTRY_FROM_GRADE = 8

# A subject in the accusative and dative case, for requests written in a pupil's words.
SUBJECT_CASES = {
    "russian": ("русский язык", "русскому языку"),
    "literature": ("литературу", "литературе"),
    "mathematics": ("математику", "математике"),
    "algebra": ("алгебру", "алгебре"),
    "geometry": ("геометрию", "геометрии"),
    "physics": ("физику", "физике"),
    "chemistry": ("химию", "химии"),
    "biology": ("биологию", "биологии"),
    "geography": ("географию", "географии"),
    "history": ("историю", "истории"),
    "social-studies": ("обществознание", "обществознанию"),
    "english": ("английский язык", "английскому языку"),
    "informatics": ("информатику", "информатике"),
}

# Interests in a pupil's words, with the competencies they show.
PUPIL_INTERESTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("робототехника и конструирование", ("robotics",)),
    ("шахматы", ("chess",)),
    ("программирую на Python", ("programming",)),
    ("волонтёрство", ("volunteering",)),
    ("футбол", ("sports",)),
    ("баскетбол и лёгкая атлетика", ("sports",)),
    ("3D-моделирование", ("3d-modelling",)),
    ("выступаю на конференциях", ("public-speaking",)),
    ("олимпиады по математике", ("mathematics",)),
    ("читаю фантастику", ("literature",)),
    ("рисую комиксы", ("fine-arts",)),
    ("играю на гитаре", ("music",)),
    ("театральная студия", ("public-speaking", "creativity")),
    ("история родного края", ("history",)),
    ("биология и животные", ("biology",)),
    ("химические опыты", ("chemistry",)),
    ("английский язык и путешествия", ("english",)),
    ("квадрокоптеры", ("drones",)),
    ("школьное самоуправление", ("leadership", "teamwork")),
    ("делаю сайты", ("web-design",)),
    ("туризм и походы", ("teamwork",)),
    ("финансовая грамотность", ("financial-literacy",)),
)

PUPIL_SOFT_DEFICITS = ("time-management", "adaptation", "communication", "public-speaking")

REQUEST_TEMPLATES_WEAK = (
    "Хочу подтянуть {acc}, чтобы не было троек в четверти.",
    "Нужна помощь с домашними заданиями по {dat}.",
    "Плохо понимаю {acc}, хочу разобраться с пропущенными темами.",
)
REQUEST_TEMPLATES_EXAM = (
    "Хочу хорошо подготовиться к {exam} по {dat}.",
    "Нужна помощь в подготовке к {exam} по {dat}.",
)
REQUEST_TEMPLATES_GIFTED = (
    "Хочу участвовать в олимпиаде по {dat} и пройти на региональный этап.",
    "Ищу наставника для исследовательского проекта по {dat}.",
)

UNIVERSITY = "Приозёрский государственный педагогический университет"
EMPLOYERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # position, employer, competencies
    (
        "инженер-конструктор",
        "АО «Приозёрский машиностроительный завод»",
        ("engineering-graphics", "3d-modelling", "workplace-skills", "career-guidance"),
    ),
    (
        "инженер-программист",
        "ООО «Северные цифровые системы»",
        ("programming", "web-design", "career-guidance"),
    ),
    (
        "мастер участка",
        "АО «Приозёрский машиностроительный завод»",
        ("workplace-skills", "professional-trials", "teamwork"),
    ),
    (
        "врач-терапевт",
        "ГБУЗ «Приозёрская городская больница»",
        ("biology", "chemistry", "career-guidance"),
    ),
    (
        "инженер-электроник",
        "ООО «Лесногорская энергосетевая компания»",
        ("electronics", "physics", "professional-trials"),
    ),
    (
        "индивидуальный предприниматель",
        "фермерское хозяйство «Заречное»",
        ("entrepreneurship", "financial-literacy", "career-guidance"),
    ),
)
