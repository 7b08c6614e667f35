"""The administration lists the lifecycle's tables."""

from __future__ import annotations

import pytest

from nastavnik.programs.models import Program
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "table",
    [
        "programs/stagetask",
        "programs/roadmapitem",
        "programs/contourtask",
        "programs/partner",
        "programs/trainingsession",
        "programs/tandem",
        "documents/documenttemplate",
        "documents/issueddocument",
    ],
)
def test_the_admin_lists_the_table(program: Program, table: str) -> None:
    root = UserFactory.create(username="root-admin", is_superuser=True, is_staff=True)
    assert login(root).get(f"/admin/{table}/").status_code == 200
