from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nastavnik.imports import services
from nastavnik.imports.exports import (
    XLSX_CONTENT_TYPE,
    bases_workbook,
    skipped_rows_workbook,
    template_workbook,
)
from nastavnik.imports.forms import NO_PROGRAM, CommitForm, OptionsForm, ProgramForm, UploadForm
from nastavnik.imports.models import ImportBatch, ProgramChoice
from nastavnik.imports.selectors import (
    bases_for_export,
    import_batch_get,
    import_batch_list,
    import_program_choices,
)
from nastavnik.organizations.selectors import staff_organization_list

CHANGE_LABELS = {
    "last_name": gettext_lazy("surname"),
    "first_name": gettext_lazy("first name"),
    "middle_name": gettext_lazy("patronymic"),
    "birth_date": gettext_lazy("birth date"),
    "category": gettext_lazy("category"),
    "class_name": gettext_lazy("class or group"),
    "snils": gettext_lazy("SNILS"),
    "email": gettext_lazy("email"),
    "phone": gettext_lazy("phone"),
    "interests": gettext_lazy("interests"),
    "request": gettext_lazy("request"),
    "competencies": gettext_lazy("competencies"),
    "deficits": gettext_lazy("educational deficits"),
    "enrolment": gettext_lazy("enrolment in the base"),
    "created": gettext_lazy("created"),
}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    organizations = [
        o
        for o in staff_organization_list(user=request.user)
        if services.import_can_run(user=request.user, organization_id=o.pk)
    ]
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organizations=[(o.pk, o.short_name) for o in organizations],
    )
    if request.method == "POST":
        if not organizations:
            raise PermissionDenied
        if form.is_valid():
            organization = next(
                o for o in organizations if o.pk == form.cleaned_data["organization"]
            )
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_upload(
                    actor=request.user,
                    organization=organization,
                    source=upload,
                    original_name=upload.name,
                    encoding=form.cleaned_data["encoding"],
                    delimiter=form.cleaned_data["delimiter"],
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages[0])
            else:
                services.import_start_analysis(batch=batch)
                return redirect("imports:detail", import_id=batch.pk)
    batches = import_batch_list(user=request.user)[:30]
    return render(
        request,
        "imports/list.html",
        {"form": form, "batches": batches, "organizations": organizations},
    )


def _program_form(batch: ImportBatch, data: Any = None) -> ProgramForm:
    initial = {}
    if batch.program_choice == ProgramChoice.NONE:
        initial["program"] = NO_PROGRAM
    elif batch.program_id:
        initial["program"] = str(batch.program_id)
    return ProgramForm(data, programs=import_program_choices(batch=batch), initial=initial)


@login_required
@require_GET
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = import_batch_get(user=request.user, import_id=import_id)
    program_form = _program_form(batch) if batch.enrol_forms is not None else None
    context = {
        "program_form": program_form,
        "needs_program": services.import_needs_program(batch),
        "mentors_enrolled": batch.enrol_roles.get("mentor", 0),
        "mentees_enrolled": batch.enrol_roles.get("mentee", 0),
        "batch": batch,
        "options_form": OptionsForm(
            initial={"encoding": batch.encoding.replace("-sig", ""), "delimiter": batch.delimiter}
        ),
        "commit_form": CommitForm(initial={"skip_invalid": batch.skip_invalid}),
        "can_run": services.import_can_run(
            user=request.user, organization_id=batch.organization_id
        ),
        "waiting": services.import_is_waiting(batch),
        "stale": services.import_is_stale(batch),
        "preview": [
            {**item, "changes": [str(CHANGE_LABELS.get(c, c)) for c in item["changes"]]}
            for item in batch.preview
        ],
        "imported_rows": max(batch.total_rows - batch.skipped_count, 0),
        "issues": batch.issues[:500],
        "warnings": batch.warnings[:200],
    }
    return render(request, "imports/detail.html", context)


@login_required
@require_GET
def import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    """The progress bar, polled by htmx; the page reloads once the work is over."""
    batch = import_batch_get(user=request.user, import_id=import_id)
    response = render(
        request,
        "imports/_status.html",
        {"batch": batch, "waiting": services.import_is_waiting(batch)},
    )
    if not batch.is_working and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_options(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = import_batch_get(user=request.user, import_id=import_id)
    form = OptionsForm(request.POST)
    if form.is_valid():
        try:
            services.import_options_update(
                actor=request.user,
                batch=batch,
                encoding=form.cleaned_data["encoding"],
                delimiter=form.cleaned_data["delimiter"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            services.import_start_analysis(batch=batch)
    return redirect("imports:detail", import_id=batch.pk)


@login_required
@require_POST
def import_program(request: HttpRequest, import_id: int) -> HttpResponse:
    """The curator chooses the program the rows with a role go to; the file is checked again."""
    batch = import_batch_get(user=request.user, import_id=import_id)
    if not services.import_can_run(user=request.user, organization_id=batch.organization_id):
        raise PermissionDenied
    form = _program_form(batch, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the programs offered."))
        return redirect("imports:detail", import_id=batch.pk)
    try:
        batch = services.import_program_choose(
            actor=request.user, batch=batch, program=form.chosen()
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        services.import_start_analysis(batch=batch)
    return redirect("imports:detail", import_id=batch.pk)


@login_required
@require_POST
def import_commit(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = import_batch_get(user=request.user, import_id=import_id)
    if not services.import_can_run(user=request.user, organization_id=batch.organization_id):
        raise PermissionDenied
    form = CommitForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_invalid"]
    try:
        ran_now = services.import_start_commit(
            actor=request.user, batch=batch, skip_invalid=bool(skip)
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if ran_now:
            messages.success(request, _("The import is done."))
    return redirect("imports:detail", import_id=batch.pk)


@login_required
@require_POST
def import_rerun(request: HttpRequest, import_id: int) -> HttpResponse:
    """Run an interrupted import again (its worker died)."""
    batch = import_batch_get(user=request.user, import_id=import_id)
    try:
        services.import_rerun(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("imports:detail", import_id=batch.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = import_batch_get(user=request.user, import_id=import_id)
    try:
        services.import_cancel(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The import is cancelled; the file is deleted."))
    return redirect("imports:list")


@login_required
@require_GET
def import_skipped_report(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = import_batch_get(user=request.user, import_id=import_id)
    data = skipped_rows_workbook(headers=batch.headers, rows=batch.skipped_rows)
    return _xlsx(data, f"skipped-rows-{batch.pk}.xlsx")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template_workbook(), "nastavnik-import-template.xlsx")


@login_required
@require_GET
def bases_export(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization, year_title, enrolments = bases_for_export(
        user=request.user, organization_id=organization_id
    )
    data = bases_workbook(organization=organization, year_title=year_title, enrolments=enrolments)
    return _xlsx(data, f"bases-{organization.code}.xlsx")
