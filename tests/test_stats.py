"""Tests for sosrake_lib.stats against hand-computed and published values.

scipy/statsmodels results are used only as cross-checks of what the wrapper passes on, never as the expected
value of a quantity this module computes itself (rank sums, effect sizes, Holm, counts).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from sosrake_lib.stats import (
    compare_groups,
    compare_groups_table,
    holm,
    logistic_regression,
    ordinal_logit,
    paired_change,
    paired_change_table,
    proportion_ci,
    two_proportions,
    two_sample_ordinal,
)

# ------------------------------------------------------------------------------------------- proportion_ci


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [  # Newcombe (1998) Stat Med 17:857-872, Table I, method 3 (Wilson score without continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_proportion_ci_matches_newcombe_table_1(
    count: int, n: int, low: float, high: float
) -> None:
    lo, hi = proportion_ci(count, n)
    assert isinstance(lo, float)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_proportion_ci_wilson_zero_count_closed_form() -> None:
    # For count 0 the Wilson upper limit is z^2 / (n + z^2).
    z2 = sps.norm.ppf(0.975) ** 2
    assert proportion_ci(0, 10)[1] == pytest.approx(z2 / (10 + z2), abs=1e-12)


def test_proportion_ci_clopper_pearson_option() -> None:
    # Clopper-Pearson for 0/n: upper = 1 - (alpha/2)^(1/n).
    lo, hi = proportion_ci(0, 20, method="beta")
    assert lo == 0.0
    assert hi == pytest.approx(1 - 0.025 ** (1 / 20), abs=1e-10)


def test_proportion_ci_empty_and_arrays() -> None:
    assert all(math.isnan(x) for x in proportion_ci(0, 0))
    lo, hi = proportion_ci(np.array([81, 0, 3]), np.array([263, 0, 3]))
    assert lo[0] == pytest.approx(0.2553, abs=1e-4)
    assert np.isnan(lo[1]) and np.isnan(hi[1])
    assert hi[2] == 1.0  # 3/3: the upper limit is exactly 1, never above
    with pytest.raises(ValueError):
        proportion_ci(5, 3)


def test_proportion_ci_narrower_at_lower_confidence() -> None:
    lo95, hi95 = proportion_ci(30, 100)
    lo80, hi80 = proportion_ci(30, 100, ci=0.80)
    assert lo95 < lo80 < 0.3 < hi80 < hi95


# ---------------------------------------------------------------------------------------------------- holm


def test_holm_hand_computed() -> None:
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone max -> 0.06
    out = holm([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(out, [0.03, 0.06, 0.06, 0.02], atol=1e-12)


def test_holm_nan_passthrough_and_family_size() -> None:
    # NaN is not a family member: family of 2 -> 0.01*2, 0.04*1 (kept monotone: 0.04 >= 0.02)
    out = holm([0.01, np.nan, 0.04])
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.04])
    assert np.isnan(holm([np.nan, np.nan])).all()
    assert holm([]).size == 0


def test_holm_caps_at_one_and_keeps_order() -> None:
    np.testing.assert_allclose(holm([0.6, 0.7]), [1.0, 1.0])
    np.testing.assert_allclose(
        holm([0.04, 0.045]), [0.08, 0.08]
    )  # 0.045*1 raised to 0.08 (monotone)


# ------------------------------------------------------------------------------------------- paired_change

PRE = [1, 2, 3, 4, 5, 3]
POST = [2, 2, 5, 3, 5, 5]  # d = [1, 0, 2, -1, 0, 2]


def test_paired_change_wilcox_hand_computed() -> None:
    # zeros dropped; |d| = [1, 2, 1, 2] -> average ranks [1.5, 3.5, 1.5, 3.5]
    # W+ = 1.5 + 3.5 + 3.5 = 8.5, W- = 1.5, r = (8.5 - 1.5) / 10 = 0.7; two-sided statistic = min = 1.5
    r = paired_change(PRE, POST)
    assert (r.n_pairs, r.n_dropped, r.n_increase, r.n_decrease, r.n_zero) == (6, 0, 3, 1, 2)
    assert (r.w_plus, r.w_minus, r.statistic) == (8.5, 1.5, 1.5)
    assert r.effect_size == pytest.approx(0.7)
    assert r.median_pre == 3.0 and r.median_post == 4.0 and r.median_change == 0.5
    assert r.mean_change == pytest.approx(4 / 6)
    assert r.test == "Wilcoxon signed-rank" and r.effect_size_name == "rank-biserial r"
    assert r.zero_method == "wilcox"
    assert r.method == "permutation"  # ties + zeros, n <= 13: scipy enumerates all sign flips
    # cross-check only: the p-value is scipy's own
    assert r.p_value == pytest.approx(
        sps.wilcoxon(np.subtract(POST, PRE), zero_method="wilcox").pvalue
    )


def test_paired_change_pratt_and_zsplit_hand_computed() -> None:
    # all six |d| = [1, 0, 2, 1, 0, 2] ranked: zeros 1.5, 1.5; ones 3.5, 3.5; twos 5.5, 5.5; S = 21
    pratt = paired_change(PRE, POST, zero_method="pratt")
    assert (pratt.w_plus, pratt.w_minus) == (14.5, 3.5)  # zeros ranked but not summed
    assert pratt.effect_size == pytest.approx(11 / 21)
    zsplit = paired_change(PRE, POST, zero_method="zsplit")
    assert (zsplit.w_plus, zsplit.w_minus) == (16.0, 5.0)  # zero ranks 3 split 1.5 + 1.5
    assert zsplit.statistic == 5.0
    assert zsplit.effect_size == pytest.approx(11 / 21)


def test_paired_change_exact_p_hand_computed() -> None:
    # d = 1..5, all positive, no ties: exact null has 2^5 = 32 equally likely sign patterns;
    # W+ = 15 only for all-positive -> one-sided p = 1/32, two-sided 2/32
    r = paired_change([0, 0, 0, 0, 0], [1, 2, 3, 4, 5])
    assert r.method == "exact"
    assert r.p_value == pytest.approx(2 / 32)
    assert r.effect_size == 1.0 and r.w_plus == 15 and r.statistic == 0
    g = paired_change([0, 0, 0, 0, 0], [1, 2, 3, 4, 5], alternative="greater")
    assert g.p_value == pytest.approx(1 / 32)
    assert g.statistic == 15  # one-sided: scipy reports W+


def test_paired_change_decrease_gives_negative_effect() -> None:
    r = paired_change(POST, PRE)
    assert r.effect_size == pytest.approx(-0.7)
    assert (r.w_plus, r.w_minus) == (1.5, 8.5)


def test_paired_change_all_permutation_p_hand_computed() -> None:
    # d = [1, 1, 1, 1]: all ranks tied at 2.5; of the 16 sign patterns only all-plus and all-minus are as
    # extreme as observed -> p = 2/16
    r = paired_change([1, 2, 3, 4], [2, 3, 4, 5])
    assert r.p_value == pytest.approx(0.125)
    assert r.effect_size == 1.0


def test_paired_change_series_aligned_on_index() -> None:
    pre = pd.Series([1.0, 2.0, np.nan, 4.0], index=["a", "b", "c", "d"])
    post = pd.Series([5.0, 3.0, 2.0, 3.0], index=["d", "b", "a", "e"])
    # pairs by label: a (1, 2): +1; b (2, 3): +1; c: pre NaN; d (4, 5): +1; e: no pre
    r = paired_change(pre, post)
    assert r.n_pairs == 3 and r.n_dropped == 2
    assert r.n_increase == 3 and r.median_change == 1.0


def test_paired_change_nullable_float_and_arrays() -> None:
    pre = pd.Series([1.0, None, 3.0], dtype="Float64")
    post = pd.Series([2.0, 2.0, 4.0], dtype="Float64")
    r = paired_change(pre, post)
    assert r.n_pairs == 2 and r.n_dropped == 1
    with pytest.raises(ValueError):
        paired_change([1, 2, 3], [1, 2])
    with pytest.raises(ValueError):
        paired_change(PRE, POST, zero_method="bogus")  # type: ignore[arg-type]


def test_paired_change_edge_cases() -> None:
    none = paired_change([np.nan, 1.0], [2.0, np.nan])
    assert none.n_pairs == 0 and none.n_dropped == 2
    assert math.isnan(none.p_value) and math.isnan(none.effect_size)
    zeros = paired_change([3, 4, 5], [3, 4, 5])
    assert zeros.p_value == 1.0 and zeros.effect_size == 0.0 and zeros.n_zero == 3
    assert zeros.method == "none"


def test_paired_change_median_ci_order_statistics() -> None:
    # n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so the 95 % CI is (d_(2), d_(9))
    r = paired_change(np.zeros(10), np.arange(1.0, 11.0))
    assert (r.median_change_ci_low, r.median_change_ci_high) == (2.0, 9.0)


def test_paired_change_table_holm() -> None:
    pre = pd.DataFrame({"Q1": [1, 2, 3, 4], "Q2": [2, 2, 2, 2], "Q3": [1, 1, 1, 1]})
    post = pd.DataFrame({"Q1": [2, 3, 4, 5], "Q2": [2, 2, 2, 2], "Q3": [np.nan] * 4})
    t = paired_change_table(pre, post, ["Q1", "Q2", "Q3"])
    assert t["column"].tolist() == ["Q1", "Q2", "Q3"]
    assert t["n_pairs"].tolist() == [4, 4, 0]
    # family of two non-NaN p-values: 0.125 * 2 = 0.25; 1.0
    np.testing.assert_allclose(t["p_holm"].to_numpy()[:2], [0.25, 1.0])
    assert np.isnan(t.loc[2, "p_holm"])
    assert (t["zero_method"] == "wilcox").all() and (t["test"] == "Wilcoxon signed-rank").all()


# ------------------------------------------------------------------------------------------ compare_groups


def test_compare_groups_two_groups_hand_computed() -> None:
    df = pd.DataFrame(
        {"g": pd.Series(["a", "a", "a", "b", "b"], dtype="string"), "x": [1.0, 2, 2, 2, 3]}
    )
    # U_a = sum over (a, b) pairs of [a > b] + 0.5 [a == b]: (2 vs 2) twice -> 0.5 + 0.5 = 1.0
    r = compare_groups(df, "x", "g")
    assert r.test == "Mann-Whitney U" and r.groups == ("a", "b")
    assert r.statistic == 1.0
    assert r.effect_size == pytest.approx(1 - 2 * 1.0 / 6)  # = 2/3: b tends to be higher
    assert "rank-biserial" in r.effect_size_name and "b higher than a" in r.effect_size_name
    assert r.options["method"] == "asymptotic"  # ties -> scipy uses the normal approximation
    assert r.n == 5 and math.isnan(r.df)
    assert r.table.loc["a", "n"] == 3 and r.table.loc["a", "median"] == 2.0
    assert r.table.loc["b", "mean"] == 2.5 and r.table.loc["b", "sd"] == pytest.approx(
        math.sqrt(0.5)
    )


def test_compare_groups_exact_p_hand_computed() -> None:
    # complete separation of 3 vs 3: 2 of the C(6,3) = 20 rank allocations are as extreme -> p = 0.1
    df = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 3, "x": [1.0, 2, 3, 4, 5, 6]})
    r = compare_groups(df, "x", "g")
    assert r.options["method"] == "exact"
    assert r.p_value == pytest.approx(0.1)
    assert r.effect_size == 1.0  # every b above every a; Cliff's delta of b vs a = 1


def test_compare_groups_kruskal_hand_computed() -> None:
    df = pd.DataFrame({"g": list("aabbbcc"), "x": [1.0, 2, 3, 4, 5, 6, 7]})
    # rank sums 3, 12, 13; H = 12/(7*8) * (9/2 + 144/3 + 169/2) - 3*8 = 12*137/56 - 24
    h = 12 * 137 / 56 - 24
    r = compare_groups(df, "x", "g")
    assert r.test == "Kruskal-Wallis H" and r.df == 2.0
    assert r.statistic == pytest.approx(h)
    assert r.p_value == pytest.approx(math.exp(-h / 2))  # chi-square(2) survival = exp(-x/2)
    assert r.effect_size == pytest.approx(
        h / ((49 - 1) / (7 + 1))
    )  # Tomczak & Tomczak epsilon-squared
    assert r.effect_size_name == "epsilon-squared"


def test_compare_groups_min_n_missing_and_category_order() -> None:
    g = pd.Categorical(
        ["b", "b", "b", "a", "a", "a", "c", None, "a"], categories=["b", "a", "c", "z"]
    )
    df = pd.DataFrame({"g": g, "x": [5.0, 6, 7, 1, 2, 3, 9, 4, np.nan]})
    r = compare_groups(df, "x", "g", min_n=2)
    assert list(r.table.index) == ["b", "a", "c", "z"]
    assert r.groups == ("b", "a") and r.excluded_groups == ("c", "z")
    assert r.test == "Mann-Whitney U" and r.n == 6 and r.n_missing == 2
    assert r.effect_size == -1.0  # a (second) is entirely below b (first)
    assert r.table["in_test"].tolist() == [True, True, False, False]


def test_compare_groups_degenerate() -> None:
    one = compare_groups(pd.DataFrame({"g": ["a", "a"], "x": [1.0, 2.0]}), "x", "g")
    assert one.test.startswith("none") and math.isnan(one.p_value)
    same = compare_groups(pd.DataFrame({"g": list("aabbcc"), "x": [3.0] * 6}), "x", "g")
    assert (same.statistic, same.p_value, same.effect_size) == (0.0, 1.0, 0.0)


def test_compare_groups_table_holm_family() -> None:
    rng = np.random.default_rng(7)
    g = np.repeat(["a", "b"], 30)
    df = pd.DataFrame(
        {
            "g": g,
            "shift": np.r_[rng.normal(0, 1, 30), rng.normal(3, 1, 30)],
            "null": rng.normal(0, 1, 60),
            "empty": np.nan,
        }
    )
    t = compare_groups_table(df, ["shift", "null", "empty"], "g")
    p = t["p_value"].to_numpy()
    lo, hi = sorted(p[:2])
    # Holm over the two non-NaN tests by hand: smallest * 2, the other * 1 but not below the first
    expected = {lo: min(1.0, 2 * lo), hi: max(min(1.0, 2 * lo), hi)}
    assert t.loc[0, "p_holm"] == pytest.approx(expected[p[0]])
    assert t.loc[1, "p_holm"] == pytest.approx(expected[p[1]])
    assert np.isnan(t.loc[2, "p_holm"])
    assert t["significant"].tolist() == [True, False, False]
    assert t.loc[0, "effect_size"] > 0.8  # b clearly higher


def test_two_sample_ordinal_hand_computed() -> None:
    # x vs y pairs: only (3, 3) tie -> U_x = 0.5; r = 1 - 2*0.5/16 = 0.9375
    r = two_sample_ordinal([1, 2, 2, 3, np.nan], [3, 4, 4, 5], labels=("2021", "2022"))
    assert r.statistic == 0.5 and r.effect_size == pytest.approx(0.9375)
    assert r.groups == ("2021", "2022") and r.n_missing == 1 and r.n == 8


# -------------------------------------------------------------------------------------------- two_proportions


@pytest.mark.parametrize(
    ("c1", "n1", "c2", "n2", "low", "high"),
    [  # Newcombe (1998) Stat Med 17:873-890, Table II, method 10 (hybrid score); difference = p2 - p1 here
        (48, 80, 56, 70, 0.0524, 0.3339),
        (3, 10, 9, 10, 0.1705, 0.8090),
    ],
)
def test_two_proportions_newcombe_table_2(
    c1: int, n1: int, c2: int, n2: int, low: float, high: float
) -> None:
    r = two_proportions(c1, n1, c2, n2)
    assert r.ci_low == pytest.approx(low, abs=1e-4) and r.ci_high == pytest.approx(high, abs=1e-4)
    assert r.ci_method == "Newcombe hybrid score"


def test_two_proportions_both_zero_is_wilson_limits() -> None:
    # p1 = p2 = 0, difference p2 - p1: Newcombe's limits reduce to (-u1, u2), u = Wilson upper limits
    # z^2/(n + z^2) of group 1 (n = 10) and group 2 (n = 20)
    z2 = sps.norm.ppf(0.975) ** 2
    r = two_proportions(0, 10, 0, 20)
    assert r.difference == 0
    assert r.ci_low == pytest.approx(-z2 / (10 + z2), abs=1e-10)  # -0.2775
    assert r.ci_high == pytest.approx(z2 / (20 + z2), abs=1e-10)  # 0.1611


def test_two_proportions_fagerland_example() -> None:
    # Fagerland, Lydersen & Laake (2015) SMMR 24:224-254: 7/34 vs 1/34, Newcombe hybrid score 0.019 to 0.34
    r = two_proportions(1, 34, 7, 34)
    assert r.ci_low == pytest.approx(0.019, abs=0.005) and r.ci_high == pytest.approx(
        0.340, abs=0.005
    )
    assert r.test == "Fisher's exact test"  # expected counts 4 < 5


def test_two_proportions_score_test_is_pearson_z() -> None:
    p1, p2 = 48 / 80, 56 / 70
    pooled = 104 / 150
    z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / 80 + 1 / 70))
    r = two_proportions(48, 80, 56, 70)
    assert r.test == "score test for two proportions"
    assert r.statistic == pytest.approx(z)
    assert r.p_value == pytest.approx(2 * sps.norm.sf(abs(z)))
    assert r.effect_size == pytest.approx(
        2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    )
    assert r.effect_size_name == "Cohen's h"


def test_two_proportions_fisher_tea_tasting() -> None:
    # Fisher's lady tasting tea, table [[3, 1], [1, 3]]: hypergeometric probabilities 1, 16, 36, 16, 1 (/70);
    # two-sided p sums those <= 16/70 -> 34/70
    r = two_proportions(3, 4, 1, 4)
    assert r.test == "Fisher's exact test"
    assert r.p_value == pytest.approx(34 / 70)
    assert r.difference == pytest.approx(-0.5)


def test_two_proportions_cohens_h_known_value_and_empty() -> None:
    # h for 0.5 -> 1.0: 2*(pi/2) - 2*(pi/4) = pi/2
    assert two_proportions(10, 20, 20, 20).effect_size == pytest.approx(math.pi / 2)
    e = two_proportions(0, 0, 3, 10)
    assert e.test == "none" and math.isnan(e.difference) and e.p2 == 0.3


# ----------------------------------------------------------------------------------------------- regression

TWO_BY_TWO = pd.DataFrame(
    {"g": ["a"] * 20 + ["b"] * 20, "y": [1] * 5 + [0] * 15 + [1] * 10 + [0] * 10}
)
# odds a = 5/15, odds b = 10/10 -> OR = 3; Woolf SE of log OR = sqrt(1/5 + 1/15 + 1/10 + 1/10)
WOOLF_SE = math.sqrt(1 / 5 + 1 / 15 + 1 / 10 + 1 / 10)
# likelihood-ratio G^2 = 2 sum O ln(O/E), E from the pooled rate 15/40
G2 = 2 * (
    5 * math.log(5 / 7.5)
    + 15 * math.log(15 / 12.5)
    + 10 * math.log(10 / 7.5)
    + 10 * math.log(10 / 12.5)
)


def test_logistic_two_by_two_hand_computed() -> None:
    r = logistic_regression(TWO_BY_TWO, "y", ["g"])
    row = r.table.set_index("term").loc["g[T.b]"]
    assert row["odds_ratio"] == pytest.approx(3.0, rel=1e-6)
    assert row["se"] == pytest.approx(WOOLF_SE, rel=1e-5)
    z = sps.norm.ppf(0.975)
    assert row["ci_low"] == pytest.approx(math.exp(math.log(3) - z * WOOLF_SE), rel=1e-4)
    assert row["ci_high"] == pytest.approx(math.exp(math.log(3) + z * WOOLF_SE), rel=1e-4)
    assert r.lr_stat == pytest.approx(G2, rel=1e-6) and r.lr_df == 1
    assert r.reference_levels == {"g": "a"}
    assert (r.n, r.n_events, r.n_parameters, r.epv) == (40, 15, 1, 15.0)
    assert r.estimable and r.warning == ""


def test_logistic_recovers_known_or_on_simulated_data() -> None:
    rng = np.random.default_rng(2024)
    n = 2000
    g = rng.choice(["A", "B"], n)
    x = rng.normal(size=n)
    eta = -0.5 + math.log(2.0) * (g == "B") + 0.5 * x
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    df = pd.DataFrame({"g": pd.Series(g, dtype="string"), "x": x, "y": y})
    df.loc[:9, "x"] = np.nan  # ten incomplete rows
    r = logistic_regression(df, "y", ["g", "x"])
    t = r.table.set_index("term")
    assert r.n == 1990 and r.n_dropped == 10
    assert abs(math.log(t.loc["g[T.B]", "odds_ratio"]) - math.log(2.0)) < 0.25
    assert t.loc["g[T.B]", "ci_low"] < 2.0 < t.loc["g[T.B]", "ci_high"]
    assert abs(t.loc["x", "coef"] - 0.5) < 0.15


def test_logistic_epv_warning_and_separation() -> None:
    small = pd.DataFrame({"g": ["a"] * 6 + ["b"] * 6, "y": [1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0]})
    r = logistic_regression(small, "y", ["g"])
    assert r.epv == 5.0 and "events per parameter" in r.warning and r.estimable
    sep = pd.DataFrame({"g": ["a"] * 10 + ["b"] * 10, "y": [0, 1] * 5 + [1] * 10})
    s = logistic_regression(sep, "y", ["g"])
    assert not s.estimable and "separation" in s.warning and s.table["odds_ratio"].isna().all()
    cont = pd.DataFrame({"x": np.arange(20.0), "y": [0] * 10 + [1] * 10})
    c = logistic_regression(cont, "y", ["x"])
    assert not c.estimable and "separation" in c.warning


def test_logistic_input_checks() -> None:
    with pytest.raises(ValueError, match="0/1"):
        logistic_regression(pd.DataFrame({"y": [1, 2, 1, 2], "x": [1.0, 2, 3, 4]}), "y", ["x"])
    with pytest.raises(ValueError, match="fewer than two"):
        logistic_regression(pd.DataFrame({"y": [1, 0, 1, 0], "g": ["a"] * 4}), "y", ["g"])
    as_bool = TWO_BY_TWO.assign(y=TWO_BY_TWO["y"].astype(bool))
    assert logistic_regression(as_bool, "y", ["g"]).n_events == 15


def test_ordinal_two_levels_equals_logistic_hand_values() -> None:
    # with two outcome categories the proportional-odds model is the logistic model
    r = ordinal_logit(TWO_BY_TWO, "y", ["g"])
    row = r.table.set_index("term").loc["g[T.b]"]
    assert row["odds_ratio"] == pytest.approx(3.0, rel=1e-4)
    assert row["se"] == pytest.approx(WOOLF_SE, rel=1e-3)
    assert r.lr_stat == pytest.approx(G2, rel=1e-5) and r.lr_df == 1
    # threshold-only log-likelihood: 15 ln(15/40) + 25 ln(25/40)
    assert r.llnull == pytest.approx(15 * math.log(15 / 40) + 25 * math.log(25 / 40))
    assert r.thresholds.index.tolist() == ["0|1"]
    assert r.thresholds.iloc[0] == pytest.approx(math.log(3), rel=1e-4)  # cut = -logit(5/20) = ln 3


def test_ordinal_recovers_planted_effect() -> None:
    rng = np.random.default_rng(11)
    n = 400
    g = np.repeat(["A", "B"], n // 2)
    latent = 1.0 * (g == "B") + rng.logistic(size=n)
    y = np.digitize(latent, [-1.0, 0.0, 1.0, 2.0]) + 1.0  # item codes 1-5
    df = pd.DataFrame({"group": pd.Categorical(g), "y": y})
    df.loc[0, "y"] = np.nan
    r = ordinal_logit(df, "y", ["group"])
    coef = r.table.set_index("term").loc["group[T.B]"]
    assert abs(coef["coef"] - 1.0) < 0.3 and coef["p_value"] < 0.001
    assert r.converged and r.estimable and r.n == 399 and r.n_dropped == 1
    assert r.outcome_levels == (1.0, 2.0, 3.0, 4.0, 5.0) and r.reference_levels == {"group": "A"}
    assert r.lr_p < 0.001 and r.lr_stat > 0
    assert list(r.thresholds.index) == ["1|2", "2|3", "3|4", "4|5"]
    assert np.all(np.diff(r.thresholds.to_numpy()) > 0)


def test_ordinal_separation_and_degenerate_outcome_do_not_raise() -> None:
    sep = pd.DataFrame(
        {"g": ["a"] * 10 + ["b"] * 10, "y": [1, 2, 3, 1, 2, 3, 1, 2, 3, 1] + [3] * 10}
    )
    r = ordinal_logit(sep, "y", ["g"])
    assert not r.estimable and "separation" in r.warning and r.table["coef"].isna().all()
    flat = ordinal_logit(pd.DataFrame({"g": ["a", "b"] * 3, "y": [2.0] * 6}), "y", ["g"])
    assert not flat.converged and "fewer than two" in flat.warning


def test_holm_leaves_the_garbage_collector_as_it_was() -> None:
    """holm() freezes gc around statsmodels' explicit gc.collect(); the freeze must not outlive the call."""
    import gc

    assert gc.get_freeze_count() == 0
    assert holm([0.01, 0.04, 0.03, 0.005]).round(4).tolist() == [0.03, 0.06, 0.06, 0.02]
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's own freeze is left alone
    try:
        assert gc.get_freeze_count() > 0
        assert holm([0.02, 0.01]).round(4).tolist() == [0.02, 0.02]
        # still frozen (an unfreeze would empty the permanent generation; frozen objects may still be freed
        # by reference counting meanwhile, so the exact count can drop a little)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_paired_change_does_not_depend_on_the_order_of_the_pairs() -> None:
    """Pairs arrive in pseudonym order, which the key decides: the result must be the same to the last bit."""
    rng = np.random.default_rng(7)
    pre = rng.integers(1, 6, size=(61, 4)).mean(axis=1)
    post = np.clip(pre + rng.normal(0.4, 0.7, size=61), 1, 5)
    first = paired_change(pre, post)
    for seed in range(5):
        perm = np.random.default_rng(seed).permutation(61)
        again = paired_change(pre[perm], post[perm])
        assert again.mean_change == first.mean_change  # bit for bit, not approximately
        assert again == first


# ------------------------------------------------------------------------------ ties on paper are ties
def test_paired_change_equal_differences_on_a_one_third_grid_are_one_tie() -> None:
    """The issue's reproducer: 4 - 10/3 and 10/3 - 8/3 are both 2/3 and must share one rank.

    By hand: d = (+2/3, -2/3), both |d| ranked 1.5, W+ = W- = 1.5, r = 0. With a tie scipy's "auto" takes the
    exact sign-flip enumeration ("permutation"): 4 equally likely sign patterns, all with min(W+, W-) <= 1.5,
    so p = 1. Before rounding, float noise ranked them 1 and 2 (r = 1/3, method "exact").
    """
    r = paired_change([8 / 3, 4], [10 / 3, 10 / 3])
    assert (r.w_plus, r.w_minus, r.effect_size) == (1.5, 1.5, 0.0)
    assert r.method == "permutation"
    assert r.p_value == 1.0
    assert (r.n_increase, r.n_decrease, r.n_zero) == (1, 1, 0)


def test_paired_change_noise_around_zero_is_a_zero_difference() -> None:
    """A difference of 1e-16 (0.1 + 0.2 - 0.3) is no change: it is dropped as a zero, not ranked as a rise."""
    r = paired_change([0.3, 1.0, 2.0, 1.0], [0.1 + 0.2, 2.0, 3.0, 2.0])
    assert (r.n_zero, r.n_increase, r.n_pairs) == (1, 3, 4)
    assert r.effect_size == 1.0


def test_compare_groups_ties_float_noise_between_groups() -> None:
    """0.1 + 0.2 and 0.3 are one value: the Mann-Whitney ranks tie and scipy uses the tie-corrected normal
    approximation (without rounding the values looked untied and the exact test ran).

    By hand: x = (0.3, 1), y = (0.3, 2); pooled ranks 1.5, 1.5, 3, 4; U_x = 1.5 + 3 - 3 = 1.5, r = 1 - 2 * 1.5 / 4
    = 0.25.
    """
    r = two_sample_ordinal([0.1 + 0.2, 1.0], [0.3, 2.0])
    assert r.options["method"] == "asymptotic"
    assert r.statistic == 1.5
    assert r.effect_size == 0.25
    # descriptive figures keep the values as they are
    assert r.table.loc["x", "mean"] == pytest.approx(0.65)
