"""Coverage of the two intervals of Cronbach's alpha: Feldt's F interval vs the BCa bootstrap.

Run from the project root (about 3-4 minutes on one core; not part of the test suite)::

    .venv/bin/python benchmarks/alpha_coverage.py              # 1000 replicates per situation
    .venv/bin/python benchmarks/alpha_coverage.py --reps 200   # quicker, rougher (Monte Carlo SE ~1.5 points)

Model: ``n`` respondents (default 118, the sample's size) answer ``k = 3`` items of one area. Each item is
one common factor plus independent normal noise (loadings chosen for a population alpha of about 0.7, like
the sample's competence areas, or about 0.3, like its importance areas), cut into five answer options.
Situations:

- ``complete``: symmetric cut points (about 7 % of answers in the top option), every answer given;
- ``missing 10 %``: the same answers with 10 % of them deleted at random (MCAR), alpha from pairwise
  covariances (as the workbench computes it);
- ``ceiling``: cut points shifted so that about 40 % of the answers are the top option, every answer given.

The true alpha of each situation is the alpha of 2 000 000 complete answers from the same model (the
population value of the coefficient the sample estimates). Each replicate draws a fresh data set and asks
whether each 95 % interval (:func:`sosrake_lib.scoring.cronbach_alpha` with ``ci_method="feldt"`` and
``"bca"``, 2000 resamples) contains the true value. Coverage is the share of replicates that do; its Monte
Carlo standard error is ``sqrt(c (1 - c) / reps)`` (about 0.7 points at 95 % and 1000 replicates).

Writes ``benchmarks/alpha_coverage.json`` (every number) and ``benchmarks/alpha_coverage.md`` (the table
quoted in README.md, "Reliability intervals"). Everything is seeded: the same command gives the same table.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sosrake_lib.scoring import ScoringWarning, cronbach_alpha

HERE = Path(__file__).resolve().parent
#: Loadings of the common factor (item noise has SD 1): standardised alpha of the continuous items
#: 3 r / (1 + 2 r) with r = l^2 / (l^2 + 1) is 0.70 for l = 0.882 and 0.30 for l = 0.378.
LOADINGS = {"alpha about 0.7": 0.882, "alpha about 0.3": 0.378}
#: Cut points on the standardised item score into options 1..5.
CUTS = {
    "symmetric": (-1.5, -0.5, 0.5, 1.5),
    "ceiling": (-2.0, -1.3, -0.6, 0.25),
}
SITUATIONS = {
    "complete": ("symmetric", 0.0),
    "missing 10 %": ("symmetric", 0.10),
    "ceiling": ("ceiling", 0.0),
}


def answers(
    rng: np.random.Generator, n: int, loading: float, cuts: tuple[float, ...]
) -> np.ndarray:
    """``n x 3`` answers 1..5 from the one-factor model, cut at ``cuts`` (standardised item scale)."""
    f = rng.standard_normal((n, 1))
    z = (loading * f + rng.standard_normal((n, 3))) / math.sqrt(loading**2 + 1)
    return 1.0 + np.searchsorted(np.asarray(cuts), z)


def true_alpha(loading: float, cuts: tuple[float, ...], seed: int) -> float:
    x = answers(np.random.default_rng(seed), 2_000_000, loading, cuts)
    return cronbach_alpha(pd.DataFrame(x)).alpha


def simulate(reps: int, n: int, n_resamples: int, seed: int) -> list[dict[str, object]]:
    rows = []
    for li, (level, loading) in enumerate(LOADINGS.items()):
        for si, (situation, (cut, missing)) in enumerate(SITUATIONS.items()):
            cuts = CUTS[cut]
            truth = true_alpha(loading, cuts, seed=10_000 + 10 * li + si)
            rng = np.random.default_rng([seed, li, si])
            hits = {"feldt": 0, "bca": 0}
            width = {"feldt": 0.0, "bca": 0.0}
            top = 0.0
            started = time.perf_counter()
            for r in range(reps):
                x = answers(rng, n, loading, cuts)
                if missing:
                    x[rng.random(x.shape) < missing] = np.nan
                top += float(np.nanmean(x == 5.0))
                frame = pd.DataFrame(x, columns=["a", "b", "c"])
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ScoringWarning)
                    for method in hits:
                        res = cronbach_alpha(
                            frame, ci_method=method, n_resamples=n_resamples, seed=r
                        )
                        hits[method] += bool(res.ci_low <= truth <= res.ci_high)
                        width[method] += (res.ci_high - res.ci_low) / reps
            cov = {m: hits[m] / reps for m in hits}
            row = {
                "level": level,
                "situation": situation,
                "true_alpha": round(truth, 4),
                "top_share": round(top / reps, 3),
                "feldt_coverage": cov["feldt"],
                "bca_coverage": cov["bca"],
                "feldt_width": round(width["feldt"], 4),
                "bca_width": round(width["bca"], 4),
                "mc_se": round(math.sqrt(0.95 * 0.05 / reps), 4),
                "seconds": round(time.perf_counter() - started, 1),
            }
            rows.append(row)
            print(
                f"{level:16s} {situation:13s} true {truth:.3f}  top {row['top_share']:.2f}  "
                f"Feldt {100 * cov['feldt']:5.1f} %  BCa {100 * cov['bca']:5.1f} %  "
                f"({row['seconds']} s)",
                flush=True,
            )
    return rows


def markdown(rows: list[dict[str, object]], args: argparse.Namespace) -> str:
    lines = [
        f"Coverage of nominal 95 % intervals of Cronbach's alpha: {args.reps} replicates per row, "
        f"n = {args.n} respondents, 3 items with 5 options, BCa with {args.resamples} resamples, seed "
        f"{args.seed} (`benchmarks/alpha_coverage.py`). Monte Carlo SE about "
        f"{100 * math.sqrt(0.95 * 0.05 / args.reps):.1f} points.",
        "",
        "| True alpha | Answers | Top option | Feldt coverage | BCa coverage | Feldt width | BCa width |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['true_alpha']:.2f} | {r['situation']} | {100 * r['top_share']:.0f} % | "
            f"{100 * r['feldt_coverage']:.1f} % | {100 * r['bca_coverage']:.1f} % | "
            f"{r['feldt_width']:.3f} | {r['bca_width']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=1000, help="replicates per situation (default 1000)")
    p.add_argument("--n", type=int, default=118, help="respondents per data set (default 118)")
    p.add_argument("--resamples", type=int, default=2000, help="BCa resamples (default 2000)")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--out", type=Path, default=HERE, help="folder of the results files")
    args = p.parse_args(argv)
    rows = simulate(args.reps, args.n, args.resamples, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    doc = {
        "reps": args.reps,
        "n": args.n,
        "resamples": args.resamples,
        "seed": args.seed,
        "rows": rows,
    }
    (args.out / "alpha_coverage.json").write_text(
        json.dumps(doc, indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "alpha_coverage.md").write_text(markdown(rows, args), encoding="utf-8")
    print(markdown(rows, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
