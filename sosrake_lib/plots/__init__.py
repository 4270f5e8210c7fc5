"""House style and figure functions for the SOSRAKE outputs.

Figure functions follow seaborn's convention: they take ``ax=None`` (a new figure is made with
:func:`new_figure` when none is given) and return the :class:`~matplotlib.axes.Axes` they drew on. They never
save: :func:`save_figure` writes SVG, PDF and PNG with deterministic metadata, so a re-run gives byte-identical
files (README, "Staff, every semester": byte-identical re-runs).

House style
-----------
- Colour-blind-safe colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design") for
  categories, and ColorBrewer's diverging RdBu (Brewer, colorbrewer2.org, flagged colour-blind safe) for
  Likert scales, with a **neutral grey centre**; "En osaa sanoa" is a separate light grey, drawn apart.
- DejaVu Sans (ships with matplotlib, has every Finnish letter, the minus sign and the NBSP).
- Finnish labels by default; numbers on axes and bars go through :mod:`sosrake_lib.fmt` (decimal comma).
- Every tick label is wrapped by :func:`wrap_label`, which also hyphenates long Finnish compound words.
- Diverging stacked bars for Likert items follow Heiberger & Robbins (2014), "Design of diverging stacked
  bar charts for Likert scales and other applications", J. Stat. Softw. 57(5).

Submodules
----------
- :mod:`~sosrake_lib.plots.style`: the palettes (:data:`OKABE_ITO`, :data:`LIKERT_5`, the greys),
  font and size, :func:`house_rc`, :func:`set_house_style`, :func:`house_style`, :func:`new_figure`,
  :func:`likert_colors`.
- :mod:`~sosrake_lib.plots.ticks`: :func:`wrap_label` (Finnish hyphenation), :class:`FmtFormatter`.
- :mod:`~sosrake_lib.plots.likert`: :func:`likert_diverging`.
- :mod:`~sosrake_lib.plots.bars`: :func:`bar_with_ci`, :func:`funnel`.
- :mod:`~sosrake_lib.plots.dots`: :func:`quadrant_plot`, :func:`paired_slope`,
  :func:`finish_dot_axes`.
- :mod:`~sosrake_lib.plots.saving`: :func:`save_figure`, :func:`save_and_show` (deterministic
  SVG, PDF and PNG, the alternative text beside them), ``fit_to_canvas`` (titles and legends kept
  inside the canvas).
- :mod:`~sosrake_lib.plots.alt`: the alternative text each figure function attaches (its main numbers,
  in the run's language) and ``figure_alt``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> table = pd.DataFrame({"Eri mieltä": [10.0, 30.0], "Ei samaa eikä eri": [20.0, 20.0],
...                       "Samaa mieltä": [60.0, 40.0], "En osaa sanoa": [10.0, 10.0]},
...                      index=["Sain apua", "Minua kuunneltiin"])
>>> ax = likert_diverging(table, nsa_col="En osaa sanoa")
>>> [t.get_text() for t in ax.get_yticklabels()]
['Sain apua', 'Minua kuunneltiin']
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

from . import alt as alt
from .bars import bar_with_ci, funnel
from .dots import finish_dot_axes as finish_dot_axes
from .dots import paired_slope, quadrant_plot
from .likert import likert_diverging
from .saving import _save as _save
from .saving import save_and_show, save_figure
from .style import BASE as BASE
from .style import DEFAULT_SIZE as DEFAULT_SIZE
from .style import FONT as FONT
from .style import HIGHLIGHT as HIGHLIGHT
from .style import (
    LIKERT_5,
    NSA_GREY,
    OKABE_ITO,
    house_rc,
    house_style,
    likert_colors,
    new_figure,
    set_house_style,
)
from .style import NEUTRAL_GREY as NEUTRAL_GREY
from .style import TEXT_GREY as TEXT_GREY
from .style import _ax_or_new as _ax_or_new
from .ticks import FmtFormatter, wrap_label

__all__ = [
    "LIKERT_5",
    "NSA_GREY",
    "OKABE_ITO",
    "FmtFormatter",
    "bar_with_ci",
    "funnel",
    "house_rc",
    "house_style",
    "likert_colors",
    "likert_diverging",
    "new_figure",
    "paired_slope",
    "quadrant_plot",
    "save_and_show",
    "save_figure",
    "set_house_style",
    "wrap_label",
]
