"""Read endpoints of runs, proposals and mentorships: scoped to the token owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nastavnik.accounts.tokens import api_token_create
from nastavnik.matching import services
from nastavnik.programs.models import MentoringModel
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


def _group_run(tenant: Any) -> tuple[Any, list[Any], list[Any]]:
    """A team of two mentors for four mentees who all lack formative assessment and maths."""
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    teachers = [
        mentor(program, capacity=10, competencies={"formative-assessment": level})
        for level in (3, 2)
    ]
    pupils = [mentee(program, deficits=["formative-assessment", "mathematics"]) for _ in range(4)]
    run = services.run_start(
        actor=tenant.curator,
        program=program,
        parameters={"kind": "groups", "min_size": 2, "max_size": 4, "team_size": 2},
    )
    return run, teachers, pupils


def test_groups_carry_their_team_members_and_shared_deficits(tenant_a: Any) -> None:
    run, teachers, pupils = _group_run(tenant_a)
    data = _client(tenant_a.curator).get(f"/api/v1/matching/runs/{run.pk}/groups").json()
    assert data["count"] == 1
    (group,) = data["items"]
    assert (group["number"], group["state"], group["run_id"]) == (1, "proposed", run.pk)
    assert group["common_deficit"]["name"] == "Формирующее оценивание"
    assert {d["name"] for d in group["shared_deficits"]} == {
        "Формирующее оценивание",
        "Математика",
    }
    team = group["team"]
    assert [(m["position"], m["is_lead"]) for m in team] == [(0, True), (1, False)]
    assert {m["mentor_enrolment_id"] for m in team} == {t.pk for t in teachers}
    assert {m["full_name"] for m in team} == {t.person.full_name for t in teachers}
    assert sorted((m["mentee_enrolment_id"], m["full_name"]) for m in group["members"]) == sorted(
        (p.pk, p.person.full_name) for p in pupils
    )


def test_groups_follow_the_curators_changes(tenant_a: Any) -> None:
    run, _teachers, _pupils = _group_run(tenant_a)
    group = run.groups.get()
    services.group_member_remove(actor=tenant_a.curator, proposal=group.members.first())
    services.group_decide(actor=tenant_a.curator, group=group, state="locked")
    data = _client(tenant_a.curator).get(f"/api/v1/matching/runs/{run.pk}/groups").json()
    assert [(g["state"], len(g["members"])) for g in data["items"]] == [("locked", 3)]


def test_a_pairs_run_has_no_groups(tenant_a: Any) -> None:
    run = _run(tenant_a)
    data = _client(tenant_a.curator).get(f"/api/v1/matching/runs/{run.pk}/groups").json()
    assert (data["count"], data["items"]) == (0, [])


def test_groups_of_another_organization_answer_404(tenant_a: Any, tenant_b: Any) -> None:
    run, _teachers, _pupils = _group_run(tenant_a)
    response = _client(tenant_b.curator).get(f"/api/v1/matching/runs/{run.pk}/groups")
    assert response.status_code == 404


def test_the_openapi_schema_describes_the_groups(tenant_a: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/matching/runs/{run_id}/groups" in schema["paths"]
    assert {"team", "members", "shared_deficits"} <= set(
        schema["components"]["schemas"]["GroupOut"]["properties"]
    )
