from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.imports.selectors import import_batch_get

router = Router(tags=["imports"])


class ImportOut(Schema):
    id: int
    organization_id: int
    original_name: str
    sha256: str
    kind: str
    status: str
    progress: int
    total_rows: int
    to_create: int
    to_update: int
    unchanged: int
    invalid_rows: int
    created_count: int
    updated_count: int
    skipped_count: int
    issues: list[dict[str, object]]
    program_choice: str
    program_id: int | None
    enrol_roles: dict[str, int]
    error: str
    created_at: dt.datetime
    committed_at: dt.datetime | None


@router.get("/{import_id}", response=ImportOut)
def get_import(request: HttpRequest, import_id: int) -> object:
    """An import's status, progress and counts (poll it while ``status`` is running)."""
    return import_batch_get(user=request.user, import_id=import_id)
