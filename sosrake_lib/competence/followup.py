"""Follow-up round of the competence mapping: what changed since an earlier round, and for whom.

Two rounds of the same survey are two groups of people that partly overlap. Whoever answered both (the same
e-mail, so the same ``person_key`` under the same pseudonym key) is *linked*; the others answered only the
earlier or only the later round. The two kinds are never mixed in one test:

- **linked** respondents are compared *within person* (paired): Wilcoxon signed-rank test of the change
  (:func:`~sosrake_lib.stats.paired_change`, ``zero_method="wilcox"``), mean change with a Student t interval,
  matched-pairs rank-biserial r; top-2 shares with McNemar's exact test and a Bonett-Price interval;
- **unlinked** respondents (earlier-only vs later-only) are compared as *independent samples*: Mann-Whitney U
  with rank-biserial r (:func:`~sosrake_lib.stats.two_sample_ordinal`), difference of means with a Welch t
  interval; top-2 shares with a Newcombe interval (:func:`~sosrake_lib.stats.two_proportions`).

Each table has a ``family`` column: the areas (or items) of one group and one measure form one Holm family.
Only items that the later codebook shows as the same item (same id) or as an explicit successor
(``previous_id``) are compared; :func:`item_mapping` lists every item and why it can or cannot be compared. Area
scores of the follow-up use the comparable items only, so both rounds measure an area with the same items.

The pieces are in :mod:`.rounds` (what can be compared, who is linked) and :mod:`.change` (the statistics);
this module puts them together (:func:`followup_tables`) and adds the key figures (:func:`add_key_figures`).

Examples
--------
>>> from sosrake_lib.codebook import editions, load_instrument
>>> m = item_mapping(load_instrument(editions("competence")[0]), load_instrument(editions("competence")[1]))
>>> m.loc[~m["comparable"] | (m["status"] == "mapped"), ["item", "earlier_item", "status"]].to_numpy().tolist()
[['C_VT2b', 'C_VT2', 'mapped'], ['', 'C_YS3', 'dropped'], ['I_VT2b', 'I_VT2', 'mapped'], ['', 'I_YS3', 'dropped']]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..outputs import KeyFigures
from ..settings import MIN_N
from .change import difference_in_change, mean_changes, needs_side_by_side, top2_changes
from .rounds import (
    ROLES,
    TOP_BOX,
    Rounds,
    comparable_scores,
    default_trained,
    item_mapping,
    linkage_counts,
    not_comparable,
)


def followup_tables(
    early: pd.DataFrame,
    late: pd.DataFrame,
    earlier: Instrument,
    later: Instrument,
    *,
    needs_later: pd.DataFrame | None = None,
    trained_areas: str | Sequence[str] = "",
    n_boot: int = 2000,
    seed: int = 2020,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table of the follow-up comparison, ready to publish, and the trained areas used.

    ``early`` / ``late``: the cleaned rounds (with ``person_key``); ``earlier`` / ``later``: the codebook
    versions they were read with; ``needs_later``: the later round's :func:`development_needs` when already
    computed. Tables: ``followup_counts`` (:func:`linkage_counts`), ``followup_mapping``
    (:func:`item_mapping`), ``followup_not_comparable``, ``followup_areas`` (:func:`mean_changes` of the
    competence areas), ``followup_top2`` (:func:`top2_changes` of the areas), ``followup_items``
    (:func:`mean_changes` of the comparable competence items), ``followup_items_top2`` (their top-2-box
    shares, answer 4 or 5), ``followup_did``
    (:func:`difference_in_change`), ``followup_needs`` (:func:`needs_side_by_side`).
    """
    from .needs import development_needs

    needs_e = development_needs(early, earlier, n_boot=n_boot, seed=seed, lang=lang)
    if needs_later is None:
        needs_later = development_needs(late, later, n_boot=n_boot, seed=seed, lang=lang)
    trained = default_trained(needs_e, trained_areas)
    areas = comparable_scores(early, late, earlier, later)
    items = comparable_scores(early, late, earlier, later, unit="item")
    counts = linkage_counts(areas, min_n=min_n, lang=lang)
    hide = bool(counts.attrs["split_hidden"])
    opts = {"trained": trained, "min_n": min_n, "split_hidden": hide, "lang": lang}
    mapping = item_mapping(earlier, later, lang)
    tables = {
        "followup_counts": counts,
        "followup_mapping": mapping,
        "followup_not_comparable": not_comparable(mapping),
        "followup_areas": mean_changes(areas, earlier, **opts),
        "followup_top2": top2_changes(areas, earlier, **opts),
        "followup_items": mean_changes(items, earlier, unit="item", **opts),
        "followup_items_top2": top2_changes(items, earlier, unit="item", **opts),
        "followup_did": difference_in_change(
            areas, trained, n_boot=n_boot, seed=seed, min_n=min_n, split_hidden=hide
        ),
        "followup_needs": needs_side_by_side(needs_e, needs_later, trained=trained, min_n=min_n),
    }
    return tables, trained


def add_key_figures(kf: KeyFigures, tables: dict[str, pd.DataFrame]) -> KeyFigures:
    """Add the follow-up's key figures to ``kf``: ``followup_linked_n`` (people who answered both rounds,
        unit ``n``), ``followup_did`` (difference in change of the linked people, trained minus other areas, t
        interval) and ``followup_did_unlinked`` (the same between the earlier-only and later-only respondents,
        percentile-bootstrap interval). A figure the tables hide, or whose group size they hide (a hidden split:
    its *n* cannot be checked), is written as suppressed, without a value."""
    counts = tables["followup_counts"]
    linked = counts.loc[counts["group"] == "linked", "n"].iloc[0]
    kf.add(
        "followup_linked_n",
        None if pd.isna(linked) else int(linked),
        "n",
        n=None if pd.isna(linked) else int(linked),
        method="respondents of both rounds, linked by the keyed hash of their e-mail (same key)",
        label_fi="Vastasi molemmille kierroksille",
        label_en="Answered both rounds",
        suppressed=bool(pd.isna(linked)),
        source={"table": "followup_counts", "column": "n", "row": {"group": "linked"}},
    )
    did = tables["followup_did"]
    for group, name in (("linked", "followup_did"), ("unlinked", "followup_did_unlinked")):
        row = did[did["linkage"] == group] if len(did) else did
        if row.empty:
            continue
        r = row.iloc[0]
        value = r["did"]
        # a hidden split leaves the counts missing (pd.NA, which min() cannot compare): with no n to
        # check, the figure is suppressed, even where the table shows the difference itself
        sizes = [r["n_earlier"]] if group == "linked" else [r["n_earlier"], r["n_later"]]
        n = None if any(pd.isna(s) for s in sizes) else min(int(s) for s in sizes)
        hidden = bool(pd.isna(value)) or n is None
        kf.add(
            name,
            None if hidden else float(value),
            "score 1–5 difference",
            n=n,
            ci_low=None if hidden or pd.isna(r["ci_low"]) else float(r["ci_low"]),
            ci_high=None if hidden or pd.isna(r["ci_high"]) else float(r["ci_high"]),
            method=f"difference in change, trained minus other areas; {r['design']}; "
            f"{r['ci_method']} 95 % CI; {r['test']}",
            label_fi="Koulutettujen alueiden muutos verrattuna muihin"
            + (" (samat henkilöt)" if group == "linked" else " (eri henkilöt)"),
            label_en="Change of the trained areas compared with the others"
            + (" (same people)" if group == "linked" else " (different people)"),
            note=f"group={group}; trained={r['trained_areas']}",
            suppressed=hidden,
            source={"table": "followup_did", "column": "did", "row": {"linkage": group}},
        )
    return kf


__all__ = [
    "ROLES",
    "TOP_BOX",
    "Rounds",
    "add_key_figures",
    "followup_tables",
    "comparable_scores",
    "default_trained",
    "difference_in_change",
    "item_mapping",
    "linkage_counts",
    "mean_changes",
    "needs_side_by_side",
    "not_comparable",
    "top2_changes",
]
