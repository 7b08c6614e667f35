"""Reading a whole file into a plan: create / update / leave alone / invalid, per row.

The organization's people are looked up once, in bulk, by СНИЛС and by «ФИО + birth date».
Nothing is written here; ``apply.apply_plan`` writes the plan in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.consents.models import PROCESSING_PURPOSES, GivenBy
from nastavnik.consents.selectors import (
    consent_term_end,
    consent_text_current,
    is_minor,
    people_with_valid_consent,
)
from nastavnik.core.text import capitalize_name_part
from nastavnik.imports.columns import (
    BY_KEY,
    COLUMNS,
    FULL_NAME_KEY,
    looks_like_header,
    match_headers,
)
from nastavnik.imports.files import FileRejected, RowSource, Sniffed
from nastavnik.imports.rows import Catalogue, Issue, RowData, RowReader, name_identity, text_of
from nastavnik.organizations.models import Organization
from nastavnik.organizations.selectors import academic_year_current
from nastavnik.people.models import Person, Profile, ProfileCompetency, ProfileDeficit
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program

CHUNK = 2000
HEADER_SEARCH_ROWS = 10
PREVIEW_ROWS = 300
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "category",
    "class_name",
    "snils",
    "email",
    "phone",
)
PROFILE_FIELDS = ("interests", "request")

CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "invalid"
ENROL_NEW, ENROL_UPDATE, ENROL_SAME, ENROL_BLOCKED = "new", "update", "same", "blocked"

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class PlannedRow:
    data: RowData
    action: str = INVALID
    person_id: int | None = None
    changes: list[str] = field(default_factory=list)
    competencies_changed: bool = False
    enrol: str = ""
    enrolment_id: int | None = None
    # The processing purposes whose consent the commit records from «Согласие получено».
    consent_purposes: list[str] = field(default_factory=list)
    consent_given_by: str = GivenBy.PERSON
    # The last day the consents recorded from the row are valid (the earliest of the purposes):
    # a consent signed long ago is recorded, but it no longer lets the person into a base.
    consent_ends: dt.date | None = None


@dataclass
class Plan:
    organization: Organization
    rows: list[PlannedRow]
    headers: list[str]
    unknown_columns: list[str]
    file_issues: list[Issue]
    existing: dict[int, dict[str, Any]]
    profiles: dict[int, dict[str, Any]]
    programs: dict[int, Program]
    column_names: dict[str, str] = field(default_factory=dict)  # key -> header in the file
    # False: the import runs without a person accountable for recording consents (the command
    # line without --actor); rows that would record one are invalid instead.
    record_consents: bool = True
    today: dt.date = field(default_factory=timezone.localdate)
    # The curator's choice for the rows with a role: this program, or (``no_enrolment``) none;
    # neither: the form's first program of the current year, created if there is none.
    program: Program | None = None
    no_enrolment: bool = False
    # None: the file has no role or form column; else the forms its rows name.
    enrol_forms: list[int] | None = None

    def column(self, key: str) -> str:
        return self.column_names.get(key) or BY_KEY[key].header

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def issues(self) -> list[Issue]:
        found = list(self.file_issues)
        for row in self.rows:
            found.extend(row.data.issues)
        return found

    @property
    def warnings(self) -> list[Issue]:
        return [w for row in self.rows for w in row.data.warnings]

    @property
    def invalid_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == INVALID]

    def counts(self) -> dict[str, int]:
        return {
            "total_rows": len(self.rows),
            "to_create": self.count(CREATE),
            "to_update": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "invalid_rows": self.count(INVALID),
            "enrolments": sum(1 for r in self.rows if r.enrol in (ENROL_NEW, ENROL_UPDATE)),
            "enrolments_blocked": sum(1 for r in self.rows if r.enrol == ENROL_BLOCKED),
        }

    def enrol_roles(self) -> dict[str, int]:
        """The enrolments to make by role."""
        found: dict[str, int] = {}
        for row in self.rows:
            if row.enrol in (ENROL_NEW, ENROL_UPDATE):
                role = row.data.values["role"]
                found[role] = found.get(role, 0) + 1
        return found


def build_plan(
    *,
    organization: Organization,
    path: Path,
    sniffed: Sniffed,
    encoding: str = "",
    delimiter: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
    record_consents: bool = True,
    program: Program | None = None,
    no_enrolment: bool = False,
) -> Plan:
    """Read and check every row, then decide what the import would do. Writes nothing.

    The plan is what the commit does: its counts (people to create and update, enrolments to
    make or not) are the commit's. ``record_consents=False`` (no actor) makes the rows whose
    «Согласие получено» would be recorded invalid, with a message saying so. ``program``: the
    rows with a role are enrolled in it (a row of another form is invalid); ``no_enrolment``:
    in none.
    """
    if program is not None and program.organization_id != organization.pk:
        raise ValueError("the program belongs to another organization")
    day = today or timezone.localdate()
    source = RowSource(path, sniffed, encoding=encoding, delimiter=delimiter)
    rows_iter = iter(source)
    header_row: list[Any] | None = None
    header_number = 1
    for number, cells in rows_iter:
        if looks_like_header(cells):
            header_row, header_number = cells, number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header_row is None:
        raise FileRejected(
            _(
                "No header row found in the first %(n)s rows. The first row must name the "
                "columns, as in the template: Фамилия, Имя, Отчество, Дата рождения, ..."
            )
            % {"n": HEADER_SEARCH_ROWS}
        )
    header = match_headers(header_row)
    file_issues: list[Issue] = []
    keys = header.keys
    if "category" not in keys:
        file_issues.append(
            Issue(header_number, "Категория", _("the column is missing; add it as in the template"))
        )
    if "first_name" not in keys and FULL_NAME_KEY not in keys:
        file_issues.append(
            Issue(header_number, "Имя", _("the column is missing; add it as in the template"))
        )
    for duplicated in header.duplicated:
        file_issues.append(
            Issue(header_number, duplicated, _("the column is repeated; the second one is ignored"))
        )
    reader = RowReader(
        positions=header.positions,
        headers=dict(header.headers),
        catalogue=Catalogue.load(organization.pk),
        today=day,
        program=program,
    )
    planned: list[PlannedRow] = []
    total = max(source.total, 1)
    for number, cells in rows_iter:
        if reader.is_blank(cells):
            continue
        planned.append(PlannedRow(reader.read(number, cells)))
        if progress and number % 2000 == 0:
            progress(number, total)
    if progress:
        progress(total, total)

    plan = Plan(
        organization=organization,
        rows=planned,
        headers=[text_of(c) for c in header_row],
        unknown_columns=header.unknown,
        file_issues=file_issues,
        existing={},
        profiles={},
        programs={},
        column_names=dict(reader.headers),
        record_consents=record_consents,
        today=day,
        program=program,
        no_enrolment=no_enrolment,
        enrol_forms=(
            sorted({r.data.form.pk for r in planned if r.data.form is not None})
            if "role" in keys or "form" in keys
            else None
        ),
    )
    _match(plan)
    return plan


def _match(plan: Plan) -> None:
    organization = plan.organization
    by_snils: dict[str, int] = {}
    by_name: dict[tuple[str, ...], int] = {}
    for values in (
        Person.objects.active().filter(organization=organization).values("id", *PERSON_FIELDS)
    ):
        plan.existing[values["id"]] = values
        if values["snils"]:
            by_snils[values["snils"]] = values["id"]
        key = name_identity(
            values["last_name"], values["first_name"], values["middle_name"], values["birth_date"]
        )
        if key is not None:
            by_name.setdefault(key, values["id"])

    # A row with a СНИЛС is that СНИЛС; a row without one is «ФИО + birth date».
    seen_snils: dict[str, int] = {}
    seen_name: dict[tuple[str, ...], int] = {}
    claimed: dict[int, int] = {}
    for row in plan.rows:
        data = row.data
        if not data.ok:
            continue
        snils = data.values.get("snils")
        name_key = name_identity(
            data.values.get("last_name", ""),
            data.values.get("first_name", ""),
            data.values.get("middle_name", ""),
            data.values.get("birth_date"),
        )
        earlier = seen_snils.get(snils) if snils else seen_name.get(name_key) if name_key else None
        if earlier is not None:
            data.issues.append(
                Issue(
                    data.number,
                    "СНИЛС" if snils else "Фамилия",
                    _("the same person as in row %(row)s; keep one row per person")
                    % {"row": earlier},
                )
            )
            continue
        if snils:
            seen_snils[snils] = data.number
        if name_key is not None:
            seen_name.setdefault(name_key, data.number)
        person_id = by_snils.get(snils) if snils else None
        if person_id is None and name_key is not None:
            candidate = by_name.get(name_key)
            # A stored person with another СНИЛС is a namesake born the same day, not this one.
            if candidate is not None and not (snils and plan.existing[candidate]["snils"]):
                person_id = candidate
        if person_id is not None:
            if person_id in claimed:
                data.issues.append(
                    Issue(
                        data.number,
                        "СНИЛС" if snils else "Фамилия",
                        _("the same person as in row %(row)s; keep one row per person")
                        % {"row": claimed[person_id]},
                    )
                )
                continue
            claimed[person_id] = data.number
            row.person_id = person_id

    matched = [row.person_id for row in plan.rows if row.person_id is not None]
    _load_profiles(plan, matched)
    forms = {row.data.form.pk: row.data.form for row in plan.rows if row.data.form is not None}
    year = academic_year_current(organization=organization) if forms else None
    if plan.no_enrolment:
        pass
    elif plan.program is not None:
        plan.programs[plan.program.form_id] = plan.program
    elif year is not None and year.pk is not None:
        for program in Program.objects.filter(
            organization=organization, academic_year=year, form_id__in=forms
        ).order_by("-id"):
            plan.programs[program.form_id] = program
    enrolments: dict[tuple[int, int, str], dict[str, Any]] = {}
    if plan.programs and matched:
        for start in range(0, len(matched), CHUNK):
            for values in Enrolment.objects.filter(
                program__in=plan.programs.values(), person_id__in=matched[start : start + CHUNK]
            ).values("id", "program_id", "person_id", "role", "variant_id", "capacity", "status"):
                enrolments[(values["program_id"], values["person_id"], values["role"])] = dict(
                    values
                )
    consented = people_with_valid_consent(matched, on=plan.today) if forms and matched else set()
    _plan_consents(plan)

    for row in plan.rows:
        data = row.data
        if not data.ok:
            row.action = INVALID
            continue
        _decide(plan, row, enrolments, consented)


def _plan_consents(plan: Plan) -> None:
    """Rows with «Согласие получено»: which consents the commit records, who signed them and
    until when they are valid.

    A consent that is valid already is left alone (re-importing the file changes nothing). A
    minor's consents are signed by a parent or legal guardian, whose name the row must give; the
    template has one column for that name and none for whether they are a parent or a guardian,
    so the consent is recorded as given by a parent.
    """
    rows = [r for r in plan.rows if r.data.ok and "consent_date" in r.data.values]
    if not rows:
        return
    ids = [r.person_id for r in rows if r.person_id is not None]
    valid = {
        purpose: people_with_valid_consent(ids, purpose, on=plan.today)
        for purpose in PROCESSING_PURPOSES
    }
    ends: dict[tuple[str, dt.date], dt.date] = {}

    def end(purpose: str, given_on: dt.date) -> dt.date:
        # The text in force on the signing day, as ``consent_record`` picks it; few dates.
        if (purpose, given_on) not in ends:
            text = consent_text_current(purpose, on=given_on)
            ends[(purpose, given_on)] = consent_term_end(text, given_on)
        return ends[(purpose, given_on)]

    for row in rows:
        data = row.data
        stored = plan.existing.get(row.person_id) if row.person_id is not None else None
        probe = Person(
            birth_date=data.values.get("birth_date") or (stored or {}).get("birth_date"),
            category=data.values.get("category") or (stored or {}).get("category", ""),
        )
        purposes = [
            purpose
            for purpose in PROCESSING_PURPOSES
            if row.person_id is None or row.person_id not in valid[purpose]
        ]
        if not purposes:
            continue
        if is_minor(probe, on=data.values["consent_date"]):
            if not data.values.get("representative"):
                data.issues.append(
                    Issue(
                        data.number,
                        plan.column("representative"),
                        _(
                            "the person is a minor on the consent date, so the consents are "
                            "signed by a parent or legal guardian; write their full name"
                        ),
                    )
                )
                continue
            row.consent_given_by = GivenBy.PARENT
        elif data.values.get("representative"):
            data.warnings.append(
                Issue(
                    data.number,
                    plan.column("representative"),
                    _(
                        "the person is of age on the consent date, so the consents are recorded "
                        "as given by the person themselves; the representative's name is not kept"
                    ),
                )
            )
        if not plan.record_consents:
            data.issues.append(
                Issue(
                    data.number,
                    plan.column("consent_date"),
                    _(
                        "the consents cannot be recorded: the import runs without --actor, the "
                        "curator on whose behalf they are recorded. Run it with --actor, or "
                        "clear the column to import the row without recording the consents"
                    ),
                )
            )
            continue
        row.consent_purposes = purposes
        given_on = data.values["consent_date"]
        row.consent_ends = min(end(purpose, given_on) for purpose in purposes)


def _load_profiles(plan: Plan, person_ids: list[int]) -> None:
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        for values in Profile.objects.filter(person_id__in=chunk).values(
            "id", "person_id", "interests", "request"
        ):
            plan.profiles[values["person_id"]] = {
                **values,
                "competencies": set(),
                "deficits": set(),
            }
        for person_id, competency_id in ProfileCompetency.objects.filter(
            profile__person_id__in=chunk
        ).values_list("profile__person_id", "competency_id"):
            plan.profiles[person_id]["competencies"].add(competency_id)
        for person_id, competency_id in ProfileDeficit.objects.filter(
            profile__person_id__in=chunk
        ).values_list("profile__person_id", "competency_id"):
            plan.profiles[person_id]["deficits"].add(competency_id)


_PROBE: list[Person] = []


def _normalized(values: dict[str, Any]) -> dict[str, Any]:
    """The file's values as Person.save() would store them (one reused instance: building a
    model instance per row costs more than the rest of the check)."""
    if not _PROBE:
        _PROBE.append(Person())
    probe = _PROBE[0]
    for name in PERSON_FIELDS:
        setattr(probe, name, values.get(name, "" if name != "birth_date" else None))
    probe.normalize()
    return {k: getattr(probe, k) for k in PERSON_FIELDS if k in values}


def _decide(
    plan: Plan,
    row: PlannedRow,
    enrolments: dict[tuple[int, int, str], dict[str, Any]],
    consented: set[int],
) -> None:
    data = row.data
    wanted = _normalized(data.values)
    if row.person_id is None:
        row.action = CREATE
    else:
        stored = plan.existing[row.person_id]
        row.changes = [
            name
            for name, value in wanted.items()
            if value not in ("", None) and stored[name] != value
        ]
        profile = plan.profiles.get(
            row.person_id,
            {"interests": "", "request": "", "competencies": set(), "deficits": set()},
        )
        for name in PROFILE_FIELDS:
            if data.values.get(name) and profile[name] != data.values[name]:
                row.changes.append(name)
        if data.competency_ids is not None and set(data.competency_ids) != profile["competencies"]:
            row.competencies_changed = True
            row.changes.append("competencies")
        if data.deficit_ids and not set(data.deficit_ids) <= profile["deficits"]:
            row.changes.append("deficits")
    role = data.values.get("role")
    if role and data.form is not None and not plan.no_enrolment:
        program = plan.programs.get(data.form.pk)
        # Enrolled only with both processing consents valid today once the commit has recorded
        # the row's own: exactly the check the commit makes, so the counts are the commit's.
        ends = row.consent_ends if row.consent_purposes else None
        if ends is not None and ends < plan.today:
            row.enrol = ENROL_BLOCKED
            data.warnings.append(
                Issue(
                    data.number,
                    plan.column("consent_date"),
                    _(
                        "the consent is recorded, but it was valid only until %(date)s, so the "
                        "person is not put in the base; record the consent signed anew and "
                        "import the file again"
                    )
                    % {"date": ends.strftime("%d.%m.%Y")},
                )
            )
        elif ends is None and (row.person_id is None or row.person_id not in consented):
            row.enrol = ENROL_BLOCKED
            data.warnings.append(
                Issue(
                    data.number,
                    plan.column("role"),
                    _(
                        "there is no valid consent of this person yet, so they are not put in the "
                        "base; record the consent and import the file again"
                    ),
                )
            )
        else:
            existing = (
                enrolments.get((program.pk, row.person_id, role))
                if program is not None and row.person_id is not None
                else None
            )
            if existing is None:
                row.enrol = ENROL_NEW
            else:
                row.enrolment_id = existing["id"]
                variant_id = data.variant.pk if data.variant is not None else None
                capacity = data.values.get("capacity")
                if (
                    (variant_id is not None and existing["variant_id"] != variant_id)
                    or (
                        capacity is not None
                        and role == EnrolmentRole.MENTOR
                        and existing["capacity"] != capacity
                    )
                    or existing["status"] == EnrolmentStatus.WITHDRAWN
                ):
                    row.enrol = ENROL_UPDATE
                else:
                    row.enrol = ENROL_SAME
            if row.enrol in (ENROL_NEW, ENROL_UPDATE):
                row.changes.append("enrolment")
    if row.consent_purposes and row.action != CREATE:
        row.changes.append("consents")
    if row.action != CREATE:
        row.action = UPDATE if row.changes else UNCHANGED


def template_headers() -> list[str]:
    return [column.header for column in COLUMNS]


def preview_rows(plan: Plan, limit: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows for the preview table (kept in the batch until the import ends)."""
    shown = []
    order = {INVALID: 0, CREATE: 1, UPDATE: 2, UNCHANGED: 3}
    for row in sorted(plan.rows, key=lambda r: (order[r.action], r.data.number))[:limit]:
        values = row.data.values
        name = " ".join(
            capitalize_name_part(values.get(k, ""))
            for k in ("last_name", "first_name", "middle_name")
        ).strip()
        shown.append(
            {
                "row": row.data.number,
                "action": row.action,
                "name": name,
                "changes": row.changes,
                "enrol": row.enrol,
                "problems": [i.message for i in row.data.issues],
            }
        )
    return shown
