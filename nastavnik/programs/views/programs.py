"""Pages of programs: the list, the card, the program form and the catalogue of forms,
variants and models."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nastavnik.accounts.access import access_for
from nastavnik.organizations.services import academic_year_current_ensure
from nastavnik.people.models import PersonCategory
from nastavnik.programs import services
from nastavnik.programs.forms import (
    ProgramForm,
    VariantForm,
)
from nastavnik.programs.models import (
    MentoringForm,
    MentoringModel,
    Stage,
)
from nastavnik.programs.selectors import (
    program_get,
    program_list,
    public_program_summary,
    roadmap_overdue,
    staff_program_get,
)
from nastavnik.programs.views.common import (
    curator_only,
    curator_organizations,
    is_curator,
)


@login_required
def program_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/list.html",
        {
            "programs": program_list(user=request.user).prefetch_related("variants"),
            "can_create": bool(curator_organizations(request)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    organizations = curator_organizations(request)
    if not organizations:
        raise PermissionDenied
    chosen = request.POST.get("organization") or request.GET.get("organization")
    organization = next((o for o in organizations if str(o.pk) == chosen), organizations[0])
    # The form offers the organization's stored years: the current one must be among them.
    year = academic_year_current_ensure(organization=organization)
    form = ProgramForm(
        request.POST or None,
        organization=organization,
        initial={"academic_year": year.pk, "curator": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                actor=request.user,
                organization=organization,
                academic_year=form.cleaned_data["academic_year"],
                form=form.cleaned_data["form"],
                models_used=list(form.cleaned_data["models_used"]),
                **form.program_data(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The program has been created."))
            return redirect("programs:detail", program_id=program.pk)
    return render(
        request,
        "programs/form.html",
        {"form": form, "organizations": organizations, "organization": organization},
    )


@login_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    program = program_get(user=request.user, program_id=program_id)
    access = access_for(request.user)
    is_staff = access.is_staff_of(program.organization_id)
    context: dict[str, Any] = {
        "program": program,
        "is_staff": is_staff,
        "is_curator": is_curator(request, program.organization_id),
        "stages": Stage.choices,
        "has_group_model": any(m.is_group for m in program.models_used.all()),
    }
    if is_staff:
        context["counts"] = public_program_summary(program=program)
        context["overdue"] = roadmap_overdue(program=program).count()
    return render(request, "programs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    curator_only(request, program.organization_id)
    form = ProgramForm(
        request.POST or None,
        instance=copy.copy(program),
        organization=program.organization,
        initial={"support_kinds": program.support_kinds},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                actor=request.user,
                program=program,
                data=form.program_data(),
                variants=list(form.cleaned_data["variants"]),
                models_used=list(form.cleaned_data["models_used"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/form.html", {"form": form, "program": program})


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    """Forms, variants and models of mentoring; a curator adds the organization's own variants."""
    access = access_for(request.user)
    organizations = curator_organizations(request)
    form = VariantForm(request.POST or None) if organizations else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        chosen = request.POST.get("organization")
        organization = next((o for o in organizations if str(o.pk) == chosen), organizations[0])
        if form.is_valid():
            try:
                services.variant_create(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The variant has been added."))
                return redirect("programs:catalogue")
    org_ids = [o.pk for o in organizations] or list(access.member_org_ids)
    forms_ = MentoringForm.objects.prefetch_related("variants__organization")
    category_labels = dict(PersonCategory.choices)
    rows = []
    for mform in forms_:
        rows.append(
            {
                "form": mform,
                "mentors": [category_labels.get(c, c) for c in mform.mentor_categories],
                "mentees": [category_labels.get(c, c) for c in mform.mentee_categories],
                "variants": [
                    v
                    for v in mform.variants.all()
                    if v.organization_id is None or v.organization_id in org_ids
                ],
            }
        )
    return render(
        request,
        "programs/catalogue.html",
        {
            "rows": rows,
            "models": MentoringModel.objects.all(),
            "form": form,
            "organizations": organizations,
        },
    )
