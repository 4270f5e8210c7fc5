"""The course pilot's key figures (:func:`key_figures`) and the helpers that format them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..outputs import KeyFigures, source
from ..scoring import NPSResult
from ..settings import MIN_N
from .constants import _TXT
from .feedback import nps_table
from .learning import gain_ranking


# -------------------------------------------------------------------------------------------- key figures
def _note_num(value: Any, spec: str) -> str:
    """A number for a key figure's note; ``suppressed`` where the published table hides it.

    >>> _note_num(0.97, ".3g"), _note_num(pd.NA, ".2g")
    ('0.97', 'suppressed')
    """
    return "suppressed" if pd.isna(value) else format(float(value), spec)


def _area_text(inst: Instrument | None, area: str, lang: Lang) -> str:
    return inst.area_label(area, lang) if inst is not None else str(area)


def _plain(x: Any) -> Any:
    return (
        None
        if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x))
        else (float(x) if isinstance(x, float | np.floating) else x)
    )


def key_figures(
    funnel: pd.DataFrame,
    change: pd.DataFrame,
    parts: pd.DataFrame,
    nps_result: NPSResult,
    *,
    n_pairs: int,
    k_gains: int = 3,
    area_inst: Instrument | None = None,
    part_inst: Instrument | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> KeyFigures:
    """The course pilot's key figures (written with :meth:`KeyFigures.write`, which enforces ``min_n``).

    * ``enrolled``, ``started``, ``completed`` (unit ``n``); ``completion_rate`` (%, Wilson 95 % CI, n = enrolled);
    * ``n_pairs``: participants with both a pre- and a post-course self-assessment;
    * ``gain_rank_1`` .. ``gain_rank_k``: the areas that grew most. ``value`` = the median of the paired
      differences (post − pre, 1–5 scale), ``ci_low``/``ci_high`` its distribution-free CI, ``n`` = pairs;
      ``note`` = ``"area=<id>; rank-biserial r=<r>; p_holm=<p>; mean change=<m>"``; the labels name the area;
    * ``best_part`` / ``weakest_part``: value = the part's mean (1–5) with a t-based CI, ``note`` =
      ``"part=<id>"``;
    * ``nps``: NPS with Rocks' adjusted Wald CI.

    Each figure's ``source`` names its table and row by the label columns the published tables keep
    (``lang``: the language of those labels).
    """
    kf = KeyFigures()
    f = funnel.set_index("step")
    enrolled = int(f.loc["enrolled", "n"])
    # sources name rows by their label columns: the published course tables leave the machine codes out
    kf.add(
        "enrolled",
        enrolled,
        "n",
        n=enrolled,
        method="enrolment register, after cleaning",
        label_fi="Ilmoittautuneet",
        label_en="Enrolled",
        source=source("funnel", "n", step_label=f.loc["enrolled", "step_label"]),
    )
    for step, fi, en in (
        ("started", "Aloittaneet", "Started"),
        ("completed", "Suorittaneet (5 op)", "Completed (5 ECTS)"),
    ):
        if step in f.index:
            v = _plain(f.loc[step, "n"])
            kf.add(
                step,
                v,
                "n",
                n=v,
                method="enrolment register",
                label_fi=fi,
                label_en=en,
                suppressed=v is None,
                source=source("funnel", "n", step_label=f.loc[step, "step_label"]),
            )
    if "completed" in f.index:
        kf.add(
            "completion_rate",
            _plain(f.loc["completed", "pct"]),
            "%",
            n=enrolled,
            ci_low=_plain(f.loc["completed", "ci_low"]),
            ci_high=_plain(f.loc["completed", "ci_high"]),
            method="completed / enrolled; Wilson 95 % CI",
            label_fi="Suoritusaste",
            label_en="Completion rate",
            suppressed=pd.isna(f.loc["completed", "pct"]),
            source=source("funnel", "pct", step_label=f.loc["completed", "step_label"]),
        )
    kf.add(
        "n_pairs",
        int(n_pairs),
        "n",
        n=int(n_pairs),
        method="pre- and post-course self-assessment matched on the pseudonymised participant id",
        label_fi="Alku- ja loppukyselyn parit",
        label_en="Pre–post pairs",
        source=source("pairs", "paired", status_label=_TXT[lang]["total"]),
    )
    top = gain_ranking(change, k_gains)
    for i in range(k_gains):
        name = f"gain_rank_{i + 1}"
        if i >= len(top):
            kf.add(
                name,
                None,
                "score change 1–5",
                n=0,
                suppressed=True,
                note="fewer ranked areas",
                label_fi=f"Suurin kasvu {i + 1}",
                label_en=f"Largest gain {i + 1}",
            )
            continue
        r = top.loc[i]
        zm = str(r["zero_method"])
        kf.add(
            name,
            _plain(r["median_change"]),
            "score change 1–5",
            n=_plain(r["n_pairs"]),
            ci_low=_plain(r["median_change_ci_low"]),
            ci_high=_plain(r["median_change_ci_high"]),
            method=(
                f"median of paired differences post − pre (area mean, 1–5), sign-test CI; Wilcoxon "
                f"signed-rank (zero_method={zm}), Holm across areas; effect size rank-biserial r"
            ),
            label_fi=f"Suurin kasvu {i + 1}: {_area_text(area_inst, r['area'], 'fi')}",
            label_en=f"Largest gain {i + 1}: {_area_text(area_inst, r['area'], 'en')}",
            note=(
                f"area={r['area']}; rank-biserial r={_note_num(r['effect_size'], '.3g')}; "
                f"p_holm={_note_num(r['p_holm'], '.2g')}; mean change={_note_num(r['mean_change'], '.3f')}"
            ),
            source=source("learning", "median_change", area_label=r["area_label"]),
        )
    ranked = parts[parts["rank"].notna()].sort_values("rank")
    for name, row, fi, en in (
        (
            "best_part",
            ranked.iloc[0] if len(ranked) else None,
            "Parhaiten arvioitu osa",
            "Best rated part",
        ),
        (
            "weakest_part",
            ranked.iloc[-1] if len(ranked) else None,
            "Heikoimmin arvioitu osa",
            "Weakest rated part",
        ),
    ):
        if row is None:
            kf.add(name, None, "mean 1–5", n=0, suppressed=True, label_fi=fi, label_en=en)
            continue
        hidden_n = pd.isna(
            row["n"]
        )  # a one-statement part whose valid n would give a small count back
        n = parts.attrs.get("n_answered", {}).get(row["part"]) if hidden_n else _plain(row["n"])
        kf.add(
            name,
            _plain(row["mean"]),
            "mean 1–5",
            n=n,
            ci_low=_plain(row["ci_low"]),
            ci_high=_plain(row["ci_high"]),
            method="mean of part scores (item means), t-based 95 % CI; 'En osaa sanoa' left out",
            label_fi=f"{fi}: {_area_text(part_inst, row['part'], 'fi')}",
            label_en=f"{en}: {_area_text(part_inst, row['part'], 'en')}",
            note=f"part={row['part']}"
            + (
                "; n = all who answered, incl. 'En osaa sanoa' (the valid n and the "
                "interval are hidden: they would give a small count back)"
                if hidden_n
                else ""
            ),
            source=source("feedback_parts", "mean", part_label=row["part_label"]),
        )
    published = nps_table(nps_result, min_n=min_n).iloc[
        0
    ]  # as the NPS table shows it (interval rounded/hidden)
    kf.add(
        "nps",
        _plain(published["nps"]),
        "NPS",
        n=int(nps_result.n),
        ci_low=_plain(published["ci_low"]),
        ci_high=_plain(published["ci_high"]),
        method=f"% 9–10 minus % 0–6; {nps_result.method} 95 % CI (Rocks 2016)",
        label_fi="Suositteluindeksi (NPS)",
        label_en="Net Promoter Score",
        note=""
        if _plain(published["ci_low"]) is not None or pd.isna(nps_result.ci_low)
        else "interval suppressed: with the NPS and n it would give the promoter and detractor counts back",
        source=source("nps", "nps"),
    )
    return kf
