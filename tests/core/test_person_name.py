"""Item 6 of issue 16: one name rule for the person form, the import and the API."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from ninja import Schema
from pydantic import ValidationError as PydanticError

from nastavnik.core.api import PersonName
from nastavnik.imports.services import import_analyze, import_upload
from nastavnik.people.models import Person
from tests.conftest import Tenant, login
from tests.imports.helpers import PUPIL, row, xlsx_bytes

HOSTILE = ["<script>alert(1)</script>", "Петров\u202eвортеП", "Пет\u200bров"]
RUSSIAN = ("Допустимы только буквы", "невидимый или управляющий символ")


def _russian(message: str) -> bool:
    return any(part in message for part in RUSSIAN)


@pytest.mark.parametrize("name", HOSTILE)
def test_the_person_form_refuses_hostile_names(tenant_a: Tenant, name: str) -> None:
    response = login(tenant_a.curator).post(
        reverse("people:create"),
        {"last_name": name, "first_name": "Ксения", "category": "student"},
    )
    assert response.status_code == 200
    assert _russian(response.content.decode())
    assert not Person.objects.filter(first_name="Ксения").exists()


@pytest.mark.parametrize("name", HOSTILE)
def test_the_import_refuses_hostile_names(tenant_a: Tenant, name: str) -> None:
    batch = import_upload(
        actor=tenant_a.curator,
        organization=tenant_a.organization,
        source=io.BytesIO(xlsx_bytes([row(**{**PUPIL, "first_name": name})])),
        original_name="people.xlsx",
    )
    batch = import_analyze(batch_id=batch.pk)
    assert batch.invalid_rows == 1
    assert any(i["column"] == "Имя" and _russian(i["message"]) for i in batch.issues)


class _PersonIn(Schema):
    last_name: PersonName


@pytest.mark.parametrize("name", HOSTILE)
def test_the_api_name_type_refuses_hostile_names(db: Any, name: str) -> None:
    with pytest.raises(PydanticError) as caught:
        _PersonIn(last_name=name)
    assert _russian(str(caught.value))


@pytest.mark.parametrize("name", ["Иванова-Петрова", "Д'Артаньян", "Ёлкина", "O'Brien", "Ğül"])
def test_real_names_pass_everywhere(db: Any, name: str) -> None:
    assert _PersonIn(last_name=name).last_name == name
