"""The history of the key figures (``sosrake history``) and the reports' trend section, on real runs.

One output root is made once for the module: ``run all`` on the shipped sample (label ``sample``: its rounds
are guessed from the file names and the inputs' semesters) and a course run on a second synthetic round
(label ``2022``, ``--min-cell-size 20``: a changed definition). Other roots are copies of those runs with
one thing changed (a codebook version raised, a folder left incomplete).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sosrake_lib import cli, runner
from sosrake_lib.history import find_runs, history_table
from sosrake_lib.history.publish import write_history
from sosrake_lib.labels import for_analysis
from sosrake_lib.outputs import round_display
from sosrake_lib.paths import SAMPLE_DIR
from sosrake_lib.synthetic import write_sample


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    processed = tmp_path_factory.mktemp("processed")
    common = {"out": out, "progress": False, "processed_dir": processed}
    runner.run_semester("all", semester="sample", raw=SAMPLE_DIR, target_size=160, **common)
    raw2 = tmp_path_factory.mktemp("raw2022")
    write_sample(raw2, seed=1)
    runner.run_semester("course", semester="2022", raw=raw2, min_cell_size=20, **common)
    return out


@pytest.fixture(scope="module")
def table(root: Path) -> pd.DataFrame:
    runs, skipped = find_runs(root)
    assert skipped == []
    return history_table(runs)


def _same(a, b) -> bool:
    missing = (a is None or a is pd.NA) and (b is None or b is pd.NA)
    return missing or a == b


def test_every_key_figure_is_in_the_table_as_published(root: Path, table: pd.DataFrame) -> None:
    checked = 0
    for kf_path in sorted(root.glob("*/*/key_figures.json")):
        run = kf_path.parent.relative_to(root).as_posix()
        for kf in json.loads(kf_path.read_text(encoding="utf-8"))["key_figures"]:
            rows = table[(table["run"] == run) & (table["name"] == kf["name"])]
            row = rows[rows["origin"] == "key_figure"]
            assert len(row) == 1, (run, kf["name"])
            r = row.iloc[0]
            for col in ("value", "n", "ci_low", "ci_high"):
                assert _same(r[col], kf[col]), (run, kf["name"], col, r[col], kf[col])
            # a figure the analysis left without a value (hidden for a secondary reason) counts as hidden
            assert r["suppressed"] == (kf["suppressed"] or kf["value"] is None)
            assert r["unit"] == kf["unit"] and r["method"] == kf["method"]
            checked += 1
    assert checked > 40
    assert set(table["run"]) == {
        "sample/competence",
        "sample/interviews",
        "sample/course",
        "2022/course",
    }


def test_interviews_earlier_semester_comes_from_the_published_table(
    root: Path, table: pd.DataFrame
) -> None:
    published = for_analysis("interviews").read_table(
        root / "sample" / "interviews", "nps_by_semester", "fi"
    )
    autumn21 = next(r for r in published if r["semester"] == "2021-syksy")
    row = table[(table["analysis"] == "interviews") & (table["name"] == "nps")]
    assert row["round"].tolist() == ["2021-syksy", "2022-syksy"]
    r = row.iloc[0]
    assert r["origin"] == "table_row" and not r["round_guessed"]
    assert r["value"] == round_display(float(autumn21["nps"]), 0)
    assert r["n"] == int(autumn21["n"])
    assert (r["ci_low"], r["ci_high"]) == (
        round_display(float(autumn21["ci_low"]), 0),
        round_display(float(autumn21["ci_high"]), 0),
    )
    # a cell the run hid stays hidden in every semester
    safety = table[table["name"] == "turvallisuus_top2"]
    assert len(safety) == 2 and safety["suppressed"].all() and safety["value"].isna().all()


def test_nothing_below_the_minimum_cell_size(table: pd.DataFrame) -> None:
    n = pd.to_numeric(table["n"], errors="coerce")
    assert not ((n > 0) & (n < table["min_n"])).any()
    assert table.loc[table["suppressed"], "value"].isna().all()


def test_a_changed_minimum_cell_size_starts_a_new_series(table: pd.DataFrame) -> None:
    rows = table[(table["analysis"] == "course") & (table["name"] == "completion_rate")]
    assert rows["round"].tolist() == ["2021", "2022"]
    assert rows["series"].tolist() == [1, 2]
    assert rows["break_reason_fi"].tolist()[1] == "pienin julkaistava ryhmä muuttui (5 → 20)"
    assert rows["break_reason_en"].tolist()[1] == "the minimum cell size changed (5 → 20)"
    assert rows["census"].all() and rows["ci_low"].isna().all()


def test_a_raised_codebook_version_starts_a_new_series(root: Path, tmp_path: Path) -> None:
    for label in ("2022", "2023"):
        shutil.copytree(root / "2022" / "course", tmp_path / label / "course")
    mpath = tmp_path / "2023" / "course" / "manifest.json"
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    manifest["semester"] = "2023"
    for entry in manifest["inputs"]:
        assert entry["instrument_version"] == "1"
        if entry["instrument"] == "course_feedback":
            entry["instrument_version"] = "2"
    mpath.write_text(json.dumps(manifest), encoding="utf-8")
    runs, _ = find_runs(tmp_path)
    t = history_table(runs)
    rows = t[t["name"] == "nps"]
    assert rows["series"].tolist() == [1, 2]
    reason = rows["break_reason_en"].tolist()[1]
    assert reason.startswith("the instrument version changed (")
    assert "course_feedback=1" in reason and "course_feedback=2" in reason


def test_a_guessed_round_is_said(table: pd.DataFrame, root: Path, capsys) -> None:
    course = table[table["run"] == "sample/course"]
    assert set(course["round"]) == {"2021"} and course["round_guessed"].all()
    assert "course_pre_2021.csv" in course["round_note_fi"].iloc[0]
    assert not table.loc[table["run"] == "2022/course", "round_guessed"].any()
    assert cli.main(["history", str(root), "--out", str(root.parent / "h_fi")]) == 0
    err = capsys.readouterr().err
    assert "huom.: sample/course: ajon nimi sample ei ole lukukausi; kierros 2021 päätelty" in err
    assert err.count("vinkki: nimeä ajo lukukaudella tai vuodella") == 1  # what to do, said once


def test_incomplete_runs_are_skipped_with_the_reason(root: Path, tmp_path: Path, capsys) -> None:
    shutil.copytree(root / "2022" / "course", tmp_path / "2022" / "course")
    broken = tmp_path / "2023-kevät" / "course"
    shutil.copytree(root / "2022" / "course", broken)
    (broken / "manifest.json").unlink()
    changed = tmp_path / "2023-syksy" / "course"
    shutil.copytree(root / "2022" / "course", changed)
    kf = changed / "key_figures.json"
    kf.write_text(
        kf.read_text(encoding="utf-8").replace('"min_n": 20', '"min_n": 2'), encoding="utf-8"
    )
    shutil.copytree(root / "2022" / "course", tmp_path / "2024" / ".course.x1.partial")
    runs, skipped = find_runs(tmp_path)
    assert [r.relative for r in runs] == ["2022/course"]
    reasons = {s.folder: s.reason_en for s in skipped}
    assert reasons == {
        "2023-kevät/course": "no manifest.json (the run is incomplete or failed)",
        "2023-syksy/course": "key_figures.json changed after the run (its hash does not match the manifest)",
        "2024/.course.x1.partial": "an unfinished run (a temporary folder)",
    }
    assert cli.main(["history", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert (
        "ohitettu 2023-kevät/course: ei manifest.json-tiedostoa (ajo kesken tai epäonnistui)" in err
    )


def test_trend_section_only_with_two_rounds(root: Path) -> None:
    def report(run: str) -> str:
        return (root / run / "report.html").read_text(encoding="utf-8")

    def manifest(run: str) -> dict:
        return json.loads((root / run / "manifest.json").read_text(encoding="utf-8"))

    # the first course round: no earlier run, no section, the how-to-read cell taken out
    assert ">Kehitys" not in report("sample/course")
    assert "Näin luet kehitystä" not in report("sample/course")
    assert manifest("sample/course")["history"] == {"trend_section": False, "runs": []}
    # the second course round finds the first in the same output root
    second = report("2022/course")
    assert ">Kehitys" in second and "Näin luet kehitystä" in second
    assert "pienin julkaistava ryhmä muuttui (5 → 20)" in second
    runs = manifest("2022/course")["history"]["runs"]
    assert [r["run"] for r in runs] == ["sample/course", "2022/course"]
    assert (root / "2022" / "course" / "figures" / "trend_completion_rate.png").is_file()
    assert "trend_completion_rate.png" in " ".join(manifest("2022/course")["outputs"])
    # interviews hold two semesters in one run: a section already
    assert ">Kehitys" in report("sample/interviews")
    assert manifest("sample/interviews")["history"]["trend_section"] is True
    # the competence mapping has one round
    assert ">Kehitys" not in report("sample/competence")


def test_cli_writes_the_history(root: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "hist"
    assert cli.main(["history", str(root), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("4 ajoa,")
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"history.csv", "history.xlsx", "summary.md"} <= names
    for fig in ("interviews_nps", "interviews_theme_top2", "course_completion_rate"):
        assert {f"figures/{fig}.{ext}" for ext in ("png", "svg", "pdf", "alt.txt")} <= names
    csv = pd.read_csv(out / "history.csv")
    assert {"break_reason_fi", "round_guessed", "series_id", "run"} <= set(csv.columns)
    assert "Suoritusaste" in (out / "figures" / "course_completion_rate.alt.txt").read_text(
        encoding="utf-8"
    )
    # English on request, the default folder is OUTPUTS/history
    assert cli.main(["history", str(root), "--lang", "en"]) == 0
    assert "run(s)" in capsys.readouterr().out
    assert (root / "history" / "history.csv").is_file()
    # the history folder is not read as a run the next time
    assert cli.main(["history", str(root), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("4 ajoa,")


def test_cli_missing_folder_is_one_finnish_line(tmp_path: Path, capsys) -> None:
    assert cli.main(["history", str(tmp_path / "ei_ole")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"sosrake: virhe: tuloskansiota ei ole: {tmp_path / 'ei_ole'}"]
    assert cli.main(["history", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("sosrake: virhe: kansiossa")


def test_history_is_reproducible(root: Path, tmp_path: Path) -> None:
    a = write_history(root, tmp_path / "a")
    b = write_history(root, tmp_path / "b")
    for p in a.paths:
        q = tmp_path / "b" / p.relative_to(tmp_path / "a")
        assert p.read_bytes() == q.read_bytes(), p.name
    assert len(b.paths) == len(a.paths)


def test_history_is_no_semester_label(tmp_path: Path, capsys) -> None:
    argv = [
        "run",
        "course",
        "--semester",
        "history",
        "--raw",
        str(SAMPLE_DIR),
        "--out",
        str(tmp_path),
    ]
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "sosrake: virhe: lukukauden nimi 'history' on varattu sosrake history -komennon kansiolle; "
        "käytä toista nimeä"
    )


def test_out_never_wipes_other_files(root: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "own.txt").write_text("x", encoding="utf-8")
    assert cli.main(["history", str(root), "--out", str(tmp_path)]) == 2
    assert "ei ole tyhjä eikä siinä ole history.csv" in capsys.readouterr().err
    assert (tmp_path / "own.txt").is_file()


def test_report_section_names_the_runs_and_the_folders_left_out(root: Path, tmp_path: Path) -> None:
    from sosrake_lib.history.publish import manifest_record, trend_section

    shutil.copytree(root / "2022" / "course", tmp_path / "2022" / "course")
    shutil.copytree(root / "2022" / "course", tmp_path / "2023-kevät" / "course")
    (tmp_path / "2023-kevät" / "course" / "manifest.json").unlink()
    current = tmp_path / "2023-syksy" / "course"
    shutil.copytree(root / "2022" / "course", current)
    manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    manifest["semester"] = "2023-syksy"
    section = trend_section(
        tmp_path, "course", lang="en", current=current, manifest=manifest, exclude=[current]
    )
    assert section is not None and section.cells[0].source.startswith("## Trend")
    record = manifest_record(section)
    assert [r["run"] for r in record["runs"]] == ["2022/course", "2023-syksy/course"]
    assert record["skipped"] == [
        {
            "folder": "2023-kevät/course",
            "reason": "no manifest.json (the run is incomplete or failed)",
        }
    ]
    assert (current / "figures" / "trend_completion_rate.alt.txt").is_file()
    # a report made with a higher threshold shows the earlier rounds under it too
    strict = trend_section(
        tmp_path,
        "course",
        lang="en",
        current=current,
        manifest=manifest,
        exclude=[current],
        min_n=40,
        figures_dir=tmp_path / "f40",
    )
    assert strict is not None
    shown = strict.cells[1].outputs[0].data["text/html"]
    assert ">63<" in shown and ">31<" not in shown and ">33<" not in shown


def _run(label: str, figures: list[dict], versions: str = "competence=1"):
    from sosrake_lib.history.runs import Round, Run

    inputs = [
        {
            "file": f"competence_{label}.xlsx",
            "instrument": name,
            "instrument_version": v,
            "role": "export",
        }
        for name, v in (p.split("=") for p in versions.split(";"))
    ]
    manifest = {"semester": label, "inputs": inputs}
    return Run(
        Path(label),
        f"{label}/competence",
        "competence",
        manifest,
        figures,
        5,
        Round(label, "run_label"),
    )


def _figure(name: str, value: float, note: str, unit: str = "score 1–5") -> dict:
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "n": 100,
        "ci_low": None,
        "ci_high": None,
        "suppressed": False,
        "method": "mean",
        "note": note,
        "source": None,
    }


def test_a_best_or_weakest_figure_about_another_part_is_not_joined() -> None:
    """'The weakest part' of two rounds may be two different parts: 2,7 → 3,3 is then no improvement."""
    t = history_table(
        [
            _run("2021", [_figure("weakest_part", 2.7, "part=kuormitus; P(worst)=1")]),
            _run("2022", [_figure("weakest_part", 3.3, "part=alusta; P(worst)=0.88")]),
        ]
    )
    assert t["subject"].tolist() == ["kuormitus", "alusta"]
    assert t["series"].tolist() == [1, 2]
    assert "kuormitus → alusta" in t["break_reason_fi"].iloc[1]


def test_a_new_codebook_version_breaks_only_the_figures_its_changed_items_touch() -> None:
    """Version 2 of the competence codebook drops an item of yhteiso: its figures start a new series. It also
    rewords an item of vaikuttavuustieto but names the earlier one (previous_id): the same item, one line. An
    untouched area and the respondent count keep their line too."""

    def figures(shift: float) -> list[dict]:
        return [
            _figure("alpha_yhteiso", 0.37 + shift, "area=yhteiso", "alpha"),
            _figure("alpha_tiedonkeruu", 0.70 + shift, "area=tiedonkeruu", "alpha"),
            _figure("alpha_vaikuttavuustieto", 0.75 + shift, "area=vaikuttavuustieto", "alpha"),
            _figure("n_respondents", 118, "", "n"),
            {**_figure("response_rate", 73.8, "census=yes", "%"), "method": "a census count"},
            _figure("need_top_mwds", 7.2, "", "MWDS"),
        ]

    t = history_table(
        [_run("2020", figures(0)), _run("2022", figures(0.01), "competence=2")]
    ).set_index(["name", "round"])
    assert t.loc[("alpha_yhteiso", "2022"), "series"] == 2
    assert "mittarin versio muuttui" in t.loc[("alpha_yhteiso", "2022"), "break_reason_fi"]
    assert t.loc[("alpha_tiedonkeruu", "2022"), "series"] == 1
    assert t.loc[("alpha_vaikuttavuustieto", "2022"), "series"] == 1
    assert t.loc[("n_respondents", "2022"), "series"] == 1
    assert t.loc[("response_rate", "2022"), "series"] == 1  # a census count: no item in it
    # a figure that names no area cannot show which items it rests on: it is not joined
    assert t.loc[("need_top_mwds", "2022"), "series"] == 2


def test_a_follow_up_runs_earlier_round_does_not_set_its_codebook_version() -> None:
    from sosrake_lib.history.runs import Round, Run

    manifest = {
        "semester": "2022",
        "inputs": [
            {
                "file": "c22.xlsx",
                "instrument": "competence",
                "instrument_version": "2",
                "role": "export",
            },
            {
                "file": "c20.xlsx",
                "instrument": "competence",
                "instrument_version": "1",
                "role": "earlier",
            },
        ],
    }
    run = Run(
        Path("2022"), "2022/competence", "competence", manifest, [], 5, Round("2022", "run_label")
    )
    assert run.instrument_versions == "competence=2"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_semester_folder_given_to_history_suggests_the_folder_above(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    semester = tmp_path / "outputs" / "sample"
    for analysis in ("course", "competence"):
        (semester / analysis).mkdir(parents=True)
        (semester / analysis / "manifest.json").write_text("{}", encoding="utf-8")
        (semester / analysis / "key_figures.json").write_text("{}", encoding="utf-8")
    assert cli.main(["history", str(semester), "--lang", lang]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"sosrake history {tmp_path / 'outputs'}" in err
    assert ("lukukauden kansio" if lang == "fi" else "a semester folder") in err
    assert not (semester / "history").exists()
    # a run folder itself (two levels too deep) points two levels up
    assert cli.main(["history", str(semester / "course"), "--lang", lang]) == 2
    assert f"sosrake history {tmp_path / 'outputs'}" in capsys.readouterr().err


def test_a_key_figure_without_a_history_name_reads_as_the_runs_own_label() -> None:
    """A figure history.yaml does not name (a follow-up's difference of differences) is shown with the label
    the run gave it, never its machine name; a named one keeps the stable name (its run label has a value)."""
    did = {**_figure("followup_did", 0.4, ""), "label_fi": "Erotusten erotus", "label_en": "DiD"}
    n = {**_figure("n_respondents", 118, "", "n"), "label_fi": "118 vastaajaa", "label_en": "118"}
    t = history_table([_run("2020", [did, n]), _run("2022", [did, n])]).set_index(["name", "round"])
    assert t.loc[("followup_did", "2022"), "label_fi"] == "Erotusten erotus"
    assert t.loc[("followup_did", "2022"), "label_en"] == "DiD"
    assert t.loc[("n_respondents", "2022"), "label_fi"] == "Vastaajia"


def test_summary_headings_name_the_analysis_by_its_title() -> None:
    from sosrake_lib.history.publish import HistoryResult, _summary_md
    from sosrake_lib.registry import ANALYSES

    runs = [_run("2020", [_figure("alpha_yhteiso", 0.7, "area=yhteiso", "alpha")])]
    runs.append(_run("2022", [_figure("alpha_yhteiso", 0.7, "area=yhteiso", "alpha")]))
    md = _summary_md(HistoryResult(history_table(runs), runs, []), "fi")
    assert f"## {ANALYSES['competence'].title('fi')}: 2020, 2022" in md
    assert "## competence" not in md


def test_finnish_trend_axis_has_decimal_commas() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sosrake_lib.history.figures import trend_plot

    runs = [
        _run(y, [_figure("area_mean_yhteiso", v, "area=yhteiso")])
        for y, v in (("2020", 2.4), ("2022", 3.8))
    ]
    rows = history_table(runs)
    for lang, mark in (("fi", ","), ("en", ".")):
        ax = trend_plot(rows, lang=lang)
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert any(mark in t for t in ticks), ticks
        assert not any(("." if lang == "fi" else ",") in t for t in ticks), ticks
        plt.close(ax.figure)


def _xlsx_cells(table: pd.DataFrame, lang: str) -> list[str]:
    import io

    import openpyxl

    from sosrake_lib.history.publish import _xlsx

    sheet = openpyxl.load_workbook(io.BytesIO(_xlsx(table, lang, 5))).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


def test_the_workbook_gives_units_in_the_runs_language() -> None:
    units = ("score 1–5", "score change 1–5", "mean 1–5", "NPS points", "MWDS", "alpha", "theme")
    figures = [_figure(f"f{i}", 3.0, "", u) for i, u in enumerate(units)]
    table = history_table([_run("2020", figures)])
    fi = _xlsx_cells(table, "fi")
    for unit in units:
        assert unit not in fi, unit
    for word in ("pisteet 1–5", "muutos 1–5", "keskiarvo 1–5", "NPS-pistettä", "teema"):
        assert word in fi
    assert "score change 1–5" in _xlsx_cells(table, "en")


def test_a_suppressed_interval_is_said_in_the_note() -> None:
    """A course NPS's interval is hidden (it would give the counts back): the note says so, not just "–"."""
    from sosrake_lib.history.publish import display_rows

    note = "interval suppressed: with the NPS and n it would give the promoter and detractor counts back"
    runs = [_run(y, [_figure("nps", v, note, "NPS")]) for y, v in (("2021", 48), ("2022", 10))]
    table = history_table(runs)
    assert table["ci_suppressed"].tolist() == [True, True]
    assert "väli piilotettu" in display_rows(table, "fi").iloc[0, -1]
    assert "väli piilotettu" in " ".join(_xlsx_cells(table, "fi"))
    assert "interval suppressed" in " ".join(_xlsx_cells(table, "en"))
    plain = history_table([_run("2021", [_figure("nps", 48, "", "NPS")])])
    assert display_rows(plain, "fi").iloc[0, -1] == ""


def test_a_named_theme_shows_its_label_not_its_code() -> None:
    from sosrake_lib.history.publish import display_rows

    method = (
        "most frequent theme of 'Millaista apua jäit kaipaamaan?' (theme codebook 'interviews')"
    )
    kf = {**_figure("top_missing_theme", 0, "", "theme"), "value": "asuminen", "method": method}
    table = history_table([_run("2022", [kf])])
    assert table["value"].tolist() == ["asuminen"]  # the machine file keeps the code
    assert display_rows(table, "fi").iloc[0, 2] == "Asuminen"
    assert "Asuminen" in _xlsx_cells(table, "fi")
    assert "Housing" in _xlsx_cells(table, "en")
    assert "asuminen" not in _xlsx_cells(table, "fi")


def test_only_a_broken_line_names_its_series_in_the_legend() -> None:
    """A legend says "sarja 2" only for the measure whose definition changed, not beside every line."""
    from sosrake_lib.history.figures import trend_plot

    def figures(shift: float) -> list[dict]:
        return [
            _figure("alpha_yhteiso", 0.37 + shift, "area=yhteiso", "alpha"),
            _figure("alpha_tiedonkeruu", 0.70 + shift, "area=tiedonkeruu", "alpha"),
        ]

    t = history_table([_run("2020", figures(0)), _run("2022", figures(0.01), "competence=2")])
    labels = [h.get_text() for h in trend_plot(t, lang="fi").get_legend().get_texts()]
    assert sum("sarja 2" in x for x in labels) == 1 and sum("sarja 1" in x for x in labels) == 1
    assert sum("sarja" not in x for x in labels) == 1  # the unbroken measure keeps its plain label
    assert len(labels) == 3
