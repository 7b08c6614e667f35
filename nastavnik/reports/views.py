"""Monitoring report pages: an organization's report, its files and submission; roll-ups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.core.job_views import job_file_download, job_status_partial
from nastavnik.organizations.models import academic_start_year
from nastavnik.reports import exports, jobs, services
from nastavnik.reports.forms import TargetsForm
from nastavnik.reports.models import ReportFileJob, YearStartJob
from nastavnik.reports.selectors import (
    may_decide,
    organization_figures,
    report_context,
    report_file_job_get,
    report_organization_get,
    report_organization_list,
    submission_get,
    submission_list,
    territory_list,
    territory_rollup,
    year_start_job_active,
    year_start_job_get,
    year_start_preview,
    year_targets,
)
from nastavnik.reports.tables import (
    base_lines,
    chart_data,
    comparison_lines,
    indicator_lines,
    period_title,
    target_lines,
)

_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _current_year() -> int:
    return academic_start_year(timezone.localdate())


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    organizations = [
        org for org in report_organization_list(user=request.user) if access.is_staff_of(org.pk)
    ]
    territories = list(territory_list(user=request.user))
    if not organizations and not territories:
        raise PermissionDenied
    return render(
        request,
        "reports/index.html",
        {"organizations": organizations, "territories": territories, "year": _current_year()},
    )


@login_required
@require_GET
def organization_report(
    request: HttpRequest, organization_id: int, start_year: int
) -> HttpResponse:
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    figures = organization_figures(organization=organization, start_year=start_year)
    access = access_for(request.user)
    extra = report_context(organization=organization, start_year=start_year, figures=figures)
    return render(
        request,
        "reports/organization.html",
        {
            "organization": organization,
            "start_year": start_year,
            "period": period_title(start_year),
            "figures": figures,
            "base_lines": base_lines(figures),
            "indicator_lines": indicator_lines(figures),
            "chart": chart_data(figures),
            "submissions": submission_list(
                user=request.user, organization=organization, start_year=start_year
            ),
            "can_submit": access.is_curator_of(organization.pk),
            "can_decide": may_decide(user=request.user, organization=organization),
            "previous_period": period_title(start_year - 1),
            "next_period": period_title(start_year + 1),
            "comparison_lines": comparison_lines(figures, extra.previous),
            "targets": extra.targets,
            "target_lines": target_lines(extra.targets, figures, extra.offer),
            "next_targets": extra.next_targets,
            "closed": extra.closed,
        },
    )


@login_required
@require_GET
def organization_report_file(
    request: HttpRequest, organization_id: int, start_year: int, fmt: str
) -> HttpResponse:
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    figures = organization_figures(organization=organization, start_year=start_year)
    extra = report_context(organization=organization, start_year=start_year, figures=figures)
    if fmt == "xlsx":
        content = exports.report_xlsx(organization, start_year, figures, extra=extra)
    else:
        content = exports.report_json(organization, start_year, figures, extra=extra)
    response = HttpResponse(content, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="report-{organization.code}-{start_year}.{fmt}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def organization_report_pdf(
    request: HttpRequest, organization_id: int, start_year: int
) -> HttpResponse:
    """The report as a PDF takes seconds to lay out: a POST queues it in the background and
    sends to its page (GET: the page with the button)."""
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    if request.method == "POST":
        job = jobs.report_pdf_queue(
            actor=request.user, organization=organization, start_year=start_year
        )
        return redirect("reports:file_job", report_file_id=job.pk)
    return render(
        request,
        "reports/file_job.html",
        {
            "organization": organization,
            "period": period_title(start_year),
            "job": None,
            "start_year": start_year,
        },
    )


def _file_job_context(job: ReportFileJob) -> dict[str, object]:
    return {
        "job": job,
        "organization": job.organization,
        "start_year": job.start_year,
        "period": period_title(job.start_year),
    }


@login_required
@require_GET
def file_job(request: HttpRequest, report_file_id: int) -> HttpResponse:
    job = report_file_job_get(user=request.user, report_file_id=report_file_id)
    return render(request, "reports/file_job.html", _file_job_context(job))


@login_required
@require_GET
def file_job_status(request: HttpRequest, report_file_id: int) -> HttpResponse:
    """The progress, polled by htmx; the page reloads once the file is ready."""
    job = report_file_job_get(user=request.user, report_file_id=report_file_id)
    return job_status_partial(request, job, "reports/_file_job_status.html", _file_job_context(job))


@login_required
@require_GET
def file_download(request: HttpRequest, report_file_id: int) -> FileResponse:
    """The ready file, to whoever may read the report (never a public URL)."""
    job = report_file_job_get(user=request.user, report_file_id=report_file_id)
    return job_file_download(job, _CONTENT_TYPES["pdf"])


@login_required
@require_POST
def organization_report_submit(
    request: HttpRequest, organization_id: int, start_year: int
) -> HttpResponse:
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    submission = services.report_submit(
        actor=request.user, organization=organization, start_year=start_year
    )
    messages.success(
        request,
        _("The report has been submitted (version %(version)s).") % {"version": submission.version},
    )
    return redirect("reports:organization", organization_id=organization.pk, start_year=start_year)


@login_required
@require_POST
def submission_decide(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = submission_get(user=request.user, submission_id=submission_id)
    try:
        services.submission_decide(
            actor=request.user,
            submission=submission,
            accept=request.POST.get("decision") == "accept",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision has been saved."))
    return redirect(
        "reports:organization",
        organization_id=submission.organization_id,
        start_year=submission.start_year,
    )


@login_required
@require_GET
def territory_report(request: HttpRequest, territory_id: int, start_year: int) -> HttpResponse:
    rollup = territory_rollup(user=request.user, territory_id=territory_id, start_year=start_year)
    return render(
        request,
        "reports/territory.html",
        {
            "rollup": rollup,
            "territory": rollup.territory,
            "start_year": start_year,
            "period": period_title(start_year),
            "chart": chart_data(rollup.total),
        },
    )


@login_required
@require_GET
def territory_report_xlsx(request: HttpRequest, territory_id: int, start_year: int) -> HttpResponse:
    rollup = territory_rollup(user=request.user, territory_id=territory_id, start_year=start_year)
    response = HttpResponse(exports.rollup_xlsx(rollup), content_type=_CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="rollup-{rollup.territory.code}-{start_year}.xlsx"'
    )
    return response


@login_required
def targets_edit(request: HttpRequest, organization_id: int, start_year: int) -> HttpResponse:
    """«Перспективные задачи»: the curator sets the targets for the year ``start_year``."""
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    if not access_for(request.user).is_curator_of(organization.pk):
        raise PermissionDenied
    instance = year_targets(organization=organization, start_year=start_year)
    form = TargetsForm(request.POST or None, organization=organization, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.targets_save(
                actor=request.user,
                organization=organization,
                start_year=start_year,
                coverage_students=data["coverage_students"],
                coverage_teachers=data["coverage_teachers"],
                forms=list(data["forms"]),
                models_used=list(data["models_used"]),
                variants=list(data["variants"]),
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The targets for the year have been saved."))
            return redirect(
                "reports:organization", organization_id=organization.pk, start_year=start_year - 1
            )
    return render(
        request,
        "reports/targets.html",
        {
            "organization": organization,
            "start_year": start_year,
            "period": period_title(start_year),
            "form": form,
        },
    )


@login_required
def year_start(request: HttpRequest, organization_id: int, start_year: int) -> HttpResponse:
    """Start the academic year after ``start_year``: review first (who leaves the bases), then
    confirm; the start runs in the background and its page shows the steps."""
    organization = report_organization_get(user=request.user, organization_id=organization_id)
    if not access_for(request.user).is_curator_of(organization.pk):
        raise PermissionDenied
    preview = year_start_preview(user=request.user, organization=organization, from_year=start_year)
    if request.method == "POST":
        leaver_ids = {leaver.person.pk for leaver in preview.leavers}
        leaving = {int(v) for v in request.POST.getlist("leaving") if v.isdigit()}
        try:
            job = jobs.year_start_queue(
                actor=request.user,
                organization=organization,
                from_year=start_year,
                staying=leaver_ids - leaving,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return redirect("reports:year_start_job", year_start_id=job.pk)
    return render(
        request,
        "reports/year_start.html",
        {
            "organization": organization,
            "preview": preview,
            "period": period_title(start_year),
            "next_period": period_title(start_year + 1),
            "active": year_start_job_active(user=request.user, organization=organization),
        },
    )


def _year_start_context(job: YearStartJob) -> dict[str, object]:
    return {
        "job": job,
        "organization": job.organization,
        "period": period_title(job.from_year),
        "next_period": period_title(job.from_year + 1),
    }


@login_required
@require_GET
def year_start_job(request: HttpRequest, year_start_id: int) -> HttpResponse:
    """The start of the year under way (its steps) or over (what it did)."""
    job = year_start_job_get(user=request.user, year_start_id=year_start_id)
    return render(request, "reports/year_start_job.html", _year_start_context(job))


@login_required
@require_GET
def year_start_status(request: HttpRequest, year_start_id: int) -> HttpResponse:
    """The progress, polled by htmx; the page reloads once the work is over."""
    job = year_start_job_get(user=request.user, year_start_id=year_start_id)
    return job_status_partial(
        request, job, "reports/_year_start_status.html", _year_start_context(job)
    )


@login_required
@require_POST
def year_start_cancel(request: HttpRequest, year_start_id: int) -> HttpResponse:
    """«Отменить» a start still waiting for the background worker."""
    job = year_start_job_get(user=request.user, year_start_id=year_start_id)
    try:
        jobs.year_start_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The start of the new year has been cancelled."))
    return redirect("reports:year_start_job", year_start_id=job.pk)
