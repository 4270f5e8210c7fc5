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

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .errors import DisclosureError
from .labels import for_analysis
from .outputs import column_labels, write_tables
from .settings import Lang, Settings

if TYPE_CHECKING:
    from .workbook import Sheet


def label_table(
    analysis: str, table: pd.DataFrame, lang: Lang, *, drop: Sequence[str] = ()
) -> pd.DataFrame:
    """``table`` with the published headers of ``analysis`` in ``lang``; columns in ``drop`` left out.

    Columns without a label keep their name (answer labels are readable already). A labelled index
    (interviews per student: 1, 2, 3, 4+) gets its header too, as it becomes a column on writing.
    """
    labels = for_analysis(analysis)
    out = table.drop(columns=[c for c in drop if c in table.columns])
    present = {
        c: {"label_fi": v["fi"], "label_en": v["en"]}
        for c, v in labels.columns.items()
        if c in out.columns
    }
    out = column_labels(out, present, lang)
    if out.index.name in labels.columns:
        out = out.rename_axis(labels.header(out.index.name, lang))
    return out


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
    semester: str | None = None,
) -> list[Path]:
    """Write an analysis' tables under ``out_dir/tables/``: file names and headers in ``settings.lang``.

    Every table first passes :func:`check_group_sizes` (a forgotten suppression stops here). The CSV files
    are for machines; ``tables.xlsx`` is for people (:func:`workbook_sheets`: titles, source and notes, number
    formats, the hidden-cell word, a read-me sheet). ``semester`` (for the workbook's source lines) defaults
    to the one in the analysis' ``cleaning_log.json`` in ``out_dir``. Returns the paths
    :func:`~sosrake_lib.outputs.write_tables` wrote (CSVs, the workbook, the README).
    """
    for key, table in tables.items():
        check_group_sizes(key, table, settings.min_n)
    labels = for_analysis(analysis)
    named = {
        labels.table_file(key, settings.lang): label_table(analysis, t, settings.lang, drop=drop)
        for key, t in tables.items()
    }
    if semester is None:
        semester = _semester_of(Path(out_dir))
    sheets, readme = workbook_sheets(analysis, tables, settings, drop=drop, semester=semester)
    return write_tables(named, out_dir, lang=settings.lang, sheets=sheets, readme=readme)


# ------------------------------------------------------------------------------------------- the workbook


def _semester_of(out_dir: Path) -> str:
    """The semester the analysis wrote into its ``cleaning_log.json`` (written before its tables), or ``""``."""
    import json

    try:
        doc = json.loads((out_dir / "cleaning_log.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(doc.get("semester") or "") if isinstance(doc, dict) else ""


@functools.cache
def _workbook_spec(analysis: str) -> dict[str, Any]:
    """``workbook:`` of ``labels_data/<analysis>.yaml``: per table its view, dash columns, sheet name, note."""
    import yaml

    from .labels import LABELS_DIR

    doc = yaml.safe_load((LABELS_DIR / f"{analysis}.yaml").read_text(encoding="utf-8")) or {}
    return dict(doc.get("workbook") or {})


_WORKBOOK_TEXT = {
    "fi": {
        "readme": "Lue minut",
        "about": "{title}: julkaistut taulukot, lukukausi {semester}",
        "what": (
            "Tässä työkirjassa on analyysin julkaistut taulukot, yksi taulukko välilehdellään. Samat "
            "taulukot ovat koneluettavina CSV-tiedostoina samassa kansiossa (ks. README.txt)."
        ),
        "numbers": (
            "Luvut ovat soluissa lukuina täydellä tarkkuudella: niillä voi laskea. Ne näkyvät raportin "
            "tarkkuudella (esim. 45,8 %); osuudet ovat prosentteja asteikolla 0–100."
        ),
        "hidden": "Piilotetut solut: {note} Sääntö: {rule}.",
        "dash": "”–” = luku puuttuu muusta syystä (ei laskettavissa tai ei sovellu).",
        "run": (
            "Pienin julkaistava ryhmä: {min_n} henkilöä. Ajon päivämäärä, asetukset ja aineistot: "
            "manifest.json analyysin kansiossa (created_utc, parameters, inputs)."
        ),
        "sheets": ("Välilehti", "Sisältö"),
        "source": "Lähde: SOSRAKE-työpöytä, {title}, lukukausi {semester}.",
    },
    "en": {
        "readme": "Read me",
        "about": "{title}: published tables, semester {semester}",
        "what": (
            "This workbook holds the analysis' published tables, one table per sheet. The same tables are "
            "in the same folder as machine-readable CSV files (see README.txt)."
        ),
        "numbers": (
            "Numbers are stored as numbers at full precision, so they can be computed with; they show at "
            "the report's precision (e.g. 45.8%); shares are percentages on the 0–100 scale."
        ),
        "hidden": "Hidden cells: {note} Rule: {rule}.",
        "dash": "“–” = the value is missing for another reason (not estimable or not applicable).",
        "run": (
            "Smallest published group: {min_n} people. Date of the run, settings and data: manifest.json "
            "in the analysis folder (created_utc, parameters, inputs)."
        ),
        "sheets": ("Sheet", "Contents"),
        "source": "Source: SOSRAKE workbench, {title}, semester {semester}.",
    },
}


def _analysis_title(analysis: str, lang: Lang) -> str:
    from .registry import ANALYSES

    return ANALYSES[analysis].title(lang) if analysis in ANALYSES else analysis


def workbook_sheets(
    analysis: str,
    tables: Mapping[str, pd.DataFrame],
    settings: Settings,
    *,
    drop: Sequence[str] = (),
    semester: str = "",
) -> tuple[list[Sheet], list[list[str]]]:
    """The sheets of ``tables.xlsx`` for ``tables`` (keys and machine columns) and its read-me sheet.

    Each sheet is named after the table's title (``titles:``; ``workbook: <key>: sheet:`` where the title is
    longer than Excel's 31 characters), has the title and a source line (analysis, semester, what
    ``piilotettu`` means, the table's own ``note``), the published headers (``columns:``), and its cells
    from :func:`sosrake_lib.workbook.excel_cells`: number formats from the table's display ``view`` (as the
    report shows it), ``dash`` columns whose missing value is not a hidden cell, code values relabelled
    where the labels file has ``values:`` for a column without a ``<column>_label`` beside it, and a
    ``table`` column (the suppression summary) naming the sheets. The CSV files are not affected.

    >>> t = pd.DataFrame({"nps": [48.48], "ci_low": [30.2], "ci_high": [63.0], "n": [33],
    ...                   "method": ["adjusted_wald"]})
    >>> sheets, readme = workbook_sheets("course", {"nps": t}, Settings(lang="en"), semester="2021-syksy")
    >>> s = sheets[0]
    >>> s.name, s.cells.iloc[0].tolist()[-1], s.formats["NPS"], s.formats["95% CI low"]
    ('Net Promoter Score (NPS)', 'adjusted Wald 95% CI (Rocks 2016)', '+0;"−"0;0', '0')
    >>> readme[0], readme[-1]
    (['Read me'], ['Net Promoter Score (NPS)', 'Net Promoter Score (NPS)'])
    """
    from .outputs import _prepare, sheet_names
    from .report import suppression_note
    from .workbook import Sheet, cell_kinds, excel_cells, number_format

    lang, min_n = settings.lang, settings.min_n
    labels = for_analysis(analysis)
    spec = _workbook_spec(analysis)
    texts = _WORKBOOK_TEXT[lang]
    title = _analysis_title(analysis, lang)
    semester = semester or "–"
    source = texts["source"].format(title=title, semester=semester)
    hidden_note = suppression_note(min_n, lang)
    keys = list(tables)
    names = sheet_names(  # a colon cannot be in a sheet name: "Teemat: samaa mieltä" -> "Teemat – samaa mieltä"
        re.sub(
            r"\s*:\s*",
            " – ",
            (spec.get(k) or {}).get("sheet", {}).get(lang) or labels.title(k, lang),
        )
        for k in keys
    )
    sheet_of_file = {labels.table_file(k, lang): n for k, n in zip(keys, names, strict=True)}
    sheets = []
    for key, name in zip(keys, names, strict=True):
        entry = spec.get(key) or {}
        table = tables[key].drop(columns=[c for c in drop if c in tables[key].columns])
        flat = _prepare(table)
        views = [labels.display[v] for v in entry.get("views", [key]) if v in labels.display]
        views.insert(0, {c: ("", "", k) for c, k in (entry.get("kinds") or {}).items()})
        kinds = cell_kinds(flat, views, floats=entry.get("floats", "num2"))
        people = [
            c for c in flat.columns if (c == "n" or c.startswith("n_")) and c not in NOT_PEOPLE
        ]
        cells = excel_cells(flat, kinds, lang, min_n, dash=entry.get("dash", ()), people=people)
        for col in cells.columns:
            if col in labels.values and f"{col}_label" not in cells.columns:
                cells[col] = [
                    v if v is None else labels.value(col, v, lang) for v in cells[col].tolist()
                ]
        if key == "suppression" and "table" in cells.columns:
            cells["table"] = [sheet_of_file.get(v, v) for v in cells["table"].tolist()]
        headers = {c: labels.header(c, lang) for c in cells.columns}
        if key == "suppression" and "table" in headers:
            headers["table"] = texts["sheets"][0]
        formats = {
            headers[c]: f
            for c, k in kinds.items()
            if c in headers and (f := number_format(k, lang))
        }
        note = (entry.get("note") or {}).get(lang, "")
        notes = " ".join(x for x in (source, note, hidden_note) if x)
        sheets.append(
            Sheet(name, labels.title(key, lang), notes, cells.rename(columns=headers), formats)
        )
    rule = labels.text("suppression_rule", lang).format(n=min_n - 1)
    readme = [
        [texts["readme"]],
        [texts["about"].format(title=title, semester=semester)],
        [texts["what"]],
        [texts["numbers"]],
        [texts["hidden"].format(note=hidden_note, rule=rule)],
        [texts["dash"]],
        [texts["run"].format(min_n=min_n)],
        [],
        list(texts["sheets"]),
        *[[n, s.title] for n, s in zip(names, sheets, strict=True)],
    ]
    return sheets, readme


__all__ = [
    "NOT_PEOPLE",
    "check_group_sizes",
    "label_table",
    "publish_tables",
    "workbook_sheets",
]
