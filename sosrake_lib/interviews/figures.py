"""Figure helpers of the interviews analysis: grouped bars with intervals, interval text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..fmt import Lang, fmt_ci, fmt_percent
from ..settings import MIN_N


# -------------------------------------------------------------------------------------------- figures
def plot_grouped_ci(
    table: pd.DataFrame,
    *,
    category: str,
    group: str,
    value: str,
    low: str,
    high: str,
    n: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    xlabel: str | None = None,
    title: str | None = None,
    percent: bool = True,
    xlim: tuple[float, float] | None = None,
) -> Any:
    """Horizontal grouped bars (one bar per ``group`` within each ``category``) with CI whiskers.

    Used for top-2-box % per theme and semester and for open-answer themes per semester. Suppressed values
    (NaN, or ``n < min_n``) get no bar and the label "piilotettu". Returns the Axes.
    """
    from matplotlib.patches import Patch

    from ..fmt import fmt_number, fmt_suppressed
    from ..plots import OKABE_ITO, FmtFormatter, new_figure, wrap_label
    from ..plots.alt import set_alt

    cats = list(dict.fromkeys(table[category]))
    groups = list(dict.fromkeys(table[group]))
    k = len(groups)
    height = 0.8 / max(k, 1)
    fig, ax = new_figure(6.3, 1.0 + 0.28 * len(cats) * k + 0.15 * len(cats))
    alt_rows: dict[str, list[str]] = {str(c): [] for c in cats}
    for j, g in enumerate(groups):
        sub = table[table[group] == g].set_index(category).reindex(cats)
        vals = pd.to_numeric(sub[value], errors="coerce").to_numpy(dtype=float)
        if n is not None:
            sizes = pd.to_numeric(sub[n], errors="coerce").to_numpy(dtype=float)
            vals = np.where(sizes >= min_n, vals, np.nan)
        lo = pd.to_numeric(sub[low], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(sub[high], errors="coerce").to_numpy(dtype=float)
        pos = np.arange(len(cats)) - 0.4 + height * (j + 0.5)
        color = OKABE_ITO[j % len(OKABE_ITO)] if k > 1 else OKABE_ITO[0]
        ax.barh(pos, np.nan_to_num(vals), height=height * 0.9, color=color, zorder=2)
        whisker = ~(
            np.isnan(vals) | np.isnan(lo) | np.isnan(hi)
        )  # a hidden bar gets no stray whisker at 0
        if whisker.any():
            err = np.vstack([vals - lo, hi - vals])[:, whisker]
            ax.errorbar(
                vals[whisker],
                pos[whisker],
                xerr=err,
                fmt="none",
                ecolor="#333333",
                elinewidth=0.8,
                capsize=2,
                zorder=3,
            )
        for c, p, v, h in zip(cats, pos, vals, hi, strict=True):
            text = (
                fmt_suppressed(min_n, lang)
                if np.isnan(v)
                else (fmt_percent(v, lang) if percent else fmt_number(v, lang, 1))
            )
            alt_rows[str(c)].append(f"{g} {text}" if k > 1 else text)
            x_at = 1 if np.isnan(v) else (h if not np.isnan(h) else v)
            ax.text(x_at + 1.0, p, text, va="center", ha="left", fontsize=7, color="#1a1a1a")
    ax.set_yticks(np.arange(len(cats)), [wrap_label(c, 24) for c in cats])
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlim(*(xlim or ((0, 108) if percent else (None, None))))
    if percent:
        ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.xaxis.set_major_formatter(FmtFormatter(lang, percent=percent))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if k > 1:
        handles = [
            Patch(color=OKABE_ITO[j % len(OKABE_ITO)], label=str(g)) for j, g in enumerate(groups)
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=k,
            frameon=False,
            fontsize=8,
        )
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(wrap_label(title, 60))
    set_alt(ax, [f"{c}: {', '.join(v)}" for c, v in alt_rows.items()], title=title or xlabel)
    return ax


def ci_text(low: Any, high: Any, lang: Lang = "fi", percent: bool = True) -> str:
    """A CI for narrative text: ``95 % LV 80–92 %`` / ``95% CI 80–92%``.

    >>> ci_text(80.4, 91.6, "en")
    '95% CI 80–92%'
    """
    inner = fmt_ci(low, high, lang, 0, percent=percent)
    return f"95 % LV {inner}" if lang == "fi" else f"95% CI {inner}"
