"""The scale-out load test: two web servers and two task workers against one PostgreSQL.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, trust auth, user ``postgres``)::

    .venv/bin/python -m bench.load.run                     # 200 users, 5 minutes (make bench-load)
    .venv/bin/python -m bench.load.run --users 20 --minutes 1 --no-kill   # a quick look

What it does, in order:

1. drops and creates the database ``--database`` (default ``nastavnik_load``), migrates it and
   seeds the demo region into it (``seed_demo``), collects the static files;
2. starts two gunicorn instances (``deploy/gunicorn.conf.py``, 127.0.0.1:8101 and :8102, two
   processes each) and two task workers (``manage.py db_worker --worker-id w1`` / ``w2``), with
   the production-like settings (``DEBUG`` off, whitenoise, persistent database connections);
   the workers run at a lower CPU priority (``nice -n 10``, as ``Nice=10`` in
   ``deploy/nastavnik-worker@.service``): web requests go first;
3. runs locust headless (``bench/load/locustfile.py``): ``--users`` simulated curators, mentors
   and mentees of several organizations, alternating between the two servers. They start
   ``--spawn-rate`` per second (each signs in: PBKDF2, spread out); when all have signed in the
   statistics are reset and the run goes on for ``--minutes`` at full load: the figures cover
   that steady state (the logins' figures are those of the ramp). A «probe»
   user reads ``/healthz`` — the reference the pages are measured against;
4. meanwhile (unless ``--no-kill``), at 30 % of the steady state, the kill test: a curator
   imports a large table; while a worker commits it, that worker is killed (SIGKILL) and
   started again, as systemd would; the import shows as interrupted once its lease runs out,
   the curator runs it again and the other worker (or the restarted one) finishes it: every row
   is in, none twice. Then a matching run is started and the worker running it is killed the
   same way: the run wrote no proposals, and a new run of the program finishes;
5. prints the figures and writes ``bench/results/load.json``: per page requests, failures, median
   and 95th percentile, the ratio of each p95 to the probe's, and the kill test's outcome;
6. meanwhile ``bench/load/cpu.py`` samples ``/proc`` and reports where the CPU went (locust, each
   web instance, each worker, the PostgreSQL backends of each, the rest of the machine) during the
   steady state and during the kill test, with the load average (``cpu`` in ``load.json``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.load.cpu import CpuSampler, Snapshot, report, table, window
from bench.load.names import letters

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "load"
RESULTS = ROOT / "bench" / "results"
PORTS = (8101, 8102)
IMPORT_ROWS = 12000  # over the 512 KB that a request checks inline: the workers take it
LEASE_SECONDS = 15
# Background work yields the CPU to the web servers, as Nice=10 in the worker's systemd unit.
NICE = 10


def _nice_to(level: int) -> list[str]:
    """``nice`` to reach ``level`` from the calling thread's own niceness (the kill test's thread,
    at 10 itself, restarts the worker it killed: a plain ``nice -n 10`` made that one 19)."""
    return ["nice", "-n", str(level - os.getpriority(os.PRIO_PROCESS, 0))]


def _env(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "nastavnik.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(OUT / "static"),
        "NASTAVNIK_VAR_DIR": str(OUT / "var"),
        "NASTAVNIK_IMPORT_LEASE_SECONDS": str(LEASE_SECONDS),
        "DATABASE_CONN_MAX_AGE": "60",
        "DATABASE_CONN_HEALTH_CHECKS": "1",
        "LOG_LEVEL": "WARNING",
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
    }


def _named(env: dict[str, str], application_name: str) -> dict[str, str]:
    """The environment with the database connections named: the CPU report tells the
    PostgreSQL backends of each web instance, worker and of the driver apart by this name."""
    return {**env, "DATABASE_URL": f"{env['DATABASE_URL']}?application_name={application_name}"}


def _recreate_database(database: str) -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


class Processes:
    """The web servers and workers, started and stopped together; a worker can be killed."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.web: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.locust: subprocess.Popen[bytes] | None = None

    def roots(self) -> dict[int, str]:
        """The process trees the CPU report names: pid of each tree's root → group."""
        roots = {os.getpid(): "bench driver (run.py: kill test's file and upload, sampler)"}
        if self.locust is not None:
            roots[self.locust.pid] = "locust"
        for port, web in zip(PORTS, self.web, strict=False):
            roots[web.pid] = f"web :{port} (gunicorn master + workers)"
        for worker_id, worker in self.workers.items():
            roots[worker.pid] = f"worker {worker_id} (db_worker)"
        return roots

    def _log(self, name: str) -> Any:
        return open(OUT / f"{name}.log", "ab")

    def start_web(self) -> None:
        for port in PORTS:
            env = {
                **_named(self.env, f"web-{port}"),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "2",
                # nginx in front would log the requests; gunicorn's own access log is off
                "GUNICORN_ACCESSLOG": "",
            }
            self.web.append(
                subprocess.Popen(
                    [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "nastavnik.wsgi"],
                    cwd=ROOT,
                    env=env,
                    stdout=self._log(f"web-{port}"),
                    stderr=subprocess.STDOUT,
                )
            )

    def start_worker(self, worker_id: str) -> None:
        self.workers[worker_id] = subprocess.Popen(
            [
                *_nice_to(NICE),
                str(VENV_BIN / "python"),
                "manage.py",
                "db_worker",
                "--worker-id",
                worker_id,
                "--interval",
                "0.5",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=_named(self.env, f"worker-{worker_id}"),
            stdout=self._log(f"worker-{worker_id}"),
            stderr=subprocess.STDOUT,
        )

    def kill_worker(self, worker_id: str) -> None:
        self.workers[worker_id].send_signal(signal.SIGKILL)
        self.workers[worker_id].wait()

    def stop(self) -> None:
        for process in [*self.web, *self.workers.values()]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.web, *self.workers.values()]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


# --- the kill test (runs in this process, through the services, against the same database) ---


def _until(check: Any, seconds: float, step: float = 0.01) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(step)
    return None


def _running_worker(task_path: str) -> str | None:
    from django_tasks_db.models import DBTaskResult

    result = (
        DBTaskResult.objects.filter(task_path=task_path, status="RUNNING")
        .order_by("-started_at")
        .first()
    )
    return result.worker_ids[-1] if result is not None and result.worker_ids else None


def _import_file(rows: int) -> bytes:
    import openpyxl

    from nastavnik.imports.columns import COLUMNS

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([c.header for c in COLUMNS])
    for n in range(rows):
        values = {
            "last_name": f"Загрузкин-{letters(n)}",
            "first_name": "Иван",
            "middle_name": "Петрович",
            "birth_date": f"{1 + n % 28:02d}.{1 + n % 12:02d}.2012",
            "category": "обучающийся",
            "class_name": f"{5 + n % 6} «А»",
            # mentees of the pupils' program, so that its matching run has work to be killed in
            "role": "наставляемый",
            "form": "ученик – ученик",
            "consent_date": "01.09.2026",
            "representative": "Загрузкина Анна Петровна",
        }
        sheet.append([values.get(c.key, "") for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def kill_test(processes: Processes) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import close_old_connections

    from nastavnik.accounts.models import User
    from nastavnik.imports.models import ImportBatch, ImportStatus
    from nastavnik.imports.services import (
        import_rerun,
        import_start_analysis,
        import_start_commit,
        import_upload,
    )
    from nastavnik.matching.models import MatchingRun, RunStatus
    from nastavnik.matching.services import run_start
    from nastavnik.people.models import Person
    from nastavnik.programs.models import Program

    outcome: dict[str, Any] = {}
    curator = User.objects.get(username="curator")
    membership = curator.memberships.select_related("organization").first()
    assert membership is not None
    assert membership.organization is not None
    organization = membership.organization

    # 1. an import killed while it commits
    imported = Person.objects.filter(last_name__startswith="Загрузкин-")
    before = imported.count()  # an earlier run on a reused database
    batch = import_upload(
        actor=curator,
        organization=organization,
        source=io.BytesIO(_import_file(IMPORT_ROWS)),
        original_name="kill-test.xlsx",
    )
    import_start_analysis(batch=batch)
    ready = _until(
        lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READY).first(), 300, 0.2
    )
    if ready is None or ready.invalid_rows:
        checked = ImportBatch.objects.get(pk=batch.pk)
        return {"error": f"the import was not checked: {checked.status} {checked.issues[:3]}"}
    import_start_commit(actor=curator, batch=ready, skip_invalid=False)
    worker = _until(lambda: _running_worker("nastavnik.imports.tasks.commit_import"), 120)
    # kill it in the middle: once the commit has claimed the batch and made some progress
    committing = _until(
        lambda: ImportBatch.objects.filter(
            pk=batch.pk, status=ImportStatus.COMMITTING, progress__gte=5
        ).first(),
        120,
        0.05,
    )
    if worker is None or committing is None:
        return {"error": "the commit was not seen running in a worker"}
    progress = committing.progress
    t0 = time.monotonic()
    processes.kill_worker(worker)
    outcome["import_killed"] = {"worker": worker, "progress_when_killed": progress}
    people_after_kill = imported.count() - before
    processes.start_worker(worker)  # as systemd's Restart=always would
    stale = _until(
        lambda: ImportBatch.objects.get(pk=batch.pk).is_interrupted, LEASE_SECONDS * 4, 0.5
    )
    outcome["import_killed"]["shown_interrupted_after_s"] = round(time.monotonic() - t0, 1)
    outcome["import_killed"]["shown_interrupted"] = bool(stale)
    import_rerun(actor=curator, batch=ImportBatch.objects.get(pk=batch.pk))
    done = _until(
        lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.DONE).first(), 1800, 0.5
    )
    people = imported.count() - before
    outcome["import_killed"].update(
        people_after_kill=people_after_kill,
        rerun_done=done is not None,
        people_after_rerun=people,
        expected=IMPORT_ROWS,
        nothing_lost_or_doubled=people_after_kill == 0 and people == IMPORT_ROWS,
    )

    # 2. a matching run killed while it runs (retried until the kill lands mid-run)
    program = Program.objects.get(organization=organization, form__name="ученик – ученик")
    attempts = []
    for _attempt in range(10):
        close_old_connections()
        run = run_start(actor=curator, program=program)
        worker = _until(lambda: _running_worker("nastavnik.matching.tasks.run_matching"), 60, 0.002)
        if worker is None:
            attempts.append("finished before the kill")
            continue
        processes.kill_worker(worker)
        processes.start_worker(worker)
        run.refresh_from_db()
        if run.status == RunStatus.DONE:
            attempts.append("finished before the kill landed")
            continue
        proposals = run.proposals.count()
        attempts.append("killed mid-run")
        fresh_id = run_start(actor=curator, program=program).pk
        finished = _until(
            lambda pk=fresh_id: MatchingRun.objects.filter(pk=pk, status=RunStatus.DONE).first(),
            300,
            0.2,
        )
        outcome["matching_killed"] = {
            "worker": worker,
            "status_of_killed_run": str(run.status),
            "proposals_of_killed_run": proposals,
            "new_run_done": finished is not None,
            "new_run_proposals": finished.proposals.count() if finished else 0,
            "nothing_half_written": proposals == 0,
        }
        break
    outcome["matching_attempts"] = attempts
    return outcome


# --- locust ------------------------------------------------------------------------------------


def ramp_seconds(users: int, spawn_rate: float) -> int:
    """At most how long the users may take to start and sign in (locust's time limit adds it
    to the steady state; the locustfile itself stops the run after the steady state)."""
    return int(users / spawn_rate) + 600


def run_locust(
    env: dict[str, str],
    users: int,
    minutes: float,
    spawn_rate: float,
    processes: Processes,
    client: str = "fast",
) -> None:
    hosts = ",".join(f"http://127.0.0.1:{port}" for port in PORTS)
    with open(OUT / "locust.log", "wb") as log:
        processes.locust = subprocess.Popen(
            [
                str(VENV_BIN / "locust"),
                "-f",
                "bench/load/locustfile.py",
                "--headless",
                "-u",
                str(users),
                "-r",
                str(spawn_rate),
                "-t",
                f"{ramp_seconds(users, spawn_rate) + int(minutes * 60)}s",
                "--host",
                f"http://127.0.0.1:{PORTS[0]}",
                "--csv",
                str(OUT / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "NASTAVNIK_LOAD_HOSTS": hosts,
                "NASTAVNIK_LOAD_RAMP_STATS": str(OUT / "locust_ramp.json"),
                "NASTAVNIK_LOAD_PROBE_LOG": str(OUT / "locust_probes.json"),
                "NASTAVNIK_LOAD_STEADY_SECONDS": str(int(minutes * 60)),
                "NASTAVNIK_LOAD_CLIENT": client,
                "PYTHONPATH": str(ROOT),
            },
            stderr=log,  # locust's log, with its own warning when it is short of CPU
        )
        processes.locust.wait()


def locust_warnings() -> list[str]:
    """Locust's warnings of its own CPU (it warns above 90 % of a core)."""
    log = (OUT / "locust.log").read_text(encoding="utf-8", errors="replace")
    return [line.strip() for line in log.splitlines() if "CPU usage" in line]


def probe_timeline(timeline: list[dict[str, Any]]) -> None:
    """Sets beside each step of the CPU timeline the probe's median and count in that step."""
    path = OUT / "locust_probes.json"
    if not path.exists() or not timeline:
        return
    probes = json.loads(path.read_text(encoding="utf-8"))
    previous = timeline[0]["wall"] - 5.0
    for row in timeline:
        times = sorted(ms for at, ms in probes if previous < at <= row["wall"])
        row["probe_median_ms"] = round(times[len(times) // 2]) if times else None
        row["probes"] = len(times)
        previous = row.pop("wall")


def read_stats() -> dict[str, Any]:
    with open(OUT / "locust_stats.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    stats: dict[str, Any] = {}
    for row in rows:
        if not int(row["Request Count"]):
            continue  # the logins: only while the users started (below, from the ramp)
        key = f"{row['Type']} {row['Name']}".strip()
        stats[key] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "rps": round(float(row["Requests/s"] or 0), 2),
        }
    ramp = OUT / "locust_ramp.json"
    if ramp.exists():  # the logins, measured while the users started (before the reset)
        for key, figures in json.loads(ramp.read_text(encoding="utf-8"))["stats"].items():
            stats[f"{key} (ramp)"] = figures
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument(
        "--spawn-rate", type=float, default=2, help="users started per second (each signs in)"
    )
    parser.add_argument("--database", default="nastavnik_load")
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument(
        "--client",
        choices=["fast", "http"],
        default="fast",
        help="locust's FastHttpUser (geventhttpclient, the default) or HttpUser (requests)",
    )
    parser.add_argument(
        "--nice-worker-backends",
        action="store_true",
        help="renice the workers' PostgreSQL backends to the workers' own nice 10",
    )
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    env = _env(args.database)
    os.environ.update(_named(env, "bench-driver"))  # the kill test's own connection
    started = time.monotonic()
    if not args.reuse:
        _recreate_database(args.database)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "seed_demo")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    setup_seconds = time.monotonic() - started

    processes = Processes(env)
    processes.start_web()
    processes.start_worker("w1")
    processes.start_worker("w2")
    sampler = CpuSampler(
        processes.roots,
        database=args.database,
        backend_groups={
            **{f"web-{port}": f"postgres: backends of web :{port}" for port in PORTS},
            "worker-w1": "postgres: backends of worker w1",
            "worker-w2": "postgres: backends of worker w2",
            "bench-driver": "postgres: backends of the bench driver and sampler",
            "bench-sampler": "postgres: backends of the bench driver and sampler",
        },
        dsn=env["DATABASE_URL"],
        renice={f"postgres: backends of worker {w}": NICE for w in ("w1", "w2")}
        if args.nice_worker_backends
        else None,
    )
    outcome: dict[str, Any] = {}
    marks: dict[str, Snapshot] = {}
    try:
        for port in PORTS:
            _wait_for(f"http://127.0.0.1:{port}/healthz")
        (OUT / "locust_ramp.json").unlink(missing_ok=True)  # written when the users are in
        (OUT / "locust_probes.json").unlink(missing_ok=True)
        sampler.start()

        def steady_state() -> None:  # the CPU is counted from the statistics' reset on
            if _until((OUT / "locust_ramp.json").exists, ramp_seconds(args.users, args.spawn_rate)):
                marks["steady"] = sampler.snapshot()
                sampler.start_timeline()

        threading.Thread(target=steady_state, daemon=True).start()
        killer: threading.Thread | None = None
        if not args.no_kill:

            def kill_later() -> None:
                os.nice(NICE)  # this thread builds the 12 000-row file: background work too
                ramp = ramp_seconds(args.users, args.spawn_rate)
                _until((OUT / "locust_ramp.json").exists, ramp, 1)
                time.sleep(args.minutes * 60 * 0.3)
                marks["kill"] = sampler.snapshot()
                try:
                    outcome.update(kill_test(processes))
                except Exception as error:
                    outcome["error"] = repr(error)
                marks["kill_end"] = sampler.snapshot()

            killer = threading.Thread(target=kill_later, daemon=True)
            killer.start()
        run_locust(env, args.users, args.minutes, args.spawn_rate, processes, args.client)
        marks["steady_end"] = sampler.snapshot()
        if killer is not None:
            killer.join(timeout=900)
    finally:
        sampler.stop()
        processes.stop()

    stats = read_stats()
    probe = stats.get("GET /healthz", {}).get("p95_ms") or 1.0
    pages = {
        name: {**figures, "p95_vs_probe": round(figures["p95_ms"] / probe, 1)}
        for name, figures in stats.items()
    }
    page_rows = {
        name: f
        for name, f in pages.items()
        if name.startswith("GET ") and "login" not in name and "healthz" not in name
    }
    cores = os.cpu_count() or 1
    requests = stats.get("Aggregated", {}).get("requests", 0)
    cpu: dict[str, Any] = {}
    if "steady" in marks:
        timeline = sampler.timeline
        probe_timeline(timeline)
        cpu = report(window(marks["steady"], marks["steady_end"], timeline), cores, requests)
        locust = cpu["groups"].get("locust", {})
        cpu["locust_pct_of_one_core"] = round(100 * (locust.get("cores") or 0.0), 1)
        cpu["locust_peak_5s_pct_of_one_core"] = max(
            (row.get("locust", 0.0) for row in timeline), default=0.0
        )
    if "kill_end" in marks:  # the kill test from its start to its end, inside the run or not
        cpu["kill_test"] = report(window(marks["kill"], marks["kill_end"]), cores)
        del cpu["kill_test"]["timeline_pct_of_one_core"]
    cpu["locust_cpu_warnings"] = locust_warnings()
    cpu["worker_backends_reniced"] = {"count": sampler.reniced, "errors": sampler.renice_errors}
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "users": args.users,
        "minutes": args.minutes,
        "spawn_rate": args.spawn_rate,
        "client": args.client,
        "with_kill_test": not args.no_kill,
        "worker_backends_niced": args.nice_worker_backends,
        "figures_cover": "the steady state once all users signed in; logins: the ramp",
        "setup_seconds": round(setup_seconds),
        "pages_worst_p95_ms": max((f["p95_ms"] for f in page_rows.values()), default=0),
        "failures": sum(f["failures"] for name, f in stats.items() if name != "Aggregated"),
        "stats": pages,
        "kill_test": outcome,
        "cpu": cpu,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "cpu"}, ensure_ascii=False, indent=2))
    if "groups" in cpu:
        print(table(cpu, "during the steady state"))
        print(
            f"locust: {cpu['locust_pct_of_one_core']} % of one core on average, peak (5 s)"
            f" {cpu['locust_peak_5s_pct_of_one_core']} %; its own CPU warnings:"
            f" {len(cpu['locust_cpu_warnings'])}"
        )
    if "kill_test" in cpu:
        print(table(cpu["kill_test"], "during the kill test (its start to its end)"))


if __name__ == "__main__":
    main()
