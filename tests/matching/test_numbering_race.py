"""Two curators start runs of one program at the same moment: each run gets its own number (the
program's row is locked while the number is chosen). PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_runs_of_a_program_get_distinct_numbers(
    tenant_a: Any, deferred_on_commit: None, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to PostgreSQL")
    program = matching_program(tenant_a.organization)
    mentor(program, capacity=2, interests="шахматы")
    mentee(program, interests="шахматы")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait(timeout=10)
            services.run_start(actor=tenant_a.curator, program=program)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    numbers = MatchingRun.objects.filter(program=program).values_list("number", flat=True)
    assert sorted(n or 0 for n in numbers) == [1, 2]
