"""Query-count baselines: list pages must not grow an N+1."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Tenant, login
from tests.factories import PersonFactory


def count_queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


def test_people_list_queries_do_not_grow_with_the_page(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    url = reverse("people:list")
    PersonFactory.create_batch(3, organization=tenant_a.organization)
    few = count_queries(client, url)
    PersonFactory.create_batch(30, organization=tenant_a.organization)
    many = count_queries(client, url)
    assert many == few


def test_person_page_queries_do_not_grow_with_the_profile(tenant_a: Tenant) -> None:
    from nastavnik.people.models import Competency, ProfileCompetency

    client = login(tenant_a.curator)
    person = tenant_a.student
    url = reverse("people:detail", kwargs={"person_id": person.pk})
    before = count_queries(client, url)
    for competency in Competency.objects.all()[:20]:
        ProfileCompetency.objects.create(
            organization=person.organization, profile=person.profile, competency=competency
        )
    assert count_queries(client, url) == before
