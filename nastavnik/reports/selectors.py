"""Reads of monitoring reports, scoped to the acting user.

Staff (curator, head) of an organization see its report; a coordinator of a territory sees the
reports of its organizations and their roll-up, never a person: every read here is a count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from nastavnik.accounts.access import Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.organizations.models import Organization, Territory
from nastavnik.organizations.selectors import territory_ids_under
from nastavnik.reports.figures import Figures, figures_by_organization
from nastavnik.reports.models import ReportSubmission


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
