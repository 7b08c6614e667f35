from __future__ import annotations

import io
import json
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from nastavnik.accounts.models import Role, User
from nastavnik.organizations.models import Territory
from nastavnik.reports.models import ReportSubmission, SubmissionStatus
from nastavnik.reports.selectors import territory_rollup
from nastavnik.reports.services import report_submit, submission_decide
from tests.conftest import login
from tests.factories import MembershipFactory, TerritoryFactory, UserFactory
from tests.reports.scenario import EXPECTED, YEAR, School, build_school

pytestmark = pytest.mark.django_db


def coordinator(territory: Territory, role: str = Role.MUNICIPAL_COORDINATOR) -> User:
    user = cast(User, UserFactory())
    MembershipFactory(user=user, role=role, organization=None, territory=territory)
    return user


@pytest.fixture
def school() -> School:
    return build_school()


def url(name: str, school: School) -> str:
    return reverse(
        f"reports:{name}",
        kwargs={"organization_id": school.organization.pk, "start_year": YEAR},
    )


def test_the_curator_sees_the_report_filled(school: School) -> None:
    response = login(school.curator).get(url("organization", school))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="report-chart-data"' in body
    rows = {line.key: line.value for line in response.context["base_lines"]}
    assert rows == {k: v for k, v in EXPECTED.items() if k in rows}
    assert "chart.umd.min.js" in body
    assert "нет данных" in body


def test_the_json_has_the_stable_keys(school: School) -> None:
    response = login(school.curator).get(url("json", school))
    data = json.loads(response.content)
    assert {key: data[key] for key in EXPECTED} == EXPECTED
    assert data["academic_year"] == "2026/2027"


def test_the_xlsx_reads_back(school: School) -> None:
    school.organization.head_name = "Директорова Ольга Петровна"
    school.organization.save()
    response = login(school.curator).get(url("xlsx", school))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == school.organization.name
    values = {row[1]: row[2] for row in cells if row and isinstance(row[0], int)}
    assert values["Общая численность детей"] == 5
    assert values["Численность педагогов, включённых в базы"] == 2
    assert values["Удовлетворённость наставников"] == "нет данных"
    total = next(row for row in cells if row[1] == "Итого")
    assert list(total[2:4]) == [3, 1]
    assert any(row[3] == "Директорова Ольга Петровна" for row in cells if len(row) > 3)


def test_the_pdf_is_made_in_the_background_and_reads_back(
    school: School, tenant_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The PDF takes seconds: the button queues it, its page polls, the link downloads it."""
    from pypdf import PdfReader

    from nastavnik.reports.models import ReportFileJob

    client = login(school.curator)
    assert 'id="pdf-prepare"' in client.get(url("pdf", school)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("pdf", school))
    job = ReportFileJob.objects.get(organization=school.organization)
    assert response["Location"] == reverse("reports:file_job", kwargs={"report_file_id": job.pk})
    assert (job.status, job.progress, job.start_year) == ("done", 100, YEAR)
    status = client.get(
        reverse("reports:file_job_status", kwargs={"report_file_id": job.pk}) + "?was=running"
    )
    assert status["HX-Refresh"] == "true"
    download = reverse("reports:file_download", kwargs={"report_file_id": job.pk})
    assert download in status.content.decode()
    # The file lives under MEDIA_ROOT, never at a public URL: only the checked view serves it.
    assert job.result_file.name.startswith("jobs/")
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Общая численность детей" in " ".join(text.split())
    assert "нет данных" in " ".join(text.split())
    # Another organization's curator: 404 for the page, the progress and the file.
    for name in ("file_job", "file_job_status", "file_download"):
        other = reverse(f"reports:{name}", kwargs={"report_file_id": job.pk})
        assert login(tenant_b.curator).get(other).status_code == 404


def test_a_pdf_not_ready_is_not_served(school: School) -> None:
    from nastavnik.reports.models import ReportFileJob

    job = ReportFileJob.objects.create(
        organization=school.organization, start_year=YEAR, created_by=school.curator
    )
    client = login(school.curator)
    download = reverse("reports:file_download", kwargs={"report_file_id": job.pk})
    assert client.get(download).status_code == 404
    page = client.get(reverse("reports:file_job", kwargs={"report_file_id": job.pk}))
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert download not in page.content.decode()


def test_the_command_writes_each_format(school: School, tmp_path: Any) -> None:
    out = tmp_path / "report.json"
    call_command(
        "monitoring_report",
        organization=school.organization.code,
        year="2026/2027",
        format="json",
        output=str(out),
    )
    assert json.loads(out.read_text())["students_mentors"] == 1
    xlsx = tmp_path / "report.xlsx"
    call_command(
        "monitoring_report",
        organization=school.organization.code,
        year="2026",
        format="xlsx",
        output=str(xlsx),
    )
    assert load_workbook(xlsx).active is not None


def test_submit_keeps_versions_and_the_coordinator_decides(school: School) -> None:
    client = login(school.curator)
    client.post(url("submit", school))
    first = ReportSubmission.objects.get()
    assert first.figures["students_in_bases"] == 4
    assert first.submitted_by == school.curator

    municipal = coordinator(school.organization.territory)
    with pytest.raises(ValidationError):
        submission_decide(actor=municipal, submission=first, accept=False, comment=" ")
    submission_decide(actor=municipal, submission=first, accept=False, comment="Уточните")
    first.refresh_from_db()
    assert first.status == SubmissionStatus.RETURNED

    second = report_submit(actor=school.curator, organization=school.organization, start_year=YEAR)
    assert second.version == 2
    response = login(municipal).post(
        reverse("reports:decide", kwargs={"submission_id": second.pk}), {"decision": "accept"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == SubmissionStatus.ACCEPTED
    assert ReportSubmission.objects.count() == 2
    with pytest.raises(ValidationError):
        submission_decide(actor=municipal, submission=second, accept=True)


def test_only_the_curator_submits_and_only_a_coordinator_decides(school: School) -> None:
    stranger = cast(User, UserFactory())
    with pytest.raises(PermissionDenied):
        report_submit(actor=stranger, organization=school.organization, start_year=YEAR)
    submission = report_submit(
        actor=school.curator, organization=school.organization, start_year=YEAR
    )
    with pytest.raises(PermissionDenied):
        submission_decide(actor=school.curator, submission=submission, accept=True)
    other = coordinator(cast(Territory, TerritoryFactory()))
    with pytest.raises(PermissionDenied):
        submission_decide(actor=other, submission=submission, accept=True)


def test_rollups_equal_the_sum_of_their_organizations() -> None:
    municipality_a = cast(Territory, TerritoryFactory())
    municipality_b = cast(Territory, TerritoryFactory())
    a1 = build_school(municipality_a, "a1")
    build_school(municipality_a, "a2")
    build_school(municipality_b, "b1")
    report_submit(actor=a1.curator, organization=a1.organization, start_year=YEAR)

    municipal = coordinator(municipality_a)
    rollup = territory_rollup(user=municipal, territory_id=municipality_a.pk, start_year=YEAR)
    assert [row.title for row in rollup.missing] == [
        row.title for row in rollup.rows if row.organization != a1.organization
    ]
    assert rollup.total.students_in_bases == 2 * 4
    assert rollup.total.pairs_total == sum(r.figures.pairs_total for r in rollup.rows)

    region = municipality_a.parent
    assert region is not None
    regional = coordinator(region, Role.REGIONAL_COORDINATOR)
    rollup = territory_rollup(user=regional, territory_id=region.pk, start_year=YEAR)
    assert sorted(row.organizations for row in rollup.rows) == [1, 2]
    assert rollup.total.students_mentees == 3 * 4
    assert sum(row.submitted for row in rollup.rows) == 1

    page = login(municipal).get(
        reverse("reports:territory", kwargs={"territory_id": municipality_a.pk, "start_year": YEAR})
    )
    assert page.status_code == 200
    assert (
        "Школа" not in page.content.decode() or a1.organization.short_name in page.content.decode()
    )
    sheet = load_workbook(
        io.BytesIO(
            login(regional)
            .get(
                reverse(
                    "reports:territory_xlsx",
                    kwargs={"territory_id": region.pk, "start_year": YEAR},
                )
            )
            .content
        )
    ).active
    assert sheet is not None
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Итого")
    assert total[2:4] == (15, 12)
    # The municipal coordinator does not see the other municipality.
    other = login(municipal).get(
        reverse("reports:territory", kwargs={"territory_id": municipality_b.pk, "start_year": YEAR})
    )
    assert other.status_code == 404


def test_coordinators_never_reach_a_person(school: School) -> None:
    municipal = coordinator(school.organization.territory)
    client = login(municipal)
    assert client.get(url("organization", school)).status_code == 200
    person = school.organization.people.first()
    assert person is not None
    for name in ("people:detail",):
        assert client.get(reverse(name, kwargs={"person_id": person.pk})).status_code == 404
    assert person.last_name not in client.get(url("organization", school)).content.decode()


def test_a_mentor_of_the_school_does_not_see_the_report(school: School) -> None:
    mentor = cast(User, UserFactory())
    MembershipFactory(user=mentor, role=Role.MENTOR, organization=school.organization)
    assert login(mentor).get(url("organization", school)).status_code == 404


def test_the_api_gives_the_figures_to_staff_only(school: School) -> None:
    path = f"/api/v1/reports/organizations/{school.organization.pk}/{YEAR}"
    response = login(school.curator).get(path)
    assert response.status_code == 200
    assert {key: response.json()[key] for key in EXPECTED} == EXPECTED
    stranger = cast(User, UserFactory())
    MembershipFactory(user=stranger, role=Role.CURATOR)
    assert login(stranger).get(path).status_code == 404


def test_another_territorys_coordinator_cannot_decide_with_a_real_body(school: School) -> None:
    submission = report_submit(
        actor=school.curator, organization=school.organization, start_year=YEAR
    )
    elsewhere = coordinator(TerritoryFactory.create(name="Другой район"))
    response = login(elsewhere).post(
        reverse("reports:decide", kwargs={"submission_id": submission.pk}),
        {"decision": "accept", "comment": "Принято"},
    )
    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_the_command_answers_in_russian(school: School, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="не учебный год вида 2025/2026"):
        call_command(
            "monitoring_report",
            organization=school.organization.code,
            year="прошлый",
            output=str(tmp_path / "r.json"),
        )
    with pytest.raises(CommandError, match="годы должны идти подряд"):
        call_command(
            "monitoring_report",
            organization=school.organization.code,
            year="2025/2027",
            output=str(tmp_path / "r.json"),
        )
    with pytest.raises(CommandError, match="Нет организации с кодом «нет-такой»"):
        call_command("monitoring_report", organization="нет-такой", year="2025", output="-")
    out = io.StringIO()
    call_command(
        "monitoring_report",
        organization=school.organization.code,
        year="2026",
        format="pdf",
        output="-",
        stdout=out,
    )
    assert "укажите файл в --output" in out.getvalue()
