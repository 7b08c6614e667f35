"""Personal API tokens: the page, the scope a token is narrowed to, read-only, expiry,
revocation and «last used»."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nastavnik.accounts.models import ApiToken, Membership, Role
from nastavnik.accounts.tokens import api_token_authenticate, api_token_create, token_issue
from tests.api.helpers import token_client
from tests.conftest import Tenant, login, make_tenant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_curator_issues_a_token_shown_once_and_stored_hashed(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    assert "API" in page.content.decode()
    response = client.post(
        "/accounts/tokens/",
        {
            "name": "Электронный журнал",
            "organization": tenant_a.organization.pk,
            "can_write": "read",
            "days": "90",
        },
    )
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key
    assert key in response.content.decode()
    token = ApiToken.objects.get(name="Электронный журнал")
    assert token.key_hash != key
    assert key not in token.key_hash
    assert token.organization == tenant_a.organization
    assert token.user == tenant_a.curator
    assert token.created_by == tenant_a.curator
    assert not token.can_write
    assert token.expires_at is not None
    assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)
    # Shown once: the list shows the prefix, never the key again.
    again = client.get("/accounts/tokens/").content.decode()
    assert key not in again
    assert token.prefix in again
    # The key works, and «last used» is written.
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/people/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Shown in the organization's time zone, like every moment on a page (after 21:00 UTC the
    # date in Moscow is already the next day).
    shown = timezone.localtime(token.last_used_at).strftime("%d.%m.%Y %H:%M")
    assert shown in client.get("/accounts/tokens/").content.decode()


def test_only_curators_and_administrators_manage_tokens(
    tenant_a: Tenant, tenant_b: Tenant, admin_user: object
) -> None:
    for user in (tenant_a.mentor, tenant_a.head, tenant_a.mentee):
        assert login(user).get("/accounts/tokens/").status_code == 403
    # A curator cannot issue a token for another organization.
    response = login(tenant_a.curator).post(
        "/accounts/tokens/",
        {
            "name": "Чужой",
            "organization": tenant_b.organization.pk,
            "can_write": "read",
            "days": "30",
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not ApiToken.objects.filter(name="Чужой").exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service
        token_issue(
            actor=tenant_a.curator,
            name="Обход формы",
            can_write=True,
            days=30,
            organization_id=tenant_b.organization.pk,
        )
    # The administrator issues for any organization and for a territory.
    admin = login(admin_user)
    response = admin.post(
        "/accounts/tokens/",
        {
            "name": "Региональная система",
            "territory": tenant_a.organization.territory_id,
            "can_write": "read",
            "days": "365",
        },
    )
    assert response.status_code == 200
    assert response.context["new_key"]
    assert ApiToken.objects.get(name="Региональная система").territory is not None


def test_an_organization_token_never_sees_beyond_its_organization(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    # The curator of A also curates B; the token for A sees only A.
    Membership.objects.create(
        user=tenant_a.curator, role=Role.CURATOR, organization=tenant_b.organization
    )
    assert login(tenant_a.curator).get(f"/api/v1/people/{tenant_b.student.pk}").status_code == 200
    client = token_client(tenant_a.curator, organization=tenant_a.organization)
    names = {p["last_name"] for p in client.get("/api/v1/people/?limit=100").json()["items"]}
    assert tenant_a.student.last_name in names
    assert tenant_b.student.last_name not in names
    assert client.get(f"/api/v1/people/{tenant_b.student.pk}").status_code == 404
    assert client.get(f"/api/v1/organizations/{tenant_b.organization.pk}").status_code == 404
    response = client.post(
        "/api/v1/people/",
        {
            "organization_id": tenant_b.organization.pk,
            "last_name": "Новиков",
            "first_name": "Иван",
            "category": "student",
        },
        content_type="application/json",
    )
    assert response.status_code == 404


def test_an_administrators_token_for_one_organization_acts_as_its_curator(
    tenant_a: Tenant, tenant_b: Tenant, admin_user: object
) -> None:
    client = token_client(admin_user, organization=tenant_a.organization)
    names = {p["last_name"] for p in client.get("/api/v1/people/?limit=100").json()["items"]}
    assert tenant_a.student.last_name in names
    assert tenant_b.student.last_name not in names


def test_a_territory_token_sees_no_person(tenant_a: Tenant, admin_user: object) -> None:
    client = token_client(
        admin_user,
        territory=tenant_a.organization.territory,
        can_write=False,
    )
    assert client.get("/api/v1/people/").json()["items"] == []
    assert client.get(f"/api/v1/people/{tenant_a.student.pk}").status_code == 404


def test_a_read_only_token_gets_403_on_every_write(tenant_a: Tenant) -> None:
    client = token_client(tenant_a.curator, organization=tenant_a.organization, can_write=False)
    assert client.get("/api/v1/people/").status_code == 200
    response = client.post(
        "/api/v1/people/",
        {
            "organization_id": tenant_a.organization.pk,
            "last_name": "Новиков",
            "first_name": "Иван",
            "category": "student",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "только для чтения" in response.json()["detail"]
    patch = client.patch(
        f"/api/v1/people/{tenant_a.student.pk}",
        {"class_name": "5А"},
        content_type="application/json",
    )
    assert patch.status_code == 403


def test_expired_and_revoked_tokens_are_refused(tenant_a: Tenant) -> None:
    token, key = api_token_create(
        user=tenant_a.curator,
        name="Старый",
        organization=tenant_a.organization,
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert api_token_authenticate(key) is None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/people/").status_code == 401
    token.expires_at = timezone.now() + dt.timedelta(days=1)
    token.save()
    assert api_token_authenticate(key) is not None
    # Revoked on the page: refused at once.
    response = login(tenant_a.curator).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == tenant_a.curator
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/people/").status_code == 401


def test_curators_see_and_revoke_only_their_organizations_tokens(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    token, _key = api_token_create(
        user=tenant_b.curator, name="Токен Б", organization=tenant_b.organization
    )
    client = login(tenant_a.curator)
    assert "Токен Б" not in client.get("/accounts/tokens/").content.decode()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    # Another curator of B may revoke it (a colleague who left).
    colleague = UserFactory(username="curator-b2")
    Membership.objects.create(user=colleague, role=Role.CURATOR, organization=tenant_b.organization)
    assert login(colleague).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_of_a_curator_who_lost_the_role_sees_nothing() -> None:
    tenant = make_tenant("gone")
    client = token_client(tenant.curator, organization=tenant.organization)
    Membership.objects.filter(user=tenant.curator).delete()
    assert client.get("/api/v1/people/").json()["items"] == []


def test_issuing_and_revoking_a_token_is_audited(tenant_a: Tenant) -> None:
    from nastavnik.core.models import AuditEntry

    client = login(tenant_a.curator)
    response = client.post(
        "/accounts/tokens/",
        {
            "name": "Журнал",
            "organization": tenant_a.organization.pk,
            "can_write": "write",
            "days": "30",
        },
    )
    key = response.context["new_key"]
    token = ApiToken.objects.get(name="Журнал")
    issued = AuditEntry.objects.get(action="api_token.issue")
    assert issued.actor == tenant_a.curator
    assert issued.organization_id == tenant_a.organization.pk
    assert issued.object_id == str(token.pk)
    assert issued.message == "Журнал"
    assert issued.data["prefix"] == token.prefix
    assert issued.data["can_write"] is True
    # The key itself is never written to the log, not even in part beyond its shown prefix.
    assert key not in str(issued.data)
    assert token.key_hash not in str(issued.data)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    revoked = AuditEntry.objects.get(action="api_token.revoke")
    assert revoked.actor == tenant_a.curator
    assert revoked.object_id == str(token.pk)
    # Revoking again changes nothing and writes nothing.
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1
