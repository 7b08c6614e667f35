from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from nastavnik.core.navigation import start_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page, as the registered app answers it (``core.navigation.start_page``)."""
    response = start_page(request)
    if response is not None:
        return response
    return render(request, "core/home.html", {"organizations": []})


def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
