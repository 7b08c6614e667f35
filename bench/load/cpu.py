"""Where the CPU goes during the load test's steady state, read from ``/proc`` (Linux only).

A thread samples every ``interval`` seconds the CPU time (user + system, ``/proc/<pid>/stat``)
and the time spent runnable but waiting for a CPU (``/proc/<pid>/schedstat``, the run-queue wait)
of every process on the machine, and sorts each process into a group:

- the bench's own process trees, by their root's pid: locust, each gunicorn instance (master and
  workers), each task worker (the killed process and the restarted one both count), the bench
  driver (``run.py``: the kill test's file, its upload, this sampler);
- PostgreSQL backends of the load database, by the ``application_name`` their client gave
  (``pg_stat_activity``): the bench sets one per web instance, per worker and for the driver;
  the rest of the database's processes (autovacuum) apart; the server's own processes
  (WAL writer, checkpointer) and other databases' backends apart;
- the rest of the machine: ``/proc/stat``'s busy time less all of the above.

:meth:`CpuSampler.snapshot` gives every group's CPU so far; :func:`window` the difference of two
snapshots (the steady state, the kill test). Each process counts from its first sample (0 if it
started after the sampler) to its last: a process that ends between two samples loses at most
``interval`` seconds of its CPU (a few backends, the killed worker). The run-queue wait (time
runnable but not running: the CPU was busy with others) is the main thread's (all of these
processes are single-threaded, save the driver's kill-test thread); per wake-up it is how late,
on average, a process got the CPU it asked for: for locust, how much its own timing of each
response may be late.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")
POSTGRES = "postgres"
SERVER = "postgres: server processes, other databases"


@dataclass
class _Proc:
    group: str
    base: tuple[float, float, int]  # cpu s, run-queue wait s, times scheduled: at first sight
    last: tuple[float, float, int]


@dataclass
class Snapshot:
    """Every group's CPU since the sampler started, the machine's, the load average."""

    at: float
    cpu: dict[str, float]
    wait: dict[str, float]
    runs: dict[str, int]
    machine: dict[str, float]
    load: list[float]


@dataclass
class Window:
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    wait: dict[str, float] = field(default_factory=dict)
    runs: dict[str, int] = field(default_factory=dict)
    machine: dict[str, float] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)


def _machine() -> dict[str, float]:
    with open("/proc/stat", encoding="ascii") as file:
        values = [int(v) / TICK for v in file.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = values
    return {
        "busy": user + nice + system + irq + softirq,
        "idle": idle + iowait,
        "steal": steal,
    }


def _uptime_ticks() -> float:
    with open("/proc/uptime", encoding="ascii") as file:
        return float(file.read().split()[0]) * TICK


def _loadavg() -> list[float]:
    with open("/proc/loadavg", encoding="ascii") as file:
        return [float(v) for v in file.read().split()[:3]]


def _read(pid: str) -> tuple[int, int, str, float, float, int] | None:
    """(ppid, starttime, comm, cpu seconds, run-queue wait seconds, times scheduled) or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as file:
            stat = file.read()
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as file:
            _on_cpu, wait_ns, runs = (int(v) for v in file.read().split()[:3])
    except (OSError, ValueError):
        return None
    comm = stat[stat.index("(") + 1 : stat.rindex(")")]
    rest = stat[stat.rindex(")") + 2 :].split()
    # fields from the 3rd: state ppid ... utime(14) stime(15) ... starttime(22)
    ppid, utime, stime, start = int(rest[1]), int(rest[11]), int(rest[12]), int(rest[19])
    return ppid, start, comm, (utime + stime) / TICK, wait_ns / 1e9, runs


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


class CpuSampler(threading.Thread):
    """Samples ``/proc`` in the background; ``roots()`` names the bench's process trees
    (pid → group, read at every sample: a restarted worker joins its group)."""

    def __init__(
        self,
        roots: Callable[[], dict[int, str]],
        database: str,
        backend_groups: dict[str, str],
        dsn: str,
        interval: float = 1.0,
        timeline_step: float = 5.0,
        renice: dict[str, int] | None = None,
    ) -> None:
        super().__init__(daemon=True, name="cpu-sampler")
        self.roots = roots
        self.database = database
        self.backend_groups = backend_groups  # application_name → group
        self.dsn = dsn
        self.interval = interval
        self.timeline_step = timeline_step
        self.procs: dict[tuple[int, int], _Proc] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._start_ticks = _uptime_ticks()
        self.timeline: list[dict[str, Any]] = []
        self._timeline_from: float | None = None
        self._next_step = 0.0
        self._step: Snapshot | None = None
        self._misses: dict[int, int] = {}
        self._conn: Any = None
        self._app_names: dict[int, str] = {}
        # group → niceness given to its processes when first seen (the workers' backends)
        self.renice = renice or {}
        self.reniced: dict[str, int] = {}
        self.renice_errors: list[str] = []

    # --- sampling ---

    def _backend_group(self, pid: int) -> str:
        """The group of a backend of the load database, by its client's ``application_name``;
        "" while the backend is not yet in ``pg_stat_activity`` (at most three samples)."""
        if pid not in self._app_names:
            self._refresh_app_names()
        if pid not in self._app_names:
            self._misses[pid] = self._misses.get(pid, 0) + 1
            if self._misses[pid] < 3:
                return ""
        name = self._app_names.get(pid, "")
        return self.backend_groups.get(name, f"postgres: {self.database}, other")

    def _refresh_app_names(self) -> None:
        try:
            import psycopg

            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(
                    self.dsn, autocommit=True, application_name="bench-sampler"
                )
            rows = self._conn.execute(
                "SELECT pid, application_name FROM pg_stat_activity WHERE datname = %s",
                [self.database],
            ).fetchall()
        except Exception:  # the sampler must never stop the bench
            self._conn = None
            return
        self._app_names.update({int(pid): name or "" for pid, name in rows})

    def _group(self, pid: int, info: dict[int, tuple[int, str]], roots: dict[int, str]) -> str:
        seen = 0
        current = pid
        while current > 1 and seen < 64:
            if current in roots:
                return roots[current]
            current = info.get(current, (0, ""))[0]
            seen += 1
        comm = info.get(pid, (0, ""))[1]
        if comm == POSTGRES:
            title = _cmdline(str(pid))
            if f" {self.database} " in title:
                if "autovacuum" in title:
                    return f"postgres: {self.database}, other"
                return self._backend_group(pid)
            return SERVER
        return ""

    def sample(self) -> None:
        roots = self.roots()
        reads: dict[int, tuple[int, int, str, float, float, int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                found = _read(name)
                if found is not None:
                    reads[int(name)] = found
        info = {pid: (r[0], r[2]) for pid, r in reads.items()}
        with self.lock:
            for pid, (_ppid, start, _comm, cpu, wait, runs) in reads.items():
                key = (pid, start)
                proc = self.procs.get(key)
                if proc is None:
                    group = self._group(pid, info, roots)
                    if not group:  # not ours, or not yet known: looked at again next time
                        continue
                    born_since = start >= self._start_ticks
                    base = (0.0, 0.0, 0) if born_since else (cpu, wait, runs)
                    proc = _Proc(group=group, base=base, last=base)
                    self.procs[key] = proc
                    if group in self.renice:
                        self._renice(pid, group)
                proc.last = (cpu, wait, runs)
            now = time.monotonic()
            if self._timeline_from is not None and now >= self._next_step:
                self._timeline_step(now)

    def _renice(self, pid: int, group: str) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, self.renice[group])
        except OSError as error:  # not allowed (another user's process): say so in the report
            self.renice_errors.append(f"{group} {pid}: {error}")
            return
        self.reniced[group] = self.reniced.get(group, 0) + 1

    def _snapshot(self) -> Snapshot:
        cpu: dict[str, float] = {}
        wait: dict[str, float] = {}
        runs: dict[str, int] = {}
        for proc in self.procs.values():
            cpu[proc.group] = cpu.get(proc.group, 0.0) + proc.last[0] - proc.base[0]
            wait[proc.group] = wait.get(proc.group, 0.0) + proc.last[1] - proc.base[1]
            runs[proc.group] = runs.get(proc.group, 0) + proc.last[2] - proc.base[2]
        return Snapshot(time.monotonic(), cpu, wait, runs, _machine(), _loadavg())

    def snapshot(self) -> Snapshot:
        """Every group's CPU up to now (a fresh sample)."""
        self.sample()
        with self.lock:
            return self._snapshot()

    def _timeline_step(self, now: float) -> None:
        current = self._snapshot()
        previous = self._step
        if previous is not None:
            elapsed = current.at - previous.at
            row: dict[str, Any] = {"t": round(now - (self._timeline_from or now), 1)}
            row["wall"] = time.time()
            for group, value in sorted(current.cpu.items()):
                row[group] = round(100 * (value - previous.cpu.get(group, 0.0)) / elapsed, 1)
            busy = current.machine["busy"] - previous.machine["busy"]
            row["machine busy"] = round(100 * busy / elapsed, 1)
            row["load1"] = current.load[0]
            self.timeline.append(row)
        self._step = current
        self._next_step = now + self.timeline_step

    def start_timeline(self) -> None:
        """From now on, every ``timeline_step`` seconds each group's share of one core."""
        with self.lock:
            self._timeline_from = time.monotonic()
            self._next_step = self._timeline_from

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            with contextlib.suppress(Exception):  # never stop the bench over a measurement
                self.sample()
            self.stopping.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=10)
        if self._conn is not None:
            self._conn.close()


def window(start: Snapshot, end: Snapshot, timeline: list[dict[str, Any]] | None = None) -> Window:
    """What each group used between two snapshots."""
    return Window(
        seconds=end.at - start.at,
        cpu={g: v - start.cpu.get(g, 0.0) for g, v in end.cpu.items()},
        wait={g: v - start.wait.get(g, 0.0) for g, v in end.wait.items()},
        runs={g: v - start.runs.get(g, 0) for g, v in end.runs.items()},
        machine={k: v - start.machine.get(k, 0.0) for k, v in end.machine.items()},
        load=[*start.load, *end.load],
        timeline=list(timeline or []),
    )


def report(window: Window, cores: int, requests: int = 0) -> dict[str, Any]:
    """The window's figures per group: CPU seconds, share of the machine's capacity, cores,
    CPU per request (of the steady state's ``requests``), run-queue wait (all and per time the
    group was scheduled); the machine's total; the load average."""

    capacity = window.seconds * cores
    ours = sum(window.cpu.values())

    def row(cpu: float, wait: float | None, runs: int) -> dict[str, float | None]:
        return {
            "cpu_s": round(cpu, 1),
            "share_of_machine_pct": round(100 * cpu / capacity, 1) if capacity else 0.0,
            "cores": round(cpu / window.seconds, 2) if window.seconds else 0.0,
            "cpu_ms_per_request": round(1000 * cpu / requests, 1) if requests else None,
            "runqueue_wait_s": None if wait is None else round(wait, 1),
            "wait_ms_per_wakeup": round(1000 * wait / runs, 1)
            if wait is not None and runs
            else None,
        }

    groups = {
        group: row(cpu, window.wait.get(group, 0.0), window.runs.get(group, 0))
        for group, cpu in sorted(window.cpu.items(), key=lambda item: -item[1])
        if cpu > 0.0 or window.wait.get(group, 0.0) > 0.0
    }
    busy = window.machine.get("busy", 0.0)
    groups["rest of the machine (other users, unsampled)"] = row(max(0.0, busy - ours), None, 0)
    load = window.load + [0.0] * (6 - len(window.load))
    during = [r["load1"] for r in window.timeline if "load1" in r]
    return {
        "window_s": round(window.seconds, 1),
        "cores": cores,
        "requests": requests,
        "groups": groups,
        "machine": {
            "busy_s": round(busy, 1),
            "busy_pct": round(100 * busy / capacity, 1) if capacity else 0.0,
            "idle_s": round(window.machine.get("idle", 0.0), 1),
            "steal_s": round(window.machine.get("steal", 0.0), 1),
        },
        "load_average": {
            "at_start_1_5_15": load[0:3],
            "at_end_1_5_15": load[3:6],
            "mean_1min_during": round(sum(during) / len(during), 2) if during else None,
        },
        "timeline_pct_of_one_core": window.timeline,
    }


def table(figures: dict[str, Any], title: str) -> str:
    """The report as a plain-text table."""

    lines = [
        f"CPU {title} ({figures['window_s']} s, {figures['cores']} cores,"
        f" {figures['requests']} requests):",
        f"{'group':<50} {'CPU s':>7} {'%mach':>6} {'cores':>6} {'ms/req':>7}"
        f" {'rq wait s':>9} {'ms/wake':>8}",
    ]

    def cell(value: float | None, width: int) -> str:
        return f"{'':>{width}}" if value is None else f"{value:>{width}.1f}"

    for group, row in figures["groups"].items():
        lines.append(
            f"{group[:50]:<50} {row['cpu_s']:>7.1f} {row['share_of_machine_pct']:>6.1f}"
            f" {row['cores']:>6.2f} {cell(row['cpu_ms_per_request'], 7)}"
            f" {cell(row['runqueue_wait_s'], 9)} {cell(row['wait_ms_per_wakeup'], 8)}"
        )
    machine = figures["machine"]
    lines.append(
        f"{'machine busy (/proc/stat)':<50} {machine['busy_s']:>7.1f} {machine['busy_pct']:>6.1f}"
        f"   (idle {machine['idle_s']} s, steal {machine['steal_s']} s)"
    )
    load = figures["load_average"]
    lines.append(
        f"load average: start {load['at_start_1_5_15']}, end {load['at_end_1_5_15']},"
        f" mean 1-min during {load['mean_1min_during']}"
    )
    return "\n".join(lines)
