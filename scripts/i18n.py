"""The Russian catalogues: one per app, in ``nastavnik/<app>/locale/ru/LC_MESSAGES/django.po``.

    python scripts/i18n.py make [APP ...]  # extract new strings into the apps' catalogues
    python scripts/i18n.py compile  # compile .po to .mo (pure Python, no GNU gettext needed)
    python scripts/i18n.py check    # fail if a string is untranslated, fuzzy or not compiled

``make`` needs GNU gettext (xgettext); ``compile`` and ``check`` need only polib.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS_DIR = ROOT / "nastavnik"


def app_dirs() -> list[Path]:
    return sorted(p.parent for p in APPS_DIR.glob("*/apps.py"))


def catalogue(app: Path) -> Path:
    return app / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def _makemessages(app: Path) -> None:
    catalogue(app).parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "ru",
            "--no-obsolete",
            "--no-location",
            "-i",
            "migrations/*",
            "-i",
            "engine/*",
        ],
        cwd=app,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def make(only: list[str]) -> None:
    for app in app_dirs():
        if not only or app.name in only:
            _makemessages(app)


def not_extracted() -> list[str]:
    """Strings in the code that are missing from their app's catalogue (extracts into a copy)."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for app in app_dirs():
            copy = Path(tmp) / app.name
            shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            _makemessages(copy)
            if not catalogue(copy).exists():
                continue
            fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalogue(copy)))}
            known = (
                {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalogue(app)))}
                if catalogue(app).exists()
                else set()
            )
            rel = catalogue(app).relative_to(ROOT)
            found.extend(
                f"{rel}: not extracted: {msgid!r} (run `python scripts/i18n.py make {app.name}`)"
                for _ctx, msgid in sorted(fresh - known, key=str)
            )
    return found


def compile_all() -> None:
    for app in app_dirs():
        po_path = catalogue(app)
        if po_path.exists():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def problems() -> list[str]:
    found = []
    for app in app_dirs():
        po_path = catalogue(app)
        if not po_path.exists():
            continue
        po = polib.pofile(str(po_path))
        rel = po_path.relative_to(ROOT)
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                found.append(f"{rel}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                found.append(f"{rel}: untranslated: {entry.msgid!r}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            found.append(f"{rel}: not compiled (run `python scripts/i18n.py compile`)")
            continue
        mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
        for entry in po.translated_entries():
            if mo.get((entry.msgctxt, entry.msgid)) != (entry.msgstr, entry.msgstr_plural):
                found.append(f"{rel}: .mo is stale (run `python scripts/i18n.py compile`)")
                break
    return found


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "make":
        make(sys.argv[2:])
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems() + not_extracted()
        for issue in issues:
            print(issue)
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
