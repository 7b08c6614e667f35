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


# Texts that read differently in two apps on purpose or harmlessly (the app listed first in
# INSTALLED_APPS wins: Django merges the catalogues). Anything else translated two ways is a bug:
# a button «Form» read «Форма», a run «published» read «опубликована». Give it a context
# (pgettext / {% translate … context … %}) or a distinct text.
ALLOWED_TWO_WAYS = {
    "Attendance", "Class or group", "Mentees", "Mentors",
    "Only a curator of the organization may do this.", "Organization", "Preferred format",
    "Score", "The person belongs to another organization.", "area", "changed by",
    "class or group", "created by", "email", "ends on", "kind", "online", "organization",
    "person", "position", "program", "recorded by", "starts on", "title",
    "updated", "variant",
}  # fmt: skip


def test_no_text_is_translated_two_ways_by_two_apps() -> None:
    import collections

    import polib

    from scripts.i18n import app_dirs, catalogue

    seen: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for app in app_dirs():
        path = catalogue(app)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and not entry.msgid_plural:
                seen[(entry.msgctxt or "", entry.msgid)].add(entry.msgstr)
    clashes = sorted(
        msgid
        for (context, msgid), texts in seen.items()
        if len(texts) > 1 and (context or msgid not in ALLOWED_TWO_WAYS)
    )
    assert clashes == []
