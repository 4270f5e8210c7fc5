"""Input helpers: values as float arrays with NaN for missing, group labels in their natural order.

Private helpers shared by :mod:`~sosrake_lib.stats.paired`, :mod:`~sosrake_lib.stats.groups` and
:mod:`~sosrake_lib.stats.models`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


# --------------------------------------------------------------------------------------------------- helpers
def _to_float(values: Any) -> np.ndarray:
    """Values as a float64 array with NaN for missing (pd.NA, None and NaN alike)."""
    if isinstance(values, pd.Series | pd.Index):
        return pd.to_numeric(pd.Series(values)).to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _group_levels(series: pd.Series) -> list[Any]:
    """Group labels in their natural order: category order for categoricals, sorted order otherwise."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    return sorted(series.dropna().unique().tolist())
