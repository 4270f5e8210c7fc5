"""The trend figure: one line per series over the rounds, with 95 % confidence intervals where there are any.

A series is one definition of a key figure (:mod:`sosrake_lib.history.table`): when the definition changes,
the new series is a separate line (dashed, its legend entry says "sarja 2" / "series 2"), never joined to
the old one. A suppressed point is left out (a gap) and said in the alternative text; a census (the course
completion rate) has no interval. Colours: Okabe–Ito by measure, in the order of the table.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> rows = pd.DataFrame({"name": ["nps"] * 2, "series": [1, 1], "series_id": ["i/nps/1"] * 2,
...                      "round": ["2021-syksy", "2022-syksy"], "value": [-5, 30], "n": [80, 86],
...                      "ci_low": [-27.0, 12.0], "ci_high": [18.0, 46.0], "unit": ["NPS"] * 2,
...                      "suppressed": [False, False], "label_fi": ["NPS"] * 2, "label_en": ["NPS"] * 2})
>>> ax = trend_plot(rows, title="NPS lukukausittain", ylabel="NPS")
>>> [t.get_text() for t in ax.get_xticklabels()]
['Syksy 2021', 'Syksy 2022']
>>> from sosrake_lib.plots.alt import axes_alt
>>> axes_alt(ax)
'NPS lukukausittain: NPS: Syksy 2021 −5 (95 % LV −27 – 18), Syksy 2022 +30 (95 % LV 12–46).'
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from ..fmt import Lang, fmt_ci, fmt_semester, fmt_value
from ..outputs import display_decimals
from ..plots.alt import set_alt
from ..plots.style import OKABE_ITO, TEXT_GREY, new_figure
from ..plots.ticks import FmtFormatter, wrap_label
from .table import round_key
from .texts import text


def _num(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _point_alt(r: Any, lang: Lang) -> str:
    when = fmt_semester(r.round, lang)
    if bool(r.suppressed) or math.isnan(_num(r.value)):
        return f"{when} {text('suppressed_point', lang)}"
    unit = str(r.unit)
    out = f"{when} {fmt_value(r.value, unit, lang, display_decimals(unit))}"
    low, high = _num(r.ci_low), _num(r.ci_high)
    if not (math.isnan(low) or math.isnan(high)):
        d = display_decimals(unit)
        inner = fmt_ci(low, high, lang, 0 if unit == "%" else d, percent=unit == "%")
        out += f" (95 % LV {inner})" if lang == "fi" else f" (95% CI {inner})"
    return out


def trend_plot(
    rows: pd.DataFrame,
    *,
    lang: Lang = "fi",
    title: str | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the rows of one or more key figures (history-table rows) as lines over the rounds.

    Parameters
    ----------
    rows : DataFrame
        History-table rows (:data:`sosrake_lib.history.table.HISTORY_COLUMNS`: ``name``, ``series``,
        ``series_id``, ``round``, ``value``, ``ci_low``, ``ci_high``, ``unit``, ``suppressed``, labels).
    lang : {"fi", "en"}
        Language of the labels (rounds as ``Syksy 2022`` / ``Autumn 2022``).
    title, ylabel : str, optional
        Title above the axes and the y-axis label.

    Returns
    -------
    Axes
        With an alternative text (:func:`sosrake_lib.plots.alt.set_alt`) naming every point.
    """
    if ax is None:
        _, ax = new_figure(6.3, 4.0)
    rounds = sorted(dict.fromkeys(rows["round"].tolist()), key=round_key)
    x_of = {r: i for i, r in enumerate(rounds)}
    names = list(dict.fromkeys(rows["name"].tolist()))
    # only a measure whose line broke names its series; the others keep their plain label
    broken = set(rows.groupby("name")["series"].nunique().loc[lambda n: n > 1].index)
    alt_parts = []
    groups = list(rows.groupby("series_id", sort=False))
    # lines at the same round are moved a little apart so their intervals do not hide each other
    step = 0.05 if len(groups) > 1 else 0.0
    for i, (_, grp) in enumerate(groups):
        dodge = (i - (len(groups) - 1) / 2) * step
        grp = grp.sort_values("round", key=lambda s: s.map(round_key))
        first = grp.iloc[0]
        color = OKABE_ITO[names.index(first["name"]) % len(OKABE_ITO)]
        label = str(first[f"label_{lang}"] or first["name"])
        if first["name"] in broken:
            label += f" ({text('series_word', lang)} {int(first['series'])})"
        keep = [
            not bool(s) and not math.isnan(_num(v))
            for s, v in zip(grp["suppressed"], grp["value"], strict=True)
        ]
        shown = grp.loc[keep]
        if shown.empty:
            label += f" ({text('suppressed_point', lang)})"
        xs = [x_of[r] + dodge for r in shown["round"]]
        ys = [_num(v) for v in shown["value"]]
        style = "-" if int(first["series"]) == 1 else "--"
        ax.plot(xs, ys, style, marker="o", color=color, label=wrap_label(label, 44), lw=1.6, ms=5)
        lows = [_num(v) for v in shown["ci_low"]]
        highs = [_num(v) for v in shown["ci_high"]]
        for x, y, lo, hi in zip(xs, ys, lows, highs, strict=True):
            if not (math.isnan(lo) or math.isnan(hi)):
                ax.errorbar(x, y, yerr=[[y - lo], [hi - y]], color=color, capsize=3, lw=1)
        alt_parts.append(f"{label}: " + ", ".join(_point_alt(r, lang) for r in grp.itertuples()))
    ax.set_xticks(range(len(rounds)), [fmt_semester(r, lang) for r in rounds])
    ax.set_xlim(-0.5, len(rounds) - 0.5)
    if rows["unit"].astype(str).eq("%").all():
        ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(FmtFormatter(lang))  # the run's decimal mark, as the tables
    if ylabel:
        ax.set_ylabel(ylabel, color=TEXT_GREY)
    if title:
        ax.set_title(wrap_label(title, 60))
    if len(rows["series_id"].unique()) > 1:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=2,
            frameon=False,
            fontsize="small",
        )
    if rows["unit"].astype(str).str.upper().str.startswith("NPS").all():
        ax.axhline(0, color="#9e9e9e", lw=0.8, zorder=0)
    ax.grid(axis="y", color="#e0e0e0", lw=0.6)
    set_alt(ax, alt_parts, title=title)
    return ax


__all__ = ["trend_plot"]
