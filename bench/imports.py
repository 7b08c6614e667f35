"""Benchmark of the people import against reading the same .xlsx with openpyxl alone.

Run from the repository root::

    .venv/bin/python -m bench.imports                       # 100 000 rows, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik .venv/bin/python -m bench.imports
    .venv/bin/python -m bench.imports --rows 20000          # a quicker look

Steps, each in a fresh child process so that times are cold-process times and the peak memory
(``ru_maxrss`` of the child, from ``os.wait4``) is that step's alone:

1. **baseline**: ``openpyxl.load_workbook(read_only=True)`` and every row with ``values_only``;
2. **import**: a fresh test database (migrated, not timed), then the whole import as
   ``manage.py import_people`` does it — content sniffing, zip guard, reading (python-calamine),
   checking every row, bulk look-up of existing people, one transaction of bulk writes, the audit
   rows — timed end to end; then the same file **again** (idempotent: nothing changes), timed.

The file (generated once into ``var/bench/``) has the template's 16 columns: unique valid СНИЛС,
names, birth dates as real date cells, categories, classes, e-mails, phones, competencies and
interests. Results are printed and written to ``bench/results/imports-<database>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"

LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Соколов", "Лебедев"]
FIRST_M = ["Александр", "Дмитрий", "Максим", "Артём", "Иван", "Михаил", "Никита", "Егор"]
FIRST_F = ["Анна", "Мария", "Елена", "Дарья", "Алиса", "Полина", "Ксения", "Софья"]
MIDDLE = ["Сергеев", "Андреев", "Петров", "Иванов", "Олегов", "Дмитриев"]
COMPETENCIES = ["Робототехника", "Программирование", "Шахматы", "Математика", "Физика", "Лидерство"]


def generate(path: Path, rows: int) -> None:
    import openpyxl

    from nastavnik.core.validators import make_snils
    from nastavnik.imports.columns import COLUMNS

    rng = random.Random(20261126)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Люди")
    sheet.append([c.header for c in COLUMNS])
    for i in range(rows):
        female = rng.random() < 0.5
        last = rng.choice(LAST) + ("а" if female else "")
        first = rng.choice(FIRST_F if female else FIRST_M)
        middle = rng.choice(MIDDLE) + ("на" if female else "ич")
        teacher = i % 10 == 0
        birth = (
            dt.date(1965 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28))
            if teacher
            else dt.date(2008 + rng.randrange(11), 1 + rng.randrange(12), 1 + rng.randrange(28))
        )
        sheet.append(
            [
                last,
                first,
                middle,
                birth,
                "педагог" if teacher else "обучающийся",
                "" if teacher else f"{1 + rng.randrange(11)}{'АБВГ'[rng.randrange(4)]}",
                make_snils(str(100_000_000 + i * 7).zfill(9)),
                f"user{i}@example.ru" if teacher else "",
                f"+7 9{rng.randrange(10**9):09d}" if teacher else "",
                "",
                "",
                "",
                "; ".join(rng.sample(COMPETENCIES, 2)) if teacher else "",
                rng.choice(["шахматы", "футбол", "рисование", "музыка", ""]),
                "",
                "",
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def child_baseline(path: Path) -> dict[str, Any]:
    import openpyxl

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    count = sum(1 for _ in sheet.iter_rows(values_only=True))
    workbook.close()
    return {"seconds": time.perf_counter() - started, "rows": count}


def child_import(path: Path) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings.base")
    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    # A throwaway database: test_<name> on PostgreSQL, a temporary file on SQLite.
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(DATA_DIR / "bench-import.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from nastavnik.imports.models import ImportBatch
        from nastavnik.imports.services import import_run_command_line
        from nastavnik.organizations.models import Organization
        from nastavnik.people.models import Person
        from tests.factories import OrganizationFactory

        organization: Organization = OrganizationFactory.create(code="bench-school")
        started = time.perf_counter()
        batch = import_run_command_line(
            organization=organization, path=path, dry_run=False, skip_invalid=False
        )
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = import_run_command_line(
            organization=organization, path=path, dry_run=False, skip_invalid=False
        )
        second = time.perf_counter() - started
        assert isinstance(batch, ImportBatch)
        return {
            "seconds": first,
            "reimport_seconds": second,
            "created": batch.created_count,
            "reimport_created": again.created_count,
            "reimport_updated": again.updated_count,
            "reimport_unchanged": again.unchanged,
            "people": Person.objects.filter(organization=organization).count(),
            "database": connection.vendor,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run_child(step: str, path: Path) -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.imports", "--child", step, "--file", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"the {step} step failed")
    result: dict[str, Any] = json.loads(output.decode().strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    # CPU time of the child is steadier than wall time on a shared machine (SQLite runs in it;
    # PostgreSQL's own server time is not included).
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", choices=["baseline", "import"])
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        result = child_baseline(args.file) if args.child == "baseline" else child_import(args.file)
        print(json.dumps(result))
        return

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings.base")
    django.setup()
    path = DATA_DIR / f"people-{args.rows}.xlsx"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        generate(path, args.rows)
    baseline = run_child("baseline", path)
    imported = run_child("import", path)
    ratio = imported["seconds"] / baseline["seconds"]
    cpu_ratio = imported["cpu_seconds"] / baseline["cpu_seconds"]
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
        "openpyxl_read": baseline,
        "import": imported,
        "ratio": round(ratio, 2),
        "cpu_ratio": round(cpu_ratio, 2),
        "load_average": os.getloadavg(),
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"imports-{imported['database']}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        f"| {imported['database']} | {args.rows} "
        f"| {baseline['seconds']:.1f} s / {baseline['cpu_seconds']:.1f} s CPU "
        f"({baseline['peak_rss_mb']:.0f} MB) "
        f"| {imported['seconds']:.1f} s / {imported['cpu_seconds']:.1f} s CPU "
        f"({imported['peak_rss_mb']:.0f} MB) "
        f"| {ratio:.2f}× / {cpu_ratio:.2f}× | {imported['reimport_seconds']:.1f} s |"
    )


if __name__ == "__main__":
    main()
