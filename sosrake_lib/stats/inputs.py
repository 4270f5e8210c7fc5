"""Input helpers: values as float arrays with NaN for missing, group labels in their natural order.

:func:`tie_safe` rounds values before they are ranked, so that values equal on paper are equal ties. The
private helpers are shared by :mod:`~sosrake_lib.stats.paired`, :mod:`~sosrake_lib.stats.groups` and
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


#: Decimals kept before ranking: float noise (1e-16) goes, any real difference between Likert means stays.
TIE_DECIMALS = 9


def tie_safe(values: Any, decimals: int = TIE_DECIMALS) -> np.ndarray:
    """Values as floats rounded to ``decimals`` places, for ranking: equal values on paper become equal ties.

    Area and scale means lie on a grid of 1/k (k items), and floating point does not: 4 - 10/3 and
    10/3 - 8/3 are both 2/3 on paper but differ in the 16th digit, so a rank test would rank them apart,
    break a tie that is real and pick the wrong null distribution. Every rank in :mod:`sosrake_lib.stats`
    is taken on values passed through this function (the test statistic needs only the order and the ties;
    descriptive figures are computed from the values as they are). Nine decimals keep every difference the
    answers can make (the finest grid here is 1/(items x respondents)) and drop the noise.

    Examples
    --------
    >>> d = [4 - 10 / 3, 10 / 3 - 8 / 3]
    >>> d[0] == d[1], bool(tie_safe(d)[0] == tie_safe(d)[1])
    (False, True)
    >>> tie_safe([1, None, 2.5]).tolist()
    [1.0, nan, 2.5]
    """
    return np.round(_to_float(values), decimals)
