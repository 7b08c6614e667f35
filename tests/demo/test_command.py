"""The ``seed_demo`` command and the demo's extension points, each on an empty database."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from nastavnik.demo import registry
from nastavnik.demo.registry import register_demo_step
from nastavnik.demo.services import demo_exists, demo_seed
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program
from tests.factories import OrganizationFactory, UserFactory

PASSWORD = "demo-test-password"


def test_registered_steps_run_after_the_region_exists(db: Any) -> None:
    seen: list[int] = []
    register_demo_step("test-step", lambda context: seen.append(len(context.programs)))
    try:
        demo_seed(compact=True)
    finally:
        registry._STEPS.pop("test-step")
    assert seen == [len(Program.objects.all())]


def test_command_prints_the_logins(db: Any) -> None:
    out = StringIO()
    call_command("seed_demo", "--compact", "--password", PASSWORD, stdout=out)
    assert "curator-lyceum" in out.getvalue()
    assert "Смирнова Ольга Викторовна" in out.getvalue()


def test_command_if_empty_leaves_existing_data_alone(db: Any) -> None:
    OrganizationFactory()
    call_command("seed_demo", "--if-empty", "--compact", stdout=StringIO())
    assert not demo_exists()


def test_command_refuses_when_a_demo_login_is_taken(db: Any) -> None:
    UserFactory.create(username="curator")
    with pytest.raises(CommandError):
        call_command("seed_demo", "--compact", stdout=StringIO())


def test_command_reset_recreates_the_region(db: Any) -> None:
    demo_seed(compact=True)
    before = set(Organization.objects.values_list("pk", flat=True))
    call_command("seed_demo", "--reset", "--compact", stdout=StringIO())
    assert demo_exists()
    assert not before & set(Organization.objects.values_list("pk", flat=True))


@override_settings(SETTINGS_MODULE="nastavnik.settings.production")
def test_command_refuses_production_settings(db: Any) -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", "--compact", stdout=StringIO())
    assert not demo_exists()
