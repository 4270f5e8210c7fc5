"""Real survey-tool layouts (issue: real exports): every layout is read with known counts, every loss is loud.

The files in ``tests/data/exports/`` are written by ``tests/data/exports/make_exports.py`` the way Webropol,
Microsoft Forms, Google Forms and Moodle write them (two-row Webropol header with merged grid titles and a
respondent count above it, cp1252 CSV with CRLF; Forms' anonymous e-mail placeholder and repeated grid
statements; Google's ``Question [Statement]`` columns, 12-hour timestamps with a zone and no id; Moodle's
``(LABEL) Question`` items, ``Group(s)`` and Finnish or English dates). ``expected.json`` holds what the
generator put in: rows, valid respondents, duplicates and the count of every answer label of chosen items.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import TEST_KEY

from sosrake_lib import clean_responses, load_instrument, read_export
from sosrake_lib.cli import main
from sosrake_lib.errors import ExportError
from sosrake_lib.paths import SAMPLE_DIR

DATA = Path(__file__).parent / "data" / "exports"
EXPECTED: dict[str, Any] = {
    k: v
    for k, v in json.loads((DATA / "expected.json").read_text("utf-8")).items()
    if not k.startswith("_")
}
FILES = sorted(EXPECTED)


def _count(df: pd.DataFrame, inst: Any, item_id: str, label: str) -> int:
    it = inst.item(item_id)
    if it.kind == "nps":
        return int((df[item_id] == float(label)).sum())
    code = it.scale.code_of(label)
    assert code is not None, (item_id, label)
    if it.kind == "likert" and isinstance(code, str):
        return int((df[f"{item_id}__nsa"] == code).sum())
    return int((df[item_id] == code).sum())


@pytest.fixture(scope="module")
def read_all() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    out = {}
    for name in FILES:
        inst = load_instrument(EXPECTED[name]["instrument"])
        raw = read_export(DATA / name, inst)
        out[name] = raw, clean_responses(raw, inst, key=TEST_KEY)
    return out


@pytest.mark.parametrize("name", FILES)
def test_each_layout_reads_every_row_and_label(name: str, read_all) -> None:
    exp = EXPECTED[name]
    inst = load_instrument(exp["instrument"])
    raw, df = read_all[name]
    log = df.attrs["cleaning_log"]
    assert log["raw_rows"] == exp["n_data_rows"]
    assert log["kept"] == exp["n_valid_respondents"]
    assert raw.attrs["header_rows"][-1] == exp["header_rows"][-1]
    assert raw["_row"].iloc[0] == exp["first_data_row"]
    checked = 0
    for item_id, spec in exp["items"].items():
        if item_id not in inst or "counts" not in spec:
            continue
        assert item_id not in raw.attrs["absent_items"], (name, item_id)
        for label, n in spec["counts"].items():
            assert _count(df, inst, item_id, label) == n, (name, item_id, label)
            checked += 1
    assert checked >= 10  # the comparison is not empty


@pytest.mark.parametrize("name", FILES)
def test_validate_reports_each_layout(name: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", TEST_KEY)
    exp = EXPECTED[name]
    assert (
        main(["validate", str(DATA / name), "--instrument", exp["instrument"], "--lang", "en"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith(
        f"OK {name}: {exp['instrument']}, {exp['n_data_rows']} rows read, "
        f"{exp['n_valid_respondents']} kept"
    )


def test_webropol_statement_row_is_header_not_a_respondent(read_all) -> None:
    for name in ("webropol_competence.xlsx", "webropol_competence.csv"):
        raw, df = read_all[name]
        assert raw.attrs["header_rows"] == [5, 6]
        assert (
            df.attrs["cleaning_log"]["dropped"]["empty"] == 0
        )  # the statement row is no empty respondent
        methods = {m["item"]: m["method"] for m in raw.attrs["column_map"]}
        assert methods["C_TK1"] == methods["I_TK1"] == "grid title"
        assert raw.attrs["declared_respondents"] == 60
        assert not [n for n in raw.attrs["import_notices"] if n["level"] == "warning"]


def test_forms_anonymous_placeholder_is_no_identity(read_all) -> None:
    raw, df = read_all["forms_competence_anonymous.xlsx"]
    assert len(df) == 60  # not 1: 'anonymous' in every Email cell made 59 rows 'duplicates'
    kinds = {n["kind"] for n in raw.attrs["import_notices"]}
    assert {"placeholder_identity", "grid_order"} <= kinds
    assert raw["email"].isna().all()


def test_forms_repeated_statements_go_to_their_grids_by_order(read_all) -> None:
    raw, df = read_all["forms_competence_anonymous.xlsx"]
    exp = EXPECTED["forms_competence_anonymous.xlsx"]["items"]
    assert exp["C_TK1"]["header"] == exp["I_TK1"]["header"]  # the layout really repeats the header
    assert exp["C_TK1"]["counts"] != exp["I_TK1"]["counts"]  # and the two grids differ
    methods = {m["item"]: m["method"] for m in raw.attrs["column_map"]}
    assert methods["C_TK1"] == methods["I_TK1"] == "grid order"


def test_forms_excel_table_suffixes_are_read_as_the_second_grid(tmp_path) -> None:
    # Excel tables need unique headers: a re-saved table may carry "Statement2" for the repeat.
    src = DATA / "forms_competence_anonymous.xlsx"
    wb = openpyxl.load_workbook(src)
    seen: set[str] = set()
    for c in wb.active[1]:
        if c.value in seen:
            c.value = f"{c.value}2"
        seen.add(c.value)
    wb.save(tmp_path / "f.xlsx")
    ref = read_export(src, "competence")
    got = read_export(tmp_path / "f.xlsx", "competence")
    for item in ("C_TK1", "I_TK1", "I_YS3"):
        pd.testing.assert_series_equal(got[item], ref[item])


def test_google_rows_get_stable_ids_and_duplicates_by_content(read_all) -> None:
    for name in ("google_interviews.csv", "google_interviews_fi.csv"):
        raw, df = read_all[name]
        exp = EXPECTED[name]
        assert raw["interview_id"].str.startswith("t").all() and raw["interview_id"].is_unique
        assert "generated_id" in {n["kind"] for n in df.attrs["cleaning_log"]["notices"]}
        assert raw["submitted_at"].notna().all()
        rows = df.attrs["cleaning_log"]["rows"]
        dups = [e for e in rows if e["status"] == "duplicate"]
        # the generator re-submitted rows 11 and 33 as rows 12 and 34; the last submission is the one kept
        assert [e["row"] for e in dups] == exp["duplicate_of"]
        assert [e["same_as"] for e in dups] == exp["duplicates"]
        assert all(e["rule"].startswith("duplicate: identical answers") for e in dups)
    a = read_all["google_interviews.csv"][0]
    b = read_all["google_interviews_fi.csv"][0]
    # the same submissions in two locales: the same wall-clock time, so the same generated ids
    assert a["interview_id"].tolist() == b["interview_id"].tolist()
    assert str(a["submitted_at"].iloc[0]) == "2021-09-20 11:40:48"


def test_moodle_groups_column_is_not_the_group_question(read_all) -> None:
    for name in ("moodle_feedback_fi.xlsx", "moodle_feedback_en.csv"):
        raw, df = read_all[name]
        by_item = {m["item"]: m for m in raw.attrs["column_map"] if m["item"]}
        assert (
            "Ryhmä" not in by_item["group"]["header"]
            and "Group(s)" not in by_item["group"]["header"]
        )
        assert by_item["FB_SIS1"]["header"].startswith("(FB_SIS1) ")
        assert raw["submitted_at"].notna().all()
        assert raw["submitted_at"].dt.year.eq(2021).all()
        assert "user_id" not in df and "name" not in df  # identity columns are dropped


def test_moodle_label_finds_an_item_whose_text_drifted(tmp_path) -> None:
    df = pd.read_csv(
        DATA / "moodle_feedback_en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    [col] = [c for c in df.columns if c.startswith("(FB_SIS1) ")]
    df = df.rename(columns={col: "(FB_SIS1) Vastasiko sisältö tavoitteita?"})
    df.to_csv(tmp_path / "m.csv", index=False)
    raw = read_export(tmp_path / "m.csv", "course_feedback")
    assert {m["item"]: m["method"] for m in raw.attrs["column_map"]}["FB_SIS1"] == "label"
    ref = read_export(DATA / "moodle_feedback_en.csv", "course_feedback")
    pd.testing.assert_series_equal(raw["FB_SIS1"], ref["FB_SIS1"])


def test_deleted_column_is_loud_everywhere(read_all, capsys, monkeypatch, tmp_path) -> None:
    name = "webropol_interviews_deleted_column.csv"
    raw, df = read_all[name]
    assert "KO2" in raw.attrs["absent_items"]
    [note] = [n for n in df.attrs["cleaning_log"]["notices"] if n["item"] == "KO2"]
    assert note["level"] == "warning" and "Tulin kuulluksi" in note["message"]
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", TEST_KEY)
    assert main(["validate", str(DATA / name), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "1 warning(s)" in out.splitlines()[0] and "warning: item KO2 'Tulin kuulluksi'" in out
    assert main(["validate", str(DATA / name), "--strict"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "KO2" in err and name in err


def _rename_header(src: Path, dst: Path, old: str, new: str) -> None:
    text = src.read_bytes().decode("cp1252")
    assert old in text
    dst.write_bytes(text.replace(old, new, 1).encode("cp1252"))


def test_renamed_column_stops_with_the_map_command_as_fix(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", TEST_KEY)
    src = DATA / "webropol_interviews_deleted_column.csv"
    f = tmp_path / "interviews.csv"
    _rename_header(src, f, "Sain apua tilanteeseeni", "Sain apua tilanteeseeni nopeasti")
    with pytest.raises(ExportError) as info:
        read_export(f, "interviews")
    assert (
        info.value.column
        == "7. Arvioi seuraavia väittämiä asioinnistasi [Sain apua tilanteeseeni nopeasti]"
    )
    assert "HY1" in str(info.value) and "sosrake map" in str(info.value)
    # the one-minute fix: map proposes the alias, staff keep the overlay, validate reads the item again
    overlay = tmp_path / "overlay.yaml"
    assert main(["map", str(f), "--instrument", "interviews", "--write", str(overlay)]) == 0
    out = capsys.readouterr().out
    assert "-> HY1" in out and "fuzzy" in out and "TARKISTA" in overlay.read_text("utf-8")
    assert main(["validate", str(f), "--codebook-overlay", str(overlay)]) == 0
    ref = read_export(src, "interviews")
    got = read_export(f, "interviews", overlay=overlay)
    pd.testing.assert_series_equal(got["HY1"], ref["HY1"])
    assert any(n["kind"] == "alias" for n in got.attrs["import_notices"])


def test_unmatched_answer_column_warns_and_strict_refuses(tmp_path) -> None:
    src = DATA / "google_interviews.csv"
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    df.insert(5, "Kuinka tyytyväinen olit odotusaikaan?", ["Tyytyväinen"] * len(df))
    f = tmp_path / "g.csv"
    df.to_csv(f, index=False)
    raw = read_export(f, "interviews")
    [note] = [n for n in raw.attrs["import_notices"] if n["kind"] == "unmatched_column"]
    assert note["answers"] == len(df) and note["column"] == "F"
    with pytest.raises(ExportError, match="--strict"):
        read_export(f, "interviews", strict=True)


def test_declared_respondents_more_than_read_stops(tmp_path) -> None:
    src = DATA / "webropol_competence.xlsx"
    wb = openpyxl.load_workbook(src)
    wb.active.delete_rows(20)  # a respondent lost in a hand edit
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(ExportError, match="says it has 60 respondents, but 59 rows"):
        read_export(tmp_path / "w.xlsx", "competence")


def test_misread_header_with_unmatched_answers_stops(tmp_path) -> None:
    # the Webropol layout with its grid titles blanked: the statements alone match nothing in two grids
    src = DATA / "webropol_competence.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    for c in ws[5]:
        if isinstance(c.value, str) and "Arvioi" in c.value:
            c.value = None
    wb.save(tmp_path / "w.xlsx")
    raw = read_export(
        tmp_path / "w.xlsx", "competence"
    )  # bare statements: placed by order, and said so
    assert "grid_order" in {n["kind"] for n in raw.attrs["import_notices"]}
    np.testing.assert_array_equal(raw["I_TK1"], read_export(src, "competence")["I_TK1"])


def test_every_dropped_row_names_its_rule(tmp_path) -> None:
    src = DATA / "google_interviews.csv"
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    blank = df.iloc[[0]].copy()
    blank.iloc[0, 2:] = ""
    test = df.iloc[[1]].copy()
    test.iloc[0, 1] = "testi.testaaja@edu.example.fi"
    pd.concat([df, blank, test]).to_csv(tmp_path / "g.csv", index=False)
    out = clean_responses(read_export(tmp_path / "g.csv", "interviews"), "interviews", key=TEST_KEY)
    log = out.attrs["cleaning_log"]
    rules = log["dropped_by_rule"]
    assert rules == {
        "empty: no answer in any question column": 1,
        "test: a test word (testi, test, kokeilu) in the student column": 1,
        "duplicate: identical answers to a later submission (same_as)": 2,
    }
    assert all("rule" in e for e in log["rows"] if e["status"] != "kept")
    assert sum(rules.values()) == sum(log["dropped"].values())


def test_prepare_and_run_inputs_carry_the_notices(tmp_path, monkeypatch) -> None:
    from sosrake_lib.runner import plan_analyses

    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", TEST_KEY)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DATA / "webropol_interviews_deleted_column.csv", raw / "interviews_2021-syksy.csv")
    [plan] = plan_analyses("interviews", raw)
    entry = plan.inputs[0].manifest_entry()
    assert any(n["item"] == "KO2" and n["level"] == "warning" for n in entry["notices"])
    with pytest.raises(ExportError, match="KO2"):
        plan_analyses("interviews", raw, strict=True)


@pytest.mark.parametrize("sep", [" - ", ": ", " – "])
def test_one_row_question_and_statement_headers(tmp_path, sep) -> None:
    # Webropol's one-row variant and other tools: "Question - Statement" with the grid title in every header
    src = DATA / "webropol_competence.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    title = None
    for top, below in zip(ws[5], ws[6], strict=True):
        if top.value:
            title = top.value
        if below.value:
            top.value, below.value = f"{title}{sep}{below.value}", None
    ws.delete_rows(6)
    wb.save(tmp_path / "w.xlsx")
    got = read_export(tmp_path / "w.xlsx", "competence")
    ref = read_export(src, "competence")
    assert got.attrs["header_rows"] == [5, 5]
    for item in ("C_TK1", "I_TK1", "ED1", "support_needed"):
        pd.testing.assert_series_equal(got[item], ref[item])
    assert {m["item"]: m["method"] for m in got.attrs["column_map"]}["I_TK1"] == "grid title"


def test_moodle_rated_choice_values_are_read_by_their_text(tmp_path) -> None:
    df = pd.read_csv(
        DATA / "moodle_feedback_en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    inst = load_instrument("course_feedback")
    [col] = [c for c in df.columns if c.startswith("(FB_SIS1) ")]
    scale = inst.item("FB_SIS1").scale
    df[col] = [
        f"({scale.code_of(v)}) {v}" if isinstance(scale.code_of(v), int) else v for v in df[col]
    ]
    df.to_csv(tmp_path / "m.csv", index=False)
    got = read_export(tmp_path / "m.csv", inst)
    pd.testing.assert_series_equal(
        got["FB_SIS1"], read_export(DATA / "moodle_feedback_en.csv", inst)["FB_SIS1"]
    )


def _forms_variant(
    tmp_path: Path, *, drop: str | None = None, swap: bool = False, digits: bool = False
) -> Path:
    """The Forms competence export with one grid column deleted, the two grids swapped, or digit answers."""
    src = pd.read_excel(DATA / "forms_competence_anonymous.xlsx", dtype=str, header=None)
    header, body = list(src.iloc[0]), src.iloc[1:]
    exp = EXPECTED["forms_competence_anonymous.xlsx"]["items"]
    c_first = header.index(exp["C_TK1"]["header"])
    i_first = header.index(exp["C_TK1"]["header"], c_first + 1)
    cols = list(range(len(header)))
    if swap:
        cols = (
            cols[:c_first]
            + cols[i_first : i_first + 18]
            + cols[c_first:i_first]
            + cols[i_first + 18 :]
        )
    if drop == "C_TK1":
        cols.remove(c_first)
    if drop == "I_TK1":
        cols.remove(i_first)
    out = body[cols]
    if digits:
        inst = load_instrument("competence")
        for j in cols:
            if c_first <= j < i_first + 18:
                scale = inst.item("C_TK1" if j < i_first else "I_TK1").scale
                out[j] = [
                    str(scale.code_of(v)) if isinstance(scale.code_of(v), int) else v
                    for v in out[j]
                ]
    f = tmp_path / "forms.xlsx"
    pd.DataFrame([[header[j] for j in cols], *out.values.tolist()]).to_excel(
        f, header=False, index=False
    )
    return f


@pytest.mark.parametrize("drop", ["C_TK1", "I_TK1"])
def test_forms_deleted_grid_column_does_not_shift_its_twin(tmp_path, drop) -> None:
    # digit answers fit both scales: only the position can tell the grids apart
    ref = read_export(_forms_variant(tmp_path, digits=True), "competence")
    got = read_export(_forms_variant(tmp_path, drop=drop, digits=True), "competence")
    twin = "I_TK1" if drop == "C_TK1" else "C_TK1"
    assert got[drop].isna().all() and drop in got.attrs["absent_items"]
    pd.testing.assert_series_equal(got[twin], ref[twin])
    pd.testing.assert_series_equal(got["C_TK2"], ref["C_TK2"])


def test_forms_grids_in_the_other_order_are_placed_by_their_answers(tmp_path) -> None:
    ref = read_export(DATA / "forms_competence_anonymous.xlsx", "competence")
    got = read_export(_forms_variant(tmp_path, swap=True), "competence")
    for item in ("C_TK1", "I_TK1", "C_YS3", "I_YS3"):
        pd.testing.assert_series_equal(got[item], ref[item])
    assert "grid_answers" in {n["kind"] for n in got.attrs["import_notices"]}


def test_moodle_users_with_identical_answers_are_two_people(tmp_path) -> None:
    df = pd.read_csv(
        DATA / "moodle_feedback_en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    answers = [c for c in df.columns if c.startswith("(") or c in ("Osallistujaryhmä",)]
    df.loc[4, answers] = df.loc[3, answers].to_numpy()  # another user gives the same short answers
    df.to_csv(tmp_path / "m.csv", index=False)
    out = clean_responses(
        read_export(tmp_path / "m.csv", "course_feedback"), "course_feedback", key=TEST_KEY
    )
    assert len(out) == 35 and out.attrs["cleaning_log"]["dropped"]["duplicate"] == 0


def test_label_only_match_is_said_and_strict_refuses(tmp_path) -> None:
    df = pd.read_csv(
        DATA / "moodle_feedback_en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    [col] = [c for c in df.columns if c.startswith("(FB_SIS1) ")]
    df.rename(columns={col: "(FB_SIS1) Kurssin sisältö vastasi odotuksiani"}).to_csv(
        tmp_path / "m.csv", index=False
    )
    raw = read_export(tmp_path / "m.csv", "course_feedback")
    assert any(
        n["kind"] == "label_only" and n["item"] == "FB_SIS1" for n in raw.attrs["import_notices"]
    )
    with pytest.raises(ExportError, match="--strict"):
        read_export(tmp_path / "m.csv", "course_feedback", strict=True)


def test_map_overlay_for_a_renamed_repeated_statement_reads_both_grids(tmp_path, capsys) -> None:
    src = pd.read_excel(DATA / "forms_competence_anonymous.xlsx", dtype=str, header=None)
    old = EXPECTED["forms_competence_anonymous.xlsx"]["items"]["C_TK1"]["header"]
    src.iloc[0] = [
        v.replace("tarpeista", "palvelutarpeista") if v == old else v for v in src.iloc[0]
    ]
    f = tmp_path / "forms.xlsx"
    src.to_excel(f, header=False, index=False)
    with pytest.raises(ExportError, match="looks\\s+like it"):
        read_export(f, "competence")
    overlay = tmp_path / "aliases.yaml"
    assert main(["map", str(f), "--instrument", "competence", "--write", str(overlay)]) == 0
    capsys.readouterr()
    got = read_export(f, "competence", overlay=overlay)
    ref = read_export(DATA / "forms_competence_anonymous.xlsx", "competence")
    for item in ("C_TK1", "I_TK1"):
        pd.testing.assert_series_equal(got[item], ref[item])


def test_an_extra_question_like_a_tool_column_does_not_stop_the_read(tmp_path) -> None:
    df = pd.read_csv(DATA / "google_interviews.csv", dtype=str, keep_default_na=False)
    df.insert(
        2, "Haastattelun aloitusaika", "9.00"
    )  # Google has no start time; this is a question of its own
    df.to_csv(tmp_path / "g.csv", index=False)
    raw = read_export(tmp_path / "g.csv", "interviews")
    assert any(n["kind"] == "unmatched_column" for n in raw.attrs["import_notices"])


def test_ambiguous_slash_dates_stop_unless_the_order_is_given(tmp_path) -> None:
    df = pd.read_csv(DATA / "google_interviews_fi.csv", dtype=str, keep_default_na=False)
    stamps = pd.to_datetime(df["Aikaleima"], format="%d.%m.%Y %H.%M.%S")
    df["Aikaleima"] = [
        f"{t.day:02d}/{t.month:02d}/{t.year} {t:%H:%M:%S}" for t in stamps - pd.Timedelta(days=20)
    ]
    days = pd.to_datetime(df["Haastattelupäivä"], format="%d.%m.%Y")
    df["Haastattelupäivä"] = [f"{min(t.day, 12)}/{t.month}/{t.year}" for t in days]
    df.to_csv(tmp_path / "g.csv", index=False)
    # the time stamps (days up to 30) settle the order for the whole file: day first
    raw = read_export(tmp_path / "g.csv", "interviews")
    assert raw["interview_date"].dt.month.isin([9, 10, 11]).all()
    only = df.drop(columns=["Aikaleima"])
    only.to_csv(tmp_path / "g2.csv", index=False)
    with pytest.raises(ExportError, match="day first or month first"):
        read_export(tmp_path / "g2.csv", "interviews")
    overlay = tmp_path / "o.yaml"
    overlay.write_text(
        "sosrake_overlay: 1\ninstruments:\n  interviews:\n    date_order: day_first\n", "utf-8"
    )
    fixed = read_export(tmp_path / "g2.csv", "interviews", overlay=overlay)
    assert fixed["interview_date"].dt.month.isin([9, 10, 11]).all()


def test_overlay_naming_an_unknown_instrument_is_refused(tmp_path) -> None:
    from sosrake_lib.errors import ConfigError

    overlay = tmp_path / "o.yaml"
    overlay.write_text(
        "sosrake_overlay: 1\ninstruments:\n  interviewz:\n    aliases: {KO2: [x]}\n", "utf-8"
    )
    with pytest.raises(ConfigError, match="interviewz"):
        load_instrument("interviews", overlay=overlay)


def test_one_test_word_among_real_open_answers_keeps_the_interview(tmp_path) -> None:
    df = pd.read_csv(DATA / "google_interviews.csv", dtype=str, keep_default_na=False)
    opens = [c for c in df.columns if c.endswith("?") and "suosittelisit" not in c]
    full = [k for k in range(len(df)) if (df.loc[k, opens] != "").all()]
    df.loc[full[0], opens[0]] = "xxx"  # one "xxx" beside two real open answers
    df.loc[full[1], opens] = "testi"  # every open answer a test word
    df.to_csv(tmp_path / "g.csv", index=False)
    log = clean_responses(
        read_export(tmp_path / "g.csv", "interviews"), "interviews", key=TEST_KEY
    ).attrs["cleaning_log"]
    assert log["dropped_by_rule"].get("test: every open answer is only a test word") == 1
    assert [e["row"] for e in log["rows"] if e["status"] == "test"] == [full[1] + 2]


@pytest.mark.parametrize("layout", ["forms", "google", "webropol"])
def test_course_selfassessment_in_each_tool_layout(tmp_path, layout) -> None:
    inst = load_instrument("course_selfassessment")
    items = inst.likert_items()
    ref = read_export(SAMPLE_DIR / "course_pre_2021.csv", inst)
    src = pd.read_csv(
        SAMPLE_DIR / "course_pre_2021.csv",
        sep=";",
        skiprows=1,
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    title = "3. Arvioi osaamistasi seuraavissa asioissa"
    answers = [src[it.text_fi] for it in items]
    if layout == "forms":
        head = ["ID", "Tunnistenumero", *[it.statement.capitalize() for it in items]]
        rows = [
            [str(k + 1), src["Tunnistenumero"][k], *[a[k] for a in answers]]
            for k in range(len(src))
        ]
        pd.DataFrame(rows, columns=head).to_excel(tmp_path / "f.xlsx", index=False)
        f = tmp_path / "f.xlsx"
    elif layout == "google":
        head = ["Timestamp", "Tunnistenumero", *[f"{title} [{it.statement}]" for it in items]]
        rows = [
            [
                f"2021/09/{1 + k % 28:02d} 10:{k % 60:02d}:00 AM GMT+3",
                src["Tunnistenumero"][k],
                *[a[k] for a in answers],
            ]
            for k in range(len(src))
        ]
        pd.DataFrame(rows, columns=head).to_csv(tmp_path / "g.csv", index=False)
        f = tmp_path / "g.csv"
    else:
        top = ["1. Tunnistenumero", title] + [""] * (len(items) - 1)
        second = [""] + [it.statement for it in items]
        rows = [[src["Tunnistenumero"][k], *[a[k] for a in answers]] for k in range(len(src))]
        text = (
            "\r\n".join(
                ";".join(r)
                for r in [["Alkukysely"], [f"Vastaajien määrä: {len(src)}"], top, second, *rows]
            )
            + "\r\n"
        )
        f = tmp_path / "w.csv"
        f.write_bytes(text.encode("cp1252"))
    got = read_export(f, inst)
    for it in items:
        np.testing.assert_array_equal(got[it.id].to_numpy(), ref[it.id].to_numpy())


def test_every_identity_placeholder_passes_the_fast_prefilter() -> None:
    import re

    from sosrake_lib.export_check import _PLACEHOLDERS, replace_placeholders

    assert all(re.match(r"^\s*(?i:anony|nimet|n/a|-\s*$)", w) for w in _PLACEHOLDERS)
    inst = load_instrument("interviews")
    df = pd.DataFrame(
        {"student": pd.Series([" Anonymous ", "a@b.fi", "anonyymi", None, "NIMETÖN"], dtype="str")}
    )
    [note] = replace_placeholders(df, inst)
    assert note["rows"] == 3 and df["student"].notna().tolist() == [
        False,
        True,
        False,
        False,
        False,
    ]


def test_map_reads_a_version_two_export_with_its_codebook_version(capsys) -> None:
    # the reworded item of the 2022 round is the second codebook version's C_VT2b, not an unmatched column
    assert main(["map", "data/raw/sample/2022/competence_2022.xlsx", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "-> C_VT2b" in out and "no match" not in out
