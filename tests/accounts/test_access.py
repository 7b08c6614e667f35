from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nastavnik.accounts.access import access_for, forget_access
from nastavnik.accounts.models import Membership, Role
from nastavnik.accounts.tokens import api_token_create, api_token_user, user_tokens_revoke
from tests.conftest import Tenant
from tests.factories import UserFactory


def test_roles_in_organizations(tenant_a: Tenant, tenant_b: Tenant) -> None:
    org = tenant_a.organization.pk
    curator = access_for(tenant_a.curator)
    assert curator.staff_org_ids == {org}
    assert curator.is_curator_of(org)
    assert not curator.is_curator_of(tenant_b.organization.pk)
    head = access_for(tenant_a.head)
    assert head.is_staff_of(org)
    assert not head.is_curator_of(org)
    mentor = access_for(tenant_a.mentor)
    assert mentor.staff_org_ids == frozenset()
    assert mentor.member_org_ids == {org}
    assert access_for(None).is_authenticated is False


def test_the_answer_is_cached_until_forgotten(tenant_a: Tenant, tenant_b: Tenant) -> None:
    user = tenant_a.mentor
    assert not access_for(user).is_staff_of(tenant_b.organization.pk)
    Membership.objects.create(user=user, role=Role.CURATOR, organization=tenant_b.organization)
    assert not access_for(user).is_staff_of(tenant_b.organization.pk)
    forget_access(user)
    assert access_for(user).is_staff_of(tenant_b.organization.pk)


@pytest.mark.django_db
def test_memberships_need_the_right_scope(tenant_a: Tenant) -> None:
    user = UserFactory(username="someone")
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.CURATOR).full_clean()
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.MUNICIPAL_COORDINATOR).full_clean()
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.ADMIN, organization=tenant_a.organization).full_clean()


@pytest.mark.django_db
def test_api_tokens_are_stored_hashed(tenant_a: Tenant) -> None:
    token, key = api_token_create(user=tenant_a.curator, name="Интеграция")
    assert key not in token.key_hash
    assert token.prefix == key[:8]
    assert api_token_user(key) == tenant_a.curator
    assert api_token_user("wrong") is None
    token.revoked_at = token.created_at
    token.save()
    assert api_token_user(key) is None


def test_user_tokens_revoke_touches_only_that_users_live_tokens(tenant_a: Tenant) -> None:
    from nastavnik.core.models import AuditEntry

    mine = [api_token_create(user=tenant_a.mentee, name=f"ключ {n}") for n in range(2)]
    _other, other_key = api_token_create(user=tenant_a.mentor, name="чужой")
    revoked = user_tokens_revoke(actor=tenant_a.curator, user=tenant_a.mentee, reason="test")
    assert sorted(t.pk for t in revoked) == sorted(t.pk for t, _key in mine)
    assert all(api_token_user(key) is None for _token, key in mine)
    assert api_token_user(other_key) == tenant_a.mentor
    rows = AuditEntry.objects.filter(action="api_token.revoke")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(str(t.pk) for t in revoked)
    assert {row.data["reason"] for row in rows} == {"test"}
    # Again: nothing left to revoke, nothing written.
    assert user_tokens_revoke(actor=tenant_a.curator, user=tenant_a.mentee, reason="test") == []
    assert rows.count() == 2
