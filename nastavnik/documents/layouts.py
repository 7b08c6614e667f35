"""The default documents, written once and emitted twice: as a .docx template (docxtpl, for
Word) and as an HTML template (for PDF through WeasyPrint). An organization edits either copy.

The texts are Russian documents shipped with the product (data, like the catalogue), laid out
after ГОСТ Р 7.0.97-2016: the organization's name, the kind of document, the date and the
number, the title, the text, the signature; an approval stamp on regulations and programs.

Placeholders are plain ``{{ a.b }}`` and ``{% for x in xs %}`` loops, which read the same in
Jinja (docxtpl) and Django templates; every value is prepared in ``documents.context``.
"""

from __future__ import annotations

from typing import Any

Block = tuple[Any, ...]

APPROVAL: Block = ("approval",)
ORG: Block = ("org",)
DATELINE: Block = ("dateline",)
SIGNATURE: Block = ("signature",)


def P(text: str) -> Block:
    return ("p", text)


def H(text: str) -> Block:
    return ("h", text)


def PLAIN(text: str) -> Block:
    """A paragraph without the first-line indent («ПРИКАЗЫВАЮ:»)."""
    return ("plain", text)


def KIND(text: str) -> Block:
    return ("kind", text)


def TITLE(text: str) -> Block:
    return ("title", text)


def FOR(loop: str, *blocks: Block) -> Block:
    return ("for", loop, list(blocks))


def TABLE(headers: list[str], loop: str, cells: list[str]) -> Block:
    return ("table", headers, loop, cells)


BASIS = (
    "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»; "
    "распоряжение Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, "
    "осуществляющих образовательную деятельность по общеобразовательным, дополнительным "
    "общеобразовательным и программам среднего профессионального образования, в том числе с "
    "применением лучших практик обмена опытом между обучающимися»"
)

LAYOUTS: dict[str, list[Block]] = {
    "regulation": [
        APPROVAL,
        ORG,
        KIND("ПОЛОЖЕНИЕ"),
        TITLE("о наставничестве"),
        H("1. Общие положения"),
        P(
            "1.1. Настоящее положение определяет цели, задачи, формы и порядок осуществления "
            "наставничества в {{ organization.name_loct }} (далее — организация) в соответствии с "
            "целевой моделью наставничества. Положение разработано на основании: " + BASIS + "."
        ),
        P(
            "1.2. Наставничество — форма обеспечения профессиональной преемственности, при "
            "которой опытный специалист или обучающийся (наставник) передаёт наставляемому "
            "знания, умения и опыт и поддерживает его развитие."
        ),
        P(
            "1.3. В организации применяются формы наставничества: {{ program.form }}; "
            "варианты (ролевые модели): {{ program.variants_text }}; модели наставничества: "
            "{{ program.models_text }}."
        ),
        H("2. Цели и задачи наставничества"),
        P("2.1. Цель: {{ program.goals }}"),
        P("2.2. Задачи: {{ program.tasks }}"),
        H("3. Организация наставничества"),
        P(
            "3.1. Наставничество организуется на основании приказа руководителя организации. "
            "Ответственный за организацию наставничества — куратор, назначаемый приказом "
            "руководителя."
        ),
        P("3.2. Реализация программы наставничества проходит этапы:"),
        FOR("stage in program.stages", P("{{ stage }}")),
        P(
            "3.3. Наставнические пары (группы) формируются при наличии согласий на обработку "
            "персональных данных и закрепляются приказом руководителя организации."
        ),
        H("4. Права и обязанности наставника"),
        P(
            "4.1. Наставник составляет совместно с наставляемым индивидуальный план развития, "
            "проводит встречи, оказывает помощь в достижении целей, участвует в мониторинге."
        ),
        P(
            "4.2. Наставник вправе привлекать других сотрудников организации, участвовать в "
            "обучении наставников и в обсуждении вопросов наставничества."
        ),
        H("5. Права и обязанности наставляемого"),
        P(
            "5.1. Наставляемый выполняет индивидуальный план развития, участвует во встречах "
            "и мониторинге; вправе обращаться к наставнику и куратору за помощью."
        ),
        H("6. Завершение наставничества"),
        P(
            "6.1. По завершении программы проводятся итоговый мониторинг и итоговое "
            "мероприятие; лучшие практики вносятся в методическую копилку организации."
        ),
    ],
    "implementation-order": [
        ORG,
        KIND("ПРИКАЗ"),
        DATELINE,
        TITLE("О внедрении целевой модели наставничества"),
        P(
            "В соответствии с распоряжением Министерства просвещения Российской Федерации "
            "от 25.12.2019 № Р-145 «Об утверждении методологии (целевой модели) наставничества "
            "обучающихся…», в целях раскрытия потенциала обучающихся и педагогов"
        ),
        PLAIN("ПРИКАЗЫВАЮ:"),
        P(
            "1. Внедрить целевую модель наставничества в {{ organization.name_loct }} "
            "в {{ program.year }} учебном году."
        ),
        P("2. Утвердить положение о наставничестве (приложение 1)."),
        P(
            "3. Утвердить программу наставничества {{ program.title_full }} (приложение 2) и "
            "дорожную карту её реализации (приложение 3)."
        ),
        P(
            "4. Назначить куратором внедрения целевой модели наставничества "
            "{{ program.curator_accs }}."
        ),
        P("5. Контроль за исполнением настоящего приказа оставляю за собой."),
        SIGNATURE,
    ],
    "pairs-order": [
        ORG,
        KIND("ПРИКАЗ"),
        DATELINE,
        TITLE("О закреплении наставнических пар (групп)"),
        P(
            "В соответствии с положением о наставничестве и программой наставничества "
            "{{ program.title_full }} (форма наставничества «{{ program.form }}»)"
        ),
        PLAIN("ПРИКАЗЫВАЮ:"),
        P(
            "1. Закрепить наставнические пары (группы) на период "
            "с {{ program.starts_on }} по {{ program.ends_on }}:"
        ),
        FOR(
            "g in groups",
            P(
                "1.{{ g.n }}. Закрепить за {{ g.mentor_word }} {{ g.mentors_ablt }} "
                "{{ g.mentees_accs }}{{ g.number_text }}."
            ),
        ),
        P(
            "2. Наставникам совместно с наставляемыми составить индивидуальные планы развития "
            "в течение месяца со дня издания приказа."
        ),
        P(
            "3. Куратору {{ program.curator_datv }} обеспечить сопровождение и мониторинг "
            "работы наставнических пар (групп)."
        ),
        P("4. Контроль за исполнением настоящего приказа оставляю за собой."),
        SIGNATURE,
    ],
    "program": [
        APPROVAL,
        ORG,
        KIND("ПРОГРАММА НАСТАВНИЧЕСТВА"),
        TITLE("{{ program.title_full }}"),
        H("1. Паспорт программы"),
        P("Форма наставничества: {{ program.form }}."),
        P("Варианты (ролевые модели): {{ program.variants_text }}."),
        P("Модели наставничества: {{ program.models_text }}."),
        P("Виды поддержки: {{ program.support_text }}."),
        P("Сроки реализации: с {{ program.starts_on }} по {{ program.ends_on }}."),
        P("Куратор: {{ program.curator }}."),
        H("2. Цели"),
        P("{{ program.goals }}"),
        H("3. Задачи"),
        P("{{ program.tasks }}"),
        H("4. Ожидаемые результаты"),
        P("{{ program.expected_results }}"),
        H("5. Этапы реализации"),
        FOR("stage in program.stages", P("{{ stage }}")),
        H("6. Дорожная карта"),
        TABLE(
            ["№", "Мероприятие", "Сроки", "Ответственный"],
            "r in roadmap",
            ["{{ r.n }}", "{{ r.title }}", "{{ r.dates }}", "{{ r.responsible }}"],
        ),
    ],
    "roadmap": [
        APPROVAL,
        ORG,
        KIND("ДОРОЖНАЯ КАРТА"),
        TITLE("реализации программы наставничества {{ program.title_full }}"),
        TABLE(
            ["№", "Мероприятие", "Этап", "Сроки", "Ответственный", "Результат", "Статус"],
            "r in roadmap",
            [
                "{{ r.n }}",
                "{{ r.title }}",
                "{{ r.stage }}",
                "{{ r.dates }}",
                "{{ r.responsible }}",
                "{{ r.result }}",
                "{{ r.status }}",
            ],
        ),
    ],
}

APPROVAL_LINES = [
    "УТВЕРЖДЕНО",
    "приказом {{ organization.short_name }}",
    "от {{ document.date }} № {{ document.number }}",
]
SIGNATURE_TEXT = "{{ organization.head_position }}"
SIGNATURE_NAME = "{{ organization.head_signature }}"
DATELINE_TEXT = "{{ document.date }}"
NUMBER_TEXT = "№ {{ document.number }}"


def _html_blocks(blocks: list[Block], out: list[str]) -> None:
    for block in blocks:
        kind = block[0]
        if kind == "approval":
            out.append('<div class="approval">' + "<br>".join(APPROVAL_LINES) + "</div>")
        elif kind == "org":
            out.append('<p class="org">{{ organization.name }}</p>')
        elif kind == "kind":
            out.append(f'<p class="kind">{block[1]}</p>')
        elif kind == "dateline":
            out.append(
                f'<table class="dateline"><tr><td>{DATELINE_TEXT}</td>'
                f'<td class="number">{NUMBER_TEXT}</td></tr></table>'
            )
        elif kind == "title":
            out.append(f'<p class="title">{block[1]}</p>')
        elif kind == "h":
            out.append(f"<h2>{block[1]}</h2>")
        elif kind == "p":
            out.append(f"<p>{block[1]}</p>")
        elif kind == "plain":
            out.append(f'<p class="plain">{block[1]}</p>')
        elif kind == "for":
            out.append(f"{{% for {block[1]} %}}")
            _html_blocks(block[2], out)
            out.append("{% endfor %}")
        elif kind == "table":
            headers, loop, cells = block[1], block[2], block[3]
            out.append('<table class="grid"><thead><tr>')
            out.extend(f"<th>{h}</th>" for h in headers)
            out.append(f"</tr></thead><tbody>{{% for {loop} %}}<tr>")
            out.extend(f"<td>{c}</td>" for c in cells)
            out.append("</tr>{% endfor %}</tbody></table>")
        elif kind == "signature":
            out.append(
                f'<table class="signature"><tr><td>{SIGNATURE_TEXT}</td>'
                f'<td class="sign"></td><td class="name">{SIGNATURE_NAME}</td></tr></table>'
            )
        else:
            raise ValueError(kind)


def default_html(kind: str) -> str:
    """The body of the default HTML template of a kind of document (the organization edits it)."""
    out: list[str] = []
    _html_blocks(LAYOUTS[kind], out)
    return "\n".join(out) + "\n"
