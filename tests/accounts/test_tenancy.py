"""The one scoping mechanism: staff, member and curator views of a tenant-owned table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from nastavnik.accounts.access import require_curator, require_staff
from nastavnik.accounts.tenancy import TenantQuerySet
from nastavnik.core.models import AuditEntry
from tests.conftest import Tenant


def _entries() -> TenantQuerySet[AuditEntry]:
    # AuditEntry carries the tenant key; any tenant-owned table would do.
    return TenantQuerySet(AuditEntry)


@pytest.fixture
def rows(tenant_a: Tenant, tenant_b: Tenant) -> tuple[AuditEntry, AuditEntry]:
    a = AuditEntry.objects.create(organization=tenant_a.organization, action="t")
    b = AuditEntry.objects.create(organization=tenant_b.organization, action="t")
    return a, b


def test_staff_view_is_own_organization_only(tenant_a, rows, admin_user, coordinator) -> None:
    a, b = rows
    assert set(_entries().staff_view(tenant_a.curator)) == {a}
    assert set(_entries().staff_view(tenant_a.head)) == {a}
    assert set(_entries().staff_view(tenant_a.mentor)) == set()
    assert set(_entries().staff_view(coordinator)) == set()
    assert set(_entries().staff_view(AnonymousUser())) == set()
    assert set(_entries().staff_view(admin_user)) == {a, b}


def test_member_view_includes_mentors_and_mentees(tenant_a, rows, coordinator) -> None:
    a, _b = rows
    assert set(_entries().member_view(tenant_a.mentor)) == {a}
    assert set(_entries().member_view(tenant_a.mentee)) == {a}
    assert set(_entries().member_view(coordinator)) == set()
    assert set(_entries().member_view(AnonymousUser())) == set()


def test_curator_view_excludes_the_head(tenant_a, rows) -> None:
    a, _b = rows
    assert set(_entries().curator_view(tenant_a.curator)) == {a}
    assert set(_entries().curator_view(tenant_a.head)) == set()


def test_require_curator_and_staff(tenant_a, tenant_b) -> None:
    org = tenant_a.organization.pk
    require_curator(tenant_a.curator, org)
    require_staff(tenant_a.head, org)
    with pytest.raises(PermissionDenied):
        require_curator(tenant_a.head, org)
    with pytest.raises(PermissionDenied):
        require_staff(tenant_a.mentor, org)
    with pytest.raises(PermissionDenied):
        require_curator(tenant_b.curator, org)
