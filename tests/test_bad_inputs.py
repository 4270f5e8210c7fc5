"""The bad-input corpus (tests/data/bad/, described in cases.yaml): every broken or hostile export must stop
with an ExportError that says where and what to do, through the library and through the CLI, leave the raw
file byte-identical and create no output."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BAD_DIR, sha256

from sosrake_lib.cli import main
from sosrake_lib.codebook import load_instrument
from sosrake_lib.errors import ExportError
from sosrake_lib.io import read_export
from sosrake_lib.paths import SAMPLE_DIR

CASES: list[dict[str, Any]] = yaml.safe_load((BAD_DIR / "cases.yaml").read_text(encoding="utf-8"))[
    "cases"
]
IDS = [c["file"] for c in CASES]


def _digest(path: Path) -> str | None:
    return sha256(path) if path.is_file() else None


def test_corpus_is_complete() -> None:
    """At least 25 cases; every file in the folder is described and every described file exists."""
    assert len(CASES) >= 25
    listed = {c["file"] for c in CASES}
    present = {p.name for p in BAD_DIR.iterdir()} - {"cases.yaml"}
    assert listed == present
    assert len(listed) == len(CASES)
    for c in CASES:
        load_instrument(c["instrument"])  # every case names a real instrument
        assert c["error"].strip()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_read_export_raises_located_export_error(case: dict[str, Any]) -> None:
    path = BAD_DIR / case["file"]
    before = _digest(path)
    with pytest.raises(ExportError) as info:
        read_export(path, case["instrument"])
    err = info.value
    assert case["error"] in str(err)
    assert err.file is not None and case["file"] in err.file
    if "row" in case:
        assert err.row == case["row"]
    if "column" in case:
        assert err.column == case["column"]
    assert err.hint, "every error must say what to do"
    assert _digest(path) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validate_exits_2_with_one_line(
    case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD_DIR / case["file"]
    before = _digest(path)
    status = main(["validate", str(path), "--instrument", case["instrument"], "--lang", "en"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("sosrake: error: ")
    assert case["file"] in line
    assert case["error"] in line
    assert "What to do:" in line
    assert "Traceback" not in err
    # in Finnish (the default): the same one line, located in Finnish words
    assert main(["validate", str(path), "--instrument", case["instrument"]]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1, err
    assert err.startswith("sosrake: virhe: ") and case["file"] in err and "Mitä tehdä:" in err
    if "row" in case:
        assert f"rivi {case['row']}" in err
    assert _digest(path) == before


def _export_name(case: dict[str, Any]) -> str:
    """A name that the case's instrument claims by file pattern, so the folder scan cannot skip it."""
    pattern = load_instrument(case["instrument"]).file_patterns[0]
    name = pattern.replace("*", "_broken") + Path(case["file"]).suffix
    assert fnmatch.fnmatch(name, pattern)
    return name


@pytest.fixture
def good_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(SAMPLE_DIR / "course_feedback_2021.xlsx", raw / "course_feedback_2021.xlsx")
    return raw


def test_prepare_writes_output_for_a_good_folder(
    good_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control for the test below: without the broken file, prepare does write."""
    out = tmp_path / "out"
    assert (
        main(["prepare", "--raw", str(good_folder), "--semester", "2099-kevät", "--out", str(out)])
        == 0
    )
    assert (out / "2099-kevät" / "course_feedback_2021.parquet").is_file()
    assert "säilytetty 33/33 riviä" in capsys.readouterr().out


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if (BAD_DIR / c["file"]).is_file()],
    ids=[c["file"] for c in CASES if (BAD_DIR / c["file"]).is_file()],
)
def test_prepare_creates_nothing_when_one_file_is_broken(
    case: dict[str, Any], good_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = good_folder / _export_name(case)
    shutil.copy2(BAD_DIR / case["file"], broken)
    before = sha256(broken), sha256(good_folder / "course_feedback_2021.xlsx")
    out = tmp_path / "out"
    status = main(
        ["prepare", "--raw", str(good_folder), "--semester", "2099-kevät", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.splitlines()) == 1 and broken.name in err
    assert not out.exists() or not any(out.rglob("*"))
    assert (sha256(broken), sha256(good_folder / "course_feedback_2021.xlsx")) == before
    assert sorted(p.name for p in good_folder.iterdir()) == sorted(
        ["course_feedback_2021.xlsx", broken.name]
    )


def test_validate_detects_instrument_and_still_fails_cleanly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --instrument, a binary file fails while the instrument is being detected: same one-line error."""
    assert main(["validate", str(BAD_DIR / "binary_junk.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "binary_junk.csv" in err and "binary data" in err


def test_installed_console_script_one_line_exit_2(tmp_path: Path) -> None:
    """The real `sosrake` entry point: exit status 2, one line on stderr, no traceback."""
    exe = Path(sys.executable).with_name("sosrake")
    if not exe.exists():
        found = shutil.which("sosrake")
        if found is None:
            pytest.skip("the sosrake console script is not installed")
        exe = Path(found)
    path = BAD_DIR / "unknown_label.csv"
    before = sha256(path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOSRAKE_PSEUDONYM_KEY")}
    proc = subprocess.run(
        [str(exe), "validate", str(path), "--instrument", "course_feedback"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(  # the test locale is C.UTF-8: Finnish
        "sosrake: virhe: unknown_label.csv: rivi 5, sarake 'Kurssin sisältö"
    )
    assert "tuntematon vastausvaihtoehto" in proc.stderr
    assert "'Melko hyvin'" in proc.stderr and "Traceback" not in proc.stderr
    assert sha256(path) == before
    assert list(tmp_path.iterdir()) == []
