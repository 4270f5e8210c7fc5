"""Comparisons of two groups (two semesters): which figures of a comparison row a small group hides.

A comparison row publishes each side's n and value, the difference, its interval, the test statistic, p, the
Holm p and an effect size. Where a side has a small group (``small``), the test figures would let the small
counts be solved for, so :func:`hide_comparisons` hides them; the values and n go too where the row says so
(``hide_values``: shares are counts over n; ``hide_n``: the n is hidden in the table the comparison repeats).
A Holm p that carries a hidden p (:func:`~sosrake_lib.sdc.parts.holm_carriers`) goes in its family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .parts import holm_carriers

TEST_COLUMNS = ("ci_low", "ci_high", "statistic", "p_value", "p_holm", "effect_size")
VALUE_COLUMNS = ("value_before", "value_after", "difference")
N_COLUMNS = ("n_before", "n_after")


def hide_comparisons(
    table: pd.DataFrame,
    small: np.ndarray,
    *,
    hide_values: np.ndarray,
    hide_n: np.ndarray,
    family: str = "family",
) -> tuple[pd.DataFrame, int]:
    """The published form of a comparison table and the number of cells hidden.

    ``small``, ``hide_values`` and ``hide_n`` are per row; values are hidden where ``small & hide_values``,
    n where ``small & hide_n``, the test columns wherever ``small``. Holm is applied within ``family``.

    >>> t = pd.DataFrame({"family": ["f", "f"], "n_before": [3, 40], "n_after": [30, 40],
    ...                   "value_before": [60.0, 50.0], "value_after": [70.0, 55.0],
    ...                   "difference": [10.0, 5.0], "ci_low": [-5.0, -2.0], "ci_high": [25.0, 12.0],
    ...                   "statistic": [1.1, 0.9], "p_value": [0.04, 0.05], "p_holm": [0.08, 0.08],
    ...                   "effect_size": [0.2, 0.1]})
    >>> out, cells = hide_comparisons(t, np.array([True, False]), hide_values=np.array([True, True]),
    ...                               hide_n=np.array([False, False]))
    >>> out.loc[0, ["value_before", "p_value", "n_before"]].isna().tolist(), cells
    ([True, True, False], 10)
    >>> out.loc[1, "p_holm"] is pd.NA  # 0.08 is Holm's 2 x 0.04, the hidden row's p
    True
    """
    fam = table[family].to_numpy()
    p_full = table["p_value"].to_numpy(dtype=float)
    hide = {c: small.copy() for c in TEST_COLUMNS}
    for c in VALUE_COLUMNS:
        hide[c] = small & hide_values
    for c in N_COLUMNS:
        hide[c] = small & hide_n
    carried = np.zeros(len(table), dtype=bool)
    for f in np.unique(fam):
        idx = np.flatnonzero(fam == f)
        carried[idx] = holm_carriers(p_full[idx], small[idx])
    hide["p_holm"] = hide["p_holm"] | carried
    out = table.copy()
    cells = 0
    for c, mask in hide.items():
        mask = mask & out[c].notna().to_numpy()
        if mask.any():
            out[c] = out[c].astype("Int64" if c.startswith("n_") else "Float64").mask(mask)
            cells += int(mask.sum())
    return out, cells
