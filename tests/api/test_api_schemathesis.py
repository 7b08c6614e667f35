"""Schemathesis against the live OpenAPI schema, through the WSGI app (no server): every
operation, with a curator's token of organization A and with a token of organization B. No 5xx,
every answer conforms to the schema (status, content type, body), and no answer to one
organization's token carries a name or a code of the other organization, nor the label its
events, slots, sessions, resources and ideas are titled with.

Bounded: a few examples per operation, so the whole run stays well under a minute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nastavnik.library.services import resource_create
from nastavnik.people.models import Person
from nastavnik.surveys.services import survey_from_template
from tests.api.helpers import token_client
from tests.conftest import Tenant, make_tenant
from tests.events.factories import event, registration
from tests.ideas.factories import idea
from tests.pairwork.factories import goal, meeting, task, working_pair
from tests.quickmentoring.factories import booking, session_with_people, slot

MAX_EXAMPLES = 4


@dataclass
class Side:
    authorization: str
    foreign_markers: list[str]


def _key(client: Any) -> str:
    return str(client.defaults["HTTP_AUTHORIZATION"])


def _label(tenant: Tenant) -> str:
    return f"метка-{tenant.organization.code}"


def _populate(tenant: Tenant) -> None:
    """A program with bases, a working pair with a goal, a task and a meeting, a survey; an
    event with a registration, a flash slot with a booking, a speed session, a library resource
    and an idea — each titled with the organization's label."""
    pair = working_pair(tenant)
    task(goal(pair, title="Цель пары"))
    meeting(pair, days_ago=3)
    survey_from_template(actor=tenant.curator, program=pair.program, code="entry_mentee")
    label = _label(tenant)
    registration(event(tenant.organization, title=f"Семинар {label}"), tenant.mentor)
    booking(slot(tenant, topic=f"Слот {label}", seats=2), tenant.student)
    session_with_people(tenant, title=f"Сессия {label}")
    resource_create(
        actor=tenant.curator,
        organization_id=tenant.organization.pk,
        title=f"Памятка {label}",
        body="Текст",
    )
    idea(tenant, title=f"Идея {label}")


def _markers(tenant: Tenant) -> list[str]:
    names = Person.objects.filter(organization=tenant.organization).values_list(
        "last_name", flat=True
    )
    return [*names, tenant.organization.code, _label(tenant)]


@pytest.fixture
def _keep_the_test_connection() -> Any:
    """As Django's test client does: the WSGI handler must not close the test's connection at
    the end of each request (on PostgreSQL that would end the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sides(db: Any, _keep_the_test_connection: Any) -> list[Side]:
    a, b = make_tenant("sa"), make_tenant("sb")
    _populate(a)
    _populate(b)
    markers_a, markers_b = _markers(a), _markers(b)
    return [
        Side(_key(token_client(a.curator, organization=a.organization)), markers_b),
        Side(_key(token_client(b.curator, organization=b.organization)), markers_a),
    ]


# The schema the running app serves (loaded once, through the WSGI app, when collected).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def no_foreign_data(markers: list[str]) -> Any:
    def check(ctx: CheckContext, response: Any, case: Any) -> bool:
        text = response.text or ""
        leaked = [m for m in markers if m and m in text]
        assert not leaked, f"another organization's data in the answer: {leaked}"
        return True

    return check


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    # Generated cases only: the explicit phase would add schemathesis' coverage phase (over a
    # hundred cases per operation), too slow for every run of the suite.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_stays_in_scope(case: Any, sides: list[Side]) -> None:
    for side in sides:
        case.call_and_validate(
            headers={"Authorization": side.authorization},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
                no_foreign_data(side.foreign_markers),
            ],
        )
