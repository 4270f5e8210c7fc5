"""What a page shows of a run's labels: a semester written one way ("Syksy 2022"), never a raw run label such
as ``sample`` in the infographic's subtitle or source line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from sosrake_lib.fmt import fmt_semester
from sosrake_lib.infographic import make_infographic
from sosrake_lib.infographic.texts import subtitle_period
from sosrake_lib.outputs import KeyFigures


def _figures(out: Path) -> None:
    kf = KeyFigures()
    kf.add("enrolled", 63, "n", n=63, label_fi="Ilmoittautuneet", label_en="Enrolled")
    kf.add("completed", 35, "n", n=63, label_fi="Suorittaneet", label_en="Completed")
    kf.add("nps", 47, "NPS", n=30, label_fi="Suositteluindeksi", label_en="Net Promoter Score")
    kf.write(out, min_n=5)


def _words(path: Path) -> str:
    text = PdfReader(path).pages[0].extract_text().replace("\u00a0", " ")
    return " ".join(text.replace("-\n", "").split())


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [("fi", "Esimerkkiaineisto", "Sample data"), ("en", "Sample data", "Esimerkkiaineisto")],
)
def test_sample_run_label_is_not_shown_on_the_page(
    tmp_path: Path, lang: str, shown: str, hidden: str
) -> None:
    """`make run` labels the sample's semester ``sample``: the subtitle says "Esimerkkiaineisto" /
    "Sample data" instead, and the word ``sample`` appears nowhere on the page."""
    _figures(tmp_path)
    make_infographic(tmp_path, "course", lang=lang, semester="sample", synthetic=True)  # type: ignore[arg-type]
    text = _words(tmp_path / "infographic.pdf")
    assert shown in text and hidden not in text
    assert ", sample" not in text and "· sample" not in text and "sample ·" not in text
    if lang == "fi":
        assert "sample" not in text.lower()


def test_a_semester_code_is_written_as_people_read_it(tmp_path: Path) -> None:
    _figures(tmp_path)
    make_infographic(tmp_path, "course", lang="fi", semester="2022-syksy", synthetic=False)
    text = _words(tmp_path / "infographic.pdf")
    assert "Syksy 2022" in text and "2022-syksy" not in text and "Esimerkkiaineisto" not in text


def test_period_texts() -> None:
    assert fmt_semester("2022-syksy") == "Syksy 2022"
    assert fmt_semester("2022-syksy", "en") == "Autumn 2022"
    assert fmt_semester("2023-kevät", "en") == "Spring 2023"
    assert subtitle_period("sample", "fi", synthetic=True) == "Esimerkkiaineisto"
    assert subtitle_period("sample", "fi", synthetic=False) == ""  # a machine label is left out
    assert subtitle_period("s", "en", synthetic=False) == ""
    assert subtitle_period("2023-uusinta", "fi") == "2023-uusinta"


@pytest.mark.parametrize(
    ("semester", "lang", "period"),
    [
        ("sample_2022", "fi", "Esimerkkiaineisto 2022"),
        ("sample_2022", "en", "Sample data 2022"),
        ("sample-2020", "fi", "Esimerkkiaineisto 2020"),
        ("sample", "fi", "Esimerkkiaineisto"),
        ("sample_2020_2022", "en", "Sample data"),  # two years: no round to name
    ],
)
def test_a_synthetic_run_label_with_a_year_shows_the_year(
    semester: str, lang: str, period: str
) -> None:
    assert subtitle_period(semester, lang, synthetic=True) == period  # type: ignore[arg-type]


def test_the_2022_sample_round_names_its_year_on_the_page(tmp_path: Path) -> None:
    """The 2022 sample round (run label ``sample_2022``) and the 2020 one (``sample``) must not carry the same
    subtitle: the year is in the subtitle and the source line, the run label itself nowhere."""
    _figures(tmp_path)
    make_infographic(tmp_path, "course", lang="fi", semester="sample_2022", synthetic=True)
    text = _words(tmp_path / "infographic.pdf")
    assert text.count("Esimerkkiaineisto 2022") == 2  # subtitle and source line
    assert "sample_2022" not in text and "sample" not in text.lower()
