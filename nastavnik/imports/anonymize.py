"""Imports keep rows of files (the preview until the import ends, the skipped rows for the
report); when a person is anonymized, the rows that name them are dropped."""

from __future__ import annotations

from typing import Any

from nastavnik.core.text import search_key
from nastavnik.imports.models import ImportBatch
from nastavnik.people.models import Person


def _mentions(texts: list[str], person: Person) -> bool:
    joined = search_key(" ".join(texts))
    name = search_key(person.full_name)
    digits = "".join(ch for ch in person.snils if ch.isdigit())
    compact = "".join(ch for ch in joined if ch.isdigit())
    return bool((name and name in joined) or (digits and digits in compact))


def forget_person_in_imports(person: Person) -> None:
    for batch in ImportBatch.objects.filter(organization_id=person.organization_id).only(
        "id", "preview", "skipped_rows"
    ):
        preview: list[dict[str, Any]] = [
            item for item in batch.preview if not _mentions([item.get("name", "")], person)
        ]
        skipped: list[dict[str, Any]] = [
            item for item in batch.skipped_rows if not _mentions(item.get("cells", []), person)
        ]
        if len(preview) != len(batch.preview) or len(skipped) != len(batch.skipped_rows):
            ImportBatch.objects.filter(pk=batch.pk).update(preview=preview, skipped_rows=skipped)
