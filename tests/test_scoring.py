"""Tests of sosrake_lib.scoring against published reference values and hand-computed examples."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sosrake_lib.scoring import (
    NSA_LABELS,
    ScoringWarning,
    alpha_ci_method,
    borich_needs,
    cronbach_alpha,
    likert_table,
    nps,
    nps_by,
    scale_scores,
    top_box,
)

Z95 = 1.959963984540054  # standard normal 97.5 % quantile

# ----------------------------------------------------------------------------------------- Cronbach alpha

# Likert questionnaire, 15 respondents x 10 items (real-statistics.com; pingouin's "cronbach_alpha" data set).
# Reference from R: psych::alpha(x)  raw_alpha = 0.591719, Feldt 95 % CI 0.195 .. 0.840
# (values printed in pingouin's cronbach_alpha docstring and asserted in its tests, "compared with psych").
LIKERT_15x10 = pd.DataFrame(
    {
        "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
        "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
        "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
        "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
        "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
        "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
        "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
        "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
        "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
        "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
    }
)

# Binary items with missing values, 12 x 11 (real-statistics.com; pingouin's "cronbach_wide_missing").
# R: psych::alpha(x, use = "pairwise")            raw_alpha = 0.732661, Feldt CI 0.435 .. 0.909
# R: psych::alpha(x[complete.cases(x), ])          raw_alpha = 0.801695, Feldt CI 0.533 .. 0.947
_N = np.nan
BINARY_MISSING = pd.DataFrame(
    [
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
        [_N, 0, 1, 1, _N, 1, 1, 1, 1, 0, 0],
        [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
        [0, 1, _N, 0, 1, 1, 1, 1, 0, 0, 0],
        [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
        [1, 0, 0, 1, 0, 1, 0, 0, _N, 0, 0],
        [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    ],
    columns=[f"Q{i}" for i in range(1, 12)],
    dtype=float,
)


def test_alpha_matches_psych_complete_data():
    res = cronbach_alpha(LIKERT_15x10)
    assert res.alpha == pytest.approx(0.591719, abs=1e-6)
    assert res.ci_low == pytest.approx(0.195, abs=5e-4)
    assert res.ci_high == pytest.approx(0.840, abs=5e-4)
    assert (res.n_respondents, res.n_items) == (15, 10)


def test_alpha_matches_psych_pairwise_with_missing_values():
    res = cronbach_alpha(BINARY_MISSING, nan_policy="pairwise")
    assert res.alpha == pytest.approx(0.732661, abs=1e-6)
    assert res.ci_low == pytest.approx(0.435, abs=5e-4)
    assert res.ci_high == pytest.approx(0.909, abs=5e-4)
    assert (res.n_respondents, res.n_items) == (12, 11)


def test_alpha_listwise_matches_psych_on_complete_cases():
    res = cronbach_alpha(BINARY_MISSING, nan_policy="listwise")
    assert res.alpha == pytest.approx(0.801695, abs=1e-6)
    assert res.ci_low == pytest.approx(0.533, abs=5e-4)
    assert res.ci_high == pytest.approx(0.947, abs=5e-4)
    assert res.n_respondents == 9  # three rows have a missing item


def test_alpha_hand_computed_two_items():
    # Q1 = 1 2 3 4, Q2 = 2 1 4 3: var = 5/3 each; deviations (-1.5,-.5,.5,1.5) x (-.5,-1.5,1.5,.5) -> cov = 3/3 = 1
    # sum(C) = 10/3 + 2 = 16/3; alpha = 2/1 * (1 - (10/3)/(16/3)) = 2 * 6/16 = 0.75
    res = cronbach_alpha(pd.DataFrame({"Q1": [1, 2, 3, 4], "Q2": [2, 1, 4, 3]}))
    assert res.alpha == pytest.approx(0.75, abs=1e-12)


def test_alpha_ci_uses_respondents_not_empty_rows():
    # Rows of people who skipped the whole block change neither alpha nor its CI (psych would count them in n).
    padded = pd.concat(
        [BINARY_MISSING, pd.DataFrame(np.nan, index=range(3), columns=BINARY_MISSING.columns)]
    )
    a, b = cronbach_alpha(BINARY_MISSING), cronbach_alpha(padded)
    assert b.n_respondents == 12
    assert (b.alpha, b.ci_low, b.ci_high) == pytest.approx((a.alpha, a.ci_low, a.ci_high))


def test_alpha_pairwise_counts_rows_with_two_answers():
    df = pd.DataFrame(
        {"a": [1, 2, 3, 4, 5], "b": [1, 3, 2, 5, np.nan], "c": [2, 2, 3, np.nan, np.nan]}
    )
    assert cronbach_alpha(df).n_respondents == 4  # last row has one answer only
    assert cronbach_alpha(df, nan_policy="listwise").n_respondents == 3


def test_alpha_nan_policy_raise_and_bad_policy():
    with pytest.raises(ValueError, match="missing"):
        cronbach_alpha(BINARY_MISSING, nan_policy="raise")
    assert cronbach_alpha(LIKERT_15x10, nan_policy="raise").alpha == pytest.approx(
        0.591719, abs=1e-6
    )
    with pytest.raises(ValueError, match="nan_policy"):
        cronbach_alpha(LIKERT_15x10, nan_policy="omit")


def test_alpha_single_item_is_an_error():
    with pytest.raises(ValueError, match="at least two items"):
        cronbach_alpha(LIKERT_15x10[["Q1"]])


def test_alpha_non_numeric_column_is_an_error():
    df = LIKERT_15x10[["Q1", "Q2"]].assign(Q2=lambda d: d["Q2"].astype(str))
    with pytest.raises(ValueError, match="'Q2' is not numeric"):
        cronbach_alpha(df)


def test_alpha_all_nan_is_nan_with_warning():
    df = pd.DataFrame(np.nan, index=range(5), columns=["a", "b", "c"])
    with pytest.warns(ScoringWarning, match="undefined"):
        res = cronbach_alpha(df)
    assert math.isnan(res.alpha) and math.isnan(res.ci_low) and math.isnan(res.ci_high)
    assert res.n_respondents == 0


def test_alpha_zero_variance_item_is_dropped_like_psych():
    df = pd.DataFrame({"Q1": [1, 2, 3, 4], "Q2": [2, 1, 4, 3], "const": [3, 3, 3, 3]})
    with pytest.warns(ScoringWarning, match="const"):
        res = cronbach_alpha(df)
    assert res.alpha == pytest.approx(0.75)  # the hand-computed two-item value
    assert res.n_items == 2


def test_alpha_no_variance_at_all_is_nan():
    df = pd.DataFrame({"a": [3, 3, 3], "b": [2, 2, 2]})
    with pytest.warns(ScoringWarning):
        res = cronbach_alpha(df)
    assert math.isnan(res.alpha)


def _likert_with_gaps(n: int = 80, seed: int = 4) -> pd.DataFrame:
    """Three correlated 1..5 items, about 10 % of the answers missing (seeded)."""
    rng = np.random.default_rng(seed)
    f = rng.standard_normal((n, 1))
    x = np.clip(np.rint(3 + f + rng.normal(0, 0.9, (n, 3))), 1, 5)
    x[rng.random(x.shape) < 0.1] = np.nan
    return pd.DataFrame(x, columns=["a", "b", "c"])


def _alpha_by_pandas(x: pd.DataFrame) -> float:
    """Alpha from pandas' pairwise covariance (as psych::alpha), written out independently."""
    c = x.cov().to_numpy()
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


@pytest.mark.parametrize("data", ["likert_15x10", "gaps"])
def test_alpha_bca_matches_an_independent_scipy_bootstrap(data):
    """The BCa interval is scipy's BCa of the pairwise alpha with respondents resampled: the same call with a
    plain, unvectorised pandas statistic and the same seed gives the same interval (the vectorised alpha of
    every resample equals pandas' pairwise cov); it contains the point estimate and is reproducible."""
    x = LIKERT_15x10 if data == "likert_15x10" else _likert_with_gaps()
    res = cronbach_alpha(x, ci_method="bca", n_resamples=999, seed=7)
    assert res.ci_method == "bca"
    assert res.alpha == pytest.approx(_alpha_by_pandas(x), abs=1e-12)
    assert (
        res.alpha == cronbach_alpha(x).alpha
    )  # the point estimate does not depend on the interval
    ref = stats.bootstrap(
        (np.arange(len(x)),),
        lambda idx: _alpha_by_pandas(x.iloc[np.asarray(idx, dtype=int)]),
        n_resamples=999,
        vectorized=False,
        method="BCa",
        confidence_level=0.95,
        rng=np.random.default_rng(7),
    ).confidence_interval
    assert (res.ci_low, res.ci_high) == pytest.approx((ref.low, ref.high), abs=1e-9)
    assert res.ci_low < res.alpha < res.ci_high
    assert cronbach_alpha(x, ci_method="bca", n_resamples=999, seed=7) == res  # seeded
    assert cronbach_alpha(x, ci_method="bca", n_resamples=999, seed=8) != res


#: BCa 95 % interval of alpha on LIKERT_15x10 with the defaults (2000 resamples, seed 0): recorded values, so
#: that a change in the bootstrap (resampling unit, seed use, scipy's BCa) shows up. Feldt gives 0.195 .. 0.840.
BCA_15x10 = (0.102, 0.851)


def test_alpha_bca_known_interval_on_the_psych_data():
    res = cronbach_alpha(LIKERT_15x10, ci_method="bca")
    assert res.alpha == pytest.approx(0.591719, abs=1e-6)
    assert (round(res.ci_low, 3), round(res.ci_high, 3)) == BCA_15x10


def test_alpha_ci_method_rule_missing_answers_call_for_bca():
    complete = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3]})
    assert alpha_ci_method(complete) == "feldt"
    assert alpha_ci_method(LIKERT_15x10) == "feldt"
    assert alpha_ci_method(BINARY_MISSING) == "bca"  # three answers missing
    one_gap = complete.copy()
    one_gap.loc[2, "a"] = np.nan
    assert alpha_ci_method(one_gap) == "bca"
    skipped = complete.copy()
    skipped.loc[2] = np.nan  # a person who skipped the whole block is not a missing answer
    assert alpha_ci_method(skipped) == "feldt"
    # answers piled at the top are no reason (benchmarks/alpha_coverage.py: BCa was not better there)
    assert alpha_ci_method(pd.DataFrame({"a": [5.0, 5, 5, 4], "b": [5.0, 5, 4, 3]})) == "feldt"


def test_alpha_unknown_ci_method_is_an_error():
    with pytest.raises(ValueError, match="ci_method"):
        cronbach_alpha(LIKERT_15x10, ci_method="percentile")


# ------------------------------------------------------------------------------------------- scale scores


def test_scale_scores_reverse_coding_and_min_valid():
    df = pd.DataFrame(
        {
            "Q1": [5, 4, np.nan, 1],
            "Q2": [4, np.nan, np.nan, 1],
            "Q7": [1, 2, 5, np.nan],
        },
        index=["r1", "r2", "r3", "r4"],
    )
    out = scale_scores(df, {"S": ["Q1", "Q2", "-Q7"], "plain": ["Q7"]})
    # r1: (5 + 4 + (1+5-1)) / 3 = 14/3; r2: (4 + 4) / 2 = 4; r3: 1 of 3 < 1.5 -> NaN; r4: (1 + 1) / 2 = 1
    assert out.index.tolist() == ["r1", "r2", "r3", "r4"]
    assert out["S"].tolist()[:2] == pytest.approx([14 / 3, 4.0])
    assert math.isnan(out.loc["r3", "S"])
    assert out.loc["r4", "S"] == 1.0
    assert out["plain"].iloc[:3].tolist() == [1.0, 2.0, 5.0] and math.isnan(out.loc["r4", "plain"])


def test_scale_scores_min_valid_one_requires_all_items():
    df = pd.DataFrame({"a": [1, 2], "b": [3, np.nan]})
    out = scale_scores(df, {"s": ["a", "b"]}, min_valid=1.0)
    assert out["s"].iloc[0] == 2.0 and math.isnan(out["s"].iloc[1])


def test_scale_scores_other_scale_range_and_nullable_ints():
    df = pd.DataFrame(
        {"a": pd.array([0, 4, None], dtype="Int64"), "b": pd.array([4, 4, 2], dtype="Int64")}
    )
    out = scale_scores(df, {"s": ["-a", "b"]}, scale_min=0, scale_max=4, min_valid=0.5)
    # reversed a = 4 - a: row0 (4 + 4)/2 = 4; row1 (0 + 4)/2 = 2; row2 only b = 2
    assert out["s"].tolist() == [4.0, 2.0, 2.0]


def test_scale_scores_out_of_range_names_column_and_value():
    df = pd.DataFrame({"Q1": [1, 2], "Q2": [3, 9]})
    with pytest.raises(ValueError, match=r"'Q2'.*value 9"):
        scale_scores(df, {"S": ["Q1", "-Q2"]})


def test_scale_scores_missing_column():
    with pytest.raises(KeyError, match="Q9"):
        scale_scores(pd.DataFrame({"Q1": [1]}), {"S": ["Q1", "Q9"]})


def test_scale_scores_on_many_rows_matches_row_means():
    # Correctness at scale only; speed is measured in benchmarks/, never in a timed test.
    rng = np.random.default_rng(1)
    codes = rng.integers(1, 6, size=(200_000, 15)).astype(float)
    codes[rng.random(codes.shape) < 0.1] = np.nan
    df = pd.DataFrame(codes, columns=[f"Q{i}" for i in range(15)])
    scales = {"A": [f"Q{i}" for i in range(8)], "B": [f"-Q{i}" for i in range(8, 15)]}
    out = scale_scores(df, scales)
    assert out.shape == (200_000, 2)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_a = np.where(
            (~np.isnan(codes[:, :8])).sum(1) >= 4, np.nanmean(codes[:, :8], axis=1), np.nan
        )
        mean_b = np.where(
            (~np.isnan(codes[:, 8:])).sum(1) >= 3.5, np.nanmean(6 - codes[:, 8:], axis=1), np.nan
        )
    np.testing.assert_allclose(out["A"], mean_a)
    np.testing.assert_allclose(out["B"], mean_b)


# -------------------------------------------------------------------------------------------------- NPS

NPS_SAMPLE = [
    10,
    9,
    9,
    8,
    7,
    6,
    3,
    10,
    9,
    0,
    np.nan,
]  # 5 promoters, 2 passives, 3 detractors, 1 blank


def test_nps_adjusted_wald_hand_computed():
    res = nps(NPS_SAMPLE)
    assert (res.promoters, res.passives, res.detractors, res.n) == (5, 2, 3, 10)
    assert res.nps == pytest.approx(20.0)
    # Rocks (2016) adjusted Wald: +0.75 detractors, +1.5 passives, +0.75 promoters -> n = 13
    # p_pro = 5.75/13 = 0.442308, p_det = 3.75/13 = 0.288462, centre = 2/13 = 0.153846
    # var = 0.442308 + 0.288462 - 0.153846**2 = 0.707101; se = sqrt(0.707101 / 13) = 0.233221
    # CI = 100 * (0.153846 -/+ 1.959964 * 0.233221) = -30.33 .. 61.10
    assert res.ci_low == pytest.approx(-30.3257, abs=1e-3)
    assert res.ci_high == pytest.approx(61.0949, abs=1e-3)
    assert res.method == "adjusted_wald"


def test_nps_plain_wald_hand_computed():
    res = nps(NPS_SAMPLE, method="wald")
    # var = 0.5 + 0.3 - 0.2**2 = 0.76; se = sqrt(0.076) = 0.275681; half = 1.959964 * 0.275681 = 0.540325
    assert res.ci_low == pytest.approx(100 * (0.2 - Z95 * math.sqrt(0.076)), abs=1e-9)
    assert res.ci_low == pytest.approx(-34.0325, abs=1e-3)
    assert res.ci_high == pytest.approx(74.0325, abs=1e-3)
    assert res.method == "wald"


def test_nps_interval_is_clipped():
    res = nps([10] * 10)
    assert res.nps == 100.0
    assert res.ci_high == 100.0  # centre 10/13 + 1.96 * 0.150 > 1 before clipping
    assert -100 <= res.ci_low < 100
    low = nps([0] * 10, method="wald")
    assert (low.nps, low.ci_low, low.ci_high) == (-100.0, -100.0, -100.0)  # wald variance 0


def test_nps_empty_is_nan():
    for data in ([], [np.nan, np.nan], pd.Series([None, None], dtype="object")):
        res = nps(data)
        assert (
            res.n == 0
            and math.isnan(res.nps)
            and math.isnan(res.ci_low)
            and math.isnan(res.ci_high)
        )


@pytest.mark.parametrize("bad", [[5, 11], [-1, 5], [7.5], ["9", "10"]])
def test_nps_rejects_bad_scores(bad):
    with pytest.raises(ValueError):
        nps(bad)


def test_nps_by_groups():
    df = pd.DataFrame(
        {
            "unit": ["A"] * 4 + ["B"] * 3 + [None],
            "ltr": [10, 9, 6, 8, 0, 1, np.nan, 10],
        }
    )
    out = nps_by(df, "ltr", "unit")
    assert out["unit"].tolist() == ["A", "B"]  # the row without a unit is left out
    a = out.iloc[0]
    # A: 2 promoters, 1 passive, 1 detractor -> NPS = 100 * (2 - 1) / 4 = 25
    assert (a["n"], a["promoters"], a["passives"], a["detractors"]) == (4, 2, 1, 1)
    assert a["nps"] == pytest.approx(25.0)
    assert (a["pct_promoters"], a["pct_passives"], a["pct_detractors"]) == pytest.approx(
        (50.0, 25.0, 25.0)
    )
    assert (a["ci_low"], a["ci_high"]) == pytest.approx(nps([10, 9, 6, 8])[1:3])
    b = out.iloc[1]
    assert (b["n"], b["nps"]) == (2, -100.0)


# ------------------------------------------------------------------------------------------------ Borich


def _borich_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "imp_a": [5, 4, 5, 4],
            "com_a": [2, 3, 2, 3],
            "imp_b": [3, 3, 4, np.nan],
            "com_b": [3, 2, 4, 3],
        }
    )


def test_borich_hand_computed():
    out = borich_needs(_borich_data(), {"b": ("imp_b", "com_b"), "a": ("imp_a", "com_a")})
    # a: gaps 3,1,3,1 -> mean 2; mean importance 4.5; MWDS = 2 * 4.5 = 9
    # b: respondent 4 has no importance answer -> n = 3; gaps 0,1,0 -> 1/3; mean importance 10/3;
    #    MWDS = 1/3 * 10/3 = 10/9
    assert out["item"].tolist() == ["a", "b"]  # sorted by rank
    assert out["n"].tolist() == [4, 3]
    assert out["importance_mean"].tolist() == pytest.approx([4.5, 10 / 3])
    assert out["competence_mean"].tolist() == pytest.approx([2.5, 3.0])
    assert out["discrepancy_mean"].tolist() == pytest.approx([2.0, 1 / 3])
    assert out["mwds"].tolist() == pytest.approx([9.0, 10 / 9])
    assert out["rank"].tolist() == [1, 2]
    # equivalently sum((I - C) * mean(I)) / n
    assert out.loc[1, "mwds"] == pytest.approx(sum(g * (10 / 3) for g in [0, 1, 0]) / 3)


def test_borich_ties_share_the_smallest_rank():
    df = pd.DataFrame(
        {"i1": [5, 4], "c1": [3, 2], "i2": [5, 4], "c2": [3, 2], "i3": [2, 2], "c3": [2, 2]}
    )
    out = borich_needs(df, {"x": ("i1", "c1"), "y": ("i2", "c2"), "z": ("i3", "c3")})
    assert dict(zip(out["item"], out["rank"], strict=True)) == {"x": 1, "y": 1, "z": 3}


def test_borich_bootstrap_obvious_largest_need():
    rng = np.random.default_rng(42)
    n = 40
    imp = rng.integers(4, 6, size=n)
    df = pd.DataFrame(
        {
            "imp_big": imp,
            "com_big": imp - 3,  # gap of 3 for everybody
            "imp_small": rng.integers(3, 6, size=n),
            "com_small": rng.integers(3, 6, size=n),
        }
    )
    pairs = {"small": ("imp_small", "com_small"), "big": ("imp_big", "com_big")}
    out = borich_needs(df, pairs, n_boot=500, seed=7)
    big = out.set_index("item").loc["big"]
    assert (big["rank"], big["rank_ci_low"], big["rank_ci_high"]) == (1, 1, 1)
    assert big["mwds_ci_low"] <= big["mwds"] <= big["mwds_ci_high"]
    small = out.set_index("item").loc["small"]
    assert (small["rank_ci_low"], small["rank_ci_high"]) == (2, 2)
    # deterministic with the seed, and the seed matters
    again = borich_needs(df, pairs, n_boot=500, seed=7)
    pd.testing.assert_frame_equal(out, again)
    other = borich_needs(df, pairs, n_boot=500, seed=8)
    assert other.loc[1, "mwds_ci_low"] != out.loc[1, "mwds_ci_low"]


def test_borich_bootstrap_interval_covers_point_estimate_and_columns():
    out = borich_needs(
        _borich_data(), {"a": ("imp_a", "com_a"), "b": ("imp_b", "com_b")}, n_boot=200
    )
    assert list(out.columns) == [
        "item",
        "n",
        "importance_mean",
        "competence_mean",
        "discrepancy_mean",
        "mwds",
        "rank",
        "mwds_ci_low",
        "mwds_ci_high",
        "rank_ci_low",
        "rank_ci_high",
    ]
    assert (out["mwds_ci_low"] <= out["mwds_ci_high"]).all()


def test_borich_unanswered_item_is_nan_and_last():
    df = _borich_data().assign(imp_c=np.nan, com_c=np.nan)
    out = borich_needs(df, {"c": ("imp_c", "com_c"), "a": ("imp_a", "com_a")}, n_boot=50)
    assert out["item"].tolist() == ["a", "c"]
    c = out.iloc[1]
    assert (
        c["n"] == 0 and math.isnan(c["mwds"]) and pd.isna(c["rank"]) and pd.isna(c["rank_ci_low"])
    )


def test_borich_missing_column():
    with pytest.raises(KeyError):
        borich_needs(_borich_data(), {"a": ("imp_a", "nope")})


# ----------------------------------------------------------------------------------------- Likert tables

LABELS = {
    1: "Täysin eri mieltä",
    2: "Jokseenkin eri mieltä",
    3: "Ei samaa eikä eri mieltä",
    4: "Jokseenkin samaa mieltä",
    5: "Täysin samaa mieltä",
}


def test_likert_table_counts_nsa_and_top_box():
    df = pd.DataFrame(
        {
            "Q1": [5, 4, 4, 3, 1, np.nan, np.nan, np.nan],
            "Q1__nsa": pd.array([None] * 5 + ["dont_know", "not_applicable", None], dtype="string"),
            "Q2": [2, 2, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
        }
    )
    t = likert_table(df, ["Q1", "Q2"], LABELS).set_index("item")
    assert list(t.columns[:7]) == [*LABELS.values(), *NSA_LABELS.values()]
    q1 = t.loc["Q1"]
    assert [q1[label] for label in LABELS.values()] == [1, 0, 1, 2, 1]
    assert (q1["En osaa sanoa"], q1["Ei koske minua"]) == (1, 1)
    assert (q1["n_valid"], q1["n_total"]) == (5, 7)
    # mean of 5,4,4,3,1 = 17/5 = 3.4; sd = sqrt(((1.6)^2 + 2*(0.6)^2 + 0.4^2 + 2.4^2) / 4) = sqrt(9.2/4)
    assert q1["mean"] == pytest.approx(3.4)
    assert q1["sd"] == pytest.approx(math.sqrt(9.2 / 4))
    # top-2 box: 3 of 5 = 60 %; Wilson: centre (0.6 + z²/10)/(1 + z²/5) = 0.556553,
    # half = z * sqrt(0.6*0.4/5 + z²/100) / (1 + z²/5) = 0.325824 -> 23.07 .. 88.24 %
    assert (q1["top_box_n"], q1["top_box_pct"]) == (3, 60.0)
    assert q1["top_box_ci_low"] == pytest.approx(23.073, abs=1e-2)
    assert q1["top_box_ci_high"] == pytest.approx(88.238, abs=1e-2)
    q2 = t.loc["Q2"]  # no companion column: zero non-substantive answers
    assert (q2["En osaa sanoa"], q2["Ei koske minua"], q2["n_valid"], q2["n_total"]) == (0, 0, 2, 2)
    assert q2["sd"] == 0.0 and q2["top_box_n"] == 0


def test_likert_table_all_missing_item():
    df = pd.DataFrame({"Q1": [np.nan, np.nan]})
    row = likert_table(df, ["Q1"], LABELS).iloc[0]
    assert row["n_valid"] == 0 and math.isnan(row["mean"]) and math.isnan(row["top_box_pct"])
    assert math.isnan(row["top_box_ci_low"])


def test_likert_table_custom_nsa_labels_and_top():
    df = pd.DataFrame(
        {
            "Q1": [1, 2, 3, np.nan],
            "Q1__nsa": pd.array([None, None, None, "dont_know"], dtype="string"),
        }
    )
    t = likert_table(
        df,
        ["Q1"],
        {1: "huono", 2: "ok", 3: "hyvä"},
        top=1,
        nsa_labels={"dont_know": "Don't know", "not_applicable": "Not applicable"},
    )
    assert t.loc[0, "Don't know"] == 1 and t.loc[0, "top_box_n"] == 1


def test_likert_table_rejects_unknown_code_and_inconsistent_nsa():
    with pytest.raises(ValueError, match=r"'Q1' has code 7"):
        likert_table(pd.DataFrame({"Q1": [1, 7]}), ["Q1"], LABELS)
    bad = pd.DataFrame({"Q1": [4.0], "Q1__nsa": pd.array(["dont_know"], dtype="string")})
    with pytest.raises(ValueError, match="non-substantive"):
        likert_table(bad, ["Q1"], LABELS)
    odd = pd.DataFrame({"Q1": [np.nan], "Q1__nsa": pd.array(["maybe"], dtype="string")})
    with pytest.raises(ValueError, match="maybe"):
        likert_table(odd, ["Q1"], LABELS)


def test_top_box():
    res = top_box(pd.Series([5, 4, 4, 3, 1, np.nan]), scale_max=5, top=2)
    assert (res.count, res.n, res.pct) == (3, 5, 60.0)
    assert (res.ci_low, res.ci_high) == pytest.approx((23.073, 88.238), abs=1e-2)
    top1 = top_box([5, 4, 4, 3], scale_max=5, top=1)
    assert (top1.count, top1.n, top1.pct) == (1, 4, 25.0)
    empty = top_box(pd.Series([np.nan]))
    assert empty.n == 0 and math.isnan(empty.pct)
    with pytest.raises(ValueError, match="above scale_max"):
        top_box([6, 5], scale_max=5)


def test_borich_equal_needs_on_paper_share_a_rank() -> None:
    """MWDS of A = (1/10) * (42/10) and of B = (3/10) * (14/10) are both 0.42 on paper; in floating point
    A comes out 0.42000000000000004, which ranked A above B. Equal needs share rank 1 (pandas' "min"), and the
    bootstrap ranks treat them as ties too."""
    imp_a = [4] * 8 + [5] * 2  # sum 42
    com_a = [3] + imp_a[1:]  # one respondent one step below: gap sum 1
    imp_b = [1] * 6 + [2] * 4  # sum 14
    com_b = [1] * 6 + [1, 1, 1, 2]  # three gaps of 1: gap sum 3
    df = pd.DataFrame({"ia": imp_a, "ca": com_a, "ib": imp_b, "cb": com_b})
    assert (1 / 10) * (42 / 10) != (3 / 10) * (14 / 10)  # the float noise this test is about
    out = borich_needs(df, {"A": ("ia", "ca"), "B": ("ib", "cb")}, n_boot=200, seed=3)
    assert out["mwds"].round(12).tolist() == [0.42, 0.42]
    assert out["rank"].tolist() == [1, 1]
