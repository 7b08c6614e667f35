"""Pages of a pair's work, phone first: «my pairs», a pair's page (plan, meetings, progress),
logging a meeting, a meeting's page (reflection), the curator's «needs attention», calendars.

Pages of one pair are shown in its organization's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.accounts.models import Role
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.selectors import staff_program_get
from nastavnik.pairwork import ical, selectors, services, threads
from nastavnik.pairwork.forms import (
    GoalForm,
    MeetingForm,
    ObservationForm,
    ProgressForm,
    ReflectionForm,
    TaskForm,
    ThresholdsForm,
)
from nastavnik.pairwork.models import Goal, Meeting, MeetingStatus
from nastavnik.pairwork.views_peer import peer_tasks_for_page
from nastavnik.pairwork.warnings import warnings_for
from nastavnik.programs.selectors import my_tandems


def _tz(mentorship: Mentorship) -> Any:
    return timezone.override(mentorship.organization.time_zone or None)


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def start(request: HttpRequest) -> HttpResponse | None:
    """The start page (core.navigation): a curator or a head starts at «Требует внимания» (the
    warnings and the programs by stage), a mentor or a mentee at «Мои пары»; administrators and
    coordinators (aggregates only) go on to the next answer."""
    access = access_for(request.user)
    if access.is_admin or access.is_coordinator:
        return None
    if access.staff_org_ids:
        return redirect("pairwork:attention")
    if {Role.MENTOR, Role.MENTEE} & access.roles:
        return redirect("pairwork:home")
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """«My pairs»: each pair with its next meeting, tasks due this week and its warnings."""
    pairs = selectors.my_pairs(user=request.user)
    ids = [m.pk for m in pairs]
    nexts = selectors.next_meetings(mentorship_ids=ids)
    due = selectors.tasks_due(mentorship_ids=ids, until=timezone.localdate() + dt.timedelta(days=7))
    user_id = access_for(request.user).user_id
    items: list[dict[str, Any]] = []
    mentor_of: list[Mentorship] = []
    for m in pairs:
        sides = m.sides()
        as_mentor = any(p.user_id == user_id for p in sides["mentors"])
        if as_mentor:
            mentor_of.append(m)
        items.append(
            {
                "m": m,
                "as_mentor": as_mentor,
                "others": sides["mentees"] if as_mentor else sides["mentors"],
                "next": nexts.get(m.pk),
                "due": [t for t in due if t.mentorship_id == m.pk],
            }
        )
    warnings = warnings_for(mentor_of)
    unread = threads.unread_counts(user=request.user, mentorship_ids=ids)
    for item in items:
        item["unread"] = unread.get(item["m"].pk, 0)
        item["warnings"] = [w for w in warnings if w.mentorship.pk == item["m"].pk]
    return render(
        request,
        "pairwork/home.html",
        {
            "items": items,
            "feed": selectors.feed_of(user=request.user),
            "tandems": my_tandems(user=request.user),
        },
    )


@login_required
def pair(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    role = selectors.role_in(user=request.user, mentorship=mentorship)
    goals = selectors.plan(mentorship=mentorship)
    meetings = selectors.meetings(mentorship=mentorship)
    held = sum(m.status == MeetingStatus.HELD for m in meetings)
    mentees = mentorship.sides()["mentees"]
    with _tz(mentorship):
        return render(
            request,
            "pairwork/pair.html",
            {
                "m": mentorship,
                **mentorship.sides(),
                "role": role,
                "goals": goals,
                "meetings": meetings,
                "progress": selectors.progress(goals=goals, meetings_held=held),
                "warnings": warnings_for([mentorship]) if role.can_plan or role.is_staff else [],
                "goal_form": GoalForm(),
                "task_form": TaskForm(goals=goals, group=len(mentees) > 1),
                "peer_tasks": peer_tasks_for_page(request, mentorship, role),
                "progress_records": selectors.progress_history(mentorship=mentorship),
                "progress_form": ProgressForm(
                    mentees=mentees, initial={"recorded_on": timezone.localdate()}
                ),
                "observations": selectors.observations(user=request.user, mentorship=mentorship),
                "observation_form": ObservationForm(mentees=mentees),
                "thread_access": threads.thread_access(user=request.user, mentorship=mentorship),
                "unread": threads.unread_counts(
                    user=request.user, mentorship_ids=[mentorship.pk]
                ).get(mentorship.pk, 0),
                "open_report": threads.open_report(mentorship),
                "is_working": mentorship.status in selectors.WORKING_STATUSES,
            },
        )


def _require_planner(request: HttpRequest, mentorship: Mentorship) -> None:
    if not selectors.role_in(user=request.user, mentorship=mentorship).can_plan:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """Log a meeting that took place (the default: one tap from «my pairs») or plan one."""
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    _require_planner(request, mentorship)
    people = [*mentorship.sides()["mentors"], *mentorship.sides()["mentees"]]
    with _tz(mentorship):
        plan_mode = request.GET.get("plan") == "1"
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {
            "held": not plan_mode,
            "starts_at": now if not plan_mode else now + dt.timedelta(days=1),
            "present": [str(p.pk) for p in people],
        }
        form = MeetingForm(request.POST or None, initial=initial, people=people)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_create(
                    actor=request.user,
                    mentorship=mentorship,
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    format=data["format"],
                    place=data["place"],
                    link=data["link"],
                    topic=data["topic"],
                    agenda=data["agenda"],
                    notes=data["notes"],
                    private_notes=data["private_notes"],
                    held=data["held"],
                    present_person_ids=[int(i) for i in data["present"]],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("The meeting has been logged.")
                    if data["held"]
                    else _("The meeting has been planned."),
                )
                return redirect("pairwork:pair", mentorship_id=mentorship.pk)
        return render(
            request,
            "pairwork/meeting_form.html",
            {"m": mentorship, "form": form, "plan_mode": plan_mode},
        )


@login_required
@require_POST
def goal_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    _require_planner(request, mentorship)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_create(actor=request.user, mentorship=mentorship, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The goal has been added."))
    else:
        messages.error(request, _("Fill in the goal."))
    return redirect("pairwork:pair", mentorship_id=mentorship.pk)


@login_required
@require_POST
def task_new(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    _require_planner(request, mentorship)
    form = TaskForm(request.POST, goals=selectors.plan(mentorship=mentorship))
    if form.is_valid():
        goal: Goal | None = form.cleaned_data["goal"]
        try:
            services.task_create(
                actor=request.user,
                mentorship=mentorship,
                goal=goal,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                peer_review=bool(form.cleaned_data.get("peer_review")),
                rubric=form.cleaned_data.get("rubric") or "",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The task has been added."))
    else:
        messages.error(request, _("Fill in the task and choose its goal."))
    return redirect("pairwork:pair", mentorship_id=mentorship.pk)


@login_required
@require_POST
def plan_template(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    _require_planner(request, mentorship)
    try:
        services.plan_from_template(actor=request.user, mentorship=mentorship)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The plan has been filled from the template. Adjust it to the mentee.")
        )
    return redirect("pairwork:pair", mentorship_id=mentorship.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, task_id=task_id)
    _require_planner(request, task.mentorship)
    services.task_set_done(actor=request.user, task=task, done=request.POST.get("done") != "0")
    return redirect(reverse("pairwork:pair", args=[task.mentorship_id]) + f"#task-{task.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting: its notes, attendance and reflections; a mentee of the pair writes one."""
    item = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    mentorship = selectors.pair_get(user=request.user, mentorship_id=item.mentorship_id)
    role = selectors.role_in(user=request.user, mentorship=mentorship)
    mine = next(
        (
            r
            for r in item.reflections.select_related("author")
            if r.author.user_id == access_for(request.user).user_id
        ),
        None,
    )
    form = ReflectionForm(
        request.POST or None,
        initial={"learned": mine.learned, "hard": mine.hard} if mine else None,
    )
    if request.method == "POST":
        if not role.is_mentee:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reflection_write(actor=request.user, meeting=item, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Your reflection has been saved."))
                return redirect("pairwork:meeting", meeting_id=item.pk)
    with _tz(mentorship):
        return render(
            request,
            "pairwork/meeting.html",
            {
                "m": mentorship,
                "meeting": item,
                "role": role,
                "attendance": item.attendance.select_related("person").order_by(
                    "person__last_name"
                ),
                "reflections": item.reflections.select_related("author"),
                "form": form,
                "ticked": selectors.tasks_ticked_by(meeting=item),
                "can_cancel": role.can_plan
                and item.status in (MeetingStatus.PLANNED, MeetingStatus.HELD),
                "can_mark_held": role.can_plan
                and item.status == MeetingStatus.PLANNED
                and item.starts_at <= timezone.now(),
            },
        )


@login_required
@require_POST
def meeting_held(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    mentorship = selectors.pair_get(user=request.user, mentorship_id=item.mentorship_id)
    _require_planner(request, mentorship)
    try:
        services.meeting_mark_held(
            actor=request.user,
            meeting=item,
            notes=request.POST.get("notes", ""),
            present_person_ids=[int(i) for i in request.POST.getlist("present") if i.isdigit()],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The meeting is marked as held."))
    return redirect("pairwork:meeting", meeting_id=item.pk)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    _require_planner(request, item.mentorship)
    try:
        services.meeting_cancel(actor=request.user, meeting=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The meeting has been cancelled."))
    return redirect("pairwork:pair", mentorship_id=item.mentorship_id)


def _page_url(request: HttpRequest) -> Any:
    return lambda m: request.build_absolute_uri(reverse("pairwork:meeting", args=[m.pk]))


@login_required
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    body = ical.calendar([item], page_url=_page_url(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{item.pk}.ics"'
    return response


def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The personal calendar feed: anyone with the secret URL reads it, until it is revoked."""
    found = selectors.feed_by_token(token=feed_token)
    if found is None:
        raise Http404
    meetings: list[Meeting] = list(selectors.user_meetings(user=found.user))
    body = ical.calendar(meetings, page_url=_page_url(request), name=_("Mentoring meetings"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_POST
def feed_issue(request: HttpRequest) -> HttpResponse:
    services.feed_issue(actor=request.user)
    messages.success(request, _("Your calendar link is ready. An old link no longer works."))
    return redirect("pairwork:home")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.feed_revoke(actor=request.user)
    messages.success(request, _("Your calendar link has been turned off."))
    return redirect("pairwork:home")


@login_required
@require_POST
def reminders(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    services.reminders_set(actor=request.user, enabled=enabled)
    messages.success(
        request,
        _("Reminders by e-mail are on.") if enabled else _("Reminders by e-mail are off."),
    )
    return redirect("pairwork:home")


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    """The curator's and the head's «needs attention»: warnings of every working pair."""
    access = access_for(request.user)
    if not (access.is_admin or access.staff_org_ids):
        raise PermissionDenied
    pairs = (
        list(
            selectors.pair_queryset(user=request.user)
            .filter(organization_id__in=access.staff_org_ids, status="active")
            .prefetch_related("members__person")
            .order_by("program__title", "id")
        )
        if not access.is_admin
        else list(
            selectors.pair_queryset(user=request.user)
            .filter(status="active")
            .prefetch_related("members__person")
            .order_by("program__title", "id")
        )
    )
    warnings = warnings_for(pairs)
    programs = sorted({m.program for m in pairs}, key=lambda p: (p.title, p.pk))
    rows: dict[int, dict[str, Any]] = {}
    for w in warnings:
        if w.mentorship.pk not in rows:  # a pair's people once, however many its warnings
            rows[w.mentorship.pk] = {"m": w.mentorship, **w.mentorship.sides(), "reasons": []}
        rows[w.mentorship.pk]["reasons"].append(w)
    return render(
        request,
        "pairwork/attention.html",
        {
            "rows": list(rows.values()),
            "pairs_count": len(pairs),
            "programs": programs,
            "by_stage": selectors.programs_by_stage(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def thresholds(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's thresholds of early warnings (the curator edits, the head reads)."""
    program = staff_program_get(user=request.user, program_id=program_id)
    current = selectors.thresholds_of(program=program)
    form = ThresholdsForm(request.POST or None, initial=current)
    can_edit = access_for(request.user).is_curator_of(program.organization_id)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            services.thresholds_set(actor=request.user, program=program, **form.cleaned_data)
            messages.success(request, _("The thresholds have been saved."))
            return redirect("pairwork:attention")
    return render(
        request,
        "pairwork/thresholds.html",
        {"program": program, "form": form, "can_edit": can_edit},
    )
