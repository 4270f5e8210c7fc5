"""Tables for people to read in the notebooks and their HTML reports.

The analysis modules return machine frames (snake_case columns, full-precision floats, ``<NA>`` for hidden
cells, code columns next to labels). Those frames are what the tests and the published ``tables/`` files use.
What a social worker or a student *reads* in ``report.html`` is made here: a chosen set of columns with headers in
the chosen language, numbers rounded and written the Finnish (or English) way through :mod:`sosrake_lib.fmt`,
hidden cells shown as ``piilotettu`` / ``suppressed`` and no index column.

Only the display changes: the frame passed in is never modified, and nothing here is written to a file.

A column is described by ``(label_fi, label_en, kind)``; a confidence interval is one column made of two,
keyed by the tuple ``(low, high)``. Kinds (:data:`KINDS`):

``text``
    as it is (a missing label shows ``–``); ``raw`` is the same for text already formatted as a number
    (right-aligned).
``int``
    a count: ``1 234``.
``pct`` / ``pct0``
    a percentage on the 0–100 scale with one / no decimals: ``45,8 %``.
``num0`` … ``num3``
    a number with 0–3 decimals: ``3,4``.
``signed0``
    a whole number with its sign (NPS, changes): ``+30``, ``−5``.
``p``
    a p-value: three decimals, below 0.001 as ``< 0,001``.
``ci_pct`` / ``ci_pct0`` / ``ci0`` … ``ci3``
    an interval ``37,0–54,7 %`` / ``3,1–3,7`` from the two columns of the key.
``bool``
    ``kyllä`` / ``ei`` (``yes`` / ``no``).

A missing number is a hidden cell in these tables (small-cell suppression), so it shows
:func:`~sosrake_lib.fmt.fmt_suppressed`; columns listed in ``na_dash`` show ``–`` instead, for values that are
missing for another reason (not estimable, not applicable). When a table shows a hidden cell, a note under it says
what ``piilotettu`` means: the cell describes fewer than ``min_n`` people, *or* it was hidden as well so that a small
number cannot be worked out from a total (secondary suppression, Statistics Finland's disclosure-control practice).
Both kinds carry the same label, so the label neither misstates a large hidden cell nor points at the small one.

Examples
--------
>>> t = pd.DataFrame({"group": ["sw", "sup"], "group_label": ["Sosiaalityöntekijä", "Esihenkilö"],
...                   "n": pd.array([54, pd.NA], dtype="Int64"), "pct": [45.762712, None],
...                   "pct_ci_low": [37.049125, None], "pct_ci_high": [54.743488, None]})
>>> cols = {"group_label": ("Tehtävä", "Role", "text"), "n": ("Vastaajia", "Respondents", "int"),
...         "pct": ("Osuus %", "Share %", "pct"), ("pct_ci_low", "pct_ci_high"): ("95 %:n LV", "95% CI", "ci_pct")}
>>> display_frame(t, cols).replace("\\u00a0", " ", regex=True).values.tolist()
[['Sosiaalityöntekijä', '54', '45,8 %', '37,0–54,7 %'], ['Esihenkilö', 'piilotettu', 'piilotettu', 'piilotettu']]
>>> list(display_frame(t, cols, "en").columns)
['Role', 'Respondents', 'Share %', '95% CI']
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from .fmt import (
    MISSING,
    Lang,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_p,
    fmt_percent,
    fmt_semester,
    fmt_suppressed,
    fmt_value,
    is_missing,
)
from .settings import MIN_N

__all__ = [
    "KINDS",
    "ColumnKey",
    "ColumnSpec",
    "display_crosstab",
    "display_frame",
    "display_table",
    "format_cell",
    "key_figures_table",
    "settings_table",
    "suppression_note",
]

ColumnKey = str | tuple[str, str]
"""A column name, or ``(low, high)`` for an interval shown as one column."""
ColumnSpec = tuple[str, str, str]
"""``(label_fi, label_en, kind)``."""

_NUM_DECIMALS = {"num0": 0, "num1": 1, "num2": 2, "num3": 3}
_CI_DECIMALS = {"ci0": 0, "ci1": 1, "ci2": 2, "ci3": 3, "ci_pct": 1, "ci_pct0": 0}
KINDS: frozenset[str] = frozenset(
    {
        "text",
        "raw",
        "int",
        "pct",
        "pct0",
        "signed0",
        "p",
        "bool",
        "semester",
        *_NUM_DECIMALS,
        *_CI_DECIMALS,
    }
)
"""Every kind :func:`format_cell` knows."""

_YES_NO = {"fi": ("kyllä", "ei"), "en": ("yes", "no")}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind!r}; one of {sorted(KINDS)}")


def format_cell(
    value: Any, kind: str, lang: Lang = "fi", min_n: int = MIN_N, *, na: str | None = None
) -> str:
    """One value as text for a table cell (see the module docstring for the kinds).

    ``value`` is a ``(low, high)`` pair for the interval kinds. A missing number gives ``na`` (default: the
    suppressed label ``alle <min_n>``); a missing text or yes/no gives ``–``.

    Examples
    --------
    >>> format_cell(45.762712, "pct").replace("\\u00a0", " ")
    '45,8 %'
    >>> format_cell(3.4412, "num2", "en")
    '3.44'
    >>> format_cell(0.00004, "p"), format_cell(0.04567, "p", "en")
    ('< 0,001', '0.046')
    >>> format_cell(-5.0, "signed0"), format_cell(30.2, "signed0")
    ('−5', '+30')
    >>> format_cell((2.47, 2.71), "ci2")
    '2,47–2,71'
    >>> format_cell(pd.NA, "int"), format_cell(pd.NA, "int", "en", 10)
    ('piilotettu', 'suppressed')
    >>> format_cell(None, "num1", na="–"), format_cell(True, "bool"), format_cell("Essote", "text")
    ('–', 'kyllä', 'Essote')
    >>> format_cell("2022-syksy", "semester"), format_cell("2022-syksy", "semester", "en")
    ('Syksy 2022', 'Autumn 2022')
    """
    _check_kind(kind)
    hidden = fmt_suppressed(min_n, lang) if na is None else na
    if kind in ("text", "raw"):
        return MISSING if is_missing(value) else str(value)
    if kind == "bool":
        return MISSING if is_missing(value) else _YES_NO[lang][0 if bool(value) else 1]
    if kind == "semester":  # the one way a semester is written on a page
        return MISSING if is_missing(value) else fmt_semester(value, lang)
    if kind in _CI_DECIMALS:
        low, high = value
        if is_missing(low) or is_missing(high):
            return hidden
        return fmt_ci(low, high, lang, _CI_DECIMALS[kind], percent=kind.startswith("ci_pct"))
    if is_missing(value):
        return hidden
    if kind == "int":
        return fmt_int(value, lang)
    if kind in ("pct", "pct0"):
        return fmt_percent(value, lang, 1 if kind == "pct" else 0)
    if kind == "signed0":
        return fmt_value(value, "NPS", lang)
    if kind == "p":  # the one p rule (fmt_p) in its table-cell form; float noise beyond 1 is 1
        return fmt_p(min(max(float(value), 0.0), 1.0), lang, with_p=False)
    return fmt_number(value, lang, _NUM_DECIMALS[kind])


def _present(df: pd.DataFrame, key: ColumnKey) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return all(k in df.columns for k in keys)


def display_frame(
    df: pd.DataFrame,
    columns: Mapping[ColumnKey, ColumnSpec],
    lang: Lang = "fi",
    min_n: int = MIN_N,
    *,
    na_dash: Collection[str] = (),
) -> pd.DataFrame:
    """A frame of formatted strings: the ``columns`` of ``df`` in their order, with headers in ``lang``.

    Columns named in ``columns`` but absent from ``df`` are left out (one spec serves a table with and without
    an optional column); a column of ``df`` not named is not shown. ``na_dash`` lists columns whose missing
    values are not hidden cells and show ``–``. The index is dropped.

    Examples
    --------
    >>> t = pd.DataFrame({"area_label": ["Raportointi"], "mean": [2.4731], "rank_ci_low": [1.0],
    ...                   "rank_ci_high": [None]})
    >>> display_frame(t, {"area_label": ("Alue", "Area", "text"), "mean": ("Ka.", "Mean", "num2"),
    ...                   ("rank_ci_low", "rank_ci_high"): ("Sijan LV", "Rank CI", "ci0"),
    ...                   "sd": ("Hajonta", "SD", "num2")}, na_dash=["rank_ci_low"]).values.tolist()
    [['Raportointi', '2,47', '–']]
    """
    if lang not in ("fi", "en"):
        raise ValueError(f"lang must be 'fi' or 'en', not {lang!r}")
    out: dict[str, list[str]] = {}
    for key, (label_fi, label_en, kind) in columns.items():
        _check_kind(kind)
        if not _present(df, key):
            continue
        keys = key if isinstance(key, tuple) else (key,)
        na = MISSING if any(k in na_dash for k in keys) else None
        if isinstance(key, tuple):
            values: Sequence[Any] = list(zip(df[key[0]].tolist(), df[key[1]].tolist(), strict=True))
        else:
            values = df[key].tolist()
        out[label_fi if lang == "fi" else label_en] = [
            format_cell(v, kind, lang, min_n, na=na) for v in values
        ]
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)), dtype=object)


def suppression_note(min_n: int = MIN_N, lang: Lang = "fi") -> str:
    """What the suppressed label in a table means (shown under a table that has one).

    Examples
    --------
    >>> suppression_note(5, "en")
    '“suppressed”: the cell describes fewer than 5 people, or a hidden number could be worked out from it.'
    >>> suppression_note(10)
    '”piilotettu”: luku kuvaa alle 10 henkilöä, tai siitä voisi laskea toisen piilotetun luvun.'
    """
    label = fmt_suppressed(min_n, lang)
    if lang == "fi":
        return f"”{label}”: luku kuvaa alle {fmt_int(min_n, lang)} henkilöä, tai siitä voisi laskea toisen piilotetun luvun."
    return (
        f"“{label}”: the cell describes fewer than {fmt_int(min_n, lang)} people, or a hidden number could be "
        "worked out from it."
    )


_NUMERIC_KINDS = KINDS - {"text", "bool", "semester"}


def display_table(
    df: pd.DataFrame,
    columns: Mapping[ColumnKey, ColumnSpec],
    lang: Lang = "fi",
    min_n: int = MIN_N,
    *,
    na_dash: Collection[str] = (),
    caption: str | None = None,
) -> Styler:
    """A table to ``display()`` in a notebook: :func:`display_frame` as a pandas Styler without the index.

    Numbers are right-aligned, text left-aligned and wrapped at a readable width. When a cell shows the
    suppressed label, :func:`suppression_note` goes under the table; ``caption`` (e.g. the table's title)
    goes above it.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["Essote", "Muu"], "n": pd.array([52, pd.NA], dtype="Int64")})
    >>> html = display_table(t, {"label": ("Ryhmä", "Group", "text"), "n": ("Vastaajia", "Respondents", "int")}
    ...                      ).to_html()
    >>> "Vastaajia" in html and ">piilotettu<" in html and "alle 5 henkilöä" in html and ">0<" not in html
    True
    """
    shown = display_frame(df, columns, lang, min_n, na_dash=na_dash)
    kinds = {
        (spec[0] if lang == "fi" else spec[1]): spec[2]
        for key, spec in columns.items()
        if _present(df, key)
    }
    numeric = [c for c in shown.columns if kinds.get(c) in _NUMERIC_KINDS]
    text = [c for c in shown.columns if c not in numeric]
    hidden = fmt_suppressed(min_n, lang)
    notes = [suppression_note(min_n, lang)] if (shown.to_numpy() == hidden).any() else []
    # a unique, deterministic id per table: the CSS of one table must not style another one on the same page
    digest = hashlib.sha1(
        repr(
            (
                list(shown.columns),
                [kinds.get(c) for c in shown.columns],
                shown.values.tolist(),
                caption,
            )
        ).encode("utf-8")
    ).hexdigest()[:10]
    styler = shown.style.hide(axis="index").set_uuid(digest)
    if numeric:
        styler = styler.set_properties(
            subset=numeric, **{"text-align": "right", "white-space": "nowrap"}
        )
    if text:
        styler = styler.set_properties(
            subset=text, **{"text-align": "left", "max-width": "32em", "white-space": "normal"}
        )
    styles: list[dict[str, Any]] = [
        {
            "selector": "th",
            "props": "text-align: left; vertical-align: bottom; white-space: normal; "
            "max-width: 12em; font-weight: 600;",
        },
        {"selector": "td", "props": "vertical-align: top; padding: 3px 8px;"},
        {
            "selector": "caption",
            "props": "text-align: left; color: #222; font-weight: 600; padding: 10px 0 4px 0;",
        },
    ]
    if caption or notes:
        note_html = (
            "".join(
                f'<br><span style="font-weight: normal; font-size: 90%; color: #555;">{html.escape(n)}'
                "</span>"
                for n in notes
            )
            if caption
            else html.escape(" ".join(notes))
        )
        styler = styler.set_caption((html.escape(caption) if caption else "") + note_html)
        if not caption:
            styles.append(
                {
                    "selector": "caption",
                    "props": "caption-side: bottom; font-weight: normal; "
                    "color: #555; font-size: 90%;",
                }
            )
    return styler.set_table_styles(styles)


def settings_table(rows: Sequence[tuple[str, str, Any]], lang: Lang = "fi") -> Styler:
    """A two-column "setting – value" table for the report's *data and settings* section.

    ``rows`` are ``(label_fi, label_en, value)``; values are shown as they are (pass file *names*, not paths).

    Examples
    --------
    >>> html = settings_table([("Lukukausi", "Semester", "2020-syksy"), ("Pienin solu", "Smallest cell", 5)],
    ...                       "en").to_html()
    >>> "Semester" in html and "2020-syksy" in html and "Setting" in html
    True
    """
    frame = pd.DataFrame(
        {
            "setting": [fi if lang == "fi" else en for fi, en, _ in rows],
            "value": [str(v) for _, _, v in rows],
        }
    )
    return display_table(
        frame, {"setting": ("Asetus", "Setting", "text"), "value": ("Arvo", "Value", "text")}, lang
    )


def key_figures_table(kf: pd.DataFrame, lang: Lang = "fi", min_n: int = MIN_N) -> Styler:
    """The key figures (``KeyFigures.to_frame()``) as people read them: label, value by unit, n and interval.

    Examples
    --------
    >>> kf = pd.DataFrame({"name": ["response_rate", "nps"], "value": [73.75, -5.0], "unit": ["%", "NPS"],
    ...                    "n": [118, 80], "ci_low": [66.43, -23.0], "ci_high": [79.95, 13.4],
    ...                    "label_fi": ["Vastausosuus", "Suositteluindeksi"], "label_en": ["Response rate", "NPS"]})
    >>> key_figures_table(kf).data.replace("\\u00a0", " ", regex=True).values.tolist()
    [['Vastausosuus', '74 %', '118', '66–80 %'], ['Suositteluindeksi', '−5', '80', '−23 – 13']]
    """
    rows = []
    for r in kf.to_dict("records"):
        unit = str(r.get("unit") or "")
        if is_missing(r["value"]):
            value = fmt_suppressed(min_n, lang)
        elif isinstance(r["value"], str):  # a named result (e.g. the most mentioned theme)
            value = r["value"]
        else:
            value = fmt_value(r["value"], unit, lang)
        low, high = r.get("ci_low"), r.get("ci_high")
        if is_missing(low) or is_missing(high):
            ci = MISSING
        elif unit == "%":
            ci = fmt_ci(low, high, lang, 0, percent=True)
        elif unit.upper() in ("NPS", "N"):
            ci = fmt_ci(low, high, lang, 0)
        else:
            ci = fmt_ci(low, high, lang, 2 if abs(float(high) - float(low)) < 1 else 1)
        name = r.get(f"label_{lang}") or r.get("label_fi") or r.get("name")
        rows.append({"label": name, "value": value, "n": r.get("n"), "ci": ci})
    frame = pd.DataFrame(rows, columns=["label", "value", "n", "ci"])
    frame["n"] = frame["n"].astype("Int64")
    return display_table(
        frame,
        {
            "label": ("Tunnusluku", "Key figure", "text"),
            "value": ("Arvo", "Value", "raw"),
            "n": ("n", "n", "int"),
            "ci": ("95 %:n LV", "95% CI", "raw"),
        },
        lang,
        min_n,
        na_dash=["n"],
    )


def display_crosstab(
    table: pd.DataFrame,
    row_header: tuple[str, str],
    lang: Lang = "fi",
    min_n: int = MIN_N,
    *,
    kind: str = "int",
    caption: str | None = None,
) -> Styler:
    """A cross-tabulation (row labels in the index, one column per category) as a display table.

    The index becomes the first column, headed ``row_header`` (``(fi, en)``); every column is shown with
    ``kind`` (counts by default), hidden cells as ``piilotettu``.

    Examples
    --------
    >>> ct = pd.DataFrame({"2021-syksy": pd.array([15, pd.NA], dtype="Int64"), "2022-syksy": [14, 20]},
    ...                   index=pd.Index(["1", "2"], name="interviews"))
    >>> display_crosstab(ct, ("Haastatteluja", "Interviews")).data.values.tolist()
    [['1', '15', '14'], ['2', 'piilotettu', '20']]
    """
    flat = table.set_axis([str(c) for c in table.columns], axis=1).reset_index(drop=True)
    flat.insert(0, "__row__", table.index.astype(str).tolist())
    columns: dict[ColumnKey, ColumnSpec] = {"__row__": (row_header[0], row_header[1], "text")}
    columns |= {c: (c, c, kind) for c in flat.columns[1:]}
    return display_table(flat, columns, lang, min_n, caption=caption)
