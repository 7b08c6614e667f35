"""What the program pages share: the curator check and the messages of a validation error."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from nastavnik.accounts.access import access_for, require_curator
from nastavnik.organizations.models import Organization
from nastavnik.organizations.selectors import staff_organization_list


def errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def curator_only(request: HttpRequest, organization_id: int) -> None:
    """403 unless the user is a curator of the organization."""
    require_curator(request.user, organization_id)


def is_curator(request: HttpRequest, organization_id: int) -> bool:
    """For the page: whether to show the curator's buttons."""
    return access_for(request.user).is_curator_of(organization_id)


def curator_organizations(request: HttpRequest) -> list[Organization]:
    """The organizations where the user is a curator, in the staff list's order."""
    access = access_for(request.user)
    return [o for o in staff_organization_list(user=request.user) if access.is_curator_of(o.pk)]
