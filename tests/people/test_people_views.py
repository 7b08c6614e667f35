from __future__ import annotations

from django.urls import reverse

from nastavnik.people.models import Person
from tests.conftest import Tenant, login


def test_curator_searches_people_ignoring_case_and_yo(tenant_a: Tenant) -> None:
    Person.objects.filter(pk=tenant_a.student.pk).update(
        last_name="Семёнова", search_name="семенова анна сергеевна"
    )
    client = login(tenant_a.curator)
    response = client.get(reverse("people:list"), {"q": "СЕМЕНОВА"})
    assert response.status_code == 200
    assert "Семёнова Анна Сергеевна" in response.content.decode()


def test_person_detail_shows_full_name_and_date(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    response = client.get(reverse("people:detail", kwargs={"person_id": tenant_a.student.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert tenant_a.student.full_name in body
    assert "15.03.2012" in body
