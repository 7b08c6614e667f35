"""«Запрос / дефициты»: the parts naming a deficit of the catalogue become the profile's deficits,
the others stay in the request's text, and the preview says which ones were not recognised."""

from __future__ import annotations

from typing import Any

import pytest

from nastavnik.imports.models import ImportBatch
from nastavnik.imports.rows import Catalogue, RowReader, deficit_key
from nastavnik.imports.services import import_commit
from nastavnik.people.models import Competency, CompetencyArea, ProfileDeficit
from tests.imports.helpers import PUPIL, row, xlsx_bytes
from tests.imports.test_commit import people, upload


@pytest.fixture
def gaps(db: Any) -> Competency:
    area = CompetencyArea.objects.create(code="gaps", name="Пробелы", position=99)
    return Competency.objects.create(area=area, code="math-gaps", name="Пробелы в математике")


def deficits(person: Any) -> set[str]:
    return set(
        ProfileDeficit.objects.filter(profile__person=person).values_list(
            "competency__code", flat=True
        )
    )


def test_the_deficit_key_folds_case_yo_and_word_forms() -> None:
    assert deficit_key("пробелы по математике") == deficit_key("Пробелы в математике")
    assert deficit_key("ПРОБЕЛ  по МАТЕМАТИКЕ") == deficit_key("математике, пробелы")
    assert deficit_key("Ёжик") == deficit_key("ежики")
    assert deficit_key("пробелы по физике") != deficit_key("Пробелы в математике")


def test_a_row_splits_the_request_into_deficits_and_text(gaps: Competency) -> None:
    reader = RowReader(
        positions={0: "last_name", 1: "first_name", 2: "birth_date", 3: "category", 4: "request"},
        headers={"request": "Запрос / дефициты"},
        catalogue=Catalogue.load(0),
        today=__import__("datetime").date(2026, 12, 3),
    )
    data = reader.read(
        7,
        [
            "Петров",
            "Пётр",
            "05.09.2012",
            "обучающийся",
            "пробелы по математике; робототехника,\nхочу научиться играть в шахматы",
        ],
    )
    assert data.ok
    robotics = Competency.objects.get(code="robotics")
    assert data.deficit_ids == [gaps.pk, robotics.pk]
    assert data.values["request"] == "хочу научиться играть в шахматы"
    assert [(w.row, w.column, w.message) for w in data.warnings] == [
        (
            7,
            "Запрос / дефициты",
            "«хочу научиться играть в шахматы» не найден в перечне дефицитов — сохранён как текст",
        )
    ]


def test_the_commit_sets_the_deficits_and_keeps_the_rest_as_text(
    tenant_a: Any, gaps: Competency
) -> None:
    cell = "Пробелы по математике; Робототехника; боится выступать"
    batch = upload(tenant_a, xlsx_bytes([row(**PUPIL, request=cell)]))
    assert batch.to_create == 1
    assert batch.warnings == [
        {
            "row": 2,
            "column": "Запрос / дефициты",
            "message": "«боится выступать» не найден в перечне дефицитов — сохранён как текст",
        }
    ]
    import_commit(actor=tenant_a.curator, batch=batch)
    pupil = people(tenant_a).get(snils=PUPIL["snils"])
    assert deficits(pupil) == {"math-gaps", "robotics"}
    assert pupil.profile.request == "боится выступать"

    # The same file again changes nothing; a new deficit is added, the old ones kept.
    again = upload(tenant_a, xlsx_bytes([row(**PUPIL, request=cell)]))
    assert (again.to_update, again.unchanged) == (0, 1)
    more = upload(tenant_a, xlsx_bytes([row(**PUPIL, request="физика")]))
    assert more.to_update == 1
    assert more.preview[0]["changes"] == ["deficits"]
    import_commit(actor=tenant_a.curator, batch=more)
    assert deficits(pupil) == {"math-gaps", "robotics", "physics"}
    pupil.profile.refresh_from_db()
    assert pupil.profile.request == "боится выступать", "a cell of deficits only keeps the text"


def test_the_preview_page_says_which_parts_were_not_recognised(
    tenant_a: Any, gaps: Competency
) -> None:
    from tests.conftest import login
    from tests.imports.test_views import post_file

    client = login(tenant_a.curator)
    data = xlsx_bytes([row(**PUPIL, request="пробелы по математике; кружок ёлочных игрушек")])
    page = post_file(client, tenant_a, data, "pupils.xlsx").content.decode()
    assert (
        "строка 2, столбец «Запрос / дефициты»: «кружок ёлочных игрушек» не найден в перечне "
        "дефицитов — сохранён как текст"
    ) in page
    assert ImportBatch.objects.get(organization=tenant_a.organization).to_create == 1


def test_a_request_naming_no_deficit_is_kept_as_written(tenant_a: Any) -> None:
    cell = "хочет научиться выступать, но стесняется"
    batch = upload(tenant_a, xlsx_bytes([row(**PUPIL, request=cell)]))
    assert len(batch.warnings) == 2
    import_commit(actor=tenant_a.curator, batch=batch)
    pupil = people(tenant_a).get(snils=PUPIL["snils"])
    assert pupil.profile.request == cell
    assert not deficits(pupil)
