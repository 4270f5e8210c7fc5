"""Tests of sosrake_lib.competence: hand-computed values, and the planted effects of the synthetic sample."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sosrake_lib import competence as comp
from sosrake_lib import load_instrument
from sosrake_lib.synthetic import PLANTED

P = PLANTED["competence"]


@pytest.fixture(scope="module")
def inst():
    return load_instrument("competence")


@pytest.fixture(scope="module")
def sample():
    return comp.load_responses("data/raw/sample/competence_2020.xlsx")


def _wilson(k: int, n: int, z: float = stats.norm.ppf(0.975)) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _attitude_frame(scores: list[float]) -> pd.DataFrame:
    """ED items whose edellytykset score is exactly ``score`` (ED3 is reverse-coded)."""
    return pd.DataFrame(
        {"ED1": scores, "ED2": scores, "ED3": [6 - s for s in scores], "ED4": scores}
    )


# ----------------------------------------------------------------------------------------- respondents


def test_response_rate_is_a_census_count_without_an_interval(inst):
    """The target group is counted whole: the rate has no sampling interval, in the result or the key figure."""
    r = comp.response_rate(118, 160)
    assert r.rate == pytest.approx(73.75) and (r.n, r.target_size) == (118, 160)
    assert not hasattr(r, "ci_low") and "census" in r.method and "no sampling interval" in r.method
    assert comp.response_rate(118, 0) is None
    with pytest.raises(ValueError, match="target_size"):
        comp.response_rate(118, 100)
    summary = pd.DataFrame(
        {"role": ["competence"], "area": ["tiedonkeruu"], "n": [118], "mean": [3.7]}
    )
    needs = pd.DataFrame({"area": ["tiedonkeruu"], "n": [118], "mwds": [2.0], "rank": [1]})
    rel = pd.DataFrame(columns=["role", "area", "n", "alpha", "alpha_ci_low", "alpha_ci_high"])
    kf = comp.build_key_figures(
        n_respondents=118, rate=r, summary=summary, needs=needs, reliability=rel, inst=inst
    )
    fig = kf["response_rate"]
    assert fig.value == pytest.approx(73.75)
    assert fig.ci_low is None and fig.ci_high is None
    assert comp.parse_note(fig.note) == {"target_size": "160", "census": "yes"}
    assert "census" in fig.method


def test_respondent_counts_suppress_with_secondary_and_wilson(inst):
    d = pd.DataFrame(
        {"role": ["social_worker"] * 12 + ["social_counsellor"] * 7 + ["supervisor"] * 3}
    )
    t = comp.respondent_counts(d, inst, "role", min_n=5)
    assert t["n"].tolist()[0] == 12
    # supervisor 3 hidden (primary), the next smallest (7) hidden too: else 22 - 12 - 0 = 10 reveals nothing but
    # 22 - 12 - 7 = 3 would reveal the supervisors
    assert t["n"].isna().tolist() == [False, True, True, False]
    assert t.loc[0, "pct"] == pytest.approx(100 * 12 / 22)
    assert (t.loc[0, "pct_ci_low"], t.loc[0, "pct_ci_high"]) == pytest.approx(
        tuple(100 * x for x in _wilson(12, 22))
    )
    assert t.loc[1:2, "pct"].isna().all()
    assert t.attrs["suppressed_cells"] == 2


def test_crosstab_hides_supervisors_and_a_second_cell(inst):
    d = pd.DataFrame(
        {
            "organisation": ["essote"] * 23 + ["kainuu"] * 37,
            "role": ["social_worker"] * 20
            + ["supervisor"] * 3
            + ["social_worker"] * 30
            + ["supervisor"] * 7,
        }
    )
    t = comp.respondent_crosstab(d, inst, "organisation", "role", min_n=5)
    # 3 supervisors in Essote: hidden; then the rest of its row and column must go, and so Kainuu's row too
    for org in ("Essote", "Kainuun sote"):
        for role in ("Sosiaalityöntekijä", "Esihenkilö"):
            assert t.loc[org, role] is pd.NA
    assert t.loc["Yhteensä", "Esihenkilö"] == 10
    assert t.loc["Essote", "Yhteensä"] == 23
    assert t.loc["Essote", "Muu"] == 0


# ------------------------------------------------------------------------------------------------ items


def test_item_distributions_count_dont_know_apart(inst):
    d = pd.DataFrame(
        {
            "C_TK1": [1.0, 4, 5, 5, 3, 4, np.nan, np.nan],
            "C_TK1__nsa": pd.array([None] * 6 + ["dont_know", None], dtype="string"),
        }
    )
    t = comp.item_distributions(d, inst, min_n=5)
    row = t.iloc[0]
    assert [row[f"a{k}"] for k in range(1, 6)] == [1, 0, 1, 2, 2]
    assert (row["nsa"], row["n_valid"], row["n_total"]) == (1, 6, 7)
    assert row["mean"] == pytest.approx(22 / 6)
    assert row["top_box_pct"] == pytest.approx(100 * 4 / 6)
    assert row["top_box_ci_low"] == pytest.approx(100 * _wilson(4, 6)[0])
    pct = comp.likert_percentages(t, inst)
    assert pct.iloc[0].tolist() == pytest.approx([100 / 7, 0, 100 / 7, 200 / 7, 200 / 7, 100 / 7])
    assert list(pct.columns)[-1] == "En osaa sanoa"


def test_item_distributions_hide_rows_below_min_n(inst):
    d = pd.DataFrame({"C_TK1": [1.0, 4, 5]})
    t = comp.item_distributions(d, inst, min_n=5)
    assert pd.isna(t.loc[0, "mean"]) and pd.isna(t.loc[0, "a5"])


# ------------------------------------------------------------------------------------------------ areas


def test_area_scores_reverse_ed3(inst):
    d = pd.DataFrame({"ED1": [5.0], "ED2": [5.0], "ED3": [1.0], "ED4": [5.0]})
    assert comp.area_scores(d, inst, "attitude")["edellytykset"].tolist() == [5.0]
    assert comp.area_scales(inst, "competence")["yhteiso"] == ["C_YS1", "C_YS2", "C_YS3"]


def test_reliability_flags_alpha_below_threshold_by_hand(inst):
    x = [1.0, 2, 3, 4]
    # C_YS2 = reversed C_YS1: var 5/3 each, covariances -5/3, 5/3, -5/3; total 5/3;
    # alpha = 3/2 (1 - 5 / (5/3)) = -3
    d = pd.DataFrame({"C_YS1": x, "C_YS2": [5 - v for v in x], "C_YS3": x})
    t = comp.reliability_table(d, inst)
    row = t[t["area"] == "yhteiso"].iloc[0]
    assert row["alpha"] == pytest.approx(-3.0)
    assert bool(row["weak_scale"]) and row["n"] == 4
    assert row["weak_scale_note"] == "heikko mittari: alfa −3,00 < 0,6 – lue väittämittäin"
    assert row["alpha_ci_method"] == "Feldt"  # complete answers
    # the threshold is the caller's: below -3 nothing is weak
    row = comp.reliability_table(d, inst, threshold=-3.5, lang="en").iloc[0]
    assert not row["weak_scale"] and row["weak_scale_note"] == ""


def test_area_summary_t_interval_and_flag(inst):
    d = _attitude_frame([1.0, 2, 3, 4, 5])
    t = comp.area_summary(d, inst, min_n=5)
    row = t.iloc[0]
    half = stats.t.ppf(0.975, 4) * math.sqrt(2.5) / math.sqrt(5)
    assert (row["mean"], row["ci_low"], row["ci_high"]) == pytest.approx((3.0, 3 - half, 3 + half))
    assert not row["weak_scale"] and row["plot_label"] == row["area_label"]
    row = comp.area_summary(d, inst, min_n=5, threshold=1.0, lang="en").iloc[
        0
    ]  # alpha 1 < 1 is false
    assert not row["weak_scale"]
    d.loc[0, "ED2"] = 5.0  # alpha now below 1
    row = comp.area_summary(d, inst, min_n=5, threshold=1.0, lang="en").iloc[0]
    assert row["weak_scale"] and row["plot_label"].endswith("(weak scale: alpha < 1)")
    assert row["weak_scale_note"].startswith("weak scale: alpha 0.")


# -------------------------------------------------------------------------------------- group differences


def test_group_tests_holm_and_exclusion(inst):
    rng = np.random.default_rng(5)
    n = 40
    org = np.repeat(["essote", "kainuu"], n // 2)
    d = pd.DataFrame({"organisation": org, "role": ["social_worker"] * 37 + ["supervisor"] * 3})
    for it in inst.likert_items(role="competence"):
        d[it.id] = rng.integers(1, 6, n).astype(float)
    d["C_YH1"] = np.where(org == "kainuu", 5.0, 1.0)
    t = comp.group_tests(d, inst, ["organisation", "role"], min_n=5)
    org_t = t[t["grouping"] == "organisation"].reset_index(drop=True)
    p = org_t["p_value"].to_numpy()
    # Holm by hand: sort, multiply by (m - rank), cumulative max, cap at 1
    order = np.argsort(p)
    adj = np.minimum(1, np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]))
    expected = np.empty_like(adj)
    expected[order] = adj
    assert org_t["p_holm"].to_numpy() == pytest.approx(expected)
    scores = comp.area_scores(d, inst)["yhteistyo"]
    mw = stats.mannwhitneyu(scores[org == "essote"], scores[org == "kainuu"])
    row = org_t[org_t["area"] == "yhteistyo"].iloc[0]
    assert row["p_value"] == pytest.approx(mw.pvalue)
    assert row["higher_group"] == "kainuu"
    role_t = t[t["grouping"] == "role"]
    # 3 supervisors are hidden, and the 37 social workers with them: shown, 40 - 37 would give the 3 back
    assert (role_t["excluded_groups"] == "Sosiaalityöntekijä, Esihenkilö").all()
    assert (role_t["test"] == "none (fewer than 2 groups)").all() and (role_t["n"] == 0).all()


def test_holm_families_are_one_grouping_each_and_named(sample, inst):
    """p_holm is holm() over exactly the rows of one ``family``: a grouping's six areas for the rank tests
    and for the model LR tests, and all level contrasts of a grouping for the odds ratios."""
    from sosrake_lib.stats import holm

    tests = comp.group_tests(sample, inst)
    assert tests["family"].nunique() == 3
    for _, block in tests.groupby("grouping"):
        assert block["family"].nunique() == 1 and len(block) == 6
        assert block["p_holm"].to_numpy() == pytest.approx(holm(block["p_value"]))
    org = tests[tests["grouping"] == "organisation"].set_index("area")
    assert org["family"].iloc[0] == "Organisaatio: 6 osaamisalueen järjestyslukutestit"
    # known values: the smallest p of six is multiplied by 6 (not by 18, the three groupings together)
    assert org.loc["yhteistyo", "p_value"] == pytest.approx(2.325661e-13, rel=1e-5)
    assert org.loc["yhteistyo", "p_holm"] == pytest.approx(6 * org.loc["yhteistyo", "p_value"])
    role = tests[tests["grouping"] == "role"].set_index("area")
    assert role.loc["raportointi", "p_value"] == pytest.approx(0.0367092, rel=1e-5)
    assert role.loc["raportointi", "p_holm"] == pytest.approx(6 * 0.0367092, rel=1e-5)
    models, terms = comp.ordinal_checks(sample, inst, lang="en")
    for _, block in models.groupby("grouping"):
        assert block["family"].nunique() == 1 and len(block) == 6
        assert block["lr_p_holm"].to_numpy() == pytest.approx(holm(block["lr_p"]))
    assert set(models["family"]) == {
        "Organisation: LR tests of 6 area models",
        "Role: LR tests of 6 area models",
        "Work area: LR tests of 6 area models",
    }
    sizes = terms.groupby("grouping")["family"].agg(["nunique", "size"])
    assert sizes.loc["organisation"].tolist() == [1, 6]  # 6 areas x 1 contrast
    assert sizes.loc["role"].tolist() == [1, 18]  # 6 areas x 3 contrasts
    for _, block in terms.groupby("grouping"):
        assert block["p_holm"].to_numpy() == pytest.approx(holm(block["p_value"]))
    assert set(terms["family"]) == {
        "Organisation: 6 odds ratios (all areas)",
        "Role: 18 odds ratios (all areas)",
        "Work area: 18 odds ratios (all areas)",
    }
    other = terms[(terms["grouping"] == "role") & (terms["area"] == "raportointi")]
    other = other[other["term"] == "Other vs Social worker"].iloc[0]
    assert other["p_value"] == pytest.approx(0.01378205, rel=1e-5)
    assert other["p_holm"] == pytest.approx(18 * 0.01378205, rel=1e-5)


def test_group_descriptives_secondary_suppression(inst):
    d = pd.concat([_attitude_frame([3.0] * 20), _attitude_frame([2.0] * 3)], ignore_index=True)
    d["role"] = ["social_worker"] * 12 + ["social_counsellor"] * 8 + ["supervisor"] * 3
    t = comp.group_descriptives(d, inst, ["role"], role="attitude", min_n=5)
    assert t["group"].tolist() == ["social_worker", "social_counsellor", "supervisor"]
    assert t["n"].isna().tolist() == [False, True, True]
    assert t.loc[0, "mean"] == 3.0


def test_ordinal_checks_round_half_up_and_lr_by_hand(inst):
    # essote: 6 x score 2.5 (rounds UP to 3) and 4 x 2; kainuu: 2 x 2 and 8 x 3
    half = pd.DataFrame(
        {"ED1": [2.0], "ED2": [3.0], "ED3": [4.0], "ED4": [3.0]}
    )  # (2 + 3 + 2 + 3) / 4
    d = pd.concat(
        [half] * 6
        + [_attitude_frame([2.0] * 4), _attitude_frame([2.0] * 2), _attitude_frame([3.0] * 8)],
        ignore_index=True,
    )
    d["organisation"] = ["essote"] * 10 + ["kainuu"] * 10
    summary, terms = comp.ordinal_checks(d, inst, ["organisation"], role="attitude", min_n=5)
    # two outcome levels: the proportional-odds model is a logistic regression, LR = G^2 of the 2x2 table
    g2, p, _, _ = stats.chi2_contingency(
        [[4, 6], [2, 8]], correction=False, lambda_="log-likelihood"
    )
    assert summary.loc[0, "lr_stat"] == pytest.approx(g2, rel=1e-4)
    assert summary.loc[0, "lr_p"] == pytest.approx(p, rel=1e-3)
    assert terms.loc[0, "odds_ratio"] == pytest.approx((8 / 2) / (6 / 4), rel=1e-3)
    assert terms.loc[0, "term"] == "Kainuun sote vs Essote"


# ------------------------------------------------------------------------------------------------ needs


def test_development_needs_by_hand_and_deterministic(inst):
    cols = [it.id for it in inst.likert_items() if it.role]
    d = pd.DataFrame(np.nan, index=range(4), columns=cols)
    d[["I_SR1", "I_SR2", "I_SR3"]] = 5.0
    d[["C_SR1", "C_SR2", "C_SR3"]] = [[2.0] * 3, [3.0] * 3, [2.0] * 3, [1.0] * 3]
    d[["I_TK1", "I_TK2", "I_TK3"]] = 4.0
    d[["C_TK1", "C_TK2", "C_TK3"]] = 4.0
    t = comp.development_needs(d, inst, n_boot=200, seed=1)
    assert t["area"].tolist()[:2] == ["raportointi", "tiedonkeruu"]
    assert t.loc[0, "mwds"] == pytest.approx(3 * 5)  # mean gap 3 x mean importance 5
    assert t.loc[1, "mwds"] == 0
    assert t["top_need"].tolist()[:2] == [True, True]
    again = comp.development_needs(d, inst, n_boot=200, seed=1)
    pd.testing.assert_frame_equal(t, again)


def test_support_themes_counts_and_suppression():
    d = pd.DataFrame(
        {"support_needed": ["Tarvitsen koulutusta."] * 6 + ["Aikaa."] * 2 + ["", None]}
    )
    t = comp.support_themes(d, min_n=5)
    row = t[t["theme"] == "koulutus"].iloc[0]
    assert (row["n"], row["n_answered"], row["pct"]) == (6, 8, 75.0)
    assert row["pct_ci_low"] == pytest.approx(100 * _wilson(6, 8)[0])
    aika = t[t["theme"] == "aika_resurssit"].iloc[0]
    assert pd.isna(aika["n"]) and pd.isna(aika["pct"])
    assert t["theme"].iloc[-1] == "uncoded"


# ------------------------------------------------------------------------------------------- key figures


def test_key_figures_names_and_note_convention(inst):
    summary = pd.DataFrame(
        {
            "role": ["competence"] * 3,
            "area": ["tiedonkeruu", "raportointi", "yhteiso"],
            "n": [100, 100, 100],
            "mean": [3.7, 2.5, 3.0],
            "ci_low": [3.6, 2.4, 2.9],
            "ci_high": [3.8, 2.6, 3.1],
        }
    )
    needs = pd.DataFrame(
        {
            "area": ["raportointi", "yhteiso", "tiedonkeruu"],
            "n": [100] * 3,
            "mwds": [7.0, 3.0, 1.0],
            "rank": [1, 2, 3],
            "mwds_ci_low": [6.0, 2.0, 0.5],
            "mwds_ci_high": [8.0, 4.0, 1.5],
            "rank_ci_low": [1, 2, 2],
            "rank_ci_high": [1, 3, 3],
        }
    )
    rel = pd.DataFrame(
        {
            "role": ["competence", "importance"],
            "area": ["yhteiso", "yhteiso"],
            "n": [99, 99],
            "alpha": [0.37, 0.8],
            "alpha_ci_low": [0.1, 0.7],
            "alpha_ci_high": [0.5, 0.9],
        }
    )
    kf = comp.build_key_figures(
        n_respondents=100,
        rate=comp.response_rate(100, 160),
        summary=summary,
        needs=needs,
        reliability=rel,
        inst=inst,
    )
    names = [f.name for f in kf]
    assert names == [
        "n_respondents",
        "response_rate",
        "strongest_area",
        "weakest_area",
        "need_rank_1",
        "need_rank_2",
        "need_rank_3",
        "alpha_yhteiso",
    ]
    assert kf["strongest_area"].label_fi == "Tiedon kerääminen asiakastyöstä"
    assert comp.parse_note(kf["strongest_area"].note) == {"area": "tiedonkeruu"}
    assert comp.parse_note(kf["need_rank_2"].note) == {
        "area": "yhteiso",
        "rank": "2",
        "rank_ci_low": "2",
        "rank_ci_high": "3",
        "weak_scale": "competence",
        "threshold": "0.6",
    }
    assert kf["need_rank_1"].value == 7.0 and kf["need_rank_1"].unit == "MWDS"
    assert comp.parse_note(kf["alpha_yhteiso"].note) == {
        "area": "yhteiso",
        "weak_scale": "competence",
        "threshold": "0.6",
    }
    # need rank 2 (yhteiso): its competence scale is weak, its importance scale (0.8) is not
    assert comp.parse_note(kf["need_rank_2"].note)["weak_scale"] == "competence"
    assert "weak_scale" not in comp.parse_note(kf["need_rank_1"].note)
    kf = comp.build_key_figures(
        n_respondents=100,
        rate=None,
        summary=summary,
        needs=needs,
        reliability=rel,
        inst=inst,
        threshold=0.9,
    )  # a stricter threshold: both parts of yhteiso are weak
    assert comp.parse_note(kf["need_rank_2"].note)["weak_scale"] == "competence+importance"
    assert comp.parse_note(kf["need_rank_2"].note)["threshold"] == "0.9"


def test_localise_and_suppression_report():
    t = pd.DataFrame({"area_label": ["x"], "p_holm": [0.01], "unknown": [1]})
    assert list(comp.localise(t, "en").columns) == ["Competence area", "p-value (Holm)", "unknown"]
    t.attrs["suppressed_cells"] = 3
    rep = comp.suppression_report({"a": t}, 5, "en")
    assert rep.loc[0, "suppressed_cells"] == 3 and "1–4" in rep.loc[0, "rule"]


# ------------------------------------------------------------------------------------- planted effects


def test_sample_recovers_planted_effects(sample, inst):
    assert len(sample) == P["n_respondents"]
    needs = comp.development_needs(sample, inst, n_boot=500, seed=2020)
    assert set(needs.loc[needs["top_need"], "area"]) == set(P["top3_needs"])
    summary = comp.area_summary(sample, inst)
    c = summary[summary["role"] == "competence"].sort_values("mean", ascending=False)
    assert c["area"].iloc[0] == P["strongest_area"]
    for area, mu in P["competence_means"].items():
        assert c.set_index("area").loc[area, "mean"] == pytest.approx(mu, abs=0.15)
    tests = comp.group_tests(sample, inst, ["organisation"]).set_index("area")
    gd = P["group_difference"]
    assert (
        tests.loc[gd["area"], "significant"]
        and tests.loc[gd["area"], "higher_group"] == gd["higher"]
    )
    assert not tests.loc["tiedonkeruu", "significant"]
    models, _ = comp.ordinal_checks(sample, inst, ["organisation"])
    assert models.set_index("area").loc[gd["area"], "significant"]
    rel = comp.reliability_table(sample, inst, n_resamples=200).set_index(["role", "area"])
    assert rel.loc[("competence", P["low_alpha_area"]), "weak_scale"]
    assert not rel.loc[("competence", "tiedonkeruu"), "weak_scale"]
    assert not rel.loc[
        ("attitude", "edellytykset"), "weak_scale"
    ]  # only because ED3 is reversed first


#: Cronbach's alpha of the sample's scales (pairwise), to 3 decimals.
SAMPLE_ALPHA = {
    ("competence", "tiedonkeruu"): 0.696,
    ("competence", "vaikuttavuustieto"): 0.753,
    ("competence", "raportointi"): 0.709,
    ("competence", "vaikuttaminen"): 0.690,
    ("competence", "yhteistyo"): 0.791,
    ("competence", "yhteiso"): 0.374,
    ("importance", "tiedonkeruu"): 0.289,
    ("importance", "vaikuttavuustieto"): 0.255,
    ("importance", "raportointi"): 0.303,
    ("importance", "vaikuttaminen"): 0.289,
    ("importance", "yhteistyo"): 0.403,
    ("importance", "yhteiso"): -0.325,
    ("attitude", "edellytykset"): 0.724,
}


@pytest.mark.parametrize(
    ("threshold", "weak"),
    [
        # 0.6: every importance scale (.25-.40, one -.33) and competence yhteiso (.37)
        (
            0.6,
            {k for k, a in SAMPLE_ALPHA.items() if k[0] == "importance"}
            | {("competence", "yhteiso")},
        ),
        (0.2, {("importance", "yhteiso")}),  # only the negative alpha
        (
            0.75,  # importance, yhteiso and the three competence areas at .69-.71
            {k for k, a in SAMPLE_ALPHA.items() if k[0] == "importance"}
            | {
                ("competence", a)
                for a in ("yhteiso", "tiedonkeruu", "raportointi", "vaikuttaminen")
            }
            | {("attitude", "edellytykset")},
        ),
    ],
)
def test_sample_weak_scales_follow_the_threshold(sample, inst, threshold, weak):
    rel = comp.reliability_table(sample, inst, threshold=threshold, n_resamples=100)
    got = dict(zip(zip(rel["role"], rel["area"], strict=True), rel["alpha"], strict=True))
    assert {k: round(v, 3) for k, v in got.items()} == SAMPLE_ALPHA
    assert set(rel.loc[rel["weak_scale"], ["role", "area"]].itertuples(index=False)) == weak
    assert (rel["weak_scale_note"] != "").tolist() == rel["weak_scale"].tolist()
    summary = comp.area_summary(sample, inst, threshold=threshold)
    assert set(summary.loc[summary["weak_scale"], ["role", "area"]].itertuples(index=False)) == weak
    needs = comp.development_needs(sample, inst, n_boot=0, threshold=threshold, lang="en")
    # an area's training need is weak when its competence or its importance scale is
    expected = {a for r, a in weak if r in ("competence", "importance")}
    assert set(needs.loc[needs["weak_scale"], "area"]) == expected
    if threshold == 0.2:
        assert needs.set_index("area").loc["yhteiso", "weak_scale_note"] == (
            "weak scale: importance alpha -0.33 < 0.2 – read item by item"
        )
    if threshold == 0.6:
        assert needs.set_index("area").loc["yhteiso", "weak_scale_note"] == (
            "weak scale: competence alpha 0.37, importance alpha -0.33 < 0.6 – read item by item"
        )


def test_sample_alpha_interval_is_bca_where_answers_are_missing(sample, inst):
    """Every area of the sample has some missing answer, so every interval is BCa (seeded, reproducible);
    on the complete cases the same areas get Feldt's interval, as psych::alpha reports it."""
    rel = comp.reliability_table(sample, inst, n_resamples=300, seed=11)
    assert (rel["alpha_ci_method"] == "BCa bootstrap").all()
    assert rel["method"].str.contains("BCa bootstrap 95 % CI .respondents resampled, 300").all()
    assert ((rel["alpha_ci_low"] < rel["alpha"]) & (rel["alpha"] < rel["alpha_ci_high"])).all()
    again = comp.reliability_table(sample, inst, n_resamples=300, seed=11)
    pd.testing.assert_frame_equal(rel, again)
    cols = [c for items in comp.area_scales(inst, "competence").values() for c in items]
    complete = sample.dropna(subset=cols)
    feldt = comp.reliability_table(complete, inst)
    comp_rows = feldt[feldt["role"] == "competence"]
    assert (comp_rows["alpha_ci_method"] == "Feldt").all()
    # Feldt by hand for one area: 1 - (1 - alpha) F(0.975 / 0.025; n - 1, (n - 1)(k - 1))
    row = comp_rows.iloc[0]
    n, k = int(row["n"]), int(row["n_items"])
    low = 1 - (1 - row["alpha"]) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    assert row["alpha_ci_low"] == pytest.approx(low, abs=1e-12)


def test_sample_crosstab_protects_supervisors(sample, inst):
    t = comp.respondent_crosstab(sample, inst, "organisation", "role", min_n=5)
    body = t.drop(index="Yhteensä", columns="Yhteensä")
    hidden = body.isna()
    # no row or column of the body has exactly one hidden cell
    assert not (hidden.sum(axis=1) == 1).any() and not (hidden.sum(axis=0) == 1).any()
    raw = pd.crosstab(sample["organisation"].astype(object), sample["role"].astype(object))
    assert raw.min().min() < 5 and hidden.to_numpy().any()


@pytest.mark.parametrize("min_n", [5, 10])
def test_published_item_table_hides_small_answer_counts(sample, inst, min_n) -> None:
    # regression (privacy scan): answer counts such as "Vastaus 2: 4" and "En osaa sanoa: 3" were published
    dist = comp.item_distributions(sample, inst, min_n=min_n)
    pub = comp.suppress_answer_counts(dist, min_n)
    answers = ["a1", "a2", "a3", "a4", "a5", "nsa"]
    shown = pub[[*answers, "n_valid", "top_box_n"]].apply(pd.to_numeric)
    assert not ((shown > 0) & (shown < min_n)).any(axis=None)
    hidden = pub[answers].isna().sum(axis=1)
    assert ((hidden == 0) | (hidden >= 2)).all() and hidden.sum() > 0
    # what stays is what was there; n_total, the mean and the figure's input are untouched
    kept = pub[answers].notna()
    a = pub[answers].to_numpy(dtype=float, na_value=np.nan)
    b = dist[answers].to_numpy(dtype=float, na_value=np.nan)
    assert (a[kept.to_numpy()] == b[kept.to_numpy()]).all()
    assert pub["n_total"].tolist() == dist["n_total"].tolist()
    # the mean and SD stay exactly where every scale answer is shown; where one is hidden they are rounded to
    # one decimal (or hidden, where even that would give a count away)
    scale_hidden = pub[answers[:-1]].isna().any(axis=1)
    assert scale_hidden.any() and (~scale_hidden).any()
    for col in ("mean", "sd"):
        assert (
            pub.loc[~scale_hidden, col].astype(float).tolist()
            == dist.loc[~scale_hidden, col].astype(float).tolist()
        )
        shown = pub.loc[scale_hidden, col].astype(float)
        full = dist.loc[scale_hidden, col].astype(float)
        assert (shown.isna() | (shown == full.round(1))).all() and shown.notna().any()
    # and nothing the row publishes lets a hidden count be worked out (brute force over every possibility)
    assert _disclosed_rows(pub, min_n) == []
    assert pub.attrs["suppressed_cells"] >= int(hidden.sum())
    # a visible top-box count never gives a hidden answer away: with both top answers shown it is their sum
    both = pub["a4"].notna() & pub["a5"].notna() & pub["top_box_n"].notna()
    assert (pub.loc[both, "top_box_n"] == pub.loc[both, "a4"] + pub.loc[both, "a5"]).all()
    one = pub["a4"].isna() ^ pub["a5"].isna()
    assert pub.loc[one, "top_box_n"].isna().all()


def _disclosed_rows(pub: pd.DataFrame, min_n: int) -> list[str]:
    from sosrake_lib.disclosure import disclosed, possible_values

    codes = ["a1", "a2", "a3", "a4", "a5"]

    def val(v):
        return None if pd.isna(v) else float(v)

    out = []
    for _, r in pub.iterrows():
        if pd.isna(r["n_total"]):
            continue
        rounded = {"mean": 1, "sd": 1} if any(pd.isna(r[c]) for c in codes) else {}
        values = possible_values(
            {c: val(r[c]) for c in [*codes, "nsa"]},
            {c: int(c[1:]) for c in codes},
            int(r["n_total"]),
            n_valid=val(r["n_valid"]),
            mean=val(r["mean"]),
            sd=val(r["sd"]),
            top=codes[-2:],
            top_n=val(r["top_box_n"]),
            top_pct=val(r["top_box_pct"]),
            decimals=rounded,
        )
        out += [f"{r['item']}: {c}" for c in disclosed(values)]
    return out


def test_disclosure_check_finds_the_old_leak() -> None:
    """The brute-force check itself: with the mean published beside two hidden counts, they are worked out."""
    from sosrake_lib.disclosure import disclosed, possible_values

    # a2 = 4 and nsa = 6 hidden; n_total 118, top 66 and the mean 409/112 give a2 away (a2 + nsa = 10)
    row = {"a1": 0, "a2": None, "a3": 42, "a4": 55, "a5": 11, "nsa": None}
    scale = {f"a{k}": k for k in range(1, 6)}
    leaked = possible_values(
        row, scale, 118, mean=(2 * 4 + 126 + 220 + 55) / 112, top=["a4", "a5"], top_n=66
    )
    assert leaked == {"a2": {4}, "nsa": {6}} and disclosed(leaked) == ["a2", "nsa"]
    safe = possible_values(row, scale, 118, top=["a4", "a5"], top_n=66)
    assert safe == {"a2": set(range(1, 10)), "nsa": set(range(1, 10))} and disclosed(safe) == []


@pytest.mark.parametrize("min_n", [5, 10, 20])
def test_group_tables_never_give_a_hidden_group_away(sample, inst, min_n):
    """The area n is published (area_summary), so a test over the other groups would give a hidden group's n
    back (at min_n 20: work area "Muu", 10 of 118). Descriptives, tests and ordinal models use one set of
    groups: the test's n is the sum of the shown groups, and the hidden ones are never one alone nor small
    together."""
    desc = comp.group_descriptives(sample, inst, min_n=min_n)
    tests = comp.group_tests(sample, inst, min_n=min_n)
    summary, _ = comp.ordinal_checks(sample, inst, min_n=min_n)
    area_n = comp.area_scores(sample, inst).notna().sum()
    hidden_somewhere = 0
    for (grouping, area), block in desc.groupby(["grouping", "area"]):
        shown = block[block["in_test"]]
        assert shown["n"].notna().all() and block.loc[~block["in_test"], "n"].isna().all()
        test = tests[(tests["grouping"] == grouping) & (tests["area"] == area)].iloc[0]
        assert int(test["n"]) == int(shown["n"].sum())
        model = summary[(summary["grouping"] == grouping) & (summary["area"] == area)].iloc[0]
        assert int(model["n"]) == int(shown["n"].sum()) or len(shown) < 2
        rest = int(area_n[area]) - int(shown["n"].sum())
        n_hidden = int((~block["in_test"]).sum())
        assert rest == 0 or (n_hidden >= 2 and rest >= min_n), (grouping, area, rest, n_hidden)
        hidden_somewhere += n_hidden
    assert (hidden_somewhere > 0) == (min_n >= 10)  # at 5 every group of the sample is shown
    if min_n == 20:
        row = tests[(tests["grouping"] == "work_area") & (tests["area"] == "tiedonkeruu")].iloc[0]
        assert (
            row["excluded_groups"] == "Mielenterveys- ja päihdetyö, Muu"
            and int(row["n"]) == 62 + 26
        )


def test_groups_hidden_in_the_respondent_counts_stay_hidden_in_every_area(sample, inst):
    # min_n 20: the work-area counts hide "Muu" (10) and, as its second, "Mielenterveys- ja päihdetyö" (20);
    # no area block may show either, whatever its own valid-answer counts are
    counts = comp.respondent_counts(sample, inst, "work_area", min_n=20)
    hidden = set(counts.loc[counts["n"].isna(), "group"])
    assert hidden == {"mental_health_substance", "other"}
    desc = comp.group_descriptives(sample, inst, ["work_area"], min_n=20)
    assert not desc.loc[desc["group"].isin(hidden), "in_test"].any()
    assert desc.loc[desc["group"].isin(hidden), "n"].isna().all()


def test_min_n_1_hides_no_group(inst):
    d = pd.DataFrame(
        {
            "organisation": ["essote"] * 6 + ["kainuu"],
            "ED1": [3.0] * 7,
            "ED2": [3.0] * 7,
            "ED3": [3.0] * 7,
            "ED4": [4.0] * 7,
        }
    )
    t = comp.group_descriptives(d, inst, ["organisation"], role="attitude", min_n=1)
    assert t["n"].tolist() == [6, 1] and t["in_test"].all()


# ------------------------------------------------------------------------------ infographic and run options


@pytest.mark.parametrize(("threshold", "lang"), [(0.2, "fi"), (0.6, "en")])
def test_infographic_marks_weak_areas(tmp_path, sample, inst, threshold, lang):
    """The infographic reads the published tables: a weak area's label gets "* " in front and the chart a
    caption saying what that means; areas that are not weak are not marked."""
    from sosrake_lib.infographic import competence as page
    from sosrake_lib.infographic.chart_data import Context
    from sosrake_lib.publish import publish_tables
    from sosrake_lib.settings import Settings

    needs = comp.development_needs(sample, inst, n_boot=0, threshold=threshold, lang=lang)
    summary = comp.area_summary(sample, inst, threshold=threshold, lang=lang)
    tables = {
        "development_needs": needs,
        "area_scores": summary[summary["role"] == "competence"].drop(columns="plot_label"),
    }
    publish_tables("competence", tables, tmp_path, Settings(lang=lang))
    ctx = Context(figures={}, lang=lang, min_n=5, analysis="competence", folder=tmp_path)
    need_chart, score_chart = page._competence_chart(ctx), page._competence_chart2(ctx)
    need_marks = {b.label for b in need_chart.bars if b.label.startswith(page.WEAK_MARK)}
    score_marks = {b.label for b in score_chart.bars if b.label.startswith(page.WEAK_MARK)}
    yhteiso = page.WEAK_MARK + inst.area_label("yhteiso", lang)
    if threshold == 0.2:  # only the importance scale of yhteiso (alpha -0.33) is weak
        assert need_marks == {yhteiso} and score_marks == set()
        assert score_chart.caption == ""
    else:  # every importance scale is weak, and the competence scale of yhteiso (0.37)
        assert len(need_marks) == 6 and score_marks == {yhteiso}
        assert score_chart.caption == page._WEAK_NOTE[lang]
    assert need_chart.caption.endswith(page._WEAK_NOTE_NEEDS[lang])
    # the need chart's note says the weak scale may be importance, not competence
    assert ("tärkeysasteikon" if lang == "fi" else "importance scale") in need_chart.caption
    assert ("heikko mittari" if lang == "fi" else "weak scale") in need_chart.caption.lower()


def test_weak_alpha_reaches_the_notebook_only_when_given():
    from sosrake_lib.cli import _parser
    from sosrake_lib.errors import ConfigError
    from sosrake_lib.registry import RunContext, _competence_parameters
    from sosrake_lib.runner import run_semester
    from sosrake_lib.settings import Settings

    class _Input:
        role = "export"
        path = __import__("pathlib").Path("data/raw/sample/competence_2020.xlsx")

    assert "weak_alpha" not in _competence_parameters([_Input()], RunContext(semester="s"))
    params = _competence_parameters([_Input()], RunContext(semester="s", weak_alpha=0.5))
    assert params["weak_alpha"] == 0.5
    args = _parser().parse_args(
        ["run", "competence", "--semester", "s", "--raw", "r", "--out", "o", "--weak-alpha", "0.7"]
    )
    assert args.weak_alpha == 0.7
    with pytest.raises(ConfigError, match="--weak-alpha"):
        run_semester("competence", semester="s", raw="r", out="o", weak_alpha=1.5)
    with pytest.raises(ConfigError, match="weak_alpha"):
        Settings(weak_alpha=-0.1)
    assert Settings().weak_alpha == comp.ALPHA_THRESHOLD == 0.6
