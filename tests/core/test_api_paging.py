"""Item 7 of issue 16: bounded paging with Russian 422s, and every error code declared."""

from __future__ import annotations

from django.test import Client

from nastavnik.accounts.tokens import api_token_create
from tests.conftest import Tenant


def _client(tenant: Tenant) -> Client:
    _token, key = api_token_create(user=tenant.curator, name="Электронный журнал")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_huge_offset_is_a_russian_422_not_a_500(tenant_a: Tenant) -> None:
    response = _client(tenant_a).get("/api/v1/people/?offset=9223372036854775808&limit=10")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == ("Неверные параметры запроса: «offset» должно быть не больше 1000000.")
    assert body["errors"][0]["loc"][-1] == "offset"


def test_limit_is_bounded(tenant_a: Tenant) -> None:
    client = _client(tenant_a)
    response = client.get("/api/v1/people/?limit=100000")
    assert response.status_code == 422
    assert "«limit» должно быть не больше 100" in response.json()["detail"]
    assert client.get("/api/v1/people/?limit=0").status_code == 422
    assert "целым числом" in client.get("/api/v1/people/?limit=abc").json()["detail"]
    assert client.get("/api/v1/people/?limit=100&offset=1000000").status_code == 200


def test_the_default_page_is_fifty(tenant_a: Tenant) -> None:
    from tests.factories import PersonFactory

    PersonFactory.create_batch(55, organization=tenant_a.organization)
    data = _client(tenant_a).get("/api/v1/people/").json()
    assert len(data["items"]) == 50
    assert data["count"] > 55


def test_every_list_endpoint_is_paged(tenant_a: Tenant) -> None:
    client = _client(tenant_a)
    for url in ("/api/v1/organizations/", "/api/v1/programs/", "/api/v1/people/"):
        response = client.get(url + "?limit=100000")
        assert response.status_code == 422, url
    assert client.get("/api/v1/organizations/").json()["count"] == 1


def test_errors_answer_in_russian(tenant_a: Tenant, tenant_b: Tenant) -> None:
    assert Client().get("/api/v1/people/").json()["detail"] == (
        "Войдите в систему или передайте API-токен."
    )
    missing = _client(tenant_a).get(f"/api/v1/people/{tenant_b.student.pk}")
    assert (missing.status_code, missing.json()["detail"]) == (404, "Не найдено.")


def test_the_schema_declares_401_404_422_for_every_operation(db: object) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) > 10
    for operation in operations:
        assert {"401", "404", "422"} <= set(operation["responses"]), operation["operationId"]
    people = schema["paths"]["/api/v1/people/"]["get"]
    limit = next(p for p in people["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["maximum"], limit["schema"]["default"]) == (100, 50)
    assert "ValidationErrorOut" in schema["components"]["schemas"]
