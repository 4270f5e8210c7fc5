"""Interviews clustered in interviewers: design effects, cluster-aware intervals and tests, exact test labels,
and a verdict whose direction comes from the statistic that was tested."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from sosrake_lib import interviews as iv
from sosrake_lib.interviews.cluster import (
    MIN_CLUSTERS,
    cluster_fit,
    cluster_rank_test,
    newcombe_effective,
    nps_effective,
    wilson_effective,
)
from sosrake_lib.interviews.nps import _nps_parts
from sosrake_lib.stats import proportion_ci, two_proportions, two_sample_ordinal

EXPORTS = {s: f"data/raw/sample/interviews_{s}.csv" for s in ("2021-syksy", "2022-syksy")}
ITEMS = ["SA1", "SA2", "KO1", "KO2", "KO3", "TU1", "TI1", "TI2", "HY1", "HY2"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return iv.load_exports(EXPORTS)


def _frame(
    semesters: dict[str, int], per_student: int, seed: int, student_sd: float = 0.0
) -> pd.DataFrame:
    """Interviews with every theme item and NPS; ``student_sd`` > 0 plants a shared interviewer effect."""
    rng = np.random.default_rng(seed)
    parts = []
    for sem, n in semesters.items():
        student = np.array([f"{sem}-s{i // per_student}" for i in range(n)], dtype=object)
        shift = rng.normal(0, student_sd, n // per_student + 1)[np.arange(n) // per_student]
        base = 3.0 + shift + rng.normal(0, 0.8, n)
        cols = {it: np.clip(np.round(base + rng.normal(0, 0.3, n)), 1, 5) for it in ITEMS}
        nps = np.clip(np.round(6.5 + 2.5 * (base - 3.0) + rng.normal(0, 1.5, n)), 0, 10)
        parts.append(pd.DataFrame({"semester": sem, "student": student, **cols, "nps": nps}))
    df = pd.concat(parts, ignore_index=True)
    df["semester"] = pd.Categorical(df["semester"], categories=list(semesters), ordered=True)
    return df


# ----------------------------------------------------------------------------- design effect, known values
def test_cluster_fit_equals_a_hand_computed_sandwich() -> None:
    """OLS y ~ 1 + after with CR1 interviewer-clustered variance, computed here with numpy alone."""
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(12), 3)
    after = g >= 6
    y = rng.normal(0, 1, g.size) + rng.normal(0, 1, 12)[g] + 0.5 * after
    fit = cluster_fit(y, g, after)
    x = np.column_stack([np.ones(g.size), after.astype(float)])
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    e = y - x @ beta
    meat = sum(np.outer(x[g == c].T @ e[g == c], x[g == c].T @ e[g == c]) for c in range(12))
    n, k, groups = g.size, 2, 12
    v_cr1 = groups / (groups - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    v_iid = e @ e / (n - k) * bread
    assert fit.estimate == pytest.approx(y[after].mean() - y[~after].mean(), abs=1e-12)
    assert fit.se == pytest.approx(np.sqrt(v_cr1[1, 1]), rel=1e-10)
    assert fit.deff == pytest.approx(v_cr1[1, 1] / v_iid[1, 1], rel=1e-10)
    t = beta[1] / np.sqrt(v_cr1[1, 1])
    assert fit.p_value == pytest.approx(2 * sps.t.sf(abs(t), groups - 1), rel=1e-10)
    assert (fit.n, fit.n_clusters, fit.df) == (36, 12, 11)


def test_design_effect_follows_kish_on_planted_clusters() -> None:
    """Clusters of m = 4 with ICC 0.5 have deff = 1 + (m - 1) ICC = 2.5 (Kish 1965); no clustering: 1."""
    rng = np.random.default_rng(16)
    g = np.repeat(np.arange(3000), 4)
    clustered = rng.normal(0, 1, 3000)[g] + rng.normal(0, 1, g.size)  # ICC = 1 / (1 + 1)
    independent = rng.normal(0, 1, g.size)
    assert cluster_fit(clustered, g).deff == pytest.approx(2.5, abs=0.15)
    assert cluster_fit(independent, g).deff == pytest.approx(1.0, abs=0.08)


def test_wilson_on_the_effective_n_is_wilson_of_fewer_interviews() -> None:
    # deff 2 with very many interviewers: the Wilson interval of half the interviews
    low, high = wilson_effective(30, 100, 2.0, 10**8)
    assert (low, high) == pytest.approx(proportion_ci(15, 50), abs=1e-6)
    # deff below 1 does not narrow it; few interviewers widen it (t with G - 1 df)
    assert wilson_effective(30, 100, 0.5, 10**8) == pytest.approx(proportion_ci(30, 100), abs=1e-6)
    w10 = wilson_effective(30, 100, 1.0, 10)
    assert w10[0] < proportion_ci(30, 100)[0] and w10[1] > proportion_ci(30, 100)[1]


def test_newcombe_from_wilson_limits_is_the_stats_newcombe_interval() -> None:
    """With plain Wilson limits it is the same hybrid score interval as stats.two_proportions."""
    tp = two_proportions(22, 80, 17, 86)
    d = newcombe_effective(22 / 80, proportion_ci(22, 80), 17 / 86, proportion_ci(17, 86))
    assert d == pytest.approx((tp.ci_low, tp.ci_high), abs=1e-12)


def test_nps_interval_with_deff_one_is_the_adjusted_wald_interval(sample: pd.DataFrame) -> None:
    from sosrake_lib.scoring import nps

    v = sample.loc[sample["semester"] == "2022-syksy", "nps"]
    centre, variance, _ = _nps_parts(v)
    naive = nps(v)  # adjusted Wald (Rocks 2016) as if the interviews were independent: 12.7..45.7
    assert nps_effective(centre, variance, 1.0, 10**9) == pytest.approx(
        (naive.ci_low, naive.ci_high), abs=1e-6
    )
    # published: deff 0.68 counts as 1, and 41 interviewers give t with 40 df: a little wider
    row = iv.nps_table(sample).set_index("semester").loc["2022-syksy"]
    assert (float(row["ci_low"]), float(row["ci_high"])) == pytest.approx(
        (12.2343, 46.1926), abs=1e-3
    )
    assert float(row["ci_low"]) < naive.ci_low and float(row["ci_high"]) > naive.ci_high
    assert float(row["deff"]) == 0.68 and int(row["n_interviewers"]) == 41


def test_rank_test_estimate_is_the_rank_biserial_r(sample: pd.DataFrame) -> None:
    """The cluster-aware test tests the difference of mean ranks: 2 x that / N is exactly r."""
    scores = iv.theme_scores(sample)
    for area in ("saatavuus", "kohtaaminen", "tiedonsaanti"):
        before = (sample["semester"] == "2021-syksy").to_numpy()
        x, y = scores.loc[before, area], scores.loc[~before, area]
        g = sample["student"].to_numpy()
        fit = cluster_rank_test(x, y, g[before], g[~before])
        ranks = sps.rankdata(np.r_[x.dropna(), y.dropna()])
        nx = int(x.notna().sum())
        assert fit.estimate == pytest.approx(ranks[nx:].mean() - ranks[:nx].mean(), abs=1e-9)
        r = two_sample_ordinal(x, y).effect_size
        assert 2 * fit.estimate / ranks.size == pytest.approx(r, abs=1e-12)


# ----------------------------------------------------------------------------- planted clustering
def test_clustered_interviews_widen_the_intervals_and_deff_exceeds_one() -> None:
    df = _frame({"2021-syksy": 240, "2022-syksy": 240}, per_student=4, seed=3, student_sd=1.2)
    top2 = iv.theme_top2(df, min_n=5).set_index(["semester", "theme"])
    row = top2.loc[("2022-syksy", "kohtaaminen")]
    naive = proportion_ci(int(row["top2_n"]), int(row["n"]))
    assert float(row["deff"]) > 1.8  # strong interviewer effect, 4 interviews each
    assert float(row["ci_high"]) - float(row["ci_low"]) > 1.3 * 100 * (naive[1] - naive[0])
    assert int(row["n_interviewers"]) == 60 and row["cluster_note"] == ""
    nps = iv.nps_table(df, min_n=5).set_index("semester").loc["2022-syksy"]
    assert float(nps["deff"]) > 1.8
    c = iv.compare_semesters(df, min_n=5).set_index(["family", "measure"])
    assert (c["deff"].dropna() > 1.5).all()
    # the same data with no interviewer effect: deff about 1
    flat = _frame({"2021-syksy": 240, "2022-syksy": 240}, per_student=4, seed=3, student_sd=0.0)
    t = iv.theme_top2(flat, min_n=5)
    assert t["deff"].astype(float).between(0.6, 1.45).all()


def test_too_few_interviewers_are_said_in_both_languages() -> None:
    df = _frame({"2021-syksy": 60, "2022-syksy": 60}, per_student=3, seed=5)  # 20 interviewers each
    assert 20 < MIN_CLUSTERS
    for lang, words in (("fi", "alle 30 haastattelijaa"), ("en", "fewer than 30 interviewers")):
        top2 = iv.theme_top2(df, min_n=5, lang=lang)
        shown = top2["ci_low"].notna()
        assert shown.any() and top2.loc[shown, "cluster_note"].str.startswith(words).all()
        nps = iv.nps_table(df, min_n=5, lang=lang)
        assert nps["cluster_note"].str.startswith(words).all()
        c = iv.compare_semesters(df, min_n=5, lang=lang)
        assert c.loc[c["p_cluster"].notna(), "cluster_note"].str.startswith(words).all()
    many = _frame({"2021-syksy": 120, "2022-syksy": 120}, per_student=3, seed=5)  # 40 each
    assert (iv.theme_top2(many, min_n=5)["cluster_note"] == "").all()


def test_key_figures_carry_the_design_effect_and_the_note() -> None:
    df = _frame({"2021-syksy": 60, "2022-syksy": 60}, per_student=3, seed=5)
    kf = iv.build_key_figures(
        counts=iv.interview_counts(df, 5),
        top2=iv.theme_top2(df, min_n=5),
        nps_sem=iv.nps_table(df, min_n=5),
        comparison=iv.compare_semesters(df, min_n=5),
        open_freq=pd.DataFrame(columns=["question", "semester", "theme", "pct"]),
        semester="2022-syksy",
    )
    figs = {r["name"]: r for r in kf.to_frame().to_dict(orient="records")}
    assert "design effect" in figs["nps"]["method"] and "(20 interviewers)" in figs["nps"]["method"]
    assert figs["nps"]["note"].startswith("fewer than 30 interviewers")
    assert figs["saatavuus_top2"]["note"].startswith("fewer than 30 interviewers")


# ----------------------------------------------------------------------------- A: direction from r
def test_verdict_direction_comes_from_the_tested_statistic() -> None:
    """Mean up, ranks down: kohtaaminen was 3 for everyone; after, 5/8 answer 2 and 3/8 answer 5.

    The mean goes 3 -> 0.625 x 2 + 0.375 x 5 = 3.125 (up 0.125), but P(after > before) - P(after < before)
    = 0.375 - 0.625 = r = -0.25: most clients rate lower. The test tested the ranks, so the verdict is
    "declined" (the code before this change said "improved", from the mean).
    """
    df = _frame({"2021-syksy": 160, "2022-syksy": 160}, per_student=2, seed=11)
    after = (df["semester"] == "2022-syksy").to_numpy()
    ko = np.where(after, np.where(np.arange(len(df)) % 8 < 5, 2.0, 5.0), 3.0)
    for it in ("KO1", "KO2", "KO3"):
        df[it] = ko
    c = iv.compare_semesters(df, min_n=5, lang="en").set_index(["family", "measure"])
    row = c.loc[("theme_score", "kohtaaminen")]
    assert float(row["difference"]) == pytest.approx(0.125)
    assert float(row["effect_size"]) == pytest.approx(-0.25)
    assert bool(row["significant"]) and float(row["p_holm_cluster"]) < 0.05
    assert (row["verdict_en"], row["verdict_fi"]) == ("declined", "heikkeni")
    assert "declined (r = -0.25, Holm p = 0.002)" in row["statement"]


# ----------------------------------------------------------------------------- B: exact test labels
def test_test_label_says_exact_or_normal_approximation() -> None:
    small = _frame({"2021-syksy": 6, "2022-syksy": 6}, per_student=1, seed=1)
    # kohtaaminen (three statements) with 12 different theme means: no ties, 6 per semester
    sums = np.random.default_rng(0).permutation(np.arange(3, 15))
    small["KO1"] = np.minimum(sums - 2, 5).astype(float)
    small["KO2"] = np.clip(sums - 1 - small["KO1"], 1, 5)
    small["KO3"] = sums - small["KO1"] - small["KO2"]
    assert small[["KO1", "KO2", "KO3"]].isin([1, 2, 3, 4, 5]).all().all()
    for lang, exact in (
        ("fi", "Mann–Whitneyn U-testi (kaksisuuntainen, tarkka jakauma)"),
        ("en", "Mann-Whitney U (two-sided, exact distribution)"),
    ):
        c = iv.compare_semesters(small, min_n=1, lang=lang).set_index(["family", "measure"])
        assert c.loc[("theme_score", "kohtaaminen"), "test"] == exact
    x = small.loc[small["semester"] == "2021-syksy", "KO1":"KO3"].sum(axis=1)
    y = small.loc[small["semester"] == "2022-syksy", "KO1":"KO3"].sum(axis=1)
    c = iv.compare_semesters(small, min_n=1).set_index(["family", "measure"])
    assert float(c.loc[("theme_score", "kohtaaminen"), "p_value"]) == pytest.approx(
        sps.mannwhitneyu(x, y, method="exact").pvalue, abs=1e-12
    )


def test_test_label_on_a_large_tied_sample(sample: pd.DataFrame) -> None:
    for lang, label in (
        (
            "fi",
            "Mann–Whitneyn U-testi (kaksisuuntainen, normaaliapproksimaatio, sidos- ja "
            "jatkuvuuskorjaus)",
        ),
        (
            "en",
            "Mann-Whitney U (two-sided, normal approximation with tie and continuity correction)",
        ),
    ):
        c = iv.compare_semesters(sample, lang=lang)
        assert (c.loc[c["family"] == "theme_score", "test"] == label).all()


# ----------------------------------------------------------------------------- disclosure
def test_interviewer_counts_hide_small_counts_and_small_complements() -> None:
    df = _frame({"2021-syksy": 90, "2022-syksy": 90}, per_student=3, seed=9)  # 30 students each
    first = df["student"].isin(["2022-syksy-s0", "2022-syksy-s1"])  # two students, no hyodyllisyys
    df.loc[first, ["HY1", "HY2"]] = np.nan
    t = iv.theme_top2(df, min_n=5).set_index(["semester", "theme"])
    # 30 students, 28 with a score: 30 - 28 = 2 would be published, so the 28 is hidden
    assert pd.isna(t.loc[("2022-syksy", "hyodyllisyys"), "n_interviewers"])
    assert int(t.loc[("2022-syksy", "saatavuus"), "n_interviewers"]) == 30
    assert int(t.loc[("2021-syksy", "hyodyllisyys"), "n_interviewers"]) == 30
    c = iv.compare_semesters(df, min_n=5).set_index(["family", "measure"])
    assert pd.isna(c.loc[("theme_score", "hyodyllisyys"), "n_interviewers_after"])
    assert int(c.loc[("theme_score", "hyodyllisyys"), "n_interviewers_before"]) == 30


@pytest.mark.parametrize("min_n", [5, 10, 20])
def test_no_small_interviewer_count_is_published(sample: pd.DataFrame, min_n: int) -> None:
    tables = [
        iv.theme_top2(sample, min_n=min_n),
        iv.theme_top2(sample, by="service", min_n=min_n),
        iv.nps_table(sample, min_n=min_n),
        iv.nps_table(sample, ["semester", "service"], min_n=min_n),
        iv.compare_semesters(sample, min_n=min_n),
    ]
    for t in tables:
        for col in [c for c in t.columns if c.startswith("n_interviewers")]:
            v = pd.to_numeric(t[col]).dropna()
            assert not ((v > 0) & (v < min_n)).any(), col
        # a design effect or interval only where the share (or NPS) it belongs to is shown
        value = "top2_pct" if "top2_pct" in t.columns else "nps" if "nps" in t.columns else None
        if value:
            assert t.loc[t[value].isna(), ["deff", "ci_low"]].isna().all().all()
