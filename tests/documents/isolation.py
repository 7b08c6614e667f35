"""Object makers for the documents' URLs (see tests/isolation.py)."""

from __future__ import annotations

from tests.conftest import Tenant
from tests.isolation import Maker


def _kind(tenant: Tenant) -> object:
    return "pairs-order"


# Not an object of its own: the program or the organization next to it decides who may open it,
# and a mentor may not open documents at all.
OBJECT_MAKERS: dict[str, Maker] = {"kind": Maker(_kind)}
