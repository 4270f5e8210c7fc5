"""Publishing plumbing of the course tables: column and table labels, the suppression summary, the
publish step, the cleaning log and what the notebook displays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..cleaning import write_cleaning_summary
from ..fmt import Lang
from ..labels import for_analysis
from ..settings import MIN_N

#: Readable column names of the published tables (machine name -> fi / en).
#: Published headers of this module's columns (``sosrake_lib/labels_data/course.yaml``).
COLUMN_LABELS: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("course").columns.items()
}

#: File and sheet names of the published tables (key -> fi / en).
TABLE_NAMES: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("course").tables.items()
}


def write_cleaning_log(
    logs: Mapping[str, Mapping[str, Any]], out_dir: str | Path, *, semester: str = ""
) -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`, keyed by the file's role:
    enrolment, pre, post, feedback, baseline)."""
    return write_cleaning_summary(logs, out_dir, semester=semester)


def localise(table: pd.DataFrame, lang: Lang = "fi", *, drop: Sequence[str] = ()) -> pd.DataFrame:
    """The table with readable column names in ``lang`` (:data:`COLUMN_LABELS`); ``drop`` removes columns.

    Examples
    --------
    >>> list(localise(pd.DataFrame({"step_label": ["x"], "n": [1], "pct": [5.0]}), "en").columns)
    ['Step', 'n', '% of enrolled']
    """
    from ..publish import label_table

    return label_table("course", table, lang, drop=drop)


# ------------------------------------------------------------------------------------------------ publishing
def suppression_summary(
    tables: Mapping[str, pd.DataFrame], *, min_n: int, lang: Lang = "fi"
) -> pd.DataFrame:
    """:func:`sosrake_lib.publish.suppression_summary` of the course tables (the older name).

    Examples
    --------
    >>> t = pd.DataFrame({"n": [1]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_summary({"funnel": t}, min_n=5, lang="en").iloc[:, :3].values.tolist()
    [['completion_funnel', 2, 5]]
    """
    from ..publish import suppression_summary as summary
    from ..settings import Settings

    return summary("course", tables, Settings(min_n=min_n, lang=lang))


#: Machine-code columns the course tables leave out (their readable label columns stay).
CODE_COLUMNS = (
    "area",
    "part",
    "item",
    "question",
    "theme",
    "term",
    "step",
    "status",
    "subset",
    "file",
)


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    drop: Sequence[str] = CODE_COLUMNS,
) -> list[Path]:
    """The tables plus a table of how many cells each one had suppressed, written by
    :func:`sosrake_lib.publish.publish_tables` (names and columns in ``lang``; ``drop`` left out)."""
    from ..publish import publish_tables as publish
    from ..settings import Settings

    named = {**tables, "suppression": suppression_summary(tables, min_n=min_n, lang=lang)}
    return publish("course", named, out_dir, Settings(min_n=min_n, lang=lang), drop=drop)


# ------------------------------------------------------------------------------------------------- display
#: Readable names of the course's input files (``values: file:`` of ``labels_data/course.yaml``).
_FILE_LABELS = {k: (v["fi"], v["en"]) for k, v in for_analysis("course").values["file"].items()}

#: What the notebook shows of each table for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``, from ``display:`` in
#: ``sosrake_lib/labels_data/course.yaml``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = dict(for_analysis("course").display)


def display_ready(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """A copy of ``table`` with the readable columns :data:`DISPLAY` names (the data set of a cleaning row).

    Examples
    --------
    >>> display_ready(pd.DataFrame({"file": ["pre"]}), "en")["file_label"].tolist()
    ['Pre-course survey']
    """
    from ..publish import display_ready as ready

    return ready("course", table, lang)
