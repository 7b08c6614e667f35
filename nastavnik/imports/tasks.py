"""Background work of imports: thin tasks that call the services (django-tasks)."""

from __future__ import annotations

from contextlib import suppress

from django_tasks import task

from nastavnik.accounts.models import User
from nastavnik.imports.models import ImportBatch


@task()
def analyze_import(batch_id: int) -> None:
    from nastavnik.imports.services import import_analyze

    import_analyze(batch_id=batch_id)


@task()
def commit_import(batch_id: int, actor_id: int) -> None:
    from django.core.exceptions import ValidationError

    from nastavnik.imports.services import import_commit

    actor = User.objects.get(pk=actor_id)
    batch = ImportBatch.objects.select_related("organization").get(pk=batch_id)
    with suppress(ValidationError):  # the batch holds the message; the page shows it
        import_commit(actor=actor, batch=batch)
