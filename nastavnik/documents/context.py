"""What a document template sees: plain dictionaries and strings, prepared here.

Names come declined in the cases the texts need («закрепить за Ивановой Анной Сергеевной»,
«назначить куратором Петрова Петра Ильича»).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, translation
from django.utils.timezone import localdate

from nastavnik.accounts.models import User
from nastavnik.documents.declension import (
    decline_name,
    decline_organization,
    decline_person,
    decline_position,
)
from nastavnik.people.models import Person
from nastavnik.programs.models import EnrolmentRole, EnrolmentStatus, Program, Stage


@dataclass
class PairGroup:
    """A mentoring pair or group as the order fixes it: one or more mentors, their mentees."""

    mentors: list[Person]
    mentees: list[Person] = field(default_factory=list)
    # The pair's or group's number in its program (``Mentorship.number``), when it has one.
    number: int | None = None
    is_group: bool = False


def date_long(day: dt.date) -> str:
    """«1 сентября 2025 г.»"""
    with translation.override("ru"):
        return f"{formats.date_format(day, 'j E Y')} г."


def date_short(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def signature_name(full_name: str) -> str:
    """«Иванов Иван Иванович» → «И. И. Иванов» (initials before the surname in a signature)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    initials = " ".join(f"{p[0]}." for p in parts[1:3])
    return f"{initials} {parts[0]}"


_TITLE_PREFIX = re.compile(r"^\s*программа\s+наставничества\s*", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"\s*(на|в)\s+\d{4}\s*[/–-]\s*\d{4}\s+учебн\w*\s+год\w*\s*$", re.I)


def program_name(title: str) -> str:
    """The program's own name, without the words a document adds around it: «Программа
    наставничества «ученик – ученик» на 2026/2027 учебный год» → «ученик – ученик»."""
    name = _TITLE_YEAR.sub("", title.strip()).strip()
    rest = _TITLE_PREFIX.sub("", name)
    if rest[:1] in ("«", '"'):  # «Программа наставничества «…»»: the name is in the quotes
        name = rest
    if len(name) > 1 and name[0] in '«"' and name[-1] in '»"' and name.count("«") <= 1:
        name = name[1:-1].strip()
    return name or title.strip()


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _user_name(user: User | None, case: str) -> str:
    if user is None:
        return ""
    return decline_name(
        user.last_name,
        user.first_name,
        getattr(user, "middle_name", ""),
        case=case,  # type: ignore[arg-type]
    ) or str(user)


def _name_parts(full_name: str) -> tuple[str, str, str]:
    parts = full_name.split()
    if len(parts) < 2:
        return (full_name.strip(), "", "")
    return (parts[0], parts[1], " ".join(parts[2:]))


def _person_row(person: Person) -> dict[str, str]:
    return {
        "name": person.full_name,
        "name_gent": decline_person(person, "gent"),
        "name_datv": decline_person(person, "datv"),
        "name_accs": decline_person(person, "accs"),
        "name_ablt": decline_person(person, "ablt"),
        "class_name": person.class_name,
        "position": person.position or person.subject,
    }


def _mentee_accs(person: Person) -> str:
    name = decline_person(person, "accs")
    return f"{name} ({person.class_name})" if person.class_name else name


def _number_text(group: PairGroup) -> str:
    """« (пара № 3)» / « (группа № 3)» after the names, as the pages number them; empty without
    a number."""
    if group.number is None:
        return ""
    word = "группа" if group.is_group or len(group.mentees) > 1 else "пара"
    return f" ({word} № {group.number})"


def group_rows(groups: list[PairGroup]) -> list[dict[str, Any]]:
    rows = []
    for n, group in enumerate(groups, start=1):
        mentors = [_person_row(p) for p in group.mentors]
        rows.append(
            {
                "n": n,
                "mentors": mentors,
                "mentees": [_person_row(p) for p in group.mentees],
                "mentor_word": "наставниками" if len(mentors) > 1 else "наставником",
                "mentors_ablt": ", ".join(m["name_ablt"] for m in mentors),
                "mentees_accs": ", ".join(_mentee_accs(p) for p in group.mentees),
                "number_text": _number_text(group),
            }
        )
    return rows


def groups_from_enrolments(program: Program, pairs: dict[int, list[int]]) -> list[PairGroup]:
    """Groups from the caller's choice: mentor's person id → mentees' person ids, both taken from
    the program's bases (anything else is ignored)."""
    enrolled = {
        (e.person_id, e.role): e.person
        for e in program.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).select_related(
            "person"
        )
    }
    groups = []
    for mentor_id, mentee_ids in pairs.items():
        mentor = enrolled.get((mentor_id, EnrolmentRole.MENTOR))
        mentees = [
            enrolled[(i, EnrolmentRole.MENTEE)]
            for i in mentee_ids
            if (i, EnrolmentRole.MENTEE) in enrolled
        ]
        if mentor is not None and mentees:
            groups.append(PairGroup(mentors=[mentor], mentees=mentees))
    return groups


def document_context(
    *,
    program: Program,
    title: str,
    number: str,
    signed_on: dt.date | None,
    groups: list[PairGroup] | None = None,
) -> dict[str, Any]:
    organization = program.organization
    day = signed_on or localdate()
    variants = [v.name for v in program.variants.all()]
    models_used = [m.name for m in program.models_used.all()]
    with translation.override("ru"):
        stages = [f"{value}. {str(label).capitalize()}" for value, label in Stage.choices]
        support = [str(s) for s in program.get_support_kinds_display()]
        roadmap = [
            {
                "n": n,
                "title": item.title,
                "stage": str(item.get_stage_display()) if item.stage else "",
                "dates": (
                    f"{date_short(item.starts_on)} – {date_short(item.due_on)}"
                    if item.starts_on
                    else date_short(item.due_on)
                ),
                "responsible": item.responsible,
                "result": item.result,
                "status": str(item.get_status_display()),
            }
            for n, item in enumerate(program.roadmap.order_by("due_on", "id"), start=1)
        ]
    head_position = organization.head_position or "руководитель"
    name = program_name(program.title)
    return {
        "organization": {
            "name": organization.name,
            # «Внедрить … в Муниципальном бюджетном общеобразовательном учреждении «…»».
            "name_gent": decline_organization(organization.name, "gent"),
            "name_datv": decline_organization(organization.name, "datv"),
            "name_accs": decline_organization(organization.name, "accs"),
            "name_loct": decline_organization(organization.name, "loct"),
            "short_name": organization.short_name,
            "address": organization.address,
            "head_name": organization.head_name,
            "head_name_datv": decline_name(*_name_parts(organization.head_name), case="datv"),
            # The signature line starts the line: «Директор».
            "head_position": capfirst(head_position),
            "head_position_datv": capfirst(decline_position(head_position, "datv")),
            "head_signature": signature_name(organization.head_name),
        },
        "document": {
            "title": title,
            "number": number or "____",
            "date": date_short(day),
            "date_long": date_long(day),
        },
        "program": {
            "title": program.title,
            # The program's own name and the document's way of naming it, never doubled:
            # «ПРОГРАММА НАСТАВНИЧЕСТВА «ученик – ученик» на 2026/2027 учебный год».
            "name": name,
            "title_full": f"«{name}» на {program.academic_year.title} учебный год",
            "form": program.form.name,
            "year": program.academic_year.title,
            "goals": program.goals,
            "tasks": program.tasks,
            "expected_results": program.expected_results,
            "variants": variants,
            "variants_text": "; ".join(variants) or "—",
            "models": models_used,
            "models_text": "; ".join(models_used) or "—",
            "support_text": ", ".join(support) or "—",
            "starts_on": date_short(program.starts_on),
            "ends_on": date_short(program.ends_on),
            "curator": _user_name(program.curator, "nomn"),
            "curator_accs": _user_name(program.curator, "accs"),
            "curator_datv": _user_name(program.curator, "datv"),
            "stages": stages,
        },
        "roadmap": roadmap,
        "groups": group_rows(groups or []),
    }
