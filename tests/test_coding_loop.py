"""The coding loop end to end on the sample: run -> coding-sample -> coded worksheet -> coding-agreement ->
a run with --coded-worksheet that marks the planted low-kappa theme and does not headline it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sosrake_lib.cli import main
from sosrake_lib.paths import SAMPLE_DIR
from sosrake_lib.synthetic import PLANTED, write_coded_worksheet

pytestmark = pytest.mark.notebook
LOW = PLANTED["coding"]["low_kappa_theme"]


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("loop")
    common = ["--semester", "sample", "--raw", str(SAMPLE_DIR), "--quiet"]
    assert (
        main(
            [
                "run",
                "interviews",
                *common,
                "--out",
                str(base / "a"),
                "--processed",
                str(base / "pa"),
            ]
        )
        == 0
    )
    run_dir = base / "a" / "sample" / "interviews"
    assert main(["coding-sample", str(run_dir), "--n", "100", "--seed", "2023"]) == 0
    coded = write_coded_worksheet(run_dir, base / "coded.xlsx")  # the synthetic people tick it
    assert main(["coding-agreement", str(coded), "--out", str(base / "agreement")]) == 0
    args = ["--out", str(base / "b"), "--processed", str(base / "pb"), "--min-cell-size", "20"]
    assert main(["run", "interviews", *common, *args, "--coded-worksheet", str(coded)]) == 0
    return {
        "run": run_dir,
        "coded": coded,
        "agreement": base / "agreement",
        "b": base / "b" / "sample" / "interviews",
    }


def test_the_run_leaves_scrubbed_answers_and_a_blind_worksheet(loop: dict[str, Path]) -> None:
    review = loop["run"] / "review"
    assert (review / "coding_answers.csv").is_file() and (review / "coding_sample.xlsx").is_file()
    manifest = json.loads((loop["run"] / "manifest.json").read_text(encoding="utf-8"))
    assert "review/coding_answers.csv" in manifest["review_material"]
    assert not list((loop["run"] / "tables").glob("coding*"))  # nothing of it is published


def test_coding_agreement_recovers_the_planted_theme(loop: dict[str, Path]) -> None:
    t = pd.read_csv(loop["agreement"] / "coding_agreement.csv")
    book = t[t["comparison"] == "codebook~coder1"].set_index("theme")
    humans = t[t["comparison"] == "coder1~coder2"].set_index("theme")
    assert book.loc[LOW, "kappa"] < 0.6 < humans.loc[LOW, "kappa"]
    assert humans.loc[LOW, "alpha"] > 0.8
    others = book.drop(index=[LOW, "_pooled", "_mean"])["kappa"].dropna()
    assert (others > 0.6).sum() >= len(others) - 1  # a rare theme may fall on the prevalence effect


def test_a_run_with_the_worksheet_marks_the_theme_and_does_not_headline_it(
    loop: dict[str, Path],
) -> None:
    out = loop["b"]
    table = pd.read_csv(out / "tables" / "coding_agreement.csv")
    row = table[table["Teematunnus"] == LOW].iloc[0]
    assert bool(row["Epävarma luokittelu"])
    kf = {
        r["name"]: r
        for r in json.loads((out / "key_figures.json").read_text("utf-8"))["key_figures"]
    }
    assert kf["top_missing_theme"]["value"] != LOW
    assert "epävarma luokittelu: " in kf["coding_agreement"]["label_fi"]
    assert "apu arkeen" in kf["coding_agreement"]["label_fi"]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Teemaluokittelun yhtäpitävyys ihmiskoodaajan kanssa" in report  # the agreement table
    assert "Luokittelun luotettavuus" in report and "katto" in report  # how to read it
    # every uncertain theme the share table shows carries the mark beside its share
    shares = pd.read_csv(out / "tables" / "open_answer_themes.csv")
    shown = shares[
        (shares["Kysymystunnus"] == "open_missing") & (shares["Mainintoja"].fillna(1) > 0)
    ]
    uncertain = set(table.loc[table["Epävarma luokittelu"].astype(bool), "Teematunnus"])
    marked = [t for t in shown["Teematunnus"].unique() if t in uncertain]
    labels = dict(zip(table["Teematunnus"], table["Teema"], strict=True))
    for theme in marked:
        assert f"{labels[theme]} (epävarma luokittelu)" in report, theme
    assert "Teemaluokittelun yhtäpitävyys ihmiskoodaajan kanssa" in report
    assert "Teemaluokittelu vastasi ihmiskoodaajaa" in (out / "infographic.txt").read_text("utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["coded_worksheet"] == "coded.xlsx"  # a name, no path


def test_the_published_agreement_hides_small_counts_at_min_cell_size_20(
    loop: dict[str, Path],
) -> None:
    from sosrake_lib.coding.worksheet import read_worksheet

    out = loop["b"]
    table = pd.read_csv(out / "tables" / "coding_agreement.csv").set_index("Teematunnus")
    from sosrake_lib.coding.answers import read_coding_answers

    answers = read_coding_answers(out).set_index("answer_id")
    ws = read_worksheet(loop["coded"])
    ids = ws.coders["coder1"].index
    for theme in ws.themes:
        human = int(ws.coders["coder1"][theme].sum())
        book = int(answers.loc[ids, f"cb:{theme}"].sum())
        if 0 < human < 20 or 0 < book < 20:
            assert table.loc[theme, ["Koodisto %", "Ihminen %", "Cohenin kappa"]].isna().all(), (
                theme
            )
    # the scanner finds no small count in the published table
    from sosrake_lib.scan import scan_file

    found = scan_file(out / "tables" / "coding_agreement.csv", min_n=20)
    assert [f for f in found if f.kind == "small_count"] == []


def test_competence_run_with_a_coded_worksheet(tmp_path: Path) -> None:
    """The competence run leaves its support answers for coding; a worksheet ticked as the codebook codes
    them, except one theme a person never ticks, shows kappa 1 for the rest and marks that theme."""
    from openpyxl import load_workbook

    common = ["--semester", "sample", "--raw", str(SAMPLE_DIR), "--quiet"]
    a = ["--out", str(tmp_path / "a"), "--processed", str(tmp_path / "pa")]
    assert main(["run", "competence", *common, *a]) == 0
    run_dir = tmp_path / "a" / "sample" / "competence"
    assert main(["coding-sample", str(run_dir), "--n", "60"]) == 0
    sheet = run_dir / "review" / "coding_sample.xlsx"
    from sosrake_lib.coding.answers import read_coding_answers

    answers = read_coding_answers(run_dir).set_index("answer_id")  # "x" flags as 0/1
    wb = load_workbook(sheet)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True)}
    themes = str(meta["themes"]).split(",")
    never = "koulutus"  # the person never ticks it: its kappa falls to 0
    ws = wb["Koodaaja 1"]
    for r in range(2, ws.max_row + 1):
        aid = ws.cell(row=r, column=1).value
        ticked = [t for t in themes if answers.loc[aid, f"cb:{t}"] and t != never]
        for j, t in enumerate(themes, start=4):
            if t in ticked:
                ws.cell(row=r, column=j, value="x")
        if not ticked:
            ws.cell(row=r, column=4 + len(themes), value="x")
    coded = tmp_path / "competence_coded.xlsx"
    wb.save(coded)
    b = ["--out", str(tmp_path / "b"), "--processed", str(tmp_path / "pb")]
    assert main(["run", "competence", *common, *b, "--coded-worksheet", str(coded)]) == 0
    out = tmp_path / "b" / "sample" / "competence"
    table = pd.read_csv(out / "tables" / "coding_agreement.csv").set_index("Teeman tunniste")
    assert bool(table.loc[never, "Epävarma luokittelu"])
    shown = table.drop(index=never)["Cohenin kappa"].dropna()
    assert len(shown) >= 1 and (shown == 1.0).all()
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Teemaluokittelun yhtäpitävyys ihmiskoodaajan kanssa" in report
    assert "(epävarma luokittelu)" in report
    assert "Teemaluokittelu vastasi ihmiskoodaajaa" in (out / "infographic.txt").read_text("utf-8")
