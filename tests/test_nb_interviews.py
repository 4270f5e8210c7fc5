"""Run notebooks/02_customer_experience.ipynb with Papermill on the sample and check the planted effects."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from sosrake_lib.paths import PROJECT_ROOT
from sosrake_lib.synthetic import PLANTED

P = PLANTED["interviews"]
THEMES = ["saatavuus", "kohtaaminen", "turvallisuus", "tiedonsaanti", "hyodyllisyys"]


@pytest.mark.notebook
def test_customer_experience_notebook(tmp_path) -> None:
    pm = pytest.importorskip("papermill")
    out = tmp_path / "interviews"
    pm.execute_notebook(
        str(PROJECT_ROOT / "notebooks" / "02_customer_experience.ipynb"),
        str(tmp_path / "run.ipynb"),
        kernel_name="sosrake",
        parameters={"output_dir": str(out), "min_cell_size": 5},
        cwd=str(PROJECT_ROOT),
        progress_bar=False,
    )
    doc = json.loads((out / "key_figures.json").read_text(encoding="utf-8"))
    kf = {r["name"]: r for r in doc["key_figures"]}
    for name in [
        "n_interviews",
        "n_students",
        "nps",
        "nps_change",
        "top_missing_theme",
        *(f"{t}_top2" for t in THEMES),
    ]:
        assert name in kf, name
        assert kf[name]["label_fi"] and kf[name]["label_en"]
    assert kf["n_interviews"]["value"] == P["n_interviews"]["2022-syksy"]
    assert kf["n_students"]["value"] == P["students"]["2022-syksy"]
    # planted change: kohtaaminen improved (Holm), the other themes not; NPS higher in 2022
    assert kf["kohtaaminen_change"]["note"] == "improved"
    for t in set(THEMES) - {"kohtaaminen"}:
        assert kf[f"{t}_change"]["note"].split(";")[0] == "no change", t
    # turvallisuus is one statement whose hidden "En osaa sanoa" count its n would give back: verdict only
    assert kf["turvallisuus_change"]["suppressed"] and kf["turvallisuus_change"]["value"] is None
    assert kf["turvallisuus_top2"]["suppressed"] and kf["turvallisuus_top2"]["n"] is None
    assert kf["nps_change"]["value"] > 0 and kf["nps_change"]["ci_low"] > 0
    assert kf["nps"]["ci_low"] < kf["nps"]["value"] < kf["nps"]["ci_high"]
    assert kf["top_missing_theme"]["value"] == "asuminen"
    # planted open_missing theme shares
    freq = pd.read_csv(out / "tables" / "open_answer_themes.csv")
    freq = freq[(freq["Kysymystunnus"] == "open_missing") & (freq["Teematunnus"] == "asuminen")]
    shares = dict(zip(freq["Lukukausi"], freq["Osuus %"] / 100, strict=True))
    assert shares["2021-syksy"] == pytest.approx(
        P["missing_themes"]["2021-syksy"]["asuminen"], abs=0.1
    )
    assert shares["2022-syksy"] == pytest.approx(
        P["missing_themes"]["2022-syksy"]["asuminen"], abs=0.1
    )
    comparison = pd.read_csv(out / "tables" / "semester_comparison.csv")
    scores = comparison[comparison["Testiperhe"] == "theme_score"].set_index("Mittaritunnus")
    assert bool(scores.loc["kohtaaminen", "Merkitsevä"]) and scores["Merkitsevä"].sum() == 1
    # interviews are clustered in interviewers: the published tables carry the cluster-aware figures
    assert (
        scores.loc["kohtaaminen", "p (klusterit huomioiden, Holm)"] < 0.05
        and scores.loc["kohtaaminen", "Haastattelijoita ennen"] == P["students"]["2021-syksy"]
        and scores.loc["kohtaaminen", "Haastattelijoita jälkeen"] == P["students"]["2022-syksy"]
    )
    assert scores["Testi"].str.contains("normaaliapproksimaatio, sidos- ja jatkuvuuskorjaus").all()
    assert kf["kohtaaminen_change"]["value"] == pytest.approx(
        scores.loc["kohtaaminen", "Vaikutuksen suuruus"], abs=0.005
    )  # the key figure is the tested statistic, r
    top2 = pd.read_csv(out / "tables" / "theme_top2.csv")
    nps = pd.read_csv(out / "tables" / "nps_by_semester.csv")
    for table in (top2, nps):
        assert {"Asetelmakerroin (haastattelijat)", "Haastattelijoita"} <= set(table.columns)
        assert table["Asetelmakerroin (haastattelijat)"].notna().any()
    assert "design effect" in kf["nps"]["method"]
    # every new column has a label in both languages
    from sosrake_lib.labels import for_analysis

    columns = for_analysis("interviews").columns
    for col in (
        "deff",
        "n_interviewers",
        "n_interviewers_before",
        "n_interviewers_after",
        "cluster_test",
        "p_cluster",
        "p_holm_cluster",
        "cluster_note",
    ):
        assert (
            columns[col]["fi"] and columns[col]["en"] and columns[col]["fi"] != columns[col]["en"]
        )
    # and the notebook shows them to readers: the comparison table and the interval tables' columns
    run = json.loads((tmp_path / "run.ipynb").read_text(encoding="utf-8"))
    shown = json.dumps([c.get("outputs", []) for c in run["cells"]], ensure_ascii=False)
    for text in ("Asetelmakerroin", "p (Holm), klusterit huomioiden", "Haastattelijoita"):
        assert text in shown, text
    # every expected file
    expected = [
        "key_figures.json",
        "key_figures.csv",
        "cleaning_log.json",
        "quotes_for_review.csv",
        "tables/tables.xlsx",
        "review/uncoded_answers.csv",
        "tables/theme_top2.csv",
        "tables/nps_by_service.csv",
        "tables/interviews_per_student.csv",
        "tables/client_background.csv",
    ]
    for fig in ("likert_items", "theme_top2_by_semester", "nps_by_semester", "open_missing_themes"):
        expected += [f"figures/{fig}.{ext}" for ext in ("svg", "pdf", "png")]
    missing = [p for p in expected if not (out / p).is_file()]
    assert not missing, missing
    assert not (
        out / "tables" / "uncoded_answers.csv"
    ).exists()  # unreviewed free text is no published table
    # the small service is hidden; quotes are unapproved; no pseudonyms or e-mails anywhere
    services = pd.read_csv(out / "tables" / "service_counts.csv").set_index(
        "Palvelu, jota haastattelu koskee"
    )
    assert services.loc["Talous- ja velkaneuvonta"].isna().all()
    quotes = pd.read_csv(out / "quotes_for_review.csv", sep=";", encoding="utf-8-sig")
    assert len(quotes) and not quotes["approved"].any()
    log = json.loads((out / "cleaning_log.json").read_text(encoding="utf-8"))
    entry = log["files"]["2021-syksy"]
    assert entry["raw_rows"] == entry["kept"] + sum(entry["dropped"].values()) == 83
    for path in [*out.rglob("*.csv"), *out.rglob("*.json")]:
        text = path.read_text(encoding="utf-8-sig")
        assert not re.search(r"ps_[0-9a-f]{16}|[\w.]+@[\w.]+\.fi|\b0\d{2} ?\d{3} ?\d{4}\b", text), (
            path.name
        )
