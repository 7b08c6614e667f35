"""Queries and time of each page the load test opens, one user at a time, on the demo region.

Run from the repository root against a database with the demo seeded (``manage.py seed_demo``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_load \\
        .venv/bin/python -m bench.load.pages [--repeat 5] [--profile "/people/"]

Each page is requested through Django's test client in this process (no web server, no
network), by the demo user the load test would use, ``--repeat`` times; the table shows the
number of SQL queries, the median time and the median CPU time of this process (the
application's own work, less sensitive to a busy machine; warm: the first request is not
counted). With
``--profile PAGE`` the page is also run under cProfile and the top functions are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings.base")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def _pages(client: Any, username: str) -> list[tuple[str, str]]:
    """(label, URL) for the pages the load test's user of this login opens."""

    pages: list[tuple[str, str]] = []
    if username.startswith("curator"):
        people = client.get("/people/").content.decode()
        person = sorted(set(re.findall(r'href="(/people/\d+/)"', people)))
        programs = client.get("/programs/").content.decode()
        program = sorted(set(re.findall(r'href="(/programs/\d+/)"', programs)))
        pages += [("people list", "/people/")]
        pages += [("a person", person[0])] if person else []
        pages += [("programs", "/programs/")]
        if program:
            pid = program[0].strip("/").split("/")[-1]
            pages += [
                ("a program", program[0]),
                ("a program's base", program[0] + "base/"),
                ("a program's stages", program[0] + "stages/"),
                ("matching runs", f"/matching/program/{pid}/"),
            ]
            runs = client.get(f"/matching/program/{pid}/").content.decode()
            run = sorted(set(re.findall(r'href="(/matching/runs/\d+/)"', runs)))
            pages += [("a matching run", run[0])] if run else []
        reports = client.get("/reports/").content.decode()
        report = sorted(set(re.findall(r'href="(/reports/[^"]*\d+[^"]*/)"', reports)))
        pages += [("reports", "/reports/")]
        pages += [("a report", report[0])] if report else []
        pages += [("«Требует внимания»", "/pairwork/attention/"), ("imports", "/imports/")]
    else:
        home = client.get("/pairwork/").content.decode()
        pair = sorted(set(re.findall(r'href="(/pairwork/pair/\d+/)"', home)))
        pages += [("«Мои пары»", "/pairwork/")]
        if pair:
            pages += [("a pair's page", pair[0])]
            if not username.startswith("mentee") and username != "young-teacher":
                pages += [("log a meeting (form)", pair[0] + "meetings/new/")]
    pages += [("/healthz", "/healthz")]
    return pages


def measure(usernames: list[str], repeat: int, profile: str | None) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nastavnik.accounts.models import User

    rows: list[dict[str, Any]] = []
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, url in _pages(client, username):
            times: list[float] = []
            cpu: list[float] = []
            queries = 0
            status = 0
            for _ in range(repeat + 1):
                with CaptureQueriesContext(connection) as captured:
                    t0, c0 = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
                queries = len(captured)
                status = response.status_code
            rows.append(
                {
                    "user": username,
                    "page": label,
                    "url": url,
                    "status": status,
                    "queries": queries,
                    "median_ms": round(statistics.median(times[1:]) * 1000, 1),
                    "cpu_ms": round(statistics.median(cpu[1:]) * 1000, 1),
                }
            )
            if profile and profile in (label, url):
                profiler = cProfile.Profile()
                profiler.enable()
                client.get(url)
                profiler.disable()
                print(f"--- {username} {url}")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default=None)
    parser.add_argument(
        "--users", default="curator,curator-lyceum,mentor,student-mentor,mentee,young-teacher"
    )
    args = parser.parse_args()
    import django

    django.setup()
    rows = measure(args.users.split(","), args.repeat, args.profile)
    print(f"{'user':<16} {'page':<24} {'status':>6} {'queries':>7} {'ms':>8} {'cpu ms':>8}  url")
    for r in rows:
        print(
            f"{r['user']:<16} {r['page']:<24} {r['status']:>6} {r['queries']:>7} "
            f"{r['median_ms']:>8} {r['cpu_ms']:>8}  {r['url']}"
        )


if __name__ == "__main__":
    main()
