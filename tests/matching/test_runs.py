"""The curator's review flow: run → proposals → accept/reject/lock/swap → re-run → publish."""

from __future__ import annotations

from typing import Any

import pytest

from nastavnik.matching import services
from nastavnik.matching.models import RunStatus
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _base(tenant: Any) -> Any:
    program = matching_program(tenant.organization)
    chess = mentor(
        program, capacity=1, interests="шахматы турниры", competencies={"mathematics": 3}
    )
    robots = mentor(
        program, capacity=2, interests="робототехника конструирование", competencies={"physics": 3}
    )
    a = mentee(program, interests="шахматы", deficits=["mathematics"])
    b = mentee(program, interests="робототехника", deficits=["physics"])
    c = mentee(program, interests="конструирование роботов", deficits=["physics"])
    return program, chess, robots, a, b, c


def test_a_run_proposes_the_best_pairs(tenant_a: Any) -> None:
    program, chess, robots, a, b, c = _base(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert run.status == RunStatus.DONE
    pairs = {(p.mentee_id, p.mentor_id) for p in run.proposals.all()}
    assert pairs == {(a.pk, chess.pk), (b.pk, robots.pk), (c.pk, robots.pk)}
