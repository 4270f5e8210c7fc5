"""Tests of the display tables of the reports (sosrake_lib.report)."""

import pandas as pd
import pytest

from sosrake_lib.report import (
    display_frame,
    display_table,
    format_cell,
    key_figures_table,
    settings_table,
)

NBSP = "\u00a0"


def _plain(s: str) -> str:
    return s.replace(NBSP, " ")


@pytest.fixture
def respondents() -> pd.DataFrame:
    # the competence sample's respondents by role, with the smallest group hidden as the analysis hides it
    return pd.DataFrame(
        {
            "group": ["social_worker", "social_counsellor", "supervisor"],
            "group_label": ["Sosiaalityöntekijä", "Sosiaaliohjaaja", "Esihenkilö"],
            "n": pd.array([54, 42, pd.NA], dtype="Int64"),
            "pct": [45.762712, 35.593220, None],
            "pct_ci_low": [37.049125, 27.533730, None],
            "pct_ci_high": [54.743488, 44.561154, None],
        }
    )


COLS = {
    "group_label": ("Tehtävä", "Role", "text"),
    "n": ("Vastaajia", "Respondents", "int"),
    "pct": ("Osuus %", "Share %", "pct"),
    ("pct_ci_low", "pct_ci_high"): ("95 %:n LV", "95% CI", "ci_pct"),
}


def test_finnish_display_rounds_formats_and_hides(respondents):
    shown = display_frame(respondents, COLS, "fi", 5)
    assert list(shown.columns) == [
        "Tehtävä",
        "Vastaajia",
        "Osuus %",
        "95 %:n LV",
    ]  # no code column, no index
    rows = [[_plain(c) for c in r] for r in shown.values.tolist()]
    assert rows[0] == ["Sosiaalityöntekijä", "54", "45,8 %", "37,0–54,7 %"]
    assert rows[1] == ["Sosiaaliohjaaja", "42", "35,6 %", "27,5–44,6 %"]
    assert rows[2] == ["Esihenkilö", "piilotettu", "piilotettu", "piilotettu"]


def test_english_display_and_threshold(respondents):
    shown = display_frame(respondents, COLS, "en", 10)
    assert list(shown.columns) == ["Role", "Respondents", "Share %", "95% CI"]
    assert shown.iloc[0].tolist() == ["Sosiaalityöntekijä", "54", "45.8%", "37.0–54.7%"]
    assert shown.iloc[2, 1] == "suppressed"


def test_input_frame_unchanged(respondents):
    before = respondents.copy()
    display_frame(respondents, COLS)
    pd.testing.assert_frame_equal(respondents, before)


@pytest.mark.parametrize(
    ("value", "kind", "lang", "expected"),
    [
        (1234.0, "int", "fi", "1 234"),
        (1234.0, "int", "en", "1,234"),
        (0.125, "num2", "fi", "0,13"),  # half away from zero, as people round
        (-0.5, "num1", "fi", "−0,5"),  # typographic minus in Finnish
        (0.0004, "p", "fi", "< 0,001"),
        (0.0456, "p", "en", "0.046"),
        (30.23, "signed0", "fi", "+30"),
        (55.56, "pct0", "fi", "56 %"),
        ((-23.0, 13.4), "ci0", "fi", "−23 – 13"),
        ((3.12, 3.68), "ci1", "en", "3.1–3.7"),
        (False, "bool", "fi", "ei"),
        (True, "bool", "en", "yes"),
    ],
)
def test_format_cell_known_values(value, kind, lang, expected):
    assert _plain(format_cell(value, kind, lang)) == expected


def test_na_dash_and_missing_columns():
    t = pd.DataFrame(
        {"area_label": ["A"], "mwds": [7.19316], "rank_ci_low": [None], "rank_ci_high": [3.0]}
    )
    cols = {
        "area_label": ("Alue", "Area", "text"),
        "mwds": ("MWDS", "MWDS", "num2"),
        ("rank_ci_low", "rank_ci_high"): ("Sijan LV", "Rank CI", "ci0"),
        "absent": ("X", "X", "num1"),
    }
    assert display_frame(t, cols, na_dash=["rank_ci_low"]).values.tolist() == [["A", "7,19", "–"]]
    assert display_frame(t, cols).values.tolist() == [["A", "7,19", "piilotettu"]]


def test_unknown_kind_and_lang_raise():
    t = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="kind"):
        display_frame(t, {"a": ("A", "A", "percent")})
    with pytest.raises(ValueError, match="lang"):
        display_frame(t, {"a": ("A", "A", "int")}, lang="sv")


def test_styler_html_has_no_index_and_a_note_only_when_hidden(respondents):
    html = display_table(respondents, COLS, "fi", 5).to_html()
    assert "Vastaajia" in html and ">piilotettu<" in html and "kuvaa alle 5 henkilöä" in html
    assert "social_worker" not in html and "45.762712" not in html and "&lt;NA&gt;" not in html
    assert 'class="row_heading' not in html  # index hidden
    full = display_table(respondents.iloc[:2], COLS, "fi", 5).to_html()
    assert "piilotettu" not in full


def test_key_figures_and_settings_tables():
    kf = pd.DataFrame(
        {
            "name": ["n_respondents", "strongest_area"],
            "value": [118.0, 3.669492],
            "unit": ["n", "score 1–5"],
            "n": [118, 118],
            "ci_low": [None, 3.562597],
            "ci_high": [None, 3.776387],
            "label_fi": ["Vastaajia", "Vahvin alue"],
            "label_en": ["Respondents", "Strongest area"],
        }
    )
    shown = key_figures_table(kf, "en").data
    assert shown.values.tolist() == [
        ["Respondents", "118", "118", "–"],
        ["Strongest area", "3.7", "118", "3.56–3.78"],
    ]
    html = settings_table([("Tiedosto", "File", "competence_2020.xlsx")], "fi").to_html()
    assert "Asetus" in html and "competence_2020.xlsx" in html
