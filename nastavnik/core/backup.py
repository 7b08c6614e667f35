"""Back up and restore the whole installation: the database and the files under MEDIA_ROOT.

One archive (``.tar.gz``) holds ``manifest.json`` (when, which engine, every table's row count and
checksum), the database — SQLite copied through its online backup API, PostgreSQL dumped with
``pg_dump --format=custom`` — and ``media/``. Restoring writes the database back (SQLite through
the backup API, PostgreSQL with ``pg_restore --clean``), replaces the media files and then checks
every table against the manifest, so a restore that does not reproduce the backup fails loudly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator."""


@dataclass(frozen=True)
class TableState:
    rows: int
    checksum: str


def table_states() -> dict[str, TableState]:
    """Every table's row count and a checksum of its rows in primary-key order."""
    states: dict[str, TableState] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 — introspected name
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_stable(v) for v in row)).encode())
                count += 1
            states[table] = TableState(rows=count, checksum=digest.hexdigest())
    return states


def _stable(value: Any) -> Any:
    # memoryview / bytes from either backend hash the same way; everything else by its repr.
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    conf = connection.settings_dict
    args = ["--no-owner", "--no-privileges"]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = os.environ.copy()
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("The command %(cmd)s failed: %(err)s")
            % {"cmd": command[0], "err": result.stderr.strip()[:2000]}
        )


def backup_create(*, output: Path) -> dict[str, Any]:
    """Write the archive to ``output``; returns the manifest."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
            "engine": engine,
            "tables": {t: s.__dict__ for t, s in table_states().items()},
        }
        if engine == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(work / SQLITE_FILE)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            args, env = _pg_env()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    *args,
                    "--file",
                    str(work / PG_FILE),
                    str(connection.settings_dict["NAME"]),
                ],
                env,
            )
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            db_file = SQLITE_FILE if engine == "sqlite" else PG_FILE
            archive.add(work / db_file, arcname=db_file)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA_DIR)
    return manifest


def backup_restore(*, archive_path: Path) -> dict[str, Any]:
    """Replace the database and the media files with the archive's, then verify every table."""
    engine = _engine()
    if not archive_path.is_file():
        raise BackupError(_("The backup file does not exist: %(path)s") % {"path": archive_path})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(_("The file is not a Nastavnik backup.")) from exc
        manifest_file = work / MANIFEST
        if not manifest_file.is_file():
            raise BackupError(_("The file is not a Nastavnik backup."))
        manifest: dict[str, Any] = json.loads(manifest_file.read_text())
        if manifest.get("engine") != engine:
            raise BackupError(
                _(
                    "The backup was made from a %(made)s database, "
                    "but this installation uses %(now)s."
                )
                % {"made": manifest.get("engine"), "now": engine}
            )
        if engine == "sqlite":
            source = sqlite3.connect(work / SQLITE_FILE)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connections.close_all()
            args, env = _pg_env()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    *args,
                    "--dbname",
                    str(connection.settings_dict["NAME"]),
                    str(work / PG_FILE),
                ],
                env,
            )
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.rmtree(media_root)
        if (work / MEDIA_DIR).is_dir():
            shutil.copytree(work / MEDIA_DIR, media_root)
    mismatched = _compare(manifest["tables"], table_states())
    if mismatched:
        raise BackupError(
            _("After the restore these tables do not match the backup: %(tables)s")
            % {"tables": ", ".join(mismatched)}
        )
    return manifest


def _compare(expected: dict[str, dict[str, Any]], actual: dict[str, TableState]) -> list[str]:
    names = set(expected) | set(actual)
    return sorted(
        name
        for name in names
        if name not in expected or name not in actual or expected[name] != actual[name].__dict__
    )
