"""Input of the competence analysis: read and clean an export, and the cleaning summary of the
result."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..cleaning import SUMMARY_KEYS, clean_responses
from ..codebook import Instrument
from ..io import read_export


def load_responses(path: str | os.PathLike[str], inst: Instrument | None = None) -> pd.DataFrame:
    """Read and clean a competence-mapping export (:func:`~sosrake_lib.io.read_export` then
    :func:`~sosrake_lib.cleaning.clean_responses`). A relative ``path`` is resolved against the project root.
    Without ``inst`` the codebook version that fits the export is used (:func:`~sosrake_lib.editions.pick_edition`).

    Examples
    --------
    >>> df = load_responses("data/raw/sample/competence_2020.xlsx")
    >>> len(df), cleaning_summary(df)["raw_rows"]
    (118, 121)
    """
    from ..paths import PROJECT_ROOT

    p = Path(path)
    if not p.is_absolute():
        p = PROJECT_ROOT / p
    if inst is None:
        from ..editions import pick_edition

        inst = pick_edition(p, "competence")
    return clean_responses(read_export(p, inst), inst)


def cleaning_summary(df: pd.DataFrame) -> dict[str, Any]:
    """The cleaning log of a cleaned frame without its per-row list: source file, raw rows, kept, dropped.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [1]})
    >>> d.attrs["cleaning_log"] = {"source_file": "a.xlsx", "raw_rows": 3, "kept": 1,
    ...                            "dropped": {"empty": 1, "test": 1, "duplicate": 0}, "rows": [{"row": 1}]}
    >>> cleaning_summary(d)
    {'source_file': 'a.xlsx', 'raw_rows': 3, 'kept': 1, 'dropped': {'empty': 1, 'test': 1, 'duplicate': 0}}
    """
    log = df.attrs.get("cleaning_log")
    if not log:
        raise ValueError(
            "the frame has no attrs['cleaning_log']; pass the output of clean_responses"
        )
    return {k: log[k] for k in SUMMARY_KEYS if k in log}
