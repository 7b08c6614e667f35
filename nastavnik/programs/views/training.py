"""The mentors' training: the sessions and the attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nastavnik.programs import services
from nastavnik.programs.forms import (
    AttendanceForm,
    TrainingSessionForm,
)
from nastavnik.programs.selectors import (
    enrolment_base,
    staff_program_get,
    training_session_get,
)
from nastavnik.programs.views.common import curator_only, is_curator


@login_required
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    form = TrainingSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.program = program
        services.training_session_save(actor=request.user, session=session)
        messages.success(request, _("The session has been added to the training plan."))
        return redirect("programs:training", program_id=program.pk)
    mentors = enrolment_base(user=request.user, program=program, role="mentor")
    sessions = program.training_sessions.prefetch_related("attendees__person")
    return render(
        request,
        "programs/training.html",
        {
            "program": program,
            "sessions": sessions,
            "mentors": mentors,
            "form": form,
            "is_curator": is_curator(request, program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_session(request: HttpRequest, training_session_id: int) -> HttpResponse:
    session = training_session_get(user=request.user, training_session_id=training_session_id)
    program = session.program
    mentors = enrolment_base(user=request.user, program=program, role="mentor")
    form = AttendanceForm(
        request.POST or None,
        mentors=mentors,
        initial={"attended": list(session.attendees.all())},
    )
    if request.method == "POST":
        curator_only(request, program.organization_id)
        if form.is_valid():
            services.training_attendance_set(
                actor=request.user,
                session=session,
                enrolments=list(form.cleaned_data["attended"]),
                mark_trained=form.cleaned_data["mark_trained"],
            )
            messages.success(request, _("The attendance has been saved."))
            return redirect("programs:training", program_id=program.pk)
    return render(
        request,
        "programs/training_session.html",
        {
            "session": session,
            "program": program,
            "form": form,
            "mentors": mentors,
            "attendees": list(session.attendees.select_related("person")),
            "is_curator": is_curator(request, program.organization_id),
        },
    )
