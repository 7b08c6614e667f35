"""Item 8 of issue 16: what one upload may cost, refused in Russian before it is parsed."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError

from nastavnik.imports import files
from nastavnik.imports.models import ImportBatch
from nastavnik.imports.services import import_analyze, import_upload
from tests.imports.helpers import PUPIL, csv_bytes, row, xlsx_bytes


def analyze(tenant: Any, data: bytes, name: str = "people.xlsx") -> ImportBatch:
    batch = import_upload(
        actor=tenant.curator,
        organization=tenant.organization,
        source=io.BytesIO(data),
        original_name=name,
    )
    return import_analyze(batch_id=batch.pk)


def refusal(tenant: Any, data: bytes, name: str = "people.xlsx") -> str:
    """The Russian message of a refused file, at upload or at analysis."""
    try:
        batch = analyze(tenant, data, name)
    except ValidationError as exc:
        return " ".join(exc.messages)
    assert batch.error, batch.status
    return batch.error


def test_the_limits_are_what_a_school_needs() -> None:
    assert files.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert files.MAX_UNCOMPRESSED_BYTES == 120 * 1024 * 1024
    assert files.MAX_ROWS == 50_000


def _xlsx_with_sheet(sheet_xml: bytes, compress_level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            zipfile.ZipInfo("xl/worksheets/sheet1.xml"),
            sheet_xml,
            compress_type=zipfile.ZIP_DEFLATED,
            compresslevel=compress_level,
        )
    return out.getvalue()


def test_a_file_unpacking_beyond_120_mb_is_refused_saying_the_limit(tenant_a: Any) -> None:
    # 130 members of 1 MB each: too small each for the ratio guard, together 130 MB.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(130):
            archive.writestr(f"xl/media/image{n}.bin", bytes(1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    message = refusal(tenant_a, out.getvalue())
    assert "больше 120 МБ" in message, message


def test_too_many_rows_in_an_xlsx_are_refused_before_loading(tenant_a: Any, settings: Any) -> None:
    settings.NASTAVNIK_IMPORT_MAX_ROWS = 30
    data = xlsx_bytes([row(**{**PUPIL, "snils": ""}) for _ in range(60)])
    message = refusal(tenant_a, data)
    assert "больше 30 строк" in message, message


def test_a_sheet_of_too_many_cells_is_refused_while_streaming(
    tenant_a: Any, monkeypatch: Any
) -> None:
    # A sheet whose XML holds far more cells than a table of people has: counted while the
    # XML is streamed, before the spreadsheet reader (which loads a sheet whole) runs.
    monkeypatch.setattr(files, "MAX_CELLS", 1000)
    cells = b"".join(b'<c r="A%d"><v>%d</v></c>' % (n, n) for n in range(1500))
    data = _xlsx_with_sheet(
        b"<worksheet><sheetData><row>" + cells + b"</row></sheetData></worksheet>"
    )

    def loader_must_not_run(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the sheet was loaded")

    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_path", loader_must_not_run)
    message = refusal(tenant_a, data)
    assert "больше 1\u00a0000 ячеек" in message, message


def test_too_many_rows_in_a_csv_are_refused(tenant_a: Any, settings: Any) -> None:
    settings.NASTAVNIK_IMPORT_MAX_ROWS = 30
    data = csv_bytes([row(**{**PUPIL, "snils": ""}) for _ in range(60)])
    assert "больше 30 строк" in refusal(tenant_a, data, "people.csv")


def test_the_upload_limit_is_20_mb_and_said_in_russian(tenant_a: Any) -> None:
    data = b"a;b\r\n" * (21 * 1024 * 1024 // 5)
    message = refusal(tenant_a, data, "people.csv")
    assert "больше 20 МБ" in message, message


def _lying_xlsx() -> bytes:
    """A real .xlsx whose zip directory says the sheet unpacks to 100 bytes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for i in range(300):
        sheet.append(["Фамилия", "Имя", i])
    out = io.BytesIO()
    workbook.save(out)
    data = bytearray(out.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    for signature, name_len_at, size_at, header in (
        (b"PK\x01\x02", 28, 24, 46),
        (b"PK\x03\x04", 26, 22, 30),
    ):
        pos = data.find(signature)
        while pos >= 0:
            length = struct.unpack_from("<H", data, pos + name_len_at)[0]
            if data[pos + header : pos + header + length] == name:
                struct.pack_into("<I", data, pos + size_at, 100)
            pos = data.find(signature, pos + 4)
    return bytes(data)


def test_a_lying_zip_directory_is_explained_in_russian(tenant_a: Any) -> None:
    message = refusal(tenant_a, _lying_xlsx())
    assert "повреждён" in message, message
    assert "declared" not in message
    assert "I/O error" not in message


def test_calamines_own_error_is_translated(tenant_a: Any, tmp_path: Any) -> None:
    from python_calamine import XmlError

    error = files.damaged(XmlError("I/O error: File is larger than its declared uncompressed size"))
    assert "размеры, записанные в архиве" in str(error)
    assert "повреждён" in str(files.damaged(ValueError("something else")))
