"""Applying a plan: everything the import writes, in one transaction.

``plan.build_plan`` has read the file and decided every row; ``apply_plan`` does exactly that —
programs, people, profiles and competencies, consents (through the consents app), enrolments
and the audit — so nothing partial survives a failure and the preview's counts are the
commit's. Writes are bulk_create / bulk_update in chunks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.consents.services import consent_record
from nastavnik.core.audit import audit
from nastavnik.imports.files import FileRejected
from nastavnik.imports.plan import (
    CREATE,
    ENROL_NEW,
    ENROL_UPDATE,
    PERSON_FIELDS,
    PROFILE_FIELDS,
    UPDATE,
    Plan,
    PlannedRow,
)
from nastavnik.organizations.models import Organization
from nastavnik.organizations.services import academic_year_current_ensure
from nastavnik.people.bulk import PersonWrite, people_bulk_create, people_bulk_update
from nastavnik.people.models import Person
from nastavnik.programs.bulk import EnrolmentWrite, enrolments_bulk_upsert
from nastavnik.programs.models import Program
from nastavnik.programs.services import program_get_or_create_current


@dataclass
class Applied:
    created: int
    updated: int
    skipped: int
    enrolled: int


def apply_plan(
    *, plan: Plan, actor: Any, skip_invalid: bool, batch_id: int | None = None
) -> Applied:
    """Write the plan in one transaction. Invalid rows abort it unless ``skip_invalid``."""
    invalid = plan.invalid_rows
    if invalid and not skip_invalid:
        raise FileRejected(
            ngettext(
                "%(count)s row has problems, so nothing was imported. Fix it and upload the "
                "file again, or choose «skip invalid rows».",
                "%(count)s rows have problems, so nothing was imported. Fix them and upload the "
                "file again, or choose «skip invalid rows».",
                len(invalid),
            )
            % {"count": len(invalid)}
        )
    if actor is None and any(row.consent_purposes for row in plan.rows):
        # A plan built with record_consents=True promises consents only an actor can record.
        raise ValueError("the plan records consents: apply it with an actor")
    now = timezone.now()
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        programs = _ensure_programs(plan, actor)
        created_people = _create_people(plan, actor, batch_id, now)
        updated = _update_people(plan, actor, batch_id, now)
        _record_consents(plan, actor)
        enrolled = _enrol(plan, programs, actor_user, now)
    return Applied(created=created_people, updated=updated, skipped=len(invalid), enrolled=enrolled)


def _ensure_programs(plan: Plan, actor: Any) -> dict[int, Program]:
    wanted = {
        row.data.form.pk: row.data.form
        for row in plan.rows
        if row.enrol in (ENROL_NEW, ENROL_UPDATE) and row.data.form is not None
    }
    programs = dict(plan.programs)
    for form_id, form in wanted.items():
        if form_id in programs:
            continue
        if actor is None:
            programs[form_id] = _program_create_for_command_line(plan.organization, form)
        else:
            programs[form_id], _created = program_get_or_create_current(
                actor=actor, organization=plan.organization, form=form
            )
    return programs


def _program_create_for_command_line(organization: Organization, form: Any) -> Program:
    """``manage.py import_people`` runs as the system, not as a curator: the same program
    ``program_get_or_create_current`` would create, with the audit row's actor empty."""
    year = academic_year_current_ensure(organization=organization)
    program = Program.objects.create(
        organization=organization,
        academic_year=year,
        form=form,
        title=_("Mentoring program «%(form)s», %(year)s") % {"form": form.name, "year": year.title},
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    audit(actor=None, action="program.create", obj=program, message="import_people")
    return program


def _create_people(plan: Plan, actor: Any, batch_id: int | None, now: dt.datetime) -> int:
    """Through the people app's bulk create: its validation, profiles and audit rows."""
    rows = [row for row in plan.rows if row.action == CREATE]
    writes = [
        PersonWrite(
            fields={k: v for k, v in row.data.values.items() if k in PERSON_FIELDS},
            profile={k: row.data.values.get(k, "") for k in PROFILE_FIELDS},
            competency_ids=row.data.competency_ids,
            deficit_ids=row.data.deficit_ids or [],
            audit_data={"fields": ["created"], "import": batch_id},
        )
        for row in rows
    ]
    people_bulk_create(
        actor=actor,
        organization=plan.organization,
        writes=writes,
        audit_action="person.import_create",
        now=now,
    )
    for row, write in zip(rows, writes, strict=True):
        row.person_id = write.person_id
        row.changes = ["created"]
    return len(rows)


def _pid(row: PlannedRow) -> int:
    assert row.person_id is not None
    return row.person_id


def _update_people(plan: Plan, actor: Any, batch_id: int | None, now: dt.datetime) -> int:
    """Through the people app's bulk update: only the fields the plan found changed."""
    rows = [row for row in plan.rows if row.action == UPDATE and row.person_id is not None]
    writes = [
        PersonWrite(
            person_id=row.person_id,
            fields={k: row.data.values[k] for k in row.changes if k in PERSON_FIELDS},
            profile={k: row.data.values[k] for k in row.changes if k in PROFILE_FIELDS},
            competency_ids=(row.data.competency_ids or []) if row.competencies_changed else None,
            deficit_ids=(row.data.deficit_ids or []) if "deficits" in row.changes else [],
            audit_data={"fields": row.changes, "import": batch_id},
        )
        for row in rows
    ]
    people_bulk_update(
        actor=actor,
        organization=plan.organization,
        writes=writes,
        audit_action="person.import_update",
        now=now,
    )
    return len(rows)


def _record_consents(plan: Plan, actor: Any) -> None:
    """Record the consents of «Согласие получено» through the consents app (its text version,
    term and audit), before the enrolment that needs them.

    Which rows record consents, and which of them are enrolled, the plan has decided (a plan
    without an actor has no such rows). The enrolments are checked against the consents once
    more: a person without both valid consents is never put in a base — should the database have
    changed since the plan, the whole import fails rather than differ from its preview.
    """
    rows = [r for r in plan.rows if r.consent_purposes and r.person_id is not None]
    people = Person.objects.in_bulk([_pid(r) for r in rows])
    for row in rows:
        for purpose in row.consent_purposes:
            consent_record(
                actor=actor,
                person=people[_pid(row)],
                purpose=purpose,
                given_on=row.data.values["consent_date"],
                given_by=row.consent_given_by,
                representative_name=row.data.values.get("representative", ""),
            )
    enrolling = [_pid(r) for r in plan.rows if r.enrol in (ENROL_NEW, ENROL_UPDATE)]
    if enrolling:
        valid = people_with_valid_consent(enrolling, on=plan.today)
        if not valid.issuperset(enrolling):
            raise RuntimeError("an enrolment of the plan lacks a valid consent")


def _enrol(plan: Plan, programs: dict[int, Program], actor_user: Any, now: dt.datetime) -> int:
    """Through the programs app's bulk upsert: its catalogue, consent and capacity rules."""
    writes = [
        EnrolmentWrite(
            program=programs[row.data.form.pk],
            person_id=_pid(row),
            role=row.data.values["role"],
            variant=row.data.variant,
            capacity=row.data.values.get("capacity"),
        )
        for row in plan.rows
        if row.enrol in (ENROL_NEW, ENROL_UPDATE) and row.data.form is not None
    ]
    return enrolments_bulk_upsert(actor=actor_user, writes=writes, today=plan.today, now=now)
