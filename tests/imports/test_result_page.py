"""Item 11 of issue 16: the result page tells one story, with Russian plural forms."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nastavnik.imports.models import ImportBatch, ImportStatus
from tests.conftest import login
from tests.imports.helpers import PUPIL, TEACHER, row, xlsx_bytes
from tests.imports.test_views import post_file

BAD = [row(**{**PUPIL, "snils": "", "last_name": f"Петров{n}"}) for n in range(3)]


def test_refused_then_committed_with_skip_invalid_shows_what_was_imported(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    post_file(client, tenant_a, xlsx_bytes([row(**TEACHER), row(**PUPIL), *BAD]), "p.xlsx")
    batch = ImportBatch.objects.get()
    url = reverse("imports:commit", kwargs={"import_id": batch.pk})
    refused = client.post(url, follow=True).content.decode()
    assert "ничего не импортировано" in refused

    page = client.post(url, {"skip_invalid": "on"}, follow=True).content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.skipped_count) == (ImportStatus.DONE, 2, 3)
    assert batch.error == ""
    assert "ничего не импортировано" not in page
    assert "Импортировано 2 строки." in page
    assert "Пропущено 3 строки с ошибками" in page
    assert "2 человека создано" not in page  # the number sits in <b>, the label agrees with it
    assert "<b>2</b>человека создано" in page.replace("\n", "")
    assert "<b>3</b>строки пропущено" in page.replace("\n", "")


def test_numbers_and_nouns_agree_on_the_preview(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    page = post_file(
        client, tenant_a, xlsx_bytes([row(**TEACHER), row(**PUPIL)]), "p.xlsx"
    ).content.decode()
    flat = page.replace("\n", "")
    assert "<b>2</b>строки" in flat
    assert "<b>0</b>строк с ошибками" in flat
    assert "<b>2</b>человека будет создано" in flat
