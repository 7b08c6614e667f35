"""Object makers for the isolation test: an import of the victim organization."""

from __future__ import annotations

from nastavnik.imports.models import ImportBatch, ImportStatus
from tests.conftest import Tenant
from tests.isolation import Maker


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
