"""Smoke test of benchmarks/run.py: tiny sizes, correctness only (timings are for `make bench`, never asserted)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from sosrake_lib import load_instrument, read_export
from sosrake_lib.synthetic import interviews_frame

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("run")


def test_generator_writes_a_readable_export_with_fresh_ids(tmp_path):
    gen = _load("gen")
    df = gen.interviews_big(1500, seed=3, base_rows=200)
    assert len(df) == 1500
    assert list(df.columns) == list(interviews_frame(50, gen.SEMESTER, seed=1).columns)
    assert df["ID"].is_unique
    path = gen.write_export(df, tmp_path / "big.csv")
    raw = read_export(path, load_instrument("interviews"))
    assert len(raw) == 1500
    assert raw.attrs["synthetic"] and raw.attrs["semester"] == gen.SEMESTER
    # messy labels ("  Täysin samaa mieltä ", upper case) map to the same codes as clean ones
    assert raw["SA1"].dropna().isin([1.0, 2.0, 3.0, 4.0, 5.0]).all()
    assert raw["SA1"].notna().mean() > 0.9
    # the plain pandas floor reads the same rows
    floor = pd.read_csv(path, skiprows=gen.N_META, sep=gen.SEP, encoding=gen.ENCODING)
    assert len(floor) == 1500 and floor.shape[1] == df.shape[1]


def test_quick_run_reports_every_target(bench, tmp_path, capsys):
    res = bench.main(
        ["--quick", "--in-process", "--rows", "2000", "--small-rows", "400", "--out", str(tmp_path)]
    )
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith("Target")]
    assert [ln.split()[1] for ln in lines] == ["2", "2", "2", "3"]
    assert all(ln.rstrip().endswith(("PASS", "FAIL")) for ln in lines)

    t2 = res["target2"]
    pipe = t2["pipeline"]
    assert pipe["raw_rows"] == 2000
    assert pipe["kept"] + sum(pipe["dropped"].values()) == pipe["raw_rows"]
    assert pipe["scored_rows"] >= 0.9 * pipe["kept"]
    assert t2["pandas_read_csv"]["rows"] == 2000
    assert t2["ratio"] == pytest.approx(pipe["seconds"] / t2["pandas_read_csv"]["seconds"])
    assert t2["growth"] == pytest.approx(pipe["seconds"] / t2["pipeline_small"]["seconds"])
    assert t2["pass"] == (t2["pass_ratio"] and t2["pass_peak"] and t2["pass_growth"])
    assert "read_export" in t2["profile"]["cumulative"]

    stats = res["target3"]["stats"]
    alpha = stats["cronbach_alpha (10 items)"]["result"]
    assert 0.5 < alpha["alpha"] < 1 and alpha["n"] <= pipe["kept"]
    nps = stats["nps with CI"]["result"]
    assert nps["ci"][0] <= nps["nps"] <= nps["ci"][1]
    assert (
        stats["compare_groups saatavuus ~ gender (Mann-Whitney U, 2 groups)"]["result"]["test"]
        == "Mann-Whitney U"
    )
    assert res["target3"]["pass"] == all(
        s["seconds"] <= bench.LIMITS["stat_seconds"] for s in stats.values()
    )

    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert saved["target2"]["rows"] == 2000
    md = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert all(line in md for line in lines)
