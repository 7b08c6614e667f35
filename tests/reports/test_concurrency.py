"""Two curators submit at the same moment: the row lock gives them versions 1 and 2."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from nastavnik.reports.models import ReportSubmission
from nastavnik.reports.services import report_submit
from tests.reports.scenario import YEAR, build_school


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_consecutive_versions() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    school = build_school()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            report_submit(actor=school.curator, organization=school.organization, start_year=YEAR)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    versions = sorted(
        ReportSubmission.objects.filter(organization=school.organization).values_list(
            "version", flat=True
        )
    )
    assert versions == [1, 2]
