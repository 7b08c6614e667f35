"""Benchmark of the matching engine, end to end, against exact references and greedy.

Run from the repository root::

    .venv/bin/python -m bench.matching                 # all sizes, both distributions
    .venv/bin/python -m bench.matching --sizes school municipality --repeat 3

Each (size, distribution) runs in fresh subprocesses, so times are cold-process times and the
peak memory (``ru_maxrss`` of that child, from ``os.wait4``) belongs to that size alone:

1. the **engine** child builds synthetic bases (not timed), then runs :func:`match` end to end
   (text analysis, scoring, candidates, assignment, factor breakdown and reasons; timed), a
   second, warm run, and materializes every explanation with its details (timed apart); it
   saves the candidate edges for the next child;
2. the **reference** child solves the same edges with a bare OR-Tools min-cost-flow call
   (graph built straight from the arrays, no validation or bookkeeping) and with the engine's
   :func:`assign`, alternately, best of ``--repeat``; with an **independent exact solver** from
   another library and another algorithm: SciPy's LAPJVsp
   (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``) on the graph where every
   mentor is copied once per place and every mentee has a "nobody" column of its own (so a full
   matching always exists and leaving a mentee out costs nothing); with HiGHS on the
   b-matching LP (``scipy.optimize.linprog``; the constraint matrix is totally unimodular, so the
   LP optimum is the integer optimum) when the edges are at most ``--highs-max-edges``; and with
   the greedy "best pair first" heuristic.

Results are printed as a Markdown table and written to ``bench/results/matching.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SIZES: dict[str, tuple[int, int]] = {
    "school": (1_000, 200),
    "municipality": (10_000, 2_000),
    "region": (100_000, 20_000),
}
DISTRIBUTIONS = ("uniform", "skewed")
TOP_K = 50
SEED = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--dists", nargs="+", default=list(DISTRIBUTIONS), choices=DISTRIBUTIONS)
    parser.add_argument("--repeat", type=int, default=3, help="best of N for assign vs bare")
    parser.add_argument(
        "--highs-max-edges",
        type=int,
        default=1_000_000,
        help="run HiGHS on the LP only up to this many edges (it takes minutes beyond)",
    )
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="only match() end to end with its certificate, no reference solvers on the edges",
    )
    parser.add_argument("--json", type=Path, default=Path("bench/results/matching.json"))
    parser.add_argument("--child", choices=["engine", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--dist", help=argparse.SUPPRESS)
    parser.add_argument("--edges", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "engine":
        print(json.dumps(engine_child(args.size, args.dist, args.edges)))
    elif args.child == "reference":
        print(json.dumps(reference_child(args.edges, args.repeat, args.highs_max_edges)))
    else:
        run_all(args)


def run_all(args: argparse.Namespace) -> None:
    rows: list[dict[str, Any]] = []
    start_machine = machine()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            for dist in args.dists:
                edges = Path(tmp) / f"{size}-{dist}.npz"
                common = [sys.executable, "-m", "bench.matching", "--edges", str(edges)]
                engine, engine_rss = _child(
                    [*common, "--child", "engine", "--size", size, "--dist", dist]
                )
                reference: dict[str, Any] = {}
                reference_rss: float | None = None
                if not args.engine_only:
                    reference, reference_rss = _child(
                        [
                            *common,
                            "--child",
                            "reference",
                            "--repeat",
                            str(args.repeat),
                            "--highs-max-edges",
                            str(args.highs_max_edges),
                        ]
                    )
                row = {
                    "size": size,
                    "dist": dist,
                    **engine,
                    **reference,
                    "peak_mb": engine_rss,
                    "reference_peak_mb": reference_rss,
                }
                rows.append(row)
                print(_line(row), flush=True)
    report = {"machine": start_machine, "rows": rows, "load_after": os.getloadavg()[0]}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print(markdown(report))


def _child(command: list[str]) -> tuple[dict[str, Any], float]:
    """Run a child, return its JSON answer and its own peak RSS in MB."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed: {' '.join(command)}")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def engine_child(size: str, dist: str, edges_path: Path) -> dict[str, Any]:
    from nastavnik.matching.engine import Rules, match
    from nastavnik.matching.engine.match import eligible_mentors
    from nastavnik.matching.engine.synthetic import synthetic

    n, m = SIZES[size]
    bases = synthetic(n, m, seed=SEED, skewed=dist == "skewed")
    rules = Rules(variant="strong_helps_weak", same_class="prefer_same")
    start, cpu = time.perf_counter(), time.process_time()
    result = match(bases.mentees, bases.mentors, rules, top_k=TOP_K)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    match(bases.mentees, bases.mentors, rules, top_k=TOP_K)
    warm, warm_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    n_explained = sum(1 for _ in result.explanations())
    details = time.perf_counter() - start
    assert n_explained == n

    cands = result.candidates
    assert bases.mentors.capacity is not None
    capacity = np.where(eligible_mentors(bases.mentors, rules), bases.mentors.capacity, 0)
    np.savez(
        edges_path,
        mentee=cands.mentee,
        mentor=cands.mentor,
        score=cands.score,
        capacity=capacity,
        n=np.array([n]),
    )
    reasons: dict[str, int] = {}
    for reason in result.reasons:
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + 1
    certificate = result.certificate
    return {
        "certified": certificate.certified,
        "certified_by": certificate.method,
        "bound": certificate.bound,
        "pricing_scans": certificate.rounds,
        "pairs_added": certificate.pairs_added,
        "pricing_history": [list(h) for h in certificate.history],
        "n_mentees": n,
        "n_mentors": m,
        "places": int(capacity.sum()),
        "edges": len(cands),
        "e2e_s": cold,
        "e2e_warm_s": warm,
        "e2e_cpu_s": cold_cpu,
        "e2e_warm_cpu_s": warm_cpu,
        "steps_s": result.timings,
        "details_all_s": details,
        "objective": result.assignment.objective,
        "total_score": result.assignment.total_score,
        "matched": result.assignment.n_matched,
        "unmatched_reasons": reasons,
    }


def reference_child(edges_path: Path, repeat: int, max_lp_edges: int) -> dict[str, Any]:
    from nastavnik.matching.engine import assign

    data = np.load(edges_path)
    mentee, mentor, score = data["mentee"], data["mentor"], data["score"]
    capacity, n = data["capacity"], int(data["n"][0])
    engine_times, bare_times, engine_cpu, bare_cpu = [], [], [], []
    bare_objective = engine_objective = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = assign(mentee, mentor, score, capacity, n)
        engine_times.append(time.perf_counter() - start)
        engine_cpu.append(time.process_time() - cpu)
        engine_objective = result.objective
        start, cpu = time.perf_counter(), time.process_time()
        bare_objective = bare_min_cost_flow(mentee, mentor, score, capacity, n)
        bare_times.append(time.perf_counter() - start)
        bare_cpu.append(time.process_time() - cpu)
    out: dict[str, Any] = {
        "assign_s": min(engine_times),
        "bare_s": min(bare_times),
        "assign_cpu_s": min(engine_cpu),
        "bare_cpu_s": min(bare_cpu),
        "assign_objective": engine_objective,
        "bare_objective": bare_objective,
    }
    start = time.perf_counter()
    out["lap_objective"] = lapjv_reference(mentee, mentor, score, capacity, n)
    out["lap_s"] = time.perf_counter() - start
    if len(mentee) <= max_lp_edges:
        start = time.perf_counter()
        out["highs_objective"] = highs_lp(mentee, mentor, score, capacity, n)
        out["highs_s"] = time.perf_counter() - start
    else:
        out["highs_objective"] = None
        out["highs_s"] = None
    start = time.perf_counter()
    greedy_objective, greedy_matched = greedy(mentee, mentor, score, capacity, n)
    out.update(
        greedy_objective=greedy_objective,
        greedy_matched=greedy_matched,
        greedy_s=time.perf_counter() - start,
    )
    return out


def _quantized(score: np.ndarray) -> np.ndarray:
    """The engine's integer costs (``assignment.SCORE_SCALE``), so every solver sees the same."""
    from nastavnik.matching.engine.assignment import SCORE_SCALE

    return np.rint(score * SCORE_SCALE).astype(np.int64)


def bare_min_cost_flow(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, capacity: np.ndarray, n: int
) -> int:
    """The reference: OR-Tools on the same edges, graph built directly, flows read back."""
    from ortools.graph.python import min_cost_flow

    m = capacity.size
    sink = n + m
    n_edges = mentee.size
    tails = np.concatenate([mentee, n + np.arange(m), np.arange(n)]).astype(np.int32)
    heads = np.concatenate([n + mentor, np.full(m + n, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(n_edges), capacity, np.ones(n)]).astype(np.int64)
    q = _quantized(score)
    costs = np.concatenate([-q, np.zeros(m + n, dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    assert status == flow.OPTIMAL, status
    # Reading which edges carry flow is part of any use of the answer.
    chosen = np.asarray(flow.flows(np.arange(n_edges, dtype=np.int32))) > 0
    assert int(chosen.sum()) <= n
    return -int(flow.optimal_cost())


def lapjv_reference(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, capacity: np.ndarray, n: int
) -> int:
    """An independent exact reference: SciPy's LAPJVsp on the expanded bipartite graph.

    Mentor j becomes ``capacity[j]`` identical columns (its places); mentee i gets a column of
    its own that means "nobody". Costs are ``BIG - q`` on real edges and ``BIG`` on the nobody
    column, all positive, so a minimum-weight full matching of the mentees maximizes the sum of
    ``q`` over the matched edges. Sums stay far below 2**53: exact in float64.
    """
    from scipy import sparse
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    from nastavnik.matching.engine.assignment import SCORE_SCALE

    q = _quantized(score).astype(np.float64)
    keep = capacity[mentor] > 0
    mentee, mentor, q = mentee[keep], mentor[keep], q[keep]
    places = int(capacity.sum())
    first = np.concatenate([[0], np.cumsum(capacity)[:-1]])
    copies = capacity[mentor]
    offset = np.arange(int(copies.sum())) - np.repeat(np.cumsum(copies) - copies, copies)
    big = 2.0 * SCORE_SCALE  # above every cost: all weights positive
    rows = np.concatenate([np.repeat(mentee, copies), np.arange(n)])
    cols = np.concatenate([np.repeat(first[mentor], copies) + offset, places + np.arange(n)])
    costs = np.concatenate([big - np.repeat(q, copies), np.full(n, big)])
    graph = sparse.csr_array((costs, (rows, cols)), shape=(n, places + n))
    row, col = min_weight_full_bipartite_matching(graph)
    real = col < places
    return round(float((big - graph[row[real], col[real]]).sum()))


def highs_lp(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, capacity: np.ndarray, n: int
) -> int:
    """An independent exact reference: the b-matching LP solved by HiGHS."""
    from scipy import sparse
    from scipy.optimize import linprog

    n_edges = mentee.size
    q = _quantized(score).astype(np.float64)
    rows = np.concatenate([mentee, n + mentor])
    cols = np.concatenate([np.arange(n_edges), np.arange(n_edges)])
    a = sparse.csr_array((np.ones(2 * n_edges), (rows, cols)), shape=(n + capacity.size, n_edges))
    b = np.concatenate([np.ones(n), capacity]).astype(np.float64)
    res = linprog(-q, A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
    assert res.status == 0, res.message
    return round(-res.fun)


def greedy(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, capacity: np.ndarray, n: int
) -> tuple[int, int]:
    """Best pair first: what a spreadsheet (or a naive program) would do."""
    q = _quantized(score)
    order = np.lexsort((mentor, mentee, -q))
    free = capacity.astype(np.int64).tolist()
    taken = [False] * n
    total = matched = 0
    for i, j, value in zip(
        mentee[order].tolist(), mentor[order].tolist(), q[order].tolist(), strict=True
    ):
        if not taken[i] and free[j] > 0:
            taken[i] = True
            free[j] -= 1
            total += value
            matched += 1
    return total, matched


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as info:
        mem_kb = int(info.readline().split()[1])
    import ortools
    import scipy

    return {
        "date": dt.date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "ortools": ortools.__version__,
        "load_avg_1min": os.getloadavg()[0],
    }


def _line(row: dict[str, Any]) -> str:
    line = (
        f"{row['size']:>12} {row['dist']:>8}: e2e {row['e2e_s']:.2f}s "
        f"certified {row['certified']} ({row['certified_by']}, {row['pricing_scans']} scans, "
        f"{row['pairs_added']} pairs added) peak {row['peak_mb']:.0f} MB"
    )
    if "assign_s" in row:
        line += (
            f" assign {row['assign_s']:.2f}s bare {row['bare_s']:.2f}s "
            f"ratio {row['assign_s'] / row['bare_s']:.2f}"
        )
    return line


def markdown(report: dict[str, Any]) -> str:
    mach = report["machine"]
    lines = [
        f"Machine: {mach['nproc']} × {mach['cpu']}, {mach['ram_gb']} GB RAM; "
        f"{mach['date']}; Python {mach['python']}, numpy {mach['numpy']}, "
        f"scipy {mach['scipy']}, OR-Tools {mach['ortools']}. Load average (1 min) before / "
        f"after the run: {mach['load_avg_1min']:.1f} / {report['load_after']:.1f}.",
        "",
        "End to end (`match()`: profiles → scores → candidates → assignment → explanations):",
        "",
        "| size | distribution | mentees × mentors | places | edges "
        "| wall cold / warm (CPU cold) "
        "| model / estimate / candidates / assign / fill / duals / pricing / reassign / explain "
        "| all details | matched | peak RSS |",
        "|" + "---|" * 10,
    ]
    for r in report["rows"]:
        steps = r["steps_s"]
        lines.append(
            f"| {r['size']} | {r['dist']} | {_num(r['n_mentees'])} × {_num(r['n_mentors'])} "
            f"| {_num(r['places'])} | {_num(r['edges'])} "
            f"| {r['e2e_s']:.2f} s / {r['e2e_warm_s']:.2f} s ({r['e2e_cpu_s']:.2f} s) "
            f"| {steps['model']:.2f} / {steps.get('estimate', 0.0):.2f} / "
            f"{steps['candidates']:.2f} / {steps['assign']:.2f} / "
            f"{steps.get('fill', 0.0):.2f} / {steps.get('duals', 0.0):.2f} / "
            f"{steps.get('pricing', 0.0):.2f} / {steps.get('reassign', 0.0):.2f} / "
            f"{steps['explain']:.2f} s "
            f"| {r['details_all_s']:.2f} s | {_num(r['matched'])} "
            f"| {_num(round(r['peak_mb']))} MB |"
        )
    lines += [
        "",
        "The certificate (objective and bound: integer scores, score × 10⁶; a pricing scan "
        "checks every allowed pair against the duals; per scan: pairs able to improve / pairs "
        "added):",
        "",
        "| size | distribution | certified | how | objective | bound | scans "
        "| per scan | pairs added |",
        "|" + "---|" * 9,
    ]
    for r in report["rows"]:
        history = ", ".join(f"{_num(a)} / {_num(b)}" for a, b in r["pricing_history"]) or "—"
        bound = "—" if r["bound"] is None else _num(r["bound"])
        lines.append(
            f"| {r['size']} | {r['dist']} | {'yes' if r['certified'] else 'NO'} "
            f"| {r['certified_by']} | {_num(r['objective'])} | {bound} "
            f"| {r['pricing_scans']} | {history} | {_num(r['pairs_added'])} |"
        )
    if not all("bare_objective" in r for r in report["rows"]):
        return "\n".join(lines)
    lines += [
        "",
        "The same candidate edges, side by side (objective: the sum of the integer scores, "
        "score × 10⁶; time ratios against the bare OR-Tools call):",
        "",
        "| size | distribution | engine objective | bare OR-Tools | LAPJVsp (SciPy) | HiGHS "
        "| all equal | `assign` / bare: time (ratio wall; CPU) | LAPJVsp: time (ratio) "
        "| HiGHS: time (ratio) | greedy: % of optimum; time (ratio) "
        "| unmatched: engine / greedy |",
        "|" + "---|" * 12,
    ]
    for r in report["rows"]:
        highs = r["highs_objective"]
        same = r["objective"] == r["bare_objective"] == r["assign_objective"] == r["lap_objective"]
        equal = "NO" if not same or highs not in (None, r["objective"]) else "yes"
        bare = r["bare_s"]
        highs_cell = "not run" if highs is None else _num(highs)
        highs_time = (
            "not run"
            if r["highs_s"] is None
            else f"{r['highs_s']:.1f} s ({r['highs_s'] / bare:.0f}×)"
        )
        lines.append(
            f"| {r['size']} | {r['dist']} | {_num(r['objective'])} | {_num(r['bare_objective'])} "
            f"| {_num(r['lap_objective'])} | {highs_cell} | {equal} "
            f"| {r['assign_s']:.2f} s / {bare:.2f} s "
            f"({r['assign_s'] / bare:.2f}; {r['assign_cpu_s'] / r['bare_cpu_s']:.2f}) "
            f"| {r['lap_s']:.2f} s ({r['lap_s'] / bare:.0f}×) | {highs_time} "
            f"| {100 * r['greedy_objective'] / max(r['objective'], 1):.1f} %; "
            f"{r['greedy_s']:.2f} s ({r['greedy_s'] / bare:.2f}) "
            f"| {_num(r['n_mentees'] - r['matched'])} "
            f"/ {_num(r['n_mentees'] - r['greedy_matched'])} |"
        )
    return "\n".join(lines)


def _num(value: int) -> str:
    """Thousands separated by a space, as in Russian texts."""
    return f"{value:,}".replace(",", " ")


if __name__ == "__main__":
    main()
