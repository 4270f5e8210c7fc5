"""What an analysis publishes: key figures (JSON + CSV) and tables (CSV + one .xlsx), safely and reproducibly.

- :class:`KeyFigures` collects :class:`KeyFigure` records (name, value, unit, n, CI, method, Finnish and
  English label) and writes ``key_figures.json`` and ``key_figures.csv``: the files the infographic and any
  designer use. Small-n suppression is enforced *when writing*: a figure whose ``n`` is below
  ``min_n`` is written with ``value``/``ci_low``/``ci_high`` null and ``suppressed = true``, whatever the
  caller set. ``value``, ``ci_low`` and ``ci_high`` are written rounded to the figure's display precision
  (:func:`display_decimals`: what :func:`sosrake_lib.fmt.fmt_value` and the infographic show), so a file
  never carries float noise such as ``0.9999999999999996``; the tables keep full precision.
- :func:`write_tables` writes each table as ``tables/<name>.csv`` (machines: UTF-8, comma separator, ``.``
  decimals) and all of them into one ``tables/tables.xlsx`` with one sheet per table (people: title, notes
  line, bold frozen header, number formats, the hidden-cell word, fitted column widths; Excel shows decimal
  commas from the user's Finnish locale because numbers stay numbers; :mod:`sosrake_lib.workbook`).
- Free text is neutralised against spreadsheet formula injection (:func:`safe_cell`, following the OWASP
  "CSV Injection" guidance): a cell starting with ``= + - @``, tab or carriage return gets a leading ``'``.
- Everything is written atomically (:mod:`sosrake_lib.atomic`) and deterministically: re-running an analysis
  gives byte-identical JSON, CSV and XLSX (the .xlsx zip timestamps and document dates are pinned).

Examples
--------
>>> import tempfile, pathlib
>>> kf = KeyFigures()
>>> _ = kf.add("nps", 68, "NPS", n=39, ci_low=49.0, ci_high=81.5, method="THL NPS, adjusted Wald CI",
...            label_fi="Suositteluindeksi", label_en="Net Promoter Score")
>>> _ = kf.add("safe_pct", 100.0, "%", n=3, label_fi="Koki olonsa turvalliseksi", label_en="Felt safe")
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in kf.write(out, min_n=5)]
['key_figures.json', 'key_figures.csv']
>>> rows = read_key_figures(out / "key_figures.json")
>>> [(r["name"], r["value"], r["ci_high"], r["suppressed"]) for r in rows]
[('nps', 68, 82, False), ('safe_pct', None, None, True)]
>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
import io
import json
import math
import numbers
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sosrake_lib.atomic import atomic_write_bytes, atomic_write_text
from sosrake_lib.fmt import Lang, is_missing
from sosrake_lib.fmt import label as pick_label

from .settings import MIN_N
from .workbook import Sheet, cell_kinds, excel_cells, number_format, workbook_bytes

"""Default disclosure threshold: no published figure may describe fewer people (README, "Tietosuoja / data protection")."""

KEY_FIGURE_COLUMNS = (
    "name",
    "value",
    "unit",
    "n",
    "ci_low",
    "ci_high",
    "method",
    "label_fi",
    "label_en",
    "suppressed",
    "note",
    "source",
)
SCHEMA = "sosrake.key_figures/1"
FIXED_TIMESTAMP = _dt.datetime(2020, 5, 1, 0, 0, 0)
"""Written as the .xlsx document's created/modified date (the start of SOSRAKE, 5/2020), so files are
reproducible. The real run date belongs in the analysis manifest, not in every file."""
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # earliest date a zip entry can carry

# ------------------------------------------------------------------------------------- formula injection

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a spreadsheet formula: prefix ``'`` to a string starting with ``= + - @``, tab or CR.

    The OWASP "CSV Injection" cheat sheet's list of trigger characters and its mitigation (a leading single
    quote makes Excel and LibreOffice treat the cell as text). Non-strings and missing values are returned
    unchanged. Trade-off, as OWASP notes: a free-text answer like ``-5`` also gets the quote.

    Examples
    --------
    >>> safe_cell("=1+1"), safe_cell("@SUM(A1)"), safe_cell("-2+3"), safe_cell("\\tx")
    ("'=1+1", "'@SUM(A1)", "'-2+3", "'\\tx")
    >>> safe_cell("Hyvä palvelu = kiitos"), safe_cell(-5), safe_cell(None)
    ('Hyvä palvelu = kiitos', -5, None)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def _is_text_column(s: pd.Series) -> bool:
    return bool(
        isinstance(s.dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(s.dtype)
        or pd.api.types.is_string_dtype(s.dtype)
    )


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with :func:`safe_cell` applied to every string, object and categorical column.

    Numeric columns are left alone (a negative *number* is not a formula). Categoricals become plain text.

    Examples
    --------
    >>> df = pd.DataFrame({"vastaus": ["=cmd|' /C calc'!A0", "Hyvä"], "arvo": [-1.5, 2.0]})
    >>> out = neutralise_frame(df)
    >>> out["vastaus"].tolist(), out["arvo"].tolist()
    (["'=cmd|' /C calc'!A0", 'Hyvä'], [-1.5, 2.0])
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not _is_text_column(s):
            continue
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        mapped = s.map(safe_cell)
        if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
            mapped = mapped.astype(s.dtype)
        out[col] = mapped
    return out


# ------------------------------------------------------------------------------------- key figures


def _plain(value: Any) -> Any:
    """numpy scalars -> Python; NaN/inf/NA -> None (JSON has no NaN)."""
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _as_count(value: Any, what: str) -> int | None:
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or float(value) != int(value):
        raise TypeError(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{what} must be >= 0, not {value!r}")
    return int(value)


_TWO_DECIMALS = (
    "alpha",
    " r",
    "rank-biserial",
    "cliff",
    "cohen",
    "delta",
    "odds",
    "effect",
    "kappa",
)


def display_decimals(unit: str) -> int:
    """Decimals a key figure of ``unit`` is shown with, and so written with.

    The rule follows :func:`sosrake_lib.fmt.fmt_value` and the infographic: counts (``n``) and Net Promoter
    Scores (``NPS``, ``NPS points``) are whole numbers; percentages carry one decimal (the finest the page
    shows, e.g. a response rate of 73,8 %); scores, means, changes of scores and MWDS one decimal;
    reliability (Cronbach's alpha) and effect sizes (rank-biserial r, Cliff's delta, Cohen's d) two, as
    they are reported; any other unit two.

    Examples
    --------
    >>> [display_decimals(u) for u in ("n", "NPS", "NPS points", "%", "score 1–5", "MWDS", "alpha")]
    [0, 0, 0, 1, 1, 1, 2]
    >>> display_decimals("rank-biserial r"), display_decimals("score change 1–5")
    (2, 1)
    """
    u = f" {str(unit).strip().lower()}"
    if u.strip() == "n" or u.strip().startswith("nps"):
        return 0
    if u.strip() == "%":
        return 1
    if any(k in u for k in _TWO_DECIMALS):
        return 2
    if any(k in u for k in ("score", "mean", "mwds", "1–5", "1-5", "change", "difference")):
        return 1
    return 2


def round_display(value: Any, decimals: int) -> Any:
    """``value`` rounded half away from zero to ``decimals`` (as :mod:`sosrake_lib.fmt` rounds), as an
    ``int`` for 0 decimals; whole numbers given as ``int``, text and missing values unchanged.

    Examples
    --------
    >>> round_display(0.9999999999999996, 1), round_display(2.675, 2), round_display(81.5, 0)
    (1.0, 2.68, 82)
    >>> round_display(20, 1)  # a percentage the analysis already rounded stays 20, not 20.0
    20
    >>> round_display(-0.04, 1), round_display("asuminen", 1), round_display(None, 0)
    (0.0, 'asuminen', None)
    """
    value = _plain(value)
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    d = decimal.Decimal(str(value)).quantize(
        decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP
    )
    if decimals == 0:
        return int(d)
    out = float(d)
    return 0.0 if out == 0 else out


@dataclass
class KeyFigure:
    """One published number: what it is, its value, its uncertainty and how it was computed.

    Parameters
    ----------
    name : str
        Stable machine name (``"nps"``, ``"completion_pct"``); unique within an analysis.
    value : float, int, str or None
        The figure, unformatted (``55.56``, not ``"55,6 %"``); designers format it.
    unit : str
        ``"%"`` (0–100), ``"n"`` (a count of people), ``"score 1–5"``, ``"NPS"``, ...
    n : int, optional
        Number of people the figure describes: checked against ``min_n`` on writing.
    ci_low, ci_high : float, optional
        Confidence interval (state the method in ``method``).
    method : str
        E.g. ``"Wilson 95 % CI"``.
    label_fi, label_en : str
        Readable labels.
    suppressed : bool
        Set by :meth:`KeyFigures.write` when ``n < min_n``; may also be set by the caller.
    note : str
        Free remark.
    source : dict, optional
        Where the number is published in the analysis' tables: ``{"table": key, "column": machine name,
        "row": {column: value, ...}}`` (the table's key as in :mod:`sosrake_lib.labels`, e.g.
        ``{"table": "development_needs", "column": "mwds", "row": {"area": "vaikuttavuustieto"}}``), so a
        reader can find an infographic number in the tables without parsing the note. ``None``: a count
        from the cleaning logs, or a figure no table holds.

    Examples
    --------
    >>> KeyFigure("completion_pct", 55.6, "%", n=63).as_dict()["ci_low"] is None
    True
    >>> KeyFigure("nps", 30, "NPS", n=86, source=source("nps_by_semester", "nps", semester="2022-syksy")).source
    {'table': 'nps_by_semester', 'column': 'nps', 'row': {'semester': '2022-syksy'}}
    """

    name: str
    value: float | int | str | None
    unit: str = ""
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    method: str = ""
    label_fi: str = ""
    label_en: str = ""
    suppressed: bool = False
    note: str = ""
    source: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("a key figure needs a non-empty name")
        if isinstance(self.value, bool | np.bool_):
            raise TypeError(f"{self.name}: value must be a number or text, not a boolean")
        self.value = _plain(self.value)
        self.n = _as_count(self.n, f"{self.name}: n")
        self.ci_low = _plain(self.ci_low)
        self.ci_high = _plain(self.ci_high)
        self.suppressed = bool(self.suppressed)

    def label(self, lang: Lang = "fi") -> str:
        """The label in ``lang`` (falls back to Finnish, then the name)."""
        return pick_label(self, lang)

    def as_dict(self) -> dict[str, Any]:
        """The record as a plain dict (JSON-ready)."""
        return {k: _plain(v) for k, v in dataclasses.asdict(self).items()}

    def rounded(self) -> KeyFigure:
        """A copy with ``value``, ``ci_low`` and ``ci_high`` rounded to :func:`display_decimals` of the unit.

        >>> KeyFigure("gain", 0.9999999999999996, "score change 1–5", n=31, ci_high=1.3333).rounded().value
        1.0
        """
        d = display_decimals(self.unit)
        return dataclasses.replace(
            self,
            value=round_display(self.value, d),
            ci_low=round_display(self.ci_low, d),
            ci_high=round_display(self.ci_high, d),
        )

    def checked(self, min_n: int = MIN_N) -> KeyFigure:
        """A copy with small-n suppression applied (value and CI blanked, ``suppressed=True``).

        Suppressed when the caller said so, when ``n < min_n``, or when a count (``unit="n"``) is
        ``0 < value < min_n``. A numeric figure without ``n`` is refused: disclosure cannot be checked.
        """
        reason = ""
        numeric = isinstance(self.value, numbers.Real)
        if self.suppressed:
            reason = "suppressed"
        elif self.n is not None and self.n < min_n:
            reason = f"suppressed: n < {min_n}"
        elif self.unit == "n" and numeric and 0 < self.value < min_n:  # type: ignore[operator]
            reason = f"suppressed: count < {min_n}"
        elif self.n is None and numeric and self.unit != "n":
            raise ValueError(
                f"key figure {self.name!r} has a numeric value but no n, so small-cell suppression cannot be "
                "checked; give n (the number of people it describes)"
            )
        if not reason:
            return dataclasses.replace(self)
        note = self.note if reason in self.note else "; ".join(x for x in (self.note, reason) if x)
        return dataclasses.replace(
            self, value=None, ci_low=None, ci_high=None, suppressed=True, note=note
        )


def source(table: str, column: str, **row: Any) -> dict[str, Any]:
    """The ``source`` of a key figure: its table (key), column (machine name) and row (column = value).

    >>> source("theme_top2", "top2_pct", semester="2022-syksy", theme="kohtaaminen")["row"]
    {'semester': '2022-syksy', 'theme': 'kohtaaminen'}
    """
    return {"table": table, "column": column, "row": {k: _plain(v) for k, v in row.items()}}


class KeyFigures:
    """A list-like collection of :class:`KeyFigure` with unique names, written as JSON and CSV.

    Examples
    --------
    >>> kf = KeyFigures()
    >>> _ = kf.add("enrolled", 63, "n", n=63, label_fi="Ilmoittautuneet", label_en="Enrolled")
    >>> len(kf), kf[0].name, kf["enrolled"].value
    (1, 'enrolled', 63)
    >>> kf.to_frame().loc[0, "label_fi"]
    'Ilmoittautuneet'
    """

    def __init__(self, figures: Iterable[KeyFigure] = ()) -> None:
        self._items: list[KeyFigure] = []
        for f in figures:
            self.add(f)

    def add(self, figure: KeyFigure | str, *args: Any, **kwargs: Any) -> KeyFigure:
        """Add a :class:`KeyFigure`, or build one from ``KeyFigure``'s arguments; return it.

        Raises
        ------
        ValueError
            If the name is already used.
        """
        kf = figure if isinstance(figure, KeyFigure) else KeyFigure(figure, *args, **kwargs)
        if any(existing.name == kf.name for existing in self._items):
            raise ValueError(f"duplicate key figure name {kf.name!r}")
        self._items.append(kf)
        return kf

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[KeyFigure]:
        return iter(self._items)

    def __getitem__(self, key: int | str) -> KeyFigure:
        if isinstance(key, str):
            for kf in self._items:
                if kf.name == key:
                    return kf
            raise KeyError(key)
        return self._items[key]

    def __repr__(self) -> str:
        return f"KeyFigures({[kf.name for kf in self._items]})"

    def to_frame(self) -> pd.DataFrame:
        """One row per key figure, columns in :data:`KEY_FIGURE_COLUMNS` order (as given, unchecked)."""
        rows = [kf.as_dict() for kf in self._items]
        return pd.DataFrame(rows, columns=list(KEY_FIGURE_COLUMNS)).astype(
            {"value": object, "n": "Int64"}
        )

    def write(self, out_dir: str | os.PathLike[str], *, min_n: int = MIN_N) -> list[Path]:
        """Write ``key_figures.json`` and ``key_figures.csv`` into ``out_dir``, enforcing suppression.

        JSON: UTF-8 (Finnish letters as they are), sorted keys, indent 2, NaN → ``null``; an object with
        ``schema``, ``min_n``, ``n_suppressed`` and the ``key_figures`` list. CSV: UTF-8 without BOM,
        comma separator, ``.`` decimals, empty cell for null, text neutralised by :func:`safe_cell`.

        Returns
        -------
        list of Path
            The JSON and the CSV path.
        """
        if min_n < 1:
            raise ValueError("min_n must be >= 1")
        checked = [kf.checked(min_n).rounded() for kf in self._items]
        records = [kf.as_dict() for kf in checked]
        doc = {
            "schema": SCHEMA,
            "min_n": int(min_n),
            "n_suppressed": sum(r["suppressed"] for r in records),
            "key_figures": records,
        }
        out = Path(out_dir)
        json_path, csv_path = out / "key_figures.json", out / "key_figures.csv"
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"
        atomic_write_text(json_path, text)
        frame = pd.DataFrame(records, columns=list(KEY_FIGURE_COLUMNS)).astype(
            {"value": object, "n": "Int64"}
        )
        # as rounded: a count or an NPS stays 63 (not 63.0) when other values of the column are decimals
        for col in ("value", "ci_low", "ci_high"):
            frame[col] = pd.Series([r[col] for r in records], index=frame.index, dtype=object)
        frame["source"] = [
            json.dumps(v, ensure_ascii=False, sort_keys=True) if v else "" for v in frame["source"]
        ]
        text_cols = ["name", "unit", "method", "label_fi", "label_en", "note", "source"]
        frame[text_cols] = neutralise_frame(frame[text_cols].astype(object))
        atomic_write_text(csv_path, _to_csv(frame))
        return [json_path, csv_path]


def _to_csv(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, sep=",", decimal=".", na_rep="", lineterminator="\n")


def read_key_figures(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read key figures back from ``key_figures.json`` (or ``.csv``) as a list of dicts.

    From CSV, empty cells become ``None``, ``n`` an int, ``suppressed`` a bool, and ``value`` a number when
    it parses as one (and a leading ``'`` added by :func:`safe_cell` is kept: it is in the file).
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return list(doc["key_figures"] if isinstance(doc, dict) else doc)
    df = pd.read_csv(path, sep=",", encoding="utf-8", dtype=str, keep_default_na=False)
    rows = []
    for rec in df.to_dict(orient="records"):
        row: dict[str, Any] = {k: (None if v == "" else v) for k, v in rec.items()}
        for key in ("ci_low", "ci_high"):
            row[key] = None if row.get(key) is None else float(row[key])
        row["n"] = None if row.get("n") is None else int(float(row["n"]))
        row["suppressed"] = str(row.get("suppressed")).lower() == "true"
        value = row.get("value")
        if value is not None:
            try:
                num = float(value)
                row["value"] = int(num) if re.fullmatch(r"-?\d+", value) else num
            except ValueError:
                pass
        for key in ("unit", "method", "label_fi", "label_en", "note"):
            if row.get(key) is None:
                row[key] = ""
        if row.get("source"):
            row["source"] = json.loads(row["source"])
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------- tables

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_BAD = re.compile(r"[^\w\-]+")


def sheet_names(names: Iterable[str]) -> list[str]:
    """Excel-safe, unique sheet names for ``names`` (same order).

    Excel's rules: at most 31 characters, none of ``[ ] : * ? / \\``, not empty, not starting or ending
    with ``'``, not "History" (reserved), and unique *case-insensitively*. Bad characters become ``_``;
    clashes get `` (2)``, `` (3)``, ... within the 31 characters.

    Examples
    --------
    >>> sheet_names(["Osaaminen: alueittain [ka]", "a/b", "A_B", "x" * 40])
    ['Osaaminen_ alueittain _ka_', 'a_b', 'A_B (2)', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']
    """
    out: list[str] = []
    seen: set[str] = set()
    for raw in names:
        base = _SHEET_BAD.sub("_", str(raw)).strip().strip("'").strip() or "Sheet"
        if base.lower() == "history":
            base = "History_"
        base = base[:31]
        candidate, k = base, 1
        while candidate.lower() in seen:
            k += 1
            suffix = f" ({k})"
            candidate = base[: 31 - len(suffix)] + suffix
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _file_stem(name: str) -> str:
    stem = _FILE_BAD.sub("_", str(name)).strip("_")
    return stem or "table"


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Flat string headers, the index as columns when it carries information, text neutralised."""
    out = df
    if isinstance(out.columns, pd.MultiIndex):
        out = out.set_axis(
            [" – ".join(str(x) for x in col if str(x)) for col in out.columns], axis=1
        )
    default_index = isinstance(out.index, pd.RangeIndex) and out.index.name is None
    if not default_index:
        out = out.reset_index()
    out = out.set_axis([str(c) for c in out.columns], axis=1)
    if out.columns.duplicated().any():
        raise ValueError(f"duplicate column names: {list(out.columns[out.columns.duplicated()])}")
    return neutralise_frame(out)


_README = {
    "fi": (
        "Taulukot: {names}.\n"
        "CSV-tiedostot ovat koneluettavia: UTF-8, erotin pilkku (,), desimaalierotin piste (.).\n"
        "Avaa {xlsx} Excelillä: jokainen taulukko on omalla välilehdellään.\n"
        "Piilotettu solu (pieni ryhmä) on CSV-tiedostossa tyhjä; {xlsx}-tiedostossa siinä lukee piilotettu.\n"
        "Tekstisoluihin, jotka alkavat merkillä = + - @, on lisätty heittomerkki (') kaavojen estämiseksi.\n"
    ),
    "en": (
        "Tables: {names}.\n"
        "The CSV files are for machines: UTF-8, comma (,) separator, point (.) decimal mark.\n"
        "Open {xlsx} in Excel: one sheet per table.\n"
        "A hidden cell (a small group) is empty in the CSV files; {xlsx} shows the word suppressed.\n"
        "Text cells starting with = + - @ carry a leading apostrophe (') so they are not run as formulas.\n"
    ),
}


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | os.PathLike[str],
    *,
    lang: Lang = "fi",
    xlsx_name: str = "tables.xlsx",
    sheets: Sequence[Sheet] | None = None,
    readme: Sequence[Sequence[str]] = (),
) -> list[Path]:
    """Write each table to ``<out_dir>/tables/<name>.csv`` and all of them to one ``.xlsx``.

    Parameters
    ----------
    tables : mapping of name → DataFrame
        In the order they should appear as sheets. Column names should already be in the chosen language
        (see :func:`column_labels`). A non-default index (e.g. item labels) is written as the first column.
    out_dir : path
        The analysis output folder; files go into its ``tables/`` subfolder.
    lang : {"fi", "en"}
        Language of the ``README.txt`` that states the CSV format.
    xlsx_name : str
        File name of the workbook.
    sheets : sequence of :class:`sosrake_lib.workbook.Sheet`, optional
        The workbook's sheets as people read them (titles, notes, number formats, hidden-cell markers:
        :func:`sosrake_lib.publish.publish_tables` makes them). Without, each table gets a sheet named and
        titled after it, its numbers formatted by their type.
    readme : rows of text, optional
        A first "read me" sheet (:func:`sosrake_lib.workbook.workbook_bytes`).

    Returns
    -------
    list of Path
        The CSV files, the workbook and the README, in that order.

    Notes
    -----
    Text cells are neutralised with :func:`safe_cell` in both formats, and characters that XML cannot hold
    (control characters) are removed from the workbook. The workbook is byte-identical between runs: the
    document dates are set to :data:`FIXED_TIMESTAMP` and every zip entry to 1980-01-01 (openpyxl itself
    stamps "modified = now" and the zip entries with the current time when saving).
    """
    if lang not in ("fi", "en"):
        raise ValueError(f"lang must be 'fi' or 'en', not {lang!r}")
    if not tables:
        raise ValueError("no tables to write")
    folder = Path(out_dir) / "tables"
    prepared = {name: _prepare(df) for name, df in tables.items()}
    stems = [_file_stem(n) for n in prepared]
    if len({s.lower() for s in stems}) != len(stems):
        raise ValueError(f"table names clash as file names: {stems}")
    written = []
    for stem, df in zip(stems, prepared.values(), strict=True):
        path = folder / f"{stem}.csv"
        atomic_write_text(path, _to_csv(df))
        written.append(path)
    xlsx_path = folder / xlsx_name
    if sheets is None:
        sheets = _plain_sheets(prepared, lang)
    atomic_write_bytes(xlsx_path, workbook_bytes(sheets, readme))
    written.append(xlsx_path)
    readme = folder / "README.txt"
    atomic_write_text(
        readme, _README[lang].format(names=", ".join(f"{s}.csv" for s in stems), xlsx=xlsx_name)
    )
    written.append(readme)
    return written


def _plain_sheets(tables: Mapping[str, pd.DataFrame], lang: Lang) -> list[Sheet]:
    """A sheet per table, named and titled after it; kinds from the column types (no display views)."""
    sheets = []
    for name, sheet, df in zip(tables, sheet_names(tables), tables.values(), strict=True):
        kinds = cell_kinds(df)
        formats = {c: f for c, k in kinds.items() if (f := number_format(k, lang))}
        sheets.append(Sheet(sheet, str(name), "", excel_cells(df, kinds, lang), formats))
    return sheets


def workbook_to_bytes(wb: Any) -> bytes:
    """An openpyxl workbook as .xlsx bytes that depend only on its content: document dates fixed to
    :data:`FIXED_TIMESTAMP` and the zip re-packed by :func:`_normalise_zip` (one way for every workbook the
    workbench writes: tables.xlsx, the coding worksheet, the sample's coded worksheet)."""
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Re-pack an .xlsx with fixed entry dates and document dates so identical content gives identical bytes."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, content)
    return out.getvalue()


def column_labels(df: pd.DataFrame, labels: Mapping[str, Any], lang: Lang = "fi") -> pd.DataFrame:
    """Rename columns to readable labels in the chosen language.

    ``labels`` maps a column name to a label string, or to a mapping with ``label_fi``/``label_en`` (picked
    with :func:`sosrake_lib.fmt.label`). Columns without a label keep their name; labels for absent
    columns are ignored. Two columns ending up with the same label is an error.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["HYTE"], "mean": [3.4]})
    >>> list(column_labels(df, {"area": "Osaamisalue", "mean": {"label_fi": "Keskiarvo",
    ...                                                            "label_en": "Mean"}}, "en").columns)
    ['Osaamisalue', 'Mean']
    """
    mapping = {
        col: (lab if isinstance(lab, str) else pick_label(lab, lang)) for col, lab in labels.items()
    }
    out = df.rename(columns=mapping)
    if out.columns.duplicated().any():
        raise ValueError(
            f"labels give duplicate column names: {list(out.columns[out.columns.duplicated()])}"
        )
    return out


# Disclosure rules for parts of a total: moved to sosrake_lib.sdc.parts; the old names keep working from here
from sosrake_lib.sdc.parts import NPS_GROUPS, holm_carriers, suppress_nps_groups, suppress_parts  # noqa: E402

__all__ = [
    "FIXED_TIMESTAMP",
    "KEY_FIGURE_COLUMNS",
    "MIN_N",
    "KeyFigure",
    "KeyFigures",
    "column_labels",
    "display_decimals",
    "holm_carriers",
    "neutralise_frame",
    "NPS_GROUPS",
    "read_key_figures",
    "round_display",
    "suppress_nps_groups",
    "safe_cell",
    "sheet_names",
    "suppress_parts",
    "write_tables",
]
