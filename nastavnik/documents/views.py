"""Documents of a program: generate, keep the register, edit the organization's templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nastavnik.accounts.access import access_for, require_curator
from nastavnik.core.job_views import job_file_download, job_status_partial
from nastavnik.documents import jobs, services
from nastavnik.documents.forms import GenerateForm, PairsOrderForm, TemplateForm
from nastavnik.documents.layouts import default_html
from nastavnik.documents.models import DocumentJob, DocumentKind
from nastavnik.documents.selectors import (
    document_job_get,
    issued_list,
    template_docx,
    template_list,
)
from nastavnik.organizations.selectors import organization_get
from nastavnik.programs.models import EnrolmentRole, EnrolmentStatus
from nastavnik.programs.selectors import enrolment_base, staff_program_get


def _kind(kind: str) -> DocumentKind:
    if kind not in DocumentKind.values:
        raise Http404
    return DocumentKind(kind)


@login_required
def program_documents(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    return render(
        request,
        "documents/program.html",
        {
            "program": program,
            "kinds": DocumentKind.choices,
            "issued": issued_list(user=request.user, program=program),
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def generate(request: HttpRequest, program_id: int, kind: str) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    document_kind = _kind(kind)
    require_curator(request.user, program.organization_id)
    form: GenerateForm
    if document_kind == DocumentKind.PAIRS_ORDER:
        active = list(
            enrolment_base(user=request.user, program=program, role=EnrolmentRole.MENTOR).exclude(
                status=EnrolmentStatus.WITHDRAWN
            )
        )
        mentees = list(
            enrolment_base(user=request.user, program=program, role=EnrolmentRole.MENTEE).exclude(
                status=EnrolmentStatus.WITHDRAWN
            )
        )
        form = PairsOrderForm(
            request.POST or None,
            mentors=[e.person for e in active],
            mentees=[e.person for e in mentees],
        )
    else:
        form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.document_queue(
                actor=request.user,
                program=program,
                kind=document_kind,
                fmt=form.cleaned_data["fmt"],
                number=form.cleaned_data["number"],
                signed_on=form.cleaned_data["signed_on"],
                pairs=form.pairs() if isinstance(form, PairsOrderForm) else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("documents:job", document_job_id=job.pk)
    return render(
        request,
        "documents/generate.html",
        {
            "program": program,
            "kind": document_kind,
            "form": form,
            "is_pairs": isinstance(form, PairsOrderForm),
        },
    )


def _job_context(job: DocumentJob) -> dict[str, object]:
    return {"job": job, "program": job.program, "kind": DocumentKind(job.kind)}


@login_required
@require_GET
def job_page(request: HttpRequest, document_job_id: int) -> HttpResponse:
    """The document being generated (its progress), then its download link."""
    job = document_job_get(user=request.user, document_job_id=document_job_id)
    return render(request, "documents/job.html", _job_context(job))


@login_required
@require_GET
def job_status(request: HttpRequest, document_job_id: int) -> HttpResponse:
    """The progress, polled by htmx; the page reloads once the document is ready."""
    job = document_job_get(user=request.user, document_job_id=document_job_id)
    return job_status_partial(request, job, "documents/_job_status.html", _job_context(job))


@login_required
@require_GET
def job_download(request: HttpRequest, document_job_id: int) -> FileResponse:
    """The generated file, to the curators of its organization only (never a public URL)."""
    job = document_job_get(user=request.user, document_job_id=document_job_id)
    return job_file_download(job, services.CONTENT_TYPES[job.fmt])


@login_required
def templates(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = organization_get(user=request.user, organization_id=organization_id)
    require_curator(request.user, organization.pk)
    own = template_list(user=request.user, organization=organization)
    rows = [
        {"kind": value, "label": label, "own": own.get(value)}
        for value, label in DocumentKind.choices
    ]
    return render(request, "documents/templates.html", {"organization": organization, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, organization_id: int, kind: str) -> HttpResponse:
    organization = organization_get(user=request.user, organization_id=organization_id)
    document_kind = _kind(kind)
    require_curator(request.user, organization.pk)
    if request.GET.get("download") == "docx":
        response = HttpResponse(
            template_docx(organization=organization, kind=document_kind),
            content_type=services.CONTENT_TYPES["docx"],
        )
        response["Content-Disposition"] = f'attachment; filename="{document_kind.value}.docx"'
        return response
    own = template_list(user=request.user, organization=organization).get(document_kind.value)
    form = TemplateForm(
        request.POST or None,
        request.FILES or None,
        initial={"html": own.html if own and own.html else default_html(document_kind)},
    )
    if request.method == "POST":
        if request.POST.get("reset") == "1":
            services.document_template_save(
                actor=request.user, organization=organization, kind=document_kind, reset=True
            )
            messages.success(request, _("The default template is restored."))
            return redirect("documents:template_edit", organization_id=organization.pk, kind=kind)
        if form.is_valid():
            upload = form.cleaned_data.get("docx")
            html = form.cleaned_data["html"]
            try:
                services.document_template_save(
                    actor=request.user,
                    organization=organization,
                    kind=document_kind,
                    html=None if html.strip() == default_html(document_kind).strip() else html,
                    docx=upload.read() if upload else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The template has been saved."))
                return redirect("documents:templates", organization_id=organization.pk)
    return render(
        request,
        "documents/template_form.html",
        {"organization": organization, "kind": document_kind, "form": form, "own": own},
    )
