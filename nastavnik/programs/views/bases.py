"""The bases of mentors and mentees of a program."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nastavnik.people.picker import choices_response
from nastavnik.programs import bulk, services
from nastavnik.programs.forms import (
    EnrolmentAddForm,
    EnrolmentForm,
)
from nastavnik.programs.models import (
    EnrolmentRole,
    EnrolmentStatus,
)
from nastavnik.programs.selectors import (
    enrolment_base,
    enrolment_candidates,
    enrolment_get,
    staff_program_get,
    variants_for,
)
from nastavnik.programs.views.common import curator_only, errors, is_curator


@login_required
@require_GET
def base_choices(request: HttpRequest, program_id: int) -> HttpResponse:
    """The options of the person picker of a base: ``?role=mentor|mentee&q=…`` (the curator)."""
    program = staff_program_get(user=request.user, program_id=program_id)
    curator_only(request, program.organization_id)
    role = request.GET.get("role", "")
    if role not in EnrolmentRole.values:
        raise Http404
    found = enrolment_candidates(
        user=request.user, program=program, role=role, query=request.GET.get("q", "")
    )
    return choices_response(request, found)


@login_required
@require_http_methods(["GET", "POST"])
def program_base(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    variants = variants_for(form=program.form, organization_id=program.organization_id)
    add_forms = {
        role: EnrolmentAddForm(
            request.POST if request.POST.get("role") == role else None,
            people=enrolment_candidates(user=request.user, program=program, role=role),
            variants=variants,
            role=role,
        )
        for role in EnrolmentRole.values
    }
    if request.method == "POST" and "approve" in request.POST:
        # «Approve all candidates» of one base.
        role = request.POST["approve"]
        if role not in EnrolmentRole.values:
            raise Http404
        count = bulk.enrolments_approve(actor=request.user, program=program, role=role)
        messages.success(
            request,
            ngettext(
                "%(count)s candidacy has been approved.",
                "%(count)s candidacies have been approved.",
                count,
            )
            % {"count": count},
        )
        return redirect("programs:base", program_id=program.pk)
    if request.method == "POST":
        role = request.POST.get("role", "")
        form = add_forms.get(role)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.enrolment_upsert(
                    actor=request.user,
                    program=program,
                    person=form.cleaned_data["person"],
                    role=role,
                    variant=form.cleaned_data["variant"],
                    capacity=form.cleaned_data.get("capacity"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The person has been added to the base."))
                return redirect("programs:base", program_id=program.pk)
    mentors = list(enrolment_base(user=request.user, program=program, role="mentor"))
    mentees = list(enrolment_base(user=request.user, program=program, role="mentee"))
    return render(
        request,
        "programs/bases.html",
        {
            "program": program,
            "mentors": mentors,
            "mentees": mentees,
            "mentor_candidates": sum(e.status == EnrolmentStatus.CANDIDATE for e in mentors),
            "mentee_candidates": sum(e.status == EnrolmentStatus.CANDIDATE for e in mentees),
            "mentor_form": add_forms[EnrolmentRole.MENTOR],
            "mentee_form": add_forms[EnrolmentRole.MENTEE],
            "is_curator": is_curator(request, program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_edit(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = enrolment_get(user=request.user, enrolment_id=enrolment_id)
    program = enrolment.program
    curator_only(request, program.organization_id)
    # The form works on a copy: the service compares the submitted data with the stored record.
    form = EnrolmentForm(
        request.POST or None,
        instance=copy.copy(enrolment),
        variants=variants_for(form=program.form, organization_id=program.organization_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_update(
                actor=request.user, enrolment=enrolment, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("programs:base", program_id=program.pk)
    return render(request, "programs/enrolment_form.html", {"form": form, "enrolment": enrolment})


@login_required
@require_POST
def enrolment_trained(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = enrolment_get(user=request.user, enrolment_id=enrolment_id)
    try:
        services.enrolment_mark_trained(
            actor=request.user, enrolment=enrolment, trained=request.POST.get("trained") == "1"
        )
    except ValidationError as exc:
        for message in errors(exc):
            messages.error(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "programs/_enrolment_row.html", {"e": enrolment, "is_curator": True})
    return redirect("programs:base", program_id=enrolment.program_id)
