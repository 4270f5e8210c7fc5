"""Tests for sosrake_lib.plots: wrapping, geometry of the figure functions, deterministic saving."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from PIL import Image
from pypdf import PdfReader

from sosrake_lib import plots
from sosrake_lib.plots import (
    HIGHLIGHT,
    NSA_GREY,
    bar_with_ci,
    funnel,
    likert_diverging,
    new_figure,
    paired_slope,
    quadrant_plot,
    save_figure,
    wrap_label,
)

NB = "\u00a0"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


# ------------------------------------------------------------------------------------ wrap_label


def test_wrap_long_finnish_compound_at_syllable():
    # mie-len-ter-veys-pal-ve-lut: the last boundary that leaves room for "-" within 12 is after "mielenter"
    assert wrap_label("mielenterveyspalvelut", 12) == "mielenter-\nveyspalvelut"


def test_wrap_lines_never_exceed_width_and_text_is_kept():
    text = "työllistymistä edistävä monialainen yhteispalvelu mielenterveyspalvelut"
    for width in (6, 8, 10, 12, 16, 25):
        wrapped = wrap_label(text, width)
        assert all(len(line) <= width for line in wrapped.split("\n")), (width, wrapped)
        # removing the soft hyphens and line breaks gives the words back
        assert wrapped.replace("-\n", "").replace("\n", " ") == text


def test_wrap_breaks_after_hyphen_and_at_spaces():
    assert wrap_label("Mielenterveys- ja päihdetyö", 16) == "Mielenterveys-\nja päihdetyö"
    assert wrap_label("HYTE-työ", 20) == "HYTE-työ"
    assert wrap_label("lyhyt", 20) == "lyhyt"
    assert wrap_label("rivi yksi\nrivi kaksi", 30) == "rivi yksi\nrivi kaksi"


def test_wrap_hard_cut_without_syllable_boundary():
    assert wrap_label("xxxxxxxxxx", 5) == "xxxx-\nxxxx-\nxx"


def test_wrap_missing_and_bad_width():
    assert wrap_label(None) == ""
    with pytest.raises(ValueError):
        wrap_label("abc", 1)


# ------------------------------------------------------------------------------------ likert


def test_likert_diverging_geometry():
    cols = [
        "Eri mieltä",
        "Jokseenkin eri",
        "Neutraali",
        "Jokseenkin samaa",
        "Samaa mieltä",
        "En osaa sanoa",
    ]
    table = pd.DataFrame(
        [[10, 20, 40, 20, 10, 0], [0, 0, 20, 30, 50, 25]],
        columns=cols,
        index=["Sain apua mielenterveyspalveluista nopeasti", "Minua kuunneltiin"],
    )
    ax = likert_diverging(table, nsa_col="En osaa sanoa")
    bars = _bars(ax)
    # 5 scale segments per item + 1 NSA bar per item; first item is row 0
    row0 = sorted(
        (b for b in bars if abs(b.get_y() + b.get_height() / 2) < 1e-9), key=lambda b: b.get_x()
    )
    # negatives (10 + 20) and half the neutral (20) lie left of zero: the first segment starts at -50
    assert row0[0].get_x() == pytest.approx(-50)
    neutral = row0[2]
    assert neutral.get_x() == pytest.approx(-20)
    assert neutral.get_width() == pytest.approx(40)
    assert to_hex(neutral.get_facecolor()) == plots.NEUTRAL_GREY
    # the NSA bar is drawn apart, right of the scale's axis limit and in light grey
    nsa_bars = [b for b in bars if to_hex(b.get_facecolor()) == NSA_GREY]
    assert len(nsa_bars) == 2
    scale_right = max(b.get_x() + b.get_width() for b in bars if b not in nsa_bars)
    assert min(b.get_x() for b in nsa_bars) > scale_right
    # segment labels in Finnish: NSA 25 shown, segments < 5 % not labelled
    assert "25" in _texts(ax)
    # long item label wrapped; legend has all six categories
    assert "\n" in ax.get_yticklabels()[0].get_text()
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "En osaa sanoa"
    assert len(ax.get_legend().get_texts()) == 6
    # tick labels are absolute percentages with NBSP
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    # right extent of item 2 is 10 + 30 + 50 = 90 -> axis to 100, ticks every 50
    assert ticks == [f"100{NB}%", f"50{NB}%", f"0{NB}%", f"50{NB}%", f"100{NB}%"]
    assert not any(t.startswith(("-", "\u2212")) for t in ticks)


def test_likert_hidden_categories_are_one_hatched_segment_and_every_bar_sums_to_100():
    """A row 8/0/50/–/33 with "hyvä" and "En osaa sanoa" hidden: the hidden 9 % are one hatched
    "piilotettu" segment where "hyvä" would be, not a gap that reads as "nobody answered hyvä"."""
    cols = ["Ei lainkaan", "Vähäinen", "Kohtalainen", "Hyvä", "Erittäin hyvä", "En osaa sanoa"]
    table = pd.DataFrame(
        [[8.0, 0.0, 50.0, np.nan, 33.0, np.nan], [10.0, 20.0, 40.0, 20.0, 5.0, 5.0]],
        columns=cols,
        index=["Tiedonkeruu", "Raportointi"],
    )
    ax = likert_diverging(table, nsa_col="En osaa sanoa")
    hatched = [b for b in _bars(ax) if b.get_hatch()]
    assert [(b.get_x(), b.get_width(), b.get_y() + b.get_height() / 2) for b in hatched] == [
        pytest.approx((25.0, 9.0, 0.0))  # after "Kohtalainen" (-25 .. 25), before "Erittäin hyvä"
    ]
    row0 = [b for b in _bars(ax) if abs(b.get_y() + b.get_height() / 2) < 1e-9]
    scale0 = [b for b in row0 if to_hex(b.get_facecolor()) != NSA_GREY]
    assert sum(b.get_width() for b in scale0) == pytest.approx(100.0)
    row1 = [b for b in _bars(ax) if abs(b.get_y() + b.get_height() / 2 - 1) < 1e-9]
    assert sum(b.get_width() for b in row1) == pytest.approx(100.0)  # scale 95 + NSA 5
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1].startswith("piilotettu") and ax.get_legend().get_patches()[-1].get_hatch()
    assert plots.alt.axes_alt(ax) == (
        "Tiedonkeruu: Erittäin hyvä 33 %, Ei lainkaan tai Vähäinen 8 %, Kohtalainen 50 %, "
        "piilotettu 9 %; Raportointi: Erittäin hyvä tai Hyvä 25 %, Ei lainkaan tai Vähäinen 30 %, "
        "Kohtalainen 40 %, En osaa sanoa 5 %."
    )


def test_likert_only_nsa_hidden_is_hatched_in_its_own_place():
    table = pd.DataFrame(
        [[30.0, 60.0, np.nan]], columns=["Eri", "Samaa", "EOS"], index=["Sain apua"]
    )
    ax = likert_diverging(table, nsa_col="EOS", lang="en")
    (hatched,) = [b for b in _bars(ax) if b.get_hatch()]
    assert hatched.get_width() == pytest.approx(10.0) and hatched.get_x() > 60
    assert "suppressed" in _texts(ax)
    assert plots.alt.axes_alt(ax) == "Sain apua: Samaa 60%, Eri 30%, suppressed 10%."


def test_likert_unknown_column():
    with pytest.raises(KeyError):
        likert_diverging(pd.DataFrame({"a": [1.0]}), ["a", "b"])


# ------------------------------------------------------------------------------------ bar_with_ci


def test_bar_with_ci_labels_and_suppression():
    df = pd.DataFrame(
        {
            "label": ["Koki olonsa turvalliseksi", "Pieni ryhmä"],
            "pct": [92.25, 80.0],
            "lo": [80.0, 50.0],
            "hi": [97.5, 95.0],
            "n": [39, 3],
        }
    )
    ax = bar_with_ci(df, "pct", "label", "lo", "hi", n="n", decimals=1)
    assert _texts(ax) == [f"92,3{NB}%", "piilotettu"]
    widths = [b.get_width() for b in _bars(ax)]
    assert widths == pytest.approx([92.25, 0.0])
    # the value label sits right of the whisker end
    assert ax.texts[0].get_position()[0] > 97.5

    ax_en = bar_with_ci(df, "pct", "label", "lo", "hi", n="n", decimals=1, lang="en")
    assert _texts(ax_en) == ["92.3%", "suppressed"]


def test_bar_with_ci_means():
    df = pd.DataFrame({"area": ["A", "B"], "mean": [3.44, 4.05]})
    ax = bar_with_ci(df, "mean", "area", percent=False)
    assert _texts(ax) == ["3,4", "4,1"]


# ------------------------------------------------------------------------------------ quadrant


def test_quadrant_highlights_top_three_gaps():
    df = pd.DataFrame(
        {
            "label": ["A", "B", "C", "D", "E"],
            "competence_mean": [2.0, 3.0, 3.5, 4.0, 2.5],
            "importance_mean": [4.5, 4.0, 3.6, 4.1, 3.9],
        }
    )
    # gaps: A 2.5, B 1.0, C 0.1, D 0.1, E 1.4  -> top 3 = A, E, B
    ax = quadrant_plot(df, quadrant_labels=False)
    highlighted = {
        t.get_text() for t in ax.texts if to_hex(t.get_color()) == plots.style.HIGHLIGHT_TEXT
    }
    assert highlighted == {"A", "E", "B"}
    # mean lines at the means of x and y
    vlines = [ln.get_xdata()[0] for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]]
    assert any(v == pytest.approx(3.0) for v in vlines)  # mean of 2, 3, 3.5, 4, 2.5
    # with an explicit need column the ranking follows it
    ax2 = quadrant_plot(df.assign(mwds=[0, 0, 5, 4, 3]), need="mwds", quadrant_labels=False)
    highlighted2 = {
        t.get_text() for t in ax2.texts if to_hex(t.get_color()) == plots.style.HIGHLIGHT_TEXT
    }
    assert highlighted2 == {"C", "D", "E"}


# ------------------------------------------------------------------------------------ paired_slope


def test_paired_slope_medians_of_complete_pairs():
    pre = pd.DataFrame(
        {"raportointi": [1.0, 2.0, 3.0, np.nan], "vaikuttaminen": [2.0, 2.0, 2.0, 2.0]}
    )
    post = pd.DataFrame(
        {"raportointi": [2.0, 4.0, 5.0, 5.0], "vaikuttaminen": [3.0, 3.0, 4.0, 4.0]}
    )
    ax = paired_slope(pre, post, {"raportointi": "Sosiaalinen raportointi"}, individual=True)
    offsets = [c.get_offsets()[0] for c in ax.collections]
    # row 0: complete pairs (1,2), (2,4), (3,5): medians 2 and 4; row 1: medians 2 and 3.5
    assert [tuple(o) for o in offsets] == [(2.0, 0.0), (4.0, 0.0), (2.0, 1.0), (3.5, 1.0)]
    assert _texts(ax) == ["", "n = 3", "", "n = 4"]  # "" are the arrows (annotations)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Sosiaalinen raportointi",
        "vaikuttaminen",
    ]
    assert len(ax.lines) == 7  # one thin line per complete pair


# ------------------------------------------------------------------------------------ funnel


def test_funnel_centred_bars_and_labels():
    steps = pd.DataFrame(
        {
            "step_label": ["Ilmoittautuneet", "Suorittaneet"],
            "n": [63, 35],
            "pct": [100.0, 35 / 63 * 100],
        }
    )
    ax = funnel(steps)
    bars = _bars(ax)
    assert [b.get_width() for b in bars] == [63, 35]
    assert bars[1].get_x() == pytest.approx(14.0)  # (63 - 35) / 2: centred
    assert _texts(ax) == [f"63 (100,0{NB}%)", f"35 (55,6{NB}%)"]


def test_funnel_hidden_step_says_so():
    steps = pd.DataFrame(
        {
            "step_label": ["Ilmoittautuneet", "Moduuli 1", "Suorittaneet"],
            "n": pd.array([63, pd.NA, 35], dtype="Int64"),
            "pct": [100.0, np.nan, 35 / 63 * 100],
        }
    )
    ax = funnel(steps, lang="en")
    assert _texts(ax) == ["63 (100.0%)", "suppressed", "35 (55.6%)"]


# ------------------------------------------------------------------------------------ saving


def _figure():
    fig, ax = new_figure(4, 3)
    ax.barh([0, 1], [3.4, 4.1])
    ax.set_yticks([0, 1], [wrap_label("mielenterveyspalvelut", 12), "Turvallisuus"])
    ax.set_title("Keskiarvot ä ö")
    return fig


def test_save_figure_is_byte_identical_on_rerun(tmp_path):
    fig = _figure()
    first = save_figure(fig, tmp_path / "a" / "kuva")
    second = save_figure(fig, tmp_path / "b" / "kuva")
    assert [p.suffix for p in first] == [".svg", ".pdf", ".png"]
    for p1, p2 in zip(first, second, strict=True):
        assert p1.read_bytes() == p2.read_bytes(), p1.name
    # no temporary files left behind by the atomic write
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "kuva.pdf",
        "kuva.png",
        "kuva.svg",
    ]


def test_save_figure_formats_and_metadata(tmp_path):
    svg, pdf, png = save_figure(_figure(), tmp_path / "kuva")
    with Image.open(png) as im:
        assert tuple(round(v) for v in im.info["dpi"]) == (300, 300)
        assert "Software" not in im.info
    reader = PdfReader(pdf)
    meta = reader.metadata or {}
    assert "/CreationDate" not in meta
    assert b"CreationDate" not in pdf.read_bytes()
    raw = pdf.read_bytes()
    assert b"/FontFile2" in raw  # TrueType embedded (fonttype 42), not Type 3
    assert b"/Subtype /Type3" not in raw
    svg_text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in svg_text
    assert "mielenter-" in svg_text and "Keskiarvot ä ö" in svg_text  # text kept as text, wrapped


def test_save_figure_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="format"):
        save_figure(_figure(), tmp_path / "kuva", formats=("gif",))


def test_save_figure_same_page_in_every_format_and_layout_engine_restored(tmp_path):
    """One layout and one bounding box for all formats: PNG pixels / 300 dpi = PDF points / 72 = SVG pt / 72."""
    fig = _figure()
    engine = fig.get_layout_engine()
    svg, pdf, png = save_figure(fig, tmp_path / "kuva")
    assert fig.get_layout_engine() is engine  # constrained layout is back for whoever keeps drawing
    with Image.open(png) as im:
        png_in = (im.width / 300, im.height / 300)
    box = PdfReader(pdf).pages[0].mediabox
    pdf_in = (float(box.width) / 72, float(box.height) / 72)
    head = svg.read_text(encoding="utf-8")[:600]
    svg_in = tuple(float(head.split(f'{k}="')[1].split("pt")[0]) / 72 for k in ("width", "height"))
    assert png_in == pytest.approx(pdf_in, abs=2 / 300)
    assert svg_in == pytest.approx(pdf_in, abs=1e-3)
    # the figure is 4 x 3 in; the tight box crops the empty margin but keeps most of it
    assert 3.0 < pdf_in[0] <= 4.1 and 2.0 < pdf_in[1] <= 3.1
    plt.close(fig)


def test_save_figure_on_a_bare_figure_and_save_and_show_closes(tmp_path):
    from matplotlib.figure import Figure

    bare = Figure(figsize=(2, 2))
    bare.subplots().plot([1, 2], [2, 1])
    assert [p.suffix for p in save_figure(bare, tmp_path / "bare", formats=("PNG", ".pdf"))] == [
        ".png",
        ".pdf",
    ]
    fig = _figure()
    paths = plots.save_and_show(fig, tmp_path / "shown", formats=("svg",))
    assert [p.name for p in paths] == ["shown.svg", "shown.alt.txt"]
    assert not plt.fignum_exists(fig.number)
    with pytest.raises(ValueError, match="unsupported figure format 'gif'"):
        save_figure(_figure(), tmp_path / "x", formats=("gif",))
    assert not list(tmp_path.glob("x.*"))


def test_preview_is_the_print_png_shown_smaller_or_drawn_when_there_is_none(tmp_path):
    import io

    fig = _figure()
    paths, (png, width) = plots._save(
        fig, tmp_path / "kuva", ("svg", "png"), dpi=300, preview_dpi=110
    )
    assert png == paths[1].read_bytes()  # the print file itself: nothing drawn or encoded again
    with Image.open(paths[1]) as big:
        assert width == round(big.width * 110 / 300)
    _, (drawn, drawn_width) = plots._save(
        fig, tmp_path / "vain_svg", ("svg",), dpi=300, preview_dpi=110
    )
    with Image.open(io.BytesIO(drawn)) as im:  # tight box of a 4 x 3 in figure at 110 dpi
        assert 3.0 * 110 < im.width <= 4.1 * 110 and 2.0 * 110 < im.height <= 3.1 * 110
        assert drawn_width == im.width
        assert im.convert("RGB").getpixel((0, 0)) == (
            255,
            255,
            255,
        )  # white page, not a transparent/black one
    plt.close(fig)


def test_save_and_show_displays_the_print_png_at_the_preview_width_with_its_alt_text(
    tmp_path, monkeypatch
):
    import base64
    import html
    import re

    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    fig, ax = new_figure(4, 3)
    bar_with_ci(
        pd.DataFrame({"area": ["Tiedonkeruu", "Raportointi"], "pct": [54.0, 31.5]}),
        "pct",
        "area",
        ax=ax,
        title="Osaamisen taso",
    )
    paths = plots.save_and_show(fig, tmp_path / "kuva", formats=("png",), dpi=200, preview_dpi=100)
    (bundle,) = shown
    alt = "Osaamisen taso: Tiedonkeruu 54 %; Raportointi 32 %."  # one line, plain spaces
    assert bundle["text/plain"] == alt
    assert paths[1].read_text(encoding="utf-8") == alt + "\n"
    tag = bundle["text/html"]
    src = re.search(r'src="data:image/png;base64,([^"]+)"', tag).group(1)
    assert base64.b64decode(src) == paths[0].read_bytes()  # the print file itself
    assert html.unescape(re.search(r'alt="([^"]*)"', tag).group(1)) == alt
    with Image.open(paths[0]) as big:
        assert f'width="{round(big.width / 2)}"' in tag


# ------------------------------------------------------------------------------------ colour vision


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6, 7])
def test_likert_neighbours_stay_apart_under_colour_vision_deficiencies(k):
    """Adjacent Likert categories keep a CIEDE2000 difference of at least 10 in normal vision and with
    simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009, complete dichromacy)."""
    from sosrake_lib.plots.cvd import MIN_DELTA_E, closest_pair

    de, who, i, j = closest_pair(plots.likert_colors(k))
    assert de >= MIN_DELTA_E, (k, who, i, j, de)


def test_categorical_and_infographic_colours_stay_apart_under_colour_vision_deficiencies():
    from sosrake_lib.infographic.page import BLUE
    from sosrake_lib.plots.cvd import MIN_DELTA_E, closest_pair

    # Okabe-Ito: any two of the colours (groups of the grouped bars; before/after; top needs)
    assert closest_pair(list(plots.OKABE_ITO), adjacent=False)[0] >= MIN_DELTA_E
    # infographic: the first theme's highlight against the blue of the others and of the bars
    assert closest_pair([BLUE, HIGHLIGHT])[0] >= MIN_DELTA_E
    # "En osaa sanoa" grey against the scale's ends it stands beside in the legend
    assert closest_pair([plots.LIKERT_5[-1], NSA_GREY])[0] >= MIN_DELTA_E


def test_the_colour_check_tells_red_from_green_only_in_normal_vision():
    """The check can fail: pure red and a green of the same lightness collapse with deuteranopia."""
    from sosrake_lib.plots.cvd import MIN_DELTA_E, closest_pair, delta_e2000, simulate

    assert delta_e2000(simulate("#d62728", "normal"), simulate("#2ca02c", "normal")) > 40
    de, who, _, _ = closest_pair(["#d62728", "#6b8e23"])
    assert de < MIN_DELTA_E and who in ("protanopia", "deuteranopia")


def test_quadrant_texts_have_aa_contrast_on_white():
    """WCAG 1.4.3: the quadrant names (grey italics) and the top needs' labels (vermillion) were 3.4:1
    and 3.9:1 on white; every text of the figure now has at least 4.5:1."""
    from sosrake_lib.plots.style import contrast_ratio

    df = pd.DataFrame(
        {"label": list("ABCD"), "competence_mean": [3.0, 2.5, 3.5, 2.0],
         "importance_mean": [4.0, 4.5, 3.5, 4.2]}
    )  # fmt: skip
    ax = quadrant_plot(df, lang="fi")
    ratios = {t.get_text(): contrast_ratio(to_hex(t.get_color()), "white") for t in ax.texts}
    assert len(ratios) == 8 and min(ratios.values()) >= 4.5, ratios
