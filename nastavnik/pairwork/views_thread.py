"""Pages of a pair's thread (messages with files, a problem report) and of the records only
the pair's mentor and a curator keep: progress records and observations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.pairwork import selectors, services, threads
from nastavnik.pairwork.forms import MessageForm, ObservationForm, ProblemForm, ProgressForm
from nastavnik.pairwork.models import Message
from nastavnik.pairwork.views import _errors_to_form, _require_planner, _tz


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    if not threads.thread_access(user=request.user, mentorship=mentorship):
        raise Http404
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            threads.message_post(
                actor=request.user,
                mentorship=mentorship,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied:
            messages.error(request, _("Only the members of the pair write to its thread."))
            return redirect("pairwork:thread", mentorship_id=mentorship.pk)
        else:
            return redirect("pairwork:thread", mentorship_id=mentorship.pk)
    items = threads.thread_messages(user=request.user, mentorship=mentorship)
    with _tz(mentorship):
        return render(
            request,
            "pairwork/thread.html",
            {
                "m": mentorship,
                "items": items,
                "form": form,
                "access": threads.thread_access(user=request.user, mentorship=mentorship),
                "report": threads.open_report(mentorship),
                "problem_form": ProblemForm(),
                "max_mb": threads.max_attachment_bytes() // (1024 * 1024),
            },
        )


@login_required
def attachment(request: HttpRequest, message_id: int) -> FileResponse:
    found = (
        Message.objects.filter(mentorship__in=selectors.pair_queryset(user=request.user))
        .exclude(attachment="")
        .select_related("mentorship")
        .filter(pk=message_id)
        .first()
    )
    if found is None or not threads.thread_access(user=request.user, mentorship=found.mentorship):
        raise Http404
    if threads.thread_access(user=request.user, mentorship=found.mentorship) == "curator":
        # The curator's reading of a pair's file is audited like reading the thread.
        threads.thread_messages(user=request.user, mentorship=found.mentorship)
    return FileResponse(
        found.attachment.open("rb"),
        as_attachment=True,
        filename=found.attachment_name,
        content_type=found.attachment_type or "application/octet-stream",
    )


@login_required
@require_POST
def problem(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    form = ProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the problem."))
        return redirect("pairwork:thread", mentorship_id=mentorship.pk)
    threads.problem_report(
        actor=request.user, mentorship=mentorship, text=form.cleaned_data["text"]
    )
    messages.success(request, _("The curator has been asked to help and may read the thread."))
    return redirect("pairwork:thread", mentorship_id=mentorship.pk)


@login_required
@require_POST
def problem_close(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    threads.problem_close(actor=request.user, mentorship=mentorship)
    messages.success(request, _("The problem is closed: the thread is private again."))
    return redirect("pairwork:pair", mentorship_id=mentorship.pk)


@login_required
@require_POST
def progress_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    _require_planner(request, mentorship)
    form = ProgressForm(request.POST, mentees=mentorship.sides()["mentees"])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                actor=request.user,
                mentorship=mentorship,
                mentee_id=data["mentee"],
                subject=data["subject"],
                level=data["level"],
                mark=data["mark"],
                recorded_on=data["recorded_on"],
                source=data["source"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The progress record has been saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("pairwork:pair", mentorship_id=mentorship.pk)


@login_required
@require_POST
def observation_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    _require_planner(request, mentorship)
    form = ObservationForm(request.POST, mentees=mentorship.sides()["mentees"])
    if form.is_valid():
        services.observation_add(
            actor=request.user,
            mentorship=mentorship,
            mentee_id=form.cleaned_data["mentee"],
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("The observation has been saved."))
    else:
        messages.error(request, _("Choose the mentee and write the observation."))
    return redirect("pairwork:pair", mentorship_id=mentorship.pk)
