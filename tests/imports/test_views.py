"""The import pages: upload, preview with problems, commit, downloads."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.imports.exports import safe_cell
from nastavnik.imports.models import ImportBatch, ImportStatus
from nastavnik.people.models import Person
from tests.conftest import login
from tests.imports.helpers import HEADER, PUPIL, TEACHER, csv_bytes, row, xlsx_bytes
from tests.imports.test_commit import grant


def post_file(client: Any, tenant: Any, data: bytes, name: str, **extra: Any) -> Any:
    return client.post(
        reverse("imports:list"),
        {
            "organization": tenant.organization.pk,
            "file": SimpleUploadedFile(name, data),
            **extra,
        },
        follow=True,
    )


def test_upload_preview_fix_and_commit(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    bad = csv_bytes(
        [row(**{**PUPIL, "snils": "112-233-445 96"}), row(**TEACHER)], encoding="cp1251"
    )
    response = post_file(client, tenant_a, bad, "pupils.csv")
    page = response.content.decode()
    assert response.status_code == 200
    assert "строка 2, столбец «СНИЛС»: неверная контрольная сумма СНИЛС" in page
    assert "Петров Пётр Иванович" in page
    batch = ImportBatch.objects.get()
    response = client.post(reverse("imports:commit", kwargs={"import_id": batch.pk}), follow=True)
    assert "ничего не импортировано" in response.content.decode()
    assert not Person.objects.filter(last_name="Смирнова").exists()

    good = csv_bytes([row(**PUPIL), row(**TEACHER)], encoding="cp1251")
    response = post_file(client, tenant_a, good, "pupils.csv")
    latest = ImportBatch.objects.order_by("-pk").first()
    assert latest is not None
    batch = latest
    assert batch.status == ImportStatus.READY
    assert batch.encoding == "cp1251"
    response = client.post(reverse("imports:commit", kwargs={"import_id": batch.pk}), follow=True)
    assert "Импорт выполнен" in response.content.decode()
    assert Person.objects.filter(organization=tenant_a.organization, last_name="Смирнова").exists()


def test_a_rejected_file_says_why(tenant_a: Any) -> None:
    response = post_file(login(tenant_a.curator), tenant_a, b"\x89PNG\r\n\x1a\n\x00", "a.xlsx")
    assert "не является таблицей" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_status_fragment_and_the_skipped_report(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    post_file(
        client,
        tenant_a,
        xlsx_bytes([row(**TEACHER), row(**{**PUPIL, "last_name": "@SUM(A1)"})]),
        "p.xlsx",
        skip_invalid="on",
    )
    batch = ImportBatch.objects.get()
    fragment = client.get(reverse("imports:status", kwargs={"import_id": batch.pk}))
    assert "готов к импорту" in fragment.content.decode()
    client.post(reverse("imports:commit", kwargs={"import_id": batch.pk}), {"skip_invalid": "on"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.skipped_count == 1
    response = client.get(reverse("imports:skipped", kwargs={"import_id": batch.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [c.value for c in sheet[2]]
    assert cells[0] == 3
    assert cells[1] == "'@SUM(A1)", "formula injection is escaped"


def test_the_template_download(tenant_a: Any) -> None:
    response = login(tenant_a.curator).get(reverse("imports:template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Люди"][1]] == HEADER
    assert workbook["Справочник"]["C2"].value
    assert "Согласие получено" in str(workbook["Справочник"]["F1"].value)
    assert "несовершеннолетних" in " ".join(str(c.value or "") for c in workbook["Справочник"]["F"])
    assert "Справочник" in workbook.sheetnames


def test_the_template_is_importable(tenant_a: Any) -> None:
    response = login(tenant_a.curator).get(reverse("imports:template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in r] for r in workbook["Пример"].iter_rows(min_row=2)]
    post_file(login(tenant_a.curator), tenant_a, xlsx_bytes(rows), "example.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.issues == []
    assert batch.to_create == 2


def test_bases_export(tenant_a: Any) -> None:
    from nastavnik.programs.models import EnrolmentRole
    from nastavnik.programs.services import enrolment_upsert, program_get_or_create_current
    from tests.factories import form

    program, _ = program_get_or_create_current(
        actor=tenant_a.curator, organization=tenant_a.organization, form=form("teacher-student")
    )
    grant(tenant_a, tenant_a.mentor_person)
    grant(tenant_a, tenant_a.student)
    enrolment_upsert(
        actor=tenant_a.curator,
        program=program,
        person=tenant_a.mentor_person,
        role=EnrolmentRole.MENTOR,
        capacity=2,
    )
    enrolment_upsert(
        actor=tenant_a.curator, program=program, person=tenant_a.student, role=EnrolmentRole.MENTEE
    )
    url = reverse("imports:bases_export", kwargs={"organization_id": tenant_a.organization.pk})
    response = login(tenant_a.curator).get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == tenant_a.organization.name
    assert values[3][0] == "№ п/п"
    assert [r[0] for r in values[4:6]] == [1, 2]
    assert [None, "Всего", 2] in [r[:3] for r in values]
    assert login(tenant_a.mentor).get(url).status_code == 404


def test_safe_cell() -> None:
    for dangerous in ("=1+1", "+7", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Иванов") == "Иванов"
    assert safe_cell(5) == 5


def test_large_files_go_through_the_background_tasks(tenant_a: Any, monkeypatch: Any) -> None:
    from nastavnik.imports import services

    monkeypatch.setattr(services, "INLINE_MAX_BYTES", 0)  # every file counts as large
    client = login(tenant_a.curator)
    post_file(client, tenant_a, xlsx_bytes([row(**PUPIL), row(**TEACHER)]), "big.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.READY  # the immediate task backend of the tests ran it
    assert batch.progress == 100
    client.post(reverse("imports:commit", kwargs={"import_id": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.created_count == 2


def test_the_progress_bar_polls_until_the_work_is_done(tenant_a: Any) -> None:
    batch = ImportBatch.objects.create(
        organization=tenant_a.organization,
        original_name="big.xlsx",
        sha256="1" * 64,
        kind="xlsx",
        status=ImportStatus.ANALYZING,
        progress=42,
    )
    client = login(tenant_a.curator)
    url = reverse("imports:status", kwargs={"import_id": batch.pk})
    running = client.get(url, HTTP_HX_REQUEST="true")
    body = running.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="42"' in body
    assert "HX-Refresh" not in running.headers
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.READY, progress=100)
    done = client.get(url + "?was=running", HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_the_import_api(tenant_a: Any, tenant_b: Any) -> None:
    client = login(tenant_a.curator)
    post_file(client, tenant_a, xlsx_bytes([row(**PUPIL)]), "p.xlsx")
    batch = ImportBatch.objects.get()
    response = client.get(f"/api/v1/imports/{batch.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ready"
    assert data["to_create"] == 1
    assert len(data["sha256"]) == 64
    assert login(tenant_b.curator).get(f"/api/v1/imports/{batch.pk}").status_code == 404


def test_a_stuck_import_says_so_and_can_be_cancelled(tenant_a: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    batch = ImportBatch.objects.create(
        organization=tenant_a.organization,
        original_name="big.xlsx",
        sha256="2" * 64,
        kind="xlsx",
        status=ImportStatus.COMMITTING,
    )
    client = login(tenant_a.curator)
    cancel = reverse("imports:cancel", kwargs={"import_id": batch.pk})
    client.post(cancel)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING, "a live commit may not be cancelled"
    ImportBatch.objects.filter(pk=batch.pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=2)
    )
    page = client.get(reverse("imports:detail", kwargs={"import_id": batch.pk})).content.decode()
    assert "manage.py db_worker" in page
    client.post(cancel)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
