from __future__ import annotations

from django.test import Client

from nastavnik.accounts.tokens import api_token_create
from tests.conftest import Tenant


def test_api_with_a_token_is_scoped(tenant_a: Tenant, tenant_b: Tenant) -> None:
    _token, key = api_token_create(user=tenant_a.curator, name="Электронный журнал")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    listing = client.get("/api/v1/people/")
    assert listing.status_code == 200
    names = {item["last_name"] for item in listing.json()["items"]}
    assert tenant_a.student.last_name in names
    assert tenant_b.student.last_name not in names
    assert client.get(f"/api/v1/people/{tenant_a.student.pk}").json()["full_name"] == (
        tenant_a.student.full_name
    )
    assert client.get(f"/api/v1/people/{tenant_b.student.pk}").status_code == 404


def test_api_refuses_anonymous_and_bad_tokens(tenant_a: Tenant) -> None:
    assert Client().get("/api/v1/people/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get("/api/v1/people/").status_code == 401
    assert Client().get("/api/v1/openapi.json").status_code == 200
