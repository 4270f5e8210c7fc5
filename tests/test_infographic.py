"""Tests for sosrake_lib.infographic: A4 page, embedded fonts, Finnish numbers, quotes, suppression, determinism."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from sosrake_lib.infographic import (
    is_approved,
    make_infographic,
    period_label,
    read_approved_quotes,
)
from sosrake_lib.outputs import KeyFigures

NBSP = "\u00a0"


def _course_figures(out: Path, *, nps_n: int = 30) -> None:
    kf = KeyFigures()
    kf.add("enrolled", 63, "n", n=63, label_fi="Ilmoittautuneet", label_en="Enrolled")
    kf.add("started", 58, "n", n=63, label_fi="Aloittaneet", label_en="Started")
    kf.add("completed", 35, "n", n=63, label_fi="Suorittaneet", label_en="Completed")
    kf.add(
        "completion_rate",
        35 / 63 * 100,
        "%",
        n=63,
        ci_low=43.3,
        ci_high=67.2,
        method="Wilson 95 % CI",
        label_fi="Suoritusaste",
        label_en="Completion rate",
    )
    kf.add("nps", 47, "NPS", n=nps_n, label_fi="Suositteluindeksi", label_en="Net Promoter Score")
    kf.add("gain_rank_1", "raportointi", "", label_fi="Suurin kasvu", label_en="Largest gain")
    kf.write(out, min_n=5)


def _interview_figures(out: Path, quotes: list[tuple[str, str, str]]) -> Path:
    kf = KeyFigures()
    kf.add("n_interviews", 80, "n", n=80, label_fi="Haastattelua", label_en="Interviews")
    kf.add(
        "nps",
        -5,
        "NPS",
        n=80,
        ci_low=-24.0,
        ci_high=14.0,
        label_fi="Suositteluindeksi",
        label_en="NPS",
    )
    kf.add(
        "turvallisuus_top2",
        87.5,
        "%",
        n=80,
        ci_low=78.5,
        ci_high=93.1,
        label_fi="Turvallisuus: myönteiset",
        label_en="Safety: positive",
    )
    kf.add(
        "saatavuus_top2",
        38.2,
        "%",
        n=80,
        ci_low=28.0,
        ci_high=49.0,
        label_fi="Saatavuus: myönteiset",
        label_en="Access: positive",
    )
    kf.add(
        "kohtaaminen_top2",
        66.7,
        "%",
        n=3,
        label_fi="Kohtaaminen: myönteiset",
        label_en="Met: positive",
    )
    kf.add("top_missing_theme", "asuminen", "", label_fi="Eniten kaivattu", label_en="Missed most")
    kf.write(out, min_n=5)
    path = out / "quotes_for_review.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["theme", "quote", "length", "approved", "source"])
        for i, (theme, quote, approved) in enumerate(quotes):
            w.writerow([theme, quote, len(quote), approved, i])
    return path


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text().replace(NBSP, " ")


def _flat(text: str) -> str:
    """PDF text with line breaks and hyphenation undone, so wrapped phrases can be searched."""
    return " ".join(text.replace("-\n", "").split())


@pytest.fixture(scope="module")
def course_fi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("course_fi")
    _course_figures(d)
    make_infographic(d, "course", semester="2021-syksy", synthetic=True)
    return d


def test_page_is_a4_portrait_with_embedded_fonts(course_fi: Path) -> None:
    reader = PdfReader(course_fi / "infographic.pdf")
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=1.0)
    assert float(box.height) == pytest.approx(841.9, abs=1.0)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = []
    for ref in fonts.values():
        font = ref.get_object()
        for f in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
            if "/FontDescriptor" in f:
                descriptors.append(f["/FontDescriptor"].get_object())
    assert descriptors and all("/FontFile2" in d for d in descriptors)  # TrueType, embedded
    with Image.open(course_fi / "infographic.png") as im:
        assert im.size == (2480, 3508)
        assert im.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=0.5)


def test_big_numbers_in_finnish(course_fi: Path) -> None:
    text = _pdf_text(course_fi / "infographic.pdf")
    # 35 / 63 = 55.555...% -> "55,6 %" (decimal comma, space before %); 63 enrolled; NPS 47 -> "+47"
    assert "55,6 %" in text and "55.6" not in text
    assert "63" in text and "+47" in text
    assert "Syksy 2021" in text
    assert "Sosiaalinen raportointi" in _flat(text)  # a rank's area id shown by its codebook label
    assert "Synteettinen esimerkkiaineisto" in _flat(text)
    # no suppression happened: the footnote must not claim it
    assert "piilotettu" not in text


def test_english_version(tmp_path: Path) -> None:
    _course_figures(tmp_path)
    make_infographic(tmp_path, "course", lang="en", semester="2021-syksy", synthetic=False)
    text = _flat(_pdf_text(tmp_path / "infographic.pdf"))
    assert "55.6%" in text and "55,6" not in text
    assert "Completion rate" in text and "Autumn 2021" in text and "Social reporting" in text
    assert "Suoritusaste" not in text and "Synthetic" not in text
    assert (
        "No quotes have been approved yet – check quotes_for_review.csv" in text
    )  # course: none approved


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_pdf_names_its_title_subject_and_language(tmp_path: Path, lang: str) -> None:
    """WCAG technique PDF16/PDF18: a PDF states its language (/Lang in the catalog) and a title."""
    _course_figures(tmp_path)
    make_infographic(tmp_path, "course", lang=lang, semester="2021-syksy", synthetic=True)
    reader = PdfReader(tmp_path / "infographic.pdf", strict=True)
    assert reader.trailer["/Root"]["/Lang"] == lang
    meta = reader.metadata
    if lang == "fi":
        assert (
            meta.title
            == "Rakenteellisen sosiaalityön koulutuspilotti – Kurssin arviointi (5 op), Syksy 2021"
        )
        assert meta.subject.startswith(
            "Kurssin arviointi (5 op), Syksy 2021: SOSRAKE-osaamisverkosto"
        )
    else:
        assert meta.title.endswith("Autumn 2021") and "Syksy" not in meta.title
    assert meta.author == "SOSRAKE" and "SOSRAKE" in meta["/Keywords"]
    assert "55" in reader.pages[0].extract_text()  # the page is still read after the catalog grew


def test_text_alternative_has_every_number_of_the_page(course_fi: Path) -> None:
    text = (course_fi / "infographic.txt").read_text(encoding="utf-8").replace(NBSP, " ")
    lines = text.splitlines()
    assert lines[1] == "Rakenteellisen sosiaalityön koulutuspilotti"  # the title after the kicker
    # each big number on its own line before its label; the chart's bars label, value, share
    assert lines[3:6] == ["63", "Ilmoittautuneet", "35"]
    assert "55,6 %" in lines and "+47" in lines and "95 % lv 43,3–67,2 % n = 63" in lines
    assert lines[lines.index("Aloitti") + 1 : lines.index("Aloitti") + 3] == [
        "58",
        "92,1 % ilmoittautuneista",
    ]
    assert "1. Sosiaalinen raportointi" in lines  # the theme's number joins its text
    assert lines[-1].startswith("Lähde:") and "Synteettinen esimerkkiaineisto" in lines[-1]
    assert "SYNTEETTINEN ESIMERKKIAINEISTO" not in lines  # the stamp: the footnote says it in full


def test_only_approved_quotes_appear(tmp_path: Path) -> None:
    quotes = [
        ("asuminen", "Asunto löytyi lopulta nopeasti", "kyllä"),
        ("kohtaaminen", "Minua kuunneltiin aidosti", "x"),
        ("toimeentulo", "SALAINEN HYLÄTTY LAINAUS", "false"),
        ("tyo", "TARKISTAMATON LAINAUS", ""),
    ]
    _interview_figures(tmp_path, quotes)
    make_infographic(tmp_path, "interviews", semester="2021-syksy")
    text = _flat(_pdf_text(tmp_path / "infographic.pdf"))
    assert "Asunto löytyi lopulta nopeasti" in text and "Minua kuunneltiin aidosti" in text
    assert "SALAINEN" not in text and "TARKISTAMATON" not in text
    assert "ei ole vielä hyväksytty" not in text
    assert "−5" in text and "88 %" in text  # Finnish minus sign; 87.5 rounds half up to 88
    assert (
        "piilotettu" in text and "67 %" not in text and "66,7" not in text
    )  # n = 3: suppressed bar


def test_placeholder_when_no_quote_approved(tmp_path: Path) -> None:
    quotes_file = _interview_figures(tmp_path, [("asuminen", "SALAINEN HYLÄTTY LAINAUS", "ei")])
    make_infographic(tmp_path, "interviews", semester="2021-syksy", approved_quotes=quotes_file)
    text = _flat(_pdf_text(tmp_path / "infographic.pdf"))
    assert "SALAINEN" not in text
    assert "Lainauksia ei ole vielä hyväksytty – tarkista quotes_for_review.csv" in text


def test_deterministic_bytes(tmp_path: Path, course_fi: Path) -> None:
    _course_figures(tmp_path)
    make_infographic(tmp_path, "course", semester="2021-syksy", synthetic=True)
    for name in ("infographic.pdf", "infographic.png", "infographic.txt"):
        a = hashlib.sha256((course_fi / name).read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert a == b, name
    assert b"CreationDate" not in (tmp_path / "infographic.pdf").read_bytes()


def test_long_word_wrapped_and_suppressed_value_labelled(tmp_path: Path) -> None:
    kf = KeyFigures()
    kf.add("n_respondents", 118, "n", n=118, label_fi="Vastaajaa", label_en="Respondents")
    long = "Mielenterveyspalvelujen kehittämistyöryhmä"
    kf.add("strongest_area", long, "", label_fi="Vahvin osaamisalue", label_en="Strongest area")
    kf.add("response_rate", 73.75, "%", n=160, label_fi="Vastausosuus", label_en="Response rate")
    # 4 supervisors answered: KeyFigures.write suppresses it (value null), the page must show "piilotettu"
    kf.add(
        "weakest_area",
        "raportointi",
        "",
        n=4,
        label_fi="Heikoin osaamisalue",
        label_en="Weakest area",
    )
    kf.write(tmp_path, min_n=5)
    make_infographic(tmp_path, "competence", semester="2020-syksy")
    raw = _pdf_text(tmp_path / "infographic.pdf")
    assert "Mielenterveyspalvelujen" not in raw.split()  # too wide for a tile: it had to be broken
    assert long in _flat(raw)  # ...with a hyphen at a syllable boundary, nothing cut off
    assert "73,8 %" in raw
    flat = _flat(raw)
    assert "piilotettu" in flat and "Sosiaalinen raportointi" not in flat
    assert "”piilotettu”: luku kuvaa alle 5 vastaajaa" in flat


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="analysis"):
        make_infographic(tmp_path, "nonsense", semester="2021-syksy")
    with pytest.raises(ValueError, match="key_figures.json"):
        make_infographic(tmp_path, "course", semester="2021-syksy")
    _course_figures(tmp_path)
    with pytest.raises(ValueError, match="lang"):
        make_infographic(tmp_path, "course", semester="2021-syksy", lang="sv")  # type: ignore[arg-type]


def test_approval_parsing(tmp_path: Path) -> None:
    assert [is_approved(v) for v in ("TRUE", " kyllä ", "1", "x", "no", "0", "")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    path = tmp_path / "q.csv"
    path.write_text(
        "theme;quote;approved\nasuminen;Soita 040 123 4567;yes\ntyo;Ei;no\n", encoding="utf-8"
    )
    rows = read_approved_quotes(path)
    assert len(rows) == 1 and rows[0]["theme"] == "asuminen"
    assert "040 123 4567" not in rows[0]["quote"]  # scrubbed again as a safety net
    assert read_approved_quotes(tmp_path / "missing.csv") == []


def test_period_label() -> None:
    assert period_label("2022-syksy") == "Syksy 2022"
    assert period_label("2022-kevat", "en") == "Spring 2022"
    assert period_label("2021/22") == "2021/22"


def test_unknown_value_gives_no_empty_tile(tmp_path: Path) -> None:
    """Without a target-group size the response rate is unknown: no "–" tile, the next figure takes its place."""
    kf = KeyFigures()
    kf.add("n_respondents", 118, "n", n=118, label_fi="Vastaajaa", label_en="Respondents")
    kf.add("response_rate", None, "%", n=118, label_fi="Vastausosuus", label_en="Response rate")
    kf.add(
        "need_rank_1",
        7.2,
        "MWDS",
        n=117,
        label_fi="Suurin koulutustarve: Sosiaalinen raportointi",
        label_en="Largest training need: Social reporting",
    )
    kf.write(tmp_path, min_n=5)
    make_infographic(tmp_path, "competence", semester="2020-syksy")
    flat = _flat(_pdf_text(tmp_path / "infographic.pdf"))
    assert "Vastausosuus" not in flat
    assert "7,2" in flat and "118" in flat


def test_a_hidden_cell_in_a_table_is_a_suppressed_bar_not_a_missing_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Published tables leave hidden cells empty; the chart says "piilotettu" there instead of dropping the bar."""
    from sosrake_lib.infographic import Context, _bars_from_table

    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "palaute_osa_alueet.csv").write_text(
        "Osa-alue,n,Keskiarvo,95 % LV alaraja,95 % LV yläraja\nLähipäivät,33,4.45,4.26,4.65\nOhjaus,,,,\n",
        encoding="utf-8",
    )
    ctx = Context({}, "fi", 5, analysis="course", folder=tmp_path)
    bars = _bars_from_table(
        ctx, "feedback_parts", "part_label", "mean", low="ci_low", high="ci_high", n="n"
    )
    assert [(b.label, b.value, b.suppressed) for b in bars] == [
        ("Lähipäivät", 4.45, False),
        ("Ohjaus", None, True),
    ]
