"""Reading one row of the file into clean values, with a precise message for every problem.

Every problem is reported as «строка N, столбец X: what is wrong and how to fix it». Messages
never repeat the cell's personal data, so that stored reports hold no names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from nastavnik.core.text import normalize_class_name, normalize_spaces, search_key
from nastavnik.core.validators import normalize_snils, snils_digits, validate_person_name
from nastavnik.imports.columns import BY_KEY, FULL_NAME_KEY
from nastavnik.market.text import lemmas
from nastavnik.people.models import Competency, PersonCategory
from nastavnik.programs.models import EnrolmentRole, MentoringForm, Program, Variant

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_PHONE_DIGITS = re.compile(r"\D")
_LIST_SPLIT = re.compile(r"[;,\n]+")

CATEGORY_WORDS: dict[str, str] = {}
for _code, _words in {
    PersonCategory.STUDENT: (
        "обучающийся",
        "обучающаяся",
        "ученик",
        "ученица",
        "учащийся",
        "школьник",
        "воспитанник",
        "student",
    ),
    PersonCategory.TEACHER: (
        "педагог",
        "учитель",
        "преподаватель",
        "воспитатель",
        "педагогический работник",
        "teacher",
    ),
    PersonCategory.UNIVERSITY_STUDENT: ("студент", "студентка", "university_student"),
    PersonCategory.EMPLOYER_SPECIALIST: (
        "представитель работодателя",
        "работодатель",
        "специалист предприятия",
        "employer_specialist",
    ),
    PersonCategory.STAFF: ("сотрудник", "работник", "staff"),
}.items():
    for _word in _words:
        CATEGORY_WORDS[search_key(_word)] = _code

ROLE_WORDS = {
    search_key("наставник"): EnrolmentRole.MENTOR.value,
    search_key("mentor"): EnrolmentRole.MENTOR.value,
    search_key("наставляемый"): EnrolmentRole.MENTEE.value,
    search_key("наставляемая"): EnrolmentRole.MENTEE.value,
    search_key("mentee"): EnrolmentRole.MENTEE.value,
}

MAX_CAPACITY = 50


def catalogue_key(text: str) -> str:
    """Case, ё, spaces and the kind of dash do not matter: «Учитель-ученик» = «учитель – ученик»."""
    return "".join(ch for ch in search_key(text) if ch.isalnum())


def deficit_key(text: str) -> str:
    """The lemmas of a deficit's words, ё folded, filler words («в», «по», «нужна помощь»)
    dropped, in any order: «пробелы по математике» = «Пробелы в математике»."""
    return " ".join(sorted(set(lemmas(text))))


@dataclass
class Catalogue:
    """The shared reference data a row is checked against, loaded once per import."""

    forms: dict[str, MentoringForm]
    variants: dict[tuple[int, str], Variant]
    competencies: dict[str, Competency]
    _deficits: dict[str, Competency] | None = None

    def deficit(self, text: str) -> Competency | None:
        """The deficit of the catalogue (the competency taxonomy, as in the profile editor)
        named by ``text``: by its name or code, else by the lemmas of its name."""
        found = self.competencies.get(catalogue_key(text))
        if found is not None:
            return found
        if self._deficits is None:  # lemmatized once, and only for a file with requests
            self._deficits = {}
            for competency in {c.pk: c for c in self.competencies.values()}.values():
                key = deficit_key(competency.name)
                if key:
                    self._deficits.setdefault(key, competency)
        key = deficit_key(text)
        return self._deficits.get(key) if key else None

    @classmethod
    def load(cls, organization_id: int) -> Catalogue:
        from django.db.models import Q

        forms: dict[str, MentoringForm] = {}
        for form in MentoringForm.objects.all():
            forms[catalogue_key(form.name)] = form
            forms[catalogue_key(form.code)] = form
        variants: dict[tuple[int, str], Variant] = {}
        for variant in Variant.objects.filter(
            Q(organization__isnull=True) | Q(organization_id=organization_id)
        ):
            variants[(variant.form_id, catalogue_key(variant.name))] = variant
            variants[(variant.form_id, catalogue_key(variant.code))] = variant
        competencies: dict[str, Competency] = {}
        for competency in Competency.objects.all():
            competencies[catalogue_key(competency.name)] = competency
            competencies[catalogue_key(competency.code)] = competency
        return cls(forms, variants, competencies)


@dataclass(slots=True)
class Issue:
    row: int
    column: str  # the header as written in the file, or the template's name
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column «%(column)s»: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(slots=True)
class RowData:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    competency_ids: list[int] | None = None
    # The deficits «Запрос / дефициты» names (None: the cell is empty); its parts that name
    # none stay in the request's text.
    deficit_ids: list[int] | None = None
    form: MentoringForm | None = None
    variant: Variant | None = None
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def identity(self) -> tuple[str, ...] | None:
        """СНИЛС, else Фамилия + Имя + Отчество + birth date; None: cannot be identified."""
        snils = self.values.get("snils")
        if snils:
            return ("snils", snils)
        return name_identity(
            self.values.get("last_name", ""),
            self.values.get("first_name", ""),
            self.values.get("middle_name", ""),
            self.values.get("birth_date"),
        )


def name_identity(
    last: str, first: str, middle: str, birth: dt.date | None
) -> tuple[str, ...] | None:
    if not (last and first and birth):
        return None
    return (
        "name",
        search_key(last),
        search_key(first),
        search_key(middle or ""),
        birth.isoformat(),
    )


def name_error(text: str, *, max_length: int = 150) -> str | None:
    """The message of the shared name rule (``core.validators.validate_person_name``), or None."""
    try:
        validate_person_name(text, max_length=max_length)
    except ValidationError as exc:
        return " ".join(str(message) for message in exc.messages)
    return None


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return normalize_spaces(str(value))


def parse_date(value: Any) -> dt.date:
    """A real date cell, an Excel serial number, «дд.мм.гггг» or «гггг-мм-дд»."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError("serial out of range")
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return parse_date(float(text))
    match = _DATE_RE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            raise ValueError("two-digit year")
        return dt.date(year, month, day)
    match = _ISO_RE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError("not a date")


def normalize_phone(text: str) -> str:
    digits = _PHONE_DIGITS.sub("", text)
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValueError("phone")
    return f"+7 ({digits[0:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:10]}"


class RowReader:
    """Turns raw cells into a RowData, given the header map of the file."""

    def __init__(
        self,
        *,
        positions: dict[int, str],
        headers: dict[str, str],
        catalogue: Catalogue,
        today: dt.date,
        program: Program | None = None,
    ) -> None:
        self.positions = positions
        self.headers = headers
        self.catalogue = catalogue
        self.today = today
        # The program the curator chose for the rows with a role: a row without a form is
        # enrolled in its form, a row of another form is a problem.
        self.program = program

    def column(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        return BY_KEY[key].header if key in BY_KEY else key

    def is_blank(self, cells: list[Any]) -> bool:
        return all(text_of(cells[i]) == "" for i in self.positions if i < len(cells))

    def read(self, number: int, cells: list[Any]) -> RowData:
        row = RowData(number)
        raw: dict[str, Any] = {}
        for index, key in self.positions.items():
            value = cells[index] if index < len(cells) else None
            raw[key] = "" if value is None else value

        def problem(key: str, message: str) -> None:
            row.issues.append(Issue(number, self.column(key), message))

        def warning(key: str, message: str) -> None:
            row.warnings.append(Issue(number, self.column(key), message))

        values = row.values
        if FULL_NAME_KEY in raw and not text_of(raw.get("last_name")):
            parts = text_of(raw[FULL_NAME_KEY]).split(" ")
            raw["last_name"] = parts[0] if parts else ""
            raw["first_name"] = raw.get("first_name") or (parts[1] if len(parts) > 1 else "")
            raw["middle_name"] = raw.get("middle_name") or " ".join(parts[2:])
            self.headers.setdefault("last_name", self.headers.get(FULL_NAME_KEY, "ФИО"))
            self.headers.setdefault("first_name", self.headers.get(FULL_NAME_KEY, "ФИО"))

        for key, label_missing in (
            ("last_name", _("the surname is missing; fill it in")),
            ("first_name", _("the first name is missing; fill it in")),
        ):
            text = text_of(raw.get(key))
            if not text:
                problem(key, str(label_missing))
            elif (error := name_error(text)) is not None:
                problem(key, error)
            else:
                values[key] = text
        middle = text_of(raw.get("middle_name"))
        if middle:
            if (error := name_error(middle)) is not None:
                problem("middle_name", error)
            else:
                values["middle_name"] = middle

        birth = raw.get("birth_date")
        if text_of(birth):
            try:
                day = parse_date(birth)
            except (ValueError, OverflowError):
                problem(
                    "birth_date",
                    _("«%(value)s» is not a date; write it as dd.mm.yyyy, for example 05.09.2012")
                    % {"value": text_of(birth)[:20]},
                )
            else:
                if day > self.today:
                    problem("birth_date", _("the birth date is in the future"))
                elif day.year < 1920:
                    problem("birth_date", _("the birth date is earlier than 1920; check the year"))
                else:
                    values["birth_date"] = day

        category = text_of(raw.get("category"))
        if not category:
            problem(
                "category",
                _(
                    "the category is missing; write one of: обучающийся, педагог, студент, "
                    "представитель работодателя, сотрудник"
                ),
            )
        elif search_key(category) not in CATEGORY_WORDS:
            problem(
                "category",
                _(
                    "unknown category «%(value)s»; write one of: обучающийся, педагог, студент, "
                    "представитель работодателя, сотрудник"
                )
                % {"value": category[:40]},
            )
        else:
            values["category"] = CATEGORY_WORDS[search_key(category)]

        class_name = text_of(raw.get("class_name"))
        if class_name:
            if len(class_name) > 32:
                problem("class_name", _("the class or group is longer than 32 characters"))
            else:
                values["class_name"] = normalize_class_name(class_name)

        snils = text_of(raw.get("snils"))
        if snils:
            digits = snils_digits(snils)
            if len(digits) in (9, 10) and snils.replace(" ", "").isdigit():
                digits = digits.zfill(11)  # a number cell loses leading zeros
            try:
                values["snils"] = normalize_snils(digits)
            except ValidationError as exc:
                if exc.code == "snils_checksum":
                    problem("snils", _("the SNILS checksum is wrong; check the number"))
                else:
                    problem(
                        "snils",
                        _("SNILS must have 11 digits, for example 112-233-445 95"),
                    )

        email = text_of(raw.get("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", _("not an email address; write it as name@example.ru"))
            else:
                values["email"] = email.lower()

        phone = text_of(raw.get("phone"))
        if phone:
            try:
                values["phone"] = normalize_phone(phone)
            except ValueError:
                problem(
                    "phone",
                    _("a phone number has 10 digits after +7, for example +7 912 345-67-89"),
                )

        if "birth_date" not in values and "snils" not in values and row.ok:
            problem(
                "birth_date",
                _(
                    "write the SNILS or the birth date: without them the person cannot be told "
                    "apart from a namesake"
                ),
            )

        self._read_profile(raw, row, problem)
        self._read_enrolment(raw, row, problem, warning)
        self._read_consent(raw, row, problem)
        return row

    def _read_consent(self, raw: dict[str, Any], row: RowData, problem: Any) -> None:
        """«Согласие получено» and «Законный представитель»; whether the person is a minor is
        decided by the plan, which also knows the stored person."""
        given = raw.get("consent_date")
        if text_of(given):
            try:
                day = parse_date(given)
            except (ValueError, OverflowError):
                problem(
                    "consent_date",
                    _("«%(value)s» is not a date; write it as dd.mm.yyyy, for example 01.09.2026")
                    % {"value": text_of(given)[:20]},
                )
            else:
                if day > self.today:
                    problem("consent_date", _("the consent date is in the future"))
                elif day.year < 1920:
                    problem(
                        "consent_date", _("the consent date is earlier than 1920; check the year")
                    )
                else:
                    row.values["consent_date"] = day
        representative = text_of(raw.get("representative"))
        if representative:
            if (error := name_error(representative, max_length=255)) is not None:
                problem("representative", error)
            else:
                row.values["representative"] = representative

    def _read_profile(self, raw: dict[str, Any], row: RowData, problem: Any) -> None:
        names = [
            n.strip() for n in _LIST_SPLIT.split(text_of(raw.get("competencies"))) if n.strip()
        ]
        if names:
            ids: list[int] = []
            for name in names:
                competency = self.catalogue.competencies.get(catalogue_key(name))
                if competency is None:
                    problem(
                        "competencies",
                        _(
                            "unknown competency «%(value)s»; use the names from the "
                            "«Справочник» sheet of the template, separated by «;»"
                        )
                        % {"value": name[:60]},
                    )
                elif competency.pk not in ids:
                    ids.append(competency.pk)
            row.competency_ids = ids
        for key in ("interests", "request"):
            text = text_of(raw.get(key))
            if len(text) > 2000:
                problem(key, _("the text is longer than 2000 characters; shorten it"))
            elif text and key == "request":
                self._read_request(raw, row)
            elif text:
                row.values[key] = text

    def _read_request(self, raw: dict[str, Any], row: RowData) -> None:
        """«Запрос / дефициты»: each part («;», «,» or a new line apart) that names a deficit of
        the catalogue becomes that deficit; the others stay in the request's text, said so."""
        value = raw.get("request")
        cell = value if isinstance(value, str) else text_of(value)
        ids: list[int] = []
        kept: list[str] = []
        for part in (normalize_spaces(p) for p in _LIST_SPLIT.split(cell)):
            if not part:
                continue
            deficit = self.catalogue.deficit(part)
            if deficit is None:
                kept.append(part)
                row.warnings.append(
                    Issue(
                        row.number,
                        self.column("request"),
                        _("«%(value)s» is not in the list of deficits — kept as text")
                        % {"value": part[:60]},
                    )
                )
            elif deficit.pk not in ids:
                ids.append(deficit.pk)
        row.deficit_ids = ids
        if kept:
            # Nothing recognised: the text as written (its commas are the person's own).
            row.values["request"] = "; ".join(kept) if ids else text_of(value)

    def _read_enrolment(
        self, raw: dict[str, Any], row: RowData, problem: Any, warning: Any
    ) -> None:
        role_text = text_of(raw.get("role"))
        form_text = text_of(raw.get("form"))
        variant_text = text_of(raw.get("variant"))
        capacity_text = text_of(raw.get("capacity"))
        role = None
        if role_text:
            role = ROLE_WORDS.get(search_key(role_text))
            if role is None:
                problem(
                    "role",
                    _("unknown role «%(value)s»; write наставник or наставляемый")
                    % {"value": role_text[:40]},
                )
        if form_text:
            row.form = self.catalogue.forms.get(catalogue_key(form_text))
            if row.form is None:
                problem(
                    "form",
                    _(
                        "unknown form of mentoring «%(value)s»; write one of the forms from the "
                        "«Справочник» sheet, for example «учитель – ученик»"
                    )
                    % {"value": form_text[:60]},
                )
        if role and not form_text and self.program is not None:
            row.form = self.program.form
        elif role and not form_text:
            problem(
                "form", _("the role is given, but the form of mentoring is missing; fill it in")
            )
        if (
            form_text
            and row.form is not None
            and self.program is not None
            and row.form.pk != self.program.form_id
        ):
            problem(
                "form",
                _(
                    "the form «%(form)s» is not the form of the chosen program «%(program)s» "
                    "(«%(program_form)s»): correct the form, choose a program of this form "
                    "or «do not enrol in a program»"
                )
                % {
                    "form": row.form.name,
                    "program": self.program.title,
                    "program_form": self.program.form.name,
                },
            )
        if form_text and not role_text:
            problem(
                "role",
                _(
                    "the form of mentoring is given, but the role is missing; "
                    "write наставник or наставляемый"
                ),
            )
        if variant_text and row.form is not None:
            row.variant = self.catalogue.variants.get((row.form.pk, catalogue_key(variant_text)))
            if row.variant is None:
                problem(
                    "variant",
                    _("the variant «%(value)s» does not belong to the form «%(form)s»")
                    % {"value": variant_text[:60], "form": row.form.name},
                )
        if role and row.form is not None and "category" in row.values:
            category = row.values["category"]
            allowed = (
                row.form.allows_mentor(category)
                if role == EnrolmentRole.MENTOR
                else row.form.allows_mentee(category)
            )
            if not allowed:
                problem(
                    "role",
                    _(
                        "in the form «%(form)s» a person of the category «%(category)s» "
                        "cannot be a %(role)s"
                    )
                    % {
                        "form": row.form.name,
                        "category": PersonCategory(category).label,
                        "role": EnrolmentRole(role).label,
                    },
                )
        if capacity_text:
            try:
                capacity = int(float(capacity_text.replace(",", ".")))
                if str(capacity) != capacity_text.split(".")[0].split(",")[0].strip():
                    raise ValueError(capacity_text)
            except ValueError:
                problem(
                    "capacity", _("write a whole number from 0 to %(max)s") % {"max": MAX_CAPACITY}
                )
            else:
                if not 0 <= capacity <= MAX_CAPACITY:
                    problem(
                        "capacity",
                        _("write a whole number from 0 to %(max)s") % {"max": MAX_CAPACITY},
                    )
                elif role == EnrolmentRole.MENTEE:
                    warning("capacity", _("the capacity is only for mentors; it is ignored"))
                else:
                    row.values["capacity"] = capacity
        if role and row.form is not None:
            row.values["role"] = role
