from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nastavnik.accounts.access import access_for
from nastavnik.organizations.counts import organization_counts
from nastavnik.organizations.selectors import (
    academic_year_current,
    organization_get,
    organization_list,
)


@login_required
def organization_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organizations/list.html",
        {"organizations": organization_list(user=request.user)},
    )


@login_required
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = organization_get(user=request.user, organization_id=organization_id)
    access = access_for(request.user)
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "academic_year": academic_year_current(organization=organization),
            "counts": organization_counts(user=request.user, organization=organization),
            "is_staff": access.is_staff_of(organization.pk),
            "roles": sorted(access.org_roles.get(organization.pk, frozenset())),
        },
    )
