"""Quotes for review: selection rules, approvals read leniently, approvals carried over to a new run."""

from __future__ import annotations

import pandas as pd

from sosrake_lib.quotes import (
    carry_over_approvals,
    load_approved_quotes,
    read_quotes_file,
    review_candidates,
    write_quotes_for_review,
)

GOOD = [
    "Työntekijä kuunteli minua tarkasti ja oli ystävällinen.",  # 55 chars, 1 theme
    "Sain selkeät ohjeet hakemuksen tekemiseen ja apua asuntoon.",  # 2 themes
    "Lyhyt.",  # too short
    "Soitin Aino Heiskaselle, numero 040 123 4567, ja sain apua.",  # names a person: never a quote
    "Työntekijä kuunteli minua tarkasti ja oli ystävällinen.",  # duplicate text: offered once
    '=HYPERLINK("http://x") kuunteli ja auttoi minua paljon tänään',
]


def _coded() -> dict[str, pd.DataFrame]:
    return {
        "open_good": pd.DataFrame(
            {
                "kohtaaminen": [True, True, True, True, True, True],
                "asuminen": [False, True, False, False, False, False],
            }
        )
    }


def test_review_candidates_selection_rules():
    q = review_candidates(
        {"open_good": pd.Series(GOOD)}, _coded(), semester="2022-syksy", per_theme=5
    )
    # fewest themes first, then nearest to 100 characters (61 before 55), the 2-theme answer last
    assert q["quote"].tolist() == [GOOD[5], GOOD[0], GOOD[1]]
    assert q["theme"].tolist() == ["kohtaaminen", "kohtaaminen", "kohtaaminen"]
    assert not q["approved"].any() and q["quote_id"].tolist() == ["q001", "q002", "q003"]
    assert (q["n_chars"] == q["quote"].str.len()).all()
    assert set(q["semester"]) == {"2022-syksy"}


def test_written_file_is_formula_safe_and_approvals_carry_over(tmp_path):
    q = review_candidates({"open_good": pd.Series(GOOD)}, _coded(), per_theme=5)
    path = write_quotes_for_review(q, tmp_path)
    raw = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and ";" in raw.splitlines()[0]
    # Staff approve one quote in Excel (which re-saves with commas) and write a note.
    reviewed = read_quotes_file(path)
    reviewed.loc[reviewed["quote"] == GOOD[0], ["approved", "reviewer_note"]] = ["kyllä", "ok, AH"]
    old = tmp_path / "old.csv"
    reviewed.to_csv(old, index=False)
    assert load_approved_quotes(old)["quote"].tolist() == [GOOD[0]]
    # A new run writes the candidates again with approved = False; the approvals come back.
    new_dir = tmp_path / "new"
    new = write_quotes_for_review(q, new_dir)
    assert load_approved_quotes(new).empty
    assert carry_over_approvals(new, old) == 1
    again = read_quotes_file(new)
    assert again.loc[again["quote"] == GOOD[0], "reviewer_note"].tolist() == ["ok, AH"]
    assert load_approved_quotes(new)["quote"].tolist() == [GOOD[0]]


def test_carry_over_without_reviewed_file_changes_nothing(tmp_path):
    q = review_candidates({"open_good": pd.Series(GOOD)}, _coded())
    new = write_quotes_for_review(q, tmp_path)
    before = new.read_bytes()
    assert carry_over_approvals(new, tmp_path / "missing.csv") == 0
    assert carry_over_approvals(new, None) == 0
    assert new.read_bytes() == before


def test_load_approved_quotes_scrubs_again_and_limits_length(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text(
        "quote;approved\nSoita 040 123 4567;x\n" + "a" * 250 + ";x\nEi hyväksytty;\n",
        encoding="utf-8",
    )
    assert load_approved_quotes(p)["quote"].tolist() == ["Soita [puhelinnumero]"]
    assert load_approved_quotes("").empty and load_approved_quotes(tmp_path / "none.csv").empty
