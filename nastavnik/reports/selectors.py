"""Reads of monitoring reports, scoped to the acting user.

Staff (curator, head) of an organization see its report; a coordinator of a territory sees the
reports of its organizations and their roll-up, never a person: every read here is a count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from nastavnik.accounts.access import Actor, access_for, require_curator
from nastavnik.core.jobs import ACTIVE_STATUSES
from nastavnik.core.selectors import get_visible
from nastavnik.core.text import normalize_class_name
from nastavnik.organizations.models import Organization, Territory
from nastavnik.organizations.selectors import territory_ids_under
from nastavnik.people.models import PERSON_ORDER, Person, PersonCategory
from nastavnik.programs.models import Enrolment, EnrolmentStatus, Program
from nastavnik.reports.figures import Figures, figures_by_organization
from nastavnik.reports.models import (
    ClosedYear,
    ReportFileJob,
    ReportSubmission,
    YearStartJob,
    YearTargets,
)


def report_organization_list(*, user: Actor) -> QuerySet[Organization]:
    """Organizations whose report the user may read: staff of it, or coordinator above it."""
    access = access_for(user)
    qs = Organization.objects.select_related("territory", "territory__parent")
    if access.is_admin:
        return qs.all()
    condition = Q(id__in=access.staff_org_ids)
    coordinated = territory_ids_under(frozenset(access.territory_roles))
    if coordinated:
        condition |= Q(territory_id__in=coordinated)
    return qs.filter(condition)


def report_organization_get(*, user: Actor, organization_id: int) -> Organization:
    return get_visible(report_organization_list(user=user), pk=organization_id)


def organization_figures(*, organization: Organization, start_year: int) -> Figures:
    """The figures of an organization already fetched through ``report_organization_get``."""
    return figures_by_organization([organization.pk], start_year)[organization.pk]


def territory_list(*, user: Actor) -> QuerySet[Territory]:
    """Territories the user coordinates, with the municipalities of a coordinated region."""
    access = access_for(user)
    qs = Territory.objects.select_related("parent")
    if access.is_admin:
        return qs.all()
    return qs.filter(id__in=territory_ids_under(frozenset(access.territory_roles)))


def territory_get(*, user: Actor, territory_id: int) -> Territory:
    return get_visible(territory_list(user=user), pk=territory_id)


def may_decide(*, user: Actor, organization: Organization) -> bool:
    """A coordinator of the organization's municipality or region accepts or returns reports."""
    access = access_for(user)
    if access.is_admin:
        return True
    territory = organization.territory
    return bool(access.territory_roles.keys() & {territory.pk, territory.parent_id})


def submission_list(
    *, user: Actor, organization: Organization, start_year: int
) -> QuerySet[ReportSubmission]:
    """Every version of an organization's report for the year, newest first."""
    report_organization_get(user=user, organization_id=organization.pk)
    return ReportSubmission.objects.filter(
        organization=organization, start_year=start_year
    ).select_related("submitted_by", "decided_by")


def submission_get(*, user: Actor, submission_id: int) -> ReportSubmission:
    visible = report_organization_list(user=user).values("id")
    return get_visible(
        ReportSubmission.objects.filter(organization_id__in=visible).select_related(
            "organization", "organization__territory"
        ),
        pk=submission_id,
    )


@dataclass
class RollupRow:
    """One organization (of a municipality) or one municipality (of a region)."""

    title: str
    figures: Figures
    organization: Organization | None = None
    territory: Territory | None = None
    submission: ReportSubmission | None = None
    organizations: int = 1
    submitted: int = 0


@dataclass
class Rollup:
    territory: Territory
    start_year: int
    rows: list[RollupRow] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)

    @property
    def missing(self) -> list[RollupRow]:
        """Organizations that have not handed in the year's report (municipal roll-up)."""
        return [row for row in self.rows if row.organization and row.submission is None]


def _latest_submissions(org_ids: Sequence[int], start_year: int) -> dict[int, ReportSubmission]:
    latest: dict[int, ReportSubmission] = {}
    for submission in ReportSubmission.objects.filter(
        organization_id__in=org_ids, start_year=start_year
    ).order_by("organization_id", "-version"):
        latest.setdefault(submission.organization_id, submission)
    return latest


def territory_rollup(*, user: Actor, territory_id: int, start_year: int) -> Rollup:
    """A municipality: each organization and the total; a region: each municipality and the
    total. Computed from the data of the year (the submitted snapshots are listed beside)."""
    territory = territory_get(user=user, territory_id=territory_id)
    organizations = list(
        Organization.objects.filter(
            Q(territory=territory) | Q(territory__parent=territory)
        ).select_related("territory")
    )
    org_ids = [org.pk for org in organizations]
    figures = figures_by_organization(org_ids, start_year)
    latest = _latest_submissions(org_ids, start_year)
    rollup = Rollup(territory=territory, start_year=start_year)
    if territory.level == Territory.Level.MUNICIPALITY:
        for org in organizations:
            rollup.rows.append(
                RollupRow(
                    title=org.short_name,
                    figures=figures[org.pk],
                    organization=org,
                    submission=latest.get(org.pk),
                    submitted=int(org.pk in latest),
                )
            )
    else:
        by_municipality: dict[int, list[Organization]] = {}
        for org in organizations:
            by_municipality.setdefault(org.territory_id, []).append(org)
        for municipality in sorted({org.territory for org in organizations}, key=lambda t: t.name):
            members = by_municipality[municipality.pk]
            rollup.rows.append(
                RollupRow(
                    title=municipality.name,
                    figures=Figures.sum(figures[org.pk] for org in members),
                    territory=municipality,
                    organizations=len(members),
                    submitted=sum(1 for org in members if org.pk in latest),
                )
            )
    rollup.total = Figures.sum(figures.values())
    return rollup


# --- «Перспективные задачи» and the year before ----------------------------------------------


@dataclass
class YearOffer:
    """What the organization's programs of a year take up: forms, models, variants (ids)."""

    forms: set[int] = field(default_factory=set)
    models: set[int] = field(default_factory=set)
    variants: set[int] = field(default_factory=set)


def year_offer(*, organization: Organization, start_year: int) -> YearOffer:
    programs = Program.objects.filter(
        organization=organization, academic_year__start_year=start_year
    )
    offer = YearOffer(forms=set(programs.values_list("form_id", flat=True)))
    offer.models = set(
        programs.filter(models_used__isnull=False).values_list("models_used", flat=True)
    )
    offer.variants = set(programs.filter(variants__isnull=False).values_list("variants", flat=True))
    return offer


def year_targets(*, organization: Organization, start_year: int) -> YearTargets | None:
    """The targets set for the year (by the curator, the year before), or None."""
    return (
        YearTargets.objects.filter(organization=organization, start_year=start_year)
        .prefetch_related("forms", "models_used", "variants__form")
        .select_related("updated_by")
        .first()
    )


@dataclass
class ReportContext:
    """What the report shows beside its own figures: the year before and the targets."""

    previous: Figures
    targets: YearTargets | None
    offer: YearOffer
    next_targets: YearTargets | None
    closed: ClosedYear | None = None


def report_context(
    *, organization: Organization, start_year: int, figures: Figures
) -> ReportContext:
    """The previous year's figures (one more batch of the figures' queries), the targets set for
    this year with what the year's programs take up, and the targets set for the next year."""
    return ReportContext(
        previous=organization_figures(organization=organization, start_year=start_year - 1),
        targets=year_targets(organization=organization, start_year=start_year),
        offer=year_offer(organization=organization, start_year=start_year),
        next_targets=year_targets(organization=organization, start_year=start_year + 1),
        closed=ClosedYear.objects.filter(organization=organization, start_year=start_year)
        .select_related("closed_by")
        .first(),
    )


# --- the start of a new academic year ---------------------------------------------------------

# The last grade of a school: its pupils leave when the next year starts.
LAST_GRADE = 11
_GRADE_RE = re.compile(r"^(\d{1,2})(\D*)$")


def next_class(class_name: str) -> str | None:
    """«7Б» → «8Б»; None for the last grade (the pupil leaves) or a name that is no school class
    (a college group keeps its name: it is named after the year of admission)."""
    match = _GRADE_RE.match(normalize_class_name(class_name))
    if not match:
        return ""
    grade = int(match.group(1))
    if not 1 <= grade <= LAST_GRADE:
        return ""
    if grade == LAST_GRADE:
        return None
    return f"{grade + 1}{match.group(2)}"


@dataclass
class Leaver:
    person: Person
    enrolments: list[Enrolment]


@dataclass
class YearStartPreview:
    """What starting the next academic year will do, for the curator to review first."""

    organization: Organization
    from_year: int
    programs: list[Program]
    existing_forms: set[int]
    leavers: list[Leaver]
    moving_up: int
    carried_enrolments: int
    closed: bool

    @property
    def to_year(self) -> int:
        return self.from_year + 1


def pupils_moving(organization: Organization) -> QuerySet[Person]:
    """The organization's pupils who have a class and have not left."""
    return (
        Person.objects.filter(
            organization=organization,
            category=PersonCategory.STUDENT,
            anonymized_at__isnull=True,
            school_leaving__isnull=True,
        )
        .exclude(class_name="")
        .order_by(*PERSON_ORDER)
    )


def year_start_preview(
    *, user: Actor, organization: Organization, from_year: int
) -> YearStartPreview:
    """The programs carried over, the pupils who move up, and who leaves the bases: the pupils of
    the last grade (with their places in the year's bases)."""
    require_curator(user, organization.pk)
    programs = list(
        Program.objects.filter(organization=organization, academic_year__start_year=from_year)
        .select_related("form")
        .order_by("form__position", "pk")
    )
    existing = set(
        Program.objects.filter(
            organization=organization, academic_year__start_year=from_year + 1
        ).values_list("form_id", flat=True)
    )
    enrolments: dict[int, list[Enrolment]] = {}
    carried = 0
    for enrolment in (
        Enrolment.objects.filter(program__in=programs)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("program__form")
        .order_by("pk")
    ):
        enrolments.setdefault(enrolment.person_id, []).append(enrolment)
        carried += 1
    leavers: list[Leaver] = []
    moving = 0
    if organization.kind == Organization.Kind.SCHOOL:
        for pupil in pupils_moving(organization):
            step = next_class(pupil.class_name)
            if step is None:
                leavers.append(Leaver(pupil, enrolments.get(pupil.pk, [])))
                carried -= len(enrolments.get(pupil.pk, []))
            elif step:
                moving += 1
    return YearStartPreview(
        organization=organization,
        from_year=from_year,
        programs=programs,
        existing_forms=existing,
        leavers=leavers,
        moving_up=moving,
        carried_enrolments=carried,
        closed=ClosedYear.objects.filter(organization=organization, start_year=from_year).exists(),
    )


def year_start_job_get(*, user: Actor, year_start_id: int) -> YearStartJob:
    """A start of the year, for the curators of its organization (others: 404)."""
    return get_visible(
        YearStartJob.objects.curator_view(user).select_related("organization", "created_by"),
        pk=year_start_id,
    )


def year_start_job_active(*, user: Actor, organization: Organization) -> YearStartJob | None:
    """The organization's start of the year that is queued or running, if any."""
    return (
        YearStartJob.objects.curator_view(user)
        .filter(organization=organization, status__in=ACTIVE_STATUSES)
        .first()
    )


def report_file_job_get(*, user: Actor, report_file_id: int) -> ReportFileJob:
    """A report's PDF being made or made: for whoever may read that organization's report
    (staff of it, a coordinator above it); others get 404."""
    visible = report_organization_list(user=user).values("id")
    return get_visible(
        ReportFileJob.objects.filter(organization_id__in=visible).select_related("organization"),
        pk=report_file_id,
    )
