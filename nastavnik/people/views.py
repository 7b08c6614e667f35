from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.accounts.models import Role
from nastavnik.core.audit import client_ip
from nastavnik.organizations.selectors import staff_organization_list
from nastavnik.people import services
from nastavnik.people.fields import viewer_for
from nastavnik.people.forms import (
    LoginGrantForm,
    PersonFilterForm,
    PersonForm,
    ProfileForm,
    RelativeForm,
)
from nastavnik.people.models import Competency, PersonCategory
from nastavnik.people.panels import person_panels
from nastavnik.people.picker import choices_response
from nastavnik.people.selectors import (
    class_names,
    kinship_get,
    login_username_suggest,
    person_can_edit,
    person_can_grant_login,
    person_choices,
    person_get,
    person_list,
    profile_can_edit,
    profile_detail,
    relative_choices,
    relatives_can_edit,
)


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    organizations = list(staff_organization_list(user=request.user))
    form = PersonFilterForm(
        request.GET or None,
        organizations=[(o.pk, o.short_name) for o in organizations],
        class_names=class_names(user=request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    people = person_list(
        user=request.user,
        query=filters.get("q", ""),
        organization_id=filters.get("organization"),
        category=filters.get("category", ""),
        class_name=filters.get("class_name", ""),
    )
    page = Paginator(people, settings.NASTAVNIK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "organizations": organizations,
        "can_add": bool(organizations),
    }
    template = "people/_results.html" if request.htmx else "people/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    services.person_record_read(actor=request.user, person=person, ip=client_ip(request))
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "fields": viewer_for(request.user, cache_on=request).fields(person),
            "profile": profile_detail(user=request.user, person_id=person_id, person=person),
            "can_edit": person_can_edit(user=request.user, person=person),
            "can_edit_profile": profile_can_edit(user=request.user, person=person),
            "can_grant_login": person_can_grant_login(user=request.user, person=person),
            "person_panels": person_panels(request, person),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    organizations = list(staff_organization_list(user=request.user))
    if not organizations:
        raise PermissionDenied
    chosen = request.POST.get("organization") or request.GET.get("organization")
    organization = next((o for o in organizations if str(o.pk) == chosen), organizations[0])
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            actor=request.user, organization=organization, **form.cleaned_data
        )
        messages.success(request, _("The person has been added."))
        return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "organizations": organizations, "organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not person_can_edit(user=request.user, person=person):
        raise PermissionDenied
    # The form works on a copy: the service compares the submitted data with the stored record.
    form = PersonForm(request.POST or None, instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def login_grant(request: HttpRequest, person_id: int) -> HttpResponse:
    """«Give a login»: the curator picks the login and the role; the answer to the POST shows the
    initial password once (never stored in the clear, never sent again)."""
    person = person_get(user=request.user, person_id=person_id)
    if not access_for(request.user).is_curator_of(person.organization_id):
        raise PermissionDenied
    if person.user_id is not None or person.anonymized_at is not None:
        if person.user_id is not None:
            messages.info(request, _("The person already has a login."))
        else:
            messages.info(request, _("The person's data have been anonymized."))
        return redirect("people:detail", person_id=person.pk)
    initial = {
        "username": login_username_suggest(person=person),
        "role": Role.MENTEE if person.category == PersonCategory.STUDENT else Role.MENTOR,
    }
    form = LoginGrantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.person_login_grant(
                actor=request.user,
                person=person,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = render(
                request,
                "people/login_granted.html",
                {"person": person, "login": user.username, "password": password},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "people/login_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not profile_can_edit(user=request.user, person=person):
        raise PermissionDenied
    profile = profile_detail(user=request.user, person_id=person_id) or services.profile_ensure(
        person=person
    )
    competencies = list(
        Competency.objects.select_related("area").order_by("area__position", "name")
    )
    form = ProfileForm(request.POST or None, profile=profile, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        services.profile_update(actor=request.user, person=person, **form.service_kwargs())
        messages.success(request, _("The profile has been saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/profile_form.html", {"form": form, "person": person})


@login_required
def person_choices_view(request: HttpRequest) -> HttpResponse:
    """The options of a person picker, found by name: ``?organization=&q=`` (the staff of the
    organization), or ``?relatives_of=<person>&q=`` (who may be added as that person's relative).
    """
    relatives_of = request.GET.get("relatives_of", "")
    organization = request.GET.get("organization", "")
    query = request.GET.get("q", "")
    if relatives_of.isdigit():
        person = person_get(user=request.user, person_id=int(relatives_of))
        if not relatives_can_edit(user=request.user, person=person):
            raise PermissionDenied
        found = relative_choices(user=request.user, person=person, query=query)
    elif organization.isdigit():
        found = person_choices(user=request.user, organization_id=int(organization), query=query)
    else:
        raise Http404
    return choices_response(request, found)


def _relatives_of(person_id: int) -> str:
    return reverse("people:detail", kwargs={"person_id": person_id}) + "#relatives"


@login_required
@require_POST
def relative_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not relatives_can_edit(user=request.user, person=person):
        raise PermissionDenied
    form = RelativeForm(request.POST, choices=relative_choices(user=request.user, person=person))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_relatives_of(person.pk))
    try:
        services.relative_add(
            actor=request.user,
            person=person,
            relative=form.cleaned_data["relative"],
            kind=form.cleaned_data["kind"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The relative has been added."))
    return redirect(_relatives_of(person.pk))


@login_required
@require_POST
def relative_remove(request: HttpRequest, kinship_id: int) -> HttpResponse:
    kinship = kinship_get(user=request.user, kinship_id=kinship_id)
    # Back to the page the link was removed from: one of the two people.
    back = request.POST.get("person", "")
    pair = (kinship.person_a_id, kinship.person_b_id)
    person_id = int(back) if back.isdigit() and int(back) in pair else kinship.person_a_id
    services.relative_remove(actor=request.user, kinship=kinship)
    messages.success(request, _("The relative has been removed."))
    return redirect(_relatives_of(person_id))
