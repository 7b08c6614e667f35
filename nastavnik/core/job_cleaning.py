"""Old background jobs go (``manage.py jobs_clean``): the result files and the rows of every
``core.jobs.BackgroundJob`` table finished more than ``NASTAVNIK_JOB_KEEP_DAYS`` days ago (done,
failed, cancelled, or running with a lease that ran out that long ago: its worker died), and the
files under ``MEDIA_ROOT/jobs/`` that no row names any more (a job deleted with its program)
older than that. A queued job stays: the worker may still come. One audit row per organization
and table (counts only), one for the files no row named."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models, transaction
from django.utils import timezone

from nastavnik.core.audit import audit
from nastavnik.core.jobs import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

DEFAULT_KEEP_DAYS = 30
JOBS_DIR = "jobs"
ORPHAN_MIN_AGE = dt.timedelta(hours=1)
OVER = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclasses.dataclass
class Cleaned:
    jobs: int = 0
    files: int = 0
    orphan_files: int = 0


def keep_days() -> int:
    return int(getattr(settings, "NASTAVNIK_JOB_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def job_models() -> list[type[BackgroundJob]]:
    """Every concrete job table of the project's apps."""
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


def _old(model: type[BackgroundJob], cutoff: dt.datetime) -> models.QuerySet[BackgroundJob]:
    return model._default_manager.filter(
        models.Q(status__in=OVER, finished_at__lt=cutoff)
        | models.Q(status__in=OVER, finished_at__isnull=True, updated_at__lt=cutoff)
        | models.Q(status=JobStatus.RUNNING, lease_until__lt=cutoff)
    )


def _files(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("job file %s could not be deleted", name)


def jobs_clean(*, days: int | None = None, now: dt.datetime | None = None) -> Cleaned:
    """Delete the jobs over for more than ``days`` days (the setting by default) with their
    files, then the job files no row names and older than that. The files of deleted rows go
    once the rows' deletion has committed."""
    days = keep_days() if days is None else days
    if days < 0:
        raise ValueError("days must not be negative")
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    cleaned = Cleaned()
    for model in job_models():
        with transaction.atomic():
            old = list(_old(model, cutoff).select_for_update())
            if not old:
                continue
            names = [job.result_file.name for job in old if job.result_file]
            per_org = Counter(getattr(job, "organization_id", None) for job in old)
            model._default_manager.filter(pk__in=[job.pk for job in old]).delete()
            for organization_id, count in sorted(per_org.items(), key=lambda i: i[0] or 0):
                files = sum(
                    1
                    for job in old
                    if job.result_file and getattr(job, "organization_id", None) == organization_id
                )
                audit(
                    actor=None,
                    action="jobs.clean",
                    organization_id=organization_id,
                    data={"table": model._meta.label, "jobs": count, "files": files, "days": days},
                )
            transaction.on_commit(partial(_delete_files, names))
        cleaned.jobs += len(old)
        cleaned.files += len(names)
    # A file is written just before its row: never take one younger than the worker's lease.
    cleaned.orphan_files = _orphans_clean(min(cutoff, now - ORPHAN_MIN_AGE), days)
    return cleaned


def _orphans_clean(cutoff: dt.datetime, days: int) -> int:
    """The files under ``MEDIA_ROOT/jobs/`` no job row names, older than ``cutoff``."""
    storage = default_storage
    named: set[str] = set()
    for model in job_models():
        named.update(
            model._default_manager.exclude(result_file="").values_list("result_file", flat=True)
        )
    orphans = []
    for name in _files(storage, JOBS_DIR):
        if name in named:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
        except (NotImplementedError, OSError):
            continue
        orphans.append(name)
    if orphans:
        _delete_files(orphans)
        audit(actor=None, action="jobs.clean", data={"orphan_files": len(orphans), "days": days})
    return len(orphans)
