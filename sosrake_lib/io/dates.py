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
from ..errors import ExportError
from .values import _categorise, _first_row

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


_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS_FI_IN = (
    "tammikuussa", "helmikuussa", "maaliskuussa", "huhtikuussa", "toukokuussa", "kesäkuussa",
    "heinäkuussa", "elokuussa", "syyskuussa", "lokakuussa", "marraskuussa", "joulukuussa",
)  # fmt: skip
_DMY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_YMD = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b")
_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")


def _ordinal(day: int) -> str:
    """``1st``, ``2nd``, ``31st``, ``11th``."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _calendar_problem(day: int, month: int, year: int) -> tuple[str, str] | None:
    """Why day.month.year is no date, in English and Finnish (None: it is one)."""
    import calendar

    if not 1 <= month <= 12:
        return f"there is no month {month}", f"kuukautta {month} ei ole"
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        return f"there is no day {day}", f"päivää {day} ei ole"
    if day <= last:
        return None
    if month == 2 and day == 29:
        return (
            f"{year} is not a leap year: February has 28 days",
            f"{year} ei ole karkausvuosi: helmikuussa on 28 päivää",
        )
    return (
        f"{_MONTHS_EN[month - 1]} has no {_ordinal(day)}",
        f"{_MONTHS_FI_IN[month - 1]} ei ole {day}. päivää",
    )


def date_problem(text: str, date_order: str = "") -> tuple[str, str] | None:
    """Why ``text``, written like a date, is not one (English, Finnish), or None when no reason is seen.

    Examples
    --------
    >>> date_problem("31.2.2022")
    ('February has no 31st', 'helmikuussa ei ole 31. päivää')
    >>> date_problem("29.2.2023")[1]
    '2023 ei ole karkausvuosi: helmikuussa on 28 päivää'
    >>> date_problem("13/13/2022"), date_problem("2022-04-31 10:00")[0]
    (('there is no month 13', 'kuukautta 13 ei ole'), 'April has no 31st')
    >>> date_problem("eilen") is None, date_problem("1.2.2022") is None
    (True, True)
    """
    if m := _DMY.match(text):
        return _calendar_problem(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _YMD.match(text):
        return _calendar_problem(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _SLASH.match(text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = y if y >= 100 else 2000 + y
        day_first = (date_order == "day_first" or a > 12) and b <= 12
        day, month = (a, b) if day_first else (b, a)
        if month > 12 and day <= 12:
            day, month = month, day
        return _calendar_problem(day, month, year)
    return None


def _date_error(
    col: pd.Series,
    rows: pd.Series,
    value: str,
    file: str,
    header: str,
    *,
    mixed: str = "",
    date_order: str = "",
) -> ExportError:
    """The error for a value of a date column that cannot be read: what is wrong with it, in English and
    Finnish (``mixed``: the column's main format, when the value is a date of another format)."""
    shown = " ".join(str(value).split())
    problem = date_problem(str(value), date_order)
    if problem:
        en = f"{shown} is not a date ({problem[0]})"
        fi = f"{shown} ei ole päivämäärä ({problem[1]})"
        hint = "correct the date in the cell, or leave the cell empty"
        hint_fi = "korjaa solun päivämäärä tai jätä solu tyhjäksi"
    elif mixed:
        en = f"dates in mixed formats: {shown} does not follow the column's main format ({mixed})"
        fi = f"päivämäärät eri muodoissa: {shown} ei ole sarakkeen muiden päivämäärien muotoa ({mixed})"
        hint = f"write every date of the column in one format ({mixed})"
        hint_fi = f"kirjoita sarakkeen kaikki päivämäärät samassa muodossa ({mixed})"
    else:
        en = f"{shown} is not a date"
        fi = f"{shown} ei ole päivämäärä"
        hint = "write a date such as 12.10.2022 or 2022-10-12 in the cell, or leave it empty"
        hint_fi = (
            "kirjoita soluun päivämäärä, esim. 12.10.2022 tai 2022-10-12, tai jätä se tyhjäksi"
        )
    return ExportError(
        en,
        file=file,
        row=_first_row(col, rows, value),
        column=header,
        value=value,
        hint=hint,
        message_fi=fi,
        hint_fi=hint_fi,
    )


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
                    raise ExportError(
                        "the dates can be read day first or month first (every day is 12 or less), "
                        "and the two give different dates",
                        file=file,
                        row=_first_row(col, rows, raw_uniques[k]),
                        column=header,
                        value=raw_uniques[k],
                        hint="add 'date_order: day_first' (or month_first) under the instrument in a "
                        "codebook overlay (--codebook-overlay), or export the dates as 1.9.2021 or "
                        "2021-09-01",
                        message_fi="päivämäärät voi lukea päivä tai kuukausi edellä (jokainen päivä on "
                        "12 tai pienempi), ja ne antavat eri päivämäärät",
                        hint_fi="lisää 'date_order: day_first' (tai month_first) lisäkoodikirjaan "
                        "(--codebook-overlay) tai vie päivämäärät muodossa 1.9.2021 tai 2021-09-01",
                    )
            break
    if values is None:
        family = max(fits, key=lambda f: fits[f])
        k = next(k for k, u in enumerate(uniques) if _parse_with(_DATE_FAMILIES[family], u) is None)
        anywhere = any(_parse_with(f, uniques[k]) for f in _DATE_FAMILIES.values())
        raise _date_error(
            col,
            rows,
            raw_uniques[k],
            file,
            header,
            mixed=family if anywhere and fits[family] else "",
            date_order=date_order,
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
