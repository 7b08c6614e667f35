"""Object makers for the isolation test: an API token of the victim organization."""

from __future__ import annotations

from nastavnik.accounts.tokens import api_token_create
from tests.conftest import Tenant
from tests.isolation import Maker


def _token(tenant: Tenant) -> object:
    token, _key = api_token_create(
        user=tenant.curator, name="Журнал", organization=tenant.organization
    )
    return token.pk


OBJECT_MAKERS: dict[str, Maker] = {"token_id": Maker(_token)}

# Revoking is the POST itself (no field).
NO_FORM: set[str] = {"accounts:token_revoke"}
