"""Course pilot statistics that claim what the data support: rankings carry their uncertainty,
attrition is reported with a selection check, the completion rate of the whole cohort has no sampling interval, every p-value names its Holm family,
and test labels state what ran. Known values throughout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from sosrake_lib import course
from sosrake_lib.codebook import load_instrument
from sosrake_lib.course.ranking import (
    CLEAR_P,
    bootstrap_change_ranks,
    bootstrap_mean_ranks,
    rank_summary,
)
from sosrake_lib.scoring import nps
from sosrake_lib.stats import holm

SAMPLE = "data/raw/sample/"
FB = load_instrument("course_feedback")
SA = load_instrument("course_selfassessment")


@pytest.fixture(scope="module")
def data() -> course.CourseData:
    return course.load_course_data(
        SAMPLE + "course_enrolment_2021.csv",
        SAMPLE + "course_pre_2021.csv",
        SAMPLE + "course_post_2021.csv",
        SAMPLE + "course_feedback_2021.xlsx",
    )


def _feedback(part_values: dict[str, list[float]]) -> pd.DataFrame:
    """A feedback survey: every statement of a part gets that part's answers (one per respondent)."""
    areas = FB.area_items()
    cols: dict[str, list[float]] = {}
    for part, values in part_values.items():
        for item in areas[part]:
            cols[item] = list(values)
    return pd.DataFrame(cols)


def _funnel() -> pd.DataFrame:
    e = pd.DataFrame({"started": ["yes"] * 20, "completed": ["yes"] * 12 + ["no"] * 8})
    return course.completion_funnel(e, steps=("enrolled", "started", "completed"))


def _key_figures(parts: pd.DataFrame, change: pd.DataFrame) -> course.key_figures:  # type: ignore[valid-type]
    return course.key_figures(
        _funnel(),
        change,
        parts,
        nps([10] * 12 + [8] * 6 + [3] * 6),
        n_pairs=20,
        area_inst=SA,
        part_inst=FB,
    )


# ------------------------------------------------------------------------------------- A: rank uncertainty
RNG = np.random.default_rng(7)
MIXED = [float(v) for v in RNG.integers(2, 5, size=30)]  # answers 2..4, varied


def test_rank_summary_ties_share_a_place() -> None:
    # two replicates: a first in both; b and c equal in both -> they share 2nd and the last place
    b = np.array([[3.0, 1.0, 1.0], [2.0, 1.5, 1.5]])
    t = rank_summary([b])
    assert t["p_first"].tolist() == [1.0, 0.0, 0.0]
    assert t["p_last"].tolist() == [0.0, 0.5, 0.5]
    assert t["rank_ci_low"].tolist() == [1, 2, 2] and t["rank_ci_high"].tolist() == [1, 2, 2]
    # the second key breaks a tie of the first; float noise below 9 decimals is no difference
    first = np.array([[1.0, 1.0 + 1e-12]])
    assert rank_summary([first, np.array([[0.2, 0.1]])])["p_first"].tolist() == [1.0, 0.0]


def test_feedback_parts_planted_clear_winner_is_named() -> None:
    fb = _feedback(
        {
            "lahipaivat": [5.0] * 30,
            "sisalto": MIXED,
            "ohjaus": [v - 1 for v in MIXED],
            "hyoty": MIXED[::-1],
        }
    )
    parts = course.feedback_parts(fb, FB).set_index("part")
    assert parts.loc["lahipaivat", "rank"] == 1
    assert parts.loc["lahipaivat", "p_best"] == pytest.approx(1.0)
    assert parts.loc["ohjaus", "p_worst"] == pytest.approx(1.0)
    assert (parts.loc["lahipaivat", "rank_ci_low"], parts.loc["lahipaivat", "rank_ci_high"]) == (
        1,
        1,
    )
    assert parts["p_best"].sum() == pytest.approx(1.0)
    kf = _key_figures(parts.reset_index(), _change_clear())
    assert kf["best_part"].label_fi == "Parhaiten arvioitu osa: Lähipäivät"
    assert kf["best_part"].note.startswith("part=lahipaivat; P(best)=1; rank 95 % interval 1–1")
    assert "ei selvää eroa" not in kf["weakest_part"].label_fi


def test_feedback_parts_identical_top_two_no_clear_difference() -> None:
    fb = _feedback(
        {
            "lahipaivat": [5.0, 4.0] * 15,
            "hyoty": [5.0, 4.0] * 15,  # the same answers from every respondent: never apart
            "ohjaus": [3.0, 2.0] * 15,
        }
    )
    parts = course.feedback_parts(fb, FB).set_index("part")
    assert parts.loc["lahipaivat", "p_best"] == pytest.approx(0.5)
    assert parts.loc["hyoty", "p_best"] == pytest.approx(0.5)
    assert parts.loc["lahipaivat", "p_best"] < CLEAR_P
    kf = _key_figures(parts.reset_index(), _change_clear())
    fig = kf["best_part"]
    assert (
        fig.label_fi == "Parhaiten arvioitu osa: ei selvää eroa (Lähipäivät, Hyödyllisyys työssä)"
    )
    assert fig.label_en.startswith("Best rated part: no clear difference (")
    assert kf["weakest_part"].label_fi == "Heikoimmin arvioitu osa: Ohjaus"  # clear at the bottom


def test_feedback_rank_probabilities_are_seeded() -> None:
    fb = _feedback({"lahipaivat": MIXED, "hyoty": MIXED[1:] + MIXED[:1], "ohjaus": MIXED[::-1]})
    a = course.feedback_parts(fb, FB, seed=11)
    b = course.feedback_parts(fb, FB, seed=11)
    c = course.feedback_parts(fb, FB, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert 0 < a["p_best"].max() < 1  # close parts: a real probability, not a certainty
    assert not np.array_equal(a["p_best"].to_numpy(), c["p_best"].to_numpy())


def _change_clear() -> pd.DataFrame:
    pre = pd.DataFrame(
        {"raportointi": [2.0] * 20, "tiedonkeruu": [3.0] * 20, "yhteiso": [3.0] * 20},
        index=[f"p{i}" for i in range(20)],
    )
    post = pre.copy()
    post["raportointi"] = [4.0, 3.5, 4.5, 4.0] * 5  # +2 median: grows most in every replicate
    post["tiedonkeruu"] = [3.5, 3.0, 3.0, 4.0] * 5
    post["yhteiso"] = [3.0, 2.5, 3.5, 3.0] * 5
    return course.learning_change(pre, post, SA)


def test_learning_gain_planted_clear_winner() -> None:
    change = _change_clear().set_index("area")
    assert change.loc["raportointi", "gain_rank"] == 1
    assert change.loc["raportointi", "p_top_gain"] == pytest.approx(1.0)
    assert (
        change.loc["raportointi", "gain_rank_ci_low"],
        change.loc["raportointi", "gain_rank_ci_high"],
    ) == (1, 1)
    kf = _key_figures(
        course.feedback_parts(_feedback({"lahipaivat": MIXED}), FB), change.reset_index()
    )
    assert kf["gain_rank_1"].label_fi == "Suurin kasvu 1: Sosiaalinen raportointi"
    assert "P(largest gain)=1; rank 95 % interval 1–1" in kf["gain_rank_1"].note


def test_learning_gain_identical_areas_no_clear_difference() -> None:
    ids = [f"p{i}" for i in range(20)]
    pre = pd.DataFrame({"raportointi": [2.0] * 20, "tiedonkeruu": [2.0] * 20}, index=ids)
    post = pd.DataFrame(
        {"raportointi": [3.0, 3.5, 4.0, 2.5] * 5, "tiedonkeruu": [3.0, 3.5, 4.0, 2.5] * 5},
        index=ids,
    )
    change = course.learning_change(pre, post, SA)
    assert change["p_top_gain"].tolist() == [0.5, 0.5]
    kf = _key_figures(course.feedback_parts(_feedback({"lahipaivat": MIXED}), FB), change)
    label = kf["gain_rank_1"].label_en
    assert label.startswith("Largest gain 1, no clear difference (")
    assert "Social reporting" in label and "Gathering knowledge from client work" in label
    assert kf["gain_rank_1"].label_fi.startswith("Suurin kasvu 1, ei selvää eroa (")


def test_bootstrap_change_ranks_seeded_and_by_median_then_mean() -> None:
    d = pd.DataFrame(
        {"a": [1.0, 0.5, 0.0, 1.0, 0.5, 0.0] * 3, "b": [0.5, 1.0, 0.0, 0.5, 0.0, 1.0] * 3}
    )
    x = bootstrap_change_ranks(d, n_boot=500, seed=3)
    y = bootstrap_change_ranks(d, n_boot=500, seed=3)
    pd.testing.assert_frame_equal(x, y)
    assert x["p_first"].sum() == pytest.approx(1.0)
    assert 0.2 < x.loc["a", "p_first"] < 0.8  # same median, close means: no clear winner
    m = bootstrap_mean_ranks(pd.DataFrame({"a": [4.0, 5.0] * 10, "b": [1.0, 2.0] * 10}), n_boot=100)
    assert m["p_first"].tolist() == [1.0, 0.0] and m["p_last"].tolist() == [0.0, 1.0]


def test_infographic_says_no_clear_difference_for_the_top_gain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sosrake_lib.infographic import Context
    from sosrake_lib.infographic.course import _course_themes
    from sosrake_lib.outputs import KeyFigures

    kf = KeyFigures()
    kf.add(
        "gain_rank_1",
        0.5,
        "score change 1–5",
        n=20,
        label_fi="Suurin kasvu 1: Sosiaalinen raportointi",
        label_en="Largest gain 1: Social reporting",
    )
    kf.write(tmp_path, min_n=5)
    figures = {r["name"]: r for r in kf.to_frame().to_dict("records")}
    tables = tmp_path / "tables"
    tables.mkdir()
    head = "Osaamisalue,Kasvun sija,P(suurin kasvu) bootstrap\n"
    for p, expected in (("0.5", True), ("0.99", False)):
        (tables / "osaamisen_muutos.csv").write_text(
            head + f"Sosiaalinen raportointi,1,{p}\nTiedon kerääminen asiakastyöstä,2,0.5\n",
            encoding="utf-8",
        )
        ctx = Context(figures, "fi", 5, analysis="course", folder=tmp_path)
        items = _course_themes(ctx)
        assert items[0][0] == "Sosiaalinen raportointi"
        assert ("ei selvää eroa seuraavaan" in items[0][1]) is expected


# ------------------------------------------------------------------------------------------- B: attrition
def test_attrition_counts_on_the_sample(data: course.CourseData) -> None:
    pre = course.area_scores(data.pre, SA)
    post = course.area_scores(data.post, SA)
    full = course.attrition_counts(
        course.pair_accounting(data.enrolment, pre.index, post.index, min_n=1)
    )
    t = full.set_index("subset")
    # 52 answered before; 31 of them after too (pairs); 21 lost. Completers: 33 = 29 + 4.
    assert t["n"].tolist() == [52, 31, 21]
    assert t["completed"].tolist() == [33, 29, 4]
    assert float(t.loc["left", "pct_of_pre"]) == pytest.approx(100 * 21 / 52)
    assert float(t.loc["stayed", "pct_completed"]) == pytest.approx(100 * 29 / 31)
    # at min_n 5 the totals stay (the pair table keeps them), the completers' split (4 lost) is hidden
    pairs = course.pair_accounting(data.enrolment, pre.index, post.index, min_n=5)
    t5 = course.attrition_counts(pairs).set_index("subset")
    assert t5["n"].tolist() == [52, 31, 21]
    assert t5["completed"].isna().all() and t5["pct_completed"].isna().all()
    total = pairs.set_index("status").loc["total"]
    assert (total["answered_pre"], total["paired"], total["pre_only"]) == (52, 31, 21)


def test_attrition_comparison_known_values_and_holm_family() -> None:
    ids = [f"p{i}" for i in range(12)]
    pre = pd.DataFrame(
        {
            "A": [4.0, 5, 4, 5, 4, 3, 2, 1, 2, 3, 1, 2],  # the lost (last 6) started lower
            "B": [3.0, 3, 4, 2, 3, 4, 3, 4, 2, 3, 3, 4],
            "C": [3.0] * 12,
        },
        index=ids,
    )
    stayed = ids[:6]
    t = course.attrition_comparison(pre, stayed, min_n=5).set_index("area")
    left = pre.loc[ids[6:]]
    kept = pre.loc[stayed]
    for a in "ABC":
        ref = sps.mannwhitneyu(left[a], kept[a], alternative="two-sided", method="auto")
        assert float(t.loc[a, "statistic"]) == float(ref.statistic)
        assert float(t.loc[a, "p_value"]) == pytest.approx(ref.pvalue)
        assert float(t.loc[a, "effect_size"]) == pytest.approx(1 - 2 * ref.statistic / 36)
    assert float(t.loc["A", "mean_stayed"]) == pytest.approx(25 / 6)
    assert float(t.loc["A", "mean_left"]) == pytest.approx(11 / 6)
    assert float(t.loc["A", "effect_size"]) > 0.9  # stayed higher
    assert t["p_holm"].astype(float).tolist() == pytest.approx(
        holm(t["p_value"].astype(float).to_numpy())
    )
    assert set(t["family"]) == {"areas_compared"}
    assert (
        t["test"].str.startswith("Mann-Whitney U (normal approximation").all()
    )  # ties: scipy's asymptotic


def test_attrition_comparison_small_lost_group_is_hidden_and_out_of_the_family() -> None:
    ids = [f"p{i}" for i in range(12)]
    pre = pd.DataFrame(
        {"A": [4.0, 5, 4, 5, 4, 3, 2, 1, 2, 3, 1, 2], "B": [3.0, 3, 4, 2, 3, 4, 3] + [np.nan] * 5},
        index=ids,
    )
    t = course.attrition_comparison(pre, ids[:6], min_n=5).set_index("area")
    assert pd.isna(t.loc["B", ["n_left", "mean_left", "p_value", "p_holm", "statistic"]]).all()
    assert not bool(t.loc["B", "significant"])
    # A alone is the family: its Holm p is its own p
    assert float(t.loc["A", "p_holm"]) == pytest.approx(float(t.loc["A", "p_value"]))


def test_mann_whitney_label_names_the_exact_test_without_ties() -> None:
    pre = pd.DataFrame(
        {"A": [4.1, 5.2, 4.3, 5.4, 4.5, 1.6, 2.7, 1.8, 2.9, 3.05]}, index=list("abcdefghij")
    )
    t = course.attrition_comparison(pre, list("abcde"), min_n=5)
    assert t.loc[0, "test"] == "Mann-Whitney U (exact p)"


# ------------------------------------------------------------------------------------------------ C: census
def test_completion_rate_key_figure_has_no_interval() -> None:
    kf = _key_figures(course.feedback_parts(_feedback({"lahipaivat": MIXED}), FB), _change_clear())
    rate = kf["completion_rate"]
    assert rate.value == pytest.approx(60.0)
    assert rate.ci_low is None and rate.ci_high is None
    assert "whole cohort" in rate.method and "no sampling interval" in rate.method
    assert "ci_low" not in _funnel().columns


# ------------------------------------------------------------------------------------- D: Holm families
def test_learning_holm_family_is_all_areas_with_pairs() -> None:
    change = course.learning_change(
        *(_pre_post()),
        min_n=1,
    )
    p = change["p_value"].astype(float).to_numpy()
    assert change["p_holm"].astype(float).tolist() == pytest.approx(holm(p).tolist())
    assert set(change["family"]) == {"areas_with_pairs"}


def _pre_post() -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"p{i}" for i in range(10)]
    pre = pd.DataFrame(
        {"A": [1.0, 2, 3, 2, 1, 2, 3, 2, 1, 2], "B": [3.0] * 10, "C": [2.0] * 10}, index=ids
    )
    post = pd.DataFrame(
        {
            "A": [2.5, 3.1, 4.2, 3.3, 2.4, 2.9, 3.7, 4.0, 1.6, 3.15],
            "B": [3.2, 2.9, 3.3, 3.4, 2.6, 3.0, 3.1, 3.25, 3.35, 2.8],
            "C": [2.1, 2.2, 1.7, 2.35, 2.45, 1.85, 2.55, 2.65, 2.75, 1.95],
        },
        index=ids,
    )
    return pre, post


def test_model_odds_ratios_are_one_holm_family() -> None:
    e = pd.DataFrame(
        {
            "g": pd.Categorical(["a"] * 20 + ["b"] * 20 + ["c"] * 20, categories=["a", "b", "c"]),
            "h": pd.Categorical(["x", "y", "y"] * 20, categories=["x", "y"]),
            "completed": (["yes"] * 6 + ["no"] * 14)
            + (["yes"] * 12 + ["no"] * 8)
            + (["yes"] * 15 + ["no"] * 5),
        }
    )
    t, res = course.completion_model(e, ["g", "h"])
    fitted = res.table[res.table["term"] != "Intercept"].set_index("term")["p_value"]
    t = t.set_index("term")
    assert list(t.index) == list(fitted.index)
    assert t["p_holm"].astype(float).tolist() == pytest.approx(
        holm(fitted.to_numpy(dtype=float)).tolist()
    )
    assert set(t["family"]) == {"model_odds_ratios"}
    assert (t["p_holm"].astype(float) >= t["p_value"].astype(float)).all()


@pytest.mark.parametrize("c_done, carried", [(24, True), (23, False)])
def test_model_holm_p_carried_by_a_hidden_term_is_hidden(c_done: int, carried: bool) -> None:
    # b: 3 of 20 completed (a small cell): its term is hidden, p_b = 0.0167. With 24 of 30 in c, p_c =
    # 0.0177 < 2 p_b, so c's Holm p would be 2 p_b (Holm's running maximum) and give p_b back: hidden. With
    # 23 of 30, p_c = 0.0354 > 2 p_b: c (second of two) keeps its own p as Holm p.
    e = pd.DataFrame(
        {
            "g": pd.Categorical(["a"] * 30 + ["b"] * 20 + ["c"] * 30, categories=["a", "b", "c"]),
            "completed": (["yes"] * 15 + ["no"] * 15)
            + (["yes"] * 3 + ["no"] * 17)
            + (["yes"] * c_done + ["no"] * (30 - c_done)),
        }
    )
    t, res = course.completion_model(e, ["g"])
    t = t.set_index("term")
    p = res.table.set_index("term")["p_value"]
    assert p["g[T.b]"] == pytest.approx(0.016718, abs=1e-6)
    assert pd.isna(t.loc["g[T.b]", "p_value"]) and pd.isna(t.loc["g[T.b]", "p_holm"])
    assert float(t.loc["g[T.c]", "p_value"]) == pytest.approx(p["g[T.c]"])
    if carried:
        assert pd.isna(t.loc["g[T.c]", "p_holm"])
    else:
        assert float(t.loc["g[T.c]", "p_holm"]) == pytest.approx(p["g[T.c]"])


# ----------------------------------------------------------------------------------------- E: test labels
def test_learning_test_label_comes_from_the_method_that_ran() -> None:
    from sosrake_lib.stats import paired_change

    pre, post = _pre_post()
    t = course.learning_change(pre, post, min_n=1).set_index("area")
    for a in "ABC":
        method = paired_change(pre[a], post[a]).method
        expected = {
            "exact": "exact p",
            "permutation": "permutation p",
            "asymptotic": "normal approximation",
        }[method]
        assert t.loc[a, "test"] == f"Wilcoxon signed-rank ({expected})"
    assert t.loc["A", "test"] == "Wilcoxon signed-rank (exact p)"  # 10 distinct non-zero |d|
    # no non-zero difference: no test ran, and the label says so
    same = course.learning_change(pre[["B"]], pre[["B"]], min_n=1)
    assert same.loc[0, "test"] == "Wilcoxon signed-rank (not run: no non-zero difference)"


def test_learning_test_label_of_a_hidden_p_names_only_the_test(data: course.CourseData) -> None:
    pre, post = course.area_scores(data.pre, SA), course.area_scores(data.post, SA)
    t = course.learning_change(pre, post, SA, min_n=5)
    hidden = t["p_value"].isna() & t["n_pairs"].notna()
    assert hidden.any()
    assert (t.loc[hidden, "test"] == "Wilcoxon signed-rank").all()
    assert t.loc[~hidden, "test"].str.startswith("Wilcoxon signed-rank (").all()


def test_baseline_test_label_and_family() -> None:
    b = pd.DataFrame({"A": [1.0, 2.0, 2.0, 3.0, 2, 1], "B": [3.0, 3, 4, 4, 3, 2]})
    c = pd.DataFrame({"A": [3.0, 4.0, 4.0, 5.0, 4, 5], "B": [3.0, 4, 4, 3, 2, 3]})
    t = course.baseline_comparison(b, c, min_n=5)
    assert (
        t["test"].tolist() == ["Mann-Whitney U (normal approximation, continuity correction)"] * 2
    )
    assert t["p_holm"].astype(float).tolist() == pytest.approx(
        holm(t["p_value"].astype(float).to_numpy()).tolist()
    )
    assert set(t["family"]) == {"areas_compared"}
