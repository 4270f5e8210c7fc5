"""The one way an analysis writes its tables: label them in the run's language and write CSV + .xlsx.

An analysis computes tables with machine column names, already protected by the rules of
:mod:`sosrake_lib.sdc`; :func:`publish_tables` gives every table its file name and headers from the analysis'
labels (:mod:`sosrake_lib.labels`, one YAML file per analysis), leaves out the code columns the analysis does
not publish, and writes them atomically and reproducibly (:func:`sosrake_lib.outputs.write_tables`).

Examples
--------
>>> import tempfile
>>> t = pd.DataFrame({"area_label": ["Sosiaalinen raportointi"], "mean": [2.5], "n": [118]})
>>> list(label_table("competence", t, "en").columns)
['Competence area', 'Mean', 'n']
>>> out = Path(tempfile.mkdtemp())
>>> [p.name for p in publish_tables("course", {"feedback_parts": t}, out, Settings(lang="fi"))][:2]
['palaute_osa_alueet.csv', 'tables.xlsx']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .errors import DisclosureError
from .labels import for_analysis
from .outputs import column_labels, write_tables
from .settings import Lang, Settings


def label_table(
    analysis: str,
    table: pd.DataFrame,
    lang: Lang,
    *,
    drop: Sequence[str] = (),
    readable: Sequence[str] = (),
) -> pd.DataFrame:
    """``table`` with the published headers of ``analysis`` in ``lang``; columns in ``drop`` left out.

    Columns without a label keep their name (answer labels are readable already). A labelled index
    (interviews per student: 1, 2, 3, 4+) gets its header too, as it becomes a column on writing. The code
    values of the columns in ``readable`` are published as their ``values:`` labels in ``lang`` (a Holm
    family's code becomes its sentence).

    >>> t = pd.DataFrame({"family": ["model_odds_ratios"], "p_holm": [0.5]})
    >>> label_table("course", t, "fi", readable=["family"]).iloc[0, 0]
    'Holm: mallin kaikki vetosuhteet (yksi perhe)'
    """
    labels = for_analysis(analysis)
    out = table.drop(columns=[c for c in drop if c in table.columns])
    for col in readable:
        if col in out.columns:
            out[col] = [labels.value(col, v, lang) for v in out[col]]
    present = {
        c: {"label_fi": v["fi"], "label_en": v["en"]}
        for c, v in labels.columns.items()
        if c in out.columns
    }
    out = column_labels(out, present, lang)
    if out.index.name in labels.columns:
        out = out.rename_axis(labels.header(out.index.name, lang))
    return out


#: Columns whose code values are published as their ``values:`` labels (a value without one stays as it is).
READABLE_VALUES = ("family",)

#: ``n_…`` columns that count something other than people.
NOT_PEOPLE = frozenset({"n_items", "n_groups", "n_boot", "n_terms"})


def display_ready(analysis: str, table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """A copy of ``table`` for people to read: each code column with labels gets a ``<column>_label``.

    ``table`` (the keys in a summary of tables) gets the table's readable name (``titles:`` of the labels
    file), and every column with ``values:`` labels gets them (``question`` -> ``question_label``), in the
    order of the table's columns. A label column already there is kept. Display only: the notebook shows it.

    >>> t = pd.DataFrame({"table": ["trend"], "question": ["open_good"]})
    >>> display_ready("interviews", t, "en").iloc[0].tolist()[2:]
    ['Trend tests', 'What was good in the service?']
    """
    labels = for_analysis(analysis)
    out = table.copy()
    for col in table.columns:
        if f"{col}_label" in out.columns:
            continue
        if col == "table":
            out["table_label"] = [labels.title(t, lang) for t in out["table"]]
        elif col in labels.values:
            out[f"{col}_label"] = [labels.value(col, v, lang) for v in out[col]]
    return out


def suppression_summary(
    analysis: str, tables: Mapping[str, pd.DataFrame], settings: Settings
) -> pd.DataFrame:
    """How many cells each table hid for small groups: one row per table, the same in every analysis.

    ``table`` is the table's published file name in the run's language, ``suppressed_cells`` the count the
    rules of :mod:`sosrake_lib.sdc` left in its ``attrs``, ``min_n`` the threshold and ``rule`` it in words.

    >>> t = pd.DataFrame({"n": [3]}); t.attrs["suppressed_cells"] = 2
    >>> s = suppression_summary("course", {"funnel": t, "x": pd.DataFrame()}, Settings(lang="en"))
    >>> s.drop(columns="rule").values.tolist(), s.loc[0, "rule"]
    ([['completion_funnel', 2, 5], ['x', 0, 5]], 'A cell describing 1–4 people is hidden; plus secondary suppression')
    """
    labels = for_analysis(analysis)
    lang, min_n = settings.lang, settings.min_n
    return pd.DataFrame(
        {
            "table": [labels.table_file(k, lang) for k in tables],
            "suppressed_cells": [int(t.attrs.get("suppressed_cells", 0)) for t in tables.values()],
            "min_n": [min_n] * len(tables),
            "rule": [labels.text("suppression_rule", lang).format(n=min_n - 1)] * len(tables),
        }
    )


def check_group_sizes(key: str, table: pd.DataFrame, min_n: int) -> None:
    """The last guard before writing: no ``n`` or ``n_…`` column (people) holds 1..min_n-1.

    The analyses hide small groups with :mod:`sosrake_lib.sdc`; a table that reaches publishing without that
    (a new table, a forgotten call) stops the run here, naming table, column and row, instead of being
    written.

    >>> check_group_sizes("t", pd.DataFrame({"n": [12, None], "n_items": [3, 3]}), 5)
    >>> check_group_sizes("t", pd.DataFrame({"group": ["a", "b"], "n": [12, 3]}), 5)
    Traceback (most recent call last):
    ...
    sosrake_lib.errors.DisclosureError: table 't', column 'n', row 2: 3 people is fewer than 5; hide it with sosrake_lib.sdc before publishing
    """
    for col in table.columns:
        if not (
            isinstance(col, str) and (col == "n" or col.startswith("n_")) and col not in NOT_PEOPLE
        ):
            continue
        values = pd.to_numeric(table[col], errors="coerce").to_numpy(
            dtype="float64", na_value=float("nan")
        )
        small = (values > 0) & (values < min_n)
        if small.any():
            row = int(small.argmax())
            raise DisclosureError(
                f"table {key!r}, column {col!r}, row {row + 1}: {values[row]:g} people is fewer "
                f"than {min_n}; hide it with sosrake_lib.sdc before publishing"
            )


def publish_tables(
    analysis: str,
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    settings: Settings,
    *,
    drop: Sequence[str] = (),
) -> list[Path]:
    """Write an analysis' tables under ``out_dir/tables/``: file names and headers in ``settings.lang``.

    Every table first passes :func:`check_group_sizes` (a forgotten suppression stops here). Code values of
    the columns in :data:`READABLE_VALUES` are published as their labels in the run's language. Returns the
    paths :func:`~sosrake_lib.outputs.write_tables` wrote (CSVs, the workbook, the README).
    """
    for key, table in tables.items():
        check_group_sizes(key, table, settings.min_n)
    labels = for_analysis(analysis)
    named = {
        labels.table_file(key, settings.lang): label_table(
            analysis, t, settings.lang, drop=drop, readable=READABLE_VALUES
        )
        for key, t in tables.items()
    }
    return write_tables(named, out_dir, lang=settings.lang)


__all__ = ["NOT_PEOPLE", "READABLE_VALUES", "check_group_sizes", "label_table", "publish_tables"]
