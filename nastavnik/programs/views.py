"""Pages of programs: the card, the seven stages, the bases, the roadmap, the contours, the
mentors' training, tandems and the public page. Thin: a selector for every object, a service for
every write."""

from __future__ import annotations

import copy
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.organizations.selectors import staff_organization_list
from nastavnik.organizations.services import academic_year_current_ensure
from nastavnik.people.models import PersonCategory
from nastavnik.people.selectors import person_queryset
from nastavnik.programs import services
from nastavnik.programs.forms import (
    AttendanceForm,
    ContourTaskForm,
    EnrolmentAddForm,
    EnrolmentForm,
    PartnerForm,
    ProgramForm,
    RoadmapItemForm,
    StageTaskAddForm,
    TandemCreateForm,
    TandemNoteForm,
    TandemToolForm,
    TandemUpdateForm,
    TrainingSessionForm,
    VariantForm,
)
from nastavnik.programs.models import (
    EXTERNAL_AREAS,
    INTERNAL_AREAS,
    ContourTask,
    EnrolmentRole,
    MentoringForm,
    MentoringModel,
    Program,
    Stage,
    TandemStep,
    TaskStatus,
)
from nastavnik.programs.selectors import (
    contour_task_get,
    enrolment_base,
    enrolment_candidates,
    enrolment_get,
    partner_get,
    program_get,
    program_list,
    public_program_get,
    public_program_list,
    public_program_summary,
    roadmap_item_get,
    roadmap_list,
    roadmap_overdue,
    staff_program_get,
    stage_overview,
    stage_task_get,
    tandem_get,
    training_session_get,
    variants_for,
)
from nastavnik.programs.stages import warnings_for_entering


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _curator_only(request: HttpRequest, program: Program) -> None:
    if not access_for(request.user).is_curator_of(program.organization_id):
        raise PermissionDenied


# --- Programs -----------------------------------------------------------------------------------


@login_required
def program_list_view(request: HttpRequest) -> HttpResponse:
    organizations = list(staff_organization_list(user=request.user))
    access = access_for(request.user)
    return render(
        request,
        "programs/list.html",
        {
            "programs": program_list(user=request.user).prefetch_related("variants"),
            "can_create": any(access.is_curator_of(o.pk) for o in organizations),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    organizations = [
        o for o in staff_organization_list(user=request.user) if access.is_curator_of(o.pk)
    ]
    if not organizations:
        raise PermissionDenied
    chosen = request.POST.get("organization") or request.GET.get("organization")
    organization = next((o for o in organizations if str(o.pk) == chosen), organizations[0])
    # The form offers the organization's stored years: the current one must be among them.
    year = academic_year_current_ensure(organization=organization)
    form = ProgramForm(
        request.POST or None,
        organization=organization,
        initial={"academic_year": year.pk, "curator": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                actor=request.user,
                organization=organization,
                academic_year=form.cleaned_data["academic_year"],
                form=form.cleaned_data["form"],
                models_used=list(form.cleaned_data["models_used"]),
                **form.program_data(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The program has been created."))
            return redirect("programs:detail", program_id=program.pk)
    return render(
        request,
        "programs/form.html",
        {"form": form, "organizations": organizations, "organization": organization},
    )


@login_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    program = program_get(user=request.user, program_id=program_id)
    access = access_for(request.user)
    is_staff = access.is_staff_of(program.organization_id)
    context: dict[str, Any] = {
        "program": program,
        "is_staff": is_staff,
        "is_curator": access.is_curator_of(program.organization_id),
        "stages": Stage.choices,
        "has_group_model": any(m.is_group for m in program.models_used.all()),
    }
    if is_staff:
        context["counts"] = public_program_summary(program=program)
        context["overdue"] = roadmap_overdue(program=program).count()
    return render(request, "programs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    _curator_only(request, program)
    form = ProgramForm(
        request.POST or None,
        instance=copy.copy(program),
        organization=program.organization,
        initial={"support_kinds": program.support_kinds},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                actor=request.user,
                program=program,
                data=form.program_data(),
                variants=list(form.cleaned_data["variants"]),
                models_used=list(form.cleaned_data["models_used"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/form.html", {"form": form, "program": program})


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    """Forms, variants and models of mentoring; a curator adds the organization's own variants."""
    access = access_for(request.user)
    organizations = [
        o for o in staff_organization_list(user=request.user) if access.is_curator_of(o.pk)
    ]
    form = VariantForm(request.POST or None) if organizations else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        chosen = request.POST.get("organization")
        organization = next((o for o in organizations if str(o.pk) == chosen), organizations[0])
        if form.is_valid():
            try:
                services.variant_create(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The variant has been added."))
                return redirect("programs:catalogue")
    org_ids = [o.pk for o in organizations] or list(access.member_org_ids)
    forms_ = MentoringForm.objects.prefetch_related("variants__organization")
    category_labels = dict(PersonCategory.choices)
    rows = []
    for mform in forms_:
        rows.append(
            {
                "form": mform,
                "mentors": [category_labels.get(c, c) for c in mform.mentor_categories],
                "mentees": [category_labels.get(c, c) for c in mform.mentee_categories],
                "variants": [
                    v
                    for v in mform.variants.all()
                    if v.organization_id is None or v.organization_id in org_ids
                ],
            }
        )
    return render(
        request,
        "programs/catalogue.html",
        {
            "rows": rows,
            "models": MentoringModel.objects.all(),
            "form": form,
            "organizations": organizations,
        },
    )


# --- Stages -------------------------------------------------------------------------------------


@login_required
def program_stages(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    services.checklist_ensure(program=program)
    next_stage = program.stage + 1 if program.stage < Stage.COMPLETION else None
    return render(
        request,
        "programs/stages.html",
        {
            "program": program,
            "stages": stage_overview(program=program),
            "next_stage": Stage(next_stage).label if next_stage else None,
            "warnings": warnings_for_entering(program, next_stage) if next_stage else [],
            "add_form": StageTaskAddForm(initial={"stage": program.stage}),
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
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
        for message in _errors(exc):
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
        for message in _errors(exc):
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
    return redirect(f"{_url('programs:stages', program_id=task.program_id)}#stage-{task.stage}")


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


def _url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


# --- The bases of mentors and mentees ------------------------------------------------------------


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
    return render(
        request,
        "programs/bases.html",
        {
            "program": program,
            "mentors": enrolment_base(user=request.user, program=program, role="mentor"),
            "mentees": enrolment_base(user=request.user, program=program, role="mentee"),
            "mentor_form": add_forms[EnrolmentRole.MENTOR],
            "mentee_form": add_forms[EnrolmentRole.MENTEE],
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_edit(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = enrolment_get(user=request.user, enrolment_id=enrolment_id)
    program = enrolment.program
    _curator_only(request, program)
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
        for message in _errors(exc):
            messages.error(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "programs/_enrolment_row.html", {"e": enrolment, "is_curator": True})
    return redirect("programs:base", program_id=enrolment.program_id)


# --- Roadmap ------------------------------------------------------------------------------------


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
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_item_edit(request: HttpRequest, roadmap_item_id: int) -> HttpResponse:
    item = roadmap_item_get(user=request.user, roadmap_item_id=roadmap_item_id)
    _curator_only(request, item.program)
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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    program = staff_program_get(user=request.user, program_id=program_id)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Roadmap")[:31]
    sheet.append([program.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    header = [
        _("No."),
        _("What is done"),
        _("Stage"),
        _("From"),
        _("Due"),
        _("Responsible"),
        _("Expected result"),
        _("Status"),
    ]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for number, item in enumerate(roadmap_list(program=program), start=1):
        status = item.get_status_display()
        if item.is_overdue_on(today):
            status = _("%(status)s, overdue") % {"status": status}
        sheet.append(
            [
                number,
                item.title,
                item.get_stage_display() if item.stage else "",
                item.starts_on.strftime("%d.%m.%Y") if item.starts_on else "",
                item.due_on.strftime("%d.%m.%Y"),
                item.responsible,
                item.result,
                str(status),
            ]
        )
    for column, width in zip("ABCDEFGH", (5, 50, 28, 12, 12, 30, 30, 20), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="roadmap-{program.pk}.xlsx"'
    return response


@login_required
def roadmap_calendar(request: HttpRequest, program_id: int) -> HttpResponse:
    """The roadmap as a calendar (.ics) to import into a phone or a mail client."""
    import datetime as dt

    from icalendar import Calendar, Event

    program = staff_program_get(user=request.user, program_id=program_id)
    calendar = Calendar()
    calendar.add("prodid", "-//Nastavnik//roadmap//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", program.title)
    host = request.get_host()
    for item in roadmap_list(program=program):
        event = Event()
        event.add("uid", f"roadmap-{item.pk}@{host}")
        event.add("summary", item.title)
        event.add("dtstart", item.starts_on or item.due_on)
        event.add("dtend", item.due_on + dt.timedelta(days=1))
        event.add("dtstamp", item.updated_at)
        details = [str(item.get_status_display())]
        if item.responsible:
            details.append(_("Responsible: %(who)s") % {"who": item.responsible})
        event.add("description", "\n".join(details))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roadmap-{program.pk}.ics"'
    return response


# --- Contours and partners -----------------------------------------------------------------------


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
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contour_task_edit(request: HttpRequest, contour_task_id: int) -> HttpResponse:
    task = contour_task_get(user=request.user, contour_task_id=contour_task_id)
    _curator_only(request, task.program)
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
    _curator_only(request, partner.program)
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


# --- Mentors' training ---------------------------------------------------------------------------


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
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
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
        _curator_only(request, program)
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
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


# --- Tandems (partner mentoring among colleagues) -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tandems(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    colleagues = person_queryset(user=request.user).filter(
        organization_id=program.organization_id,
        category__in=[PersonCategory.TEACHER, PersonCategory.STAFF],
    )
    form = TandemCreateForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        try:
            tandem = services.tandem_create(
                actor=request.user,
                program=program,
                name=form.cleaned_data["name"],
                interest=form.cleaned_data["interest"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The tandem has been formed."))
            return redirect("programs:tandem", tandem_id=tandem.pk)
    return render(
        request,
        "programs/tandems.html",
        {
            "program": program,
            "tandems": program.tandems.prefetch_related("members"),
            "form": form,
            "steps": TandemStep.choices,
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tandem_detail(request: HttpRequest, tandem_id: int) -> HttpResponse:
    tandem = tandem_get(user=request.user, tandem_id=tandem_id)
    which = request.POST.get("what")
    update_form = TandemUpdateForm(
        request.POST if which == "step" else None,
        initial={"step": tandem.step, "goals": tandem.goals, "interest": tandem.interest},
        prefix="step",
    )
    note_form = TandemNoteForm(request.POST if which == "note" else None, prefix="note")
    tool_form = TandemToolForm(request.POST if which == "tool" else None, prefix="tool")
    if request.method == "POST":
        _curator_only(request, tandem.program)
        try:
            if which == "step" and update_form.is_valid():
                services.tandem_update(
                    actor=request.user, tandem=tandem, **update_form.cleaned_data
                )
                return redirect("programs:tandem", tandem_id=tandem.pk)
            if which == "note" and note_form.is_valid():
                note = note_form.save(commit=False)
                note.tandem = tandem
                services.tandem_note_add(actor=request.user, note=note)
                return redirect("programs:tandem", tandem_id=tandem.pk)
            if which == "tool" and tool_form.is_valid():
                item = tool_form.save(commit=False)
                item.tandem = tandem
                services.tandem_tool_add(actor=request.user, item=item)
                return redirect("programs:tandem", tandem_id=tandem.pk)
        except ValidationError as exc:
            update_form.add_error(None, exc)
    return render(
        request,
        "programs/tandem.html",
        {
            "tandem": tandem,
            "program": tandem.program,
            "steps": TandemStep.choices,
            "update_form": update_form,
            "note_form": note_form,
            "tool_form": tool_form,
            "is_curator": access_for(request.user).is_curator_of(tandem.organization_id),
        },
    )


# --- The public page ----------------------------------------------------------------------------


def public_index(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The organization's section «Наставничество»: its public programs (404 when none)."""
    programs = public_program_list(organization_id=organization_id)
    return render(
        request,
        "programs/public_index.html",
        {
            "organization": programs[0].organization,
            "rows": [(p, public_program_summary(program=p)) for p in programs],
        },
    )


def public_page(request: HttpRequest, program_id: int) -> HttpResponse:
    """For the school website's section «Наставничество»: aggregates only; 404 unless opted in."""
    program = public_program_get(program_id=program_id)
    return render(
        request,
        "programs/public.html",
        {"program": program, "summary": public_program_summary(program=program)},
    )
