"""The monitoring figures of organizations for an academic year, computed from the data.

A plain module: no access checks here (the selectors decide who may ask). Every figure of any
number of organizations comes from a fixed number of grouped queries (``figures_by_organization``),
so one organization's report and a region's roll-up cost the same few round trips; a roll-up is
the sum of its organizations (``Figures.sum``): people belong to one organization, so distinct
people summed over organizations are still distinct.

Counting rules (issue 19):
- «in the bases» are the people enrolled in any program of the year in any status — a person who
  withdrew or was anonymised after withdrawing consent was in the base that year and is counted;
  a person in two programs is counted once;
- pairs and groups: every mentorship of the year's programs except a dissolved one (a pair
  completed early is counted); a group is a mentorship marked a group or with several mentees;
  its variant is the mentorship's own, else its mentees' enrolments' (the smallest id when they
  differ);
- an indicator the system has no data for yet is ``None`` («нет данных»), never a zero;
- a pupil who left after a year (``SchoolLeaver``) is a pupil of the organization up to that year;
- a year the organization closed by starting the next one (``ClosedYear``) keeps the figures it
  had then: its report reads the snapshot, whatever happened to the people since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Q,
)

from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember, MentorshipStatus
from nastavnik.organizations.models import AcademicYear
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    MentoringForm,
    Partner,
    Program,
    Variant,
)
from nastavnik.reports.models import ClosedYear
from nastavnik.surveys.models import (
    ANONYMITY_THRESHOLD,
    Answer,
    Moment,
    QuestionKind,
    SurveyKind,
)

# The share of pupils and of teachers in the bases the region expects, unless it says otherwise.
DEFAULT_COVERAGE_TARGET = 70

# The number of queries ``figures_by_organization`` makes, whatever the number of organizations.
QUERY_COUNT = 11

_TRAINED = Q(trained_on__isnull=False) | Q(
    status__in=(EnrolmentStatus.TRAINED, EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)
)


@dataclass
class MentorshipRow:
    """Pairs and groups of one form (and variant), and the distinct people in them."""

    form_code: str
    form_name: str
    variant_code: str = ""
    variant_name: str = ""
    pairs: int = 0
    groups: int = 0
    people: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.form_code, self.variant_code)

    def add(self, other: MentorshipRow) -> None:
        self.pairs += other.pairs
        self.groups += other.groups
        self.people += other.people


@dataclass
class ProgramRow:
    form_code: str
    form_name: str
    programs: int = 0


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """What one organization (or a sum of them) hands in for an academic year."""

    students_total: int = 0
    students_in_bases: int = 0
    students_mentees: int = 0
    students_mentors: int = 0
    teachers_total: int = 0
    teachers_in_bases: int = 0
    teachers_mentees: int = 0
    teachers_mentors: int = 0
    mentors_total: int = 0
    mentors_trained: int = 0
    partners: int = 0
    mentorships_completed: int = 0
    mentorships_dissolved: int = 0
    programs_by_form: list[ProgramRow] = field(default_factory=list)
    mentorships_by_form: list[MentorshipRow] = field(default_factory=list)
    mentorships_by_variant: list[MentorshipRow] = field(default_factory=list)
    coverage_target: int = DEFAULT_COVERAGE_TARGET

    # Indicators without a source in the system yet: surveys, progress records, staff turnover.
    satisfaction_mentors: float | None = None
    satisfaction_mentees: float | None = None
    mentees_improved_progress: float | None = None
    young_teachers_retained: float | None = None

    @property
    def coverage_students(self) -> float | None:
        return _share(self.students_in_bases, self.students_total)

    @property
    def coverage_teachers(self) -> float | None:
        return _share(self.teachers_in_bases, self.teachers_total)

    @property
    def mentors_trained_share(self) -> float | None:
        return _share(self.mentors_trained, self.mentors_total)

    @property
    def pairs_total(self) -> int:
        return sum(row.pairs for row in self.mentorships_by_form)

    @property
    def groups_total(self) -> int:
        return sum(row.groups for row in self.mentorships_by_form)

    @property
    def programs_total(self) -> int:
        return sum(row.programs for row in self.programs_by_form)

    @classmethod
    def sum(cls, parts: Iterable[Figures]) -> Figures:
        """The roll-up of several organizations."""
        total = cls()
        by_form: dict[tuple[str, str], MentorshipRow] = {}
        by_variant: dict[tuple[str, str], MentorshipRow] = {}
        programs: dict[str, ProgramRow] = {}
        for part in parts:
            for f in fields(cls):
                value = getattr(part, f.name)
                if isinstance(value, int) and f.name != "coverage_target":
                    setattr(total, f.name, getattr(total, f.name) + value)
            total.coverage_target = part.coverage_target
            for rows, into in (
                (part.mentorships_by_form, by_form),
                (part.mentorships_by_variant, by_variant),
            ):
                for row in rows:
                    if row.key not in into:
                        into[row.key] = MentorshipRow(
                            row.form_code, row.form_name, row.variant_code, row.variant_name
                        )
                    into[row.key].add(row)
            for program_row in part.programs_by_form:
                programs.setdefault(
                    program_row.form_code, ProgramRow(program_row.form_code, program_row.form_name)
                ).programs += program_row.programs
        total.mentorships_by_form = list(by_form.values())
        total.mentorships_by_variant = list(by_variant.values())
        total.programs_by_form = list(programs.values())
        return total

    def as_json(self) -> dict[str, Any]:
        """The stable keys of the report (``manage.py monitoring_report --format json``)."""
        data = asdict(self)
        data.update(
            coverage_students=self.coverage_students,
            coverage_teachers=self.coverage_teachers,
            mentors_trained_share=self.mentors_trained_share,
            pairs_total=self.pairs_total,
            groups_total=self.groups_total,
            programs_total=self.programs_total,
        )
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figures:
        """A submitted snapshot read back."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["programs_by_form"] = [ProgramRow(**row) for row in data.get("programs_by_form", [])]
        for key in ("mentorships_by_form", "mentorships_by_variant"):
            values[key] = [MentorshipRow(**row) for row in data.get(key, [])]
        return cls(**values)


def _sort_rows(figures: Figures, form_order: dict[str, int]) -> None:
    def key(row: Any) -> tuple[int, str, str]:
        return (form_order.get(row.form_code, 999), row.form_name, getattr(row, "variant_name", ""))

    figures.programs_by_form.sort(key=key)
    figures.mentorships_by_form.sort(key=key)
    figures.mentorships_by_variant.sort(key=key)


def _satisfaction(result: dict[int, Figures], org_ids: list[int], start_year: int) -> None:
    """Mean satisfaction (1–10 → per cent of the maximum) of mentors and mentees per organization.

    A figure needs at least ``ANONYMITY_THRESHOLD`` distinct responses behind it (anonymous
    surveys' rule, applied to all); below that it stays «нет данных».
    """
    values: dict[tuple[int, str], list[int]] = defaultdict(list)
    responses: dict[tuple[int, str], set[object]] = defaultdict(set)
    for org_id, role, response_id, value in Answer.objects.filter(
        organization_id__in=org_ids,
        question__kind=QuestionKind.SCALE,
        response__survey__kind=SurveyKind.SATISFACTION,
        response__survey__moment=Moment.END,
        response__survey__program__academic_year__start_year=start_year,
    ).values_list("organization_id", "response__role", "response_id", "value"):
        if isinstance(value, int) and not isinstance(value, bool):
            values[(org_id, role)].append(value)
            responses[(org_id, role)].add(response_id)
    for (org_id, role), numbers in values.items():
        if len(responses[(org_id, role)]) < ANONYMITY_THRESHOLD:
            continue
        share = round(sum(numbers) / len(numbers) * 10, 1)
        if role == EnrolmentRole.MENTOR:
            result[org_id].satisfaction_mentors = share
        elif role == EnrolmentRole.MENTEE:
            result[org_id].satisfaction_mentees = share


def figures_by_organization(
    organization_ids: Iterable[int], start_year: int, *, frozen: bool = True
) -> dict[int, Figures]:
    """Every organization's figures for the academic year starting in ``start_year``.

    ``QUERY_COUNT`` queries whatever the number of organizations. A closed year's figures are its
    snapshot unless ``frozen`` is false (closing a year computes them live).
    """
    all_ids = sorted(set(organization_ids))
    closed: dict[int, Figures] = {}
    if frozen and all_ids:
        # 0. Closed years: their snapshots.
        closed = {
            org_id: Figures.from_json(data)
            for org_id, data in ClosedYear.objects.filter(
                organization_id__in=all_ids, start_year=start_year
            ).values_list("organization_id", "figures")
        }
    org_ids = [org_id for org_id in all_ids if org_id not in closed]
    live = _live_figures(org_ids, start_year)
    return {org_id: closed.get(org_id) or live[org_id] for org_id in all_ids}


def _live_figures(org_ids: list[int], start_year: int) -> dict[int, Figures]:
    result: dict[int, Figures] = {org_id: Figures() for org_id in org_ids}
    if not org_ids:
        return result
    counted = (PersonCategory.STUDENT, PersonCategory.TEACHER)

    # 1. People of the organizations (the anonymised are people of the organization still;
    # a pupil who left after an earlier year is not).
    for org_id, category, n in (
        Person.objects.filter(organization_id__in=org_ids, category__in=counted)
        .exclude(school_leaving__start_year__lt=start_year)
        .order_by()
        .values_list("organization_id", "category")
        .annotate(n=Count("id"))
    ):
        prefix = "students" if category == PersonCategory.STUDENT else "teachers"
        setattr(result[org_id], f"{prefix}_total", n)

    # 2. The bases: distinct people by category and role; mentors and the trained ones.
    enrolments = Enrolment.objects.filter(
        organization_id__in=org_ids, program__academic_year__start_year=start_year
    )
    mentor = Q(role=EnrolmentRole.MENTOR)
    for row in (
        enrolments.order_by()
        .values("organization_id", "person__category")
        .annotate(
            in_bases=Count("person_id", distinct=True),
            mentees=Count("person_id", distinct=True, filter=Q(role=EnrolmentRole.MENTEE)),
            mentors=Count("person_id", distinct=True, filter=mentor),
            trained=Count("person_id", distinct=True, filter=mentor & _TRAINED),
        )
    ):
        figures = result[row["organization_id"]]
        figures.mentors_total += row["mentors"]
        figures.mentors_trained += row["trained"]
        if row["person__category"] in counted:
            prefix = "students" if row["person__category"] == PersonCategory.STUDENT else "teachers"
            setattr(figures, f"{prefix}_in_bases", row["in_bases"])
            setattr(figures, f"{prefix}_mentees", row["mentees"])
            setattr(figures, f"{prefix}_mentors", row["mentors"])

    # 3. The forms.
    forms: dict[int, tuple[str, str, int]] = {
        pk: (code, name, position)
        for pk, code, name, position in MentoringForm.objects.values_list(
            "pk", "code", "name", "position"
        )
    }
    form_order = {code: position for code, _name, position in forms.values()}
    # 4. Programs by form.
    for org_id, form_id, n in (
        Program.objects.filter(organization_id__in=org_ids, academic_year__start_year=start_year)
        .order_by()
        .values_list("organization_id", "form_id")
        .annotate(n=Count("id"))
    ):
        code, name, _position = forms[form_id]
        result[org_id].programs_by_form.append(ProgramRow(code, name, n))

    # 5. Pairs and groups by form, variant and kind; completed and dissolved.
    raw = _mentorship_rows(org_ids, start_year)
    # 6. Distinct people in the counted pairs and groups, by form and variant; 7. by form.
    people_by_variant = _people_by_variant(org_ids, start_year)
    people_by_form: list[tuple[int, int, int]] = list(
        MentorshipMember.objects.filter(
            organization_id__in=org_ids,
            mentorship__program__academic_year__start_year=start_year,
        )
        .exclude(mentorship__status=MentorshipStatus.DISSOLVED)
        .order_by()
        .values_list("organization_id", "mentorship__program__form_id")
        .annotate(people=Count("person_id", distinct=True))
    )
    # 8. Variant names: the shared catalogue and the organizations' own.
    variants = {
        pk: (code, name)
        for pk, code, name in Variant.objects.filter(
            Q(organization__isnull=True) | Q(organization_id__in=org_ids)
        ).values_list("pk", "code", "name")
    }
    # 9. Partners involved in the year's programs.
    for org_id, n in (
        Partner.objects.filter(
            organization_id__in=org_ids, program__academic_year__start_year=start_year
        )
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("id"))
    ):
        result[org_id].partners = n

    # 10. Satisfaction: the scale answers of the satisfaction surveys taken at the end of the
    # year's programs, by respondent role (surveys.evaluation gives the same per program).
    _satisfaction(result, org_ids, start_year)

    by_form: dict[int, dict[str, MentorshipRow]] = defaultdict(dict)
    by_variant: dict[int, dict[tuple[str, str], MentorshipRow]] = defaultdict(dict)

    def form_row(org_id: int, form_id: int) -> MentorshipRow:
        code, name = forms[form_id][:2]
        return by_form[org_id].setdefault(code, MentorshipRow(code, name))

    def variant_row(org_id: int, form_id: int, variant_id: int | None) -> MentorshipRow:
        code, name = forms[form_id][:2]
        variant_code, variant_name = variants.get(variant_id or 0, ("", ""))
        return by_variant[org_id].setdefault(
            (code, variant_code), MentorshipRow(code, name, variant_code, variant_name)
        )

    for org_id, form_id, variant_id, grouped, status, n in raw:
        figures = result[org_id]
        if status == MentorshipStatus.DISSOLVED:
            figures.mentorships_dissolved += n
            continue
        if status == MentorshipStatus.COMPLETED:
            figures.mentorships_completed += n
        for target in (form_row(org_id, form_id), variant_row(org_id, form_id, variant_id)):
            if grouped:
                target.groups += n
            else:
                target.pairs += n
    for org_id, form_id, variant_id, people in people_by_variant:
        variant_row(org_id, form_id, variant_id).people += people
    for org_id, form_id, people in people_by_form:
        form_row(org_id, form_id).people += people
    for org_id, figures in result.items():
        figures.mentorships_by_form = list(by_form[org_id].values())
        figures.mentorships_by_variant = list(by_variant[org_id].values())
        _sort_rows(figures, form_order)
    return result


def _tables() -> dict[str, str]:
    return {
        "mentorship": Mentorship._meta.db_table,
        "member": MentorshipMember._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "program": Program._meta.db_table,
        "year": AcademicYear._meta.db_table,
    }


# Each mentorship's mentees: how many, and the variant of their enrolments (the smallest id when
# they differ) — one grouped pass over the members instead of a sub-query per mentorship.
_MENTEES = """
    SELECT mm.mentorship_id, COUNT(*) AS mentees, MIN(e.variant_id) AS variant_id
    FROM {member} mm JOIN {enrolment} e ON e.id = mm.enrolment_id
    WHERE mm.role = %s AND mm.organization_id IN ({orgs})
    GROUP BY mm.mentorship_id
"""


def _mentorship_rows(
    org_ids: list[int], start_year: int
) -> list[tuple[int, int, int | None, int, str, int]]:
    """(organization, form, variant, is a group, status, count) of the year's mentorships."""
    orgs = ", ".join(["%s"] * len(org_ids))
    sql = f"""
        SELECT m.organization_id, p.form_id, COALESCE(m.variant_id, s.variant_id),
               CASE WHEN m.is_group OR COALESCE(s.mentees, 0) > 1 THEN 1 ELSE 0 END,
               m.status, COUNT(*)
        FROM {{mentorship}} m
        JOIN {{program}} p ON p.id = m.program_id
        JOIN {{year}} y ON y.id = p.academic_year_id
        LEFT JOIN ({_MENTEES}) s ON s.mentorship_id = m.id
        WHERE m.organization_id IN ({{orgs}}) AND y.start_year = %s
        GROUP BY 1, 2, 3, 4, 5
    """.format(orgs=orgs, **_tables())  # noqa: S608 - table names and placeholders only
    with connection.cursor() as cursor:
        cursor.execute(sql, [MemberRole.MENTEE, *org_ids, *org_ids, start_year])
        return [tuple(row) for row in cursor.fetchall()]


def _people_by_variant(
    org_ids: list[int], start_year: int
) -> list[tuple[int, int, int | None, int]]:
    """(organization, form, variant, distinct people) in the year's counted mentorships."""
    orgs = ", ".join(["%s"] * len(org_ids))
    sql = f"""
        SELECT mm.organization_id, p.form_id, COALESCE(m.variant_id, s.variant_id),
               COUNT(DISTINCT mm.person_id)
        FROM {{member}} mm
        JOIN {{mentorship}} m ON m.id = mm.mentorship_id
        JOIN {{program}} p ON p.id = m.program_id
        JOIN {{year}} y ON y.id = p.academic_year_id
        LEFT JOIN ({_MENTEES}) s ON s.mentorship_id = m.id
        WHERE mm.organization_id IN ({{orgs}}) AND y.start_year = %s AND m.status <> %s
        GROUP BY 1, 2, 3
    """.format(orgs=orgs, **_tables())  # noqa: S608 - table names and placeholders only
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [MemberRole.MENTEE, *org_ids, *org_ids, start_year, MentorshipStatus.DISSOLVED],
        )
        return [tuple(row) for row in cursor.fetchall()]
