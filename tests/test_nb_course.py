"""Runs notebooks/03_course_pilot.ipynb with Papermill on the sample and checks the planted course effects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sosrake_lib.paths import PROJECT_ROOT
from sosrake_lib.synthetic import PLANTED

P = PLANTED["course"]
NOTEBOOK = PROJECT_ROOT / "notebooks" / "03_course_pilot.ipynb"
FIGURES = (
    "completion_funnel",
    "completion_by_group",
    "learning_paired",
    "feedback_items",
    "feedback_parts",
    "feedback_themes",
    "baseline_comparison",
)
TABLES = (
    "aineiston_siivous",
    "suoritussuppilo",
    "suoritus_ryhmittain",
    "suoritus_amkeittain",
    "suoritus_kampuksittain",
    "suoritus_amk_kampus",
    "suoritus_logistinen_malli",
    "parit_ja_kato",
    "kato_alku_loppu",
    "kato_alkutaso",
    "osaamisen_muutos",
    "palaute_vaittamat",
    "palaute_osa_alueet",
    "suositteluindeksi",
    "avovastausten_teemat",
    "vertailu_2020",
    "piilotetut_solut",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    papermill = pytest.importorskip("papermill")
    tmp = tmp_path_factory.mktemp("course_nb")
    out = tmp / "course"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp / "executed.ipynb"),
        kernel_name="sosrake",
        parameters={"output_dir": str(out), "semester": "2021-syksy"},
        cwd=str(PROJECT_ROOT),
        progress_bar=False,
    )
    return out


@pytest.mark.notebook
def test_key_figures_recover_planted_effects(run: Path) -> None:
    doc = json.loads((run / "key_figures.json").read_text(encoding="utf-8"))
    kf = {r["name"]: r for r in doc["key_figures"]}
    assert kf["enrolled"]["value"] == 63 == P["enrolled"]
    assert kf["completed"]["value"] == 35 == P["completed"]
    rate = kf["completion_rate"]
    assert rate["value"] == 55.6  # 100 * 35 / 63 = 55.55…, written at one decimal
    # the whole cohort: a census fact, published without a sampling interval
    assert rate["ci_low"] is None and rate["ci_high"] is None and "census" in rate["method"]
    gains = {kf[f"gain_rank_{i}"]["note"].split(";")[0].removeprefix("area=") for i in (1, 2, 3)}
    assert gains == set(P["top_gains"])
    assert not gains & set(P["no_gain"])
    assert kf["best_part"]["note"].split(";")[0] == f"part={P['best_part']}"
    assert kf["weakest_part"]["note"].split(";")[0] == f"part={P['weakest_part']}"
    assert kf["best_part"]["value"] > kf["weakest_part"]["value"]
    assert kf["n_pairs"]["value"] > 0 and kf["nps"]["n"] == P["n_feedback"]
    assert doc["min_n"] == 5


@pytest.mark.notebook
def test_learning_table_significance_after_holm(run: Path) -> None:
    import pandas as pd

    t = pd.read_csv(run / "tables" / "osaamisen_muutos.csv")
    labels = {
        "raportointi": "Sosiaalinen raportointi",
        "vaikuttavuustieto": "Vaikutus- ja vaikuttavuustieto",
        "vaikuttaminen": "Viestintä ja vaikuttaminen",
        "tiedonkeruu": "Tiedon kerääminen asiakastyöstä",
        "yhteiso": "Yhteisösosiaalityö ja maaseutusosiaalityö",
    }
    t = t.set_index("Osaamisalue")
    counts = ["Nousi", "Laski", "Ei muutosta"]
    for area in P["top_gains"]:
        row = t.loc[labels[area]]
        assert bool(row["Merkitsevä (Holm)"]) and row["Efektikoko"] >= 0.5, area
        # p and W are published only where no rose/fell/stayed count is hidden (they would give it back)
        if row[counts].isna().any():
            assert pd.isna(row[["p", "p (Holm)", "Testisuure"]]).all() and row[
                "Efektikoko"
            ] == round(row["Efektikoko"], 2)
        else:
            assert row["p (Holm)"] < 0.05
    for area in P["no_gain"]:
        assert not bool(t.loc[labels[area], "Merkitsevä (Holm)"]), area
    assert set(t["Nollaerotusten käsittely"]) == {"wilcox"}


@pytest.mark.notebook
def test_every_expected_output_exists_and_is_clean(run: Path) -> None:
    for name in FIGURES:
        for suffix in ("svg", "pdf", "png"):
            assert (run / "figures" / f"{name}.{suffix}").stat().st_size > 0, (name, suffix)
    for name in TABLES:
        assert (run / "tables" / f"{name}.csv").is_file(), name
    assert (run / "tables" / "tables.xlsx").is_file()
    assert (run / "key_figures.csv").is_file()
    log = json.loads((run / "cleaning_log.json").read_text(encoding="utf-8"))
    assert log["files"]["enrolment"]["raw_rows"] == 66 and log["files"]["enrolment"]["kept"] == 63
    assert "rows" not in log["files"]["enrolment"]
    # No identifiers anywhere in the text outputs: no pseudonyms, raw ids, e-mail addresses or invented names.
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in run.rglob("*")
        if p.suffix in (".csv", ".json", ".svg")
    )
    assert "ps_" not in text and "SR21-" not in text and "@" not in text
    assert "Heiskanen" not in text and "Savolainen" not in text
    hidden = (run / "tables" / "piilotetut_solut.csv").read_text(encoding="utf-8")
    assert "suoritus_amk_kampus" in hidden
