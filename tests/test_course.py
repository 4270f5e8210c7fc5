"""Tests for sosrake_lib.course: hand-computed funnel / paired-change cases and the planted course effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sosrake_lib import course, disclosure
from sosrake_lib.synthetic import PLANTED

P = PLANTED["course"]
SAMPLE = "data/raw/sample/"


@pytest.fixture(scope="module")
def data() -> course.CourseData:
    return course.load_course_data(
        SAMPLE + "course_enrolment_2021.csv",
        SAMPLE + "course_pre_2021.csv",
        SAMPLE + "course_post_2021.csv",
        SAMPLE + "course_feedback_2021.xlsx",
    )


# ---------------------------------------------------------------------------------------------------- funnel
def test_funnel_hand_computed_counts_without_a_sampling_interval() -> None:
    # 10 enrolled; 8 started (one blank counts as not started); 5 completed. The register is the whole
    # cohort (a census): the funnel has counts and shares, no confidence interval.
    e = pd.DataFrame({"started": ["yes"] * 8 + ["no", None], "completed": ["yes"] * 5 + ["no"] * 5})
    f = course.completion_funnel(e, steps=("enrolled", "started", "completed"), min_n=1).set_index(
        "step"
    )
    assert f["n"].tolist() == [10, 8, 5]
    assert f["pct"].tolist() == [100.0, 80.0, 50.0]
    assert float(f.loc["completed", "pct_of_previous"]) == pytest.approx(62.5)
    assert not any("ci" in c for c in f.columns)


def test_completion_by_wilson_interval_is_labelled_future_cohorts() -> None:
    # 5 of 10 completed: Wilson 95 %: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964
    e = pd.DataFrame({"g": ["a"] * 10, "completed": ["yes"] * 5 + ["no"] * 5})
    t = course.completion_by(e, "g", min_n=1).iloc[0]
    z = 1.959963985
    centre, half = (0.5 + z**2 / 20), z * np.sqrt(0.25 / 10 + z**2 / 400)
    assert float(t["ci_low_future"]) == pytest.approx(
        100 * (centre - half) / (1 + z**2 / 10), abs=1e-6
    )
    assert float(t["ci_high_future"]) == pytest.approx(
        100 * (centre + half) / (1 + z**2 / 10), abs=1e-6
    )
    assert float(t["ci_low_future"]) == pytest.approx(23.66, abs=0.01)
    labels = course.localise(course.completion_by(e, "g", min_n=1), "fi").columns
    assert "95 % LV alaraja (tulevat kohortit)" in labels
    assert (
        "95% CI low (future cohorts)" in course.localise(course.completion_by(e, "g"), "en").columns
    )


def test_funnel_small_step_is_suppressed() -> None:
    e = pd.DataFrame({"started": ["yes"] * 8 + ["no"] * 2, "completed": ["yes"] * 3 + ["no"] * 7})
    f = course.completion_funnel(e, steps=("enrolled", "started", "completed"), min_n=2).set_index(
        "step"
    )
    assert int(f.loc["started", "n"]) == 8 and int(f.loc["completed", "n"]) == 3
    f = course.completion_funnel(e, steps=("enrolled", "started", "completed"), min_n=5).set_index(
        "step"
    )
    assert pd.isna(f.loc["completed", "n"]) and pd.isna(f.loc["completed", "pct"])


def test_funnel_hides_a_small_difference_of_nested_steps() -> None:
    """Who completed had started: 10 enrolled, 9 started, 6 completed. With started published, 10 - 9 = 1
    person never started: started goes, enrolled and completed stay (their difference, 4, is small too at
    min_n 5, so there completed goes as well: only the enrolled are left)."""
    e = pd.DataFrame({"started": ["yes"] * 9 + ["no"], "completed": ["yes"] * 6 + ["no"] * 4})
    f = course.completion_funnel(e, steps=("enrolled", "started", "completed"), min_n=3).set_index(
        "step"
    )
    assert pd.isna(f.loc["started", ["n", "pct", "pct_of_previous"]]).all()
    assert int(f.loc["completed", "n"]) == 6 and pd.isna(
        f.loc["completed", "pct_of_previous"]
    )  # 6/9 gives 9
    assert f.attrs["suppressed_cells"] == 4
    f = course.completion_funnel(e, steps=("enrolled", "started", "completed"), min_n=5).set_index(
        "step"
    )
    assert f["n"].isna().tolist() == [False, True, True]
    # steps that are not nested say nothing exact about anybody: contact day 2 without day 1 is possible
    e = pd.DataFrame(
        {"contact_day1": ["yes"] * 8 + ["no"] * 2, "contact_day2": ["no"] * 2 + ["yes"] * 8}
    )
    f = course.completion_funnel(e, steps=("contact_day1", "contact_day2"), min_n=5)
    assert f["n"].tolist() == [8, 8]


@pytest.mark.parametrize("min_n", [5, 10, 20])
def test_funnel_on_sample_publishes_no_small_difference_of_nested_steps(
    data: course.CourseData, min_n: int
) -> None:
    e = data.enrolment
    f = course.completion_funnel(e, data.instruments["enrolment"], min_n=min_n).set_index("step")
    done = {
        s: (np.ones(len(e), bool) if s == "enrolled" else (e[s] == "yes").to_numpy())
        for s in f.index
    }
    shown = [s for s in f.index if pd.notna(f.loc[s, "n"])]
    for a in shown:
        for b in shown:
            if a != b and not (done[b] & ~done[a]).any():  # b within a
                assert not 0 < int(f.loc[a, "n"]) - int(f.loc[b, "n"]) < min_n, (a, b)
    assert {"enrolled", "completed"} <= set(shown)
    if (
        min_n == 5
    ):  # the sample: 58 started, 56 did M1 (2 stopped), 36 did M5 and 35 completed (1 stopped)
        assert (
            pd.isna(f.loc["M1", "n"])
            and pd.isna(f.loc["M5", "n"])
            and int(f.loc["started", "n"]) == 58
        )


def test_funnel_on_sample_recovers_planted_counts(data: course.CourseData) -> None:
    f = course.completion_funnel(data.enrolment, data.instruments["enrolment"], min_n=1).set_index(
        "step"
    )
    assert int(f.loc["enrolled", "n"]) == P["enrolled"] == 63
    assert int(f.loc["completed", "n"]) == P["completed"] == 35
    assert int(f.loc["started", "n"]) == P["started"]
    for module, n in P["module_counts"].items():
        assert int(f.loc[module, "n"]) == n
    assert float(f.loc["completed", "pct"]) == pytest.approx(100 * 35 / 63)
    assert f.loc["M1", "step_label"].startswith("Moduuli 1")


# ------------------------------------------------------------------------------------------- completion_by
def test_completion_by_group_on_sample(data: course.CourseData) -> None:
    t = course.completion_by(data.enrolment, "group", data.instruments["enrolment"]).set_index(
        "group"
    )
    for g, (done, n) in P["completed_by_group"].items():
        assert (int(t.loc[g, "completed"]), int(t.loc[g, "n"])) == (done, n)
    assert not t["suppressed"].any()
    assert t.loc["student", "label"] == "Opiskelija"


def test_completion_by_hides_small_rows_and_a_secondary_row() -> None:
    # a: 4 non-completers (small) -> hidden; then exactly one hidden row, so the next-smallest group (b, 12)
    # goes too, else a = total - b could be worked out. c (20) stays.
    e = pd.DataFrame(
        {
            "g": ["a"] * 10 + ["b"] * 12 + ["c"] * 20,
            "completed": ["yes"] * 6
            + ["no"] * 4
            + ["yes"] * 6
            + ["no"] * 6
            + ["yes"] * 10
            + ["no"] * 10,
        }
    )
    t = course.completion_by(e, "g").set_index("g")
    assert t["suppressed"].tolist() == [True, True, False]
    assert int(t.loc["c", "completed"]) == 10 and float(t.loc["c", "pct_completed"]) == 50.0
    assert t.attrs["suppressed_rows"] == 2


def test_completion_by_zero_cell_does_not_trigger() -> None:
    e = pd.DataFrame(
        {"g": ["a"] * 6 + ["b"] * 7, "completed": ["yes"] * 6 + ["yes"] * 2 + ["no"] * 5}
    )
    t = course.completion_by(e, "g", min_n=2).set_index("g")
    assert not t["suppressed"].any()  # a: 6 completers, 0 non-completers: zero describes nobody
    assert float(t.loc["a", "pct_completed"]) == 100.0


def test_completion_model_epv_on_sample(data: course.CourseData) -> None:
    table, res = course.completion_model(
        data.enrolment, ["group", "campus"], data.instruments["enrolment"]
    )
    assert res.n == 63 and res.n_events == 35 and res.n_parameters == 3
    assert res.epv == pytest.approx(28 / 3)
    assert "Peduzzi" in course.model_note(res, "fi") and "9,3" in course.model_note(res, "fi")
    assert len(table) == 3 and table["term_label"].str.contains("vrt.").all()


# ------------------------------------------------------------------------------------------ paired change
def _frames(pre: list[float], post: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"ps_{i}" for i in range(len(pre))]
    return pd.DataFrame({"A": pre}, index=ids), pd.DataFrame({"A": post}, index=ids)


def test_learning_change_ties_and_zeros_wilcox() -> None:
    # d = [1, 0, 2, -1, 0, 2]: zeros dropped; |d| = 1, 2, 1, 2 -> ranks 1.5, 3.5, 1.5, 3.5;
    # W+ = 1.5 + 3.5 + 3.5 = 8.5, W- = 1.5, r = (8.5 - 1.5) / 10 = 0.7; median d = (0 + 1) / 2 = 0.5.
    pre, post = _frames([1, 2, 3, 4, 5, 3], [2, 2, 5, 3, 5, 5])
    t = course.learning_change(pre, post, min_n=1).iloc[0]
    assert (int(t["n_pairs"]), int(t["n_zero"]), int(t["n_increase"]), int(t["n_decrease"])) == (
        6,
        2,
        3,
        1,
    )
    assert float(t["statistic"]) == 1.5
    assert float(t["effect_size"]) == pytest.approx(0.7)
    assert float(t["median_change"]) == 0.5
    assert float(t["mean_change"]) == pytest.approx(4 / 6)
    # what ran: tied |d| and zeros with 6 pairs -> scipy's permutation distribution (PairedChangeResult.method)
    assert t["zero_method"] == "wilcox" and t["test"] == "Wilcoxon signed-rank (permutation p)"


def test_learning_change_ties_and_zeros_pratt() -> None:
    # Pratt: zeros ranked too: |d| = 1,0,2,1,0,2 -> zeros 1.5, 1.5; ones 3.5, 3.5; twos 5.5, 5.5.
    # W+ = 3.5 + 5.5 + 5.5 = 14.5, W- = 3.5, S = 21 -> r = 11/21.
    pre, post = _frames([1, 2, 3, 4, 5, 3], [2, 2, 5, 3, 5, 5])
    t = course.learning_change(pre, post, zero_method="pratt", min_n=1).iloc[0]
    assert float(t["effect_size"]) == pytest.approx(11 / 21)
    assert t["zero_method"] == "pratt"


def test_learning_change_all_zero_differences() -> None:
    pre, post = _frames([3, 3, 4, 2, 5], [3, 3, 4, 2, 5])
    t = course.learning_change(pre, post, min_n=1).iloc[0]
    assert (
        float(t["p_value"]) == 1.0 and float(t["effect_size"]) == 0.0 and not bool(t["significant"])
    )


def test_learning_change_pairs_on_id_not_position() -> None:
    pre = pd.DataFrame({"A": [1.0, 2.0, 3.0, 9.9]}, index=["ps_a", "ps_b", "ps_c", "ps_only_pre"])
    post = pd.DataFrame({"A": [5.0, 3.0, 2.0]}, index=["ps_c", "ps_b", "ps_a"])  # reversed order
    t = course.learning_change(pre, post, min_n=1).iloc[0]
    # pairs: a 1->2, b 2->3, c 3->5: d = 1, 1, 2; the pre-only id is not a pair (9.9 is off the scale on purpose)
    assert int(t["n_pairs"]) == 3
    assert float(t["median_change"]) == 1.0 and float(t["mean_change"]) == pytest.approx(4 / 3)


def test_learning_change_holm_and_ranking() -> None:
    rng_pre = [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0]
    pre = pd.DataFrame(
        {"A": rng_pre, "B": rng_pre, "C": rng_pre}, index=[f"p{i}" for i in range(8)]
    )
    post = pd.DataFrame(
        {
            "A": [x + 1 for x in rng_pre],  # median +1, mean +1
            "B": [
                x + d for x, d in zip(rng_pre, [1, 1, 1, 1, 1, 2, 2, 2], strict=True)
            ],  # +1, 1.375
            "C": rng_pre,
        },
        index=pre.index,
    )  # no change
    t = course.learning_change(pre, post, min_n=1).set_index("area")
    # A and B tie on the median change (+1); B's larger mean change breaks the tie.
    assert t["gain_rank"].tolist() == [2, 1, 3]
    p = t["p_value"].astype(float)
    # Holm by hand over the family {A, B, C}: smallest p x 3, next x 2 (monotone), largest x 1, capped at 1.
    order = p.sort_values()
    expected = np.maximum.accumulate(np.minimum(1, order.to_numpy() * np.array([3, 2, 1])))
    assert t.loc[order.index, "p_holm"].astype(float).to_numpy() == pytest.approx(expected)
    assert course.gain_ranking(t.reset_index(), 2)["area"].tolist() == ["B", "A"]


def test_learning_change_hides_small_counts_of_risers_and_fallers() -> None:
    # regression (privacy scan): "Laski 1" / "Ei muutosta 2" were published beside n_pairs.
    # 12 pairs: 9 rose, 2 fell, 1 stayed. min_n 5: 2 and 1 are small, and together they are 3 people who did
    # not rise (12 - 9), so 9 goes too. min_n 10: 9 is small as well. n_pairs 12 stays.
    pre = pd.DataFrame({"A": [3.0] * 12}, index=[f"p{i}" for i in range(12)])
    post = pd.DataFrame({"A": [4.0] * 9 + [2.0, 2.0, 3.0]}, index=pre.index)
    t5 = course.learning_change(pre, post, min_n=5).iloc[0]
    assert t5["n_pairs"] == 12 and pd.isna(t5[["n_increase", "n_decrease", "n_zero"]]).all()
    wider = pd.DataFrame(
        {"A": [4.0] * 9 + [2.0] * 3 + [3.0] * 2}, index=[f"q{i}" for i in range(14)]
    )
    t_wide = course.learning_change(wider.assign(A=3.0), wider, min_n=5).iloc[
        0
    ]  # 3 + 2 = 5: 9 can stay
    assert t_wide["n_increase"] == 9 and pd.isna(t_wide[["n_decrease", "n_zero"]]).all()
    t10 = course.learning_change(pre, post, min_n=10).iloc[0]
    assert t10["n_pairs"] == 12 and pd.isna(t10[["n_increase", "n_decrease", "n_zero"]]).all()
    full = course.learning_change(pre, post, min_n=1).iloc[0]
    assert full[["n_increase", "n_decrease", "n_zero"]].tolist() == [9, 2, 1]
    # 11 tied |differences| of 1 get rank 6 each: W- = 2 * 6 = 12, W+ = 54, S = 66, r = 42 / 66.
    assert float(full["statistic"]) == 12.0 and float(full["effect_size"]) == pytest.approx(42 / 66)
    # W and r at full precision would give the hidden counts back (S = 2 W / (1 - r) = 66: 11 non-zero pairs):
    hidden = {"n_increase": 9, "n_decrease": None, "n_zero": None}  # (as if 9 were shown)
    assert disclosure.signed_rank_possible_values(
        12, hidden, effect_size=42 / 66, statistic=12.0
    ) == {"n_decrease": {2}, "n_zero": {1}}
    # ...so the published row hides W, p and Holm p and shows r at two decimals, where that still leaves two
    # possibilities for each hidden count; "significant" stays.
    for t in (t5, t10):
        assert pd.isna(t[["statistic", "p_value", "p_holm"]]).all()
        assert float(t["effect_size"]) == 0.64 and t["significant"] == full["significant"]
    assert disclosure.signed_rank_possible_values(
        12, hidden, effect_size=0.64, decimals={"effect_size": 2}
    ) == {"n_decrease": {1, 2}, "n_zero": {1, 2}}


def test_holm_p_that_carries_a_hidden_rows_p_is_hidden() -> None:
    # A: 17 rose, 1 stayed, 2 fell (two hidden counts, so A's p is hidden); B: 14 rose, 6 fell (nothing hidden).
    # p_A < p_B < 2 p_A, so Holm gives B max(2 p_A, p_B) = 2 p_A: B's Holm p would give A's hidden p back.
    idx = [f"p{i}" for i in range(20)]
    pre = pd.DataFrame({"A": [3.0] * 20, "B": [3.0] * 20}, index=idx)
    post = pd.DataFrame(
        {"A": [4.0] * 17 + [3.0, 2.0, 2.0], "B": [4.0] * 14 + [2.75] * 6}, index=idx
    )
    full = course.learning_change(pre, post, min_n=1).set_index("area")
    p_a, p_b = float(full.loc["A", "p_value"]), float(full.loc["B", "p_value"])
    assert p_a == pytest.approx(5.7906e-4, rel=1e-3) and p_b == pytest.approx(1.04167e-3, rel=1e-3)
    assert float(full.loc["B", "p_holm"]) == pytest.approx(2 * p_a)
    t = course.learning_change(pre, post, min_n=5).set_index("area")
    assert pd.isna(t.loc["A", ["statistic", "p_value", "p_holm"]]).all()
    assert pd.isna(t.loc["B", "p_holm"]) and float(t.loc["B", "p_value"]) == pytest.approx(p_b)
    assert t.loc["B", ["n_increase", "n_decrease", "n_zero"]].tolist() == [14, 6, 0]
    assert bool(t.loc["A", "significant"]) and bool(t.loc["B", "significant"])


def test_learning_change_suppresses_areas_with_few_pairs() -> None:
    pre, post = _frames([1, 2, 3], [2, 3, 4])
    t = course.learning_change(pre, post, min_n=5).iloc[0]
    assert pd.isna(t["n_pairs"]) and pd.isna(t["median_change"]) and pd.isna(t["gain_rank"])


def test_area_scores_leave_dont_know_out() -> None:
    from sosrake_lib.codebook import load_instrument

    inst = load_instrument("course_selfassessment")
    items = inst.area_items()["raportointi"]
    df = pd.DataFrame(
        {
            "participant_id": ["ps_a", "ps_b"],
            items[0]: [2.0, np.nan],
            items[1]: [4.0, np.nan],
            items[2]: [np.nan, 5.0],
        }
    )
    s = course.area_scores(df, inst)
    assert s.loc["ps_a", "raportointi"] == 3.0  # EOS (NaN) left out: mean of 2 and 4
    assert np.isnan(
        s.loc["ps_b", "raportointi"]
    )  # 1 of 3 items < half: no score rather than a guess


def test_learning_on_sample_recovers_planted_gains(data: course.CourseData) -> None:
    inst = data.instruments["selfassessment"]
    pre, post = course.area_scores(data.pre, inst), course.area_scores(data.post, inst)
    t = course.learning_change(pre, post, inst).set_index("area")
    assert set(t.index) == set(P["gains"])
    for area in P["top_gains"]:
        assert bool(t.loc[area, "significant"]), area
        assert int(t.loc[area, "gain_rank"]) <= 3
    for area in P["no_gain"]:
        assert not bool(t.loc[area, "significant"]), area
    assert set(course.gain_ranking(t.reset_index(), 3)["area"]) == set(P["top_gains"])


def test_pair_accounting_hand_case() -> None:
    e = pd.DataFrame(
        {"participant_id": [f"p{i}" for i in range(12)], "completed": ["yes"] * 7 + ["no"] * 5}
    )
    pre = [f"p{i}" for i in range(12)]  # everybody answered before
    post = [f"p{i}" for i in range(7)] + ["x1"]  # the 7 completers and one id not in the register
    t = course.pair_accounting(e, pre, post, min_n=1).set_index("status")
    assert t.loc["completed_yes", ["enrolled", "answered_pre", "paired", "pre_only"]].tolist() == [
        7,
        7,
        7,
        0,
    ]
    assert t.loc["completed_no", ["enrolled", "paired", "pre_only"]].tolist() == [5, 0, 5]
    assert t.loc["not_in_register", ["answered_post", "post_only"]].tolist() == [1, 1]
    assert t.loc["total", ["paired", "pre_only"]].tolist() == [7, 5]
    hidden = course.pair_accounting(e, pre, post, min_n=5).set_index("status")
    assert pd.isna(hidden.loc["not_in_register", "answered_post"])  # a cell of 1 person is hidden


def test_pair_accounting_on_sample(data: course.CourseData) -> None:
    inst = data.instruments["selfassessment"]
    t = course.pair_accounting(
        data.enrolment, data.pre["participant_id"], data.post["participant_id"], min_n=1
    ).set_index("status")
    assert int(t.loc["total", "answered_pre"]) == P["n_pre"]
    assert int(t.loc["total", "answered_post"]) == P["n_post"]
    assert (
        int(t.loc["not_in_register", "answered_pre"]) == 0
    )  # ids match across files after pseudonymising
    pre, post = course.area_scores(data.pre, inst), course.area_scores(data.post, inst)
    assert int(t.loc["total", "paired"]) == len(pre.index.intersection(post.index))


# ----------------------------------------------------------------------------------------------- feedback
def test_feedback_parts_on_sample(data: course.CourseData) -> None:
    parts = course.feedback_parts(data.feedback, data.instruments["feedback"])
    ranked = parts.sort_values("rank")
    assert ranked.iloc[0]["part"] == P["best_part"]
    assert ranked.iloc[-1]["part"] == P["weakest_part"]
    assert int(parts["n"].max()) == P["n_feedback"]


def test_feedback_items_keep_dont_know_apart(data: course.CourseData) -> None:
    inst = data.instruments["feedback"]
    t = course.feedback_items(data.feedback, inst, min_n=1).set_index(
        "item"
    )  # unsuppressed: the arithmetic
    row = t.loc["FB_LAH1"]
    answers = t.attrs["answer_labels"] + t.attrs["nsa_labels"]
    assert float(row[answers].astype(float).sum()) == pytest.approx(100.0)
    raw = data.feedback["FB_LAH1"]
    assert int(row["n_valid"]) == int(raw.notna().sum())
    assert float(row["mean"]) == pytest.approx(float(raw.mean()))  # NaN (EOS) not in the mean
    assert int(row["n_total"]) - int(row["n_valid"]) == int(
        (data.feedback["FB_LAH1__nsa"] == "dont_know").sum()
    )


def test_key_figures_names_and_gain_notes(data: course.CourseData) -> None:
    ei, si, fi = (data.instruments[k] for k in ("enrolment", "selfassessment", "feedback"))
    pre, post = course.area_scores(data.pre, si), course.area_scores(data.post, si)
    change = course.learning_change(pre, post, si)
    kf = course.key_figures(
        course.completion_funnel(data.enrolment, ei),
        change,
        course.feedback_parts(data.feedback, fi),
        course.feedback_nps(data.feedback),
        n_pairs=len(pre.index.intersection(post.index)),
        area_inst=si,
        part_inst=fi,
    )
    names = [k.name for k in kf]
    for required in (
        "enrolled",
        "completed",
        "completion_rate",
        "n_pairs",
        "gain_rank_1",
        "gain_rank_2",
        "gain_rank_3",
        "best_part",
        "weakest_part",
        "nps",
    ):
        assert required in names
    rate = kf["completion_rate"]  # the whole cohort: a census fact, no sampling interval
    assert (
        rate.value == pytest.approx(100 * 35 / 63) and rate.ci_low is None and rate.ci_high is None
    )
    assert "census" in rate.method and "Wilson" not in rate.method
    assert kf["gain_rank_1"].note.startswith("area=")
    assert (
        "rank-biserial" in kf["gain_rank_1"].note
        and "zero_method=wilcox" in kf["gain_rank_1"].method
    )


def test_published_feedback_and_nps_give_no_hidden_count_away(data: course.CourseData) -> None:
    """Shares of n_total are counts: a small one is hidden with a second one, and neither the mean, the SD,
    the top-2 % nor the NPS lets it be worked back (brute force over every possibility)."""
    from sosrake_lib.disclosure import disclosed, nps_possible_values, possible_values

    inst = data.instruments["feedback"]
    t = course.feedback_items(data.feedback, inst, min_n=5)
    answers, nsa = t.attrs["answer_labels"], t.attrs["nsa_labels"]

    def val(v):
        return None if pd.isna(v) else float(v)

    hidden_rows = 0
    for _, r in t[t["n_total"].notna()].iterrows():
        shares = {c: val(r[c]) for c in [*answers, *nsa]}
        assert not any(
            v is not None and 0 < v * r["n_total"] / 100 < 5 - 1e-9 for v in shares.values()
        )
        rounded = {"mean": 1, "sd": 1} if any(shares[c] is None for c in answers) else {}
        for c in (
            rounded
        ):  # where a scale answer is hidden the statistics are published at one decimal only
            assert pd.isna(r[c]) or float(r[c]) == round(float(r[c]), 1)
        values = possible_values(
            {c: None for c in shares},
            {c: i + 1 for i, c in enumerate(answers)},
            int(r["n_total"]),
            pct_of_total=shares,
            n_valid=val(r["n_valid"]),
            mean=val(r["mean"]),
            sd=val(r["sd"]),
            top=answers[-2:],
            top_pct=val(r["top_box_pct"]),
            decimals=rounded,
        )
        assert disclosed(values) == [], (r["item"], values)
        hidden_rows += bool(values)
    assert hidden_rows > 0  # the sample has small answer groups: the check is not vacuous
    res = course.feedback_nps(data.feedback)
    row = course.nps_table(res, min_n=5).iloc[0]
    groups = {g: val(row[g]) for g in ("promoters", "passives", "detractors")}
    assert any(
        v is None for v in groups.values()
    )  # the sample's course has fewer than 5 detractors
    assert disclosed(nps_possible_values(int(row["n"]), val(row["nps"]), groups)) == []
    assert float(row["nps"]) == pytest.approx(res.nps)  # the NPS itself is still published
    # its full-precision interval would give promoters + detractors, hence both: 33 people, NPS +48.5 -> only
    # one split fits the adjusted-Wald interval, even rounded to whole points, so it is hidden
    exact = nps_possible_values(
        int(row["n"]), res.nps, groups, ci_low=res.ci_low, ci_high=res.ci_high
    )
    assert disclosed(exact) == ["promoters", "passives", "detractors"]
    assert exact["detractors"] == {res.detractors}
    whole = nps_possible_values(
        int(row["n"]),
        res.nps,
        groups,
        ci_low=round(res.ci_low),
        ci_high=round(res.ci_high),
        decimals={"ci_low": 0, "ci_high": 0},
    )
    assert disclosed(whole) and pd.isna(row["ci_low"]) and pd.isna(row["ci_high"])


@pytest.mark.parametrize("min_n", [5, 10])
def test_published_learning_rows_give_no_hidden_count_away(
    data: course.CourseData, min_n: int
) -> None:
    """Every published learning row with a hidden count: its statistic, r and p cannot give the count back
    (brute force over every assignment; r matched at the precision it is published)."""
    inst = data.instruments["selfassessment"]
    pre, post = course.area_scores(data.pre, inst), course.area_scores(data.post, inst)
    t = course.learning_change(pre, post, inst, min_n=min_n)
    parts = ["n_increase", "n_decrease", "n_zero"]
    checked = 0
    for _, r in t[t["n_pairs"].notna()].iterrows():
        if not r[parts].isna().any():
            continue
        assert pd.isna(r[["statistic", "p_value", "p_holm"]]).all()
        r_pub = None if pd.isna(r["effect_size"]) else float(r["effect_size"])
        assert r_pub is None or r_pub == round(r_pub, 2)  # two decimals at most
        counts = {c: (None if pd.isna(r[c]) else int(r[c])) for c in parts}
        # audited at two decimals (the stricter reading); a value the audit then flags must be a one-decimal one
        values = disclosure.signed_rank_possible_values(
            int(r["n_pairs"]), counts, effect_size=r_pub, decimals={"effect_size": 2}
        )
        if disclosure.disclosed(values):
            assert r_pub == round(r_pub, 1)
            values = disclosure.signed_rank_possible_values(
                int(r["n_pairs"]), counts, effect_size=r_pub, decimals={"effect_size": 1}
            )
        assert values and disclosure.disclosed(values) == [], (r["area"], values)
        checked += 1
    assert checked >= 3  # the sample's planted gains leave few fallers: the check is not vacuous
    assert t["effect_size"].notna().sum() == len(t)  # ...and r stays published in every row here


def test_completion_model_hides_terms_whose_two_by_two_has_a_small_cell(
    data: course.CourseData,
) -> None:
    # b: 3 of 20 completed. The OR of b vs a with its Wald CI is the 2 x 2 table: a 15/5, b 3/17 gives
    # OR = (3 * 5) / (17 * 15) = 0.0588 and SE(log OR) = sqrt(1/3 + 1/17 + 1/15 + 1/5) = 0.812, from which
    # the "3" follows. c (12/8) is published; with the reference a small (a: 4/16) every term would go.
    e = pd.DataFrame(
        {
            "g": pd.Categorical(["a"] * 20 + ["b"] * 20 + ["c"] * 20, categories=["a", "b", "c"]),
            "completed": ["yes"] * 15
            + ["no"] * 5
            + ["yes"] * 3
            + ["no"] * 17
            + ["yes"] * 12
            + ["no"] * 8,
        }
    )
    full, _ = course.completion_model(e, ["g"], min_n=1)
    assert float(full.loc[0, "odds_ratio"]) == pytest.approx(3 * 5 / (17 * 15))
    t, _ = course.completion_model(e, ["g"], min_n=5)
    assert t["term"].tolist() == ["g[T.b]", "g[T.c]"]
    assert pd.isna(t.loc[0, ["n", "odds_ratio", "ci_low", "ci_high", "p_value"]]).all()
    assert int(t.loc[1, "n"]) == 20 and float(t.loc[1, "odds_ratio"]) == pytest.approx(
        12 * 5 / (8 * 15)
    )
    small_ref = e.assign(
        completed=["yes"] * 4 + ["no"] * 16 + ["yes"] * 10 + ["no"] * 10 + ["yes"] * 12 + ["no"] * 8
    )
    assert course.completion_model(small_ref, ["g"], min_n=5)[0]["odds_ratio"].isna().all()
    # the sample: Kajaani has 4 completers of 10, hidden in the campus table, so its term is hidden as well
    model, _ = course.completion_model(data.enrolment, inst=data.instruments["enrolment"], min_n=5)
    kajaani = model.set_index("term").loc["campus[T.kajaani]"]
    assert pd.isna(kajaani[["n", "odds_ratio", "p_value"]]).all()
    by_campus = course.completion_by(
        data.enrolment, "campus", data.instruments["enrolment"], min_n=5
    )
    assert pd.isna(by_campus.set_index("campus").loc["kajaani", "n"])


def _cell_bounds(
    pub_rows: pd.DataFrame,
    pub_cols: pd.DataFrame,
    pub_pairs: pd.DataFrame,
    rows: str,
    cols: str,
    layer: str,
    grand: int,
) -> dict[tuple[str, str], tuple[float, float]]:
    """What an attacker can say of each hidden UAS x campus cell of one layer (n, completed or not) from the
    three published tables: the smallest and largest value a linear program allows (cells >= 0, published
    cells fixed, visible row and column totals and the grand total as equations)."""
    from scipy.optimize import linprog

    cells = list(zip(pub_pairs[rows], pub_pairs[cols], strict=True))
    k = len(cells)
    a_eq, b_eq = [np.ones(k)], [grand]
    bounds = [(float(v), float(v)) if pd.notna(v) else (0.0, None) for v in pub_pairs[layer]]
    for key, pub in ((rows, pub_rows), (cols, pub_cols)):
        for level, v in zip(pub[key], pub[layer], strict=True):
            if pd.notna(v):
                a_eq.append(
                    np.array([1.0 if (r if key == rows else c) == level else 0.0 for r, c in cells])
                )
                b_eq.append(float(v))
    out = {}
    for i, cell in enumerate(cells):
        if bounds[i][0] == bounds[i][1]:
            continue
        obj = np.zeros(k)
        obj[i] = 1.0
        lo = linprog(obj, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs").fun
        hi = -linprog(-obj, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs").fun
        out[cell] = (lo, hi)
    return out


@pytest.mark.parametrize("min_n", [5, 10])
def test_linked_completion_tables_leave_no_hidden_cell_determined(
    data: course.CourseData, min_n: int
) -> None:
    """By campus, by UAS and by UAS x campus, published together: no hidden cell of any layer can be pinned
    down by a linear program over the published figures (and one by one they could)."""
    e, inst = data.enrolment, data.instruments["enrolment"]
    done = e["completed"].astype("object").eq("yes")
    grands = {"n": len(e), "completed": int(done.sum()), "not_completed": int((~done).sum())}
    u, c, uc = course.completion_linked(e, "uas", "campus", inst, min_n=min_n)
    for layer, grand in grands.items():
        for cell, (lo, hi) in _cell_bounds(u, c, uc, "uas", "campus", layer, grand).items():
            assert hi - lo >= 1 - 1e-9, (layer, cell, lo, hi)
    # the same tables suppressed one by one give Diak-Mikkeli away (campus Mikkeli minus Xamk-Mikkeli)
    u1, c1, uc1 = (
        course.completion_by(e, by, inst, min_n=5) for by in ("uas", "campus", ["uas", "campus"])
    )
    bounds = _cell_bounds(u1, c1, uc1, "uas", "campus", "not_completed", grands["not_completed"])
    assert bounds[("diak", "mikkeli")] == pytest.approx((2.0, 2.0))


def test_completion_model_hides_terms_of_levels_the_tables_hide(data: course.CourseData) -> None:
    # the campus table hides Kuopio (as Kajaani's second) and Kajaani: an OR of Mikkeli against Kuopio with its
    # interval would give Kuopio's counts back roughly (a 2 x 2 inversion gives 16/9 against the true 17/11),
    # and Kajaani's by subtraction, so both campus terms go; the reference becomes Mikkeli, the largest shown
    e, inst = data.enrolment, data.instruments["enrolment"]
    by_group = course.completion_by(e, "group", inst)
    _, by_campus, _ = course.completion_linked(e, "uas", "campus", inst)
    hidden = {
        "group": by_group.loc[by_group["suppressed"], "group"],
        "campus": by_campus.loc[by_campus["suppressed"], "campus"],
    }
    assert set(hidden["campus"]) == {"kuopio", "kajaani"} and hidden["group"].empty
    t, res = course.completion_model(e, ["group", "campus"], inst, hidden_levels=hidden)
    assert res.reference_levels["campus"] == "mikkeli" and res.n == 63
    t = t.set_index("term")
    assert (
        pd.isna(t.loc[["campus[T.kuopio]", "campus[T.kajaani]"], ["n", "odds_ratio", "ci_low"]])
        .all()
        .all()
    )
    assert (
        int(t.loc["group[T.student]", "n"]) == 25
        and 0.1 < float(t.loc["group[T.student]", "odds_ratio"]) < 1
    )


def test_a_version_two_baseline_is_read_with_the_codebook_it_was_asked_with() -> None:
    # The 2022 competence export rewords C_VT2 (now C_VT2b): read with the first codebook its answers were
    # dropped and the reworded item was reported absent. The baseline must be read like the competence run.
    b = "data/raw/sample/2022/"
    d = course.load_course_data(
        b + "course_enrolment_2022.csv",
        b + "course_pre_2022.csv",
        b + "course_post_2022.csv",
        b + "course_feedback_2022.xlsx",
        b + "competence_2022.xlsx",
    )
    inst = d.instruments["baseline"]
    assert inst.version == 2
    assert d.baseline is not None and d.baseline["C_VT2b"].notna().any()
    assert not d.logs["baseline"].get("absent_items")
    scores = course.area_scores(d.baseline, inst, role="competence")
    assert scores["vaikuttavuustieto"].notna().any()


def test_the_2020_baseline_is_still_read_with_the_first_codebook() -> None:
    d = course.load_course_data(
        SAMPLE + "course_enrolment_2021.csv",
        SAMPLE + "course_pre_2021.csv",
        SAMPLE + "course_post_2021.csv",
        SAMPLE + "course_feedback_2021.xlsx",
        SAMPLE + "competence_2020.xlsx",
    )
    assert d.instruments["baseline"].version == 1
