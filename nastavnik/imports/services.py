"""The life of an import: upload → check (preview) → commit, each step recorded.

Small files are checked and committed in the request; large ones by the tasks in ``tasks.py``,
which call the same functions and update ``ImportBatch.progress`` for the progress bar.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user
from nastavnik.core.audit import audit
from nastavnik.imports.apply import apply_plan
from nastavnik.imports.files import FileRejected, RowSource, Sniffed, sniff, write_upload
from nastavnik.imports.lease import heartbeat, lease_length
from nastavnik.imports.models import ImportBatch, ImportStatus, ProgramChoice
from nastavnik.imports.plan import (
    INVALID,
    Plan,
    Progress,
    build_plan,
    preview_rows,
)
from nastavnik.imports.rows import text_of
from nastavnik.imports.selectors import import_program_choices
from nastavnik.imports.tasks import analyze_import, commit_import
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program

logger = logging.getLogger(__name__)

# Files up to this size are checked and committed within the request; larger ones in the
# background with a progress bar.
INLINE_MAX_BYTES = 512 * 1024
MAX_STORED_ISSUES = 5000


def import_can_run(*, user: Actor, organization_id: int) -> bool:
    return access_for(user).is_curator_of(organization_id)


def _require_curator(actor: Actor | None, organization: Organization) -> None:
    # ``actor=None`` is the command line, run by whoever may run manage.py on the server.
    if actor is not None and not import_can_run(user=actor, organization_id=organization.pk):
        raise PermissionDenied(_("Only a curator of the organization may import people."))


def import_upload(
    *,
    actor: Actor | None,
    organization: Organization,
    source: IO[bytes] | Any,
    original_name: str,
    encoding: str = "",
    delimiter: str = "",
    skip_invalid: bool = False,
) -> ImportBatch:
    """Store the upload, recognize its type by content and remember its hash.

    Raises ValidationError with a Russian message when the file cannot be accepted.
    """
    _require_curator(actor, organization)
    relative = f"imports/{organization.pk}/{uuid.uuid4().hex}"
    path = Path(settings.MEDIA_ROOT) / relative
    try:
        size, digest = write_upload(source, path)
        sniffed = sniff(path)
    except FileRejected as exc:
        path.unlink(missing_ok=True)
        raise ValidationError(str(exc), code="file_rejected") from exc
    previous = (
        ImportBatch.objects.filter(
            organization=organization, sha256=digest, status=ImportStatus.DONE
        )
        .order_by("-committed_at")
        .first()
    )
    batch = ImportBatch(
        organization=organization,
        created_by=actor_user(actor),
        original_name=Path(original_name).name[:255] or "file",
        size=size,
        sha256=digest,
        kind=sniffed.kind,
        encoding=encoding or sniffed.encoding,
        delimiter=delimiter or sniffed.delimiter,
        skip_invalid=skip_invalid,
        duplicate_of=previous,
    )
    batch.file.name = relative
    batch.full_clean(exclude=["file"])
    batch.save()
    audit(
        actor=actor,
        action="import.upload",
        obj=batch,
        data={"sha256": digest, "size": size, "kind": sniffed.kind, "name": batch.original_name},
    )
    return batch


def _path(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.file.name


def _sniffed(batch: ImportBatch) -> Sniffed:
    return Sniffed(batch.kind, encoding=batch.encoding, delimiter=batch.delimiter)


def _progress_saver(batch: ImportBatch, low: int, high: int) -> Progress:
    last = [-1]

    def save(done: int, total: int) -> None:
        value = low + (high - low) * min(done, total) // max(total, 1)
        if value != last[0]:
            last[0] = value
            now = timezone.now()
            ImportBatch.objects.filter(pk=batch.pk).update(
                progress=value, updated_at=now, lease_until=now + lease_length()
            )

    return save


def _set_status(batch: ImportBatch, status: str, **fields: Any) -> None:
    batch.status = status
    for name, value in fields.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, updated_at=timezone.now(), **fields
    )


def import_options_update(
    *, actor: Actor, batch: ImportBatch, encoding: str, delimiter: str
) -> ImportBatch:
    """The user overrides the detected encoding or separator of a CSV file."""
    _require_curator(actor, batch.organization)
    if batch.status not in (ImportStatus.READY, ImportStatus.FAILED, ImportStatus.UPLOADED):
        raise ValidationError(_("The import has already finished."))
    if not batch.file.name or not _path(batch).exists():
        raise ValidationError(_("The file is no longer stored; upload it again."))
    batch.encoding = encoding or batch.encoding
    batch.delimiter = delimiter or batch.delimiter
    _set_status(
        batch,
        ImportStatus.UPLOADED,
        encoding=batch.encoding,
        delimiter=batch.delimiter,
        error="",
        progress=0,
    )
    return batch


def import_analyze(*, batch_id: int) -> ImportBatch:
    """Read and check the whole file; store the counts, the problems and the preview."""
    batch = ImportBatch.objects.select_related("organization").get(pk=batch_id)
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.ANALYZING):
        return batch
    _set_status(
        batch,
        ImportStatus.ANALYZING,
        progress=0,
        error="",
        lease_until=timezone.now() + lease_length(),
    )
    try:
        with heartbeat(batch.pk):
            plan = _build(batch, progress=_progress_saver(batch, 0, 95))
            if _program_by_default(batch, plan):
                plan = _build(batch)
    except FileRejected as exc:
        _set_status(batch, ImportStatus.FAILED, error=str(exc), progress=100, lease_until=None)
        return batch
    except Exception:
        logger.exception("import %s: the check failed", batch.pk)
        _set_status(
            batch,
            ImportStatus.FAILED,
            error=_("The file could not be checked because of an internal error."),
            progress=100,
            lease_until=None,
        )
        return batch
    _store_plan(batch, plan)
    _set_status(batch, ImportStatus.READY, progress=100, lease_until=None)
    return batch


def _build(batch: ImportBatch, **options: Any) -> Plan:
    """The batch's plan, with the curator's choice of the program (see ``ProgramChoice``)."""
    if batch.program_choice == ProgramChoice.PROGRAM and batch.program is None:
        raise FileRejected(_("The chosen program no longer exists; choose the program again."))
    return build_plan(
        organization=batch.organization,
        path=_path(batch),
        sniffed=_sniffed(batch),
        program=batch.program if batch.program_choice == ProgramChoice.PROGRAM else None,
        no_enrolment=batch.program_choice == ProgramChoice.NONE,
        **options,
    )


def _program_by_default(batch: ImportBatch, plan: Plan) -> bool:
    """A file with roles whose program is not chosen yet: the only program it may go to is
    chosen. True if so (the plan is to be built again)."""
    if batch.program_choice or plan.enrol_forms is None:
        return False
    batch.enrol_forms = plan.enrol_forms
    choices = import_program_choices(batch=batch)
    if len(choices) != 1:
        return False
    batch.program, batch.program_choice = choices[0], ProgramChoice.PROGRAM
    ImportBatch.objects.filter(pk=batch.pk).update(
        program=batch.program, program_choice=batch.program_choice
    )
    return True


def import_needs_program(batch: ImportBatch) -> bool:
    """The file has roles, the program is not chosen, and there is more than one to choose."""
    return (
        not batch.program_choice
        and batch.enrol_forms is not None
        and len(import_program_choices(batch=batch)) > 1
    )


def import_program_choose(
    *, actor: Actor, batch: ImportBatch, program: Program | None
) -> ImportBatch:
    """The curator chooses the program the rows with a role are enrolled in (``None``: none);
    the file is then checked again. The program must be one of ``import_program_choices``."""
    _require_curator(actor, batch.organization)
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
        )
        if batch.status not in (ImportStatus.READY, ImportStatus.FAILED):
            raise ValidationError(_("The import is not waiting for a decision now."))
        if not batch.file.name or not _path(batch).exists():
            raise ValidationError(_("The file is no longer stored; upload it again."))
        if program is not None and program not in import_program_choices(batch=batch):
            raise ValidationError(_("Choose one of the programs offered."))
        batch.program = program
        batch.program_choice = ProgramChoice.PROGRAM if program else ProgramChoice.NONE
        _set_status(
            batch,
            ImportStatus.UPLOADED,
            program=program,
            program_choice=batch.program_choice,
            error="",
            progress=0,
        )
        audit(
            actor=actor,
            action="import.program",
            obj=batch,
            data={"program": program.pk if program else None},
        )
    return batch


def _store_plan(batch: ImportBatch, plan: Plan) -> None:
    counts = plan.counts()
    for name, value in counts.items():
        setattr(batch, name, value)
    batch.enrol_forms = plan.enrol_forms
    batch.enrol_roles = plan.enrol_roles()
    batch.issues = [i.as_dict() for i in plan.issues[:MAX_STORED_ISSUES]]
    batch.warnings = [w.as_dict() for w in plan.warnings[:MAX_STORED_ISSUES]]
    batch.unknown_columns = plan.unknown_columns
    batch.headers = plan.headers
    batch.preview = preview_rows(plan)
    batch.save(
        update_fields=[
            *counts,
            "issues",
            "warnings",
            "unknown_columns",
            "headers",
            "preview",
            "enrol_forms",
            "enrol_roles",
            "updated_at",
        ]
    )


def import_commit(
    *,
    actor: Actor | None,
    batch: ImportBatch,
    skip_invalid: bool | None = None,
    progress: Progress | None = None,
) -> ImportBatch:
    """Import the checked file in one transaction; raises ValidationError if nothing may be.

    The file is read and checked again: the people may have changed since the preview.
    """
    _require_curator(actor, batch.organization)
    skip = batch.skip_invalid if skip_invalid is None else skip_invalid
    lease = timezone.now() + lease_length()
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READY).update(
        status=ImportStatus.COMMITTING, progress=0, skip_invalid=skip, error="", lease_until=lease
    )
    if not claimed:
        raise ValidationError(_("The import is not ready to be committed."))
    batch.status = ImportStatus.COMMITTING
    batch.skip_invalid = skip
    batch.progress = 0
    batch.lease_until = lease
    batch.error = ""  # an earlier refusal (rows with problems) no longer holds
    try:
        with heartbeat(batch.pk):
            plan = _build(
                batch,
                progress=progress or _progress_saver(batch, 0, 60),
                record_consents=actor is not None,
            )
            _store_plan(batch, plan)
            if progress is None:
                _progress_saver(batch, 0, 100)(70, 100)
            applied = apply_plan(plan=plan, actor=actor, skip_invalid=skip, batch_id=batch.pk)
    except FileRejected as exc:
        _set_status(batch, ImportStatus.READY, error=str(exc), progress=100, lease_until=None)
        raise ValidationError(str(exc), code="invalid_rows") from exc
    except Exception as exc:
        logger.exception("import %s: the commit failed", batch.pk)
        _set_status(
            batch,
            ImportStatus.FAILED,
            error=_(
                "The import failed because of an internal error; nothing was imported. "
                "Try again or tell the administrator."
            ),
            progress=100,
            lease_until=None,
        )
        raise ValidationError(batch.error) from exc
    skipped = _skipped_rows(batch, plan) if applied.skipped else []
    with transaction.atomic():
        batch.created_count = applied.created
        batch.updated_count = applied.updated
        batch.skipped_count = applied.skipped
        batch.skipped_rows = skipped
        batch.status = ImportStatus.DONE
        batch.progress = 100
        batch.committed_at = timezone.now()
        batch.lease_until = None
        batch.preview = []  # names are not kept once the import is done
        batch.save()
        audit(
            actor=actor,
            action="import.commit",
            obj=batch,
            data={
                "sha256": batch.sha256,
                "rows": batch.total_rows,
                "created": applied.created,
                "updated": applied.updated,
                "unchanged": batch.unchanged,
                "skipped": applied.skipped,
                "enrolled": applied.enrolled,
            },
        )
    _delete_file(batch)
    return batch


STALE_AFTER = dt.timedelta(hours=1)
WAITING_HINT_AFTER = dt.timedelta(minutes=2)


def import_is_stale(batch: ImportBatch) -> bool:
    """A running import that cannot finish: its worker's lease ran out (the worker died), or
    it has waited an hour for a worker that never took it. The transaction of a dead worker is
    rolled back by the database, so running it again or cancelling it loses nothing."""
    if batch.is_interrupted:
        return True
    return (
        batch.is_running
        and batch.lease_until is None
        and timezone.now() - batch.updated_at > STALE_AFTER
    )


def import_is_waiting(batch: ImportBatch) -> bool:
    return batch.is_working and timezone.now() - batch.updated_at > WAITING_HINT_AFTER


def import_cancel(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    _require_curator(actor, batch.organization)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportStatus.DONE:
            raise ValidationError(_("The import has already been committed."))
        if batch.status == ImportStatus.CANCELLED:
            raise ValidationError(_("The import has already been cancelled."))
        if batch.status == ImportStatus.COMMITTING and not import_is_stale(batch):
            raise ValidationError(
                _("The import is running right now; wait until it finishes, then decide.")
            )
        _set_status(batch, ImportStatus.CANCELLED, preview=[], lease_until=None)
        audit(actor=actor, action="import.cancel", obj=batch, data={"sha256": batch.sha256})
    _delete_file(batch)
    return batch


def import_start_analysis(*, batch: ImportBatch) -> ImportBatch:
    """Check the file now (a small file, within the request) or in the background."""
    if batch.size <= INLINE_MAX_BYTES:
        return import_analyze(batch_id=batch.pk)
    analyze_import.enqueue(batch.pk)
    return batch


def import_start_commit(*, actor: Any, batch: ImportBatch, skip_invalid: bool) -> bool:
    """Commit a small file now, a large one in the background; True if it ran now.

    Raises ValidationError when the import is not ready or (run now) imports nothing.
    """
    _require_curator(actor, batch.organization)
    if batch.status != ImportStatus.READY:
        raise ValidationError(_("The import is not ready to be committed."))
    if import_needs_program(batch):
        raise ValidationError(
            _(
                "The file has the columns «Роль в программе» / «Форма наставничества»: choose the "
                "program the people are enrolled in, or «do not enrol in a program»."
            )
        )
    if batch.size <= INLINE_MAX_BYTES:
        import_commit(actor=actor, batch=batch, skip_invalid=skip_invalid)
        return True
    ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READY).update(
        skip_invalid=skip_invalid, updated_at=timezone.now()
    )
    commit_import.enqueue(batch.pk, int(str(actor.pk)))
    return False


def import_rerun(*, actor: Any, batch: ImportBatch) -> bool:
    """Run an interrupted import again from where it is safe: the check, or the commit (the
    dead worker's transaction was rolled back, so the commit starts from nothing). True if
    the work ran within the call."""
    _require_curator(actor, batch.organization)
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
        )
        if not import_is_stale(batch):
            raise ValidationError(_("The import is not interrupted; there is nothing to rerun."))
        if not batch.file.name or not _path(batch).exists():
            raise ValidationError(_("The file is no longer stored; upload it again."))
        committing = batch.status == ImportStatus.COMMITTING
        _set_status(
            batch,
            ImportStatus.READY if committing else ImportStatus.UPLOADED,
            lease_until=None,
            progress=0,
            error="",
        )
        audit(actor=actor, action="import.rerun", obj=batch, data={"commit": committing})
    if committing:
        return import_start_commit(actor=actor, batch=batch, skip_invalid=batch.skip_invalid)
    import_start_analysis(batch=batch)
    return batch.size <= INLINE_MAX_BYTES


def _delete_file(batch: ImportBatch) -> None:
    if batch.file.name:
        _path(batch).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        batch.file.name = ""


def _skipped_rows(batch: ImportBatch, plan: Plan) -> list[dict[str, Any]]:
    """The skipped rows as they were in the file, with their problems, for the report."""
    problems: dict[int, list[str]] = {}
    for row in plan.rows:
        if row.action == INVALID:
            problems[row.data.number] = [i.message for i in row.data.issues]
    found = []
    for number, cells in RowSource(_path(batch), _sniffed(batch)):
        if number in problems:
            found.append(
                {
                    "row": number,
                    "cells": [text_of(c) for c in cells],
                    "problems": problems[number],
                }
            )
    return found


def import_run_command_line(
    *,
    organization: Organization,
    path: Path,
    dry_run: bool,
    skip_invalid: bool,
    progress: Progress | None = None,
    actor: Actor | None = None,
    program: Program | None = None,
    no_enrolment: bool = False,
) -> ImportBatch:
    """``manage.py import_people``: the same checks and the same transaction as the UI.

    ``program`` (``--program ID``): the rows with a role are enrolled in it (a program of the
    organization); ``no_enrolment`` (``--program none``): in none; neither: in the form's first
    program of the current year, created if there is none.

    ``actor``: the curator on whose behalf the import runs (``--actor``); recorded in the audit
    and as the one who recorded the consents of «Согласие получено». Without one (``None``, the
    system) no consent is recorded: a row that would record one is invalid and says so, in the
    dry run as in the commit. Raises ValidationError when nothing was imported; the batch then
    holds the problems.
    """
    if program is not None and program.organization_id != organization.pk:
        raise ValidationError(_("The program belongs to another organization."))
    with path.open("rb") as handle:
        batch = import_upload(
            actor=actor,
            organization=organization,
            source=handle,
            original_name=path.name,
            skip_invalid=skip_invalid,
        )
    if program is not None or no_enrolment:
        batch.program = program
        batch.program_choice = ProgramChoice.PROGRAM if program else ProgramChoice.NONE
        batch.save(update_fields=["program", "program_choice"])
    if dry_run:
        _set_status(batch, ImportStatus.ANALYZING)
        try:
            plan = _build(batch, progress=progress, record_consents=actor is not None)
        except FileRejected as exc:
            _set_status(batch, ImportStatus.FAILED, error=str(exc))
            _delete_file(batch)
            raise ValidationError(str(exc)) from exc
        _store_plan(batch, plan)
        _set_status(batch, ImportStatus.CANCELLED, preview=[])
        _delete_file(batch)
        audit(actor=actor, action="import.dry_run", obj=batch, data={"sha256": batch.sha256})
        return batch
    _set_status(batch, ImportStatus.READY)
    try:
        return import_commit(actor=actor, batch=batch, skip_invalid=skip_invalid, progress=progress)
    except ValidationError:
        batch.refresh_from_db()
        _set_status(
            batch, ImportStatus.FAILED if batch.status != ImportStatus.FAILED else batch.status
        )
        _delete_file(batch)
        raise
