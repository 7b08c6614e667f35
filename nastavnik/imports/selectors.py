"""Reads of imports, scoped to the acting user: curators and heads of the organization."""

from __future__ import annotations

from django.db.models import QuerySet

from nastavnik.accounts.access import Actor
from nastavnik.core.selectors import get_visible
from nastavnik.imports.models import ImportBatch
from nastavnik.organizations.models import Organization
from nastavnik.organizations.selectors import academic_year_current, staff_organization_list
from nastavnik.programs.models import Enrolment, Program


def import_batch_list(*, user: Actor) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.staff_view(user).select_related("organization", "created_by")


def import_batch_get(*, user: Actor, import_id: int) -> ImportBatch:
    return get_visible(import_batch_list(user=user), pk=import_id)


def bases_for_export(
    *, user: Actor, organization_id: int
) -> tuple[Organization, str, QuerySet[Enrolment]]:
    """The organization, its current academic year's title and the enrolments of its programs."""
    organization = get_visible(staff_organization_list(user=user), pk=organization_id)
    year = academic_year_current(organization=organization)
    enrolments = (
        Enrolment.objects.staff_view(user)
        .filter(
            organization=organization,
            program__organization=organization,
            program__academic_year_id=year.pk,
            person__anonymized_at__isnull=True,
        )
        .select_related("person", "program__form", "variant")
        .order_by(
            "program__form__position", "-role", "person__last_name", "person__first_name", "id"
        )
    )
    return organization, year.title, enrolments


def import_program_choices(*, batch: ImportBatch) -> list[Program]:
    """The programs the rows with a role may be enrolled in: the batch's organization's
    programs of the current academic year, of the forms the file names (any, if it names none).

    The batch has been read through ``import_batch_get``, so the user may see it and its
    organization's programs."""
    if batch.enrol_forms is None:
        return []
    year = academic_year_current(organization=batch.organization)
    if year.pk is None:
        return []
    programs = Program.objects.filter(organization_id=batch.organization_id, academic_year=year)
    if batch.enrol_forms:
        programs = programs.filter(form_id__in=batch.enrol_forms)
    return list(programs.select_related("form").order_by("title", "id"))
