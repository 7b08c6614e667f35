"""Reads of programs and their bases, scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nastavnik.accounts.access import access_for
from nastavnik.core.selectors import get_visible
from nastavnik.core.text import search_key
from nastavnik.programs.models import Enrolment, MentoringForm, Program, Variant


def program_list(*, user: Any, organization_id: int | None = None) -> QuerySet[Program]:
    """Programs of the organizations the user belongs to (any role)."""
    access = access_for(user)
    qs = Program.objects.select_related("organization", "academic_year", "form")
    if not access.is_admin:
        qs = qs.filter(organization_id__in=access.member_org_ids)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs


def program_get(*, user: Any, program_id: int) -> Program:
    return get_visible(program_list(user=user), pk=program_id)


def enrolment_list(*, user: Any, program: Program) -> QuerySet[Enrolment]:
    """The base of a program: everyone for its staff, one's own enrolments for others."""
    access = access_for(user)
    qs = Enrolment.objects.filter(program=program).select_related("person", "variant")
    if access.is_staff_of(program.organization_id):
        return qs
    if access.user_id is None:
        return qs.none()
    return qs.filter(person__user_id=access.user_id)


def form_find(name: str) -> MentoringForm | None:
    """A form by its name or code, tolerant of case, ё and the kind of dash («учитель-ученик»)."""
    key = _dashless(name)
    for form in MentoringForm.objects.all():
        if key in {_dashless(form.name), _dashless(form.code)}:
            return form
    return None


def variant_find(*, form: MentoringForm, organization_id: int, name: str) -> Variant | None:
    key = _dashless(name)
    for variant in Variant.objects.filter(form=form).filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    ):
        if key in {_dashless(variant.name), _dashless(variant.code)}:
            return variant
    return None


def _dashless(text: str) -> str:
    return "".join(ch for ch in search_key(text) if ch.isalnum())
