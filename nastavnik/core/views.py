from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from nastavnik.organizations.selectors import organization_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's organization, or a choice when there are several."""
    organizations = list(organization_list(user=request.user)[:101])
    if len(organizations) == 1:
        return redirect("organizations:detail", organization_id=organizations[0].pk)
    return render(request, "core/home.html", {"organizations": organizations})


def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
