"""Two rounds of the competence mapping side by side: which items can be compared (the codebook's explicit
``previous_id`` mapping), the area or item scores of both rounds on those items, who answered both rounds
(``person_key``: the keyed hash of the e-mail) and the linkage counts with their disclosure rule.

Examples
--------
>>> from sosrake_lib.codebook import editions, load_instrument
>>> m = item_mapping(load_instrument(editions("competence")[0]), load_instrument(editions("competence")[1]))
>>> m.loc[~m["comparable"] | (m["status"] == "mapped"), ["item", "earlier_item", "status"]].to_numpy().tolist()
[['C_VT2b', 'C_VT2', 'mapped'], ['', 'C_YS3', 'dropped'], ['I_VT2b', 'I_VT2', 'mapped'], ['', 'I_YS3', 'dropped']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..scoring import scale_scores
from ..settings import MIN_N
from .texts import text

#: An area score at or above this counts as top-2 (on average "fairly well" or better on the 1-5 scale).
TOP_BOX = 4.0
ROLES = ("competence", "importance")


def item_mapping(earlier: Instrument, later: Instrument, lang: Lang = "fi") -> pd.DataFrame:
    """Every Likert item of the two rounds' codebooks and whether it can be compared.

    ``status``: ``same`` (the same id in both), ``mapped`` (reworded: the later item names the earlier one in
    ``previous_id``), ``new`` (only in the later codebook) or ``dropped`` (only in the earlier one; the later
    codebook's ``drop_items`` says why). Only ``same`` and ``mapped`` items are ``comparable``.

    Returns
    -------
    DataFrame
        ``item`` (later id, ``""`` if dropped), ``earlier_item`` (``""`` if new), ``item_label``, ``area``,
        ``role``, ``status``, ``comparable``, ``reason``.
    """
    rows = []
    reached: set[str] = set()
    for it in later.likert_items():
        prev = it.previous_id if it.previous_id else (it.id if it.id in earlier else None)
        if prev is not None and prev not in earlier:
            prev = None
        status = "new" if prev is None else ("mapped" if prev != it.id else "same")
        reached.add(prev or "")
        rows.append((it.id, prev or "", it.text(lang), it.area, it.role, status, ""))
    for it in earlier.likert_items():
        if it.id not in reached:
            why = later.dropped.get(it.id, {}).get(lang, "")
            rows.append(("", it.id, it.text(lang), it.area, it.role, "dropped", why))
    out = pd.DataFrame(
        rows,
        columns=["item", "earlier_item", "item_label", "area", "role", "status", "reason"],
    )
    out["comparable"] = out["status"].isin(["same", "mapped"])
    out["reason"] = [
        r if r else text(f"followup_{s}", lang)
        for r, s in zip(out["reason"], out["status"], strict=True)
    ]
    order = {r: k for k, r in enumerate([*ROLES, None])}
    key = out["role"].map(lambda r: order.get(r, len(order)))
    out = out.assign(_k=key).sort_values(["_k"], kind="stable").drop(columns="_k")
    return out.reset_index(drop=True)[
        ["item", "earlier_item", "item_label", "area", "role", "status", "comparable", "reason"]
    ]


def not_comparable(mapping: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`item_mapping` that cannot be compared (new and dropped items), with the reason."""
    return mapping[~mapping["comparable"]].reset_index(drop=True)


@dataclass(frozen=True)
class Rounds:
    """Scores of two rounds on the comparable items, indexed by ``person_key``, and who is linked.

    ``earlier`` / ``later``: one column per unit (area or earlier item id); ``linked_earlier`` /
    ``linked_later``: booleans, True for people who answered both rounds.
    """

    earlier: pd.DataFrame
    later: pd.DataFrame
    linked_earlier: np.ndarray
    linked_later: np.ndarray

    @property
    def n_linked(self) -> int:
        return int(self.linked_later.sum())


def comparable_scores(
    early: pd.DataFrame,
    late: pd.DataFrame,
    earlier: Instrument,
    later: Instrument,
    *,
    unit: str = "area",
    role: str = "competence",
) -> Rounds:
    """Area scores (``unit="area"``, mean of the area's comparable items, at least half answered) or item
    answers (``unit="item"``, named by the earlier item id) of both rounds, on the comparable items only.
    "En osaa sanoa" is missing in the item columns, so it is left out of the scores."""
    mapping = item_mapping(earlier, later)
    comp = mapping[mapping["comparable"] & (mapping["role"] == role)]
    rename = {i: e for i, e in zip(comp["item"], comp["earlier_item"], strict=True) if i != e}
    if unit == "area":
        scales: dict[str, list[str]] = {}
        for e_id, area in zip(comp["earlier_item"], comp["area"], strict=True):
            scales.setdefault(str(area), []).append(
                ("-" if earlier.item(e_id).reverse else "") + e_id
            )
    else:
        scales = {e: [e] for e in comp["earlier_item"]}
    e = scale_scores(early, scales, min_valid=0.5)
    lt = scale_scores(late.rename(columns=rename), scales, min_valid=0.5)
    keys_e, keys_l = _keys(early), _keys(late)
    e.index, lt.index = keys_e, keys_l
    both = set(keys_e.dropna()) & set(keys_l.dropna())
    return Rounds(
        e,
        lt,
        keys_e.isin(both).to_numpy(dtype=bool),
        keys_l.isin(both).to_numpy(dtype=bool),
    )


def _keys(df: pd.DataFrame) -> pd.Series:
    if "person_key" not in df:
        raise ValueError(
            "the frame has no person_key column: read the export with a codebook that has link_key "
            "(the competence codebook links rounds by the keyed hash of the e-mail)"
        )
    # a row without a key (an anonymous answer) is never linked: missing keys are left out of the overlap
    return df["person_key"].astype("object")


def linkage_counts(rounds: Rounds, *, min_n: int = MIN_N, lang: Lang = "fi") -> pd.DataFrame:
    """Respondents of the two rounds: all, linked (both rounds), earlier only, later only.

    The round totals are published elsewhere, so linked + earlier-only = earlier total: one small part would
    give the other away by subtraction. When any of linked, earlier-only or later-only is 1..min_n-1, all
    three are hidden (``attrs["split_hidden"] = True``); the totals stay.
    """
    n_e, n_l, n_link = len(rounds.earlier), len(rounds.later), rounds.n_linked
    parts = {"linked": n_link, "earlier_only": n_e - n_link, "later_only": n_l - n_link}
    out = pd.DataFrame(
        {
            "group": ["earlier_all", "later_all", *parts],
            "group_label": [
                text(f"followup_{g}", lang) for g in ["earlier_all", "later_all", *parts]
            ],
            "n": pd.array([n_e, n_l, *parts.values()], dtype="Int64"),
        }
    )
    out["pct_of_earlier"] = 100 * out["n"].astype("Float64") / n_e if n_e else np.nan
    out.loc[out["group"].isin(["later_all", "later_only"]), "pct_of_earlier"] = np.nan
    hidden = any(0 < v < min_n for v in parts.values())
    before = int(out[["n", "pct_of_earlier"]].isna().sum().sum())
    if hidden:
        out.loc[out["group"].isin(list(parts)), ["n", "pct_of_earlier"]] = pd.NA
    out.attrs["split_hidden"] = hidden
    out.attrs["suppressed_cells"] = int(out[["n", "pct_of_earlier"]].isna().sum().sum()) - before
    out.attrs["min_n"] = min_n
    return out


def unit_label(unit: str, key: str, earlier: Instrument, lang: Lang) -> str:
    """The readable name of an area (``unit="area"``) or of an item (its text in the earlier codebook)."""
    return earlier.area_label(key, lang) if unit == "area" else earlier.item(key).text(lang)


def default_trained(needs_earlier: pd.DataFrame, override: str | Sequence[str] = "") -> list[str]:
    """The trained areas: ``override`` (comma-separated area ids, or a list) if given, else the earlier
    round's top needs (``top_need`` of :func:`development_needs`), in rank order.

    >>> t = pd.DataFrame({"area": ["a", "b", "c", "d"], "rank": [2, 1, 4, 3], "top_need": [True, True, False, True]})
    >>> default_trained(t), default_trained(t, "c, d")
    (['b', 'a', 'd'], ['c', 'd'])
    """
    if isinstance(override, str):
        override = [a.strip() for a in override.split(",") if a.strip()]
    if override:
        known = set(needs_earlier["area"])
        unknown = [a for a in override if a not in known]
        if unknown:
            from ..errors import ConfigError

            raise ConfigError(
                f"unknown trained area(s) {', '.join(unknown)}; use the area ids {', '.join(sorted(known))}"
            )
        return list(override)
    top = needs_earlier[needs_earlier["top_need"].astype(bool)].sort_values("rank")
    return [str(a) for a in top["area"]]


__all__ = [
    "ROLES",
    "TOP_BOX",
    "Rounds",
    "comparable_scores",
    "default_trained",
    "item_mapping",
    "linkage_counts",
    "not_comparable",
    "unit_label",
]
