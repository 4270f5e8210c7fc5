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
    assert kf["response_rate"]["value"] == pytest.approx(100 * 118 / 160)
    assert (
        kf["response_rate"]["ci_low"]
        < kf["response_rate"]["value"]
        < kf["response_rate"]["ci_high"]
    )
    top3 = {parse_note(kf[f"need_rank_{i}"]["note"])["area"] for i in (1, 2, 3)}
    assert top3 == set(P["top3_needs"])
    assert kf["need_rank_1"]["value"] >= kf["need_rank_2"]["value"] >= kf["need_rank_3"]["value"]
    assert parse_note(kf["strongest_area"]["note"])["area"] == P["strongest_area"]
    assert kf["strongest_area"]["label_fi"] == "Tiedon kerääminen asiakastyöstä"
    low = P["low_alpha_area"]
    assert (
        kf[f"alpha_{low}"]["value"] < 0.6
        and parse_note(kf[f"alpha_{low}"]["note"])["alpha_flag"] == "low"
    )
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
