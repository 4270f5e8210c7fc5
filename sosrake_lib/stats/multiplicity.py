"""Multiplicity: Holm step-down adjustment of a family of p-values, NaN-transparent."""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
from statsmodels.stats.multitest import multipletests


# ------------------------------------------------------------------------------------------------------- Holm
def holm(p_values: Any) -> np.ndarray:
    """Holm step-down adjusted p-values; NaNs are passed through and do not count as members of the family.

    Wraps :func:`statsmodels.stats.multitest.multipletests` (``method="holm"``), which also enforces
    monotonicity and caps at 1. Its Holm branch ends with an explicit ``gc.collect()``: a full garbage
    collection over every object of a notebook kernel (~0.1 s each with pandas, matplotlib and statsmodels
    loaded, several calls per analysis). The objects that exist before the call are frozen for its duration
    (:func:`gc.freeze`, moved back by :func:`gc.unfreeze`), so that collection only looks at what the call
    itself made; nothing that is garbage is kept for longer than until the next collection.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statistics 6, 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    >>> holm([0.01, float("nan"), 0.04]).round(4).tolist()
    [0.02, nan, 0.04]
    """
    p = np.asarray(p_values, dtype="float64").copy()
    ok = ~np.isnan(p)
    if ok.any():
        own_freeze = gc.get_freeze_count() == 0  # leave a caller's own gc.freeze() alone
        if own_freeze:
            gc.freeze()
        try:
            p[ok] = multipletests(p[ok], method="holm")[1]
        finally:
            if own_freeze:
                gc.unfreeze()
    return p
