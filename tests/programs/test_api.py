"""The programs' REST API: scoped like the pages."""

from __future__ import annotations

import pytest

from nastavnik.programs.models import Program
from tests.conftest import Tenant, login

pytestmark = pytest.mark.django_db


def test_the_catalogue_of_forms(tenant_a: Tenant) -> None:
    forms = login(tenant_a.curator).get("/api/v1/programs/forms").json()
    assert {"ученик – ученик", "работодатель – студент"} <= {f["name"] for f in forms}


def test_programs_of_ones_organization(
    tenant_a: Tenant, tenant_b: Tenant, program: Program
) -> None:
    mine = login(tenant_a.curator).get("/api/v1/programs/").json()["items"]
    theirs = login(tenant_b.curator).get("/api/v1/programs/").json()["items"]
    assert ([p["id"] for p in mine], theirs) == ([program.pk], [])


def test_the_stages_with_checklists(tenant_a: Tenant, program: Program) -> None:
    stages = login(tenant_a.curator).get(f"/api/v1/programs/{program.pk}/stages").json()
    assert [s["stage"] for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    assert stages[0]["items"][0]["title"] == "Положение о наставничестве утверждено"


@pytest.mark.parametrize("suffix", ["", "/stages", "/roadmap"])
def test_another_organization_gets_404(tenant_b: Tenant, program: Program, suffix: str) -> None:
    assert login(tenant_b.curator).get(f"/api/v1/programs/{program.pk}{suffix}").status_code == 404


def test_a_mentor_sees_the_program_but_not_its_checklists(
    tenant_a: Tenant, program: Program
) -> None:
    client = login(tenant_a.mentor)
    assert client.get(f"/api/v1/programs/{program.pk}").status_code == 200
    assert client.get(f"/api/v1/programs/{program.pk}/stages").status_code == 404
