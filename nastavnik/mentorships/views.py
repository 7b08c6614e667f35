"""Pages of pairs and groups: the program's list for the curator, «my mentorships» for mentors
and mentees (phone first), a mentorship's card, the list for the order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.documents.forms import GenerateForm
from nastavnik.mentorships import services
from nastavnik.mentorships.models import TRANSITIONS, Mentorship, MentorshipStatus
from nastavnik.mentorships.orders import pairs_order_queue
from nastavnik.mentorships.panels import detail_context, my_page_context
from nastavnik.mentorships.selectors import (
    hand_pairing_options,
    mentorship_can_manage,
    mentorship_get,
    mentorship_history,
    my_mentorships,
    program_enrolments,
    program_mentorships,
    staff_program_get,
)
from nastavnik.mentorships.services import COMPLETABLE
from nastavnik.programs.selectors import tandems_for_order

PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def program_mentorships_view(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's pairs and groups (paged), and forming a pair or a group by hand."""
    program = staff_program_get(user=request.user, program_id=program_id)
    can_manage = access_for(request.user).is_curator_of(program.organization_id)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            mentor_id = int(request.POST.get("mentor", ""))
            mentee_ids = [int(i) for i in request.POST.getlist("mentees")]
            by_id = program_enrolments(program=program, ids=[mentor_id, *mentee_ids])
            mentor = by_id[mentor_id]
            chosen = [by_id[i] for i in mentee_ids]
            if not chosen:
                raise KeyError
        except (KeyError, ValueError):
            messages.error(request, _("Choose a mentor and at least one mentee of the base."))
        else:
            try:
                services.mentorship_create(
                    actor=request.user, program=program, mentors=[mentor], mentees=chosen
                )
            except ValidationError as exc:
                messages.error(request, " ".join(str(m) for m in exc.messages))
            else:
                messages.success(request, _("The pair or group has been formed."))
        return redirect("mentorships:program", program_id=program.pk)
    status = request.GET.get("status", "")
    if status not in MentorshipStatus.values:
        status = ""
    page = Paginator(
        program_mentorships(user=request.user, program=program, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    mentors, mentees = (
        hand_pairing_options(program=program, user=request.user) if can_manage else ([], [])
    )
    return render(
        request,
        "mentorships/program.html",
        {
            "program": program,
            "page": page,
            "items": [
                {"m": m, "completable": m.status in COMPLETABLE, **m.sides()}
                for m in page.object_list
            ],
            "status": status,
            "statuses": MentorshipStatus.choices,
            "can_manage": can_manage,
            "free_mentors": mentors,
            "free_mentees": mentees,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_view(request: HttpRequest, program_id: int) -> HttpResponse:
    """The order «о закреплении наставнических пар (групп)»: the active pairs and groups, printed
    by the documents service (.docx or PDF) in the background — the page goes to the document's
    job page, which gives the file; its number and date are recorded on the pairs."""
    program = staff_program_get(user=request.user, program_id=program_id)
    only_new = request.method == "GET" or request.POST.get("only_new") == "on"
    mentorships = list(
        program_mentorships(user=request.user, program=program, status=MentorshipStatus.ACTIVE)
    )
    chosen = [m for m in mentorships if not (only_new and m.order_number)]
    items = [{"m": m, **m.sides()} for m in mentorships]
    # Tandems of partner mentoring at the fifth step are fixed by the same order, like a pair.
    tandems = tandems_for_order(program=program)
    chosen_tandems = [t for t in tandems if not (only_new and t.order_number)]
    can_print = access_for(request.user).is_curator_of(program.organization_id)
    form = GenerateForm(request.POST or None)
    if request.method == "POST":
        if not can_print:
            raise PermissionDenied
        if form.is_valid():
            try:
                job = pairs_order_queue(
                    actor=request.user,
                    program=program,
                    mentorships=chosen,
                    fmt=form.cleaned_data["fmt"],
                    number=form.cleaned_data["number"],
                    signed_on=form.cleaned_data["signed_on"],
                    tandems=chosen_tandems,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("documents:job", document_job_id=job.pk)
    return render(
        request,
        "mentorships/order.html",
        {
            "program": program,
            "items": items,
            "tandems": tandems,
            "form": form,
            "can_print": can_print,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complete_view(request: HttpRequest, program_id: int) -> HttpResponse:
    """«Завершить пары»: the curator chooses several (or all) active and paused pairs and groups
    of the program with one reason, confirms the list on this page, and completes them at once
    (``services.mentorships_complete``). A pair of another program or organization: 404."""
    program = staff_program_get(user=request.user, program_id=program_id)
    if not access_for(request.user).is_curator_of(program.organization_id):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    pairs = program_mentorships(user=request.user, program=program)
    if request.method == "GET" and data.get("all") == "1":
        chosen = list(pairs.filter(status__in=COMPLETABLE))
    else:
        try:
            ids = {int(i) for i in data.getlist("ids")}
        except ValueError as exc:
            raise Http404 from exc
        chosen = list(pairs.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise Http404
    if not chosen:
        messages.error(request, _("Choose at least one active or paused pair or group."))
        return redirect("mentorships:program", program_id=program.pk)
    reason = data.get("reason", "").strip()
    if request.method == "POST":
        try:
            result = services.mentorships_complete(
                actor=request.user, program=program, mentorships=chosen, reason=reason
            )
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        else:
            if result.completed:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s pair or group has been completed.",
                        "%(count)s pairs and groups have been completed.",
                        len(result.completed),
                    )
                    % {"count": len(result.completed)},
                )
            if result.skipped:
                messages.warning(
                    request,
                    _("Already completed or dissolved meanwhile, left unchanged: %(numbers)s.")
                    % {"numbers": ", ".join(f"№ {m.number}" for m in result.skipped)},
                )
            return redirect("mentorships:program", program_id=program.pk)
    return render(
        request,
        "mentorships/complete.html",
        {
            "program": program,
            "items": [
                {"m": m, "completable": m.status in COMPLETABLE, **m.sides()} for m in chosen
            ],
            "reason": reason,
            "count": sum(m.status in COMPLETABLE for m in chosen),
        },
    )


@login_required
def my_mentorships_view(request: HttpRequest) -> HttpResponse:
    """A mentor sees their mentees, a mentee their mentor; a mentor also answers requests."""
    access = access_for(request.user)
    items = []
    for m in my_mentorships(user=request.user):
        sides = m.sides()
        as_mentor = any(p.user_id == access.user_id for p in sides["mentors"])
        items.append(
            {
                "m": m,
                "as_mentor": as_mentor,
                "others": sides["mentees"] if as_mentor else sides["mentors"],
            }
        )
    return render(request, "mentorships/my.html", {"items": items, **my_page_context(request)})


@login_required
def mentorship_detail(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = mentorship_get(user=request.user, mentorship_id=mentorship_id)
    return render(
        request,
        "mentorships/detail.html",
        {
            "m": mentorship,
            **mentorship.sides(),
            "lines": [],
            **detail_context(request, mentorship),
            "can_manage": mentorship_can_manage(user=request.user, mentorship=mentorship),
            "history": mentorship_history(mentorship=mentorship),
            "transitions": [
                (value, label)
                for value, label in MentorshipStatus.choices
                if value in _allowed(mentorship)
            ],
        },
    )


def _allowed(mentorship: Mentorship) -> tuple[str, ...]:
    return TRANSITIONS.get(mentorship.status, ())


@login_required
@require_POST
def mentorship_status(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = mentorship_get(user=request.user, mentorship_id=mentorship_id)
    if not mentorship_can_manage(user=request.user, mentorship=mentorship):
        raise PermissionDenied
    try:
        services.mentorship_set_status(
            actor=request.user,
            mentorship=mentorship,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, _("The status has been changed."))
    return redirect("mentorships:detail", mentorship_id=mentorship.pk)
