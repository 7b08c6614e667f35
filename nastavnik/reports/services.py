"""Writes of monitoring reports: an organization submits, a coordinator accepts or returns."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, require_curator
from nastavnik.accounts.models import User
from nastavnik.core.audit import audit
from nastavnik.organizations.models import Organization
from nastavnik.reports.figures import figures_by_organization
from nastavnik.reports.models import ReportSubmission, SubmissionStatus
from nastavnik.reports.selectors import may_decide


def _login(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def report_submit(*, actor: Actor, organization: Organization, start_year: int) -> ReportSubmission:
    """Hand in the year's figures as they are now; a later submission is a new version."""
    require_curator(actor, organization.pk)
    with transaction.atomic():
        # One submitter at a time per organization: versions never collide.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        last = ReportSubmission.objects.filter(
            organization=organization, start_year=start_year
        ).aggregate(version=Max("version"))["version"]
        figures = figures_by_organization([organization.pk], start_year)[organization.pk]
        submission = ReportSubmission(
            organization=organization,
            start_year=start_year,
            version=(last or 0) + 1,
            status=SubmissionStatus.SUBMITTED,
            figures=figures.as_json(),
            submitted_by=_login(actor),
            submitted_at=timezone.now(),
        )
        submission.full_clean()
        submission.save()
        audit(
            actor=actor,
            action="report.submit",
            obj=submission,
            data={"start_year": start_year, "version": submission.version},
        )
    return submission


def submission_decide(
    *, actor: Actor, submission: ReportSubmission, accept: bool, comment: str = ""
) -> ReportSubmission:
    """Accept the submitted report, or return it with a comment saying what to correct."""
    if not may_decide(user=actor, organization=submission.organization):
        raise PermissionDenied(_("Only a coordinator of the territory may do this."))
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what to correct.")})
    with transaction.atomic():
        locked = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("This report has already been decided."))
        newer = ReportSubmission.objects.filter(
            organization_id=locked.organization_id,
            start_year=locked.start_year,
            version__gt=locked.version,
        ).exists()
        if newer:
            raise ValidationError(_("A newer version of this report has been submitted."))
        locked.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
        locked.comment = comment
        locked.decided_by = _login(actor)
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save()
        audit(actor=actor, action=f"report.{locked.status}", obj=locked)
    return locked
