"""The competence infographic of a follow-up run (``sosrake run competence --earlier-round``): a change panel
with the same people's change of each area, trained areas first and marked, and the difference in change as
a headline card, every number read from the run's own tables and key figures; hidden values stay hidden at a
high threshold; a page without an earlier round has no such panel."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from sosrake_lib.cli import main
from sosrake_lib.fmt import NBSP, fmt_change, fmt_ci, fmt_int
from sosrake_lib.history.runs import followup_rounds
from sosrake_lib.infographic import make_infographic
from sosrake_lib.infographic.texts import _translate
from sosrake_lib.labels import for_analysis
from sosrake_lib.paths import FOLLOWUP_SAMPLE_DIR, PROJECT_ROOT, SAMPLE_DIR

pytestmark = pytest.mark.notebook

EARLY = SAMPLE_DIR / "competence_2020.xlsx"


def _run(out: Path, lang: str, min_n: int) -> Path:
    code = main(
        [
            "run",
            "competence",
            "--semester",
            "sample_2022",
            "--raw",
            str(FOLLOWUP_SAMPLE_DIR.relative_to(PROJECT_ROOT)),
            "--earlier-round",
            str(EARLY.relative_to(PROJECT_ROOT)),
            "--out",
            str(out),
            "--processed",
            str(out / "processed"),
            "--target-size",
            "160",
            "--lang",
            lang,
            "--min-cell-size",
            str(min_n),
            "--quiet",
        ]
    )
    assert code == 0
    return out / "sample_2022" / "competence"


@pytest.fixture(scope="module")
def run_fi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's 2022 round against 2020, in Finnish at the usual threshold."""
    return _run(tmp_path_factory.mktemp("fu_fi"), "fi", 5)


@pytest.fixture(scope="module")
def run_en_50(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same in English at a threshold of 50: the 47 people of both rounds are too few to show."""
    return _run(tmp_path_factory.mktemp("fu_en50"), "en", 50)


def _lines(folder: Path) -> list[str]:
    text = (folder / "infographic.txt").read_text(encoding="utf-8")
    return text.replace(NBSP, " ").splitlines()


def _figures(folder: Path) -> dict[str, dict]:
    doc = json.loads((folder / "key_figures.json").read_text(encoding="utf-8"))
    return {f["name"]: f for f in doc["key_figures"]}


def _linked_areas(folder: Path, lang: str) -> list[dict[str, str]]:
    rows = for_analysis("competence").read_table(folder, "followup_areas", lang)
    return [r for r in rows if r["linkage"] == "linked"]


def _area_label(row: dict[str, str], lang: str, trained_word: str) -> str:
    trained = row["trained"].strip().lower() == "true"
    return (trained_word if trained else "") + _translate(row["unit"], lang)  # type: ignore[arg-type]


def test_followup_page_shows_the_change_with_the_runs_values(run_fi: Path) -> None:
    lines = _lines(run_fi)
    figures = _figures(run_fi)
    manifest = json.loads((run_fi / "manifest.json").read_text(encoding="utf-8"))
    then, now = followup_rounds(manifest)  # from the export file names: 2020 and 2022
    title = f"Muutos {then} → {now} osaamisalueittain (samat henkilöt)"
    assert title in lines

    # the headline card: the difference in change of the same people, signed, with its interval and n
    did = figures["followup_did"]
    card = lines.index(fmt_change(did["value"]))
    assert lines[card + 1] == "Muutosten ero: koulutetut − muut alueet"
    ci = fmt_ci(did["ci_low"], did["ci_high"]).replace(NBSP, " ")
    assert lines[card + 2] == f"95 % lv {ci} n = {fmt_int(did['n'])}"
    assert card < lines.index(title)  # a card above the panel

    # the panel: each area's change of the same people, trained areas first and named so in words
    areas = _linked_areas(run_fi, "fi")
    trained = [r for r in areas if r["trained"] == "True"]
    assert trained and len(trained) < len(areas)
    shown = [r for r in areas if r["trained"] == "True"] + [
        r for r in areas if r["trained"] != "True"
    ]
    at = [lines.index(_area_label(r, "fi", "Koulutettu: "), lines.index(title)) for r in shown]
    assert at == sorted(at)
    for r, i in zip(shown, at, strict=True):
        assert lines[i + 1] == fmt_change(float(r["mean_change"])), r["unit"]
    caption = lines[lines.index(title) + 1]
    n_linked = fmt_int(figures["followup_linked_n"]["value"])
    assert caption.startswith(f"Samat {n_linked} henkilöä molemmilla kierroksilla")
    for words in ("itsearvio", "vertailuryhmää", "ei osoita koulutuksen vaikutusta"):
        assert words in caption

    # the panel takes the place of the self-rated competence, the card that of the strongest area
    assert "Oma osaaminen osaamisalueittain (1–5)" not in lines
    assert not any(line.startswith("Vahvin osaamisalue") for line in lines)
    assert "Osaamiskartoitus · Esimerkkiaineisto 2022 · n = 110 vastaajaa" in lines


def test_followup_page_is_one_a4_page_with_the_panel_in_its_text(run_fi: Path) -> None:
    reader = PdfReader(run_fi / "infographic.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().replace("-\n", "").split())
    assert "osaamisalueittain (samat henkilöt)" in text and "Muutosten ero" in text
    with Image.open(run_fi / "infographic.png") as im:
        assert im.size == (2480, 3508)


def test_hidden_followup_values_stay_hidden_at_a_high_threshold(run_en_50: Path) -> None:
    lines = _lines(run_en_50)
    figures = _figures(run_en_50)
    assert figures["followup_did"]["suppressed"] and figures["followup_linked_n"]["suppressed"]
    card = lines.index("Difference in change: trained − other areas")
    assert lines[card - 1] == "suppressed"  # the card keeps its place and says so
    title = next(line for line in lines if line.startswith("Change 2020 → 2022 by competence area"))
    start = lines.index(title)
    assert lines[start + 1].startswith("The same people in both rounds:")  # no count
    areas = _linked_areas(run_en_50, "en")
    assert areas and all(r["mean_change"] == "" for r in areas)
    for r in areas:
        i = lines.index(_area_label(r, "en", "Trained: "), start)
        assert lines[i + 1] == "suppressed", r["unit"]
    assert any("fewer than 50 respondents" in line for line in lines)


def test_a_page_without_an_earlier_round_has_no_change_panel(run_fi: Path, tmp_path: Path) -> None:
    """The same run without its follow-up key figures and tables draws the single-round page."""
    folder = tmp_path / "competence"
    shutil.copytree(run_fi, folder)
    doc = json.loads((folder / "key_figures.json").read_text(encoding="utf-8"))
    doc["key_figures"] = [f for f in doc["key_figures"] if not f["name"].startswith("followup_")]
    (folder / "key_figures.json").write_text(json.dumps(doc), encoding="utf-8")
    for table in (folder / "tables").glob("*.csv"):
        if table.stem.startswith(("followup", "Seuranta")):
            table.unlink()
    make_infographic(
        folder, "competence", semester="sample", synthetic=True, rounds=("2020", "2022")
    )
    lines = _lines(folder)
    assert not any(line.startswith("Muutos") for line in lines)
    assert not any("Muutosten ero" in line or "Koulutettu: " in line for line in lines)
    assert "Oma osaaminen osaamisalueittain (1–5)" in lines
    assert any(line.startswith("Vahvin osaamisalue") for line in lines)
    assert "Osaamiskartoitus · Esimerkkiaineisto · n = 110 vastaajaa" in lines
