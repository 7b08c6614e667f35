"""A URLconf that exists only for the test of the isolation test: some of its views forget
their selector on purpose."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from nastavnik.people.models import Person
from nastavnik.people.selectors import person_get
from nastavnik.urls import urlpatterns as project_urlpatterns


def unprotected(request: HttpRequest, person_id: int) -> HttpResponse:
    return HttpResponse(Person.objects.get(pk=person_id).full_name)


@login_required
def unscoped(request: HttpRequest, person_id: int) -> HttpResponse:
    return HttpResponse(Person.objects.get(pk=person_id).full_name)


@login_required
def scoped(request: HttpRequest, person_id: int) -> HttpResponse:
    return HttpResponse(person_get(user=request.user, person_id=person_id).full_name)


@login_required
def unscoped_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(p.full_name for p in Person.objects.all()))


@login_required
def unscoped_write(request: HttpRequest, person_id: int) -> HttpResponse:
    if request.method == "POST":
        Person.objects.filter(pk=person_id).update(first_name="Изменено")
    return HttpResponse("ok")


@login_required
def mystery(request: HttpRequest, mystery_id: int) -> HttpResponse:
    return HttpResponse("?")


urlpatterns = [
    path("leaky/unprotected/<int:person_id>/", unprotected),
    path("leaky/unscoped/<int:person_id>/", unscoped),
    path("leaky/scoped/<int:person_id>/", scoped),
    path("leaky/list/", unscoped_list),
    path("leaky/write/<int:person_id>/", unscoped_write),
    path("leaky/mystery/<int:mystery_id>/", mystery),
    *project_urlpatterns,
]
