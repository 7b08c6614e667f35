"""Writes of monitoring reports: an organization submits, a coordinator accepts or returns; the
curator sets the next year's targets and starts the next academic year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, require_curator
from nastavnik.accounts.models import User
from nastavnik.core.audit import audit
from nastavnik.core.jobs import Progress
from nastavnik.organizations.models import AcademicYear, Organization
from nastavnik.organizations.services import academic_year_ensure
from nastavnik.people import services as people_services
from nastavnik.programs import services as program_services
from nastavnik.programs.models import (
    EnrolmentRole,
    EnrolmentStatus,
    MentoringForm,
    MentoringModel,
    Program,
    RoadmapItem,
    Variant,
)
from nastavnik.reports.figures import figures_by_organization
from nastavnik.reports.models import (
    ClosedYear,
    ReportSubmission,
    SchoolLeaver,
    SubmissionStatus,
    YearTargets,
)
from nastavnik.reports.selectors import (
    may_decide,
    next_class,
    pupils_moving,
    year_start_preview,
)


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


# --- «Перспективные задачи» ---------------------------------------------------------------------


def targets_save(
    *,
    actor: Actor,
    organization: Organization,
    start_year: int,
    coverage_students: int | None,
    coverage_teachers: int | None,
    forms: Sequence[MentoringForm] = (),
    models_used: Sequence[MentoringModel] = (),
    variants: Sequence[Variant] = (),
    note: str = "",
) -> YearTargets:
    """Set the organization's targets for the academic year starting in ``start_year``."""
    require_curator(actor, organization.pk)
    foreign = [v for v in variants if v.organization_id not in (None, organization.pk)]
    if foreign:
        raise ValidationError({"variants": _("A variant of another organization was chosen.")})
    with transaction.atomic():
        targets = (
            YearTargets.objects.select_for_update()
            .filter(organization=organization, start_year=start_year)
            .first()
        ) or YearTargets(organization=organization, start_year=start_year)
        targets.coverage_students = coverage_students
        targets.coverage_teachers = coverage_teachers
        targets.note = note.strip()
        targets.updated_by = _login(actor)
        targets.full_clean()
        targets.save()
        targets.forms.set(forms)
        targets.models_used.set(models_used)
        targets.variants.set(variants)
        audit(actor=actor, action="report.targets", obj=targets, data={"start_year": start_year})
    return targets


# --- the start of a new academic year ---------------------------------------------------------


@dataclass
class YearStartResult:
    programs_created: int = 0
    enrolments_carried: int = 0
    moved_up: int = 0
    left: int = 0
    not_carried: list[str] = field(default_factory=list)


def _next_year_date(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def year_start_next(
    *,
    actor: Actor,
    organization: Organization,
    from_year: int,
    staying: Collection[int] = (),
    progress: Progress | None = None,
) -> YearStartResult:
    """Start the academic year after ``from_year``: close ``from_year`` (its figures are kept as
    they are now), carry its programs over (form, variants, models, goals, roadmap; at the first
    stage), carry their bases over (as candidates, but the leavers), move the pupils up a class;
    the pupils of the last grade leave, but those in ``staying`` (person ids: who repeats the
    year). One transaction: all of it or nothing — a worker killed midway leaves nothing
    written. ``progress(percent, step)`` hears each step before the commit (``core.jobs``)."""
    require_curator(actor, organization.pk)
    result = YearStartResult()
    report = progress or (lambda percent, text: None)
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if ClosedYear.objects.filter(organization=organization, start_year=from_year).exists():
            raise ValidationError(
                _("The %(year)s/%(next)s academic year has already been closed.")
                % {"year": from_year, "next": from_year + 1}
            )
        report(5, _("Closing the %(year)s/%(next)s academic year") % _period(from_year))
        preview = year_start_preview(user=actor, organization=organization, from_year=from_year)
        figures = figures_by_organization([organization.pk], from_year, frozen=False)
        ClosedYear.objects.create(
            organization=organization,
            start_year=from_year,
            figures=figures[organization.pk].as_json(),
            closed_by=_login(actor),
        )
        leaving = {
            leaver.person.pk for leaver in preview.leavers if leaver.person.pk not in staying
        }
        year = academic_year_ensure(organization=organization, day=dt.date(from_year + 1, 9, 1))
        carried = [p for p in preview.programs if p.form_id not in preview.existing_forms]
        for done, program in enumerate(carried):
            report(
                10 + 60 * done // max(len(carried), 1),
                _("Carrying programs over: %(done)s of %(total)s")
                % {"done": done, "total": len(carried)},
            )
            created = _carry_program(actor, program, year, result)
            _carry_base(actor, program, created, leaving, result)
        if organization.kind == Organization.Kind.SCHOOL:
            _pupils_move(actor, organization, from_year, leaving, result, report)
        audit(
            actor=actor,
            action="report.year_start",
            organization_id=organization.pk,
            message=_("The %(year)s/%(next)s academic year started.")
            % {"year": from_year + 1, "next": from_year + 2},
            data={
                "programs": result.programs_created,
                "enrolments": result.enrolments_carried,
                "moved_up": result.moved_up,
                "left": result.left,
            },
        )
    return result


def _period(start_year: int) -> dict[str, int]:
    return {"year": start_year, "next": start_year + 1}


def _pupils_move(
    actor: Actor,
    organization: Organization,
    from_year: int,
    leaving: set[int],
    result: YearStartResult,
    report: Progress,
) -> None:
    """Every pupil up a class, then the last grade's leavers recorded (those staying repeat)."""
    pupils = list(pupils_moving(organization))
    steps = [(pupil, next_class(pupil.class_name)) for pupil in pupils]
    moving = [(pupil, step) for pupil, step in steps if step]
    for done, (pupil, new_class) in enumerate(moving):
        if done % 50 == 0:
            report(
                70 + 20 * done // max(len(moving), 1),
                _("Moving pupils up a class: %(done)s of %(total)s")
                % {"done": done, "total": len(moving)},
            )
        people_services.person_update(actor=actor, person=pupil, data={"class_name": new_class})
        result.moved_up += 1
    report(90, _("Recording the school leavers"))
    for pupil, last in steps:
        if last is None and pupil.pk in leaving:
            SchoolLeaver.objects.create(
                organization=organization, person=pupil, start_year=from_year
            )
            result.left += 1


def _carry_program(
    actor: Actor, program: Program, year: AcademicYear, result: YearStartResult
) -> Program:
    title = program.title.replace(program.academic_year.title, year.title)
    created = program_services.program_create(
        actor=actor,
        organization=program.organization,
        academic_year=year,
        form=program.form,
        variants=list(program.variants.all()),
        models_used=list(program.models_used.all()),
        title=title,
        goals=program.goals,
        tasks=program.tasks,
        expected_results=program.expected_results,
        curator=program.curator,
        support_kinds=program.support_kinds,
        group_counts_as_one_place=program.group_counts_as_one_place,
    )
    for item in program.roadmap.order_by("pk"):
        program_services.roadmap_item_save(
            actor=actor,
            item=RoadmapItem(
                organization_id=program.organization_id,
                program=created,
                stage=item.stage,
                title=item.title,
                starts_on=_next_year_date(item.starts_on) if item.starts_on else None,
                due_on=_next_year_date(item.due_on),
                responsible=item.responsible,
                result=item.result,
                is_public=item.is_public,
            ),
        )
    result.programs_created += 1
    return created


def _carry_base(
    actor: Actor,
    program: Program,
    created: Program,
    leaving: set[int],
    result: YearStartResult,
) -> None:
    """The year's base, as candidates of the next year's program (a person's consent is checked
    again; whoever has none left stays out and is named)."""
    for enrolment in (
        program.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN)
        .exclude(person_id__in=leaving)
        .filter(person__anonymized_at__isnull=True)
        .select_related("person", "variant")
        .order_by("pk")
    ):
        try:
            with transaction.atomic():
                program_services.enrolment_upsert(
                    actor=actor,
                    program=created,
                    person=enrolment.person,
                    role=enrolment.role,
                    capacity=enrolment.capacity if enrolment.role == EnrolmentRole.MENTOR else None,
                    variant=enrolment.variant,
                    status=EnrolmentStatus.CANDIDATE,
                )
        except ValidationError:
            result.not_carried.append(enrolment.person.full_name)
            continue
        result.enrolments_carried += 1
