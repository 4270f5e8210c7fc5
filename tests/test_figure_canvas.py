"""Every text of every kind of figure stays inside the canvas, with long Finnish titles and labels.

Each figure is laid out as it is saved (:func:`sosrake_lib.plots.saving.fit_to_canvas`, the step
``save_figure`` runs before writing) and every visible text artist, legend patches included, must lie
inside the figure (1 px tolerance). Before titles were wrapped to the canvas and Likert legends got fewer
columns, a long Likert title ran past the right edge ("…tärkeys omassa työss") and the legend's first
patch past the left one.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text

from sosrake_lib import plots
from sosrake_lib.interviews import plot_grouped_ci
from sosrake_lib.plots.saving import fit_to_canvas

LONG_TITLE = (
    "Tiedon kerääminen asiakastyöstä ja sen hyödyntäminen rakenteellisessa sosiaalityössä: "
    "tärkeys omassa työssä"
)
ITEMS = [
    "Osaan kerätä asiakastyöstä järjestelmällisesti tietoa asiakkaiden tarpeista",
    "Osaan dokumentoida asiakastyön havainnot niin, että ne voi koota rakenteelliseen työhön",
    "Mielenterveyspalvelujen ja päihdepalvelujen yhteensovittaminen",
]
SCALE = ["Ei lainkaan osaamista", "Vähäinen osaaminen", "Kohtalainen osaaminen", "Hyvä osaaminen",
         "Erittäin hyvä osaaminen"]  # fmt: skip


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _outside(fig: Figure) -> list[str]:
    """The texts and legend patches of ``fig`` that are not inside the canvas (1 px tolerance)."""
    fit_to_canvas(fig)
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    ticks = {id(t) for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()}
    boxes = [
        (repr(a.get_text()), a.get_window_extent(renderer))
        for a in fig.findobj(Text)
        if a.get_visible() and a.get_text().strip() and id(a) not in ticks
    ]
    for ax in fig.axes:
        # tick labels as drawn (those beyond the axis limits are not drawn) and the axis labels
        boxes += [(f"{name}-axis", axis.get_tightbbox(renderer)) for name, axis in
                  (("x", ax.xaxis), ("y", ax.yaxis)) if axis.get_visible()]  # fmt: skip
        legend = ax.get_legend()
        if legend is not None:
            boxes += [("legend patch", p.get_window_extent(renderer)) for p in legend.get_patches()]
            boxes += [("legend handle", h.get_window_extent(renderer))
                      for h in legend.legend_handles if h is not None]  # fmt: skip
    return [
        f"{name} at {box.x0:.0f}..{box.x1:.0f} x {box.y0:.0f}..{box.y1:.0f}"
        for name, box in boxes
        if box is not None
        and not (
            box.x0 >= page.x0 - 1
            and box.y0 >= page.y0 - 1
            and box.x1 <= page.x1 + 1
            and box.y1 <= page.y1 + 1
        )
    ]


def _likert_table(hidden: bool) -> pd.DataFrame:
    rows = [[0.0, 6.0, 41.0, 44.0, 9.0, 0.0], [np.nan, np.nan, 36.0, 47.0, 9.0, np.nan],
            [2.0, 5.0, 27.0, 49.0, 15.0, 2.0]]  # fmt: skip
    t = pd.DataFrame(rows, columns=[*SCALE, "En osaa sanoa"], index=ITEMS)
    return t if hidden else t.fillna(4.0)


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("hidden", [True, False])
def test_likert_texts_and_legend_inside_the_canvas(lang: str, hidden: bool) -> None:
    fig, axes = plots.new_figure(6.3, 5.5, nrows=2)
    for ax in axes:
        plots.likert_diverging(_likert_table(hidden), nsa_col="En osaa sanoa", ax=ax, lang=lang,
                               label_width=34, title=LONG_TITLE)  # fmt: skip
    assert _outside(fig) == []
    # the title was wrapped, not cut: every word is still there
    assert " ".join(axes[0].get_title().replace("-\n", "").split()) == LONG_TITLE


def test_likert_plot_area_uses_the_width() -> None:
    """The bars' axes take more than half of the canvas width (a 7-column legend squeezed it to a quarter)."""
    fig, ax = plots.new_figure(6.3, 3.2)
    plots.likert_diverging(_likert_table(True), nsa_col="En osaa sanoa", ax=ax, label_width=34,
                           title=LONG_TITLE)  # fmt: skip
    fit_to_canvas(fig)
    assert ax.get_position().width > 0.5


def test_bars_funnel_dots_and_grouped_ci_inside_the_canvas() -> None:
    bars = pd.DataFrame({"label": ITEMS, "pct": [54.0, 31.0, 88.0], "low": [40.0, 20.0, 80.0],
                         "high": [66.0, 44.0, 94.0], "n": [40, 3, 50]})  # fmt: skip
    figs = []
    fig, ax = plots.new_figure(6.3, 3.0)
    plots.bar_with_ci(bars, "pct", "label", "low", "high", n="n", ax=ax, title=LONG_TITLE,
                      xlabel="Osuus vastanneista, % (95 % luottamusväli)")  # fmt: skip
    figs.append(fig)
    steps = pd.DataFrame({"step_label": ["Ilmoittautuneet kurssille", "Aloittaneet lähipäivät",
                                         "Suorittaneet kaikki tehtävät ja lähipäivät"],
                          "n": [63.0, 58.0, 12.0], "pct": [100.0, 92.1, 19.0]})  # fmt: skip
    fig, ax = plots.new_figure(6.3, 3.0)
    plots.funnel(steps, ax=ax, title=LONG_TITLE)
    figs.append(fig)
    needs = pd.DataFrame({"label": ITEMS, "competence_mean": [3.1, 2.4, 3.8],
                          "importance_mean": [4.2, 4.5, 3.9]})  # fmt: skip
    fig, ax = plots.new_figure(6.3, 4.8)
    plots.quadrant_plot(needs, ax=ax, title=LONG_TITLE)
    figs.append(fig)
    pre = pd.DataFrame({"a": [2.0, 3.0, 2.5, 3.5], "b": [3.0, 3.0, 4.0, 2.0]})
    fig, ax = plots.new_figure(6.3, 3.0)
    plots.paired_slope(pre, pre + 0.5, labels={"a": ITEMS[0], "b": ITEMS[1]}, ax=ax,
                       title=LONG_TITLE, xlabel="Osaamisalueen keskiarvo (1–5), mediaani")  # fmt: skip
    figs.append(fig)
    grouped = pd.DataFrame({"theme": ITEMS * 2, "semester": ["2021-syksy"] * 3 + ["2022-syksy"] * 3,
                            "pct": [54.0, 31.0, 88.0, 60.0, 20.0, 90.0], "lo": [10.0] * 6,
                            "hi": [95.0] * 6, "n": [40, 3, 50, 30, 30, 30]})  # fmt: skip
    ax = plot_grouped_ci(grouped, category="theme", group="semester", value="pct", low="lo",
                         high="hi", n="n", title=LONG_TITLE)  # fmt: skip
    figs.append(ax.figure)
    assert {i: _outside(f) for i, f in enumerate(figs)} == {i: [] for i in range(len(figs))}


def test_the_check_finds_a_text_outside_the_canvas() -> None:
    """The check itself: a label placed past the right edge is reported."""
    fig, ax = plots.new_figure(3, 2)
    ax.text(1.5, 0.5, "ulkona", transform=ax.transAxes)
    assert len(_outside(fig)) == 1 and "ulkona" in _outside(fig)[0]


def test_legend_patches_are_checked() -> None:
    fig, ax = plots.new_figure(3, 2)
    ax.legend(handles=[Patch(label="a" * 80)], loc="upper left", bbox_to_anchor=(-0.6, 1))
    assert _outside(fig)  # the legend's patch or text lies outside
    assert isinstance(Rectangle((0, 0), 1, 1), Patch)
