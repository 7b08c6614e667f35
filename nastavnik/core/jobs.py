"""A long action run in the background with a progress page: one small pattern for every app.

An app's job table inherits ``BackgroundJob`` (status, progress, the step's text, the worker's
lease, the error, an optional result file) and its task calls

- ``job_claim(Model, pk)``: queued → running, once (two workers never run one job);
- ``job_step(job, percent, text)``: the progress bar and the step's words. Written through a
  connection of its own on PostgreSQL, so the page sees the steps while the work's one
  transaction is still open (on SQLite, one writer, it is written in the same connection);
- ``heartbeat(job)``: the lease renewed by a thread while the work runs (PostgreSQL);
- ``job_done`` / ``job_fail``.

A job still «running» whose lease has run out lost its worker (killed, out of memory, the
server restarted): ``is_interrupted``. Its transaction was rolled back by the database, so it
wrote nothing; the page says so and the job may be started again. A result file lives under
``MEDIA_ROOT`` and is only ever served by a view that checks who asks (never a public URL).

The imports (``imports.lease``) and matching runs keep their own older versions of this.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections, models, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.core.models import TimeStampedModel

DEFAULT_LEASE_SECONDS = 120
# A queued job nobody has taken for this long: the worker is probably not running.
WAITING_AFTER = dt.timedelta(minutes=2)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    # Taken back by the curator while still queued: a worker never runs it (``job_cancel``).
    CANCELLED = "cancelled", _("cancelled")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)

# Progress reporter handed to a service: (percent, the step's words).
Progress = Callable[[int, str], None]


def _result_path(instance: BackgroundJob, filename: str) -> str:
    return f"jobs/{instance._meta.label_lower.replace('.', '-')}/{uuid.uuid4().hex}-{filename}"


class BackgroundJob(TimeStampedModel):
    """Abstract: the state of a long action that a worker runs (see the module's text)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    lease_until = models.DateTimeField(_("worker's lease until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    result_file = models.FileField(_("file"), upload_to=_result_path, blank=True, max_length=255)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_interrupted(self) -> bool:
        """Running, but its worker's lease ran out: the worker died."""
        return (
            self.status == JobStatus.RUNNING
            and self.lease_until is not None
            and self.lease_until < timezone.now()
        )

    @property
    def is_working(self) -> bool:
        """Queued or running with a live worker: the page keeps polling."""
        return self.is_active and not self.is_interrupted

    @property
    def is_waiting(self) -> bool:
        """Queued for a while and never taken: the worker may not be running."""
        return self.status == JobStatus.QUEUED and self.created_at < timezone.now() - WAITING_AFTER


J = TypeVar("J", bound=BackgroundJob)


def lease_length() -> dt.timedelta:
    seconds = float(getattr(settings, "NASTAVNIK_JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    return dt.timedelta(seconds=seconds)


def _in_side_connection(write: Callable[[], Any]) -> None:
    """Run ``write`` now and committed, even inside the caller's open transaction: on
    PostgreSQL through a thread (its own connection); elsewhere in this connection."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        write()
        return

    def run() -> None:
        try:
            write()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="job-progress", daemon=True)
    thread.start()
    thread.join()


def job_claim(model: type[J], pk: int) -> J | None:
    """Queued → running with a fresh lease; None if another worker has it (or it is over)."""
    now = timezone.now()
    claimed = model._default_manager.filter(pk=pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, lease_until=now + lease_length(), progress=1
    )
    if not claimed:
        return None
    return model._default_manager.get(pk=pk)


def job_step(job: BackgroundJob, percent: int, text: str) -> None:
    """Show the step (``text``) and the percentage; renews the lease. Never waits for a lock:
    the work's transaction must not have locked the job's row (write the job after it)."""
    job.progress, job.step = percent, str(text)[:200]
    model = type(job)

    def write() -> None:
        now = timezone.now()
        locked = model._default_manager.filter(pk=job.pk).select_for_update(skip_locked=True)
        with transaction.atomic():
            model._default_manager.filter(pk__in=Subquery(locked.values("pk"))).update(
                progress=job.progress,
                step=job.step,
                updated_at=now,
                lease_until=now + lease_length(),
            )

    _in_side_connection(write)


def progress_between(job: BackgroundJob, low: int, high: int) -> Callable[[int, int, str], None]:
    """A reporter of «done of total» mapped to ``low``..``high`` per cent (written on change)."""
    last = [-1]

    def report(done: int, total: int, text: str) -> None:
        value = low + (high - low) * min(done, total) // max(total, 1)
        if value != last[0]:
            last[0] = value
            job_step(job, value, text)

    return report


@contextmanager
def heartbeat(job: BackgroundJob) -> Iterator[None]:
    """Renew the job's lease every third of its length while the block runs (PostgreSQL: a
    thread with its own connection; SQLite: by the progress steps only)."""
    model = type(job)

    def renew() -> None:
        locked = model._default_manager.filter(pk=job.pk).select_for_update(skip_locked=True)
        with transaction.atomic():
            model._default_manager.filter(pk__in=Subquery(locked.values("pk"))).update(
                lease_until=timezone.now() + lease_length()
            )

    if connection.vendor != "postgresql":
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(lease_length().total_seconds() / 3):
                renew()
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_done(
    job: BackgroundJob,
    *,
    content: bytes | None = None,
    filename: str = "",
    fields: dict[str, Any] | None = None,
) -> None:
    """Finished: 100 %, the lease released, the result file stored if there is one."""
    now = timezone.now()
    job.status, job.progress, job.finished_at, job.lease_until = JobStatus.DONE, 100, now, None
    job.error = ""
    names = ["status", "progress", "finished_at", "lease_until", "error", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(job, name, value)
        names.append(name)
    if content is not None:
        job.result_name = filename
        job.result_file.save(filename, ContentFile(content), save=False)
        names += ["result_file", "result_name"]
    job.save(update_fields=names)


def job_fail(job: BackgroundJob, message: str) -> None:
    now = timezone.now()
    type(job)._default_manager.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=str(message), finished_at=now, lease_until=None
    )
    job.status, job.error, job.finished_at, job.lease_until = JobStatus.FAILED, message, now, None


def job_cancel(model: type[J], pk: int) -> J | None:
    """Queued → cancelled under the job's row lock; None if a worker claimed it first (or it is
    over). A worker's ``job_claim`` waiting on the lock then finds it no longer queued and never
    runs it. Call it inside the caller's transaction (with its audit row)."""
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=pk).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status, job.finished_at, job.lease_until = JobStatus.CANCELLED, timezone.now(), None
        job.save(update_fields=["status", "finished_at", "lease_until", "updated_at"])
    return job


def jobs_close_interrupted(queryset: models.QuerySet[J]) -> int:
    """Mark the interrupted jobs of ``queryset`` failed (call it under the row lock that
    decides who may start a job): they wrote nothing, and no longer block a new one."""
    closed = 0
    for job in queryset.filter(status=JobStatus.RUNNING):
        if job.is_interrupted:
            job_fail(
                job,
                str(
                    _(
                        "Interrupted: the process that ran it stopped before the end. "
                        "Nothing of it was written."
                    )
                ),
            )
            closed += 1
    return closed
