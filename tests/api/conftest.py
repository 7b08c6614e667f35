"""The API tests' clients: a curator's token of organization A and of organization B."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.helpers import token_client
from tests.conftest import Tenant


@pytest.fixture
def mine(tenant_a: Tenant) -> Client:
    """A read-write token of organization A's curator, scoped to A."""
    return token_client(tenant_a.curator, organization=tenant_a.organization)


@pytest.fixture
def outsider(tenant_b: Tenant) -> Client:
    """The same for organization B: every object of A must answer it 404."""
    return token_client(tenant_b.curator, organization=tenant_b.organization)
