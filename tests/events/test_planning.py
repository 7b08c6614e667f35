"""Planning from the staff's combined deficits: counts of teachers per deficit, who covers it,
the suggested form and the button that opens a new event for it."""

from __future__ import annotations

import pytest

from nastavnik.events.planning import shared_deficits
from nastavnik.people.models import Level, Profile, ProfileCompetency, ProfileDeficit
from nastavnik.programs.models import Enrolment
from tests.conftest import Tenant, login
from tests.factories import PersonFactory, ProgramFactory, TeacherFactory, competency

pytestmark = pytest.mark.django_db


def _profile(person: object) -> Profile:
    profile, _created = Profile.objects.get_or_create(
        person=person,
        defaults={"organization": person.organization},  # type: ignore[attr-defined]
    )
    return profile


def _deficit(profile: Profile, code: str) -> None:
    ProfileDeficit.objects.create(
        organization=profile.organization, profile=profile, competency=competency(code)
    )


def _masters(profile: Profile, code: str, level: int) -> None:
    ProfileCompetency.objects.create(
        organization=profile.organization, profile=profile, competency=competency(code), level=level
    )


def _staff(tenant: Tenant) -> dict[str, Profile]:
    org = tenant.organization
    teachers = [
        _profile(TeacherFactory(organization=org, last_name=f"Учитель{i}")) for i in range(3)
    ]
    for profile in teachers:
        _deficit(profile, "formative-assessment")
    _deficit(teachers[0], "digital-tools")
    # A pupil's deficit is not the staff's.
    _deficit(_profile(PersonFactory(organization=org)), "digital-tools")
    expert = _profile(TeacherFactory(organization=org, last_name="Экспертова"))
    _masters(expert, "digital-tools", Level.EXPERT)
    colleague = _profile(TeacherFactory(organization=org, last_name="Коллегина"))
    _masters(colleague, "formative-assessment", Level.CONFIDENT)
    beginner = _profile(TeacherFactory(organization=org, last_name="Новичкова"))
    _masters(beginner, "formative-assessment", Level.BASIC)
    program = ProgramFactory(organization=org)
    Enrolment.objects.create(
        organization=org, program=program, person=colleague.person, role="mentor"
    )
    return {"expert": expert, "colleague": colleague}


def test_shared_deficits_with_who_covers_them(tenant_a: Tenant, tenant_b: Tenant) -> None:
    _staff(tenant_a)
    _staff(tenant_b)
    found = shared_deficits(user=tenant_a.curator, organization_id=tenant_a.organization.pk)
    assert [(d.name, d.teachers) for d in found] == [
        ("Формирующее оценивание", 3),
        ("Цифровые образовательные ресурсы", 1),
    ]
    formative, digital = found
    assert [(c.name.split()[0], c.is_mentor) for c in formative.coverers] == [("Коллегина", True)]
    assert formative.form_code == "seminar"
    assert [c.name.split()[0] for c in digital.coverers] == ["Экспертова"]
    assert digital.form_code == "master_class"
    assert (
        shared_deficits(user=tenant_a.curator, organization_id=tenant_a.organization.pk, minimum=2)[
            0
        ].teachers
        == 3
    )
    # Another organization's curator reads nothing of it.
    assert shared_deficits(user=tenant_b.curator, organization_id=tenant_a.organization.pk) == []
    assert shared_deficits(user=tenant_a.mentor, organization_id=tenant_a.organization.pk) == []


def test_the_planning_page_plans_an_event_for_a_deficit(tenant_a: Tenant) -> None:
    _staff(tenant_a)
    curator = login(tenant_a.curator)
    page = curator.get("/events/planning/").content.decode()
    assert "Формирующее оценивание" in page
    assert "Коллегина" in page
    target = competency("formative-assessment").pk
    org = tenant_a.organization.pk
    link = f"/events/new/?organization={org}&amp;form=seminar&amp;deficit={target}"
    assert link in page
    form_page = curator.get(link.replace("&amp;", "&")).content.decode()
    assert "Семинар-практикум: Формирующее оценивание" in form_page
    assert login(tenant_a.mentor).get("/events/planning/").status_code == 403
