"""Tests for sosrake_lib.fmt: known strings from the Finnish and English number conventions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from sosrake_lib.fmt import (
    fmt_ci,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_suppressed,
    fmt_value,
    is_missing,
    label,
)

NB = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (3.4, "fi", 1, "3,4"),
        (3.4, "en", 1, "3.4"),
        (1000, "fi", 0, f"1{NB}000"),
        (1000, "en", 0, "1,000"),
        (1234567.891, "fi", 2, f"1{NB}234{NB}567,89"),
        (999.96, "fi", 1, f"1{NB}000,0"),  # rounding carries into a new group
        (-3.45, "fi", 1, f"{MINUS}3,5"),  # half away from zero
        (-3.45, "en", 1, "-3.5"),
        (0.125, "fi", 2, "0,13"),  # Python's round-half-even on the float would give 0.12
        (2.5, "en", 0, "3"),
        (np.float64(55.555), "fi", 1, "55,6"),
        (np.int64(42), "en", 0, "42"),
        (Decimal("1.05"), "fi", 1, "1,1"),
        (-0.01, "fi", 1, "0,0"),
    ],
)
def test_fmt_number_known_strings(x, lang, decimals, expected):
    assert fmt_number(x, lang, decimals) == expected


def test_fmt_number_grouping_off_for_years():
    assert fmt_number(2022, decimals=0, grouping=False) == "2022"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_are_en_dash(missing):
    assert is_missing(missing)
    assert fmt_number(missing) == "–"
    assert fmt_percent(missing, "en") == "–"
    assert fmt_int(missing) == "–"
    assert fmt_ci(missing, 3.0) == "–"
    assert fmt_ci(1.0, missing, "en") == "–"


def test_not_missing():
    assert not is_missing(0)
    assert not is_missing("")
    assert not is_missing("nan")


def test_fmt_percent():
    assert fmt_percent(87.2) == f"87{NB}%"
    assert fmt_percent(87.2, "en") == "87%"
    # 35 / 63 completed the course pilot = 55.555... %
    assert fmt_percent(35 / 63 * 100, "fi", 1) == f"55,6{NB}%"
    assert fmt_percent(35 / 63 * 100, "en", 1) == "55.6%"


def test_fmt_int():
    assert fmt_int(63) == "63"
    assert fmt_int(12345) == f"12{NB}345"
    assert fmt_int(12345.6, "en") == "12,346"


def test_fmt_ci():
    assert fmt_ci(3.12, 3.68) == "3,1\u20133,7"
    assert fmt_ci(3.12, 3.68, "en", 2) == "3.12\u20133.68"
    assert fmt_ci(80.4, 91.6, "fi", 0, percent=True) == f"80\u201392{NB}%"
    assert fmt_ci(-12.4, 30.2, "fi", 0) == f"{MINUS}12 \u2013 30"


def test_fmt_date():
    assert fmt_date(dt.date(2022, 10, 12)) == "12.10.2022"
    assert fmt_date(dt.date(2022, 10, 12), "en") == "2022-10-12"
    assert fmt_date(dt.datetime(2021, 2, 1, 23, 59)) == "1.2.2021"
    assert fmt_date(pd.Timestamp("2020-09-07")) == "7.9.2020"
    assert fmt_date(np.datetime64("2020-09-07"), "en") == "2020-09-07"
    assert fmt_date("2022-10-12") == "12.10.2022"
    assert fmt_date(None) == "–"
    with pytest.raises(TypeError):
        fmt_date(12)


def test_fmt_suppressed():
    assert (
        fmt_suppressed(5) == fmt_suppressed(1000) == "piilotettu"
    )  # the threshold goes in the note
    assert fmt_suppressed(5, "en") == "suppressed"
    with pytest.raises(ValueError, match="min_n"):
        fmt_suppressed(0)


def test_fmt_value_by_unit():
    assert fmt_value(91.66, "%") == f"92{NB}%"
    assert fmt_value(68, "NPS") == "+68"
    assert fmt_value(-12, "NPS") == f"{MINUS}12"
    assert fmt_value(0, "NPS") == "0"
    assert fmt_value(3.456, "score 1–5") == "3,5"
    assert fmt_value(None, "%") == "–"


def test_label_picks_language_and_falls_back():
    area = {
        "label_fi": "Mielenterveys- ja päihdetyö",
        "label_en": "Mental health and substance abuse work",
    }
    assert label(area) == "Mielenterveys- ja päihdetyö"
    assert label(area, "en") == "Mental health and substance abuse work"
    assert label({"label_fi": "Saatavuus", "label_en": ""}, "en") == "Saatavuus"
    assert label({"name": "nps"}, "en") == "nps"
    assert label("valmiiksi teksti", "en") == "valmiiksi teksti"

    class Obj:
        label_fi = "Turvallisuus"
        label_en = "Safety"

    assert label(Obj(), "en") == "Safety"
    with pytest.raises(KeyError):
        label({"x": 1})


def test_bad_language_and_types():
    with pytest.raises(ValueError, match="lang"):
        fmt_number(1.0, "sv")
    with pytest.raises(ValueError, match="lang"):
        fmt_number(None, "sv")
    with pytest.raises(TypeError):
        fmt_number(True)
    with pytest.raises(TypeError):
        fmt_number("abc")
