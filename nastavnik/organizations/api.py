"""Organizations and territories for integrators, scoped like the pages: an organization token
reads its organization; a territory token (a coordinator's) reads the organizations of its
territory (and of the region's municipalities) and the territories themselves. Anything else
answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.accounts.access import access_for
from nastavnik.core.api import paginated
from nastavnik.core.selectors import get_visible
from nastavnik.organizations.models import Organization, Territory
from nastavnik.organizations.selectors import (
    organization_get,
    organization_list,
    territory_ids_under,
)

router = Router(tags=["organizations"])
territory_router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    short_name: str
    time_zone: str
    territory_id: int


class TerritoryOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


@router.get("", response=list[OrganizationOut])
@paginated
def list_organizations(request: HttpRequest, territory_id: int | None = None) -> object:
    """The organizations the caller belongs to or coordinates; ``territory_id`` narrows them."""
    found: QuerySet[Organization] = organization_list(user=request.user).order_by("pk")
    if territory_id is not None:
        found = found.filter(territory_id=territory_id)
    return found


@router.get("/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int) -> OrganizationOut:
    return organization_get(user=request.user, organization_id=organization_id)  # type: ignore[return-value]


def _territories(request: HttpRequest) -> QuerySet[Territory]:
    """The territories the caller coordinates (a region with its municipalities); all of them
    for an administrator. A school's staff read their territory's id on the organization."""
    access = access_for(request.user)
    territories = Territory.objects.order_by("pk")
    if access.is_admin:
        return territories
    return territories.filter(pk__in=territory_ids_under(frozenset(access.territory_roles)))


@territory_router.get("", response=list[TerritoryOut])
@paginated
def list_territories(request: HttpRequest) -> object:
    return _territories(request)


@territory_router.get("/{territory_id}", response=TerritoryOut)
def get_territory(request: HttpRequest, territory_id: int) -> object:
    return get_visible(_territories(request), pk=territory_id)
