"""Every URL of the project, as an outsider, a mentor and an anonymous visitor."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tests.conftest import login, make_tenant
from tests.factories import UserFactory
from tests.isolation import (
    NO_FORM,
    OBJECT_MAKERS,
    POST_BODIES,
    check_isolation,
    fill,
    iter_routes,
    victim_fingerprint,
)


@pytest.mark.django_db
def test_every_url_is_scoped_to_the_acting_user() -> None:
    violations = check_isolation()
    assert not violations, "\n".join(str(v) for v in violations)


def test_the_check_walks_the_project_urls() -> None:
    names = {route.name for route in iter_routes()}
    assert {"people:list", "people:detail", "organizations:detail"} <= names


def test_declared_bodies_name_real_urls() -> None:
    names = {route.name for route in iter_routes()}
    assert set(POST_BODIES) - names == set()
    assert {name for name in NO_FORM if ":" in name} - names == set()


@pytest.mark.django_db
def test_post_bodies_are_valid() -> None:
    """Every declared body, sent by the victim's own curator, writes: so the outsider's POST of
    the same body is a write that would validate, and the matrix really tries it."""
    victim = make_tenant("victim")
    curator = login(victim.curator)
    failures = []
    for route in iter_routes():
        if route.name not in POST_BODIES:
            continue
        values = {k: OBJECT_MAKERS[k].make(victim) for k in route.kwargs}
        body = POST_BODIES[route.name](victim, values)
        before = victim_fingerprint(victim)
        response = curator.post(fill(route.route, values), body)
        if response.status_code >= 400 or victim_fingerprint(victim) == before:
            failures.append(f"{route.name}: {response.status_code}, nothing written")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_leaky_views_are_caught() -> None:
    """The test of the test: deliberately unscoped views must be reported."""
    # Unnamed routes are declared by their pattern; «unprotected» declares nothing on purpose.
    declared = {
        "leaky/unscoped/<int:person_id>/",
        "leaky/scoped/<int:person_id>/",
        "leaky/write/<int:person_id>/",
    }
    NO_FORM.update(declared)
    try:
        violations = check_isolation("tests.leaky_urls", only_prefix="leaky/")
    finally:
        NO_FORM.difference_update(declared)
    routes = {(v.route, v.actor) for v in violations}
    assert ("leaky/unprotected/<int:person_id>/", "anonymous") in routes
    assert ("leaky/unprotected/<int:person_id>/", "other organization's curator") in routes
    assert ("leaky/unscoped/<int:person_id>/", "other organization's curator") in routes
    assert ("leaky/unscoped/<int:person_id>/", "mentor") in routes
    assert ("leaky/list/", "other organization's curator") in routes
    assert ("leaky/write/<int:person_id>/", "other organization's curator") in routes
    assert any("no object maker for mystery_id" in v.reason for v in violations)
    assert any(
        "no POST body declared for leaky/unprotected/<int:person_id>/" in v.reason
        for v in violations
    )
    # The scoped twin passes.
    assert not [v for v in violations if v.route.startswith("leaky/scoped/")]


@pytest.mark.django_db
def test_admin_is_for_system_administrators_only(tenant_a: Any) -> None:
    assert Client().get("/admin/").status_code == 302
    assert login(tenant_a.curator).get("/admin/").status_code == 302
    root = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    assert login(root).get("/admin/").status_code == 200
    assert AnonymousUser().is_authenticated is False
