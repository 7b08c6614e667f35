"""The bulk variants of the people services (used by imports) keep the pages' rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.core.models import AuditEntry
from nastavnik.people.bulk import PersonWrite, people_bulk_create, people_bulk_update
from nastavnik.people.models import Person
from tests.conftest import Tenant

PUPIL = {"last_name": "орлова", "first_name": "ксения", "category": "student", "class_name": "5 в"}


def test_bulk_create_normalizes_validates_and_audits(tenant_a: Tenant) -> None:
    write = PersonWrite(fields=dict(PUPIL), profile={"interests": "шахматы"})
    people_bulk_create(actor=tenant_a.curator, organization=tenant_a.organization, writes=[write])
    person = Person.objects.get(pk=write.person_id)
    assert (person.full_name, person.class_name) == ("Орлова Ксения", "5В")
    assert person.profile.interests == "шахматы"
    assert AuditEntry.objects.filter(action="person.create", person_id=person.pk).exists()


@pytest.mark.parametrize(
    "change", [{"snils": "112-233-445 96"}, {"last_name": "Орлова\u202e"}, {"first_name": "<b>"}]
)
def test_bulk_create_refuses_what_the_form_refuses(tenant_a: Tenant, change: dict) -> None:
    with pytest.raises(ValidationError):
        people_bulk_create(
            actor=tenant_a.curator,
            organization=tenant_a.organization,
            writes=[PersonWrite(fields={**PUPIL, **change})],
        )
    assert not Person.objects.filter(first_name__in=["Ксения", "<b>"]).exists()


def test_bulk_writes_need_the_right_in_the_organization(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with pytest.raises(PermissionDenied):
        people_bulk_create(
            actor=tenant_b.curator,
            organization=tenant_a.organization,
            writes=[PersonWrite(fields=dict(PUPIL))],
        )
    with pytest.raises(PermissionDenied):
        people_bulk_update(
            actor=tenant_a.mentee,
            organization=tenant_a.organization,
            writes=[PersonWrite(person_id=tenant_a.student.pk, fields={"class_name": "6А"})],
        )


def test_bulk_update_changes_only_the_given_fields(tenant_a: Tenant) -> None:
    student = tenant_a.student
    people_bulk_update(
        actor=tenant_a.curator,
        organization=tenant_a.organization,
        writes=[PersonWrite(person_id=student.pk, fields={"class_name": "6 «а»"})],
    )
    student.refresh_from_db()
    assert student.class_name == "6А"
