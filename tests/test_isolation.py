"""Every URL of the project, as an outsider, a mentor and an anonymous visitor."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tests.conftest import login
from tests.factories import UserFactory
from tests.isolation import check_isolation, iter_routes


@pytest.mark.django_db
def test_every_url_is_scoped_to_the_acting_user() -> None:
    violations = check_isolation()
    assert not violations, "\n".join(str(v) for v in violations)


def test_the_check_walks_the_project_urls() -> None:
    names = {route.name for route in iter_routes()}
    assert {"people:list", "people:detail", "organizations:detail"} <= names


@pytest.mark.django_db
def test_leaky_views_are_caught() -> None:
    """The test of the test: deliberately unscoped views must be reported."""
    violations = check_isolation("tests.leaky_urls", only_prefix="leaky/")
    routes = {(v.route, v.actor) for v in violations}
    assert ("leaky/unprotected/<int:person_id>/", "anonymous") in routes
    assert ("leaky/unprotected/<int:person_id>/", "other organization's curator") in routes
    assert ("leaky/unscoped/<int:person_id>/", "other organization's curator") in routes
    assert ("leaky/unscoped/<int:person_id>/", "mentor") in routes
    assert ("leaky/list/", "other organization's curator") in routes
    assert ("leaky/write/<int:person_id>/", "other organization's curator") in routes
    assert any("no object maker for mystery_id" in v.reason for v in violations)
    # The scoped twin passes.
    assert not [v for v in violations if v.route.startswith("leaky/scoped/")]


@pytest.mark.django_db
def test_admin_is_for_system_administrators_only(tenant_a: Any) -> None:
    assert Client().get("/admin/").status_code == 302
    assert login(tenant_a.curator).get("/admin/").status_code == 302
    root = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    assert login(root).get("/admin/").status_code == 200
    assert AnonymousUser().is_authenticated is False
