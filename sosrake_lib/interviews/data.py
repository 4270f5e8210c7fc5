"""Read and clean the semester exports of the interviews and stack them (step 1)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..cleaning import clean_responses
from ..codebook import Instrument, load_instrument
from ..io import read_export
from ..paths import PROJECT_ROOT
from .common import _inst, semester_order


# --------------------------------------------------------------------------------------- 1. the interviews
def load_exports(
    exports: Mapping[str, str | Path],
    *,
    instrument: Instrument | str | None = None,
    key: str | bytes | None = None,
    root: str | Path = PROJECT_ROOT,
    overlay: str | Path | None = None,
) -> pd.DataFrame:
    """Read and clean each semester's export and stack them with a ``semester`` column.

    Parameters
    ----------
    exports : mapping of semester label -> path
        E.g. ``{"2021-syksy": "data/raw/sample/interviews_2021-syksy.csv"}``. Relative paths are resolved
        against ``root`` (the project root), so a notebook runs from any working directory.
    instrument : Instrument or str, optional
        Default: the ``interviews`` codebook.
    key : str or bytes, optional
        Pseudonymisation key for :func:`~sosrake_lib.cleaning.clean_responses` (default: configured key; the
        demo key only for the synthetic sample).
    overlay : str or Path, optional
        A codebook overlay with header aliases (``sosrake map``); ``""`` or ``None``: none.

    Returns
    -------
    DataFrame
        Cleaned rows of every export; ``semester`` is an ordered categorical in :func:`semester_order`.
        ``attrs["cleaning_logs"]`` maps each semester to its file's summary (source_file, raw_rows, kept,
        dropped) without the per-row list.

    Examples
    --------
    >>> df = load_exports({"2022-syksy": "data/raw/sample/interviews_2022-syksy.csv"})
    >>> len(df), df["semester"].unique().tolist(), df.attrs["cleaning_logs"]["2022-syksy"]["raw_rows"]
    (86, ['2022-syksy'], 89)
    """
    if not exports:
        raise ValueError("give at least one export: {semester label: path}")
    inst = (
        _inst(instrument)
        if not overlay
        else load_instrument(
            instrument.name if isinstance(instrument, Instrument) else (instrument or "interviews"),
            overlay=overlay,
        )
    )
    order = semester_order(list(exports))
    frames, logs = [], {}
    for sem in order:
        path = Path(exports[sem])
        if not path.is_absolute():
            path = Path(root) / path
        cleaned = clean_responses(read_export(path, inst), inst, key=key)
        log = cleaned.attrs["cleaning_log"]
        logs[sem] = {
            "source_file": log["source_file"],
            "raw_rows": log["raw_rows"],
            "kept": log["kept"],
            "dropped": dict(log["dropped"]),
            "dropped_by_rule": dict(log.get("dropped_by_rule", {})),
            "notices": list(log.get("notices", [])),
            "semester_from_dates": str(cleaned.attrs.get("semester", "")) or None,
        }
        part = cleaned.drop(columns=["_row"], errors="ignore")
        part.attrs = {}
        frames.append(part.assign(semester=sem))
    df = pd.concat(frames, ignore_index=True)
    df["semester"] = pd.Categorical(df["semester"], categories=order, ordered=True)
    df.attrs["cleaning_logs"] = logs
    return df
