"""The worker's lease on a running import: a heartbeat, so that a dead worker is noticed.

A worker that checks or commits a file holds ``ImportBatch.lease_until`` in the future and
renews it while it works. If the process dies (killed, out of memory, the server restarted),
the database rolls its transaction back — nothing is half-written — and the lease runs out:
the import is then *interrupted*, shown so, and may be run again or cancelled.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Subquery
from django.utils import timezone

from nastavnik.imports.models import ImportBatch

DEFAULT_LEASE_SECONDS = 120


def lease_length() -> dt.timedelta:
    return dt.timedelta(
        seconds=float(getattr(settings, "NASTAVNIK_IMPORT_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    )


def lease_renew(batch_id: int) -> None:
    """Move the lease forward; never waits for a lock another connection holds on the row."""
    locked = ImportBatch.objects.filter(pk=batch_id).select_for_update(skip_locked=True)
    with transaction.atomic():
        ImportBatch.objects.filter(pk__in=Subquery(locked.values("pk"))).update(
            lease_until=timezone.now() + lease_length()
        )


def lease_expired(batch: ImportBatch, now: dt.datetime | None = None) -> bool:
    return batch.lease_until is not None and batch.lease_until < (now or timezone.now())


@contextmanager
def heartbeat(batch_id: int) -> Iterator[None]:
    """Hold the lease while the block runs.

    On PostgreSQL a thread with its own connection renews it every third of its length, so the
    lease stays fresh while the main connection is inside the commit's long transaction. On
    SQLite a second connection would wait for the one writer (and the test database lives in
    one connection), so there the lease is renewed by the progress updates only.
    """
    lease_renew(batch_id)
    if connection.vendor != "postgresql":
        yield
        return
    stop = threading.Event()
    period = lease_length().total_seconds() / 3

    def beat() -> None:
        try:
            while not stop.wait(period):
                lease_renew(batch_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"import-{batch_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
