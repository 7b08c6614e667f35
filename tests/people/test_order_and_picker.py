"""Lists of people: «Ё» sorts as «Е», a person picker with a search, gendered categories
(issue 16, item 16)."""

from __future__ import annotations

from typing import Any

import pytest

from nastavnik.people.selectors import person_list
from tests.conftest import Tenant, login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_yo_sorts_as_ye(tenant_a: Tenant) -> None:
    for last_name in ("Жукова", "Ёлкина", "Абрамова", "Евдокимова", "Ежова"):
        PersonFactory(organization=tenant_a.organization, last_name=last_name, class_name="5Е")
    names = [p.last_name for p in person_list(user=tenant_a.curator, class_name="5Е")]
    assert names == ["Абрамова", "Евдокимова", "Ежова", "Ёлкина", "Жукова"]
    body = login(tenant_a.curator).get("/people/?class_name=5Е").content.decode()
    positions = [body.index(name) for name in names]
    assert positions == sorted(positions)


def test_the_picker_finds_people_of_the_organization_by_name(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    PersonFactory(organization=tenant_a.organization, last_name="Ёжикова", first_name="Вера")
    PersonFactory(organization=tenant_b.organization, last_name="Ежикова", first_name="Чужая")
    client = login(tenant_a.curator)
    org = tenant_a.organization.pk
    body = client.get(f"/people/choices/?organization={org}&q=ежик").content.decode()
    assert "Ёжикова Вера" in body
    assert "Чужая" not in body
    assert tenant_a.student.last_name not in body
    other = client.get(f"/people/choices/?organization={tenant_b.organization.pk}&q=ежик")
    assert "Ежикова" not in other.content.decode()
    mentor = login(tenant_a.mentor).get(f"/people/choices/?organization={org}&q=ежик")
    assert "Ёжикова" not in mentor.content.decode()


def test_the_relative_picker_searches_and_only_for_a_curator(tenant_a: Tenant) -> None:
    PersonFactory(organization=tenant_a.organization, last_name="Родная", first_name="Мама")
    url = f"/people/choices/?relatives_of={tenant_a.student.pk}&q=родн"
    body = login(tenant_a.curator).get(url).content.decode()
    assert "Родная Мама" in body
    assert tenant_a.student.full_name not in body
    assert login(tenant_a.head).get(url).status_code == 403
    page = login(tenant_a.curator).get(f"/people/{tenant_a.student.pk}/").content.decode()
    assert f"/people/choices/?relatives_of={tenant_a.student.pk}" in page


@pytest.mark.parametrize(
    ("sex", "middle_name", "label"),
    [
        ("female", "", "Обучающаяся"),
        ("", "Сергеевна", "Обучающаяся"),
        ("", "Ильинична", "Обучающаяся"),
        ("", "Сергеевич", "Обучающийся"),
        ("male", "Сергеевна", "Обучающийся"),  # the recorded sex wins
        ("", "", "Обучающийся"),
    ],
)
def test_a_girl_is_obuchayushchayasya(
    tenant_a: Tenant, sex: str, middle_name: str, label: str
) -> None:
    person: Any = PersonFactory(
        organization=tenant_a.organization, sex=sex, middle_name=middle_name, last_name="Лисина"
    )
    assert person.get_category_display() == label.lower()
    body = login(tenant_a.curator).get(f"/people/{person.pk}/").content.decode()
    assert f"{label} · 7Б" in body
