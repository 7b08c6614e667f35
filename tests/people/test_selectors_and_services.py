from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.core.models import AuditEntry
from nastavnik.people import services
from nastavnik.people.models import Person, PersonCategory, availability_bit
from nastavnik.people.selectors import person_get, person_list
from tests.conftest import Tenant
from tests.factories import PersonFactory, competency


def names(qs: object) -> set[str]:
    return {p.last_name for p in qs}  # type: ignore[attr-defined]


def test_curator_sees_own_organization_only(tenant_a: Tenant, tenant_b: Tenant) -> None:
    visible = names(person_list(user=tenant_a.curator))
    assert tenant_a.student.last_name in visible
    assert tenant_b.student.last_name not in visible


def test_mentor_mentee_and_coordinator_see_no_pupil_records(
    tenant_a: Tenant, coordinator: object
) -> None:
    assert names(person_list(user=tenant_a.mentor)) == {tenant_a.mentor_person.last_name}
    assert names(person_list(user=tenant_a.mentee)) == {tenant_a.mentee_person.last_name}
    assert names(person_list(user=coordinator)) == set()


def test_admin_sees_everyone(tenant_a: Tenant, tenant_b: Tenant, admin_user: object) -> None:
    visible = names(person_list(user=admin_user))
    assert {tenant_a.student.last_name, tenant_b.student.last_name} <= visible


def test_other_organization_answers_404(tenant_a: Tenant, tenant_b: Tenant) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        person_get(user=tenant_a.curator, person_id=tenant_b.student.pk)
    with pytest.raises(Http404):
        person_get(user=tenant_a.curator, person_id=10**9)


def test_search_and_filters(tenant_a: Tenant) -> None:
    org = tenant_a.organization
    PersonFactory(organization=org, last_name="Ёжикова", first_name="Алёна", class_name="5 «А»")
    PersonFactory(organization=org, last_name="Ежов", class_name="6а")
    curator = tenant_a.curator
    assert names(person_list(user=curator, query="ежикова алена")) == {"Ёжикова"}
    assert names(person_list(user=curator, query="еж")) == {"Ёжикова", "Ежов"}
    assert names(person_list(user=curator, class_name="5-а")) == {"Ёжикова"}
    teachers = person_list(user=curator, category=PersonCategory.TEACHER)
    assert names(teachers) == {tenant_a.mentor_person.last_name}


def test_person_create_needs_staff_and_writes_audit(tenant_a: Tenant, tenant_b: Tenant) -> None:
    person = services.person_create(
        actor=tenant_a.curator,
        organization=tenant_a.organization,
        last_name="петрова",
        first_name="мария",
        category=PersonCategory.STUDENT,
        class_name="7 б",
    )
    assert (person.full_name, person.class_name) == ("Петрова Мария", "7Б")
    assert AuditEntry.objects.filter(action="person.create", person_id=person.pk).exists()
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=tenant_b.curator,
            organization=tenant_a.organization,
            last_name="Х",
            first_name="Y",
            category=PersonCategory.STUDENT,
        )
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=tenant_a.mentor,
            organization=tenant_a.organization,
            last_name="Х",
            first_name="Y",
            category=PersonCategory.STUDENT,
        )


def test_person_create_rejects_bad_snils(tenant_a: Tenant) -> None:
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=tenant_a.curator,
            organization=tenant_a.organization,
            last_name="Сидоров",
            first_name="Иван",
            category=PersonCategory.TEACHER,
            snils="112-233-445 96",
        )
    assert "snils" in error.value.message_dict
    assert not Person.objects.filter(last_name="Сидоров").exists()


def test_profile_update_by_self_and_refused_to_others(tenant_a: Tenant, tenant_b: Tenant) -> None:
    person = tenant_a.mentor_person
    robotics, chess = competency("robotics"), competency("chess")
    kwargs = {
        "interests": "Робототехника, шахматы",
        "request": "",
        "preferred_format": "online",
        "availability": availability_bit(0, 2) | availability_bit(3, 1),
        "notes": "",
        "competencies": {robotics.pk: 3, chess.pk: 2},
        "deficits": [competency("formative-assessment").pk],
        "achievements": {competency("mathematics").pk: 2},
    }
    profile = services.profile_update(actor=tenant_a.mentor, person=person, **kwargs)
    assert dict(profile.competency_levels.values_list("competency__code", "level")) == {
        "robotics": 3,
        "chess": 2,
    }
    # Editing again replaces, it does not duplicate.
    kwargs["competencies"] = {robotics.pk: 1}
    services.profile_update(actor=tenant_a.curator, person=person, **kwargs)
    assert list(profile.competency_levels.values_list("competency__code", "level")) == [
        ("robotics", 1)
    ]
    for outsider in (tenant_b.curator, tenant_a.mentee):
        with pytest.raises(PermissionDenied):
            services.profile_update(actor=outsider, person=person, **kwargs)
