"""Pages of methodological events: the calendar (with every registered calendar source), an
event's page (registration, materials, attendance, feedback, results), the new event form, the
forms' catalogue, the planning from shared deficits, a festival's page and outside contests.

An event's pages are shown in its organization's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.core.calendar import calendar_items
from nastavnik.events import ical, planning, selectors, services
from nastavnik.events.catalogue import BY_CODE, FESTIVAL, FORMS
from nastavnik.events.forms import (
    ContestResultForm,
    EntryForm,
    EventForm,
    FeedbackForm,
    JuryForm,
    MaterialForm,
    NominationForm,
    ScoreForm,
)
from nastavnik.events.models import Event
from nastavnik.mentorships.models import Mentorship
from nastavnik.organizations.selectors import organization_list, staff_organization_list
from nastavnik.programs.selectors import staff_program_list


def _tz(event: Event) -> Any:
    return timezone.override(event.organization.time_zone or None)


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _refusal(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


def _detail(event: Event) -> HttpResponse:
    return redirect("events:detail", event_id=event.pk)


def _pair_label(m: Mentorship) -> str:
    return _("Pair No. %(number)s, %(program)s") % {"number": m.number, "program": m.program}


def _home_zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    org = organization_list(user=request.user).order_by("id").first()
    return zoneinfo.ZoneInfo(org.time_zone if org and org.time_zone else "Europe/Moscow")


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """A month of the calendar: events and every other registered source's items."""
    tz = _home_zone(request)
    today = timezone.localtime(timezone.now(), tz).date()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(following, dt.time(), tzinfo=tz)
    days: dict[dt.date, list[Any]] = defaultdict(list)
    for item in calendar_items(request.user, start, end):
        days[item.start.astimezone(tz).date()].append(
            {"item": item, "time": item.start.astimezone(tz).strftime("%H:%M")}
        )
    access = access_for(request.user)
    return render(
        request,
        "events/calendar.html",
        {
            "month": first,
            "days": sorted(days.items()),
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "is_curator": access.is_admin
            or any(access.is_curator_of(org) for org in access.member_org_ids),
            "is_staff": access.is_admin or bool(access.staff_org_ids),
        },
    )


@login_required
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """The events the user sees, from 90 days ago on, as one .ics file."""
    since = timezone.now() - dt.timedelta(days=90)
    events = selectors.visible_events(user=request.user).filter(starts_at__gte=since)
    body = ical.calendar(
        events,
        page_url=lambda e: request.build_absolute_uri(
            reverse("events:detail", kwargs={"event_id": e.pk})
        ),
        name=_("Methodological events"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="events.ics"'
    return response


@login_required
def forms_catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "events/forms.html", {"forms": FORMS})


def _curator_orgs(request: HttpRequest) -> list[Any]:
    access = access_for(request.user)
    return [
        org
        for org in staff_organization_list(user=request.user).order_by("short_name")
        if access.is_curator_of(org.pk)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    orgs = _curator_orgs(request)
    if not orgs:
        raise PermissionDenied(_("Only a curator of the organization may do this."))
    by_id = {org.pk: org for org in orgs}
    chosen_id = request.POST.get("organization") or request.GET.get("organization") or orgs[0].pk
    try:
        org = by_id[int(chosen_id)]
    except (KeyError, ValueError):
        org = orgs[0]
    programs = [
        (p.pk, p.title)
        for p in staff_program_list(user=request.user).filter(organization_id=org.pk)
    ]
    deficits = selectors.competency_choices()
    kwargs: dict[str, Any] = {
        "organizations": [(o.pk, o.short_name) for o in orgs],
        "programs": programs,
        "deficits": deficits,
    }
    with timezone.override(org.time_zone or None):
        if request.method == "POST":
            form = EventForm(request.POST, **kwargs)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    event = services.event_create(
                        actor=request.user,
                        organization_id=org.pk,
                        form=data["form"],
                        title=data["title"],
                        starts_at=data["starts_at"],
                        duration_minutes=data["duration_minutes"],
                        place=data["place"],
                        link=data["link"],
                        seat_limit=data["seat_limit"],
                        program_id=data["program"],
                        deficit_id=data["deficit"],
                        agenda=data["agenda"] or None,
                        description=data["description"],
                        open_to_municipality=data["open_to_municipality"],
                        score_max=data["score_max"] or 10,
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    messages.success(request, _("The event is planned."))
                    return _detail(event)
        else:
            code = request.GET.get("form", "")
            template = BY_CODE.get(code)
            initial: dict[str, Any] = {"organization": org.pk}
            if template is not None:
                initial.update(form=code, title=template.name, agenda=template.agenda)
            deficit = request.GET.get("deficit", "")
            if deficit.isdigit() and int(deficit) in dict(deficits):
                initial["deficit"] = int(deficit)
                if template is not None:
                    initial["title"] = f"{template.name}: {dict(deficits)[int(deficit)]}"
            form = EventForm(initial=initial, **kwargs)
        return render(request, "events/event_form.html", {"form": form, "forms": FORMS})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    """The curator edits a planned event (the organization stays)."""
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    if not access_for(request.user).is_curator_of(event.organization_id):
        raise PermissionDenied(_("Only a curator of the organization may do this."))
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be edited."))
        return _detail(event)
    kwargs: dict[str, Any] = {
        "organizations": [(event.organization_id, event.organization.short_name)],
        "programs": [
            (p.pk, p.title)
            for p in staff_program_list(user=request.user).filter(
                organization_id=event.organization_id
            )
        ],
        "deficits": selectors.competency_choices(),
    }
    with _tz(event):
        if request.method == "POST":
            form = EventForm(request.POST, **kwargs)
            del form.fields["organization"]
            if form.is_valid():
                data = form.cleaned_data
                # The form shows minutes: the same minute is the same moment (seconds kept).
                starts_at = data["starts_at"]
                if starts_at == event.starts_at.replace(second=0, microsecond=0):
                    starts_at = event.starts_at
                try:
                    services.event_update(
                        actor=request.user,
                        event=event,
                        form=data["form"],
                        title=data["title"],
                        starts_at=starts_at,
                        duration_minutes=data["duration_minutes"] or event.duration_minutes,
                        place=data["place"],
                        link=data["link"],
                        seat_limit=data["seat_limit"],
                        program_id=data["program"],
                        deficit_id=data["deficit"],
                        agenda=data["agenda"],
                        description=data["description"],
                        open_to_municipality=data["open_to_municipality"],
                        score_max=data["score_max"] or event.score_max,
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    messages.success(request, _("The event is saved."))
                    return _detail(event)
        else:
            form = EventForm(
                initial={
                    "form": event.form,
                    "title": event.title,
                    "starts_at": timezone.localtime(event.starts_at),
                    "duration_minutes": event.duration_minutes,
                    "place": event.place,
                    "link": event.link,
                    "seat_limit": event.seat_limit,
                    "program": event.program_id,
                    "deficit": event.deficit_id,
                    "description": event.description,
                    "agenda": event.agenda,
                    "open_to_municipality": event.open_to_municipality,
                    "score_max": event.score_max,
                },
                **kwargs,
            )
            del form.fields["organization"]
        form.fields["duration_minutes"].help_text = ""
        form.fields["agenda"].help_text = ""
        return render(
            request, "events/event_form.html", {"form": form, "forms": FORMS, "event": event}
        )


@login_required
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    access = access_for(request.user)
    is_staff = access.is_staff_of(event.organization_id)
    is_curator = access.is_curator_of(event.organization_id)
    now = timezone.now()
    mine = selectors.my_registration(user=request.user, event=event)
    context: dict[str, Any] = {
        "event": event,
        "form_info": BY_CODE[event.form],
        "taken": selectors.active_count(event),
        "mine": mine if mine and mine.is_active else None,
        "started": event.starts_at <= now,
        "materials": selectors.materials(user=request.user, event=event),
        "is_staff": is_staff,
        "is_curator": is_curator,
        "material_form": MaterialForm() if is_curator else None,
        "my_feedback": selectors.my_feedback(user=request.user, event=event),
        "juror": selectors.juror_of(user=request.user, event=event),
    }
    if is_staff:
        context["registrations"] = selectors.registrations(user=request.user, event=event)
        context["feedback"] = selectors.feedback_summary(user=request.user, event=event)
    with _tz(event):
        return render(request, "events/detail.html", context)


@login_required
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    body = ical.calendar(
        [event],
        page_url=lambda e: request.build_absolute_uri(
            reverse("events:detail", kwargs={"event_id": e.pk})
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
@require_POST
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    try:
        services.registration_create(actor=request.user, event=event)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("You are registered."))
    return _detail(event)


@login_required
@require_POST
def unregister(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    try:
        services.registration_cancel(actor=request.user, event=event)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return _detail(event)


@login_required
@require_POST
def cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    try:
        services.event_cancel(actor=request.user, event=event)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The event is cancelled."))
    return _detail(event)


@login_required
@require_POST
def attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    try:
        present = [int(v) for v in request.POST.getlist("present")]
        count = services.attendance_mark(actor=request.user, event=event, attended_user_ids=present)
    except ValueError:
        messages.error(request, _("The list of participants is not valid."))
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Attendance saved: %(count)d present.") % {"count": count})
    return _detail(event)


@login_required
@require_POST
def material_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _detail(event)
    try:
        services.material_add(
            actor=request.user,
            event=event,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["attachment"],
            link=form.cleaned_data["link"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The material is added."))
    return _detail(event)


@login_required
def material_download(request: HttpRequest, material_id: int) -> HttpResponse:
    material = selectors.material_get(user=request.user, material_id=material_id)
    if not material.file:
        raise Http404(_("Not found."))
    # Materials are small (the attachments' limit): read whole, as a plain response.
    with material.file.open("rb") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type=material.file_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, material.file_name) or ""
    return response


def _confirm_removal(
    request: HttpRequest,
    *,
    event: Event,
    question: str,
    back: str,
    remove: Callable[[], None],
    done: str,
) -> HttpResponse:
    """GET: the confirmation page; POST: ``remove()``, a message, back to ``back``."""
    if request.method == "POST":
        try:
            remove()
        except PermissionDenied as exc:
            _refusal(request, exc)
        else:
            messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "events/confirm_delete.html",
        {"event": event, "question": question, "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_delete(request: HttpRequest, material_id: int) -> HttpResponse:
    """A confirmation page; the material goes on POST (the event's curator)."""
    material = selectors.staff_material_get(user=request.user, material_id=material_id)
    return _confirm_removal(
        request,
        event=material.event,
        question=_("Remove the material «%(title)s» of the event?") % {"title": material.title},
        back=reverse("events:detail", kwargs={"event_id": material.event_id}),
        remove=lambda: services.material_delete(actor=request.user, material=material),
        done=_("The material is removed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, event_id=event_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_leave(
                actor=request.user,
                event=event,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
            )
        except PermissionDenied as exc:
            _refusal(request, exc)
            return _detail(event)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return _detail(event)
    with _tz(event):
        return render(request, "events/feedback.html", {"event": event, "form": form})


# --- festivals -----------------------------------------------------------------------------


@login_required
def festival(request: HttpRequest, event_id: int) -> HttpResponse:
    """The festival's nominations, jury and results (staff); a juror's score sheet."""
    event = selectors.event_get(user=request.user, event_id=event_id)
    access = access_for(request.user)
    is_staff = access.is_staff_of(event.organization_id)
    juror = selectors.juror_of(user=request.user, event=event)
    if event.form != FESTIVAL or not (is_staff or juror):
        raise Http404(_("Not found."))
    nominations = selectors.nominations(event=event)
    context: dict[str, Any] = {
        "event": event,
        "nominations": nominations,
        "juror": juror,
        "my_scores": selectors.my_scores(juror=juror) if juror else {},
        "is_staff": is_staff,
        "is_curator": access.is_curator_of(event.organization_id),
    }
    if is_staff:
        context["jury"] = selectors.jury(event=event)
        context["results"] = selectors.festival_results(user=request.user, event=event)
        context["nomination_form"] = NominationForm()
        context["jury_form"] = JuryForm(
            candidates=[
                (u.pk, u.get_full_name())
                for u in selectors.jury_candidates(user=request.user, event=event)
            ]
        )
        context["entry_form"] = EntryForm(
            nominations=[(n.pk, n.name) for n in nominations],
            mentorships=[
                (m.pk, _pair_label(m))
                for m in selectors.entry_candidates(user=request.user, event=event)
            ],
        )
    with _tz(event):
        return render(request, "events/festival.html", context)


def _festival_redirect(event: Event) -> HttpResponse:
    return redirect("events:festival", event_id=event.pk)


@login_required
@require_POST
def nomination_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    form = NominationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Name the nomination."))
        services.nomination_add(actor=request.user, event=event, name=form.cleaned_data["name"])
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return _festival_redirect(event)


@login_required
@require_POST
def jury_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    candidates = selectors.jury_candidates(user=request.user, event=event)
    form = JuryForm(request.POST, candidates=[(u.pk, str(u)) for u in candidates])
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a juror from the list."))
        services.jury_add(actor=request.user, event=event, user_id=form.cleaned_data["user"])
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return _festival_redirect(event)


@login_required
@require_POST
def entry_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.staff_event_get(user=request.user, event_id=event_id)
    nominations = {n.pk: n for n in selectors.nominations(event=event)}
    form = EntryForm(
        request.POST,
        nominations=[(pk, n.name) for pk, n in nominations.items()],
        mentorships=[
            (m.pk, str(m.pk)) for m in selectors.entry_candidates(user=request.user, event=event)
        ],
    )
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a nomination and a pair from the lists."))
        services.entry_add(
            actor=request.user,
            nomination=nominations[form.cleaned_data["nomination"]],
            mentorship_id=form.cleaned_data["mentorship"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return _festival_redirect(event)


@login_required
@require_POST
def score(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, entry_id=entry_id)
    event = entry.nomination.event
    if selectors.juror_of(user=request.user, event=event) is None:
        raise Http404(_("Not found."))
    form = ScoreForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                _("The score must be from %(low)d to %(high)d.")
                % {"low": 1, "high": event.score_max}
            )
        services.score_set(actor=request.user, entry=entry, value=form.cleaned_data["value"])
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The score is saved."))
    return _festival_redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A confirmation page; the entry and its scores go on POST (the festival's curator)."""
    entry = selectors.staff_entry_get(user=request.user, entry_id=entry_id)
    event = entry.nomination.event
    return _confirm_removal(
        request,
        event=event,
        question=_(
            "Withdraw %(pair)s from the nomination «%(nomination)s»? Its jury scores go too."
        )
        % {"pair": _pair_label(entry.mentorship), "nomination": entry.nomination.name},
        back=reverse("events:festival", kwargs={"event_id": event.pk}),
        remove=lambda: services.entry_delete(actor=request.user, entry=entry),
        done=_("The entry is withdrawn from the nomination."),
    )


# --- planning and contests ---------------------------------------------------------------


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The year's methodological work from the teachers' shared deficits (staff)."""
    orgs = list(staff_organization_list(user=request.user).order_by("short_name"))
    if not orgs:
        raise PermissionDenied(_("Only the staff of the organization may do this."))
    chosen = request.GET.get("organization", "")
    org = next((o for o in orgs if str(o.pk) == chosen), orgs[0])
    deficits = planning.shared_deficits(user=request.user, organization_id=org.pk)
    return render(
        request,
        "events/planning.html",
        {
            "organization": org,
            "organizations": orgs,
            "deficits": deficits,
            "can_plan": access_for(request.user).is_curator_of(org.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contests(request: HttpRequest) -> HttpResponse:
    """Pairs' places in outside contests (staff read, curators record)."""
    access = access_for(request.user)
    if not (access.is_admin or access.staff_org_ids):
        raise PermissionDenied(_("Only the staff of the organization may do this."))
    pairs = {m.pk: m for m in selectors.contest_mentorships(user=request.user)}
    form = ContestResultForm(
        request.POST or None,
        mentorships=[(pk, _pair_label(m)) for pk, m in pairs.items()],
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_result_add(
                actor=request.user,
                mentorship=pairs[form.cleaned_data["mentorship"]],
                contest=form.cleaned_data["contest"],
                year=form.cleaned_data["year"],
                result=form.cleaned_data["result"],
            )
        except PermissionDenied as exc:
            _refusal(request, exc)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The result is recorded."))
            return redirect("events:contests")
    return render(
        request,
        "events/contests.html",
        {"form": form, "results": selectors.contest_results(user=request.user)},
    )
