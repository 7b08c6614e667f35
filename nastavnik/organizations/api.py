from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import paginated
from nastavnik.organizations.selectors import organization_get, organization_list

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    short_name: str
    time_zone: str
    territory_id: int


@router.get("", response=list[OrganizationOut])
@paginated
def list_organizations(request: HttpRequest) -> object:
    return organization_list(user=request.user)


@router.get("/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int) -> OrganizationOut:
    return organization_get(user=request.user, organization_id=organization_id)  # type: ignore[return-value]
