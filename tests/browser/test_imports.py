"""A curator imports pupils from a school's CSV (Windows-1251, «;»): sees the problem, fixes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.people.models import Person
from tests.conftest import make_tenant
from tests.imports.helpers import PUPIL, TEACHER, csv_bytes, row

pytestmark = pytest.mark.browser


def test_upload_a_cp1251_csv_see_the_error_fix_and_import(
    page: Page, login_as: Callable[[Page, User], Page], tmp_path: Path
) -> None:
    tenant = make_tenant("browser")
    login_as(page, tenant.curator)
    bad = tmp_path / "ученики.csv"
    bad.write_bytes(
        csv_bytes([row(**{**PUPIL, "birth_date": "31.02.2012"}), row(**TEACHER)], encoding="cp1251")
    )
    page.goto("/imports/")
    page.locator("input[name=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Проверить файл").click()

    problems = page.locator("#problems")
    expect(problems).to_contain_text(
        "строка 2, столбец «Дата рождения»: «31.02.2012» — не дата; запишите её как дд.мм.гггг"
    )
    expect(page.locator("main")).to_contain_text("cp1251")
    expect(page.locator("table")).to_contain_text("Смирнова Ольга Петровна")
    page.get_by_role("button", name="Импортировать").click()
    expect(page.locator(".messages")).to_contain_text("ничего не импортировано")
    assert not Person.objects.filter(last_name="Смирнова").exists()

    fixed = tmp_path / "ученики-исправлено.csv"
    fixed.write_bytes(csv_bytes([row(**PUPIL), row(**TEACHER)], encoding="cp1251"))
    page.goto("/imports/")
    page.locator("input[name=file]").set_input_files(str(fixed))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.locator("#problems")).to_have_count(0)
    expect(page.locator(".stats")).to_contain_text("2")
    page.get_by_role("button", name="Импортировать").click()
    expect(page.locator(".messages")).to_contain_text("Импорт выполнен")
    expect(page.locator(".stats")).to_contain_text("создано")
    names = set(
        Person.objects.filter(organization=tenant.organization).values_list("last_name", flat=True)
    )
    assert {"Петров", "Смирнова"} <= names
