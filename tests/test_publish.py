"""The one publish step: labels from the analysis' YAML, and a last guard against unprotected small groups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sosrake_lib.errors import DisclosureError
from sosrake_lib.publish import label_table, publish_tables
from sosrake_lib.settings import Settings


def test_tables_get_their_file_names_and_headers_in_the_run_language(tmp_path: Path) -> None:
    t = pd.DataFrame(
        {"part": ["lahipaivat"], "part_label": ["Lähipäivät"], "n": [33], "mean": [4.45]}
    )
    fi = publish_tables(
        "course", {"feedback_parts": t}, tmp_path / "fi", Settings(lang="fi"), drop=("part",)
    )
    en = publish_tables(
        "course", {"feedback_parts": t}, tmp_path / "en", Settings(lang="en"), drop=("part",)
    )
    assert fi[0].name == "palaute_osa_alueet.csv" and en[0].name == "feedback_parts.csv"
    assert fi[0].read_text(encoding="utf-8").splitlines()[0] == "Osa-alue,n,Keskiarvo"
    assert en[0].read_text(encoding="utf-8").splitlines()[0] == "Part,n,Mean"


def test_a_labelled_index_gets_its_header() -> None:
    t = pd.DataFrame({"2022-syksy": [30, 5]}, index=pd.Index([1, 2], name="interviews"))
    assert label_table("interviews", t, "en").index.name == "Interviews per student"


@pytest.mark.parametrize("column", ["n", "n_pairs", "n_answers"])
def test_an_unprotected_small_group_stops_publishing_and_nothing_is_written(
    tmp_path: Path, column: str
) -> None:
    t = pd.DataFrame({"area_label": ["A", "B"], column: [40, 3], "n_items": [3, 2]})
    with pytest.raises(
        DisclosureError, match=f"column '{column}', row 2: 3 people is fewer than 5"
    ):
        publish_tables("competence", {"area_scores": t}, tmp_path, Settings())
    assert not (tmp_path / "tables").exists()
    # the same table at min_n 3 is fine, and a hidden (missing) n never is a problem
    assert publish_tables("competence", {"area_scores": t}, tmp_path, Settings(min_n=3))
    t.loc[1, column] = None
    assert publish_tables("competence", {"area_scores": t}, tmp_path / "b", Settings())


def test_display_labels_are_read_from_the_labels_files(tmp_path: Path, monkeypatch) -> None:
    """Staff correct a table title or a display header in labels_data/*.yaml, and the notebook shows it."""
    import shutil

    from sosrake_lib import labels
    from sosrake_lib.publish import display_ready

    folder = tmp_path / "labels_data"
    shutil.copytree(labels.LABELS_DIR, folder)
    path = folder / "interviews.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'en: "Trend tests"' in text
    path.write_text(text.replace('en: "Trend tests"', 'en: "Trends over semesters"'), "utf-8")
    shared = folder / "shared.yaml"
    shared.write_text(shared.read_text("utf-8").replace('"Raw rows"', '"Rows read"'), "utf-8")
    monkeypatch.setattr(labels, "LABELS_DIR", folder)
    labels.for_analysis.cache_clear()
    try:
        t = pd.DataFrame({"table": ["trend", "unknown"], "question": ["open_good", "x"]})
        ready = display_ready("interviews", t, "en")
        assert ready["table_label"].tolist() == ["Trends over semesters", "unknown"]
        assert ready["question_label"].tolist() == ["What was good in the service?", "x"]
        cleaning = labels.for_analysis("interviews").display["cleaning"]
        assert list(cleaning)[:2] == ["semester", "source_file"]  # own columns, then shared
        assert cleaning["raw_rows"] == ("Rivejä viennissä", "Rows read", "int")
        assert labels.for_analysis("course").display["themes"][("ci_low", "ci_high")][2] == "ci_pct"
    finally:
        labels.for_analysis.cache_clear()


@pytest.mark.parametrize("analysis", ["competence", "interviews", "course"])
def test_every_analysis_publishes_one_suppression_summary(analysis: str) -> None:
    from sosrake_lib.publish import suppression_summary

    t = pd.DataFrame({"n": [40]})
    t.attrs["suppressed_cells"] = 3
    s = suppression_summary(analysis, {"x": t, "y": pd.DataFrame()}, Settings(min_n=10, lang="fi"))
    assert s[["table", "suppressed_cells", "min_n"]].values.tolist() == [["x", 3, 10], ["y", 0, 10]]
    assert s["rule"].str.startswith("Solu, joka kuvaa 1–9 henkilöä").all()
    assert list(label_table(analysis, s, "en").columns) == [
        "Table",
        "Suppressed cells",
        "Threshold (n at least)",
        "Rule",
    ]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Holm: mallin kaikki vetosuhteet (yksi perhe)"),
        ("en", "Holm: all odds ratios of the model (one family)"),
    ],
)
def test_a_holm_family_reads_as_a_sentence_in_the_workbook(
    tmp_path: Path, lang: str, text: str
) -> None:
    """The CSV keeps the family's code for machines (a key figure's source can point at it); the workbook
    for people shows its sentence in the run's language; a family text without a label passes unchanged."""
    import openpyxl

    t = pd.DataFrame({"family": ["model_odds_ratios", "valmis teksti"], "p_holm": [0.5, 0.2]})
    paths = publish_tables("course", {"completion_model": t}, tmp_path, Settings(lang=lang))
    csv = next(
        p for p in paths if p.name.startswith(("suoritus_logistinen", "completion_logistic"))
    )
    assert pd.read_csv(csv).iloc[:, 0].tolist() == ["model_odds_ratios", "valmis teksti"]
    book = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))
    values = [c.value for row in book.worksheets[1].iter_rows() for c in row]
    assert text in values and "valmis teksti" in values and "model_odds_ratios" not in values
