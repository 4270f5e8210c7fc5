"""Tests for sosrake_lib.outputs: key figures, suppression on write, formula injection, tables, determinism."""

from __future__ import annotations

import json
import time
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sosrake_lib.outputs import (
    FIXED_TIMESTAMP,
    KeyFigure,
    KeyFigures,
    column_labels,
    neutralise_frame,
    read_key_figures,
    safe_cell,
    sheet_names,
    suppress_parts,
    write_tables,
)


def _figures() -> KeyFigures:
    kf = KeyFigures()
    # course pilot: 35 of 63 completed = 55.555... %
    kf.add(
        "completion_pct",
        35 / 63 * 100,
        "%",
        n=63,
        ci_low=43.3,
        ci_high=67.2,
        method="Wilson 95 % CI",
        label_fi="Kurssin suorittaneet",
        label_en="Completed the course",
    )
    kf.add(
        "nps",
        np.int64(68),
        "NPS",
        n=39,
        ci_low=np.float64(49.0),
        ci_high=81.5,
        method="THL NPS",
        label_fi="Suositteluindeksi (NPS)",
        label_en="Net Promoter Score",
        source={"table": "nps_by_semester", "column": "nps", "row": {"semester": "2022-syksy"}},
    )
    kf.add(
        "supervisors_safe_pct",
        100.0,
        "%",
        n=3,
        ci_low=43.9,
        ci_high=100.0,
        method="Wilson 95 % CI",
        label_fi="Esihenkilöt: koki olonsa turvalliseksi",
        label_en="Supervisors: felt safe",
    )
    kf.add("supervisors_n", 3, "n", n=None, label_fi="Esihenkilöitä", label_en="Supervisors")
    kf.add(
        "top_area",
        "Sosiaalinen raportointi",
        "",
        label_fi="Suurin koulutustarve",
        label_en="Top need",
    )
    kf.add(
        "alpha",
        float("nan"),
        "alpha",
        n=40,
        label_fi="Cronbachin alfa",
        label_en="Cronbach's alpha",
    )
    return kf


def test_key_figures_json_round_trip_and_suppression(tmp_path):
    json_path, csv_path = _figures().write(tmp_path, min_n=5)
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["min_n"] == 5
    assert doc["n_suppressed"] == 2
    rows = {r["name"]: r for r in read_key_figures(json_path)}
    # written at its display precision: 35/63 = 55.555...% -> 55.6 (one decimal for a percentage)
    assert rows["completion_pct"]["value"] == 55.6
    assert rows["completion_pct"]["ci_low"] == 43.3 and rows["completion_pct"]["n"] == 63
    assert rows["nps"]["value"] == 68 and isinstance(rows["nps"]["value"], int)
    # n = 3 < 5: value and CI nulled although the caller passed them
    sup = rows["supervisors_safe_pct"]
    assert (sup["value"], sup["ci_low"], sup["ci_high"], sup["suppressed"]) == (
        None,
        None,
        None,
        True,
    )
    assert sup["n"] == 3 and "n < 5" in sup["note"]
    # a count of 3 people is itself a small cell
    assert rows["supervisors_n"]["value"] is None and rows["supervisors_n"]["suppressed"] is True
    assert rows["top_area"]["value"] == "Sosiaalinen raportointi"
    assert rows["alpha"]["value"] is None and rows["alpha"]["suppressed"] is False  # NaN -> null
    # the caller's objects are not changed by writing
    assert _figures()["supervisors_safe_pct"].value == 100.0


def test_key_figures_json_format(tmp_path):
    json_path, _ = _figures().write(tmp_path)
    text = json_path.read_text(encoding="utf-8")
    assert "Esihenkilöt: koki olonsa turvalliseksi" in text  # ensure_ascii=False
    assert "NaN" not in text
    assert text.startswith('{\n  "key_figures": [\n    {\n      "ci_high"')  # sorted keys, indent 2


def test_key_figures_csv_round_trip(tmp_path):
    _, csv_path = _figures().write(tmp_path)
    raw = csv_path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").splitlines()
    assert (
        lines[0]
        == "name,value,unit,n,ci_low,ci_high,method,label_fi,label_en,suppressed,note,source"
    )
    assert lines[2] == (
        "nps,68,NPS,39,49,82,THL NPS,Suositteluindeksi (NPS),Net Promoter Score,False,,"
        '"{""column"": ""nps"", ""row"": {""semester"": ""2022-syksy""}, ""table"": ""nps_by_semester""}"'
    )
    rows = {r["name"]: r for r in read_key_figures(csv_path)}
    assert rows["nps"]["value"] == 68 and rows["nps"]["n"] == 39 and rows["nps"]["ci_high"] == 82
    assert (
        rows["supervisors_safe_pct"]["value"] is None and rows["supervisors_safe_pct"]["suppressed"]
    )
    assert rows["top_area"]["value"] == "Sosiaalinen raportointi"
    assert rows["completion_pct"]["label_fi"] == "Kurssin suorittaneet"
    assert rows["nps"]["source"] == {
        "table": "nps_by_semester",
        "column": "nps",
        "row": {"semester": "2022-syksy"},
    }
    assert rows["completion_pct"]["source"] is None


def test_min_n_is_configurable(tmp_path):
    kf = KeyFigures([KeyFigure("x", 50.0, "%", n=8, label_fi="x")])
    assert read_key_figures(kf.write(tmp_path / "a", min_n=5)[0])[0]["value"] == 50.0
    assert read_key_figures(kf.write(tmp_path / "b", min_n=10)[0])[0]["value"] is None


def test_numeric_key_figure_without_n_is_refused(tmp_path):
    kf = KeyFigures([KeyFigure("mean", 3.4, "score 1–5")])
    with pytest.raises(ValueError, match="no n"):
        kf.write(tmp_path)


def test_key_figure_validation():
    kf = KeyFigures()
    kf.add("a", 1.0, "%", n=10)
    with pytest.raises(ValueError, match="duplicate"):
        kf.add("a", 2.0, "%", n=10)
    with pytest.raises(TypeError):
        KeyFigure("b", 1.0, "%", n=2.5)
    with pytest.raises(ValueError):
        KeyFigure("", 1.0)
    with pytest.raises(TypeError):
        KeyFigure("c", True)
    assert KeyFigure("d", 1.0, n=np.int64(7)).n == 7
    assert KeyFigure("e", 1.0, label_fi="Suomeksi").label("en") == "Suomeksi"


def test_key_figures_csv_neutralises_text(tmp_path):
    kf = KeyFigures([KeyFigure("q", '=HYPERLINK("x")', "", note="@evil", label_fi="-lyhyt")])
    _, csv_path = kf.write(tmp_path)
    rows = read_key_figures(csv_path)
    assert rows[0]["note"] == "'@evil" and rows[0]["label_fi"] == "'-lyhyt"


# ------------------------------------------------------------------------------------ formula injection


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+358 40 123", "'+358 40 123"),
        ("-", "'-"),
        ("@SUM(A1:A3)", "'@SUM(A1:A3)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Täysin samaa mieltä", "Täysin samaa mieltä"),
        (" =1", " =1"),
        ("", ""),
        (-1, -1),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_neutralise_frame_dtypes():
    df = pd.DataFrame(
        {
            "s": pd.Series(["=x", None, "ok"], dtype="str"),
            "o": pd.Series(["+1", 5, None], dtype=object),
            "c": pd.Categorical(["@a", "b", "@a"]),
            "f": [-1.0, 2.0, np.nan],
        }
    )
    out = neutralise_frame(df)
    assert out["s"].tolist()[0] == "'=x" and pd.isna(out["s"].tolist()[1])
    assert out["o"].tolist()[:2] == ["'+1", 5]
    assert out["c"].tolist() == ["'@a", "b", "'@a"]
    assert out["f"].tolist()[:2] == [-1.0, 2.0]
    assert df["s"].tolist()[0] == "=x"  # input untouched


# ------------------------------------------------------------------------------------ tables


def _tables():
    answers = pd.DataFrame(
        {
            "Vastaus": ["=SUM(1+1)*cmd|' /C calc'!A0", "Hyvä, että kuunneltiin\x0b", "-2+3", None],
            "n": [1, 2, 3, 4],
            "Keskiarvo": [3.4, np.nan, 2.0, 1.5],
        }
    )
    areas = pd.DataFrame(
        {"Keskiarvo": [3.4, 2.9]},
        index=pd.Index(["Mielenterveys- ja päihdetyö", "TYP"], name="Työalue"),
    )
    return {"Avoimet vastaukset: kaikki [2021]": answers, "alueet": areas}


def test_write_tables_csv(tmp_path):
    paths = write_tables(_tables(), tmp_path)
    names = [p.name for p in paths]
    assert names == [
        "Avoimet_vastaukset_kaikki_2021.csv",
        "alueet.csv",
        "tables.xlsx",
        "README.txt",
    ]
    assert all(p.parent == tmp_path / "tables" for p in paths)
    csv_text = paths[0].read_text(encoding="utf-8")
    lines = csv_text.split("\n")  # not splitlines(): the vertical tab in row 2 would split it
    assert lines[0] == "Vastaus,n,Keskiarvo"
    assert lines[1] == "'=SUM(1+1)*cmd|' /C calc'!A0,1,3.4"
    assert lines[3] == "'-2+3,3,2.0"
    # the named index becomes the first column, Finnish letters kept
    assert (
        paths[1].read_text(encoding="utf-8")
        == "Työalue,Keskiarvo\nMielenterveys- ja päihdetyö,3.4\nTYP,2.9\n"
    )
    assert "pilkku" in paths[3].read_text(encoding="utf-8")
    en_readme = write_tables(_tables(), tmp_path / "en", lang="en")[-1]
    assert "comma" in en_readme.read_text(encoding="utf-8")


def test_write_tables_xlsx_content(tmp_path):
    xlsx = write_tables(_tables(), tmp_path)[2]
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Avoimet vastaukset_ kaikki _202", "alueet"]
    ws = wb.worksheets[0]
    # row 1 the title, row 3 the headers (bold, frozen below), data from row 4
    assert ws["A1"].value == "Avoimet vastaukset: kaikki [2021]" and ws["A1"].font.b
    assert [c.value for c in ws[3]] == ["Vastaus", "n", "Keskiarvo"]
    assert all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "A4"
    injected = ws["A4"]
    assert injected.value.startswith("'=SUM") and injected.data_type == "s"
    assert ws["A5"].value == "Hyvä, että kuunneltiin"  # vertical tab removed (illegal in XML)
    assert ws["A6"].value == "'-2+3"
    assert ws["C4"].value == 3.4 and ws["C4"].data_type == "n"  # numbers stay numbers
    assert ws["C4"].number_format == "0.00" and ws["B4"].number_format == "#,##0"
    assert ws["C5"].value == "piilotettu"  # a missing number is a hidden cell
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    ws2 = wb.worksheets[1]
    assert [c.value for c in ws2[4]] == ["Mielenterveys- ja päihdetyö", 3.4]
    assert wb.properties.modified == FIXED_TIMESTAMP


def test_write_tables_is_byte_identical(tmp_path, monkeypatch):
    first = write_tables(_tables(), tmp_path / "a")
    # pretend the second run is a day later: openpyxl stamps "now" into core.xml and the zip entries
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)
    second = write_tables(_tables(), tmp_path / "b")
    for p1, p2 in zip(first, second, strict=True):
        assert p1.read_bytes() == p2.read_bytes(), p1.name
    with zipfile.ZipFile(first[2]) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_write_tables_errors(tmp_path):
    with pytest.raises(ValueError):
        write_tables({}, tmp_path)
    with pytest.raises(ValueError, match="clash"):
        write_tables({"a b": pd.DataFrame({"x": [1]}), "a_b": pd.DataFrame({"x": [2]})}, tmp_path)


def test_sheet_names():
    names = sheet_names(["a" * 40, "a" * 40, "Taulukko?", "History", "'lainaus'", "", "X", "x"])
    assert names == [
        "a" * 31,
        "a" * 27 + " (2)",
        "Taulukko_",
        "History_",
        "lainaus",
        "Sheet",
        "X",
        "x (2)",
    ]
    assert all(len(n) <= 31 for n in names)


def test_column_labels():
    df = pd.DataFrame({"area": ["TYP"], "mean": [3.4], "n": [12]})
    labels = {
        "area": {"label_fi": "Työalue", "label_en": "Work area"},
        "mean": "Keskiarvo",
        "absent": "x",
    }
    assert list(column_labels(df, labels).columns) == ["Työalue", "Keskiarvo", "n"]
    assert list(column_labels(df, labels, "en").columns) == ["Work area", "Keskiarvo", "n"]
    with pytest.raises(ValueError, match="duplicate"):
        column_labels(df, {"area": "n"})


# ------------------------------------------------------------------------------------- suppress_parts


def test_suppress_parts_hides_small_answer_counts_and_a_second_cell_per_row():
    # Likert row 1: counts 2, 10, 40, 50, 16 (n 118): the 2 is small; alone it could be worked out as
    # 118 - 116, so the next smallest non-zero count (10) goes too. Row 2 has no small cell. Row 3 is an
    # already suppressed group (NA) and stays as it is.
    t = pd.DataFrame(
        {
            "item": ["A", "B", "C"],
            "n": [118, 118, pd.NA],
            "a1": pd.array([2, 0, pd.NA], dtype="Int64"),
            "a2": pd.array([10, 20, pd.NA], dtype="Int64"),
            "a3": pd.array([40, 40, pd.NA], dtype="Int64"),
            "a4": pd.array([50, 40, pd.NA], dtype="Int64"),
            "a5": pd.array([16, 18, pd.NA], dtype="Int64"),
        }
    )
    t.attrs["suppressed_cells"] = 6
    out = suppress_parts(t, ["a1", "a2", "a3", "a4", "a5"], 5)
    assert out.loc[0, ["a1", "a2"]].isna().all()
    assert out.loc[0, ["a3", "a4", "a5"]].tolist() == [40, 50, 16]
    assert out.loc[1, ["a1", "a2", "a3", "a4", "a5"]].tolist() == [
        0,
        20,
        40,
        40,
        18,
    ]  # a zero is no one
    assert out.loc[2, "a1"] is pd.NA and out.loc[0, "n"] == 118
    assert out.attrs["suppressed_cells"] == 6 + 2


def test_suppress_parts_follows_min_n_and_hides_linked_and_giveaway_sums():
    t = pd.DataFrame(
        {
            "n": [60],
            "a1": [7],
            "a2": [8],
            "a3": [15],
            "a4": [6],
            "a5": [24],
            "top_n": [30],
            "top_pct": [50.0],
            "a4_pct": [10.0],
        }
    )
    five = suppress_parts(
        t,
        ["a1", "a2", "a3", "a4", "a5"],
        5,
        sums=[("top_n", [["a4", "a5"], ["a1", "a2", "a3"]], ["top_pct"])],
    )
    assert five.notna().all(axis=None)  # nothing below 5
    ten = suppress_parts(
        t,
        ["a1", "a2", "a3", "a4", "a5"],
        10,
        linked={"a4": ["a4_pct"]},
        sums=[("top_n", [["a4", "a5"], ["a1", "a2", "a3"]], ["top_pct"])],
    )
    # 7, 8 and 6 are below 10 (three hidden: no secondary needed); a4 = 6 hidden alone in the top box, so
    # top_n (= a4 + a5) would give it away: hidden with its percentage
    assert ten.loc[0, ["a1", "a2", "a4", "a4_pct", "top_n", "top_pct"]].isna().all()
    assert ten.loc[0, ["n", "a3", "a5"]].tolist() == [60, 15, 24]


def test_a_published_partial_sum_is_a_cell_too() -> None:
    # answers 1..5 = 20, 40, 41, 7, 3 and no "En osaa sanoa": the top-2 count 7 + 3 = 10 is a small cell at
    # min_n 20 even though it is a sum; hidden, it must not follow from n_valid - a1 - a2 - a3 either, so
    # the smallest of those (a1 = 20) goes with it
    t = pd.DataFrame(
        {
            "a1": [20],
            "a2": [40],
            "a3": [41],
            "a4": [7],
            "a5": [3],
            "nsa": [0],
            "n_valid": [111],
            "top_n": [10],
            "top_pct": [100 * 10 / 111],
        }
    )
    low, top = ["a1", "a2", "a3"], ["a4", "a5"]
    out = suppress_parts(
        t,
        [*low, *top, "nsa"],
        20,
        sums=[
            ("n_valid", [["nsa"], [*low, *top]], []),
            ("top_n", [top, [*low, "n_valid"], [*low, "nsa"]], ["top_pct"]),
        ],
    )
    row = out.iloc[0]
    assert (
        pd.isna(row["top_n"])
        and pd.isna(row["top_pct"])
        and pd.isna(row["a4"])
        and pd.isna(row["a5"])
    )
    assert pd.isna(row["a1"]) and int(row["a2"]) == 40 and int(row["a3"]) == 41
    # nothing shown gives a hidden cell back: n_valid - a2 - a3 = a1 + a4 + a5 = 30, two or more unknowns
    assert int(row["n_valid"]) == 111 and int(row["nsa"]) == 0


def test_key_figures_are_written_at_their_display_precision(tmp_path):
    """Float noise from a median of thirds (0.9999999999999996) and 16-digit means never reach the key-figure
    files: each figure carries at most the decimals of its unit (fmt/infographic), counts stay whole."""
    from sosrake_lib.outputs import display_decimals

    kf = KeyFigures()
    kf.add(
        "gain", 1.0, "score change 1–5", n=31, ci_low=0.9999999999999996, ci_high=1.3333333333333335
    )
    kf.add("gain2", 0.666666666666667, "score change 1–5", n=31, ci_low=0.6666666666666665)
    kf.add(
        "rate", 55.55555555555556, "%", n=63, ci_low=43.319638238682344, ci_high=67.1529039881082
    )
    kf.add("nps", 48.484848484848484, "NPS", n=33, ci_low=12.5, ci_high=46.19)
    kf.add("alpha", 0.6964309664271426, "alpha", n=118, ci_low=0.5813015181857704)
    kf.add("enrolled", 63.0, "n", n=63)
    json_path, csv_path = kf.write(tmp_path, min_n=5)
    rows = {r["name"]: r for r in read_key_figures(json_path)}
    assert (rows["gain"]["value"], rows["gain"]["ci_low"], rows["gain"]["ci_high"]) == (
        1.0,
        1.0,
        1.3,
    )
    assert (rows["gain2"]["value"], rows["gain2"]["ci_low"]) == (0.7, 0.7)
    assert (rows["rate"]["value"], rows["rate"]["ci_low"], rows["rate"]["ci_high"]) == (
        55.6,
        43.3,
        67.2,
    )
    assert (rows["nps"]["value"], rows["nps"]["ci_low"], rows["nps"]["ci_high"]) == (48, 13, 46)
    assert (rows["alpha"]["value"], rows["alpha"]["ci_low"]) == (0.7, 0.58)
    assert rows["enrolled"]["value"] == 63 and isinstance(rows["enrolled"]["value"], int)
    text = csv_path.read_text(encoding="utf-8")
    assert "9999" not in text and "3333" not in text and "enrolled,63,n," in text
    for r in read_key_figures(csv_path):
        for key in ("value", "ci_low", "ci_high"):
            v = r[key]
            if isinstance(v, float):
                assert len(repr(v).split(".")[1]) <= max(display_decimals(r["unit"]), 1), (r, key)


def test_a_whole_number_stays_whole_when_written(tmp_path):
    kf = KeyFigures()
    kf.add("top2", 20, "%", n=86, ci_low=12.547976085704088, ci_high=29.728599624519457)
    _, csv_path = kf.write(tmp_path, min_n=5)
    assert (
        csv_path.read_text(encoding="utf-8").splitlines()[1].startswith("top2,20,%,86,12.5,29.7,")
    )
