from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import unknown_value
from nastavnik.imports import services
from nastavnik.imports.selectors import import_batch_get, import_program_choices

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


class ProgramIn(Schema):
    """``program_id``: one of the organization's programs of the current year of the file's
    forms; ``null``: enrol the rows with a role in no program."""

    program_id: int | None


@router.patch("/{import_id}", response=ImportOut)
def choose_program(request: HttpRequest, import_id: int, payload: ProgramIn) -> object:
    """Choose the program the rows with «Роль в программе» are enrolled in (a curator); the file
    is checked again (poll the import while ``status`` is running)."""
    batch = import_batch_get(user=request.user, import_id=import_id)
    program = None
    if payload.program_id is not None:
        program = next(
            (p for p in import_program_choices(batch=batch) if p.pk == payload.program_id), None
        )
        if program is None:
            raise unknown_value("program_id")
    batch = services.import_program_choose(actor=request.user, batch=batch, program=program)
    services.import_start_analysis(batch=batch)
    return import_batch_get(user=request.user, import_id=import_id)
