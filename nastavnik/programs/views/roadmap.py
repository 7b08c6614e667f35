"""The roadmap of a program: the items, the spreadsheet and the calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nastavnik.programs import services
from nastavnik.programs.calendar import roadmap_ics
from nastavnik.programs.exports import XLSX_CONTENT_TYPE, roadmap_workbook
from nastavnik.programs.forms import (
    RoadmapItemForm,
)
from nastavnik.programs.selectors import (
    roadmap_item_get,
    roadmap_list,
    roadmap_overdue,
    staff_program_get,
)
from nastavnik.programs.views.common import curator_only, is_curator


@login_required
@require_http_methods(["GET", "POST"])
def roadmap(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    form = RoadmapItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.program = program
        try:
            services.roadmap_item_save(actor=request.user, item=item)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The item has been added to the roadmap."))
            return redirect("programs:roadmap", program_id=program.pk)
    today = timezone.localdate()
    return render(
        request,
        "programs/roadmap.html",
        {
            "program": program,
            "items": roadmap_list(program=program),
            "overdue": roadmap_overdue(program=program, today=today),
            "today": today,
            "form": form,
            "is_curator": is_curator(request, program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_item_edit(request: HttpRequest, roadmap_item_id: int) -> HttpResponse:
    item = roadmap_item_get(user=request.user, roadmap_item_id=roadmap_item_id)
    curator_only(request, item.program.organization_id)
    if request.method == "POST" and request.POST.get("delete") == "1":
        services.roadmap_item_delete(actor=request.user, item=item)
        messages.success(request, _("The item has been deleted."))
        return redirect("programs:roadmap", program_id=item.program_id)
    form = RoadmapItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_item_save(actor=request.user, item=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("programs:roadmap", program_id=item.program_id)
    return render(
        request,
        "programs/part_form.html",
        {"form": form, "program": item.program, "title": _("Roadmap item"), "deletable": True},
    )


@login_required
def roadmap_export(request: HttpRequest, program_id: int) -> HttpResponse:
    """The roadmap as a spreadsheet (.xlsx)."""
    program = staff_program_get(user=request.user, program_id=program_id)
    response = HttpResponse(roadmap_workbook(program=program), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="roadmap-{program.pk}.xlsx"'
    return response


@login_required
def roadmap_calendar(request: HttpRequest, program_id: int) -> HttpResponse:
    """The roadmap as a calendar (.ics) to import into a phone or a mail client."""
    program = staff_program_get(user=request.user, program_id=program_id)
    response = HttpResponse(
        roadmap_ics(program=program, host=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="roadmap-{program.pk}.ics"'
    return response
