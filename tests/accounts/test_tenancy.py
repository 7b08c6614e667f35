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


def test_every_personal_table_has_the_tenant_manager() -> None:
    """Every model with an organization key answers staff_view / member_view."""
    from tests.isolation import _tenant_models

    # Not personal rows of a tenant: the roles themselves and the API tokens (read through
    # accounts.tokens, below the tenancy module), the audit log (read through its own pages), the
    # catalogue of variants (shared ones have no organization).
    exempt = {"accounts.Membership", "accounts.ApiToken", "core.AuditEntry", "programs.Variant"}
    missing = [
        model._meta.label
        for model in _tenant_models()
        if not hasattr(model._default_manager, "staff_view") and model._meta.label not in exempt
    ]
    assert missing == []


@pytest.mark.django_db
def test_child_selectors_start_from_the_users_scope(tenant_a: Tenant, tenant_b: Tenant) -> None:
    """A parent object fetched by mistake for another organization shows nothing of it."""
    import datetime as dt

    from nastavnik.mentorships.selectors import hand_pairing_options
    from nastavnik.programs.models import Enrolment, RoadmapItem
    from nastavnik.programs.selectors import roadmap_list, stage_overview
    from nastavnik.programs.services import checklist_ensure
    from tests.factories import ProgramFactory

    program = ProgramFactory(organization=tenant_a.organization)
    checklist_ensure(program=program)
    RoadmapItem.objects.create(
        organization=tenant_a.organization, program=program, title="Пункт", due_on=dt.date.today()
    )
    Enrolment.objects.create(
        organization=tenant_a.organization,
        program=program,
        person=tenant_a.mentor_person,
        role="mentor",
    )
    assert roadmap_list(program=program, user=tenant_a.curator).count() == 1
    assert roadmap_list(program=program, user=tenant_b.curator).count() == 0
    assert roadmap_list(program=program, user=tenant_a.mentor).count() == 0
    assert any(s["items"] for s in stage_overview(program=program, user=tenant_a.curator))
    assert not any(s["items"] for s in stage_overview(program=program, user=tenant_b.curator))
    assert hand_pairing_options(program=program, user=tenant_a.curator)[0]
    assert hand_pairing_options(program=program, user=tenant_b.curator) == ([], [])
