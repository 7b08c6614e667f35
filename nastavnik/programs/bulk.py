"""The bulk variant of ``services.enrolment_upsert``, for imports of thousands of rows.

The same rules: a curator of the organization (``actor=None``: the system, the command line),
the person in the program's organization, the catalogue's rules (``enrolment_check_catalogue``),
no enrolment without both valid processing consents (152-ФЗ), a capacity only for mentors —
checked for all rows first (a few queries), then written with ``bulk_create`` /
``bulk_update``. A withdrawn enrolment named again becomes a candidate. The caller holds the
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user, require_curator
from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Person
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Program,
    Variant,
)
from nastavnik.programs.services import enrolment_check_catalogue

CHUNK = 2000


@dataclass
class EnrolmentWrite:
    program: Program
    person_id: int
    role: str
    variant: Variant | None = None
    capacity: int | None = None


def enrolments_bulk_upsert(
    *,
    actor: Any,
    writes: Sequence[EnrolmentWrite],
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Put the people in the programs' bases; returns how many enrolments were created or
    changed. Raises ValidationError (nothing written) if any row breaks a rule."""
    if not writes:
        return 0
    moment = now or timezone.now()
    organization_ids = {w.program.organization_id for w in writes}
    if actor is not None and not all(
        access_for(actor).is_curator_of(org_id) for org_id in organization_ids
    ):
        raise PermissionDenied(_("Only a curator of the organization may do this."))
    people = Person.objects.in_bulk({w.person_id for w in writes})
    for write in writes:
        person = people[write.person_id]
        if person.organization_id != write.program.organization_id:
            raise PermissionDenied(_("The person belongs to another organization."))
        if write.role not in EnrolmentRole.values:
            raise ValueError(write.role)
        enrolment_check_catalogue(
            program=write.program, person=person, role=write.role, variant=write.variant
        )
    valid = people_with_valid_consent(list(people), on=today or timezone.localdate())
    if not valid.issuperset(people):
        raise ValidationError(
            _("A person has no valid consent to the processing of personal data.")
        )
    program_ids = {w.program.pk for w in writes}
    person_ids = sorted({w.person_id for w in writes})
    existing = {
        (e.program_id, e.person_id, e.role): e
        for start in range(0, len(person_ids), CHUNK)
        for e in Enrolment.objects.filter(
            program_id__in=program_ids, person_id__in=person_ids[start : start + CHUNK]
        )
    }
    new: list[Enrolment] = []
    changed: list[Enrolment] = []
    for write in writes:
        enrolment = existing.get((write.program.pk, write.person_id, write.role))
        if enrolment is None:
            new.append(
                Enrolment(
                    organization_id=write.program.organization_id,
                    program=write.program,
                    person_id=write.person_id,
                    role=write.role,
                    status=EnrolmentStatus.CANDIDATE,
                    variant=write.variant,
                    capacity=write.capacity
                    if write.capacity is not None and write.role == EnrolmentRole.MENTOR
                    else 1,
                    created_at=moment,
                    updated_at=moment,
                )
            )
            continue
        before = (enrolment.variant_id, enrolment.capacity, enrolment.status)
        if write.variant is not None:
            enrolment.variant = write.variant
        if write.capacity is not None and enrolment.role == EnrolmentRole.MENTOR:
            enrolment.capacity = write.capacity
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            enrolment.status = EnrolmentStatus.CANDIDATE
        if (enrolment.variant_id, enrolment.capacity, enrolment.status) != before:
            enrolment.updated_at = moment
            changed.append(enrolment)
    created = {id(e) for e in new}
    for enrolment in (*new, *changed):
        enrolment.full_clean(exclude=["program", "person", "organization"], validate_unique=False)
    Enrolment.objects.bulk_create(new, batch_size=CHUNK)
    Enrolment.objects.bulk_update(
        changed, ["variant", "capacity", "status", "updated_at"], batch_size=CHUNK
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=user,
                organization_id=enrolment.organization_id,
                action="enrolment.create" if id(enrolment) in created else "enrolment.update",
                object_type="programs.enrolment",
                object_id=str(enrolment.pk),
                person_id=enrolment.person_id,
            )
            for enrolment in (*new, *changed)
        ),
        batch_size=CHUNK,
    )
    return len(new) + len(changed)


@transaction.atomic
def enrolments_approve(*, actor: Actor, program: Program, role: str) -> int:
    """Approve every candidate of one of the program's bases at once; returns how many.

    A curator who has formed a base from a spreadsheet approves it in one go rather than
    candidate by candidate. Only candidates change: approved, trained, active or withdrawn
    enrolments stay as they are. Written like ``enrolments_bulk_upsert``: one ``bulk_update``
    and one audit row per enrolment, in bulk.
    """
    require_curator(actor, program.organization_id)
    if role not in EnrolmentRole.values:
        raise ValueError(role)
    candidates = list(
        Enrolment.objects.select_for_update()
        .filter(program=program, role=role, status=EnrolmentStatus.CANDIDATE)
        .order_by("id")
    )
    moment = timezone.now()
    for enrolment in candidates:
        enrolment.status = EnrolmentStatus.APPROVED
        enrolment.updated_at = moment
    Enrolment.objects.bulk_update(candidates, ["status", "updated_at"], batch_size=CHUNK)
    user = actor_user(actor)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=user,
                organization_id=enrolment.organization_id,
                action="enrolment.update",
                object_type="programs.enrolment",
                object_id=str(enrolment.pk),
                person_id=enrolment.person_id,
                data={"fields": ["status"]},
            )
            for enrolment in candidates
        ),
        batch_size=CHUNK,
    )
    return len(candidates)
