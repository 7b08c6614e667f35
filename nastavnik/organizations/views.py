from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nastavnik.accounts.access import access_for
from nastavnik.organizations.panels import organization_page_counts
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


def start(request: HttpRequest) -> HttpResponse:
    """The start page (registered with core): the user's organization, or a choice of them."""
    organizations = list(organization_list(user=request.user)[:101])
    if len(organizations) == 1:
        return redirect("organizations:detail", organization_id=organizations[0].pk)
    return render(request, "core/home.html", {"organizations": organizations})


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
            "counts": organization_page_counts(user=request.user, organization=organization),
            "is_staff": access.is_staff_of(organization.pk),
            "roles": sorted(access.org_roles.get(organization.pk, frozenset())),
        },
    )
