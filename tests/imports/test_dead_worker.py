"""Item 4 of issue 16: a worker that dies mid-commit leaves nothing half-written, the import is
shown as interrupted (lease / heartbeat), «Отменить» tells the truth and it can be run again."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from nastavnik.imports.models import ImportBatch, ImportStatus
from nastavnik.imports.services import (
    import_analyze,
    import_cancel,
    import_rerun,
    import_upload,
)
from nastavnik.people.models import Person
from tests.conftest import login
from tests.imports.helpers import PUPIL, TEACHER, row, xlsx_bytes
from tests.processes import hang_here, kill_when_hanging


def ready_batch(tenant: Any) -> ImportBatch:
    batch = import_upload(
        actor=tenant.curator,
        organization=tenant.organization,
        source=io.BytesIO(xlsx_bytes([row(**PUPIL), row(**TEACHER)])),
        original_name="people.xlsx",
    )
    return import_analyze(batch_id=batch.pk)


def as_left_by_a_dead_worker(batch: ImportBatch, *, lease_ago: dt.timedelta) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.COMMITTING, progress=33, lease_until=timezone.now() - lease_ago
    )
    batch.refresh_from_db()


def test_a_live_commit_is_not_interrupted_and_cannot_be_cancelled(tenant_a: Any) -> None:
    batch = ready_batch(tenant_a)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.COMMITTING, lease_until=timezone.now() + dt.timedelta(minutes=1)
    )
    batch.refresh_from_db()
    assert not batch.is_interrupted
    with pytest.raises(ValidationError) as caught:
        import_cancel(actor=tenant_a.curator, batch=batch)
    assert caught.value.messages == ["Импорт выполняется прямо сейчас; дождитесь окончания."]
    with pytest.raises(ValidationError):
        import_rerun(actor=tenant_a.curator, batch=batch)


def test_an_expired_lease_is_shown_interrupted_with_true_actions(tenant_a: Any) -> None:
    batch = ready_batch(tenant_a)
    as_left_by_a_dead_worker(batch, lease_ago=dt.timedelta(seconds=5))
    assert batch.is_interrupted
    client = login(tenant_a.curator)
    page = client.get(reverse("imports:detail", kwargs={"import_id": batch.pk})).content.decode()
    assert "прервано" in page
    assert "Запустить снова" in page
    assert "hx-trigger" not in page  # no polling of a dead import
    assert "33%" not in page

    client.post(reverse("imports:rerun", kwargs={"import_id": batch.pk}))
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.lease_until) == (ImportStatus.DONE, 2, None)
    assert Person.objects.filter(last_name="Смирнова").count() == 1


def test_an_interrupted_import_may_be_cancelled(tenant_a: Any) -> None:
    batch = ready_batch(tenant_a)
    as_left_by_a_dead_worker(batch, lease_ago=dt.timedelta(seconds=5))
    response = login(tenant_a.curator).post(
        reverse("imports:cancel", kwargs={"import_id": batch.pk}), follow=True
    )
    assert "Импорт уже выполнен" not in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED


def test_progress_renews_the_lease(tenant_a: Any) -> None:
    batch = ready_batch(tenant_a)
    assert batch.lease_until is None  # checked, nobody holds it
    from nastavnik.imports.services import _progress_saver

    _progress_saver(batch, 0, 100)(50, 100)
    batch.refresh_from_db()
    assert batch.lease_until is not None
    assert batch.lease_until > timezone.now()


# --- a real worker, killed in the middle of its transaction (PostgreSQL) ---------------------


def _commit_and_hang(batch_id: int, actor_id: int, flag: str) -> None:
    """The child: commit, and stop dead inside the transaction once everything is written."""
    from django.contrib.auth import get_user_model

    from nastavnik.imports import apply as apply_module
    from nastavnik.imports.services import import_commit

    original = apply_module._enrol

    def hang(*args: Any, **kwargs: Any) -> int:
        original(*args, **kwargs)
        hang_here(flag, "written, not committed")

    apply_module._enrol = hang
    actor = get_user_model().objects.get(pk=actor_id)
    import_commit(actor=actor, batch=ImportBatch.objects.get(pk=batch_id))


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_writes_nothing_and_the_import_is_rerun(
    tenant_a: Any, settings: Any, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a killed worker is tested on PostgreSQL")
    settings.NASTAVNIK_IMPORT_LEASE_SECONDS = 1.5
    batch = ready_batch(tenant_a)
    people_before = Person.objects.count()

    def alive_inside_its_transaction() -> None:
        # The worker is alive inside its transaction: its heartbeat keeps the lease fresh.
        time.sleep(2)
        batch.refresh_from_db()
        assert batch.status == ImportStatus.COMMITTING
        assert not batch.is_interrupted

    kill_when_hanging(
        _commit_and_hang,
        batch.pk,
        tenant_a.curator.pk,
        flag=tmp_path / "flag",
        while_hanging=alive_inside_its_transaction,
    )
    time.sleep(2)  # the lease runs out

    batch.refresh_from_db()
    assert Person.objects.count() == people_before, "a dead worker's rows were rolled back"
    assert batch.status == ImportStatus.COMMITTING
    assert batch.is_interrupted
    page = login(tenant_a.curator).get(reverse("imports:detail", kwargs={"import_id": batch.pk}))
    assert "прервано" in page.content.decode()

    import_rerun(actor=tenant_a.curator, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (ImportStatus.DONE, 2)
    assert Person.objects.count() == people_before + 2
