"""Dates of the survey tools (d.m.yyyy, ISO, US and European slash dates, Google Forms' time zones,
Moodle's English and Finnish dates): one format family per column, day or month first settled per
file, and the semester of a date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument, Item
from .values import _categorise, _fail

# Families of date formats; a column must fit one family throughout.
_DATE_FAMILIES: dict[str, tuple[str, ...]] = {
    "d.m.yyyy": (
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y %H.%M.%S",
        "%d.%m.%Y %H.%M",
        "%d.%m.%Y klo %H.%M",
        "%d.%m.%Y klo %H:%M",
        "%d.%m.%Y",
    ),
    "yyyy-mm-dd": (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d",
    ),
    "m/d/yyyy": (
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
        "%m/%d/%y %H:%M:%S",
        "%m/%d/%y %H:%M",
        "%m/%d/%y",
    ),
    "d/m/yyyy": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"),
    # Google Forms (English locale): 2021/10/02 2:19:36 PM GMT+3 (the zone is taken off first)
    "yyyy/mm/dd": (
        "%Y/%m/%d %I:%M:%S %p",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %I:%M %p",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d",
    ),
    # Moodle (English interface): Friday, 10 December 2021, 9:35 AM
    "weekday, d month yyyy": ("%A, %d %B %Y, %I:%M %p", "%A, %d %B %Y, %H:%M", "%A, %d %B %Y"),
}
_ZONE = re.compile(r"\s*(?:GMT|UTC)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$", re.IGNORECASE)
_FI_MONTHS = {
    m: k
    for k, m in enumerate(
        (
            "tammikuuta",
            "helmikuuta",
            "maaliskuuta",
            "huhtikuuta",
            "toukokuuta",
            "kesäkuuta",
            "heinäkuuta",
            "elokuuta",
            "syyskuuta",
            "lokakuuta",
            "marraskuuta",
            "joulukuuta",
        ),
        start=1,
    )
}
_FI_WEEKDAY_DATE = re.compile(
    r"^\s*(?:maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai)?,?\s*(\d{1,2})\.\s*"
    r"([a-zåäö]+kuuta)\s+(\d{4})(?:,?\s*(?:klo\s*)?(\d{1,2})[.:](\d{2}))?\s*$",
    re.IGNORECASE,
)


def _normalise_date_text(text: str) -> str:
    """Date text of the survey tools in a form :data:`_DATE_FAMILIES` reads.

    Google Forms' time zone suffix is dropped (the wall-clock time is kept), Moodle's Finnish dates become
    d.m.yyyy H.MM.

    >>> _normalise_date_text("2021/10/02 2:19:36 PM GMT+3")
    '2021/10/02 2:19:36 PM'
    >>> _normalise_date_text("perjantai, 10. joulukuuta 2021, 9.35")
    '10.12.2021 9.35'
    """
    t = _ZONE.sub("", text)
    m = _FI_WEEKDAY_DATE.match(t)
    if m and m.group(2).casefold() in _FI_MONTHS:
        day, month, year = int(m.group(1)), _FI_MONTHS[m.group(2).casefold()], m.group(3)
        clock = f" {int(m.group(4))}.{m.group(5)}" if m.group(4) else ""
        return f"{day}.{month}.{year}{clock}"
    return t


def _parse_with(fmts: tuple[str, ...], text: str) -> dt.datetime | None:
    for f in fmts:
        try:
            return dt.datetime.strptime(text.strip(), f)
        except ValueError:
            continue
    return None


_FAST_DATES = 1000
"""From this many distinct date strings on, :func:`_parse_family` parses with pandas' vectorised ``strptime``."""


def _parse_family(fmts: tuple[str, ...], uniques: list[str]) -> np.ndarray:
    """Parse distinct date strings with the first format of ``fmts`` that fits; NaT where none does.

    Real exports carry a submission *time* per row, so a big export has about as many distinct strings as rows.
    From :data:`_FAST_DATES` strings on, each format is tried on all remaining strings at once with
    ``pandas.to_datetime(format=...)`` (a C port of :func:`datetime.datetime.strptime`); whatever it leaves is
    tried once more with :func:`datetime.datetime.strptime` itself, so no string Python accepts is lost.

    Examples
    --------
    >>> _parse_family(_DATE_FAMILIES["d.m.yyyy"], ["1.2.2022 9:05", " 31.12.1999", "29.2.2021"]).tolist()
    [datetime.datetime(2022, 2, 1, 9, 5), datetime.datetime(1999, 12, 31, 0, 0), None]
    """
    out = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[s]")
    todo = np.ones(len(uniques), dtype=bool)
    if len(uniques) >= _FAST_DATES:
        text = pd.Series(uniques, dtype=object).str.strip()
        for f in fmts:
            idx = np.flatnonzero(todo)
            if idx.size == 0:
                break
            got = pd.to_datetime(text.iloc[idx], format=f, errors="coerce").to_numpy(
                dtype="datetime64[s]"
            )
            ok = ~np.isnat(got)
            out[idx[ok]] = got[ok]
            todo[idx[ok]] = False
    for i in np.flatnonzero(todo):
        p = _parse_with(fmts, uniques[i])
        if p is not None:
            out[i] = np.datetime64(p, "s")
    return out


_SLASH_PAIR = {"m/d/yyyy": "d/m/yyyy", "d/m/yyyy": "m/d/yyyy"}


def _slash_order(
    inst: Instrument, mapping: Mapping[int, str], column: Callable[[int], pd.Series]
) -> str:
    """``"day_first"`` or ``"month_first"`` when one of the file's slash-date columns settles it (a value such as
    20/09/2021 fits only one order), else ``""``: one file comes from one tool in one locale."""
    for j, item_id in mapping.items():
        if inst.item(item_id).kind not in ("date", "datetime"):
            continue
        _, uniques = _categorise(column(j))
        if not any("/" in u for u in uniques[:20]):
            continue
        text = [_normalise_date_text(u) for u in uniques[:5000]]
        dm = ~np.isnat(_parse_family(_DATE_FAMILIES["d/m/yyyy"], text))
        md = ~np.isnat(_parse_family(_DATE_FAMILIES["m/d/yyyy"], text))
        if dm.all() and not md.all():
            return "day_first"
        if md.all() and not dm.all():
            return "month_first"
    return ""


def _convert_date(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str, date_order: str = ""
) -> pd.Series:
    codes, raw_uniques = _categorise(col)
    # Tool-specific spellings (Google's time zone, Moodle's Finnish month names) only where letters occur:
    # plain numeric dates, the usual case on big exports, skip the per-value regex.
    if any(re.search(r"[^\d\s.:/\-T]", u) for u in raw_uniques[:50]):
        uniques = [_normalise_date_text(u) for u in raw_uniques]
    else:
        uniques = raw_uniques
    values: np.ndarray | None = None
    fits: dict[str, int] = {}
    families = list(_DATE_FAMILIES)
    if date_order == "day_first":  # the codebook overlay settles 01/09/2021 as 1 September
        families.remove("d/m/yyyy")
        families.insert(families.index("m/d/yyyy"), "d/m/yyyy")
    for family in families:
        attempt = _parse_family(_DATE_FAMILIES[family], uniques)
        fits[family] = int((~np.isnat(attempt)).sum())
        if fits[family] == len(uniques):
            values = attempt
            other = _SLASH_PAIR.get(family)
            if other and not date_order:
                twin = _parse_family(_DATE_FAMILIES[other], uniques)
                if (~np.isnat(twin)).all() and not np.array_equal(twin, attempt):
                    k = int(np.flatnonzero(twin != attempt)[0])
                    _fail(
                        col,
                        rows,
                        raw_uniques[k],
                        "the dates can be read day first or month first (every day "
                        "is 12 or less), and the two give different dates",
                        file,
                        header,
                        "add 'date_order: day_first' (or month_first) under the instrument in a codebook overlay "
                        "(--codebook-overlay), or export the dates as 1.9.2021 or 2021-09-01",
                    )
            break
    if values is None:
        family = max(fits, key=lambda f: fits[f])
        k = next(k for k, u in enumerate(uniques) if _parse_with(_DATE_FAMILIES[family], u) is None)
        anywhere = any(_parse_with(f, uniques[k]) for f in _DATE_FAMILIES.values())
        msg = (
            "dates in mixed formats: this value does not follow the column's main format "
            f"({family})"
            if anywhere and fits[family]
            else "not a date"
        )
        _fail(
            col,
            rows,
            raw_uniques[k],
            msg,
            file,
            header,
            "write every date in one format, e.g. 12.10.2022 or 2022-10-12",
        )
    out = np.full(len(col), np.datetime64("NaT"), dtype="datetime64[s]")
    out[codes >= 0] = values[codes[codes >= 0]]
    ser = pd.Series(out, index=col.index, name=item.id)
    return ser.dt.normalize() if item.kind == "date" else ser


def semester_of(when: pd.Series | dt.date) -> Any:
    """Finnish semester label of a date: January–July is spring (kevät), August–December autumn (syksy).

    >>> semester_of(dt.date(2021, 10, 12))
    '2021-syksy'
    >>> semester_of(pd.Series(pd.to_datetime(["2022-03-01", "2022-09-01"]))).tolist()
    ['2022-kevät', '2022-syksy']
    """
    if isinstance(when, pd.Series):
        season = np.where(when.dt.month >= 8, "syksy", "kevät")
        return (when.dt.year.astype("Int64").astype("str") + "-" + season).where(when.notna())
    return f"{when.year}-{'syksy' if when.month >= 8 else 'kevät'}"
