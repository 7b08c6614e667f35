"""The demo runs matching: a run to review at «forming pairs», published pairs at «work»."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nastavnik.demo.registry import DemoContext
from nastavnik.demo.services import demo_reset, demo_seed
from nastavnik.matching.models import MatchingRun, RunStatus
from nastavnik.mentorships.models import Mentorship
from nastavnik.programs.models import Stage


@pytest.fixture(scope="module")
def _region(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    with django_db_blocker.unblock():
        context = demo_seed(compact=True, password="demo-test-password")
    yield context
    with django_db_blocker.unblock():
        demo_reset()


@pytest.fixture
def demo(_region: DemoContext, db: Any) -> DemoContext:
    return _region


def test_programs_forming_pairs_have_a_finished_run(demo: DemoContext) -> None:
    runs = MatchingRun.objects.filter(program__stage=Stage.MATCHING)
    assert runs.exists()
    assert set(runs.values_list("status", flat=True)) == {RunStatus.DONE}


def test_programs_at_work_have_active_pairs(demo: DemoContext) -> None:
    assert Mentorship.objects.filter(program__stage=Stage.WORK, status="active").exists()
