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
from .ranking import CLEAR_P, N_BOOT, is_clear

#: How the rank probabilities were made (the key figures' ``method``).
N_BOOT_TEXT = (
    f"{N_BOOT} bootstrap replicates of the respondents (seeded); a winner is named only at "
    f"P >= {CLEAR_P:g}"
)


# -------------------------------------------------------------------------------------------- key figures
def _note_num(value: Any, spec: str) -> str:
    """A number for a key figure's note; ``suppressed`` where the published table hides it.

    >>> _note_num(0.97, ".3g"), _note_num(pd.NA, ".2g")
    ('0.97', 'suppressed')
    """
    return "suppressed" if pd.isna(value) else format(float(value), spec)


def _rank_note(row: Any, p_col: str, p_name: str, low: str, high: str) -> str:
    """``"; P(best)=0.98; rank 95 % interval 1–2"`` for a key figure's note ('' without the columns).

    >>> _rank_note({"p": 0.9815, "lo": 1, "hi": 2}, "p", "P(best)", "lo", "hi")
    '; P(best)=0.982; rank 95 % interval 1–2'
    """
    if p_col not in row or pd.isna(row[p_col]):
        return ""
    return (
        f"; {p_name}={float(row[p_col]):.3g}; rank 95 % interval {int(row[low])}–{int(row[high])}"
    )


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

    * ``enrolled``, ``started``, ``completed`` (unit ``n``); ``completion_rate`` (%, n = enrolled): the whole
      cohort, a census fact, so no sampling interval (an interval would describe future cohorts, not this one);
    * ``n_pairs``: participants with both a pre- and a post-course self-assessment;
    * ``gain_rank_1`` .. ``gain_rank_k``: the areas that grew most. ``value`` = the median of the paired
      differences (post − pre, 1–5 scale), ``ci_low``/``ci_high`` its distribution-free CI, ``n`` = pairs;
      ``note`` = ``"area=<id>; rank-biserial r=<r>; p_holm=<p>; mean change=<m>; P(largest gain)=<p>; gain
      rank 95 % interval <lo>–<hi>"``; the labels name the area. Where the largest gain cannot be told apart
      from the next (``p_top_gain`` below :data:`~sosrake_lib.course.ranking.CLEAR_P`), ``gain_rank_1``'s
      labels say so ("ei selvää eroa" / "no clear difference") and name every area whose rank interval
      reaches 1;
    * ``best_part`` / ``weakest_part``: value = the part's mean (1–5) with a t-based CI, ``note`` =
      ``"part=<id>; P(best)=<p>; rank 95 % interval <lo>–<hi>"`` (``P(worst)`` for the weakest). Where the
      part is not first (last) in at least :data:`~sosrake_lib.course.ranking.CLEAR_P` of the bootstrap
      replicates, the labels say "ei selvää eroa" / "no clear difference" and name the parts that could be
      first (last) instead of one winner; the value is then the highest (lowest) mean, of the part the
      note names;
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
            method=(
                "completed / enrolled, the whole cohort (a census count: no sampling interval; an "
                "interval would describe future cohorts like this one, not this cohort)"
            ),
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
    unclear_gain = len(top) > 0 and not is_clear(top.loc[0].get("p_top_gain"))
    could_lead = (
        [
            r["area"]
            for _, r in change.sort_values("gain_rank", na_position="last").iterrows()
            if not pd.isna(r.get("gain_rank_ci_low")) and int(r["gain_rank_ci_low"]) == 1
        ]
        if "gain_rank_ci_low" in change
        else []
    )
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
        label = {
            lang_: f"{_TXT[lang_]['largest_gain']} {i + 1}: {_area_text(area_inst, r['area'], lang_)}"
            for lang_ in ("fi", "en")
        }
        if i == 0 and unclear_gain:
            label = {
                lang_: f"{_TXT[lang_]['largest_gain']} {i + 1}, {_TXT[lang_]['no_clear_difference']} "
                f"({', '.join(_area_text(area_inst, a, lang_) for a in could_lead)}): "
                f"{_area_text(area_inst, r['area'], lang_)}"
                for lang_ in ("fi", "en")
            }
        kf.add(
            name,
            _plain(r["median_change"]),
            "score change 1–5",
            n=_plain(r["n_pairs"]),
            ci_low=_plain(r["median_change_ci_low"]),
            ci_high=_plain(r["median_change_ci_high"]),
            method=(
                f"median of paired differences post − pre (area mean, 1–5), sign-test CI; "
                f"{r.get('test', 'Wilcoxon signed-rank')} (zero_method={zm}), Holm across areas; effect "
                f"size rank-biserial r; rank probability from {N_BOOT_TEXT}"
            ),
            label_fi=label["fi"],
            label_en=label["en"],
            note=(
                f"area={r['area']}; rank-biserial r={_note_num(r['effect_size'], '.3g')}; "
                f"p_holm={_note_num(r['p_holm'], '.2g')}; mean change={_note_num(r['mean_change'], '.3f')}"
                + _rank_note(
                    r, "p_top_gain", "P(largest gain)", "gain_rank_ci_low", "gain_rank_ci_high"
                )
            ),
            source=source("learning", "median_change", area_label=r["area_label"]),
        )
    ranked = parts[parts["rank"].notna()].sort_values("rank")
    n_ranked = len(ranked)
    for name, row, fi, en, p_col, p_name, end in (
        (
            "best_part",
            ranked.iloc[0] if n_ranked else None,
            "Parhaiten arvioitu osa",
            "Best rated part",
            "p_best",
            "P(best)",
            1,
        ),
        (
            "weakest_part",
            ranked.iloc[-1] if n_ranked else None,
            "Heikoimmin arvioitu osa",
            "Weakest rated part",
            "p_worst",
            "P(worst)",
            n_ranked,
        ),
    ):
        if row is None:
            kf.add(name, None, "mean 1–5", n=0, suppressed=True, label_fi=fi, label_en=en)
            continue
        hidden_n = pd.isna(
            row["n"]
        )  # a one-statement part whose valid n would give a small count back
        n = parts.attrs.get("n_answered", {}).get(row["part"]) if hidden_n else _plain(row["n"])
        texts = {"fi": fi, "en": en}
        label = {
            lang_: f"{texts[lang_]}: {_area_text(part_inst, row['part'], lang_)}"
            for lang_ in ("fi", "en")
        }
        if p_col in parts and not is_clear(row[p_col]):
            bound = "rank_ci_low" if end == 1 else "rank_ci_high"
            could = [
                str(r["part"])
                for _, r in ranked.iterrows()
                if not pd.isna(r[bound]) and int(r[bound]) == end
            ]
            label = {
                lang_: f"{texts[lang_]}: {_TXT[lang_]['no_clear_difference']} "
                f"({', '.join(_area_text(part_inst, a, lang_) for a in could)})"
                for lang_ in ("fi", "en")
            }
        kf.add(
            name,
            _plain(row["mean"]),
            "mean 1–5",
            n=n,
            ci_low=_plain(row["ci_low"]),
            ci_high=_plain(row["ci_high"]),
            method=(
                "mean of part scores (item means), t-based 95 % CI; 'En osaa sanoa' left out; rank "
                f"probability from {N_BOOT_TEXT}"
            ),
            label_fi=label["fi"],
            label_en=label["en"],
            note=f"part={row['part']}"
            + _rank_note(row, p_col, p_name, "rank_ci_low", "rank_ci_high")
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
