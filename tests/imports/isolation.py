"""Object makers for the isolation test: an import of the victim organization."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from nastavnik.imports.models import ImportBatch, ImportStatus
from tests.conftest import Tenant
from tests.isolation import Maker, PostBody


def _import(tenant: Tenant) -> object:
    batch = ImportBatch.objects.create(
        organization=tenant.organization,
        created_by=tenant.curator,
        original_name="pupils.xlsx",
        sha256="0" * 64,
        kind="xlsx",
        status=ImportStatus.READY,
        total_rows=1,
        to_create=1,
        preview=[
            {
                "row": 2,
                "action": "create",
                "name": tenant.student.full_name,
                "changes": [],
                "enrol": "",
                "problems": [],
            }
        ],
        skipped_rows=[{"row": 3, "cells": [tenant.student.last_name], "problems": ["x"]}],
    )
    return batch.pk


OBJECT_MAKERS: dict[str, Maker] = {"import_id": Maker(_import)}


def _options(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """Read the kept file again with another delimiter (the file is kept until the commit)."""
    batch = ImportBatch.objects.get(pk=values["import_id"])
    batch.kind = "csv"
    batch.file.save("pupils.csv", ContentFile("Фамилия;Имя\nИванов;Иван\n".encode()))
    return {"encoding": "utf-8", "delimiter": ";"}


def _program(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """Enrol the rows in no program (always offered), the file checked again."""
    _options(victim, values)
    return {"program": "none"}


POST_BODIES: dict[str, PostBody] = {
    "imports:options": _options,
    "imports:program": _program,
    "imports:commit": lambda victim, values: {"skip_invalid": "on"},
}

# Pages and downloads; the cancellation and the re-run are the POST itself.
NO_FORM: set[str] = {
    "imports:detail",
    "imports:rerun",
    "imports:status",
    "imports:skipped",
    "imports:cancel",
    "imports:bases_export",
    "api:get_import",
    # The PATCH choosing the program takes JSON (its pattern shares the GET's path; POST 405);
    # tests/imports/test_program_choice.py sends it with another organization's token.
    "api:choose_program",
}
