"""The demo's programs get their lifecycle: checklists, roadmaps, training, tandems."""

from __future__ import annotations

import pytest

from nastavnik.demo.services import demo_seed
from nastavnik.programs.models import (
    EnrolmentRole,
    Program,
    RoadmapItem,
    Stage,
    StageTask,
    Tandem,
)

pytestmark = pytest.mark.django_db


def test_the_demo_programs_walk_their_stages() -> None:
    context = demo_seed(compact=True, password="demo-password-1")
    programs = list(context.programs.values())
    late = [p for p in programs if p.stage > Stage.PREPARATION]
    assert late
    for program in late:
        open_items = StageTask.objects.filter(
            program=program, stage__lt=program.stage, done_at=None
        )
        assert not open_items.exists(), program
    assert all(RoadmapItem.objects.filter(program=p).count() == 8 for p in programs)
    trained = [
        p
        for p in programs
        if p.stage >= Stage.MATCHING
        and p.enrolments.filter(role=EnrolmentRole.MENTOR, trained_on__isnull=True).exists()
    ]
    assert trained == []
    assert Tandem.objects.filter(program__in=programs).exists()
    assert Program.objects.filter(is_public=True).exclude(public_news="").exists()
