"""Read endpoints of runs, proposals and mentorships: scoped to the token owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nastavnik.accounts.tokens import api_token_create
from nastavnik.matching import services
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    _token, key = api_token_create(user=user, name="Интеграция")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _run(tenant: Any) -> Any:
    program = matching_program(tenant.organization)
    mentor(program, interests="шахматы")
    mentee(program, interests="шахматы")
    return services.run_start(actor=tenant.curator, program=program)


def test_runs_of_a_program_are_listed(tenant_a: Any) -> None:
    run = _run(tenant_a)
    data = _client(tenant_a.curator).get(f"/api/v1/matching/programs/{run.program_id}/runs").json()
    assert [(item["id"], item["matched_count"]) for item in data["items"]] == [(run.pk, 1)]


def test_proposals_carry_their_factors(tenant_a: Any) -> None:
    run = _run(tenant_a)
    data = _client(tenant_a.curator).get(f"/api/v1/matching/runs/{run.pk}/proposals").json()
    assert "interests" in {f["code"] for f in data["items"][0]["factors"]}


def test_another_organization_gets_404(tenant_a: Any, tenant_b: Any) -> None:
    run = _run(tenant_a)
    client = _client(tenant_b.curator)
    statuses = {
        client.get(f"/api/v1/matching/runs/{run.pk}").status_code,
        client.get(f"/api/v1/matching/runs/{run.pk}/proposals").status_code,
        client.get(f"/api/v1/mentorships/programs/{run.program_id}").status_code,
    }
    assert statuses == {404}


def test_published_pairs_are_listed(tenant_a: Any) -> None:
    run = _run(tenant_a)
    services.proposals_decide_all(
        actor=tenant_a.curator, run=run, state="accepted", from_state="proposed"
    )
    services.run_publish(actor=tenant_a.curator, run=run)
    data = _client(tenant_a.curator).get(f"/api/v1/mentorships/programs/{run.program_id}").json()
    assert [len(item["mentee_person_ids"]) for item in data["items"]] == [1]
