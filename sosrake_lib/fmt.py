"""Format numbers, percentages, intervals and dates for people to read, in Finnish or English.

This is *the one* formatting helper (decimal comma, non-breaking thin-space thousands, "95 %:n luottamusväli"): figures, tables
for people, the infographic and the notebook narrative all format through it, so a Finnish label always reads
``3,4``, ``87 %``, ``1 000`` and ``12.10.2022``, and an English one ``3.4``, ``87%``, ``1,000`` and
``2022-10-12``. Machine files (CSV, JSON) are *not* formatted here: they keep plain ``.`` decimals.

Conventions, following Kielitoimiston ohjepankki (Institute for the Languages of Finland), "Numeroiden
ryhmittely", "Prosenttimerkki" and "Päiväys":

- Decimal comma; digits grouped by threes with a **no-break space U+00A0** (NBSP). NBSP rather than the
  narrow U+202F because DejaVu Sans, Excel and every browser render it, and it still keeps ``1 000`` on one
  line. The same NBSP stands between a number and ``%``.
- The minus sign in Finnish text is the typographic minus U+2212 (``−3,4``); English keeps ``-``.
- Ranges and confidence intervals use an en dash U+2013 without spaces (``3,1–3,7``); with a negative end
  the dash gets spaces so ``−3,1 – −1,2`` cannot be misread.
- Dates: Finnish ``12.10.2022`` (day and month without leading zeros, ``1.2.2022``); English ISO 8601
  ``2022-10-12``, which no reader misreads as a US date.
- A missing value (``None``, ``NaN``, ``pd.NA``, ``NaT``) is an en dash ``–``.
- p-values: ``p < 0,001`` below 0.001, otherwise three decimals, ``p = 0,012`` (:func:`fmt_p`); never
  scientific notation.
- Rounding is half away from zero on the shortest decimal form of the float (``0.125`` → ``0,13``, as people
  and Excel round), not Python's round-half-even on the binary value (which gives ``0.12``); done with
  :mod:`decimal` rather than by hand.

Examples
--------
>>> fmt_number(3.44)
'3,4'
>>> fmt_number(3.44, "en")
'3.4'
>>> fmt_number(1234.5, decimals=0) == "1\\u00a0235"
True
>>> fmt_percent(87.2).replace("\\u00a0", " ")
'87 %'
>>> fmt_percent(87.2, "en")
'87%'
>>> fmt_ci(3.12, 3.68)
'3,1–3,7'
>>> fmt_date("2022-10-12")
'12.10.2022'
>>> fmt_number(None)
'–'
>>> fmt_suppressed(5)
'piilotettu'
>>> fmt_p(0.0000000000023)
'p < 0,001'
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

import numpy as np
import pandas as pd

from .settings import MIN_N

Lang = Literal["fi", "en"]

NBSP = "\u00a0"
"""No-break space: Finnish thousands separator and the space before ``%``."""
MINUS = "\u2212"
"""Typographic minus sign used in Finnish output."""
EN_DASH = "\u2013"
"""En dash: missing values and ranges."""
MISSING = EN_DASH
"""What a missing value is shown as."""

_LANGS = ("fi", "en")


def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        raise ValueError(f"lang must be 'fi' or 'en', not {lang!r}")


def is_missing(x: Any) -> bool:
    """True for ``None``, ``NaN``, ``pd.NA`` and ``NaT`` (scalars only).

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0, "")]
    [True, True, True, True, False, False]
    """
    if x is None:
        return True
    if isinstance(x, str):
        return False
    try:
        return bool(pd.api.types.is_scalar(x) and pd.isna(x))
    except (TypeError, ValueError):
        return False


def _to_decimal(x: Any) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool | np.bool_):
        raise TypeError(f"cannot format a boolean as a number: {x!r}")
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    if isinstance(x, numbers.Real):
        # str(float) is the shortest repr that round-trips: 2.675 -> '2.675', so half-up works as people expect
        return Decimal(str(float(x)))
    try:
        return Decimal(str(x))
    except InvalidOperation:
        raise TypeError(f"not a number: {x!r}") from None


def fmt_number(x: Any, lang: Lang = "fi", decimals: int = 1, *, grouping: bool = True) -> str:
    """Format a number with the decimal mark and digit grouping of ``lang``.

    Parameters
    ----------
    x : int, float, Decimal, numpy scalar or missing
        The value. Missing values give ``"–"``.
    lang : {"fi", "en"}
        ``"fi"``: ``1 234,5`` (NBSP groups, decimal comma, minus U+2212); ``"en"``: ``1,234.5``.
    decimals : int
        Digits after the decimal mark, rounded half away from zero.
    grouping : bool
        Group thousands (``False`` for years and codes).

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_number(2.675, decimals=2)   # f"{2.675:.2f}" would give '2.67'
    '2,68'
    >>> fmt_number(-0.04)               # no negative zero
    '0,0'
    >>> fmt_number(-1234567.891, "en", 2)
    '-1,234,567.89'
    >>> fmt_number(-3.45) == "\\u22123,5"
    True
    >>> fmt_number(float("nan"))
    '–'
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    d = _to_decimal(x)
    if d.is_infinite():
        return ("" if d > 0 else (MINUS if lang == "fi" else "-")) + "∞"
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # avoid "-0,0"
    text = f"{abs(q):,.{decimals}f}" if grouping else f"{abs(q):.{decimals}f}"
    if lang == "fi":
        text = text.replace(",", NBSP).replace(".", ",")
    sign = "" if q >= 0 else (MINUS if lang == "fi" else "-")
    return sign + text


def fmt_int(x: Any, lang: Lang = "fi", *, grouping: bool = True) -> str:
    """Format a count or other whole number: ``1 000`` / ``1,000``.

    Examples
    --------
    >>> fmt_int(63)
    '63'
    >>> fmt_int(12345, "en")
    '12,345'
    >>> fmt_int(2022, grouping=False)
    '2022'
    """
    return fmt_number(x, lang, decimals=0, grouping=grouping)


def fmt_percent(x: Any, lang: Lang = "fi", decimals: int = 0) -> str:
    """Format a percentage given on the 0–100 scale: ``87 %`` (NBSP) / ``87%``.

    Examples
    --------
    >>> fmt_percent(55.56, decimals=1) == "55,6\\u00a0%"
    True
    >>> fmt_percent(55.56, "en", 1)
    '55.6%'
    >>> fmt_percent(None)
    '–'
    """
    text = fmt_number(x, lang, decimals)
    if text == MISSING:
        return text
    return f"{text}{NBSP}%" if lang == "fi" else f"{text}%"


def fmt_ci(
    low: Any, high: Any, lang: Lang = "fi", decimals: int = 1, *, percent: bool = False
) -> str:
    """Format an interval as ``3,1–3,7`` (en dash), or ``80–92 %`` with ``percent=True``.

    If either end is missing the result is ``"–"``. With a negative end the dash is spaced.

    Examples
    --------
    >>> fmt_ci(3.12, 3.68, "en")
    '3.1–3.7'
    >>> fmt_ci(80.4, 91.6, decimals=0, percent=True).replace("\\u00a0", " ")
    '80–92 %'
    >>> fmt_ci(-12, 30, "en", 0)
    '-12 – 30'
    >>> fmt_ci(float("nan"), 3)
    '–'
    """
    if is_missing(low) or is_missing(high):
        _check_lang(lang)
        return MISSING
    a, b = fmt_number(low, lang, decimals), fmt_number(high, lang, decimals)
    sep = f" {EN_DASH} " if (a.startswith((MINUS, "-")) or b.startswith((MINUS, "-"))) else EN_DASH
    text = f"{a}{sep}{b}"
    if percent:
        text += f"{NBSP}%" if lang == "fi" else "%"
    return text


def fmt_date(d: Any, lang: Lang = "fi") -> str:
    """Format a date: ``12.10.2022`` (fi) or ISO ``2022-10-12`` (en).

    Accepts :class:`datetime.date`, :class:`datetime.datetime`, :class:`pandas.Timestamp`,
    :class:`numpy.datetime64` or an ISO string. The time of day is dropped.

    Examples
    --------
    >>> import datetime
    >>> fmt_date(datetime.date(2022, 2, 1))
    '1.2.2022'
    >>> fmt_date(pd.Timestamp("2022-10-12 14:30"), "en")
    '2022-10-12'
    >>> fmt_date(pd.NaT)
    '–'
    """
    _check_lang(lang)
    if is_missing(d):
        return MISSING
    if isinstance(d, str | np.datetime64):
        d = pd.Timestamp(d)
    if isinstance(d, _dt.datetime):  # includes pd.Timestamp
        d = d.date()
    if not isinstance(d, _dt.date):
        raise TypeError(f"not a date: {d!r}")
    return f"{d.day}.{d.month}.{d.year}" if lang == "fi" else d.isoformat()


_SEASONS = {
    "syksy": ("Syksy", "Autumn"),
    "kevat": ("Kevät", "Spring"),
    "kevät": ("Kevät", "Spring"),
    "kesa": ("Kesä", "Summer"),
    "kesä": ("Kesä", "Summer"),
    "talvi": ("Talvi", "Winter"),
    "autumn": ("Syksy", "Autumn"),
    "fall": ("Syksy", "Autumn"),
    "spring": ("Kevät", "Spring"),
    "summer": ("Kesä", "Summer"),
}
_PERIOD = re.compile(r"\s*(\d{4})[-_ ]([^\d\W]+)\s*|\s*([^\d\W]+)[-_ ](\d{4})\s*")


def fmt_semester(semester: Any, lang: Lang = "fi") -> str:
    """A semester code as people read it: ``"2022-syksy"`` → ``"Syksy 2022"`` / ``"Autumn 2022"``.

    The one way a semester is written on a page (key-figure labels, the infographic). Codes that do not look
    like ``<year>-<season>`` (or ``<season>-<year>``) are returned unchanged.

    Examples
    --------
    >>> fmt_semester("2022-syksy"), fmt_semester("2022-kevat", "en"), fmt_semester("sample")
    ('Syksy 2022', 'Spring 2022', 'sample')
    """
    _check_lang(lang)
    m = _PERIOD.fullmatch(str(semester))
    if not m:
        return str(semester)
    year = m.group(1) or m.group(4)
    season = (m.group(2) or m.group(3)).lower()
    if season not in _SEASONS:
        return str(semester)
    return f"{_SEASONS[season][0 if lang == 'fi' else 1]} {year}"


def fmt_suppressed(min_n: int = MIN_N, lang: Lang = "fi") -> str:
    """The label shown instead of a suppressed value: ``piilotettu`` / ``suppressed``.

    One neutral label for every hidden cell, as statistical offices do (Statistics Finland's ``..``): a cell
    hidden by the *secondary* rule, so that a small one cannot be worked out from a total, may describe many
    people, so a label such as "alle 5" would be false there, and labelling the two kinds differently would
    point at the small cell. What the threshold is goes in the note under the table
    (:func:`sosrake_lib.report.suppression_note`). ``min_n`` is accepted so that call sites keep stating the
    threshold they applied; it is checked but not shown.

    Examples
    --------
    >>> fmt_suppressed(5, "en")
    'suppressed'
    >>> fmt_suppressed(10)
    'piilotettu'
    """
    _check_lang(lang)
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, not {min_n!r}")
    return "piilotettu" if lang == "fi" else "suppressed"


def label(obj: Any, lang: Lang = "fi") -> str:
    """Pick the label in ``lang`` from a mapping or an object with ``label_fi`` / ``label_en``.

    Looks for ``label_<lang>``, then ``<lang>`` (e.g. ``{"fi": ..., "en": ...}``), then falls back to the
    Finnish label (Finnish is the first language of every label), then ``label``, then ``name``. A plain
    string is returned as it is.

    Raises
    ------
    KeyError
        If nothing usable is found.

    Examples
    --------
    >>> lab = {"label_fi": "Turvallisuus", "label_en": "Safety"}
    >>> label(lab), label(lab, "en")
    ('Turvallisuus', 'Safety')
    >>> label({"label_fi": "Saatavuus"}, "en")
    'Saatavuus'
    >>> label({"fi": "Hyödyllisyys", "en": "Usefulness"}, "en")
    'Usefulness'
    """
    _check_lang(lang)
    if isinstance(obj, str):
        return obj
    keys = (f"label_{lang}", lang, "label_fi", "fi", "label", "name")
    for key in keys:
        if isinstance(obj, Mapping):
            value = obj.get(key)
        else:
            value = getattr(obj, key, None)
        if isinstance(value, str) and value:
            return value
    raise KeyError(f"no label_{lang} (or fallback) in {obj!r}")


def fmt_value(x: Any, unit: str = "", lang: Lang = "fi", decimals: int | None = None) -> str:
    """Format a value by its key-figure unit: ``"%"`` → percent, ``"n"`` → integer, ``"NPS"`` → signed integer.

    Other units give a number with ``decimals`` (default 1) followed by nothing: the unit is for the label.

    Examples
    --------
    >>> fmt_value(91.7, "%").replace("\\u00a0", " ")
    '92 %'
    >>> fmt_value(68, "NPS")
    '+68'
    >>> fmt_value(3.456, "score 1–5", "en")
    '3.5'
    >>> fmt_value(1000, "n", "en")
    '1,000'
    """
    if unit == "%":
        return fmt_percent(x, lang, 0 if decimals is None else decimals)
    if unit == "n":
        return fmt_int(x, lang)
    if unit.upper() == "NPS":
        text = fmt_number(x, lang, 0 if decimals is None else decimals)
        return text if text.startswith((MINUS, "-", MISSING)) or text in ("0",) else "+" + text
    return fmt_number(x, lang, 1 if decimals is None else decimals)


def fmt_change(x: Any, lang: Lang = "fi", decimals: int = 1) -> str:
    """Format a change or a difference with its sign: ``+0,3`` / ``−0,2`` (``+0.3`` / ``-0.2`` in English).

    A value that rounds to zero has no sign (``0,0``: neither up nor down), and a missing one is ``"–"``.

    Examples
    --------
    >>> fmt_change(0.3156), fmt_change(0.3156, "en", 2)
    ('+0,3', '+0.32')
    >>> fmt_change(-0.16) == "\u22120,2", fmt_change(-0.02), fmt_change(None)
    (True, '0,0', '–')
    """
    text = fmt_number(x, lang, decimals)
    if text == MISSING or text.startswith((MINUS, "-")) or not text.strip("0,." + NBSP):
        return text
    return "+" + text


P_FLOOR = 0.001
"""Below this a p-value is written ``p < 0,001`` (three decimals cannot show a smaller one)."""


def fmt_p(p: Any, lang: Lang = "fi", *, with_p: bool = True) -> str:
    """Format a p-value as a reader expects it: ``p < 0,001`` or ``p = 0,012`` (``p < 0.001`` in English).

    The rule (APA 7th ed., 6.36; the usual practice of Finnish theses and journals):

    - ``p < 0.001`` is written ``p < 0,001``: no scientific notation (``2.3e-13``) and no ``p = 0,000``,
      because the exact size of a very small p-value says nothing more a reader can use;
    - otherwise ``p`` is rounded half away from zero to **three decimals**: ``p = 0,012``, ``p = 0,046``,
      ``p = 0,500``; a value that rounds to 0,001 shows as ``p = 0,001`` (it is not below the floor);
    - the decimal mark follows ``lang`` (comma in Finnish); the leading zero is kept, as in Finnish usage;
    - a missing p (no test was run, e.g. fewer than two groups) gives ``"–"``.

    The same rule as the ``p`` column kind of :func:`sosrake_lib.report.format_cell`, which writes the table
    cell without the ``p`` (``< 0,001``, ``0,046``); ``with_p=False`` gives that form here.

    Parameters
    ----------
    p : float or missing
        The p-value, between 0 and 1.
    lang : {"fi", "en"}
        Decimal comma (``fi``) or point (``en``).
    with_p : bool
        Start with ``p = `` / ``p < `` (default), for a sentence; ``False`` for a table cell.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1].

    Examples
    --------
    >>> fmt_p(2.3e-13), fmt_p(2.3e-13, "en")
    ('p < 0,001', 'p < 0.001')
    >>> fmt_p(0.01234), fmt_p(0.01234, "en")
    ('p = 0,012', 'p = 0.012')
    >>> fmt_p(0.0496), fmt_p(0.001), fmt_p(0.5, "en")
    ('p = 0,050', 'p = 0,001', 'p = 0.500')
    >>> fmt_p(0.0004, with_p=False), fmt_p(0.04567, "en", with_p=False)
    ('< 0,001', '0.046')
    >>> fmt_p(float("nan"))
    '–'
    """
    _check_lang(lang)
    if is_missing(p):
        return MISSING
    value = float(p)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a p-value is between 0 and 1, not {p!r}")
    if value < P_FLOOR:
        text = "< " + fmt_number(P_FLOOR, lang, 3)
        return f"p {text}" if with_p else text
    text = fmt_number(value, lang, 3)
    return f"p = {text}" if with_p else text


__all__ = [
    "EN_DASH",
    "MINUS",
    "MISSING",
    "NBSP",
    "P_FLOOR",
    "fmt_change",
    "fmt_ci",
    "fmt_date",
    "fmt_int",
    "fmt_number",
    "fmt_p",
    "fmt_percent",
    "fmt_semester",
    "fmt_suppressed",
    "fmt_value",
    "is_missing",
    "label",
]
