"""The reports' long actions run in the background (``core.jobs``): the start of a new academic
year and the report as a PDF (seconds of WeasyPrint; the .xlsx, JSON and roll-ups take well under a
second on the demo region and stay synchronous). The page queues a job; the worker
(``tasks.py``) runs it and reports its steps."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, require_curator
from nastavnik.accounts.models import User
from nastavnik.core.audit import audit
from nastavnik.core.jobs import (
    ACTIVE_STATUSES,
    heartbeat,
    job_cancel,
    job_claim,
    job_done,
    job_fail,
    job_step,
    jobs_close_interrupted,
)
from nastavnik.organizations.models import Organization
from nastavnik.reports import exports
from nastavnik.reports.models import ClosedYear, ReportFileJob, YearStartJob
from nastavnik.reports.selectors import (
    organization_figures,
    report_context,
    report_organization_list,
)
from nastavnik.reports.services import year_start_next

logger = logging.getLogger(__name__)


def year_start_queue(
    *,
    actor: Actor,
    organization: Organization,
    from_year: int,
    staying: Collection[int] = (),
) -> YearStartJob:
    """Queue the start of the year after ``from_year``; the worker runs it once this commits.
    Refused while another start of the organization is queued or running (decided under the
    organization's row lock, the partial unique constraint behind it) and once the year is
    closed. An interrupted start (its worker died: nothing of it was written) is closed here, so
    starting again is safe."""
    require_curator(actor, organization.pk)
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        jobs_close_interrupted(YearStartJob.objects.filter(organization=organization))
        if YearStartJob.objects.filter(
            organization=organization, status__in=ACTIVE_STATUSES
        ).exists():
            raise ValidationError(_("The new academic year is already being started."))
        if ClosedYear.objects.filter(organization=organization, start_year=from_year).exists():
            raise ValidationError(
                _("The %(year)s/%(next)s academic year has already been closed.")
                % {"year": from_year, "next": from_year + 1}
            )
        job = YearStartJob(
            organization=organization,
            from_year=from_year,
            staying=sorted(staying),
            created_by=actor if isinstance(actor, User) else None,
        )
        job.full_clean()
        job.save()
        audit(actor=actor, action="report.year_start_queue", obj=job)
        transaction.on_commit(partial(_enqueue, job.pk))
    job.refresh_from_db()
    return job


def year_start_cancel(*, actor: Actor, job: YearStartJob) -> YearStartJob:
    """Take back a start still queued (no worker has taken it: none may be running). Decided
    under the job's row lock: a worker that claimed it meanwhile wins and the start goes on; a
    cancelled start is never run, and a new one may be queued."""
    require_curator(actor, job.organization_id)
    with transaction.atomic():
        cancelled = job_cancel(YearStartJob, job.pk)
        if cancelled is None:
            raise ValidationError(
                _("The start can no longer be cancelled: the background worker has taken it.")
            )
        audit(actor=actor, action="report.year_start_cancel", obj=cancelled)
    return cancelled


def _enqueue(job_id: int) -> None:
    from nastavnik.reports.tasks import year_start_run  # tasks import this module

    year_start_run.enqueue(job_id=job_id)


def year_start_execute(*, job_id: int) -> YearStartJob | None:
    """The worker's part: claim the job, run ``year_start_next`` with its steps on the progress
    page, and mark the job done in the same transaction as the year's data (so a worker killed
    before the commit leaves the job «running» with a lapsing lease and nothing written)."""
    job = job_claim(YearStartJob, job_id)
    if job is None:
        return None
    organization = Organization.objects.get(pk=job.organization_id)
    try:
        if job.created_by is None:
            raise PermissionDenied
        with heartbeat(job), transaction.atomic():
            result = year_start_next(
                actor=job.created_by,
                organization=organization,
                from_year=job.from_year,
                staying=set(job.staying),
                progress=partial(job_step, job),
            )
            job_done(job, fields={"result": dataclasses.asdict(result), "step": ""})
    except ValidationError as exc:
        job_fail(job, " ".join(exc.messages))
    except PermissionDenied:
        job_fail(job, _("The one who started it may no longer do so."))
    except Exception:
        logger.exception("year start %s failed", job.pk)
        job_fail(
            job,
            _(
                "The new year could not be started because of an internal error; nothing was "
                "changed. Try again or ask the administrator."
            ),
        )
    return job


# --- the report as a PDF -------------------------------------------------------------------------


def report_pdf_queue(*, actor: Actor, organization: Organization, start_year: int) -> ReportFileJob:
    """Queue the organization's report for ``start_year`` as a PDF (for whoever may read the
    report); the worker lays it out once this commits."""
    if not report_organization_list(user=actor).filter(pk=organization.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        job = ReportFileJob(
            organization=organization,
            start_year=start_year,
            created_by=actor if isinstance(actor, User) else None,
        )
        job.full_clean()
        job.save()
        transaction.on_commit(partial(_enqueue_pdf, job.pk))
    job.refresh_from_db()
    return job


def _enqueue_pdf(job_id: int) -> None:
    from nastavnik.reports.tasks import report_pdf_run

    report_pdf_run.enqueue(job_id=job_id)


def report_pdf_execute(*, job_id: int) -> ReportFileJob | None:
    job = job_claim(ReportFileJob, job_id)
    if job is None:
        return None
    organization = Organization.objects.get(pk=job.organization_id)
    try:
        with heartbeat(job):
            job_step(job, 10, _("Counting the figures"))
            figures = organization_figures(organization=organization, start_year=job.start_year)
            extra = report_context(
                organization=organization, start_year=job.start_year, figures=figures
            )
            job_step(job, 40, _("Laying out the PDF"))
            content = exports.report_pdf(organization, job.start_year, figures, extra=extra)
            job_done(
                job,
                content=content,
                filename=f"report-{organization.code}-{job.start_year}.pdf",
                fields={"step": ""},
            )
    except Exception:
        logger.exception("report PDF %s failed", job.pk)
        job_fail(job, _("The PDF could not be made because of an internal error. Try again later."))
    return job
