"""The contours of a program (internal and external tasks) and its partners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nastavnik.programs import services
from nastavnik.programs.forms import (
    ContourTaskForm,
    PartnerForm,
)
from nastavnik.programs.models import (
    EXTERNAL_AREAS,
    INTERNAL_AREAS,
    ContourTask,
    TaskStatus,
)
from nastavnik.programs.selectors import (
    contour_task_get,
    partner_get,
    staff_program_get,
)
from nastavnik.programs.views.common import curator_only, is_curator


@login_required
@require_http_methods(["GET", "POST"])
def contours(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    which = request.POST.get("what")
    task_form = ContourTaskForm(request.POST if which == "task" else None, prefix="task")
    partner_form = PartnerForm(request.POST if which == "partner" else None, prefix="partner")
    if request.method == "POST":
        form: Any = task_form if which == "task" else partner_form
        if form.is_valid():
            obj = form.save(commit=False)
            obj.program = program
            try:
                if which == "task":
                    services.contour_task_save(actor=request.user, task=obj)
                else:
                    services.partner_save(actor=request.user, partner=obj)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("programs:contours", program_id=program.pk)
    tasks = list(ContourTask.objects.filter(program=program).order_by("due_on", "id"))
    internal = [
        {"area": area, "tasks": [t for t in tasks if t.area == area]} for area in INTERNAL_AREAS
    ]
    external = [
        {"area": area, "tasks": [t for t in tasks if t.area == area]} for area in EXTERNAL_AREAS
    ]
    return render(
        request,
        "programs/contours.html",
        {
            "program": program,
            "internal": internal,
            "external": external,
            "partners": program.partners.all(),
            "task_form": task_form,
            "partner_form": partner_form,
            "statuses": TaskStatus.choices,
            "is_curator": is_curator(request, program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contour_task_edit(request: HttpRequest, contour_task_id: int) -> HttpResponse:
    task = contour_task_get(user=request.user, contour_task_id=contour_task_id)
    curator_only(request, task.program.organization_id)
    form = ContourTaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        services.contour_task_save(actor=request.user, task=form.save(commit=False))
        messages.success(request, _("Changes saved."))
        return redirect("programs:contours", program_id=task.program_id)
    return render(
        request,
        "programs/part_form.html",
        {"form": form, "program": task.program, "title": _("Contour task")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = partner_get(user=request.user, partner_id=partner_id)
    curator_only(request, partner.program.organization_id)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        services.partner_save(actor=request.user, partner=form.save(commit=False))
        messages.success(request, _("Changes saved."))
        return redirect("programs:contours", program_id=partner.program_id)
    return render(
        request,
        "programs/part_form.html",
        {"form": form, "program": partner.program, "title": _("Partner")},
    )
