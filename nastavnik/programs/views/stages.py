"""The seven stages of a program and their checklists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.programs import services
from nastavnik.programs.forms import (
    StageTaskAddForm,
)
from nastavnik.programs.models import (
    Stage,
)
from nastavnik.programs.selectors import (
    staff_program_get,
    stage_overview,
    stage_task_get,
)
from nastavnik.programs.stages import reading_once, warnings_for_entering
from nastavnik.programs.views.common import errors, is_curator


@login_required
def program_stages(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    services.checklist_ensure(program=program)
    next_stage = program.stage + 1 if program.stage < Stage.COMPLETION else None
    with reading_once():  # the checklists and the warnings share the program's data checks
        stages = stage_overview(program=program)
        warnings = warnings_for_entering(program, next_stage) if next_stage else []
    return render(
        request,
        "programs/stages.html",
        {
            "program": program,
            "stages": stages,
            "next_stage": Stage(next_stage).label if next_stage else None,
            "warnings": warnings,
            "add_form": StageTaskAddForm(initial={"stage": program.stage}),
            "is_curator": is_curator(request, program.organization_id),
        },
    )


@login_required
@require_POST
def program_stage_advance(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    try:
        warnings = services.program_stage_advance(
            actor=request.user, program=program, confirm=request.POST.get("confirm") == "1"
        )
    except services.StageWarnings as exc:
        for warning in exc.warnings:
            messages.warning(request, warning)
        messages.error(
            request,
            _("The program has not moved on: something is missing. Finish it or go on anyway."),
        )
    except ValidationError as exc:
        for message in errors(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The program is now at the stage «%(stage)s».")
            % {"stage": program.get_stage_display()},
        )
        if warnings:
            messages.warning(
                request,
                _("Moved on with %(count)s unfinished items.") % {"count": len(warnings)},
            )
    return redirect("programs:stages", program_id=program.pk)


@login_required
@require_POST
def program_stage_back(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    try:
        services.program_stage_back(actor=request.user, program=program)
    except ValidationError as exc:
        for message in errors(exc):
            messages.error(request, message)
    return redirect("programs:stages", program_id=program.pk)


@login_required
@require_POST
def stage_task_toggle(request: HttpRequest, stage_task_id: int) -> HttpResponse:
    task = stage_task_get(user=request.user, stage_task_id=stage_task_id)
    services.stage_task_set_done(
        actor=request.user,
        task=task,
        done=request.POST.get("done") == "1",
        note=request.POST.get("note", "")[:500],
    )
    return redirect(
        f"{reverse('programs:stages', kwargs={'program_id': task.program_id})}#stage-{task.stage}"
    )


@login_required
@require_POST
def stage_task_add(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    form = StageTaskAddForm(request.POST)
    if form.is_valid():
        services.stage_task_add(actor=request.user, program=program, **form.cleaned_data)
        messages.success(request, _("The item has been added."))
    else:
        messages.error(request, _("Enter a title."))
    return redirect("programs:stages", program_id=program.pk)
