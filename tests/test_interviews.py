"""Tests of sosrake_lib.interviews: hand-computed values and the effects planted in the sample data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import TEST_KEY

from sosrake_lib import interviews as iv
from sosrake_lib.synthetic import PLANTED, interviews_frame

P = PLANTED["interviews"]
EXPORTS = {s: f"data/raw/sample/interviews_{s}.csv" for s in ("2021-syksy", "2022-syksy")}
THEMES = ["saatavuus", "kohtaaminen", "turvallisuus", "tiedonsaanti", "hyodyllisyys"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return iv.load_exports(EXPORTS)


@pytest.fixture(scope="module")
def coded(sample: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return iv.code_open_answers(sample)


# ------------------------------------------------------------------------------------- known values
def test_semester_order_is_chronological() -> None:
    assert iv.semester_order(["2022-syksy", "2023-kevät", "2021-syksy", "2022-kevät"]) == [
        "2021-syksy",
        "2022-kevät",
        "2022-syksy",
        "2023-kevät",
    ]


def test_verdict_words() -> None:
    assert iv.verdict(0.65, 0.0001) == ("parani", "improved")
    assert iv.verdict(-3, 0.01) == ("heikkeni", "declined")
    assert iv.verdict(0.65, 0.05) == ("ei muutosta", "no change")  # p_holm must be below alpha


def test_nps_difference_hand_computed() -> None:
    # before: 3 promoters, 4 passives, 3 detractors; after: 6, 2, 2.  Adjusted Wald (+0.75/1.5/0.75):
    # v1 = (7.5/13 - 0) / 13, v2 = (9.5/13 - (4/13)^2) / 13; centre diff = 4/13.
    before = [10, 9, 9, 8, 8, 7, 7, 6, 5, 0]
    after = [10, 10, 9, 9, 9, 9, 8, 7, 3, 1]
    v1 = (7.5 / 13) / 13
    v2 = (9.5 / 13 - (4 / 13) ** 2) / 13
    se = math.sqrt(v1 + v2)
    r = iv.nps_difference(before, after)
    assert r["difference"] == 40.0
    assert r["ci_low"] == pytest.approx(100 * (4 / 13 - 1.959964 * se), abs=1e-3)
    assert r["ci_high"] == pytest.approx(100 * (4 / 13 + 1.959964 * se), abs=1e-3)
    assert r["statistic"] == pytest.approx((4 / 13) / se, rel=1e-9)
    assert "variance sum" in r["ci_method"] and "Wald z" in r["test"]


def test_theme_top2_counts_interviews_with_wilson_ci() -> None:
    # turvallisuus (one item): 5, 4, 4, 2 and a blank -> 3 of 4 agree; Wilson 95 % CI 30.06-95.44 %.
    toy = pd.DataFrame(
        {
            "semester": ["s"] * 5,
            "TU1": [5, 4, 4, 2, np.nan],
            "KO1": [5, 3, 2, 4, 4],
            "KO2": [4, 3, 5, 3, np.nan],
        }
    )
    t = iv.theme_top2(toy, min_n=1).set_index("theme")
    assert t.loc["turvallisuus", ["n", "top2_n"]].tolist() == [4, 3]
    assert float(t.loc["turvallisuus", "ci_low"]) == pytest.approx(30.06, abs=0.01)
    assert float(t.loc["turvallisuus", "ci_high"]) == pytest.approx(95.44, abs=0.01)
    # kohtaaminen means: 4.5, 3, 3.5, 3.5, 4 (one item of two is enough) -> 2 of 5 at least 4
    assert t.loc["kohtaaminen", ["n", "top2_n"]].tolist() == [5, 2]
    assert iv.theme_top2(toy, min_n=5).set_index("theme").loc["turvallisuus", "top2_pct"] is pd.NA
    # min_n = 3: kohtaaminen 2 of 5 agree -> the 2 is hidden with its % and CI; turvallisuus 3 of 4 -> the one
    # who did not agree (4 - 3) is a small cell too, so top2_n and its % go
    t3 = iv.theme_top2(toy, min_n=3).set_index("theme")
    for theme in ("kohtaaminen", "turvallisuus"):
        assert t3.loc[theme, ["top2_n", "top2_pct", "ci_low", "ci_high"]].isna().all(), theme
    assert t3.loc["kohtaaminen", "n"] == 5 and t3.loc["turvallisuus", "n"] == 4


def test_interviews_per_student_distribution_has_no_pseudonyms() -> None:
    toy = pd.DataFrame({"semester": ["a"] * 12, "student": list("ppqqrrsstuvw")})
    t = iv.interviews_per_student(toy, min_n=1, max_count=3)
    assert t["a"].tolist() == [4, 4, 0]  # t, u, v, w once; p, q, r, s twice
    assert not any("p" == str(v) for v in t.to_numpy().ravel())


def test_load_approved_quotes_reads_excel_resaved_file(tmp_path) -> None:
    p = tmp_path / "quotes_for_review.csv"
    p.write_text(
        "\ufeffquote_id,theme,quote,approved\nq001,asuminen,Asunto löytyi vihdoin,TRUE\n"
        "q002,asuminen,Minulle voi soittaa 040 123 4567,x\nq003,asuminen,Ei tämä,\n"
        "q004,asuminen,Ei tämäkään,FALSE\n",
        encoding="utf-8",
    )
    out = iv.load_approved_quotes(p)
    assert out["quote_id"].tolist() == ["q001", "q002"]
    assert out["quote"].tolist() == ["Asunto löytyi vihdoin", "Minulle voi soittaa [puhelinnumero]"]
    assert iv.load_approved_quotes("").empty


# ----------------------------------------------------------------------------- the planted sample
def test_counts_match_planted(sample: pd.DataFrame) -> None:
    c = iv.interview_counts(sample).set_index("semester")
    for sem in EXPORTS:
        assert c.loc[sem, "n_interviews"] == P["n_interviews"][sem]
        assert c.loc[sem, "n_students"] == P["students"][sem]
    dist = iv.interviews_per_student(sample)
    shown = dist.fillna(0).astype(int)
    assert (shown.to_numpy() == 0).any() or dist.attrs["suppressed_cells"] > 0
    assert set(dist.columns) == set(EXPORTS)


def test_small_service_is_suppressed(sample: pd.DataFrame) -> None:
    small = "Talous- ja velkaneuvonta"
    assert iv.service_counts(sample).loc[small].isna().all()
    n = iv.nps_table(sample, by=["semester", "service"])
    assert n.loc[n["service"] == small, ["n", "nps", "ci_low"]].isna().all().all()
    # secondary suppression: in every semester at least two services are hidden
    assert (n.groupby("semester")["n"].apply(lambda s: s.isna().sum()) >= 2).all()
    t = iv.theme_top2(sample, by="service")
    assert t.loc[t["service"] == small, "top2_pct"].isna().all()


def test_semester_change_recovers_planted_effect(sample: pd.DataFrame) -> None:
    c = iv.compare_semesters(sample)
    scores = c[c["family"] == "theme_score"].set_index("measure")
    assert scores.loc["kohtaaminen", "significant"]
    assert scores.loc["kohtaaminen", "verdict_fi"] == "parani"
    assert scores.loc["kohtaaminen", "difference"] == pytest.approx(
        P["theme_change_2022"]["kohtaaminen"], abs=0.3
    )
    for theme in set(THEMES) - {"kohtaaminen"}:
        assert not scores.loc[theme, "significant"], theme
        assert scores.loc[theme, "verdict_fi"] == "ei muutosta"
    # Holm across the five themes: p_holm >= p, and the family is the five themes only
    assert (scores["p_holm"] >= scores["p_value"]).all()
    assert scores.loc["kohtaaminen", "effect_size"] > 0.3  # rank-biserial r, 2022 higher
    n = c[c["family"] == "nps"].iloc[0]
    assert n["value_after"] > n["value_before"]
    assert n["difference"] == pytest.approx(
        P["nps_target"]["2022-syksy"] - P["nps_target"]["2021-syksy"], abs=15
    )
    assert n["ci_low"] < n["difference"] < n["ci_high"]


def test_open_missing_housing_share(sample: pd.DataFrame, coded: dict[str, pd.DataFrame]) -> None:
    f = iv.open_theme_frequencies(sample, coded)
    m = f[(f["question"] == "open_missing") & (f["theme"] == "asuminen")].set_index("semester")
    for sem, share in ((s, P["missing_themes"][s]["asuminen"]) for s in EXPORTS):
        assert float(m.loc[sem, "pct"]) / 100 == pytest.approx(share, abs=0.1), sem
    assert float(m.loc["2022-syksy", "pct"]) > float(m.loc["2021-syksy", "pct"])
    # counts of 1-4 answers are hidden
    shown = f["count"].dropna()
    assert not ((shown > 0) & (shown < 5)).any()


def test_quotes_and_uncoded_are_scrubbed(
    sample: pd.DataFrame, coded: dict[str, pd.DataFrame]
) -> None:
    q = iv.candidate_quotes(sample, coded, max_chars=120)
    assert len(q) > 0 and not q["approved"].any()
    assert q["quote"].str.len().max() <= 120
    assert not q["quote"].str.contains(r"\[|\d{3} ?\d{3}|@", regex=True).any()
    assert q["quote"].is_unique
    u = iv.uncoded_answers_table(sample, coded)
    assert not u["answer"].str.contains(r"\d{3} \d{3} \d{4}|@|ps_", regex=True).any()
    assert list(u.columns) == ["semester", "question", "question_label", "answer", "count"]


def test_key_figures_have_required_names(
    sample: pd.DataFrame, coded: dict[str, pd.DataFrame]
) -> None:
    top2 = iv.theme_top2(sample)
    kf = iv.build_key_figures(
        counts=iv.interview_counts(sample),
        top2=top2,
        nps_sem=iv.nps_table(sample),
        comparison=iv.compare_semesters(sample),
        open_freq=iv.open_theme_frequencies(sample, coded),
        semester="2022-syksy",
    )
    names = {k.name for k in kf}
    assert {"n_interviews", "n_students", "nps", "nps_change", "top_missing_theme"} <= names
    assert {f"{t}_top2" for t in THEMES} <= names
    assert kf["top_missing_theme"].value == "asuminen"
    assert kf["nps"].value == 30 and kf["nps_change"].value > 0
    k = kf["kohtaaminen_top2"]
    assert k.label_fi.startswith(f"{k.value}\u00a0%") and k.ci_low < k.value < k.ci_high


def test_three_semester_trend(tmp_path) -> None:
    """A synthetic third semester (2023: kohtaaminen stays at the improved level): Kendall tau-b trend."""
    exports = {}
    for k, sem in enumerate(("2021-syksy", "2022-syksy", "2023-syksy")):
        path = tmp_path / f"interviews_{sem}.csv"
        interviews_frame(90, sem, seed=50 + k).to_csv(path, index=False)
        exports[sem] = path
    df = iv.load_exports(exports, key=TEST_KEY)
    assert list(df["semester"].cat.categories) == list(exports)
    t = iv.trend_tests(df).set_index("measure")
    assert t.loc["kohtaaminen", "verdict_en"] == "improved"
    assert t.loc["kohtaaminen", "effect_size"] > 0
    assert t.loc["nps", "verdict_en"] == "improved"
    others = [m for m in THEMES if m != "kohtaaminen"]
    assert (t.loc[others, "verdict_en"] == "no change").all()
    # the two-semester comparison defaults to the last two: 2022 -> 2023 (no planted change)
    c = iv.compare_semesters(df)
    assert (c["before"] == "2022-syksy").all() and not c.loc[
        c.family == "theme_score", "significant"
    ].any()
    assert iv.trend_tests(df[df["semester"] != "2023-syksy"]).empty


# ----------------------------------------------------------------------------- small counts inside rows
def _visible_small(table: pd.DataFrame, cols: list[str], min_n: int) -> list[tuple[int, str, int]]:
    vals = table[cols].apply(pd.to_numeric)
    return [
        (i, c, int(v)) for c in cols for i, v in vals[c].items() if pd.notna(v) and 0 < v < min_n
    ]


@pytest.mark.parametrize("min_n", [5, 10])
def test_likert_distribution_hides_small_answer_counts(sample: pd.DataFrame, min_n: int) -> None:
    # regression (privacy scan): answer counts such as 1 "Täysin samaa mieltä" of 86 were published
    inst = iv._inst(None)
    dist = iv.likert_distribution(sample, semester="2022-syksy", min_n=min_n)
    scale = inst.likert_items()[0].scale
    answer_cols = [scale.label(c, "fi") for c in scale.codes] + [
        scale.label(k, "fi") for k in scale.non_substantive
    ]
    assert _visible_small(dist, [*answer_cols, "top_box_n", "n_valid"], min_n) == []
    # a hidden count never stands alone in its row (it would be n_total minus the rest)
    hidden = dist[answer_cols].isna().sum(axis=1)
    assert ((hidden == 0) | (hidden >= 2)).all() and hidden.sum() > 0
    # the figure's percentages come from the published counts: a hidden count has no share either, and the
    # shares of rows with nothing hidden still add up to 100 %
    pct = dist[[f"pct: {c}" for c in answer_cols]].astype(float)
    assert (pct.isna().to_numpy() == dist[answer_cols].isna().to_numpy()).all()
    whole = hidden == 0
    assert np.allclose(pct[whole].sum(axis=1).to_numpy(), 100.0)
    # the mean, SD and top-2 % never let a hidden count be worked out (brute force over every possibility)
    from sosrake_lib.disclosure import disclosed, possible_values

    scale_cols = answer_cols[:5]

    def val(v):
        return None if pd.isna(v) else float(v)

    for _, r in dist[dist["n_total"].notna()].iterrows():
        rounded = {"mean": 1, "sd": 1} if any(pd.isna(r[c]) for c in scale_cols) else {}
        for c in (
            rounded
        ):  # where a scale answer is hidden the statistics are published at one decimal only
            assert pd.isna(r[c]) or float(r[c]) == round(float(r[c]), 1)
        values = possible_values(
            {c: val(r[c]) for c in answer_cols},
            {c: i + 1 for i, c in enumerate(scale_cols)},
            int(r["n_total"]),
            n_valid=val(r["n_valid"]),
            mean=val(r["mean"]),
            sd=val(r["sd"]),
            top=scale_cols[-2:],
            top_n=val(r["top_box_n"]),
            top_pct=val(r["top_box_pct"]),
            pct_of_total={c: val(r[f"pct: {c}"]) for c in answer_cols},
            decimals=rounded,
        )
        assert disclosed(values) == [], (r["item"], values)


def test_nps_table_hides_small_promoter_groups() -> None:
    # group a: 3 promoters, 3 passives, 4 detractors (n 10): all three below 5, hidden with their %; the NPS
    # (30 % - 40 % = -10) stays. Group b: 6, 0, 5 -> nothing small (0 is nobody).
    toy = pd.DataFrame(
        {
            "semester": ["a"] * 10 + ["b"] * 11,
            "nps": [10, 9, 9, 8, 7, 7, 6, 5, 0, 3] + [9] * 6 + [0] * 5,
        }
    )
    t = iv.nps_table(toy, "semester", min_n=5).set_index("semester")
    assert t.loc["a", ["promoters", "passives", "detractors", "pct_promoters"]].isna().all()
    assert float(t.loc["a", "nps"]) == pytest.approx(-10.0) and t.loc["a", "n"] == 10
    assert t.loc["b", ["promoters", "passives", "detractors"]].tolist() == [6, 0, 5]


@pytest.mark.parametrize("min_n", [5, 10])
def test_service_tables_and_uncoded_list_hide_small_counts(
    sample: pd.DataFrame, coded: dict[str, pd.DataFrame], min_n: int
) -> None:
    n = iv.nps_table(sample, by=["semester", "service"], min_n=min_n)
    assert _visible_small(n, ["n", "promoters", "passives", "detractors"], min_n) == []
    t = iv.theme_top2(sample[sample["semester"] == "2022-syksy"], by="service", min_n=min_n)
    assert _visible_small(t, ["n", "top2_n"], min_n) == []
    other = pd.to_numeric(t["n"]) - pd.to_numeric(t["top2_n"])
    assert not ((other > 0) & (other < min_n)).any()
    u = iv.uncoded_answers_table(sample, coded, min_n=min_n)
    assert _visible_small(u, ["count"], min_n) == []
    assert u.attrs["n_answers"] == int(sum(c["uncoded"].sum() for c in coded.values()))


@pytest.mark.parametrize("min_n", [5, 10])
def test_nps_tables_give_no_hidden_group_away(sample: pd.DataFrame, min_n: int) -> None:
    """n and the NPS are two equations over the three groups: a row never shows just one group less."""
    from sosrake_lib.disclosure import disclosed, nps_possible_values

    checked = 0
    for by in ("semester", ["semester", "service"]):
        t = iv.nps_table(sample, by=by, min_n=min_n)
        for _, r in t[t["n"].notna()].iterrows():
            groups = {
                g: None if pd.isna(r[g]) else float(r[g])
                for g in ("promoters", "passives", "detractors")
            }
            if not any(v is None for v in groups.values()):
                continue
            nps = None if pd.isna(r["nps"]) else float(r["nps"])
            ci = {c: None if pd.isna(r[c]) else float(r[c]) for c in ("ci_low", "ci_high")}
            # the interval, where shown, must be whole points (at full precision it gives P + D back)
            assert all(v is None or v == round(v) for v in ci.values()), r.to_dict()
            values = nps_possible_values(
                int(r["n"]),
                nps,
                groups,
                **ci,
                decimals={"ci_low": 0, "ci_high": 0},
                method=str(r["method"]),
            )
            assert values and disclosed(values) == [], r.to_dict()
            assert all(pd.isna(r[f"pct_{g}"]) for g in groups)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("min_n", [5, 10])
def test_service_nps_rows_cannot_be_worked_out_from_the_semester_totals(
    sample: pd.DataFrame, min_n: int
) -> None:
    """The semester table publishes each semester's groups: within a semester the hidden service rows must be
    two or more, and the groups they add up to (total minus visible rows) must not be small."""
    groups = ["promoters", "passives", "detractors"]
    sem = iv.nps_table(sample, by="semester", min_n=min_n).set_index("semester")
    svc = iv.nps_table(sample, by=["semester", "service"], min_n=min_n)
    for s, rows in svc.groupby("semester"):
        hidden = rows[rows[groups].isna().any(axis=1)]
        if hidden.empty or sem.loc[s, groups].isna().any():
            continue
        assert len(hidden) >= 2, s
        rest = (
            sem.loc[s, groups].astype(int)
            - rows.loc[~rows.index.isin(hidden.index), groups].astype(int).sum()
        )
        assert not ((rest > 0) & (rest < min_n)).any(), (s, rest.to_dict())


def test_a_single_hidden_service_row_takes_the_next_smallest_with_it() -> None:
    # 3 services in one semester: A has 2 detractors (hidden), B and C are large. With A alone hidden, the
    # semester total minus B and C would give A's counts back, so B (fewer people than C) is hidden too.
    nps_scores = (
        [10] * 10
        + [8] * 6
        + [0] * 2
        + [10] * 12
        + [7] * 10
        + [3] * 8
        + [9] * 20
        + [8] * 15
        + [1] * 10
    )
    service = ["housing_support"] * 18 + ["typ"] * 30 + ["adult_social_work"] * 45
    toy = pd.DataFrame({"semester": ["2022-syksy"] * 93, "service": service, "nps": nps_scores})
    toy["service"] = pd.Categorical(
        toy["service"], categories=["adult_social_work", "typ", "housing_support"]
    )
    t = iv.nps_table(toy, by=["semester", "service"], min_n=5).set_index("service")
    hidden = t[["promoters", "passives", "detractors"]].isna().all(axis=1)
    assert hidden.to_dict() == {
        "Aikuissosiaalityö": False,
        "TYP (työllistymistä edistävä monialainen yhteispalvelu)": True,
        "Asumisen tuki": True,
    }
    assert int(t.loc["Aikuissosiaalityö", "promoters"]) == 20 and t["n"].astype(int).tolist() == [
        45,
        30,
        18,
    ]


def test_semester_comparison_hides_shares_and_tests_built_on_small_counts(
    sample: pd.DataFrame,
) -> None:
    # At min_n 20: saatavuus top-2 2022 is 17 of 86 (19.8 %), turvallisuus 2021 has 18 of 78 below top-2,
    # and 2022 has 18 NPS detractors: a share of a published n is a count, and the NPS interval and test use
    # promoters + detractors. At min_n 5 nothing in the sample is that small but the one-statement theme
    # turvallisuus, whose "En osaa sanoa" answers (2 and 3) its n would give back (see the next test).
    full = iv.compare_semesters(sample, min_n=5).set_index(["family", "measure"])
    # turvallisuus: mean row 9 cells, top-2 row 11, and in each its 5 cluster-aware figures (p, Holm p,
    # design effect, the two numbers of interviewers)
    assert full.attrs["suppressed_cells"] == 9 + 11 + 2 * 5
    assert (
        full.drop(index="turvallisuus", level="measure")
        .drop(columns=["ci_low", "ci_high"])
        .notna()
        .all()
        .all()
    )
    assert float(full.loc[("theme_top2", "saatavuus"), "value_after"]) == pytest.approx(
        100 * 17 / 86
    )
    t = iv.compare_semesters(sample, min_n=20).set_index(["family", "measure"])
    shown = [
        "value_before",
        "value_after",
        "difference",
        "ci_low",
        "ci_high",
        "statistic",
        "p_value",
        "p_holm",
        "effect_size",
        "p_cluster",
        "p_holm_cluster",
        "deff",
        "n_interviewers_before",
        "n_interviewers_after",
    ]
    for m in ("saatavuus", "turvallisuus"):
        assert pd.isna(t.loc[("theme_top2", m), shown]).all(), m
        assert "luvut piilotettu: alle 20 hengen ryhmä" in t.loc[("theme_top2", m), "statement"]
    kept = t.loc[("theme_top2", "kohtaaminen")]
    assert float(kept["value_after"]) == pytest.approx(
        float(full.loc[("theme_top2", "kohtaaminen"), "value_after"])
    )
    assert bool(kept["significant"]) and kept["statement"].startswith(
        "Kohtaaminen ja osallistuminen (top-2): parani"
    )
    nps_row = t.loc[("nps", "nps")]
    assert pd.isna(
        nps_row[["ci_low", "ci_high", "statistic", "p_value", "p_holm", *shown[-5:]]]
    ).all()
    assert float(nps_row["difference"]) == pytest.approx(
        float(full.loc[("nps", "nps"), "difference"])
    )
    # two top-2 rows; the NPS interval, z, p, Holm p, effect size; turvallisuus' mean row and both of its n;
    # the 5 cluster-aware figures of each of the four hidden rows
    assert t.attrs["suppressed_cells"] == 2 * 9 + 6 + 9 + 2 + 4 * 5
    assert float(t.loc[("theme_score", "saatavuus"), "value_after"]) == pytest.approx(
        float(full.loc[("theme_score", "saatavuus"), "value_after"])
    )  # a hidden top-2 share hides no mean


def _interviews_by_semester(df: pd.DataFrame) -> pd.Series:
    return df.groupby("semester").size()


@pytest.mark.parametrize("min_n", [5, 10, 20])
def test_theme_n_never_gives_the_interviews_without_a_score_back(
    sample: pd.DataFrame, min_n: int
) -> None:
    """interview_counts publishes each semester's interviews; a theme's n beside it gives the interviews
    without a theme score ("En osaa sanoa", unanswered). Where that difference is 1..min_n-1 the n is hidden,
    and so are the share, interval and mean that would give n back."""
    total = _interviews_by_semester(sample)
    for t in (iv.theme_top2(sample, min_n=min_n), iv.compare_semesters(sample, min_n=min_n)):
        if "theme" in t:
            pairs = [(r["semester"], r["n"]) for r in t.to_dict(orient="records")]
        else:
            rows = t[t["family"] != "nps"].to_dict(orient="records")
            pairs = [(r["before"], r["n_before"]) for r in rows] + [
                (r["after"], r["n_after"]) for r in rows
            ]
        for sem, n in pairs:
            if not pd.isna(n):
                assert not 0 < total[sem] - int(n) < min_n, (sem, n)
    top2 = iv.theme_top2(sample, min_n=min_n).set_index(["semester", "theme"])
    # the sample's turvallisuus (one statement, TU1) has 2 and 3 "En osaa sanoa": 78 of 80 and 83 of 86
    for sem in ("2021-syksy", "2022-syksy"):
        assert pd.isna(
            top2.loc[(sem, "turvallisuus"), ["n", "top2_pct", "ci_low", "ci_high"]]
        ).all()


def test_one_statement_theme_publishes_what_its_statement_publishes(sample: pd.DataFrame) -> None:
    """The leak this closes: theme_top2 gave turvallisuus 2022 as n = 83 and mean 4.120482 beside the
    statement TU1's distribution, which hides its "Ei samaa eikä eri mieltä" and "En osaa sanoa" counts and
    rounds its mean: 86 - 83 gave "En osaa sanoa" = 3, and n - top-2 the other hidden count."""
    dist = iv.likert_distribution(sample, semester="2022-syksy", min_n=5).set_index("item")
    assert pd.isna(dist.loc["TU1", "n_valid"]) and float(dist.loc["TU1", "mean"]) == 4.1
    row = (
        iv.theme_top2(sample, min_n=5)
        .set_index(["semester", "theme"])
        .loc[("2022-syksy", "turvallisuus")]
    )
    assert pd.isna(row["n"]) and float(row["mean"]) == 4.1
    assert int(row["top2_n"]) == int(dist.loc["TU1", "top_box_n"]) == 66
    cmp = iv.compare_semesters(sample, min_n=5).set_index(["family", "measure"])
    shown = [
        "n_before",
        "n_after",
        "value_before",
        "value_after",
        "difference",
        "statistic",
        "p_value",
    ]
    for family in ("theme_score", "theme_top2"):
        assert pd.isna(cmp.loc[(family, "turvallisuus"), shown]).all(), family
        assert cmp.loc[(family, "turvallisuus"), "verdict_fi"] == "ei muutosta"


@pytest.mark.parametrize("min_n", [5, 10])
def test_tables_by_service_share_the_service_counts_pattern(
    sample: pd.DataFrame, min_n: int
) -> None:
    """A (semester, service) hidden in the interview counts is hidden in the NPS and top-2 tables by service
    too: shown there, its n would undo the counts table's secondary suppression (sample, min_n 5: TYP 2022 is
    hidden in the counts to protect TYP 2021, and the NPS table showed its n = 18)."""
    counts = iv.service_counts(sample, min_n=min_n)
    hidden = {
        (sem, svc)
        for svc in counts.index
        for sem in counts.columns
        if pd.isna(counts.loc[svc, sem])
    }
    assert hidden, "the sample has small services"
    nps = iv.nps_table(sample, ["semester", "service"], min_n)
    top2 = iv.theme_top2(sample, by="service", min_n=min_n)
    for t in (nps, top2):
        for _, r in t.iterrows():
            if (r["semester"], r["service"]) in hidden:
                assert pd.isna(r["n"]), (r["semester"], r["service"])
    if min_n == 5:
        assert ("2022-syksy", "TYP (työllistymistä edistävä monialainen yhteispalvelu)") in hidden
        row = nps[(nps["semester"] == "2022-syksy") & nps["service"].str.startswith("TYP")].iloc[0]
        assert pd.isna(row[["n", "nps", "ci_low"]]).all()


def _truth_by_service(sample: pd.DataFrame, semester: str) -> pd.DataFrame:
    return iv.theme_top2(sample, by="service", semester=semester, min_n=1)


@pytest.mark.parametrize("min_n", [5, 10])
def test_by_service_for_one_semester_keeps_the_pattern_of_all_semesters(
    sample: pd.DataFrame, min_n: int
) -> None:
    """The notebook publishes the latest semester by service beside service counts of every semester: the
    hidden (semester, service) cells must be those of the counts table (it once computed them from the one
    semester, whose pattern differs: independent run, --rows 40, Talous 3 = 9 - Asumisen 6)."""
    counts = iv.service_counts(sample, min_n=min_n)
    for sem in counts.columns:
        t = iv.theme_top2(sample, by="service", semester=sem, min_n=min_n)
        assert set(t["semester"]) == {sem}
        for _, r in t.iterrows():
            if pd.isna(counts.loc[r["service"], sem]):
                assert pd.isna(r["n"]), (sem, r["service"])


@pytest.mark.parametrize("min_n", [5, 10])
def test_hidden_services_never_add_up_to_a_small_count(sample: pd.DataFrame, min_n: int) -> None:
    """Within a semester the services add up to the semester's row of theme_top2, which is published: the
    hidden services' top-2 and other counts must not add up to 1..min_n-1 (independent run: saatavuus top-2
    7 - 6 - 0 = 1 across three hidden services)."""
    for sem in ("2021-syksy", "2022-syksy"):
        pub = iv.theme_top2(sample, by="service", semester=sem, min_n=min_n)
        truth = _truth_by_service(sample, sem)
        for theme, rows in pub.groupby("theme"):
            hidden = rows["top2_n"].isna() | rows["n"].isna()
            if not hidden.any() or hidden.all():  # all hidden: their sum is the semester's row
                continue
            assert hidden.sum() >= 2, (sem, theme)
            t = truth.loc[rows.index[hidden.to_numpy()]]
            for part in (t["top2_n"], t["n"] - t["top2_n"]):
                assert not 0 < int(part.sum()) < min_n, (sem, theme)


def test_one_statement_theme_has_no_mean_by_service(sample: pd.DataFrame) -> None:
    """n, the top-2 count and the mean of one statement give its answer counts (7 agreeing with mean
    4.428571: four 4s and three 5s); by service the mean of turvallisuus is not published."""
    t = iv.theme_top2(sample, by="service", min_n=5)
    assert t.loc[t["theme"] == "turvallisuus", "mean"].isna().all()
    assert t.loc[t["theme"] == "kohtaaminen", "mean"].notna().any()


@pytest.mark.parametrize(("rows", "seed"), [(60, 2), (40, 3), (40, 4), (25, 4)])
def test_by_service_rules_hold_on_the_independent_runs_data(tmp_path, rows: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    """The samples on which the independent run found the three leaks (sample-data --rows/--seed)."""
    from sosrake_lib.synthetic import write_sample

    write_sample(tmp_path, rows=rows, seed=seed)
    df = iv.load_exports(
        {p.stem.split("_")[1]: p for p in sorted(tmp_path.glob("interviews_*.csv"))}
    )
    counts = iv.service_counts(df, min_n=5)
    sem = counts.columns[-1]
    pub, truth = iv.theme_top2(df, by="service", semester=sem, min_n=5), _truth_by_service(df, sem)
    for _, r in pub.iterrows():
        if pd.isna(counts.loc[r["service"], sem]):
            assert pd.isna(r["n"])
    for theme, rows_ in pub.groupby("theme"):
        hidden = rows_["top2_n"].isna() | rows_["n"].isna()
        if (
            hidden.any() and not hidden.all()
        ):  # all hidden: their sum is the semester's row, protected there
            t = truth.loc[rows_.index[hidden.to_numpy()]]
            assert hidden.sum() >= 2 and not 0 < int(t["top2_n"].sum()) < 5, theme
            assert not 0 < int((t["n"] - t["top2_n"]).sum()) < 5, theme
    assert pub.loc[pub["theme"] == "turvallisuus", "mean"].isna().all()


def test_grouped_ci_figure_draws_no_whisker_for_a_hidden_bar() -> None:
    """A hidden share shows "piilotettu" and no whisker (a stray cap at 0 % once stood beside it)."""
    t = pd.DataFrame(
        {
            "theme_label": ["A", "A", "B", "B"],
            "semester": ["s1", "s2", "s1", "s2"],
            "top2_pct": [40.0, 50.0, None, None],
            "ci_low": [30.0, 40.0, None, None],
            "ci_high": [50.0, 60.0, None, None],
            "n": [40, 40, None, None],
        }
    )
    ax = iv.plot_grouped_ci(
        t,
        category="theme_label",
        group="semester",
        value="top2_pct",
        low="ci_low",
        high="ci_high",
        n="n",
        min_n=5,
    )
    caps = [x for line in ax.lines for x in line.get_xdata()]
    assert caps and min(caps) >= 30.0  # every cap belongs to a shown interval
    assert [tx.get_text() for tx in ax.texts].count("piilotettu") == 2


def test_key_figure_labels_are_english_and_semesters_readable(
    sample: pd.DataFrame, coded: dict[str, pd.DataFrame]
) -> None:
    """``label_en`` is English although the tables were built in Finnish (theme names from the codebooks'
    English labels), and a semester is written one way ("Syksy 2022" / "Autumn 2022"), never "2022-syksy"."""
    kf = iv.build_key_figures(
        counts=iv.interview_counts(sample),
        top2=iv.theme_top2(sample),
        nps_sem=iv.nps_table(sample),
        comparison=iv.compare_semesters(sample),
        open_freq=iv.open_theme_frequencies(sample, coded),
        semester="2022-syksy",
    )
    assert kf["n_interviews"].label_fi == "86 haastattelua (Syksy 2022)"
    assert kf["n_interviews"].label_en == "86 interviews (Autumn 2022)"
    assert kf["nps_change"].label_en.endswith("points (Autumn 2021 → Autumn 2022)")
    assert kf["nps_change"].label_fi.endswith("pistettä (Syksy 2021 → Syksy 2022)")
    assert kf["saatavuus_change"].label_en == "Access: no change"
    assert kf["saatavuus_change"].label_fi == "Saatavuus: ei muutosta"
    assert kf["top_missing_theme"].label_en.startswith("Most missed help: housing (")
    assert kf["top_missing_theme_pct"].label_en.endswith("missed help: housing")
    for k in kf:
        assert "syksy" not in k.label_en.lower() and "syksy" not in k.label_fi, k.name
    finnish = (
        "Saatavuus",
        "Kohtaaminen",
        "Turvallisuus",
        "Tiedonsaanti",
        "Hyödyllisyys",
        "Asuminen",
    )
    assert not [k.label_en for k in kf if any(w in k.label_en for w in finnish)]
