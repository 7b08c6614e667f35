"""Writes of programs and their bases."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user, require_curator
from nastavnik.consents.selectors import ensure_processing_allowed
from nastavnik.consents.subject_access import rows
from nastavnik.core.audit import audit
from nastavnik.organizations.models import AcademicYear, Organization
from nastavnik.organizations.services import academic_year_current_ensure
from nastavnik.people.models import Person
from nastavnik.programs.load import mentor_load
from nastavnik.programs.models import (
    ContourTask,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    MentoringForm,
    MentoringModel,
    Partner,
    Program,
    RoadmapItem,
    Stage,
    StageTask,
    Tandem,
    TandemMember,
    TandemNote,
    TandemStep,
    TandemToolItem,
    TrainingAttendance,
    TrainingSession,
    Variant,
    VariantRule,
)
from nastavnik.programs.stages import CHECKLISTS, warnings_for_entering

# Years of teaching experience of a young specialist («молодой специалист»).
YOUNG_SPECIALIST_MAX_YEARS = 3


@transaction.atomic
def program_get_or_create_current(
    *, actor: Actor, organization: Organization, form: MentoringForm
) -> tuple[Program, bool]:
    """The current academic year's program of this form, created if there is none."""
    require_curator(actor, organization.pk)
    year = academic_year_current_ensure(organization=organization)
    program = (
        Program.objects.filter(organization=organization, academic_year=year, form=form)
        .order_by("id")
        .first()
    )
    if program is not None:
        return program, False
    program = Program.objects.create(
        organization=organization,
        academic_year=year,
        form=form,
        title=_("Mentoring program «%(form)s», %(year)s") % {"form": form.name, "year": year.title},
        curator=actor_user(actor),
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    checklist_ensure(program=program)
    audit(actor=actor, action="program.create", obj=program)
    return program, True


@transaction.atomic
def enrolment_upsert(
    *,
    actor: Actor,
    program: Program,
    person: Person,
    role: str,
    capacity: int | None = None,
    variant: Variant | None = None,
    status: str | None = None,
) -> tuple[Enrolment, bool]:
    """Put a person in the program's base with a role; returns (enrolment, changed).

    Idempotent: the same call twice changes nothing the second time.
    """
    require_curator(actor, program.organization_id)
    if person.organization_id != program.organization_id:
        raise PermissionDenied(_("The person belongs to another organization."))
    if role not in EnrolmentRole.values:
        raise ValueError(role)
    enrolment_check_catalogue(program=program, person=person, role=role, variant=variant)
    if status != EnrolmentStatus.WITHDRAWN:
        # No valid consent (152-ФЗ), no enrolment: raises ValidationError with the reason.
        ensure_processing_allowed(person)
    enrolment = Enrolment.objects.filter(program=program, person=person, role=role).first()
    created = enrolment is None
    if enrolment is None:
        enrolment = Enrolment(
            organization_id=program.organization_id,
            program=program,
            person=person,
            role=role,
            status=status or EnrolmentStatus.CANDIDATE,
        )
    changed = created
    wanted: dict[str, Any] = {}
    if capacity is not None and role == EnrolmentRole.MENTOR:
        wanted["capacity"] = capacity
    if variant is not None:
        wanted["variant"] = variant
    if status is not None:
        wanted["status"] = status
    for name, value in wanted.items():
        if getattr(enrolment, name) != value:
            setattr(enrolment, name, value)
            changed = True
    if changed:
        enrolment.full_clean()
        enrolment.save()
        audit(
            actor=actor,
            action="enrolment.create" if created else "enrolment.update",
            obj=enrolment,
            person_id=person.pk,
        )
    return enrolment, changed


class StageWarnings(Exception):
    """The program lacks something before the next stage; the curator may go on knowingly."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("; ".join(warnings))
        self.warnings = warnings


def enrolment_check_catalogue(
    *, program: Program, person: Person, role: str, variant: Variant | None
) -> None:
    """The catalogue's rules: who may be a mentor or a mentee in the program's form and variant."""
    form = program.form
    if role == EnrolmentRole.MENTOR and not form.allows_mentor(person.category):
        raise ValidationError(
            _("In the form «%(form)s» a %(category)s cannot be a mentor.")
            % {"form": form.name, "category": person.get_category_display()}
        )
    if role == EnrolmentRole.MENTEE and not form.allows_mentee(person.category):
        raise ValidationError(
            _("In the form «%(form)s» a %(category)s cannot be a mentee.")
            % {"form": form.name, "category": person.get_category_display()}
        )
    if variant is not None:
        if variant.form_id != form.pk or variant.organization_id not in (
            None,
            program.organization_id,
        ):
            raise ValidationError(_("The variant does not belong to the program's form."))
        if (
            variant.rule == VariantRule.YOUNG_SPECIALIST
            and role == EnrolmentRole.MENTEE
            and person.experience_years is not None
            and person.experience_years > YOUNG_SPECIALIST_MAX_YEARS
        ):
            raise ValidationError(
                _("A young specialist has at most %(years)s years of teaching experience.")
                % {"years": YOUNG_SPECIALIST_MAX_YEARS}
            )


def checklist_ensure(*, program: Program) -> None:
    """Create the shipped checklist items the program does not have yet (idempotent)."""
    have = set(StageTask.objects.filter(program=program).values_list("code", flat=True))
    StageTask.objects.bulk_create(
        StageTask(
            organization_id=program.organization_id,
            program=program,
            stage=item.stage,
            code=item.code,
            kind=item.kind,
            position=position,
        )
        for position, item in enumerate(CHECKLISTS)
        if item.code not in have
    )


def _check_variants(program: Program, variants: list[Variant]) -> None:
    for variant in variants:
        if variant.form_id != program.form_id or variant.organization_id not in (
            None,
            program.organization_id,
        ):
            raise ValidationError({"variants": _("A variant does not belong to the form.")})


PROGRAM_FIELDS = (
    "title",
    "goals",
    "tasks",
    "expected_results",
    "curator",
    "starts_on",
    "ends_on",
    "support_kinds",
    "group_counts_as_one_place",
    "is_public",
    "public_news",
)


@transaction.atomic
def program_create(
    *,
    actor: Actor,
    organization: Organization,
    academic_year: AcademicYear,
    form: MentoringForm,
    variants: list[Variant] | None = None,
    models_used: list[MentoringModel] | None = None,
    **fields: Any,
) -> Program:
    require_curator(actor, organization.pk)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    program = Program(organization=organization, academic_year=academic_year, form=form, **fields)
    if program.starts_on is None:
        program.starts_on = academic_year.starts_on
    if program.ends_on is None:
        program.ends_on = academic_year.ends_on
    program.full_clean()
    program.save()
    _check_variants(program, variants or [])
    program.variants.set(variants or [])
    program.models_used.set(models_used or [])
    checklist_ensure(program=program)
    audit(actor=actor, action="program.create", obj=program)
    return program


def _save_counting_every_member(program: Program) -> None:
    """Save a program that now counts every member of a group against its mentors' capacity,
    unless that would put a mentor of its open groups above their capacity (the caller's
    transaction is rolled back by the error)."""
    # Locked as ``mentorships_create`` locks them: no pair or group is formed meanwhile.
    mentors = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(program=program, role=EnrolmentRole.MENTOR)
        .select_related("person")
        .order_by("pk")
    )
    before = mentor_load(e.pk for e in mentors)
    program.save()
    after = mentor_load(e.pk for e in mentors)
    over = [e for e in mentors if after[e.pk] > max(e.capacity, before[e.pk])]
    if over:
        raise ValidationError(
            {
                "group_counts_as_one_place": _(
                    "If every member of a group takes a place, these mentors have more than "
                    "their capacity: %(names)s. Raise their capacity first."
                )
                % {
                    "names": ", ".join(
                        _("%(name)s (%(load)s of %(capacity)s places)")
                        % {
                            "name": e.person.full_name,
                            "load": after[e.pk],
                            "capacity": e.capacity,
                        }
                        for e in over
                    )
                }
            }
        )


@transaction.atomic
def program_update(
    *,
    actor: Actor,
    program: Program,
    data: dict[str, Any],
    variants: list[Variant] | None = None,
    models_used: list[MentoringModel] | None = None,
) -> Program:
    require_curator(actor, program.organization_id)
    changed = []
    for name in PROGRAM_FIELDS:
        if name in data and getattr(program, name) != data[name]:
            setattr(program, name, data[name])
            changed.append(name)
    program.full_clean()
    if "group_counts_as_one_place" in changed and not program.group_counts_as_one_place:
        _save_counting_every_member(program)
    else:
        program.save()
    if variants is not None:
        _check_variants(program, variants)
        program.variants.set(variants)
    if models_used is not None:
        program.models_used.set(models_used)
    audit(actor=actor, action="program.update", obj=program, data={"fields": changed})
    return program


@transaction.atomic
def program_stage_advance(*, actor: Actor, program: Program, confirm: bool = False) -> list[str]:
    """Move the program to the next stage. Without ``confirm``, raise ``StageWarnings`` listing
    what is missing; with it, go on and return the warnings (they are kept in the audit row)."""
    require_curator(actor, program.organization_id)
    if program.stage >= Stage.COMPLETION:
        raise ValidationError(_("The program is at its last stage."))
    target = program.stage + 1
    warnings = warnings_for_entering(program, target)
    if warnings and not confirm:
        raise StageWarnings(warnings)
    previous = program.stage
    program.stage = target
    program.stage_changed_at = timezone.now()
    program.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit(
        actor=actor,
        action="program.stage",
        obj=program,
        data={"from": previous, "to": target, "warnings": warnings},
    )
    return warnings


@transaction.atomic
def program_stage_back(*, actor: Actor, program: Program) -> Program:
    require_curator(actor, program.organization_id)
    if program.stage <= Stage.PREPARATION:
        raise ValidationError(_("The program is at its first stage."))
    previous = program.stage
    program.stage = previous - 1
    program.stage_changed_at = timezone.now()
    program.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit(
        actor=actor,
        action="program.stage",
        obj=program,
        data={"from": previous, "to": program.stage},
    )
    return program


@transaction.atomic
def stage_task_set_done(*, actor: Actor, task: StageTask, done: bool, note: str = "") -> StageTask:
    require_curator(actor, task.organization_id)
    task.done_at = timezone.now() if done else None
    task.done_by = actor_user(actor) if done else None
    task.note = note
    task.full_clean()
    task.save()
    audit(actor=actor, action="stage_task.done" if done else "stage_task.undone", obj=task)
    return task


@transaction.atomic
def stage_tasks_complete_before(*, actor: Actor, program: Program, stage: int) -> int:
    """Tick every open checklist item of the stages before ``stage`` at once (a program that was
    already running when it came into the system). Returns how many were ticked."""
    require_curator(actor, program.organization_id)
    count = StageTask.objects.filter(program=program, stage__lt=stage, done_at=None).update(
        done_at=timezone.now(),
        done_by=actor_user(actor),
        updated_at=timezone.now(),
    )
    audit(actor=actor, action="stage_task.complete_before", obj=program, data={"stage": stage})
    return count


@transaction.atomic
def stage_task_add(
    *, actor: Actor, program: Program, stage: int, title: str, kind: str
) -> StageTask:
    require_curator(actor, program.organization_id)
    task = StageTask(
        organization_id=program.organization_id,
        program=program,
        stage=stage,
        custom_title=title.strip(),
        kind=kind,
        position=1000,
    )
    if not task.custom_title:
        raise ValidationError({"custom_title": _("Enter a title.")})
    task.full_clean()
    task.save()
    audit(actor=actor, action="stage_task.create", obj=task)
    return task


@transaction.atomic
def variant_create(
    *,
    actor: Actor,
    organization: Organization,
    form: MentoringForm,
    name: str,
    description: str = "",
    rule: str = VariantRule.NONE,
) -> Variant:
    """An organization's own variant of a form («Лидер – Тихоня», «Вожатый – ребёнок»)."""
    require_curator(actor, organization.pk)
    from django.utils.text import slugify

    # Codes are Latin (SlugField); a Cyrillic name gives «own», «own-2», ...
    base = slugify(name)[:80] or "own"
    code, n = base, 1
    while Variant.objects.filter(form=form, organization=organization, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    variant = Variant(
        form=form,
        organization=organization,
        code=code,
        name=name.strip(),
        description=description.strip(),
        rule=rule,
    )
    variant.full_clean()
    variant.save()
    audit(actor=actor, action="variant.create", obj=variant, organization_id=organization.pk)
    return variant


ENROLMENT_FIELDS = ("status", "capacity", "notes", "interviewed_on", "interview_notes", "variant")


@transaction.atomic
def enrolment_update(*, actor: Actor, enrolment: Enrolment, data: dict[str, Any]) -> Enrolment:
    require_curator(actor, enrolment.organization_id)
    if "variant" in data:
        enrolment_check_catalogue(
            program=enrolment.program,
            person=enrolment.person,
            role=enrolment.role,
            variant=data["variant"],
        )
    changed = []
    for name in ENROLMENT_FIELDS:
        if name in data and getattr(enrolment, name) != data[name]:
            setattr(enrolment, name, data[name])
            changed.append(name)
    if changed:
        enrolment.full_clean()
        enrolment.save()
        audit(
            actor=actor,
            action="enrolment.update",
            obj=enrolment,
            person_id=enrolment.person_id,
            data={"fields": changed},
        )
    return enrolment


@transaction.atomic
def enrolment_mark_trained(
    *, actor: Actor, enrolment: Enrolment, trained: bool = True, on: dt.date | None = None
) -> Enrolment:
    """The «trained» mark of a mentor; a trained candidate or approved mentor becomes «trained»."""
    require_curator(actor, enrolment.organization_id)
    if enrolment.role != EnrolmentRole.MENTOR:
        raise ValidationError(_("Only a mentor is trained."))
    if trained:
        enrolment.trained_on = on or timezone.localdate()
        if enrolment.status in (EnrolmentStatus.CANDIDATE, EnrolmentStatus.APPROVED):
            enrolment.status = EnrolmentStatus.TRAINED
    else:
        enrolment.trained_on = None
        if enrolment.status == EnrolmentStatus.TRAINED:
            enrolment.status = EnrolmentStatus.APPROVED
    enrolment.full_clean()
    enrolment.save()
    audit(
        actor=actor,
        action="enrolment.trained" if trained else "enrolment.untrained",
        obj=enrolment,
        person_id=enrolment.person_id,
    )
    return enrolment


M = TypeVar("M", bound=models.Model)


def _save_program_part(actor: Actor, obj: M, action: str) -> M:
    """Save an object that belongs to a program (roadmap item, partner, ...): the curator of the
    program's organization only; the organization is always the program's."""
    program: Program = obj.program  # type: ignore[attr-defined]
    require_curator(actor, program.organization_id)
    obj.organization_id = program.organization_id  # type: ignore[attr-defined]
    created = obj.pk is None
    obj.full_clean()
    obj.save()
    audit(actor=actor, action=f"{action}.{'create' if created else 'update'}", obj=obj)
    return obj


@transaction.atomic
def roadmap_item_save(*, actor: Actor, item: RoadmapItem) -> RoadmapItem:
    return _save_program_part(actor, item, "roadmap_item")


@transaction.atomic
def roadmap_item_delete(*, actor: Actor, item: RoadmapItem) -> None:
    require_curator(actor, item.organization_id)
    audit(actor=actor, action="roadmap_item.delete", obj=item)
    item.delete()


@transaction.atomic
def contour_task_save(*, actor: Actor, task: ContourTask) -> ContourTask:
    return _save_program_part(actor, task, "contour_task")


@transaction.atomic
def partner_save(*, actor: Actor, partner: Partner) -> Partner:
    return _save_program_part(actor, partner, "partner")


@transaction.atomic
def training_session_save(*, actor: Actor, session: TrainingSession) -> TrainingSession:
    return _save_program_part(actor, session, "training_session")


@transaction.atomic
def training_attendance_set(
    *,
    actor: Actor,
    session: TrainingSession,
    enrolments: list[Enrolment],
    mark_trained: bool = False,
) -> TrainingSession:
    """Who attended a session (mentors of the program only); optionally mark them trained."""
    require_curator(actor, session.organization_id)
    for enrolment in enrolments:
        if enrolment.program_id != session.program_id or enrolment.role != EnrolmentRole.MENTOR:
            raise ValidationError(_("Only the program's mentors attend its training."))
    session.attendance.exclude(enrolment__in=enrolments).delete()
    have = set(session.attendance.values_list("enrolment_id", flat=True))
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(organization_id=session.organization_id, session=session, enrolment=e)
        for e in enrolments
        if e.pk not in have
    )
    audit(
        actor=actor,
        action="training_session.attendance",
        obj=session,
        data={"enrolments": [e.pk for e in enrolments]},
    )
    if mark_trained:
        for enrolment in enrolments:
            if not enrolment.is_trained:
                enrolment_mark_trained(actor=actor, enrolment=enrolment, on=session.held_on)
    return session


@transaction.atomic
def tandem_create(
    *, actor: Actor, program: Program, name: str, members: list[Person], interest: str = ""
) -> Tandem:
    """A tandem of two or more colleagues on mutual professional interest."""
    require_curator(actor, program.organization_id)
    if len({m.pk for m in members}) < 2:
        raise ValidationError(_("A tandem has at least two members."))
    if any(m.organization_id != program.organization_id for m in members):
        raise PermissionDenied(_("The person belongs to another organization."))
    tandem = Tandem(
        organization_id=program.organization_id,
        program=program,
        name=name.strip(),
        interest=interest.strip(),
        step=TandemStep.FORMING,
    )
    tandem.full_clean()
    tandem.save()
    TandemMember.objects.bulk_create(
        TandemMember(organization_id=program.organization_id, tandem=tandem, person=m)
        for m in {m.pk: m for m in members}.values()
    )
    audit(actor=actor, action="tandem.create", obj=tandem)
    return tandem


@transaction.atomic
def tandem_update(*, actor: Actor, tandem: Tandem, step: int, goals: str, interest: str) -> Tandem:
    require_curator(actor, tandem.organization_id)
    if step == TandemStep.TEAM and not goals.strip():
        raise ValidationError({"goals": _("A team needs common goals.")})
    tandem.step = step
    tandem.goals = goals.strip()
    tandem.interest = interest.strip()
    tandem.full_clean()
    tandem.save()
    audit(actor=actor, action="tandem.update", obj=tandem, data={"step": step})
    return tandem


def _require_tandem_writer(actor: Actor, tandem: Tandem) -> None:
    """The tandem's exchange and toolkit are recorded by its members themselves, by the curator,
    and by the head, who supports the tandems."""
    access = access_for(actor)
    if access.is_staff_of(tandem.organization_id):
        return
    if (
        access.user_id is not None
        and TandemMember.objects.filter(tandem=tandem, person__user_id=access.user_id).exists()
    ):
        return
    raise PermissionDenied(_("Only a member of the tandem, the curator or the head may do this."))


@transaction.atomic
def tandem_note_add(*, actor: Actor, note: TandemNote) -> TandemNote:
    _require_tandem_writer(actor, note.tandem)
    note.organization_id = note.tandem.organization_id
    note.full_clean()
    note.save()
    audit(actor=actor, action="tandem_note.create", obj=note)
    return note


@transaction.atomic
def tandem_tool_add(*, actor: Actor, item: TandemToolItem) -> TandemToolItem:
    _require_tandem_writer(actor, item.tandem)
    item.organization_id = item.tandem.organization_id
    item.full_clean()
    item.save()
    audit(actor=actor, action="tandem_tool.create", obj=item)
    return item


@transaction.atomic
def tandem_set_order(
    *, actor: Actor, program: Program, number: str, date: dt.date, tandem_ids: list[int]
) -> int:
    """Record the order that fixed the program's tandems at the fifth step (a team)."""
    require_curator(actor, program.organization_id)
    count = Tandem.objects.filter(
        program=program, pk__in=list(tandem_ids), step=TandemStep.TEAM
    ).update(order_number=number.strip(), order_date=date)
    audit(
        actor=actor,
        action="tandem.order",
        organization_id=program.organization_id,
        data={"program": program.pk, "number": number, "date": date.isoformat()},
    )
    return count


def enrolments_forget(person: Person) -> None:
    """The anonymization's part in programs (a ``consents`` anonymizer): the person leaves every
    base, and what was noted about them goes."""
    Enrolment.objects.filter(person=person).exclude(status=EnrolmentStatus.WITHDRAWN).update(
        status=EnrolmentStatus.WITHDRAWN
    )
    Enrolment.objects.filter(person=person).update(notes="")


def enrolments_export(person: Person) -> list[dict[str, Any]]:
    """The person's enrolments for a subject access request (a ``consents`` export section)."""
    return rows(
        Enrolment.objects.filter(person=person).order_by("id"),
        [
            "program__title",
            "program__academic_year__start_year",
            "role",
            "status",
            "variant__name",
            "capacity",
            "notes",
            "created_at",
        ],
    )
