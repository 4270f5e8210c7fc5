"""Papermill run of notebooks/01_competence_mapping.ipynb on the sample: planted effects and every output file."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sosrake_lib.competence import parse_note
from sosrake_lib.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from sosrake_lib.synthetic import PLANTED

P = PLANTED["competence"]

TABLES = [
    "respondents_organisation",
    "respondents_role",
    "respondents_work_area",
    "respondents_experience",
    "respondents_org_x_role",
    "items",
    "area_scores",
    "importance_attitude_scores",
    "reliability",
    "group_tests",
    "group_descriptives",
    "ordinal_models",
    "ordinal_terms",
    "development_needs",
    "support_themes",
    "suppression",
]
FIGURES = [
    "likert_tiedonkeruu",
    "likert_vaikuttavuustieto",
    "likert_raportointi",
    "likert_vaikuttaminen",
    "likert_yhteistyo",
    "likert_yhteiso",
    "likert_edellytykset",
    "area_means",
    "needs_mwds",
    "quadrant",
    "support_themes",
]


@pytest.mark.notebook
def test_notebook_recovers_planted_effects(tmp_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "competence"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "01_competence_mapping.ipynb"),
        str(tmp_path / "run.ipynb"),
        kernel_name="sosrake",
        parameters={
            "output_dir": str(out),
            "semester": "2020-syksy",
            "target_size": P["target_group_size"],
        },
        cwd=str(PROJECT_ROOT),
        progress_bar=False,
    )
    doc = json.loads((out / "key_figures.json").read_text(encoding="utf-8"))
    kf = {f["name"]: f for f in doc["key_figures"]}
    assert kf["n_respondents"]["value"] == P["n_respondents"]
    assert kf["response_rate"]["value"] == 73.8  # 100 * 118 / 160 = 73.75, written at one decimal
    # a count of the whole target group: no sampling interval, and the note says why
    assert kf["response_rate"]["ci_low"] is None and kf["response_rate"]["ci_high"] is None
    assert parse_note(kf["response_rate"]["note"])["census"] == "yes"
    top3 = {parse_note(kf[f"need_rank_{i}"]["note"])["area"] for i in (1, 2, 3)}
    assert top3 == set(P["top3_needs"])
    assert kf["need_rank_1"]["value"] >= kf["need_rank_2"]["value"] >= kf["need_rank_3"]["value"]
    assert parse_note(kf["strongest_area"]["note"])["area"] == P["strongest_area"]
    assert kf["strongest_area"]["label_fi"] == "Tiedon kerääminen asiakastyöstä"
    low = P["low_alpha_area"]
    assert (
        kf[f"alpha_{low}"]["value"] < 0.6
        and parse_note(kf[f"alpha_{low}"]["note"])["weak_scale"] == "competence"
    )
    # every importance scale of the sample is weak (alpha .25-.40, one -.33): every need rank says so
    for i in (1, 2, 3):
        assert parse_note(kf[f"need_rank_{i}"]["note"])["weak_scale"] == "importance"
    gd = P["group_difference"]
    diff = kf[f"diff_{gd['group']}_{gd['area']}"]
    assert parse_note(diff["note"])["higher"] == gd["higher"]
    assert f"diff_{gd['group']}_tiedonkeruu" not in kf
    for f in doc["key_figures"]:
        assert f["n"] is None or f["n"] >= 5 or f["suppressed"]

    areas = pd.read_csv(out / "tables" / "area_scores.csv")
    assert set(areas["Osion tunniste"]) == {"competence"} and len(areas) == 6
    tests = pd.read_csv(out / "tables" / "group_tests.csv")
    org = tests[tests["Taustamuuttuja"] == gd["group"]].set_index("Alueen tunniste")
    assert org.loc[gd["area"], "Merkitsevä (Holm, 0,05)"]
    assert not org.loc["tiedonkeruu", "Merkitsevä (Holm, 0,05)"]

    rel = pd.read_csv(out / "tables" / "reliability.csv")
    weak = rel.set_index(["Osion tunniste", "Alueen tunniste"])["Heikko mittari (alfa alle rajan)"]
    assert weak[weak].index.tolist() == [("competence", low)] + [
        ("importance", a) for a in rel.loc[rel["Osion tunniste"] == "importance", "Alueen tunniste"]
    ]
    assert (rel["Alfan LV:n menetelmä"] == "BCa bootstrap").all()  # every area has a missing answer
    needs = pd.read_csv(out / "tables" / "development_needs.csv")
    assert needs["Heikko mittari (alfa alle rajan)"].all()
    assert needs["Mittarin huomautus"].str.startswith("heikko mittari: ").all()
    assert set(tests["Holm-korjauksen testiperhe"]) == {
        "Organisaatio: 6 osaamisalueen järjestyslukutestit",
        "Tehtävä: 6 osaamisalueen järjestyslukutestit",
        "Työalue: 6 osaamisalueen järjestyslukutestit",
    }
    terms = pd.read_csv(out / "tables" / "ordinal_terms.csv")
    assert terms["p-arvo (Holm)"].ge(terms["p-arvo"]).all()
    shown = (tmp_path / "run.ipynb").read_text(encoding="utf-8")  # the executed notebook's outputs
    assert "vastausosuus **73,8" in shown and "joten sille ei ole luottamusväliä" in shown
    assert (
        "**Heikot mittarit.**" in shown
        and "**Heikot mittarit koulutustarpeissa:** 6 alueen" in shown
    )

    for name in TABLES:
        assert (out / "tables" / f"{name}.csv").is_file(), name
    assert (out / "tables" / "tables.xlsx").is_file()
    for name in FIGURES:
        for suffix in ("svg", "pdf", "png"):
            assert (out / "figures" / f"{name}.{suffix}").is_file(), f"{name}.{suffix}"
    log = json.loads((out / "cleaning_log.json").read_text(encoding="utf-8"))
    assert log["files"]["export"]["raw_rows"] == 121 and log["files"]["export"]["kept"] == 118
    assert "rows" not in log["files"]["export"]
    # no identifier in any table: pseudonyms start with "ps_", e-mails contain "@"
    for path in (out / "tables").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "ps_" not in text and "@" not in text, path.name
