"""Benchmarks: speed and scale against a floor, measured side by side in one run.

Run from the project root (``make bench``)::

    .venv/bin/python benchmarks/run.py                 # all three targets, 1 000 000 rows (about 3 minutes)
    .venv/bin/python benchmarks/run.py --targets 2,3   # import and statistics only
    .venv/bin/python benchmarks/run.py --quick         # tiny sizes: checks that everything runs (no meaning)

Each target prints its measured ratio or time and PASS/FAIL; the figures, the machine and a profile of the
import pipeline are written to ``benchmarks/results.md`` and ``benchmarks/results.json`` (``--out`` changes the
folder). Every timing runs in a fresh worker process (``python benchmarks/run.py --worker ...``), so imports,
caches and memory of one measurement never leak into the next; peak memory is that worker's
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (resident set, interpreter and imports included).

Targets:

1. ``sosrake run all`` on the sample takes at most 1.5 x the floor: the same number of Papermill runs, in the
   runner's parallelism, of notebooks that only import the same libraries.
2. ``read_export`` + ``clean_responses`` + ``scale_scores`` on a 1 000 000-row interview export take at most
   3 x plain ``pandas.read_csv`` of the same file, peak memory at most 2 GiB, and 100k -> 1M rows grows at
   most 11 x.
3. Cronbach's alpha, NPS with its CI and the group comparisons on 1 000 000 rows each within 2 s; the Borich
   bootstrap (vectorised over replicates) on a pooled competence survey within 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402  (benchmarks/gen.py, next to this file)

LIMITS = {
    "semester_ratio": 1.5,
    "import_ratio": 3.0,
    "import_peak_gib": 2.0,
    "import_growth": 11.0,
    "stat_seconds": 2.0,
}
FLOOR_LIBS = [
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "matplotlib.pyplot",
    "statsmodels.api",
    "sosrake_lib",
    "sosrake_lib.io",
    "sosrake_lib.cleaning",
    "sosrake_lib.scoring",
    "sosrake_lib.stats",
    "sosrake_lib.privacy",
    "sosrake_lib.text",
    "sosrake_lib.plots",
    "sosrake_lib.fmt",
    "sosrake_lib.outputs",
]


# ------------------------------------------------------------------------------------------------ workers


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def work_pandas(path: str) -> dict[str, Any]:
    """The floor of target 2: plain ``pandas.read_csv`` of the export (metadata rows skipped)."""
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_csv(path, skiprows=gen.N_META, sep=gen.SEP, encoding=gen.ENCODING)
    return {"seconds": time.perf_counter() - t, "rows": len(df), "peak_mib": _peak_mib()}


BENCH_KEY = secrets.token_urlsafe(32)


def _pipeline(path: str) -> tuple[Any, Any, dict[str, float]]:
    from sosrake_lib import clean_responses, load_instrument, read_export
    from sosrake_lib.scoring import scale_scores

    inst = load_instrument("interviews")
    t0 = time.perf_counter()
    raw = read_export(path, inst)
    t1 = time.perf_counter()
    # The generated export is synthetic but no shipped sample file, so it takes a key like real data
    # (a random one: the pseudonyms are never kept).
    df = clean_responses(raw, inst, key=BENCH_KEY)
    del raw
    t2 = time.perf_counter()
    scores = scale_scores(df, inst.area_items())
    t3 = time.perf_counter()
    return (
        df,
        scores,
        {
            "read_export": t1 - t0,
            "clean_responses": t2 - t1,
            "scale_scores": t3 - t2,
            "seconds": t3 - t0,
        },
    )


def work_pipeline(path: str) -> dict[str, Any]:
    """Target 2: read_export + clean_responses + scale_scores; then target 3 on the cleaned frame."""
    df, scores, times = _pipeline(path)
    log = df.attrs["cleaning_log"]
    out: dict[str, Any] = {
        **times,
        "peak_mib": _peak_mib(),
        "raw_rows": log["raw_rows"],
        "kept": log["kept"],
        "dropped": log["dropped"],
        "scored_rows": int(scores.notna().any(axis=1).sum()),
    }
    out["stats"] = _stats(df.join(scores))
    return out


def _timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    res = fn()
    return time.perf_counter() - t, res


def _stats(df: Any) -> dict[str, Any]:
    """Target 3 on a cleaned interview frame: each statistic timed on its own."""
    import numpy as np
    import pandas as pd

    from sosrake_lib.codebook import load_instrument
    from sosrake_lib.scoring import borich_needs, cronbach_alpha, nps, nps_by
    from sosrake_lib.stats import compare_groups, compare_groups_table, proportion_ci

    inst = load_instrument("interviews")
    items = [it.id for it in inst.likert_items()]
    res: dict[str, Any] = {}

    def record(name: str, fn: Any, summary: Any) -> None:
        sec, val = _timed(fn)
        res[name] = {"seconds": sec, "result": summary(val)}

    record(
        "cronbach_alpha (10 items)",
        lambda: cronbach_alpha(df[items]),
        lambda r: {"alpha": round(r.alpha, 4), "n": r.n_respondents},
    )
    record(
        "cronbach_alpha (kohtaaminen, 3 items)",
        lambda: cronbach_alpha(df[inst.area_items()["kohtaaminen"]]),
        lambda r: {"alpha": round(r.alpha, 4), "n": r.n_respondents},
    )
    record(
        "nps with CI",
        lambda: nps(df["nps"]),
        lambda r: {
            "nps": round(r.nps, 2),
            "ci": [round(r.ci_low, 2), round(r.ci_high, 2)],
            "n": r.n,
        },
    )
    record("nps_by service", lambda: nps_by(df, "nps", "service"), lambda t: {"groups": len(t)})
    record(
        "top-2-box % + Wilson CI (10 items)",
        lambda: proportion_ci(
            (df[items] >= 4).sum().to_numpy(), df[items].notna().sum().to_numpy()
        ),
        lambda r: {"items": len(r[0])},
    )
    record(
        "compare_groups kohtaaminen ~ service (Kruskal-Wallis, 5 groups)",
        lambda: compare_groups(df, "kohtaaminen", "service"),
        lambda r: {"test": r.test, "n": r.n},
    )
    record(
        "compare_groups kohtaaminen ~ gender (Kruskal-Wallis, 3 groups)",
        lambda: compare_groups(df, "kohtaaminen", "gender"),
        lambda r: {"test": r.test, "n": r.n},
    )
    two = df[df["gender"].isin(["female", "male"])].assign(
        gender=lambda d: d["gender"].cat.remove_unused_categories()
    )
    record(
        "compare_groups saatavuus ~ gender (Mann-Whitney U, 2 groups)",
        lambda: compare_groups(two, "saatavuus", "gender"),
        lambda r: {"test": r.test, "n": r.n},
    )
    scales = list(inst.area_items())
    record(
        f"compare_groups_table {len(scales)} scales ~ service (Holm), time per comparison",
        lambda: compare_groups_table(df, scales, "service"),
        lambda t: {"rows": len(t)},
    )
    key = f"compare_groups_table {len(scales)} scales ~ service (Holm), time per comparison"
    res[key]["result"]["total_seconds"] = round(res[key]["seconds"], 3)
    res[key]["seconds"] /= len(scales)
    # Borich bootstrap: a region pooling years of competence surveys (10 000 respondents, 12 item pairs).
    rng = np.random.default_rng(1)
    n, k = 10_000, 12
    theta = rng.normal(0, 0.5, (n, 1))
    imp = np.clip(np.rint(4 + theta + rng.normal(0, 0.6, (n, k))), 1, 5)
    com = np.clip(np.rint(3 + theta + rng.normal(0, 0.7, (n, k))), 1, 5)
    comp = pd.DataFrame(
        np.hstack([imp, com]), columns=[f"I{j}" for j in range(k)] + [f"C{j}" for j in range(k)]
    )
    pairs = {f"item{j}": (f"I{j}", f"C{j}") for j in range(k)}
    record(
        "borich_needs bootstrap (10 000 x 12 pairs, 2 000 replicates)",
        lambda: borich_needs(comp, pairs, n_boot=2000, seed=0),
        lambda t: {"items": len(t)},
    )
    return res


def work_profile(path: str) -> dict[str, Any]:
    """cProfile of the import pipeline: the top entries by own time and by cumulative time."""
    import sosrake_lib.cleaning
    import sosrake_lib.io
    import sosrake_lib.scoring  # noqa: F401  (imported before profiling: only the work is profiled)

    prof = cProfile.Profile()
    prof.enable()
    _, _, times = _pipeline(path)
    prof.disable()
    out: dict[str, Any] = {"seconds_under_profiler": times["seconds"]}
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(18)
        lines = buf.getvalue().splitlines()
        start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
        out[key] = "\n".join(lines[start:]).rstrip()
    return out


WORKERS = {"pandas": work_pandas, "pipeline": work_pipeline, "profile": work_profile}


def run_worker(task: str, path: Path, *, in_process: bool = False) -> dict[str, Any]:
    """Run one measurement in a fresh Python process (or here, for the smoke test) and return its JSON."""
    if in_process:
        return WORKERS[task](str(path))
    res = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", task, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if res.returncode != 0:
        raise RuntimeError(f"worker {task} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ target 1


def _floor_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('semester: str = "sample"  # lukukausi / semester label')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("\n".join(f"import {m}" for m in FLOOR_LIBS))]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def _floor(tmp: Path, n: int, workers: int) -> float:
    """n Papermill runs of an imports-only notebook, ``workers`` at a time (the runner's parallelism)."""
    import papermill as pm

    from sosrake_lib.paths import PROJECT_ROOT
    from sosrake_lib.runner import _kernel_name

    kernel = _kernel_name()
    src = tmp / "floor.ipynb"
    _floor_notebook(src)

    def one(i: int) -> None:
        pm.execute_notebook(
            str(src),
            str(tmp / f"floor_out_{i}.ipynb"),
            parameters={"semester": "sample"},
            kernel_name=kernel,
            cwd=str(PROJECT_ROOT),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
        )

    t = time.perf_counter()
    if workers <= 1:
        for i in range(n):
            one(i)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, range(n)))
    return time.perf_counter() - t


def _semester_run(out: Path) -> tuple[float, dict[str, float], int, int]:
    """``run_semester("all")`` on the sample with its phases timed (wall time of the whole run returned)."""
    from sosrake_lib import infographic, runner, text
    from sosrake_lib.paths import SAMPLE_DIR

    phases: dict[str, float] = {}
    originals = {
        name: getattr(runner, name) for name in ("plan_analyses", "execute_notebook", "export_html")
    }
    originals["make_infographic"] = infographic.make_infographic
    originals["prepare_lemma_cache"] = text.prepare_lemma_cache
    owner = {"make_infographic": infographic, "prepare_lemma_cache": text}

    def wrap(name: str) -> Any:
        def timed(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return originals[name](*a, **k)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t

        return timed

    for name in originals:
        setattr(owner.get(name, runner), name, wrap(name))
    try:
        t = time.perf_counter()
        folders = runner.run_semester(
            "all", semester="sample", raw=SAMPLE_DIR, out=out, progress=False
        )
        wall = time.perf_counter() - t
    finally:
        for name, fn in originals.items():
            setattr(owner.get(name, runner), name, fn)
    return wall, phases, len(folders), runner.default_workers(len(folders))


def _slowest_cells(folders: list[Path], top: int = 8) -> list[dict[str, Any]]:
    import nbformat

    cells = []
    for folder in folders:
        nb = nbformat.read(folder / "notebook.ipynb", as_version=4)
        for i, c in enumerate(nb.cells):
            dur = c.get("metadata", {}).get("papermill", {}).get("duration")
            if c.get("cell_type") == "code" and dur is not None:
                first = next(
                    (
                        ln.strip()
                        for ln in c.source.splitlines()
                        if ln.strip() and not ln.lstrip().startswith("#")
                    ),
                    "",
                )
                cells.append(
                    {
                        "notebook": folder.name,
                        "cell": i,
                        "seconds": round(float(dur), 2),
                        "code": first[:70],
                    }
                )
    return sorted(cells, key=lambda d: -d["seconds"])[:top]


def _notebook_seconds(folders: list[Path]) -> dict[str, float]:
    """Sum of Papermill's cell durations per notebook (kernel start not included)."""
    import nbformat

    out = {}
    for folder in folders:
        nb = nbformat.read(folder / "notebook.ipynb", as_version=4)
        out[folder.name] = round(
            sum(
                float(c.get("metadata", {}).get("papermill", {}).get("duration") or 0)
                for c in nb.cells
                if c.get("cell_type") == "code"
            ),
            2,
        )
    return out


def target1(tmp: Path) -> dict[str, Any]:
    from sosrake_lib.text import _cache_file

    out = tmp / "semester_out"
    lemma_cache_warm = _cache_file().is_file()  # built once per machine (text.prepare_lemma_cache)
    load_before = os.getloadavg()
    wall, phases, n, workers = _semester_run(out)
    folders = sorted(p for p in (out / "sample").iterdir() if p.is_dir())
    floor = _floor(tmp, n, workers)
    ratio = wall / floor
    return {
        "semester_seconds": wall,
        "floor_seconds": floor,
        "ratio": ratio,
        "notebooks": n,
        "workers": workers,
        "phases_summed_over_threads": phases,
        "notebook_cell_seconds": _notebook_seconds(folders),
        "slowest_cells": _slowest_cells(folders),
        "lemma_cache_warm": lemma_cache_warm,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pass": ratio <= LIMITS["semester_ratio"],
    }


# ------------------------------------------------------------------------------------------------ targets 2, 3


def target2_3(
    tmp: Path, rows: int, small_rows: int, *, in_process: bool, repeats: int, profile_rows: int
) -> dict[str, Any]:
    big = gen.make_export(tmp / f"interviews_{rows}.csv", rows)
    small = gen.make_export(tmp / f"interviews_{small_rows}.csv", small_rows)
    pandas_big = min(
        (run_worker("pandas", big, in_process=in_process) for _ in range(repeats)),
        key=lambda r: r["seconds"],
    )
    pipe_big = run_worker("pipeline", big, in_process=in_process)
    pipe_small = min(
        (run_worker("pipeline", small, in_process=in_process) for _ in range(repeats)),
        key=lambda r: r["seconds"],
    )
    prof_path = (
        small if profile_rows == small_rows else gen.make_export(tmp / "profile.csv", profile_rows)
    )
    prof = run_worker("profile", prof_path, in_process=in_process)
    ratio = pipe_big["seconds"] / pandas_big["seconds"]
    growth = pipe_big["seconds"] / pipe_small["seconds"]
    peak_gib = pipe_big["peak_mib"] / 1024
    t2 = {
        "rows": rows,
        "small_rows": small_rows,
        "file_mib": big.stat().st_size / 2**20,
        "pandas_read_csv": pandas_big,
        "pipeline": {k: v for k, v in pipe_big.items() if k != "stats"},
        "pipeline_small": {k: v for k, v in pipe_small.items() if k != "stats"},
        "ratio": ratio,
        "growth": growth,
        "peak_gib": peak_gib,
        "pass_ratio": ratio <= LIMITS["import_ratio"],
        "pass_peak": peak_gib <= LIMITS["import_peak_gib"],
        "pass_growth": growth <= LIMITS["import_growth"],
        "profile_rows": profile_rows,
        "profile": prof,
    }
    t2["pass"] = t2["pass_ratio"] and t2["pass_peak"] and t2["pass_growth"]
    stats = pipe_big["stats"]
    t3 = {
        "rows": pipe_big["kept"],
        "stats": stats,
        "pass": all(s["seconds"] <= LIMITS["stat_seconds"] for s in stats.values()),
    }
    return {"target2": t2, "target3": t3}


# ------------------------------------------------------------------------------------------------ report


def machine() -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 2**20:.1f} GiB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def summary_lines(res: dict[str, Any]) -> list[str]:
    lines = []
    if "target1" in res:
        t = res["target1"]
        lines.append(
            f"Target 1  semester run (sosrake run all, {t['notebooks']} notebooks, {t['workers']} at a time): "
            f"{t['semester_seconds']:.1f} s vs floor {t['floor_seconds']:.1f} s = {t['ratio']:.2f} x "
            f"(limit {LIMITS['semester_ratio']} x)  {verdict(t['pass'])}"
        )
    if "target2" in res:
        t = res["target2"]
        lines.append(
            f"Target 2  import {t['rows']:,} rows: {t['pipeline']['seconds']:.2f} s vs pandas.read_csv "
            f"{t['pandas_read_csv']['seconds']:.2f} s = {t['ratio']:.2f} x (limit {LIMITS['import_ratio']} x)"
            f"  {verdict(t['pass_ratio'])}"
        )
        lines.append(
            f"Target 2  peak memory: {t['peak_gib']:.2f} GiB (limit {LIMITS['import_peak_gib']} GiB)  "
            f"{verdict(t['pass_peak'])}"
        )
        lines.append(
            f"Target 2  growth {t['small_rows']:,} -> {t['rows']:,} rows: {t['growth']:.2f} x "
            f"(limit {LIMITS['import_growth']} x)  {verdict(t['pass_growth'])}"
        )
    if "target3" in res:
        t = res["target3"]
        worst = max(t["stats"].items(), key=lambda kv: kv[1]["seconds"])
        lines.append(
            f"Target 3  statistics on {t['rows']:,} rows: slowest {worst[0]} {worst[1]['seconds']:.2f} s "
            f"(limit {LIMITS['stat_seconds']} s each)  {verdict(t['pass'])}"
        )
    return lines


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    out = [
        "# Benchmark results",
        "",
        f"Measured {res['date']} with `{res['command']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM; {m['os']}; Python {m['python']}, "
        f"pandas {m['pandas']}, numpy {m['numpy']}.",
        "",
        "```",
        *summary_lines(res),
        "```",
        "",
    ]
    if "target1" in res:
        t = res["target1"]
        out += [
            "## Target 1: semester run",
            "",
            "| phase (summed over the parallel analyses) | seconds |",
            "|---|---:|",
            *[f"| {k} | {v:.1f} |" for k, v in t["phases_summed_over_threads"].items()],
            "",
            "Notebook cells summed (s): "
            + ", ".join(f"{k} {v:.1f}" for k, v in t.get("notebook_cell_seconds", {}).items())
            + ". "
            f"Lemma cache {'warm' if t.get('lemma_cache_warm') else 'cold (built during the run)'}; "
            f"load average (1, 5, 15 min) before {t.get('load_average_before')}, "
            f"after the floor {t.get('load_average_after')}.",
            "",
            "Slowest notebook cells (Papermill's cell durations):",
            "",
            "| notebook | cell | seconds | code |",
            "|---|---:|---:|---|",
            *[
                f"| {c['notebook']} | {c['cell']} | {c['seconds']} | `{c['code']}` |"
                for c in t["slowest_cells"]
            ],
            "",
        ]
    if "target2" in res:
        t = res["target2"]
        p, s = t["pipeline"], t["pipeline_small"]
        out += [
            "## Target 2: import at scale",
            "",
            f"Export: {t['rows']:,} interview rows, {t['file_mib']:.0f} MiB CSV (UTF-8 with BOM, comma, two "
            f"metadata rows, Finnish label text, 10 Likert items + NPS + 4 categories + 3 open answers).",
            "",
            f"| step | {t['small_rows']:,} rows (s) | {t['rows']:,} rows (s) |",
            "|---|---:|---:|",
            *[
                f"| {k} | {s[k]:.2f} | {p[k]:.2f} |"
                for k in ("read_export", "clean_responses", "scale_scores", "seconds")
            ],
            f"| plain pandas.read_csv | | {t['pandas_read_csv']['seconds']:.2f} |",
            "",
            f"Peak memory (worker's ru_maxrss): pipeline {p['peak_mib']:.0f} MiB, plain read_csv "
            f"{t['pandas_read_csv']['peak_mib']:.0f} MiB. Rows: {p['raw_rows']:,} raw, {p['kept']:,} kept, "
            f"dropped {p['dropped']}.",
            "",
            f"Profile of the pipeline on {t['profile_rows']:,} rows (cProfile, "
            f"{t['profile']['seconds_under_profiler']:.1f} s under the profiler), top by own time:",
            "",
            "```",
            t["profile"]["tottime"],
            "```",
            "",
            "Top by cumulative time:",
            "",
            "```",
            t["profile"]["cumulative"],
            "```",
            "",
        ]
    if "target3" in res:
        t = res["target3"]
        out += [
            "## Target 3: statistics at scale",
            "",
            "| statistic | seconds | result |",
            "|---|---:|---|",
            *[
                f"| {k} | {v['seconds']:.3f} | {json.dumps(v['result'], ensure_ascii=False)} |"
                for k, v in t["stats"].items()
            ],
            "",
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--targets", default="1,2,3", help="comma-separated targets to run (default 1,2,3)"
    )
    ap.add_argument(
        "--rows", type=int, default=1_000_000, help="rows of the big export (default 1 000 000)"
    )
    ap.add_argument(
        "--small-rows", type=int, default=100_000, help="rows of the small export (default 100 000)"
    )
    ap.add_argument(
        "--profile-rows", type=int, default=None, help="rows profiled with cProfile (default small)"
    )
    ap.add_argument(
        "--repeats", type=int, default=3, help="repeats of the short measurements (best kept)"
    )
    ap.add_argument(
        "--quick", action="store_true", help="tiny sizes, targets 2 and 3, one repeat (smoke test)"
    )
    ap.add_argument(
        "--in-process", action="store_true", help="measure in this process (smoke test only)"
    )
    ap.add_argument(
        "--out", type=Path, default=HERE, help="folder for results.md/.json (default benchmarks/)"
    )
    ap.add_argument("--worker", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker[0]](args.worker[1]), default=str))
        return {}
    if args.quick:
        args.rows, args.small_rows, args.repeats = (
            min(args.rows, 3000),
            min(args.small_rows, 300),
            1,
        )
        if args.targets == "1,2,3":
            args.targets = "2,3"
    targets = {int(t) for t in args.targets.split(",") if t.strip()}
    res: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "command": "python benchmarks/run.py"
        + ("" if argv is None and len(sys.argv) == 1 else " " + " ".join(argv or sys.argv[1:])),
        "limits": LIMITS,
    }
    tmp = Path(tempfile.mkdtemp(prefix="sosrake_bench_"))
    try:
        if targets & {2, 3}:
            res.update(
                target2_3(
                    tmp,
                    args.rows,
                    args.small_rows,
                    in_process=args.in_process,
                    repeats=args.repeats,
                    profile_rows=args.profile_rows or args.small_rows,
                )
            )
            if 2 not in targets:
                res.pop("target2")
            if 3 not in targets:
                res.pop("target3")
        if 1 in targets:
            res["target1"] = target1(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for line in summary_lines(res):
        print(line)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps(res, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    (args.out / "results.md").write_text(markdown(res) + "\n", encoding="utf-8")
    return res


if __name__ == "__main__":
    main()
