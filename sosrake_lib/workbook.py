"""The Excel workbook ``tables.xlsx``: the published tables laid out for the staff who hand them on.

The CSV files under ``tables/`` are for machines (full precision, empty hidden cells). The workbook holds the
same tables for people, and keeps them computable:

- numbers stay numeric cells with an Excel *number format* that shows them as the HTML report does
  (:func:`number_format`: ``0.0`` for one decimal, ``0.0" %"`` for a percentage stored on the 0–100 scale,
  ``0.000`` with ``< 0,001`` for p-values, ``+0`` for NPS); Excel shows the decimal comma of the user's locale
  itself, so the codes are the standard ones;
- a hidden (suppressed) cell shows the report's word, ``piilotettu`` / ``suppressed``
  (:func:`sosrake_lib.fmt.fmt_suppressed`), in every sheet; a value missing for another reason (not
  estimable, no previous step) shows ``–``;
- each sheet has the table's title on row 1, a source and notes line on row 2 (analysis, semester, what
  ``piilotettu`` means and the threshold), the headers on row 3 (frozen below) and the data from row 4;
- the first sheet, ``Lue minut`` / ``Read me``, says what the workbook is, lists the sheets, how hidden cells
  are marked and where the run's date and settings are (``manifest.json``).

The file is byte-identical between runs with the same inputs: the document dates are pinned
(:data:`sosrake_lib.outputs.FIXED_TIMESTAMP`) and every zip entry carries 1980-01-01; no wall-clock date is
written into it.

Examples
--------
>>> number_format("pct", "fi"), number_format("num2", "en"), number_format("int", "fi")
('0.0"\\xa0%"', '0.00', '#,##0')
>>> t = pd.DataFrame({"Ryhmä": ["Essote", "Muu"], "n": pd.array([52, pd.NA], dtype="Int64")})
>>> cells = excel_cells(t, {"Ryhmä": "text", "n": "int"}, "fi")
>>> cells["n"].tolist()
[52, 'piilotettu']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .fmt import MISSING, Lang, fmt_suppressed, is_missing
from .settings import MIN_N

__all__ = [
    "Sheet",
    "cell_kinds",
    "excel_cells",
    "number_format",
    "workbook_bytes",
]

_NUM = {"num0": 0, "num1": 1, "num2": 2, "num3": 3}
_CI_VALUE = {
    "ci_pct": "pct",
    "ci_pct0": "pct0",
    "ci0": "num0",
    "ci1": "num1",
    "ci2": "num2",
    "ci3": "num3",
}
_YES_NO = {"fi": ("kyllä", "ei"), "en": ("yes", "no")}
#: The header row of every table sheet (row 1 the title, row 2 the source and notes).
HEADER_ROW = 3


def number_format(kind: str, lang: Lang = "fi") -> str | None:
    """The Excel number format of a column kind of :mod:`sosrake_lib.report` (``None``: General / text).

    Percentages are stored on the 0–100 scale, so the ``%`` is a literal (a bare ``%`` would multiply by
    100); the Finnish form has a no-break space before it, as the report writes ``45,8 %``. A p-value below
    0.001 shows ``< 0,001`` (``< 0.001``) while the cell keeps its value.

    Examples
    --------
    >>> number_format("p", "fi"), number_format("signed0"), number_format("ci_pct0", "en")
    ('[<0.001]"< 0,001";0.000', '+0;"−"0;0', '0"%"')
    >>> number_format("text") is None
    True
    """
    kind = _CI_VALUE.get(kind, kind)
    pct = '"\u00a0%"' if lang == "fi" else '"%"'
    if kind == "int":
        return "#,##0"
    if kind in _NUM:
        return "0" + ("." + "0" * _NUM[kind] if _NUM[kind] else "")
    if kind == "pct":
        return "0.0" + pct
    if kind == "pct0":
        return "0" + pct
    if kind == "signed0":
        return '+0;"−"0;0'
    if kind == "p":
        return '[<0.001]"< ' + ("0,001" if lang == "fi" else "0.001") + '";0.000'
    return None


# ------------------------------------------------------------------------------------------- kinds

_P_RE = re.compile(r"(?:^|_)(?:p|p_value|p_holm|lr_p|lr_p_holm|p_cluster|p_holm_cluster)$")
_PCT_RE = re.compile(r"(?:^|_)pct(?:_|$)")
_CI_RE = re.compile(r"^(?P<base>.*?)_?ci_(?:low|high)(?:_\w+)?$")


def _is_int(s: pd.Series) -> bool:
    return pd.api.types.is_integer_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _guess(name: str, s: pd.Series, floats: str) -> str:
    """The kind of a column no display view names: by dtype, then by its machine name."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return "bool"
    if not _is_number(s):
        return "text"
    if _is_int(s):
        return "int"
    if _P_RE.search(name):
        return "p"
    if _PCT_RE.search(name):
        return "pct"
    if name == "nps":
        return "signed0"
    return floats


def cell_kinds(
    table: pd.DataFrame,
    views: Sequence[Mapping[Any, tuple[str, str, str]]] = (),
    *,
    floats: str = "num2",
) -> dict[str, str]:
    """The kind of every column of a machine-named ``table``: from the report's display ``views``, else guessed.

    A column a view names takes the view's kind (an interval ``(low, high)`` gives both ends the kind of its
    value: ``ci_pct`` -> ``pct``). Otherwise a whole-number column is ``int``, a p-value ``p``, a ``pct``
    column ``pct``, ``nps`` ``signed0``, another number ``floats``; an interval end no view names takes the
    kind of its estimate (``mean`` for ``mean_ci_low``, else the nearest number column to its left that is not
    a count) and ``signed0`` becomes ``num0`` there.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["a"], "n": [5], "nps": [12.0], "ci_low": [-3.2], "ci_high": [30.1],
    ...                   "p_holm": [0.02], "pct_x": [4.0]})
    >>> cell_kinds(t)
    {'label': 'text', 'n': 'int', 'nps': 'signed0', 'ci_low': 'num0', 'ci_high': 'num0', 'p_holm': 'p', 'pct_x': 'pct'}
    >>> cell_kinds(t, [{"nps": ("NPS", "NPS", "num1"), ("ci_low", "ci_high"): ("LV", "CI", "ci2")}])["ci_low"]
    'num2'
    """
    named: dict[str, str] = {}
    for view in views:
        for key, (_fi, _en, kind) in view.items():
            for col in key if isinstance(key, tuple) else (key,):
                named.setdefault(col, _CI_VALUE.get(kind, kind))
    kinds: dict[str, str] = {}
    columns = [str(c) for c in table.columns]
    for j, col in enumerate(columns):
        s = table.iloc[:, j]
        if col in named and (named[col] in ("text", "raw", "bool") or _is_number(s)):
            kinds[col] = named[col]
            continue
        m = _CI_RE.match(col)
        if m and _is_number(s) and not _is_int(s):
            base = m.group("base")
            if base and base in kinds:
                est = kinds[base]
            else:
                left = [
                    kinds[c]
                    for c in columns[:j]
                    if kinds.get(c) not in (None, "int", "text", "raw", "bool")
                    and not _CI_RE.match(c)
                ]
                est = left[-1] if left else floats
            kinds[col] = "num0" if est == "signed0" else est
            continue
        kinds[col] = _guess(col, s, floats)
    return kinds


# ------------------------------------------------------------------------------------------- cells


def excel_cells(
    table: pd.DataFrame,
    kinds: Mapping[str, str],
    lang: Lang = "fi",
    min_n: int = MIN_N,
    *,
    dash: Collection[str] = (),
    people: Collection[str] = (),
) -> pd.DataFrame:
    """The cells of a sheet: numbers as numbers, a hidden number as the report's word, yes/no as words.

    ``kinds`` maps a column to its kind (:func:`cell_kinds`). A missing number is a hidden cell and shows
    :func:`~sosrake_lib.fmt.fmt_suppressed` (``piilotettu`` / ``suppressed``), except in a ``dash`` column,
    whose value may be missing for another reason (not estimable, not applicable): there it shows ``–``
    unless one of the row's ``people`` counts is hidden too (then the whole row is hidden and so is it).
    A missing text stays empty; ``True``/``False`` in a ``bool`` column are ``kyllä``/``ei`` (``yes``/``no``).

    Examples
    --------
    >>> t = pd.DataFrame({"n": pd.array([63, 58, pd.NA], dtype="Int64"), "prev": [None, 92.1, None],
    ...                   "ok": [True, False, True]})
    >>> excel_cells(t, {"n": "int", "prev": "pct", "ok": "bool"}, "en", dash=["prev"], people=["n"]
    ...             ).values.tolist()
    [[63, '–', 'yes'], [58, 92.1, 'no'], ['suppressed', 'suppressed', 'yes']]
    """
    hidden_word = fmt_suppressed(min_n, lang)
    out = pd.DataFrame(index=range(len(table)))
    row_hidden = np.zeros(len(table), dtype=bool)
    for col in people:
        if col in table.columns:
            row_hidden |= table[col].isna().to_numpy(dtype=bool)
    for j, col in enumerate(table.columns):
        s = table.iloc[:, j]
        kind = kinds.get(str(col), "text")
        values: list[Any] = []
        for i, v in enumerate(s.tolist()):
            if kind == "bool":
                values.append(None if is_missing(v) else _YES_NO[lang][0 if bool(v) else 1])
            elif kind in ("text", "raw") or not _is_number(s):
                values.append(None if is_missing(v) else v)
            elif is_missing(v) or (isinstance(v, float) and not np.isfinite(v)):
                values.append(MISSING if col in dash and not row_hidden[i] else hidden_word)
            else:
                values.append(int(v) if kind == "int" and float(v) == int(v) else float(v))
        out[str(col)] = pd.Series(values, dtype=object)
    return out


# ------------------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab name, title (row 1), notes line (row 2) and table (headers on row 3).

    ``cells`` holds the values as :func:`excel_cells` gives them (headers as published); ``formats`` maps a
    header to its Excel number format.
    """

    name: str
    title: str
    notes: str
    cells: pd.DataFrame
    formats: Mapping[str, str] = field(default_factory=dict)


def _strip_illegal(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _shown_width(value: Any, fmt: str | None) -> int:
    """About how many characters a cell shows (numbers at their format's decimals)."""
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        decimals = 0
        if fmt:
            m = re.search(r"0\.(0+)", fmt.split(";")[-1])
            decimals = len(m.group(1)) if m else 0
        return len(f"{value:,.{decimals}f}") + (2 if fmt and "%" in fmt else 0)
    return max(len(line) for line in str(value).split("\n"))


def workbook_bytes(sheets: Sequence[Sheet], readme: Sequence[Sequence[str]] = ()) -> bytes:
    """The ``.xlsx`` bytes: an optional read-me sheet, then one sheet per table, reproducibly.

    ``readme`` is the first sheet, given as rows of text cells: its first row is the sheet's tab name alone,
    the next the title, the rest lines of text (a row of two cells is a "sheet name → content" line). Table
    sheets: title (bold) on row 1, notes on row 2, bold headers on row 3 with the panes frozen below them,
    column widths fitted to the shown values (at most 60 characters, headers wrapped).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .outputs import workbook_to_bytes

    wb = Workbook()
    wb.remove(wb.active)
    if readme:
        ws = wb.create_sheet(str(readme[0][0]))
        widths = [0, 0]
        for i, row in enumerate(readme[1:], start=1):
            for j, text in enumerate(row, start=1):
                cell = ws.cell(row=i, column=j, value=_strip_illegal(text))
                if i == 1:
                    cell.font = Font(bold=True, size=14)
                if j <= 2 and len(row) > 1:
                    widths[j - 1] = max(widths[j - 1], len(str(text)))
        ws.column_dimensions["A"].width = min(max(widths[0] + 2, 12), 40)
        ws.column_dimensions["B"].width = min(max(widths[1] + 2, 40), 80)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.cell(row=1, column=1, value=_strip_illegal(sheet.title)).font = Font(bold=True, size=14)
        if sheet.notes:
            note = ws.cell(row=2, column=1, value=_strip_illegal(sheet.notes))
            note.font = Font(italic=True, color="555555")
        for j, header in enumerate(sheet.cells.columns, start=1):
            cell = ws.cell(row=HEADER_ROW, column=j, value=_strip_illegal(str(header)))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for j, header in enumerate(sheet.cells.columns, start=1):
            fmt = sheet.formats.get(str(header))
            width = min(len(str(header)), 24)
            for i, value in enumerate(sheet.cells.iloc[:, j - 1].tolist(), start=HEADER_ROW + 1):
                cell = ws.cell(row=i, column=j, value=_strip_illegal(value))
                if fmt and isinstance(value, int | float) and not isinstance(value, bool):
                    cell.number_format = fmt
                elif isinstance(value, str) and fmt:
                    cell.alignment = Alignment(horizontal="right")
                width = max(width, _shown_width(value, fmt))
            ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
    wb.properties.creator = "sosrake"
    wb.properties.lastModifiedBy = "sosrake"
    return workbook_to_bytes(wb)
