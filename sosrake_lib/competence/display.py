"""Publishing plumbing of the competence analysis: published headers (:func:`localise`), the
cleaning log, the Likert figure of an area, the suppression summary and what the notebook shows of
each table (:data:`DISPLAY`, :data:`TABLE_TITLES`, :func:`display_ready`, :func:`cleaning_frame`).
No statistics."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import publish
from ..cleaning import write_cleaning_summary
from ..codebook import Instrument
from ..fmt import Lang
from ..labels import for_analysis
from ..settings import MIN_N, Settings
from .items import likert_percentages
from .texts import TEXTS, _grouping_label, text


def localise(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """Rename this module's column names to readable Finnish (default) or English headers.

    Columns this module does not know keep their name (e.g. answer labels, which are already readable).

    Examples
    --------
    >>> t = pd.DataFrame({"area_label": ["Sosiaalinen raportointi"], "mean": [2.5], "n": [118]})
    >>> list(localise(t).columns), list(localise(t, "en").columns)
    (['Osaamisalue', 'Keskiarvo', 'n'], ['Competence area', 'Mean', 'n'])
    """
    from ..publish import label_table

    return label_table("competence", table, lang)


def write_cleaning_log(
    summaries: Sequence[Mapping[str, Any]], out_dir: str | os.PathLike[str], *, semester: str = ""
) -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`; the export is keyed
    ``"export"``, further files ``"export_2"``, ...)."""
    keys = ["export" if i == 0 else f"export_{i + 1}" for i in range(len(summaries))]
    return write_cleaning_summary(
        dict(zip(keys, summaries, strict=True)), out_dir, semester=semester
    )


def likert_area_figure(
    dist: pd.DataFrame, inst: Instrument, area: str, *, lang: Lang = "fi", min_n: int = MIN_N
) -> Any:
    """Diverging stacked bars of one area's items: competence above, importance below (or the attitude
    items alone), "En osaa sanoa" drawn apart (:func:`sosrake_lib.plots.likert_diverging`).

    Give it the published frame (:func:`suppress_answer_counts`): hidden answer counts are then not drawn,
    so the bars cannot be measured to recover them. Returns the matplotlib Figure (the caller saves and
    closes it).
    """
    from ..plots import likert_diverging, new_figure

    rows = dist[dist["area"] == area]
    parts = [r for r in ("competence", "importance", "attitude") if (rows["role"] == r).any()]
    heights = [1.2 + 0.55 * int((rows["role"] == r).sum()) for r in parts]
    fig, axes = new_figure(6.3, sum(heights) + 0.3, nrows=len(parts))
    axes = np.atleast_1d(axes)
    for ax, part in zip(axes, parts, strict=True):
        sub = rows[rows["role"] == part]
        table = likert_percentages(sub, inst, lang=lang)
        likert_diverging(
            table,
            nsa_col=table.columns[-1],
            ax=ax,
            lang=lang,
            label_width=34,
            min_n=min_n,
            title=f"{inst.area_label(area, lang)}: {text(part, lang).lower()}"
            if part != "attitude"
            else text(part, lang),
        )
    return fig


def suppression_report(
    tables: Mapping[str, pd.DataFrame], min_n: int, lang: Lang = "fi"
) -> pd.DataFrame:
    """:func:`sosrake_lib.publish.suppression_summary` of the competence tables (the older name).

    Examples
    --------
    >>> t = pd.DataFrame({"n": [3]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_report({"roles": t, "other": pd.DataFrame()}, 5).iloc[:, :3].values.tolist()
    [['roles', 2, 5], ['other', 0, 5]]
    """
    return publish.suppression_summary("competence", tables, Settings(min_n=min_n, lang=lang))


#: What the notebook shows of each table, for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``, from ``display:`` in
#: ``sosrake_lib/labels_data/competence.yaml``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = dict(for_analysis("competence").display)

#: Readable names of the notebook's tables (``titles:`` of the labels file; the suppression summary names them).
TABLE_TITLES: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("competence").titles.items()
}


def display_ready(
    table: pd.DataFrame, inst: Instrument | None = None, lang: Lang = "fi"
) -> pd.DataFrame:
    """Add the readable columns :data:`DISPLAY` names (part, grouping and table names) to a copy of ``table``.

    Examples
    --------
    >>> display_ready(pd.DataFrame({"role": ["importance"], "table": ["items"]}), lang="en").iloc[0].tolist()
    ['importance', 'items', 'Importance in own work', 'Statement distributions']
    """
    out = table.copy()
    if "role" in out.columns:
        out["role_label"] = [TEXTS[r][lang] if r in TEXTS else r for r in out["role"]]
    if "grouping" in out.columns and inst is not None and "grouping_label" not in out.columns:
        out["grouping_label"] = [_grouping_label(inst, g, lang) for g in out["grouping"]]
    return publish.display_ready("competence", out, lang)  # table -> table_label


def cleaning_frame(summaries: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The cleaning summaries (:func:`cleaning_summary`) as one row per file, for display.

    Examples
    --------
    >>> cleaning_frame([{"source_file": "x.csv", "raw_rows": 5, "kept": 4,
    ...                  "dropped": {"empty": 1, "test": 0, "duplicate": 0}}]).iloc[0].astype(str).tolist()
    ['x.csv', '5', '4', '1', '0', '0']
    """
    rows = [
        {
            "source_file": s.get("source_file", ""),
            "raw_rows": s.get("raw_rows"),
            "kept": s.get("kept"),
            **{
                f"dropped_{k}": (s.get("dropped") or {}).get(k, 0)
                for k in ("empty", "test", "duplicate")
            },
        }
        for s in summaries
    ]
    return pd.DataFrame(rows)
