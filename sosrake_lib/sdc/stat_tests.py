"""Test statistics that could give hidden counts back: Wilcoxon W and r beside the counts of a paired change.

A signed-rank row publishes the pairs that rose, fell or stayed; where one of those is hidden, W, p and r
(with n) are further equations over them. :func:`hide_invertible_tests` hides W and p and shows r only as
rounded as the brute-force audit allows; a Holm p that carries a hidden p goes too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .audit import TooManyCombinations, disclosed, signed_rank_possible_values
from .parts import holm_carriers


def hide_invertible_tests(
    table: pd.DataFrame, p_full: np.ndarray, zero_method: str, *, parts: Sequence[str]
) -> pd.DataFrame:
    """Hide or round the test columns of :func:`sosrake_lib.course.learning_change` rows that have a hidden count
    (see there): ``parts`` are the row's counts of increased, decreased and unchanged pairs."""
    parts = table[list(parts)]
    touched = (parts.isna().any(axis=1) & table["n_pairs"].notna()).to_numpy()
    out = table.astype(
        {
            "statistic": "Float64",
            "p_value": "Float64",
            "p_holm": "Float64",
            "effect_size": "Float64",
        }
    )
    hidden_cells = 0
    for i in np.flatnonzero(touched):
        for col in ("statistic", "p_value", "p_holm"):
            if not pd.isna(out.iloc[i][col]):
                out.iloc[i, out.columns.get_loc(col)] = pd.NA
                hidden_cells += 1
        r = table.iloc[i]["effect_size"]
        shown = pd.NA
        if zero_method == "wilcox" and not pd.isna(r):
            for dec in (2, 1):
                try:
                    values = signed_rank_possible_values(
                        int(table.iloc[i]["n_pairs"]),
                        {c: out.iloc[i][c] for c in parts},
                        effect_size=round(float(r), dec),
                        decimals={"effect_size": dec},
                    )
                except TooManyCombinations:
                    break
                if values and not disclosed(values):
                    shown = round(float(r), dec)
                    break
        if pd.isna(shown) and not pd.isna(r):
            hidden_cells += 1
        out.iloc[i, out.columns.get_loc("effect_size")] = shown
    # Holm's step-down maximum can carry a hidden row's p into another row's Holm p
    hidden_p = out["p_value"].isna().to_numpy() & ~np.isnan(
        p_full
    )  # rows above, and rows with n < min_n
    carriers = holm_carriers(p_full, hidden_p) & out["p_holm"].notna().to_numpy()
    if carriers.any():
        out.loc[carriers, "p_holm"] = pd.NA
        hidden_cells += int(carriers.sum())
    if not touched.any() and not carriers.any():
        return table
    out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) + hidden_cells
    return out
