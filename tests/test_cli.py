"""The `sosrake` command line, run in-process: validate, sample-data and prepare (Finnish by default, the
test locale being C.UTF-8; English with --lang en)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import sha256

from sosrake_lib.cli import main
from sosrake_lib.paths import SAMPLE_DIR


def test_validate_ok_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLE_DIR / "competence_2020.xlsx"
    before = sha256(path)
    assert main(["validate", str(path), "--instrument", "competence", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "OK competence_2020.xlsx: competence, 121 rows read, 118 kept "
        "(empty 1, test 1, duplicate 1 dropped)\n"
        "  dropped 1 row(s): empty: no answer in any question column\n"
        "  dropped 1 row(s): test: a test word (testi, test, kokeilu) in the email column\n"
        "  dropped 1 row(s): duplicate: same email as a later submission (same_as)\n"
    )
    assert err == ""
    assert main(["validate", str(path), "--instrument", "competence"]) == 0
    assert capsys.readouterr().out == (
        "OK competence_2020.xlsx: competence, 121 riviä luettu, 118 säilytetty "
        "(tyhjä 1, testi 1, kaksoiskappale 1 poistettu)\n"
        "  poistettu 1 rivi(ä): tyhjä: ei vastausta yhdessäkään kysymyssarakkeessa\n"
        "  poistettu 1 rivi(ä): testi: testisana (testi, test, kokeilu) sarakkeessa email\n"
        "  poistettu 1 rivi(ä): kaksoiskappale: sama email kuin myöhemmässä vastauksessa (same_as)\n"
    )
    assert sha256(path) == before


def test_validate_detects_instrument_from_file_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv")]) == 0
    assert capsys.readouterr().out.startswith(
        "OK interviews_2022-syksy.csv: interviews, 89 riviä luettu, 86 säilytetty"
    )


def test_validate_detects_instrument_from_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = tmp_path / "export_2021.csv"
    renamed.write_bytes((SAMPLE_DIR / "course_pre_2021.csv").read_bytes())
    assert main(["validate", str(renamed), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith(
        "OK export_2021.csv: course_selfassessment, 52 rows read, 52 kept"
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", "/nonexistent/folder/competence_2020.xlsx"], "does not exist"),
        (["validate", "--lang", "fi", "/nonexistent/folder/competence_2020.xlsx"], "ei ole"),
        (
            ["validate", str(SAMPLE_DIR / "competence_2020.xlsx"), "--instrument", "kysely"],
            "unknown instrument",
        ),
        (
            ["validate", str(SAMPLE_DIR / "README.md"), "--instrument", "competence"],
            "unsupported file type",
        ),
        (
            ["validate", str(SAMPLE_DIR / "competence_2020.xlsx"), "--instrument", "interviews"],
            "looks like a 'competence' export",
        ),
        (
            ["prepare", "--raw", "/nonexistent/raw", "--semester", "2023-syksy"],
            "raw-data folder does not exist",
        ),
        (
            ["prepare", "--lang", "fi", "--raw", "/nonexistent/raw", "--semester", "2023-syksy"],
            "/nonexistent/raw: aineistokansiota ei ole. Mitä tehdä: anna kansio",
        ),
    ],
)
def test_errors_exit_2_with_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fi = "fi" in argv
    assert main(argv if fi else [*argv, "--lang", "en"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("sosrake: virhe: " if fi else "sosrake: error: ")
    assert expected in err and "Traceback" not in err


def test_validate_without_instrument_unknown_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "kysely.csv"
    p.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "kysely.csv" in err and "--instrument" in err


def test_argparse_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2


def test_sample_data_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sample"
    assert main(["sample-data", "--out", str(out), "--rows", "30", "--seed", "1"]) == 0
    printed = capsys.readouterr().out.split()
    expected = {
        "competence_2020.xlsx",
        "interviews_2021-syksy.csv",
        "interviews_2022-syksy.csv",
        "course_enrolment_2021.csv",
        "course_pre_2021.csv",
        "course_post_2021.csv",
        "course_feedback_2021.xlsx",
    }
    assert {Path(p).name for p in printed} == expected
    assert {p.name for p in out.iterdir()} == expected | {"README.md"}
    # every file validates; rows follow --rows, plus a test row, a duplicate and a blank row where added
    for name in sorted(expected):
        assert main(["validate", str(out / name), "--lang", "en"]) == 0, name
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("OK competence_2020.xlsx: competence, 33 rows read, 30 kept")
        for line in lines
    )
    assert any(
        line.startswith("OK interviews_2021-syksy.csv: interviews, 33 rows read, 30 kept")
        for line in lines
    )


def test_sample_data_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("a", "b"):
        assert main(["sample-data", "--out", str(tmp_path / sub), "--rows", "20"]) == 0
    for name in ("interviews_2021-syksy.csv", "course_enrolment_2021.csv", "course_pre_2021.csv"):
        assert sha256(tmp_path / "a" / name) == sha256(tmp_path / "b" / name), name
    # .xlsx: the zip entries carry the time of writing (2 s resolution), so compare the cells, not the bytes
    from openpyxl import load_workbook

    cells = [
        list(load_workbook(tmp_path / sub / "competence_2020.xlsx").active.values)
        for sub in ("a", "b")
    ]
    assert cells[0] == cells[1]


def test_prepare_writes_processed_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "processed"
    assert (
        main(["prepare", "--raw", str(SAMPLE_DIR), "--semester", "sample", "--out", str(out)]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert "interviews_2021-syksy.csv: interviews, säilytetty 80/83 riviä" in lines
    written = sorted(p.name for p in (out / "sample").iterdir())
    assert len(written) == 14  # 7 exports x (parquet + cleaning log)
    df = pd.read_parquet(out / "sample" / "competence_2020.parquet")
    assert len(df) == 118 and "email" not in df.columns


def test_key_init_makes_the_folder_and_a_private_key_that_runs_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a fresh machine (no ~/.config/sosrake) one command makes a key only its owner can read, and the
    key loader then finds it; a second init refuses (exit 2, one line) and leaves the first key as it was."""
    import stat

    from sosrake_lib.privacy import KEY_ENV, load_pseudonym_key

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(KEY_ENV, raising=False)
    assert main(["key", "init"]) == 0
    key_file = tmp_path / "config" / "sosrake" / "pseudonym.key"
    said = capsys.readouterr().out
    assert said.startswith("avain luotu: ") and "pseudonym.key" in said and " / " not in said
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    first = key_file.read_bytes()
    import warnings

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        key, is_demo = load_pseudonym_key()
    assert record == []  # mode 600: no "readable by other users" warning
    assert key == first.strip() and not is_demo
    assert main(["key", "init", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a key already exists" in err and "avain" not in err
    assert main(["key", "init"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sosrake: virhe: avain on jo olemassa: ") and "already" not in err
    assert key_file.read_bytes() == first


def test_key_init_refuses_a_path_inside_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    target = SAMPLE_DIR.parent / "pseudonym.key"
    assert main(["key", "init", "--path", str(target), "--lang", "en"]) == 2
    assert "inside the repository" in capsys.readouterr().err
    assert not target.exists()


def test_make_lab_passes_allow_root_only_to_root() -> None:
    """Jupyter refuses to start as root without --allow-root; CI machines and containers run as root."""
    import os
    import subprocess

    root = Path(__file__).resolve().parents[1]
    dry = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", "lab"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in dry.splitlines() if "jupyter lab" in x)
    shell = subprocess.run(
        ["sh", "-c", "echo " + line.split("jupyter lab", 1)[1]], capture_output=True, text=True
    )
    assert ("--allow-root" in shell.stdout) == (os.geteuid() == 0)
