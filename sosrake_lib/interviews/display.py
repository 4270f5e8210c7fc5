"""Labels and display of the interviews tables: readable names, suppression summary, cleaning log."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .. import publish
from ..cleaning import write_cleaning_summary
from ..fmt import Lang
from ..labels import for_analysis
from ..settings import MIN_N, Settings


def write_cleaning_log(df: pd.DataFrame, out_dir: str | Path, *, semester: str = "") -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`), one entry per semester's
    export, without the per-row list."""
    return write_cleaning_summary(df.attrs.get("cleaning_logs", {}), out_dir, semester=semester)


# ------------------------------------------------------------------------------------- readable tables
#: Published headers (fi, en) of this module's columns (``sosrake_lib/labels_data/interviews.yaml``).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    k: (v["fi"], v["en"]) for k, v in for_analysis("interviews").columns.items()
}


def readable(df: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """Rename known columns to readable labels in ``lang`` (for the notebook and the .xlsx sheets).

    >>> list(readable(pd.DataFrame(columns=["semester", "top2_pct"]), "en").columns)
    ['Semester', 'Agree %']
    """
    from ..publish import label_table

    return label_table("interviews", df, lang)


def suppression_summary(
    tables: Mapping[str, pd.DataFrame], min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """:func:`sosrake_lib.publish.suppression_summary` of the interviews tables (the older name).

    >>> t = pd.DataFrame({"n": [1]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_summary({"a": t, "b": pd.DataFrame()})["suppressed_cells"].tolist()
    [2, 0]
    """
    return publish.suppression_summary("interviews", tables, Settings(min_n=min_n, lang=lang))


# ------------------------------------------------------------------------------------------------- display
#: What the notebook shows of each table for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``, from ``display:`` in
#: ``sosrake_lib/labels_data/interviews.yaml``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = dict(for_analysis("interviews").display)

#: Readable names of the notebook's tables (``titles:`` of the labels file; the suppression summary names them).
TABLE_TITLES: dict[str, tuple[str, str]] = {
    k: (v["fi"], v["en"]) for k, v in for_analysis("interviews").titles.items()
}


def display_ready(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """A copy of ``table`` with the readable columns :data:`DISPLAY` names (question and table names).

    Examples
    --------
    >>> display_ready(pd.DataFrame({"table": ["trend"], "question": ["open_good"]}), "en").iloc[0].tolist()[2:]
    ['Trend tests', 'What was good in the service?']
    """
    out = publish.display_ready("interviews", table, lang)
    if "semester" in out.columns:
        out["semester"] = out["semester"].astype("string")
    return out


def cleaning_frame(logs: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """The cleaning logs of the exports (``df.attrs["cleaning_logs"]``) as one row per semester, for display.

    Examples
    --------
    >>> cleaning_frame({"2021-syksy": {"source_file": "a.csv", "raw_rows": 83, "kept": 80,
    ...                                "dropped": {"empty": 1, "test": 1, "duplicate": 1}}}).iloc[0].astype(str).tolist()
    ['2021-syksy', 'a.csv', '83', '80', '1', '1', '1']
    """
    return pd.DataFrame(
        [
            {
                "semester": s,
                "source_file": log.get("source_file", ""),
                "raw_rows": log.get("raw_rows"),
                "kept": log.get("kept"),
                **{
                    f"dropped_{k}": (log.get("dropped") or {}).get(k, 0)
                    for k in ("empty", "test", "duplicate")
                },
            }
            for s, log in logs.items()
        ]
    )
