"""tables.xlsx as staff read it: titles, notes, number formats, one hidden-cell word, sheet names in the run's
language, a read-me sheet; the CSV files unchanged; the privacy scanner reads the new layout."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sosrake_lib.course import CODE_COLUMNS
from sosrake_lib.course.completion import completion_funnel
from sosrake_lib.publish import publish_tables, suppression_summary
from sosrake_lib.scan import scan_file
from sosrake_lib.settings import Settings
from sosrake_lib.workbook import cell_kinds, excel_cells, number_format


def _course_tables() -> dict[str, pd.DataFrame]:
    """A funnel (one hidden step, the first step without a previous one), an NPS row and completion by UAS."""
    funnel = pd.DataFrame(
        {
            "step": ["enrolled", "started", "M1", "completed"],
            "step_label": ["Ilmoittautui", "Aloitti kurssin", "Moduuli 1", "Suoritti"],
            "n": pd.array([63, 58, pd.NA, 35], dtype="Int64"),
            "pct": pd.array([100.0, 92.06349206349206, pd.NA, 55.55555555555556], dtype="Float64"),
            "pct_of_previous": pd.array([pd.NA, 92.06349206349206, pd.NA, pd.NA], dtype="Float64"),
        }
    )
    funnel.attrs["suppressed_cells"] = 3
    nps = pd.DataFrame(
        {
            "nps": [48.48484848484848],
            "ci_low": [30.25],
            "ci_high": [63.5],
            "n": [33],
            "promoters": pd.array([20], dtype="Int64"),
            "passives": pd.array([9], dtype="Int64"),
            "detractors": pd.array([4], dtype="Int64"),
            "method": ["adjusted_wald"],
        }
    )
    nps.loc[0, "detractors"] = pd.NA  # hidden: 4 < 5
    uas = pd.DataFrame(
        {
            "uas": ["diak", "savonia"],
            "label": ["Diak", "Savonia-ammattikorkeakoulu"],
            "n": pd.array([pd.NA, 16], dtype="Int64"),
            "completed": pd.array([pd.NA, 8], dtype="Int64"),
            "not_completed": pd.array([pd.NA, 8], dtype="Int64"),
            "pct_completed": pd.array([pd.NA, 50.0], dtype="Float64"),
            "ci_low_future": pd.array([pd.NA, 27.99956361032602], dtype="Float64"),
            "ci_high_future": pd.array([pd.NA, 72.00043638967398], dtype="Float64"),
            "suppressed": [True, False],
        }
    )
    return {"funnel": funnel, "nps": nps, "completion_uas": uas}


def _publish(out: Path, lang: str, min_n: int = 5) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "cleaning_log.json").write_text(
        json.dumps({"semester": "2021-syksy", "files": {}}), encoding="utf-8"
    )
    tables = _course_tables()
    settings = Settings(min_n=min_n, lang=lang)  # type: ignore[arg-type]
    tables["suppression"] = suppression_summary("course", tables, settings)
    publish_tables("course", tables, out, settings, drop=CODE_COLUMNS)
    return out / "tables" / "tables.xlsx"


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_number_formats_follow_the_report_kinds() -> None:
    assert number_format("int") == "#,##0"
    assert number_format("num1") == "0.0" and number_format("num0") == "0"
    assert (
        number_format("pct", "fi") == '0.0"\u00a0%"'
    )  # 0–100 scale: a literal %, not Excel's x100
    assert number_format("pct", "en") == '0.0"%"'
    assert number_format("ci_pct0", "fi") == '0"\u00a0%"'
    assert number_format("p", "fi") == '[<0.001]"< 0,001";0.000'
    assert number_format("signed0") == '+0;"−"0;0'
    assert number_format("text") is None and number_format("bool") is None


def test_interval_ends_take_the_kind_of_their_estimate() -> None:
    t = pd.DataFrame(
        {
            "mean": [3.4],
            "mean_ci_low": [3.1],
            "n": [40],
            "pct_completed": [50.0],
            "ci_low_future": [28.0],
            "p_holm": [0.2],
            "ok": [True],
        }
    )
    assert cell_kinds(t, [{"mean": ("", "", "num1")}]) == {
        "mean": "num1",
        "mean_ci_low": "num1",
        "n": "int",
        "pct_completed": "pct",
        "ci_low_future": "pct",
        "p_holm": "p",
        "ok": "bool",
    }


def test_a_dash_column_is_hidden_with_its_row() -> None:
    t = pd.DataFrame(
        {
            "n": pd.array([63, 58, pd.NA], dtype="Int64"),
            "prev": [np.nan, 92.1, np.nan],
            "note": ["x", None, None],
        }
    )
    got = excel_cells(
        t, {"n": "int", "prev": "pct", "note": "text"}, "fi", dash=["prev"], people=["n"]
    )
    assert got.values.tolist() == [
        [63, "–", "x"],
        [58, 92.1, None],
        ["piilotettu", "piilotettu", None],
    ]
    # without the dash list every missing number is a hidden cell
    assert excel_cells(t, {"prev": "pct"}, "en")["prev"].tolist() == [
        "suppressed",
        92.1,
        "suppressed",
    ]


def test_workbook_in_finnish_reads_like_the_report(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_publish(tmp_path / "fi", "fi"))
    assert wb.sheetnames == [
        "Lue minut",
        "Suoritussuppilo",
        "Suositteluindeksi (NPS)",
        "Suoritus AMKeittain",
        "Piilotetut solut taulukoittain",
    ]
    ws = wb["Suoritussuppilo"]
    assert ws["A1"].value == "Suoritussuppilo" and ws["A1"].font.b
    notes = ws["A2"].value
    assert notes.startswith(
        "Lähde: SOSRAKE-työpöytä, Koulutuspilotin arviointi, lukukausi 2021-syksy."
    )
    assert "osuus edellisen vaiheen tehneistä" in notes  # the base of "% of previous step"
    assert "”piilotettu”: luku kuvaa alle 5 henkilöä" in notes
    assert [c.value for c in ws[3]] == [
        "Vaihe",
        "n",
        "% ilmoittautuneista",
        "% edellisestä vaiheesta",
    ]
    assert ws.freeze_panes == "A4"
    rows = _rows(ws)[3:]
    assert rows[0] == ["Ilmoittautui", 63, 100, "–"]  # no previous step: not a hidden cell
    assert rows[1] == ["Aloitti kurssin", 58, 92.06349206349206, 92.06349206349206]
    assert rows[2] == [
        "Moduuli 1",
        "piilotettu",
        "piilotettu",
        "piilotettu",
    ]  # the whole step hidden
    assert ws["B5"].number_format == "#,##0" and ws["B5"].data_type == "n"
    assert ws["C5"].number_format == '0.0"\u00a0%"' and ws["D5"].number_format == '0.0"\u00a0%"'
    nps = wb["Suositteluindeksi (NPS)"]
    assert [c.value for c in nps[3]][:3] == ["NPS", "95 % LV alaraja", "95 % LV yläraja"]
    assert (
        nps["A4"].value == pytest.approx(48.48, abs=0.01) and nps["A4"].number_format == '+0;"−"0;0'
    )
    assert nps["B4"].number_format == "0"  # an NPS interval in whole points, as the report shows it
    assert nps["G4"].value == "piilotettu"  # detractors hidden
    assert nps["H4"].value == "korjattu Wald, 95 %:n LV (Rocks 2016)"  # not the code adjusted_wald
    uas = wb["Suoritus AMKeittain"]
    assert uas["A1"].value == "Suoritus ammattikorkeakouluittain"
    assert [c.value for c in uas[3]][:2] == ["Ammattikorkeakoulun tunniste", "Ryhmä"]
    assert _rows(uas)[3] == ["diak", "Diak", *["piilotettu"] * 6, "kyllä"]
    supp = wb["Piilotetut solut taulukoittain"]
    assert [c.value for c in supp[3]][:2] == ["Välilehti", "Piilotettuja soluja"]
    assert [r[:2] for r in _rows(supp)[3:]] == [
        ["Suoritussuppilo", 3],
        ["Suositteluindeksi (NPS)", 0],
        ["Suoritus AMKeittain", 0],
    ]
    readme = _rows(wb["Lue minut"])
    text = " ".join(str(v) for r in readme for v in r if v)
    assert readme[0][0] == "Koulutuspilotin arviointi: julkaistut taulukot, lukukausi 2021-syksy"
    assert "”piilotettu”: luku kuvaa alle 5 henkilöä" in text and "manifest.json" in text
    assert ["Suoritus AMKeittain", "Suoritus ammattikorkeakouluittain"] in [r[:2] for r in readme]


def test_workbook_in_english_has_english_sheets_and_marker(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_publish(tmp_path / "en", "en", min_n=10))
    assert wb.sheetnames == [
        "Read me",
        "Completion funnel",
        "Net Promoter Score (NPS)",
        "Completion by UAS",
        "Suppressed cells by table",
    ]
    ws = wb["Completion funnel"]
    assert ws["A2"].value.startswith(
        "Source: SOSRAKE workbench, Course pilot evaluation, semester 2021"
    )
    assert "fewer than 10 people" in ws["A2"].value
    assert ws["C5"].number_format == '0.0"%"' and ws["A6"].value == "Moduuli 1"
    assert ws["B6"].value == "suppressed"
    assert wb["Net Promoter Score (NPS)"]["H4"].value == "adjusted Wald 95% CI (Rocks 2016)"


def test_workbook_is_byte_identical_and_csv_stays_machine_readable(tmp_path: Path) -> None:
    first = _publish(tmp_path / "a", "fi").read_bytes()
    assert _publish(tmp_path / "b", "fi").read_bytes() == first
    csv = (tmp_path / "a" / "tables" / "suoritussuppilo.csv").read_text(encoding="utf-8")
    assert csv.splitlines() == [
        "Vaihe,n,% ilmoittautuneista,% edellisestä vaiheesta",
        "Ilmoittautui,63,100.0,",
        "Aloitti kurssin,58,92.06349206349206,92.06349206349206",
        "Moduuli 1,,,",
        "Suoritti,35,55.55555555555556,",
    ]
    nps = (tmp_path / "a" / "tables" / "suositteluindeksi.csv").read_text(encoding="utf-8")
    assert nps.splitlines()[1].endswith(",adjusted_wald")  # codes stay codes in the CSV


def test_scanner_reads_the_header_below_the_title(tmp_path: Path) -> None:
    path = _publish(tmp_path / "s", "fi")
    assert scan_file(path, root=tmp_path / "s", min_n=5) == []
    wb = openpyxl.load_workbook(path)
    ws = wb["Suoritussuppilo"]
    ws["B7"] = 3  # a count of 3 people under the header "n" on row 3
    ws["A2"] = "Lähde: n = 2"  # and one written in the notes line
    wb.save(path)
    found = {(f.where, f.kind, f.value) for f in scan_file(path, root=tmp_path / "s", min_n=5)}
    assert ("sheet 'Suoritussuppilo' B7 ('n')", "small_count", "3") in found
    assert ("sheet 'Suoritussuppilo' A2", "small_count", "n = 2") in found


def test_share_of_previous_step_only_where_the_step_is_nested() -> None:
    """A contact day is not nested in module 5: 8 attended day 1, 5 did M5, so "% of previous" would be 160 %."""
    e = pd.DataFrame(
        {
            "M5": ["yes"] * 5 + ["no"] * 5,
            "contact_day1": ["yes"] * 8 + ["no"] * 2,
            "completed": ["yes"] * 5 + ["no"] * 5,
        }
    )
    f = completion_funnel(e, steps=("enrolled", "M5", "contact_day1", "completed"), min_n=1)
    prev = f["pct_of_previous"].astype("float64").tolist()
    assert prev[1] == 50.0 and np.isnan(prev[2])  # day 1 is not nested in M5: no share
    assert prev[3] == pytest.approx(62.5)  # the 5 completers are among the 8 of day 1: 5 / 8
    assert np.nanmax(prev) <= 100
