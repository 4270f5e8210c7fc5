"""Data safety under misuse (issue): raw files, output folders, labels, locks and bad configuration files.

Each test stands for one way a careless or hostile user broke a promise; each failed on the code before the fix.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import sha256

from sosrake_lib.cli import main
from sosrake_lib.paths import SAMPLE_DIR


def _one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("sosrake: error: "), err
    return err


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_run_never_writes_over_its_own_raw_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --raw X/2023-syksy/interviews --out X: the output folder X/2023-syksy/interviews IS the raw folder; the
    # atomic swap would have deleted the export with the old folder
    raw = tmp_path / "2023-syksy" / "interviews"
    raw.mkdir(parents=True)
    shutil.copy2(SAMPLE_DIR / "interviews_2022-syksy.csv", raw / "interviews_2022-syksy.csv")
    before = _tree(tmp_path)
    err = _one_line_exit_2(
        capsys,
        [
            "run",
            "interviews",
            "--semester",
            "2023-syksy",
            "--raw",
            str(raw),
            "--out",
            str(tmp_path),
            "--quiet",
        ],
    )
    assert "overlap" in err
    assert _tree(tmp_path) == before  # nothing written, nothing deleted


@pytest.mark.parametrize("where", ["inside_raw", "contains_raw", "processed_is_raw"])
def test_output_and_input_folders_never_overlap(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(SAMPLE_DIR / "course_feedback_2021.xlsx", raw / "course_feedback_2021.xlsx")
    out = {"inside_raw": raw / "out", "contains_raw": tmp_path, "processed_is_raw": tmp_path / "o"}[
        where
    ]
    extra = (
        ["--processed", str(tmp_path)] if where == "processed_is_raw" else []
    )  # tmp_path/<semester> = raw
    before = _tree(raw)
    argv = [
        "run",
        "all",
        "--semester",
        "2023-syksy" if where == "inside_raw" else "raw",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
    assert "overlap" in _one_line_exit_2(capsys, argv)
    assert _tree(raw) == before


def test_prepare_refuses_a_processed_folder_over_the_raw_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "2023-syksy"
    raw.mkdir()
    shutil.copy2(SAMPLE_DIR / "course_feedback_2021.xlsx", raw / "course_feedback_2021.xlsx")
    before = _tree(tmp_path)
    assert "overlap" in _one_line_exit_2(
        capsys, ["prepare", "--raw", str(raw), "--semester", "2023-syksy", "--out", str(tmp_path)]
    )
    assert _tree(tmp_path) == before


@pytest.mark.parametrize(
    "label", ["../../x", "..", " ", "a\nb", "2023 syksy", "/abs", ".hidden", "-x", "a/b"]
)
@pytest.mark.parametrize("command", ["prepare", "run"])
def test_bad_semester_labels_are_refused_before_anything_is_written(
    command: str, label: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(SAMPLE_DIR / "course_feedback_2021.xlsx", raw / "course_feedback_2021.xlsx")
    out = tmp_path / "deep" / "er" / "out"
    argv = (
        [command, "--raw", str(raw), f"--semester={label}", "--out", str(out)]
        if command == "prepare"
        else [
            command,
            "course",
            "--raw",
            str(raw),
            f"--semester={label}",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert "cannot be a folder name" in _one_line_exit_2(capsys, argv)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["course_feedback_2021.xlsx", "raw"]


def test_non_utf8_key_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "pseudonym.key"
    key.write_bytes(b"\xff\xfe\x00k\x00e\x00y" * 8)
    key.chmod(0o600)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY")
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(key))
    err = _one_line_exit_2(capsys, ["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv")])
    assert "not UTF-8" in err


def test_unsafe_yaml_tag_in_a_codebook_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        "name: evil\nitems: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8"
    )
    err = _one_line_exit_2(
        capsys,
        ["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv"), "--instrument", str(evil)],
    )
    assert "evil.yaml" in err and "YAML" in err


def test_a_second_run_into_the_same_folder_says_so(tmp_path: Path) -> None:
    from sosrake_lib.atomic import atomic_dir
    from sosrake_lib.errors import ConfigError

    target = tmp_path / "sample" / "course"
    with atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("1", encoding="utf-8")
        with pytest.raises(ConfigError, match="another sosrake run is writing"), atomic_dir(target):
            pass
    assert (target / "a.txt").read_text(encoding="utf-8") == "1"


def test_a_refused_run_writes_nothing_not_even_the_cleaned_data(tmp_path: Path) -> None:
    """Another run holds the output folder: the second run stops before it stores its cleaned data (before,
    it replaced the processed files of the running one and only then found the lock)."""
    from sosrake_lib import runner
    from sosrake_lib.atomic import folder_lock
    from sosrake_lib.errors import ConfigError

    out, processed = tmp_path / "out", tmp_path / "processed"
    with (
        folder_lock(out / "s" / "interviews"),
        pytest.raises(ConfigError, match="another sosrake run"),
    ):
        runner.run_semester(
            "interviews",
            semester="s",
            raw=SAMPLE_DIR,
            out=out,
            progress=False,
            processed_dir=processed,
        )
    assert not processed.exists() or not any(processed.rglob("*.parquet"))
    assert not (out / "s" / "interviews").exists()


def test_a_killed_run_leaves_no_partial_after_the_next_one(tmp_path: Path) -> None:
    from sosrake_lib.atomic import atomic_dir

    target = tmp_path / "sample" / "course"
    target.parent.mkdir(parents=True)
    stale = target.parent / ".course.k1ll3d.partial"
    stale.mkdir()
    (stale / "half.csv").write_text("x", encoding="utf-8")
    (target.parent / ".course.old").mkdir()
    (target.parent / ".competence.x1.partial").mkdir()  # another analysis of the killed run
    with atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("1", encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["course"]


def test_sample_data_never_overwrites_a_real_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "interviews_2021-syksy.csv"
    real.write_text("ID;Tulin kuulluksi\n1;Täysin samaa mieltä\n", encoding="utf-8")
    before = sha256(real)
    assert "sample" in _one_line_exit_2(capsys, ["sample-data", "--out", str(tmp_path)])
    assert sha256(real) == before
    assert main(["sample-data", "--out", str(tmp_path / "new")]) == 0  # an empty folder is fine
    assert (
        main(["sample-data", "--out", str(tmp_path / "new")]) == 0
    )  # and so is its own earlier sample


@pytest.mark.notebook
def test_relative_paths_from_another_folder_and_no_absolute_paths_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sosrake_lib.paths import PROJECT_ROOT

    work = tmp_path / "staff"
    raw = work / "secret-raw" / "2021-syksy"
    raw.mkdir(parents=True)
    for name in (
        "course_enrolment_2021.csv",
        "course_pre_2021.csv",
        "course_post_2021.csv",
        "course_feedback_2021.xlsx",
    ):
        shutil.copy2(SAMPLE_DIR / name, raw / name)
    monkeypatch.chdir(work)
    before = {p for p in PROJECT_ROOT.rglob(".*.partial")}
    assert (
        main(
            [
                "run",
                "course",
                "--semester",
                "2021-syksy",
                "--raw",
                "secret-raw/2021-syksy",
                "--out",
                "results",
                "--processed",
                "processed",
                "--quiet",
            ]
        )
        == 0
    ), capsys.readouterr().err
    folder = work / "results" / "2021-syksy" / "course"
    assert (folder / "report.html").is_file() and (work / "processed" / "2021-syksy").is_dir()
    assert {p for p in PROJECT_ROOT.rglob(".*.partial")} == before
    text = (folder / "notebook.ipynb").read_text(encoding="utf-8")
    for secret in (str(raw), str(work), str(PROJECT_ROOT), os.path.expanduser("~") + "/"):
        assert secret not in text, secret
    assert (
        "course_feedback_2021.xlsx" in text
    )  # the names stay, so a reader knows which file was used


def _patched_xlsx(src: Path, dst: Path, sheet_edit) -> None:
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_edit(data)
            zout.writestr(item, data)


def _small_workbook(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Kurssin sisältö vastasi sen tavoitteita", "Mitä kehittäisit kurssissa?"])
    for i in range(1, 4):
        ws.append([i, "Hyvin", "Lisää lähipäiviä"])
    wb.save(path)


def test_xlsx_claiming_a_million_rows_is_read_by_what_it_holds(tmp_path: Path) -> None:
    import re
    import tracemalloc

    from sosrake_lib import read_export

    _small_workbook(tmp_path / "s.xlsx")
    _patched_xlsx(
        tmp_path / "s.xlsx",
        tmp_path / "claim.xlsx",
        lambda d: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048575"/>', d),
    )
    assert (tmp_path / "claim.xlsx").stat().st_size < 10_000
    tracemalloc.start()
    df = read_export(tmp_path / "claim.xlsx", "course_feedback")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(df) == 3 and peak < 50 << 20


def test_xlsx_with_data_a_million_rows_down_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_workbook(tmp_path / "s.xlsx")
    far = b'<row r="1048575"><c r="A1048575" t="inlineStr"><is><t>9</t></is></c></row></sheetData>'
    _patched_xlsx(
        tmp_path / "s.xlsx",
        tmp_path / "course_feedback_far.xlsx",
        lambda d: d.replace(b"</sheetData>", far),
    )
    err = _one_line_exit_2(capsys, ["validate", str(tmp_path / "course_feedback_far.xlsx")])
    assert "row 1048575" in err and "empty rows" in err


def test_xlsx_with_huge_shared_strings_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    from sosrake_lib import io as sio

    _small_workbook(tmp_path / "course_feedback_s.xlsx")
    with zipfile.ZipFile(
        tmp_path / "course_feedback_s.xlsx", "a", zipfile.ZIP_DEFLATED
    ) as z:  # as Excel writes
        z.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>Hyvin</t></si>" * 50 + "</sst>")
    monkeypatch.setattr(
        sio.xlsx, "MAX_SHARED_STRINGS", 100
    )  # the real limit is 128 MiB; the file's strings are more
    err = _one_line_exit_2(capsys, ["validate", str(tmp_path / "course_feedback_s.xlsx")])
    assert "shared strings" in err


def test_csv_field_over_the_csv_limit_names_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "interviews_2023.csv"
    f.write_text(
        "ID;Tulin kuulluksi;Mitä palvelussa pitäisi muuttaa?\n1;Täysin samaa mieltä;"
        + "x" * 200_000
        + "\n",
        encoding="utf-8",
    )
    err = _one_line_exit_2(capsys, ["validate", str(f)])
    assert "interviews_2023.csv: row 2, column 3" in err


def _no_part_given_back(
    table, relations, truth=None, total_row: str = "total", min_n: int = 5
) -> None:
    """No hidden small count can be worked out from what is published: every hidden cell is bounded by linear
    programming over the declared relations (total = parts within each row), the column totals and the
    number of pairs, which a key figure publishes anyway; a hidden count that is small must keep an interval
    that reaches min_n or more."""
    import numpy as np
    import pandas as pd
    from scipy.optimize import linprog

    cols = [c for c in table.columns if c != "status_label"]
    cells = [(r, c) for r in table.index for c in cols if pd.isna(table.at[r, c])]
    if truth is not None:
        cells = [(r, c) for r, c in cells if not (r == total_row and c == "paired")]
    index = {cell: k for k, cell in enumerate(cells)}
    a_eq, b_eq = [], []

    def add(
        terms: list[tuple[tuple[str, str], int]],
    ) -> None:  # sum(sign * cell) = 0, known cells moved right
        row, rhs = np.zeros(len(cells)), 0.0
        for (r, c), sign in terms:
            if (r, c) in index:
                row[index[(r, c)]] += sign
            else:
                rhs -= sign * float(
                    truth.at[r, c]
                    if (truth is not None and (r, c) == (total_row, "paired"))
                    else table.at[r, c]
                )
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)

    for r in table.index:
        for total, parts in relations.items():
            add([((r, total), 1), *[((r, p), -1) for p in parts]])
    for c in cols:
        add([((total_row, c), 1), *[((r, c), -1) for r in table.index if r != total_row]])
    for (r, c), k in index.items():
        true = truth.at[r, c] if truth is not None else None
        if true is None or not 0 < true < min_n:
            continue
        obj = np.zeros(len(cells))
        obj[k] = 1
        most = float(
            np.nanmax(truth[cols].to_numpy(dtype=float))
        )  # nobody is counted beyond the total
        res_lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=(1, most), method="highs")
        res_hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=(1, most), method="highs")
        assert res_lo.status == 0 and res_hi.status == 0, ((r, c), res_lo.message)
        assert -res_hi.fun >= min_n - 0.5, ((r, c), true, res_lo.fun, -res_hi.fun)


def test_pair_accounting_hides_what_subtraction_gives_back() -> None:
    import pandas as pd

    from sosrake_lib.course import pair_accounting

    # 21 answered after, 20 of them paired: "post only" = 1 must not be worked out as 21 - 20
    ids = [f"p{i:02d}" for i in range(40)]
    enrol = pd.DataFrame({"participant_id": ids, "completed": ["yes"] * 25 + ["no"] * 15})
    pre, post = ids[:30], ids[:20] + [ids[35]]
    t = pair_accounting(enrol, pre, post, min_n=5).set_index("status")
    assert pd.isna(t.loc["completed_no", "post_only"])
    assert (
        t.loc["total", "paired"] == 20
    )  # the key figure "pairs" stays shown; the answered total goes
    rel = {"answered_pre": ["paired", "pre_only"], "answered_post": ["paired", "post_only"]}
    truth = pair_accounting(enrol, pre, post, min_n=1).set_index("status")
    _no_part_given_back(t, rel, truth)


def test_pair_accounting_of_the_shipped_sample_gives_nothing_back() -> None:
    from sosrake_lib import course

    data = course.load_course_data(
        SAMPLE_DIR / "course_enrolment_2021.csv",
        SAMPLE_DIR / "course_pre_2021.csv",
        SAMPLE_DIR / "course_post_2021.csv",
        SAMPLE_DIR / "course_feedback_2021.xlsx",
    )
    sa = data.instruments["selfassessment"]
    ids = (data.enrolment, data.pre[sa.respondent_id], data.post[sa.respondent_id])
    t = course.pair_accounting(*ids, min_n=5)
    truth = course.pair_accounting(*ids, min_n=1).set_index("status")
    _no_part_given_back(
        t.set_index("status"),
        {"answered_pre": ["paired", "pre_only"], "answered_post": ["paired", "post_only"]},
        truth,
    )


def test_interview_counts_never_give_back_a_hidden_student_count() -> None:
    import pandas as pd

    from sosrake_lib.interviews import interview_counts, interviews_per_student

    # 40 interviews by 39 students: one student held two, a count of one person
    students = [f"s{i}" for i in range(39)] + ["s0"]
    df = pd.DataFrame({"semester": ["2023-syksy"] * 40, "student": students})
    per = interviews_per_student(df, min_n=5)
    assert per["2023-syksy"].isna().tolist() == [True, True, False, False]  # 38 and 1, zeros shown
    counts = interview_counts(df, min_n=5).iloc[0]
    assert counts["n_interviews"] == 40
    assert pd.isna(counts["n_students"]) and pd.isna(counts["interviews_per_student"])
    # where the hidden cells cannot be worked out ("4 or more" only bounds the interviews), the number of
    # students stays published: 20 held one, 20 held two, 2 held four or more (hidden with the 20 of "1")
    many = [f"s{i}" for i in range(20)] * 2 + [f"t{i}" for i in range(20)] + ["u0"] * 4 + ["u1"] * 5
    df = pd.DataFrame({"semester": ["x"] * len(many), "student": many})
    assert interviews_per_student(df, min_n=5)["x"].isna().tolist() == [True, False, False, True]
    assert interview_counts(df, min_n=5).iloc[0]["n_students"] == 42
    # and with two hidden cells of exact classes, two equations give both back: the count is hidden
    many = [f"s{i}" for i in range(20)] * 2 + [f"t{i}" for i in range(20)] + ["u0"] * 3 + ["u1"] * 3
    df = pd.DataFrame({"semester": ["x"] * len(many), "student": many})
    assert pd.isna(interview_counts(df, min_n=5).iloc[0]["n_students"])


def test_scan_treats_uncoded_answers_as_review_material(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sosrake_lib.scan import scan_outputs

    folder = tmp_path / "2023-syksy" / "interviews"
    (folder / "review").mkdir(parents=True)
    (folder / "tables").mkdir()
    (folder / "review" / "uncoded_answers.csv").write_text(
        "question,answer\nopen_missing,Apua\n", "utf-8"
    )
    (folder / "quotes_for_review.csv").write_text("quote,approved\nHyvä palvelu,False\n", "utf-8")
    assert scan_outputs(tmp_path) == []
    assert main(["scan", str(tmp_path), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "2 review file(s)" in err and "review/uncoded_answers.csv" in err
    # the old place among the published tables is a finding
    (folder / "tables" / "uncoded_answers.csv").write_text(
        "question,answer\nopen_missing,Apua\n", "utf-8"
    )
    [f] = scan_outputs(tmp_path)
    assert f.kind == "review_material" and f.file.endswith("tables/uncoded_answers.csv")


def test_an_export_linked_into_raw_from_the_output_folder_is_never_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (out / "S" / "interviews").mkdir(parents=True)
    raw.mkdir()
    real = out / "S" / "interviews" / "interviews_2022-syksy.csv"
    shutil.copy2(SAMPLE_DIR / "interviews_2022-syksy.csv", real)
    (raw / real.name).symlink_to(real)
    before = sha256(real)
    assert "overlap" in _one_line_exit_2(
        capsys,
        ["run", "interviews", "--semester", "S", "--raw", str(raw), "--out", str(out), "--quiet"],
    )
    assert sha256(real) == before


def test_sample_data_never_writes_over_or_beside_real_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # staff copy the sample folder as a template and put a real export in it
    tmpl = tmp_path / "tmpl"
    shutil.copytree(SAMPLE_DIR, tmpl)
    real = tmpl / "interviews_2022-syksy.csv"
    real.write_text("ID;Tulin kuulluksi\n1;Täysin samaa mieltä\n", encoding="utf-8")
    before = sha256(real)
    _one_line_exit_2(capsys, ["sample-data", "--out", str(tmpl)])
    assert sha256(real) == before
    other = tmp_path / "other"
    other.mkdir()
    (other / "interviews_2023.csv").write_text(
        "ID;Tulin kuulluksi\n1;Täysin samaa mieltä\n", encoding="utf-8"
    )
    _one_line_exit_2(capsys, ["sample-data", "--out", str(other)])
    assert sorted(p.name for p in other.iterdir()) == ["interviews_2023.csv"]


@pytest.mark.parametrize("cells", [3_024, 2_500_000])
def test_csv_with_too_many_columns_is_refused_quickly(
    cells: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    f = tmp_path / "interviews_x.csv"
    f.write_text("ID," + ",".join(f"q{i}" for i in range(cells)) + "\n", encoding="utf-8")
    t = time.perf_counter()
    assert "columns" in _one_line_exit_2(capsys, ["validate", str(f), "--instrument", "interviews"])
    assert time.perf_counter() - t < 30  # refused before a frame of millions of columns is built


def test_workbook_with_thousands_of_sheets_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    for i in range(120):
        wb.create_sheet(f"s{i}")
    wb.save(tmp_path / "course_feedback_many.xlsx")
    assert "sheets" in _one_line_exit_2(
        capsys, ["validate", str(tmp_path / "course_feedback_many.xlsx")]
    )


def test_a_one_statement_part_never_shows_what_its_statement_hides() -> None:
    # the sample's workload part has one statement whose answer counts are hidden; the part table published
    # its mean 2.7096774193548385 and SD 0.8243602928775248 with n 31, which fix the hidden counts
    import pandas as pd

    from sosrake_lib import course

    data = course.load_course_data(
        SAMPLE_DIR / "course_enrolment_2021.csv",
        SAMPLE_DIR / "course_pre_2021.csv",
        SAMPLE_DIR / "course_post_2021.csv",
        SAMPLE_DIR / "course_feedback_2021.xlsx",
    )
    inst = data.instruments["feedback"]
    items = course.feedback_items(data.feedback, inst).set_index("part")
    parts = course.feedback_parts(data.feedback, inst).set_index("part")
    row, part = items.loc["kuormitus"], parts.loc["kuormitus"]
    assert (
        pd.isna(row["n_valid"]) and row["mean"] == 2.7
    )  # the statement: counts hidden, mean rounded
    assert part["mean"] == 2.7 and part["sd"] == row["sd"]
    assert pd.isna(part["n"]) and pd.isna(part["ci_low"]) and pd.isna(part["median"])
    assert part["rank"] == parts["rank"].max()  # still the weakest part


def test_a_group_readable_key_file_warns_once_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once per key file and run (it was repeated for every export read), in one line without source lines."""
    import secrets
    import warnings

    from sosrake_lib import privacy

    key = tmp_path / "pseudonym.key"
    key.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    key.chmod(0o644)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(key))
    monkeypatch.setattr(privacy, "_WARNED_KEY_FILES", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            privacy.load_pseudonym_key()
    assert [str(w.message) for w in caught] == [
        f"key file {key} is readable by other users; restrict it with: chmod 600 {key}"
    ]
    monkeypatch.setattr(warnings, "formatwarning", warnings.formatwarning)
    main(["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv"), "--lang", "en"])
    text = warnings.formatwarning(caught[0].message, UserWarning, "privacy.py", 270)
    assert (
        text
        == f"warning: key file {key} is readable by other users; restrict it with: chmod 600 {key}\n"
    )
    main(["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv")])  # Finnish: the same one line
    assert warnings.formatwarning(caught[0].message, UserWarning, "privacy.py", 270).startswith(
        "varoitus: key file "
    )


def _with_non_respondents(t, truth):  # type: ignore[no-untyped-def]
    """The pair table with the enrolled who did not answer before / after as unknown columns (not published,
    but given by subtraction), and a copy of the enrolled column for the second relation."""

    t, truth = t.copy(), truth.copy()
    for when in ("pre", "post"):
        truth[f"_no_{when}"] = truth["enrolled"] - truth[f"answered_{when}"]
        truth.loc["not_in_register", f"_no_{when}"] = 0
        truth.loc["total", f"_no_{when}"] = truth.loc[
            ["completed_yes", "completed_no"], f"_no_{when}"
        ].sum()
        # unknown where not 0 (the audit's cells are at least 1; telling it the zeros only makes it stronger)
        t[f"_no_{when}"] = truth[f"_no_{when}"].astype("Int64").mask(truth[f"_no_{when}"] > 0)
    t["_enrolled2"], truth["_enrolled2"] = t["enrolled"], truth["enrolled"]
    return t, truth


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pair_accounting_hides_the_enrolled_who_did_not_answer(tmp_path: Path, seed: int) -> None:
    """22 completers, 20 of them answered before: 2 did not, a count given by subtraction (independent run,
    --rows 40). Declared as enrolled = answered + did not, before and after."""
    import pandas as pd

    from sosrake_lib import course
    from sosrake_lib.synthetic import write_sample

    raw = tmp_path / "raw"
    write_sample(raw, rows=40, seed=seed)
    data = course.load_course_data(
        raw / "course_enrolment_2021.csv",
        raw / "course_pre_2021.csv",
        raw / "course_post_2021.csv",
        raw / "course_feedback_2021.xlsx",
    )
    sa = data.instruments["selfassessment"]
    ids = (
        data.enrolment,
        course.area_scores(data.pre, sa).index,
        course.area_scores(data.post, sa).index,
    )
    t = course.pair_accounting(*ids, min_n=5).set_index("status")
    truth = course.pair_accounting(*ids, min_n=1).set_index("status")
    rel = {
        "answered_pre": ["paired", "pre_only"],
        "answered_post": ["paired", "post_only"],
        "enrolled": ["answered_pre", "_no_pre"],
        "_enrolled2": ["answered_post", "_no_post"],
    }

    tt, tr = _with_non_respondents(
        t.drop(columns="status_label"), truth.drop(columns="status_label")
    )
    _no_part_given_back(tt, rel, tr)
    # the cleaning table's kept rows of the surveys are the same respondents: 21 kept after - 20 pairs = 1
    n_pairs = int(truth.loc["total", "paired"])
    kept = course.cleaning_summary(data.logs, pairs=t.reset_index(), min_n=5).set_index("file")[
        "kept"
    ]
    enrolled = int(kept["enrolment"])
    for when in ("pre", "post"):
        if pd.notna(kept[when]):
            assert (
                not 0 < int(kept[when]) - n_pairs < 5 and not 0 < enrolled - int(kept[when]) < 5
            ), when
            assert pd.notna(t.loc["total", f"answered_{when}"]), (
                when
            )  # the same figure, hidden there
