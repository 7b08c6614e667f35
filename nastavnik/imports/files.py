"""Untrusted spreadsheet files: type by content, size and zip-bomb guards, row readers.

The type is decided by the bytes, never by the name: an .xlsx is a zip with
``[Content_Types].xml`` and ``xl/workbook.xml``, an .ods a zip whose ``mimetype`` member says so,
a CSV is text without NUL bytes in UTF-8 (with or without BOM) or Windows-1251.
"""

from __future__ import annotations

import codecs
import csv
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

XLSX, ODS, CSV = "xlsx", "ods", "csv"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

ENCODINGS = ("utf-8", "cp1251")
DELIMITERS = (";", ",", "\t")


MB = 1024 * 1024
# What a school's file needs: tens of thousands of rows. A file beyond these limits is refused
# before it is parsed, so one upload cannot take the worker's memory.
MAX_UPLOAD_BYTES = 20 * MB
MAX_UNCOMPRESSED_BYTES = 120 * MB
MAX_ROWS = 50_000
# Cells of the sheet XML counted while streaming it, before the spreadsheet is loaded:
# fifty thousand rows of the template's columns fit easily.
MAX_CELLS = 2_000_000


def max_upload_bytes() -> int:
    return int(getattr(settings, "NASTAVNIK_IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "NASTAVNIK_IMPORT_MAX_ROWS", MAX_ROWS))


# Zip-bomb guard: what the zip directory may promise before anything is decompressed.
MAX_MEMBER_RATIO = 150
MAX_MEMBERS = 2000
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


class FileRejected(Exception):
    """The file cannot be read; the message says why and what to do, in Russian."""


@dataclass(frozen=True)
class Sniffed:
    kind: str
    encoding: str = ""
    delimiter: str = ""


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip only if its directory promises sane sizes (no zip bomb)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(
            _("The file is damaged: it is not a valid spreadsheet. Save it again as .xlsx.")
        ) from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        archive.close()
        raise FileRejected(_("The file has too many parts to be a spreadsheet."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO:
            archive.close()
            raise FileRejected(
                _(
                    "The file is rejected: it unpacks to far more than its size (a «zip bomb»). "
                    "Save the table again in a spreadsheet editor."
                )
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        archive.close()
        raise FileRejected(
            _(
                "The file unpacks to more than %(limit)s MB; a table of people is much smaller. "
                "Split it into several files."
            )
            % {"limit": MAX_UNCOMPRESSED_BYTES // MB}
        )
    return archive


def too_many_rows() -> FileRejected:
    limit = max_rows()
    return FileRejected(
        ngettext(
            "The table has more than %(limit)s row. Split it into several files.",
            "The table has more than %(limit)s rows. Split it into several files.",
            limit,
        )
        % {"limit": f"{limit:,}".replace(",", "\u00a0")}
    )


def check_sheet_size(archive: zipfile.ZipFile) -> None:
    """Stream the worksheets' XML of an .xlsx and count rows and cells, refusing too many,
    before the spreadsheet reader loads a sheet whole. The bytes actually unpacked are counted
    too: a zip directory may lie about the sizes."""
    rows = cells = unpacked = 0
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        tail = b""
        try:
            with archive.open(info) as member:
                for chunk in iter(lambda: member.read(1 << 20), b""):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNCOMPRESSED_BYTES:
                        raise FileRejected(
                            _(
                                "The file unpacks to more than %(limit)s MB; a table of people "
                                "is much smaller. Split it into several files."
                            )
                            % {"limit": MAX_UNCOMPRESSED_BYTES // MB}
                        )
                    window = tail + chunk
                    # A tag cut by the chunk's end is counted in the next window only.
                    cut = max(0, len(window) - 16)
                    rows += len(_ROW_TAG.findall(window, 0, cut))
                    cells += len(_CELL_TAG.findall(window, 0, cut))
                    tail = window[cut:]
                rows += len(_ROW_TAG.findall(tail))
                cells += len(_CELL_TAG.findall(tail))
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise damaged(exc) from exc
        if rows > max_rows() + HEADER_ROWS_ALLOWANCE:
            raise too_many_rows()
        if cells > MAX_CELLS:
            raise FileRejected(
                _("The table has more than %(limit)s cells. Keep only the template's columns.")
                % {"limit": f"{MAX_CELLS:,}".replace(",", "\u00a0")}
            )


# Rows above the header (a title, notes) that are not counted against the limit.
HEADER_ROWS_ALLOWANCE = 10


def damaged(exc: BaseException) -> FileRejected:
    """The spreadsheet reader's own error (English, technical) is logged, not shown."""
    logger.info("import file unreadable: %s", exc)
    text = str(exc).lower()
    if "declared" in text or "size" in text or "zip" in text or "crc" in text:
        return FileRejected(
            _(
                "The file is damaged: the sizes recorded in the archive do not match its "
                "contents. Open it in a spreadsheet editor and save it again as .xlsx."
            )
        )
    if "password" in text or "encrypt" in text:
        return FileRejected(
            _("The file is protected by a password. Remove the password and save it again.")
        )
    return FileRejected(
        _(
            "The spreadsheet cannot be read: the file is damaged or is not a table. "
            "Open it in a spreadsheet editor and save it again as .xlsx."
        )
    )


def sniff(path: Path) -> Sniffed:
    """What the file is, by its content."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(_("The file is empty."))
    if size > max_upload_bytes():
        raise FileRejected(
            _("The file is larger than %(limit)s MB. Split it into several files.")
            % {"limit": max_upload_bytes() // (1024 * 1024)}
        )
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith(OLE_MAGIC):
        raise FileRejected(
            _("Files of the old Excel format (.xls) are not accepted. Save the table as .xlsx.")
        )
    if head.startswith(b"PK\x03\x04"):
        with check_zip(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return Sniffed(XLSX)
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return Sniffed(ODS)
        raise FileRejected(
            _("The archive is not a spreadsheet. Upload an .xlsx, .ods or .csv file.")
        )
    if b"\x00" in head:
        raise FileRejected(_("The file is not a table. Upload an .xlsx, .ods or .csv file."))
    encoding = detect_encoding(path)
    return Sniffed(CSV, encoding=encoding, delimiter=detect_delimiter(path, encoding))


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        data = handle.read()
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _("The text file is neither UTF-8 nor Windows-1251. Save it as CSV UTF-8.")
        ) from exc
    return "cp1251"


def detect_delimiter(path: Path, encoding: str) -> str:
    """The separator that splits the first non-empty line into the most columns."""
    with path.open(encoding=encoding, newline="") as handle:
        for line in handle:
            if line.strip():
                counts = {d: line.count(d) for d in DELIMITERS}
                best = max(DELIMITERS, key=lambda d: counts[d])
                return best if counts[best] else ";"
    return ";"


class RowSource:
    """The rows of the first sheet (or of the CSV) with their count, for progress."""

    def __init__(self, path: Path, sniffed: Sniffed, *, encoding: str = "", delimiter: str = ""):
        self.path = path
        self.sniffed = sniffed
        self.encoding = encoding or sniffed.encoding
        self.delimiter = delimiter or sniffed.delimiter
        self._sheet: Any = None
        if sniffed.kind == CSV:
            with path.open("rb") as handle:
                self.total = (
                    sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) + 1
                )
        else:
            self._sheet = _open_sheet(path, sniffed.kind)
            self.total = int(self._sheet.height)
        if self.total > max_rows() + HEADER_ROWS_ALLOWANCE:
            raise too_many_rows()

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        """The rows one by one (a CSV is read as a stream); more than the limit is refused
        as soon as it is reached, whatever the file said about its size."""
        limit = max_rows() + HEADER_ROWS_ALLOWANCE
        for number, cells in self._rows():
            if number > limit:
                raise too_many_rows()
            yield number, cells

    def _rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self.sniffed.kind == CSV:
            yield from _iter_csv(self.path, self.encoding, self.delimiter)
            return
        from python_calamine import CalamineError

        try:
            yield from enumerate(self._sheet.iter_rows(), start=1)
        except (CalamineError, ValueError) as exc:
            raise damaged(exc) from exc


def _iter_csv(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    if encoding == "utf-8":
        encoding = "utf-8-sig"  # harmless without a BOM, strips one if the user forced utf-8
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for number, row in enumerate(reader, start=1):
                yield number, list(row)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _("The file cannot be read in the encoding %(encoding)s. Choose another encoding.")
            % {"encoding": encoding}
        ) from exc
    except csv.Error as exc:
        raise FileRejected(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc


def _open_sheet(path: Path, kind: str = XLSX) -> Any:
    # python-calamine reads .xlsx and .ods in Rust, with dates as date objects; it loads a
    # sheet whole, so its size is checked first by streaming the XML.
    from python_calamine import CalamineError, CalamineWorkbook

    with check_zip(path) as archive:
        if kind == XLSX:
            check_sheet_size(archive)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise damaged(exc) from exc


def write_upload(source: IO[bytes] | Any, target: Path) -> tuple[int, str]:
    """Copy an upload to ``target`` while hashing it; refuses more than the size limit."""
    import hashlib

    digest = hashlib.sha256()
    size = 0
    limit = max_upload_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    chunks = (
        source.chunks() if hasattr(source, "chunks") else iter(lambda: source.read(1 << 20), b"")
    )
    with target.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise FileRejected(
                    _("The file is larger than %(limit)s MB. Split it into several files.")
                    % {"limit": limit // (1024 * 1024)}
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()
