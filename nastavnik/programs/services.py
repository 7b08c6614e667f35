"""Writes of programs and their bases."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for
from nastavnik.consents.selectors import ensure_processing_allowed
from nastavnik.core.audit import audit
from nastavnik.organizations.models import Organization
from nastavnik.organizations.selectors import academic_year_current
from nastavnik.people.models import Person
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    MentoringForm,
    Program,
    Variant,
)


def _require_curator(actor: Any, organization_id: int) -> None:
    if not access_for(actor).is_curator_of(organization_id):
        raise PermissionDenied(_("Only a curator of the organization may do this."))


@transaction.atomic
def program_get_or_create_current(
    *, actor: Any, organization: Organization, form: MentoringForm
) -> tuple[Program, bool]:
    """The current academic year's program of this form, created if there is none."""
    _require_curator(actor, organization.pk)
    year = academic_year_current(organization=organization)
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
        curator=actor if getattr(actor, "is_authenticated", False) else None,
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    audit(actor=actor, action="program.create", obj=program)
    return program, True


@transaction.atomic
def enrolment_upsert(
    *,
    actor: Any,
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
    _require_curator(actor, program.organization_id)
    if person.organization_id != program.organization_id:
        raise PermissionDenied(_("The person belongs to another organization."))
    if role not in EnrolmentRole.values:
        raise ValueError(role)
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
