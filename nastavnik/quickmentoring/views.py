"""Pages of speed mentoring (sessions, a session with its rotation and wishes, the printable
schedule) and flash mentoring (the slots to book — phone first —, a new slot, «my slots»)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.organizations.models import Organization
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs.selectors import program_list
from nastavnik.quickmentoring import pdf, selectors, services
from nastavnik.quickmentoring.forms import (
    BookForm,
    FeedbackForm,
    ParticipantForm,
    SessionForm,
    SlotForm,
    WishForm,
)
from nastavnik.quickmentoring.models import SessionMode, SpeedParticipant, SpeedSession


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _organizations(ids: frozenset[int]) -> list[tuple[int, str]]:
    return [
        (o.pk, o.short_name or o.name)
        for o in Organization.objects.filter(pk__in=ids).order_by("short_name")
    ]


# --- speed mentoring ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    curated = frozenset(o for o in access.member_org_ids if access.is_curator_of(o))
    if access.is_admin:
        curated = frozenset(Organization.objects.values_list("pk", flat=True))
    programs = [
        (p.pk, f"{p.title} ({p.organization.short_name})")
        for p in program_list(user=request.user).filter(organization_id__in=curated)
    ]
    form = SessionForm(
        request.POST or None, organizations=_organizations(curated), programs=programs
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = Organization.objects.filter(pk=data["organization"]).first()
        program = (
            program_list(user=request.user).filter(pk=data["program"]).first()
            if data["program"]
            else None
        )
        try:
            if organization is None:
                raise PermissionDenied
            session = services.session_create(
                actor=request.user,
                organization=organization,
                title=data["title"],
                mode=data["mode"],
                tables=data["tables"],
                rounds=data["rounds"],
                round_minutes=data["round_minutes"],
                starts_at=data["starts_at"],
                place=data["place"],
                program=program,
                with_bases=data["with_bases"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The session is planned."))
            return redirect("quickmentoring:session", session_id=session.pk)
    return render(
        request,
        "quickmentoring/sessions.html",
        {"sessions": selectors.session_list(user=request.user), "form": form if curated else None},
    )


def _session_context(request: HttpRequest, session_id: int) -> dict[str, object]:
    session, me = selectors.session_get(user=request.user, session_id=session_id)
    participants = selectors.participants(session)
    context: dict[str, object] = {"session": session, "me": me}
    if me is None:
        limit = services.rounds_limit(session, participants)
        people = (
            Person.objects.filter(
                organization_id=session.organization_id, anonymized_at__isnull=True
            )
            .exclude(pk__in=[p.person_id for p in participants])
            .order_by("last_name", "first_name")
        )
        context.update(
            participants=participants,
            schedule=selectors.schedule(session),
            wishes=selectors.wishes(session),
            mutual=services.mutual_pairs(session),
            limit=limit,
            # Planned with more rounds than bring a new meeting: offer the most that do.
            suggested_rounds=min(session.rounds, limit) or session.rounds,
            participant_form=ParticipantForm(people=[(p.pk, p.full_name) for p in people[:2000]]),
            wish_form=WishForm(
                authors=[(p.pk, p.person.full_name) for p in participants],
                others=[(p.pk, p.person.full_name) for p in participants],
            ),
            peers=session.mode == SessionMode.PEERS,
        )
    else:
        met = selectors.met_with(session, me)
        chosen = [w.wanted_id for w in selectors.wishes(session) if w.author_id == me.pk]
        context.update(
            schedule=selectors.schedule(session, only=me),
            wish_form=WishForm(
                authors=[(me.pk, me.person.full_name)],
                others=[(p.pk, p.person.full_name) for p in met],
                initial={"author": me.pk, "wanted": chosen},
            ),
        )
    return context


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return render(request, "quickmentoring/session.html", _session_context(request, session_id))


@login_required
def session_print(request: HttpRequest, session_id: int) -> HttpResponse:
    return render(
        request, "quickmentoring/session_print.html", _session_context(request, session_id)
    )


@login_required
def session_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    """The schedule as a PDF: ``?by=table`` a sheet per table (staff), otherwise a card per
    person (a participant: only their own)."""
    session, me = selectors.session_get(user=request.user, session_id=session_id)
    by = pdf.BY_TABLE if request.GET.get("by") == pdf.BY_TABLE and me is None else pdf.BY_PERSON
    body = pdf.schedule_pdf(session, selectors.schedule(session, only=me), by=by)
    response = HttpResponse(body, content_type="application/pdf")
    kind = "tables" if by == pdf.BY_TABLE else "people"
    response["Content-Disposition"] = f'attachment; filename="speed-{session.pk}-{kind}.pdf"'
    return response


def _staff_session(request: HttpRequest, session_id: int) -> SpeedSession:
    session, me = selectors.session_get(user=request.user, session_id=session_id)
    if me is not None:
        raise PermissionDenied
    return session


@login_required
@require_POST
def participant_add(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _staff_session(request, session_id)
    person = Person.objects.filter(
        organization_id=session.organization_id, pk=request.POST.get("person") or 0
    ).first()
    if person is None:
        messages.error(request, _("Choose a person of the organization."))
    else:
        try:
            services.participant_add(
                actor=request.user,
                session=session,
                person=person,
                side=request.POST.get("side", ""),
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
    return redirect("quickmentoring:session", session_id=session.pk)


@login_required
@require_POST
def rotation_generate(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _staff_session(request, session_id)
    raw = request.POST.get("rounds", "").strip()
    try:
        rounds = int(raw) if raw else None
    except ValueError:
        rounds = 0  # refused below as «at least one round»
    try:
        seats = services.rotation_generate(actor=request.user, session=session, rounds=rounds)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request, _("The rotation is ready: %(count)s meetings.") % {"count": len(seats)}
        )
    return redirect("quickmentoring:session", session_id=session.pk)


@login_required
@require_POST
def wishes_save(request: HttpRequest, session_id: int) -> HttpResponse:
    session, me = selectors.session_get(user=request.user, session_id=session_id)
    participants = {p.pk: p for p in selectors.participants(session)}
    form = WishForm(
        request.POST,
        authors=[(pk, str(pk)) for pk in participants],
        others=[(pk, str(pk)) for pk in participants],
    )
    if not form.is_valid():
        messages.error(request, _("Choose a participant and whom they want to continue with."))
        return redirect("quickmentoring:session", session_id=session.pk)
    author: SpeedParticipant = participants[form.cleaned_data["author"]]
    if me is not None and author.pk != me.pk:
        raise PermissionDenied
    try:
        services.wishes_set(
            actor=request.user,
            session=session,
            author=author,
            wanted=[participants[pk] for pk in form.cleaned_data["wanted"]],
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Wishes saved."))
    return redirect("quickmentoring:session", session_id=session.pk)


@login_required
@require_POST
def proposals_make(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _staff_session(request, session_id)
    try:
        made, skipped = services.proposals_make(actor=request.user, session=session)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(count)s pairs proposed; the curator confirms them on the program's pairs page.")
            % {"count": len(made)},
        )
        for line in skipped:
            messages.warning(request, line)
    return redirect("quickmentoring:session", session_id=session.pk)


# --- flash mentoring ----------------------------------------------------------------------------


@login_required
def flash(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "quickmentoring/flash.html",
        {
            "slots": selectors.slot_list(user=request.user),
            "bookings": selectors.my_bookings(user=request.user),
            "booked_ids": set(
                selectors.my_bookings(user=request.user)
                .filter(status="booked")
                .values_list("slot_id", flat=True)
            ),
            "feedback_form": FeedbackForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def flash_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    orgs = _organizations(access.member_org_ids)
    curated = [o for o, _name in orgs if access.is_curator_of(o)]
    experts = [
        (p.pk, p.full_name)
        for p in Person.objects.filter(organization_id__in=curated, anonymized_at__isnull=True)
        .exclude(category=PersonCategory.STUDENT)
        .order_by("last_name", "first_name")[:2000]
    ]
    form = SlotForm(request.POST or None, organizations=orgs, experts=experts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = Organization.objects.get(pk=data["organization"])
        expert = None
        if data.get("expert"):
            expert = Person.objects.filter(pk=data["expert"], organization_id__in=curated).first()
        try:
            services.slot_publish(
                actor=request.user,
                organization=organization,
                expert=expert,
                expert_kind=data["expert_kind"],
                topic=data["topic"],
                description=data["description"],
                format=data["format"],
                place=data["place"],
                link=data["link"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                seats=data["seats"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The slot is published."))
            return redirect("quickmentoring:flash_mine")
    return render(request, "quickmentoring/flash_new.html", {"form": form})


@login_required
def flash_mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "quickmentoring/flash_mine.html", {"slots": selectors.my_slots(user=request.user)}
    )


@login_required
@require_POST
def flash_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_get(user=request.user, slot_id=slot_id)
    form = BookForm(request.POST)
    person = None
    if form.is_valid() and form.cleaned_data["person"]:
        person = Person.objects.filter(
            pk=form.cleaned_data["person"], organization_id=slot.organization_id
        ).first()
        if person is None:
            messages.error(request, _("Choose a person of the organization."))
            return redirect("quickmentoring:flash")
    try:
        services.slot_book(actor=request.user, slot=slot, person=person)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Booked: «%(topic)s».") % {"topic": slot.topic})
    return redirect("quickmentoring:flash")


@login_required
@require_POST
def flash_slot_cancel(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.managed_slot_get(user=request.user, slot_id=slot_id)
    try:
        services.slot_cancel(actor=request.user, slot=slot)
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("quickmentoring:flash_mine")


@login_required
@require_POST
def flash_held(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.managed_slot_get(user=request.user, slot_id=slot_id)
    try:
        services.slot_mark_held(actor=request.user, slot=slot)
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("quickmentoring:flash_mine")


@login_required
@require_POST
def flash_booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, booking_id=booking_id)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("quickmentoring:flash")


@login_required
@require_POST
def flash_feedback(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, booking_id=booking_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_leave(
                actor=request.user,
                booking=booking,
                rating=form.cleaned_data["rating"],
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Thank you for the feedback."))
    else:
        messages.error(request, _("Check the mark and the text."))
    return redirect("quickmentoring:flash")
