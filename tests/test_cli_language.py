"""The command line in the user's language: Finnish by default, English with --lang en or an English locale;
help for every argument; `run all` names what it skipped and why; date errors say what is wrong."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from conftest import BAD_DIR

from sosrake_lib import runner
from sosrake_lib.cli import _parser, main
from sosrake_lib.errors import ExportError
from sosrake_lib.io import read_export
from sosrake_lib.messages import argparse_language, cli_lang
from sosrake_lib.paths import SAMPLE_DIR


# ------------------------------------------------------------------------------------------ language
@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["validate", "x.csv"], {}, "fi"),
        (["validate", "x.csv"], {"LANG": "C.UTF-8"}, "fi"),
        (["validate", "x.csv"], {"LANG": "fi_FI.UTF-8"}, "fi"),
        (["validate", "x.csv"], {"LANG": "en_GB.UTF-8"}, "en"),
        (["validate", "x.csv"], {"LANG": "fi_FI.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        (["validate", "x.csv"], {"LANG": "en_GB.UTF-8", "LC_ALL": "fi_FI.UTF-8"}, "fi"),
        (["validate", "x.csv", "--lang", "en"], {"LANG": "fi_FI.UTF-8"}, "en"),
        (["validate", "--lang=fi", "x.csv"], {"LANG": "en_GB.UTF-8"}, "fi"),
        (["validate", "x.csv", "--lang", "sv"], {"LANG": "en_GB.UTF-8"}, "en"),
    ],
)
def test_language_from_lang_then_locale(
    argv: list[str], env: dict[str, str], expected: str
) -> None:
    assert cli_lang(argv, env) == expected


def _all_parsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return {"sosrake": p, **sub.choices}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_command_and_argument_has_help_and_takes_lang(lang: str) -> None:
    with argparse_language(lang):
        parsers = _all_parsers(_parser(lang))  # type: ignore[arg-type]
    assert set(parsers) == {
        "sosrake",
        "run",
        "validate",
        "prepare",
        "map",
        "sample-data",
        "scan",
        "history",
        "key",
        "coding-sample",
        "coding-agreement",
        "codebook-suggest",
    }
    for name, p in parsers.items():
        assert any("--lang" in a.option_strings for a in p._actions), name
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                assert all(c.help for c in a._choices_actions)
                continue
            assert a.help and a.help.strip(), (name, a.dest)
    run_help = parsers["run"].format_help()
    if lang == "fi":
        assert "lukukauden tunnus, esim. 2023-syksy" in run_help
    else:
        assert "semester label, e.g. 2023-syksy" in run_help


def test_help_is_finnish_by_default_and_english_with_an_english_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("käyttö: sosrake run")
    assert "valinnat:" in out and "näytä tämä ohje ja lopeta" in out
    assert "--semester LUKUKAUSI" in out and "usage:" not in out
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: sosrake run") and "--semester SEMESTER" in out
    assert "show this help message and exit" in out and "käyttö" not in out


def test_a_usage_error_is_finnish_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "all"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("käyttö: sosrake run")
    assert err.splitlines()[-1] == (
        "sosrake run: virhe: nämä argumentit puuttuvat: --semester, --raw, --out"
    )
    with pytest.raises(SystemExit):
        main(["run", "kaikki", "--lang", "en"])
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("sosrake run: error: argument ANALYSIS: invalid choice: 'kaikki'")


def test_missing_key_message_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The pseudonym key is missing: one line in Finnish (or English), not both languages at once."""
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    path = _interviews_with_date(tmp_path, "5.10.2021")  # a good export of real (not sample) data
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "sosrake: virhe: Pseudonymisointiavain puuttuu. Luo avain: sosrake key init"
    )
    assert "not found" not in err and err.count("\n") == 1
    assert main(["validate", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sosrake: error: Pseudonym key not found. Create one: sosrake key init")
    assert "puuttuu" not in err


# -------------------------------------------------------------------------------- run all: skipped
@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "fi",
            [
                "[competence] ohitettu: kansiossa ei ole competence-aineistoa",
                "[course] ohitettu: kansiossa ei ole course_enrolment-aineistoa",
            ],
        ),
        (
            "en",
            [
                "[competence] skipped: no competence export in the folder",
                "[course] skipped: no course_enrolment export in the folder",
            ],
        ),
    ],
)
def test_run_all_names_the_analyses_it_skipped_and_why(
    lang: str,
    lines: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A raw folder with only the interview exports: `run all` runs interviews and says, one line each, that
    competence and course were skipped because their exports are not there (also with --quiet)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("interviews_2021-syksy.csv", "interviews_2022-syksy.csv"):
        shutil.copy2(SAMPLE_DIR / name, raw / name)
    ran: list[str] = []

    def fake_run_plans(plans: list[runner.Plan], **_: object) -> list[Path]:
        ran.extend(p.analysis for p in plans)
        return []

    monkeypatch.setattr(runner, "_run_plans", fake_run_plans)
    argv = [
        "run",
        "all",
        "--semester",
        "2022-syksy",
        "--raw",
        str(raw),
        "--out",
        str(tmp_path / "out"),
    ]
    argv += ["--processed", str(tmp_path / "proc"), "--lang", lang, "--quiet"]
    assert main(argv) == 0
    assert ran == ["interviews"]
    err = capsys.readouterr().err.splitlines()
    assert err == lines


def test_run_all_skips_the_course_for_want_of_the_named_file(tmp_path: Path) -> None:
    """Only a course feedback export: the course is planned and fails (required files missing), competence
    and interviews are skipped with the error each would give when run alone."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy2(SAMPLE_DIR / "competence_2020.xlsx", raw / "competence_2020.xlsx")
    skipped: list[tuple[str, ExportError]] = []
    plans = runner.plan_analyses("all", raw, skipped=skipped)
    assert [p.analysis for p in plans] == ["competence"]
    assert [(a, e.message) for a, e in skipped] == [
        ("interviews", "no interviews export in the folder"),
        ("course", "no course_enrolment export in the folder"),
    ]


# ------------------------------------------------------------------------------------------ dates
def _interviews_with_date(tmp_path: Path, date: str) -> Path:
    """A small interviews export (tests/data/bad/not_a_date.csv) whose row 4 has ``date`` as its date."""
    text = (BAD_DIR / "not_a_date.csv").read_text(encoding="utf-8")
    assert text.count(";eilen;") == 1
    path = tmp_path / "interviews_2022-syksy.csv"
    path.write_text(text.replace(";eilen;", f";{date};"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("date", "en", "fi"),
    [
        (
            "31.2.2022",
            "31.2.2022 is not a date (February has no 31st)",
            "31.2.2022 ei ole päivämäärä (helmikuussa ei ole 31. päivää)",
        ),
        (
            "29.2.2023",
            "29.2.2023 is not a date (2023 is not a leap year: February has 28 days)",
            "29.2.2023 ei ole päivämäärä (2023 ei ole karkausvuosi: helmikuussa on 28 päivää)",
        ),
        (
            "31.4.2022",
            "31.4.2022 is not a date (April has no 31st)",
            "31.4.2022 ei ole päivämäärä (huhtikuussa ei ole 31. päivää)",
        ),
        (
            "13/13/2022",
            "13/13/2022 is not a date (there is no month 13)",
            "13/13/2022 ei ole päivämäärä (kuukautta 13 ei ole)",
        ),
        ("huomenna", "huomenna is not a date", "huomenna ei ole päivämäärä"),
    ],
)
def test_an_impossible_date_says_what_is_wrong(
    date: str, en: str, fi: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real export with one impossible date in the interview-date column: the error names the file, the
    row and the column, and says why the value is no date, not "write every date in one format"."""
    path = _interviews_with_date(tmp_path, date)
    with pytest.raises(ExportError) as info:
        read_export(path, "interviews")
    err = info.value
    assert err.row == 4 and err.column is not None and err.column.startswith("Haastattelupäivä")
    assert err.value == date and err.message == en
    assert "one format" not in str(err)
    assert main(["validate", str(path)]) == 2
    line = capsys.readouterr().err
    assert line.startswith(
        "sosrake: virhe: interviews_2022-syksy.csv: rivi 4, sarake 'Haastattelupäivä'"
    )
    assert fi in line and line.count("\n") == 1 and "one format" not in line
    assert main(["validate", str(path), "--lang", "en"]) == 2
    line = capsys.readouterr().err
    assert line.startswith(
        "sosrake: error: interviews_2022-syksy.csv: row 4, column 'Haastattelupäivä'"
    )
    assert en in line


def test_a_date_of_another_format_names_both_formats(tmp_path: Path) -> None:
    path = _interviews_with_date(tmp_path, "2022-10-12")
    with pytest.raises(ExportError) as info:
        read_export(path, "interviews")
    assert info.value.message == (
        "dates in mixed formats: 2022-10-12 does not follow the column's main format (d.m.yyyy)"
    )
    assert info.value.hint == "write every date of the column in one format (d.m.yyyy)"
    assert info.value.one_line("fi").endswith(
        "päivämäärät eri muodoissa: 2022-10-12 ei ole sarakkeen muiden päivämäärien muotoa "
        "(d.m.yyyy). Mitä tehdä: kirjoita sarakkeen kaikki päivämäärät samassa muodossa (d.m.yyyy)."
    )
