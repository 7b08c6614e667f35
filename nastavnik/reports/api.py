from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from nastavnik.reports.selectors import organization_figures, report_organization_get

router = Router(tags=["reports"])


@router.get("/organizations/{organization_id}/{start_year}", response=dict[str, Any])
def organization_report(
    request: HttpRequest,
    organization_id: int,
    start_year: int = Path(..., ge=2000, le=2100),
) -> object:
    """An organization's monitoring figures for the academic year starting in ``start_year``
    (the stable keys of ``manage.py monitoring_report --format json``)."""
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    figures = organization_figures(organization=organization, start_year=start_year)
    return {
        "organization": organization.code,
        "academic_year": f"{start_year}/{start_year + 1}",
        **figures.as_json(),
    }
