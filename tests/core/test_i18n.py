from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parents[2]


def _i18n_script() -> Any:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_catalogue_entry_is_translated_and_compiled() -> None:
    assert _i18n_script().problems() == []


def test_the_ui_speaks_russian() -> None:
    from django.utils.translation import gettext

    with translation.override("ru"):
        assert gettext("People") == "Люди"
        assert gettext("Log in") == "Войти"


def test_dates_are_dd_mm_yyyy() -> None:
    import datetime as dt

    with translation.override("ru"):
        assert date_format(dt.date(2025, 9, 1)) == "01.09.2025"
        assert date_format(dt.date(2025, 9, 1), "SHORT_DATE_FORMAT") == "01.09.2025"
