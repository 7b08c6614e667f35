"""Shared fixtures: two organizations and a user for every role, as in a real region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from nastavnik.accounts.models import Membership, Role, User
from nastavnik.demo.registry import DemoContext
from nastavnik.organizations.models import Organization, Territory
from nastavnik.people.models import Person
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    TeacherFactory,
    UserFactory,
)
from tests.shipped import ensure_shipped_data


@dataclass
class Tenant:
    organization: Organization
    curator: User
    head: User
    mentor: User
    mentor_person: Person
    mentee: User
    mentee_person: Person
    student: Person  # a child without a login


def make_tenant(label: str, territory: Territory | None = None) -> Tenant:
    extra: dict[str, Any] = {"territory": territory} if territory else {}
    organization = OrganizationFactory(short_name=f"Школа {label}", code=f"school-{label}", **extra)

    def user(role: str, username: str) -> User:
        u = UserFactory(username=username, last_name=f"Кураторова{label}")
        MembershipFactory(user=u, role=role, organization=organization)
        return u

    curator = user(Role.CURATOR, f"curator-{label}")
    head = user(Role.HEAD, f"head-{label}")
    mentor = user(Role.MENTOR, f"mentor-{label}")
    mentee = user(Role.MENTEE, f"mentee-{label}")
    mentor_person = TeacherFactory(
        organization=organization, user=mentor, last_name=f"Наставникова{label}"
    )
    mentee_person = PersonFactory(
        organization=organization, user=mentee, last_name=f"Учеников{label}"
    )
    student = PersonFactory(organization=organization, last_name=f"Секретов{label}")
    return Tenant(
        organization, curator, head, mentor, mentor_person, mentee, mentee_person, student
    )


@pytest.fixture
def tenant_a(db: Any) -> Tenant:
    return make_tenant("a")


@pytest.fixture
def tenant_b(db: Any) -> Tenant:
    return make_tenant("b")


@pytest.fixture
def admin_user(db: Any) -> User:
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    return user


@pytest.fixture
def coordinator(db: Any, tenant_a: Tenant) -> User:
    user = UserFactory(username="coordinator")
    Membership.objects.create(
        user=user, role=Role.MUNICIPAL_COORDINATOR, territory=tenant_a.organization.territory
    )
    return user


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _shipped_data(request: pytest.FixtureRequest) -> None:
    """A transactional test flushes the tables when it ends, the shipped catalogue with them:
    every test that uses the database finds it there again (put back only when missing)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction", False))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    ensure_shipped_data()


# --- the compact demo ------------------------------------------------------------------------

DEMO_TEST_PASSWORD = "demo-test-password"


@contextmanager
def today_is(day: dt.date | None) -> Iterator[None]:
    """The clock moved by whole days so that ``timezone.localdate()`` is ``day`` (None: not
    moved); every service reads ``timezone.now()``, so they all agree on that day."""
    if day is None:
        yield
        return
    shift = day - timezone.localdate()
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", side_effect=lambda: real_now() + shift):
        yield


@pytest.fixture(scope="module")
def _compact_demo_region(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[DemoContext]:
    """One compact demo for a test module (seeding takes seconds), reset after the module.

    A module may seed it for another day: ``DEMO_TODAY``, a function answering the date.
    """
    from nastavnik.demo.services import demo_reset, demo_seed

    when = getattr(request.module, "DEMO_TODAY", None)
    with django_db_blocker.unblock(), today_is(when() if when else None):
        context = demo_seed(compact=True, password=DEMO_TEST_PASSWORD)
    yield context
    with django_db_blocker.unblock():
        demo_reset()


@pytest.fixture
def demo(_compact_demo_region: DemoContext, db: Any) -> DemoContext:
    """The compact demo region (logins' password ``DEMO_TEST_PASSWORD``); each test rolls back.

    The browser tests have their own ``demo`` (a live server needs committed data).
    """
    return _compact_demo_region
