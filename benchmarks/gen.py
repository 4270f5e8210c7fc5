"""Fast generator of a national-size interview export for the benchmarks (see README.md).

``sosrake_lib.synthetic.interviews_frame`` composes the open answers in a Python loop per row; for a million rows
we generate a smaller base frame once and draw rows from it: the structured block (dates, categories, Likert
items, NPS: one column group, so the items stay correlated and alpha is realistic) by row, each open-answer column
and the interviewer independently, with fresh ids. A few label cells get odd case and stray spaces, as in the
shipped sample. The CSV is written as ``synthetic._write_csv`` writes it (metadata rows, header, label text,
CRLF, minimal quoting), but with pandas' C writer for speed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from sosrake_lib.codebook import load_instrument
from sosrake_lib.synthetic import MARKER, interviews_frame

SEMESTER = "2022-syksy"
SEP = ","
ENCODING = "utf-8-sig"
META = [f"Asiakaskokemushaastattelut {SEMESTER}", MARKER]
N_META = len(META)


def interviews_big(n: int, seed: int = 0, base_rows: int = 50_000) -> pd.DataFrame:
    """``n`` interview rows (label text, Forms layout) drawn from a base frame of ``base_rows``."""
    inst = load_instrument("interviews")
    base_n = min(base_rows, max(n, 50))
    base = interviews_frame(base_n, SEMESTER, seed=2022 + seed, n_students=max(1, base_n // 25))
    rng = np.random.default_rng(seed)
    text_cols = [inst.item(i).text_fi for i in ("open_good", "open_change", "open_missing")]
    person_cols = ["Sähköposti", "Nimi"]
    block = [c for c in base.columns if c not in (*text_cols, *person_cols, "ID")]
    rows = rng.integers(0, base_n, n)
    cols: dict[str, np.ndarray] = {"ID": np.arange(1, n + 1).astype(str)}
    for c in block:
        cols[c] = base[c].to_numpy(dtype=object)[rows]
    who = rng.integers(0, base_n, n)
    for c in person_cols:
        cols[c] = base[c].to_numpy(dtype=object)[who]
    for c in text_cols:
        cols[c] = base[c].to_numpy(dtype=object)[rng.integers(0, base_n, n)]
    for c in [it.text_fi for it in inst.likert_items()][:4]:  # messiness, vectorised
        v = cols[c]
        hit = rng.random(n) < 0.03
        kind = rng.integers(0, 3, n)
        s = pd.Series(v[hit], dtype=object)
        variants = np.select(
            [kind[hit] == 0, kind[hit] == 1], ["  " + s + " ", s.str.upper()], s.str.lower() + " "
        )
        v = v.copy()
        v[hit] = variants
        cols[c] = v
    return pd.DataFrame(cols)[list(base.columns)]


def write_export(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` like ``synthetic._write_csv`` does (metadata rows, header, CRLF, minimal quoting)."""
    path = Path(path)
    with open(path, "w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh, delimiter=SEP, lineterminator="\r\n")
        for m in META:
            writer.writerow([m])
        writer.writerow(df.columns)
        df.to_csv(
            fh, sep=SEP, header=False, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )
    return path


def make_export(path: str | Path, n: int, seed: int = 0) -> Path:
    """Generate and write an ``n``-row interview export; return its path."""
    return write_export(interviews_big(n, seed=seed), path)
