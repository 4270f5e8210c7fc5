"""Linked tables: the same figure published in two tables must not be shown in full in one and hidden in the other.

- :func:`changed_by_suppression` lists, per column, the rows whose figure a published table hides or rounds,
  so a second table that shows the same figures (a comparison of two semesters beside the per-semester table)
  hides them too.
- :func:`publish_as` gives rows of one table exactly the values another published table shows for the same
  figure (a one-statement theme *is* its statement: its n, share and mean are the statement's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def changed_by_suppression(
    published: pd.DataFrame, full: pd.DataFrame, key: str, columns: Sequence[str]
) -> dict[str, set[Any]]:
    """Per column, the ``key`` values of rows whose figure ``published`` hides or rounds.

    ``full`` is the same table made without suppression (``min_n=1``), row for row.

    >>> full = pd.DataFrame({"theme": ["a", "b", "c"], "n": [40, 3, 50], "mean": [4.125, 3.0, 3.5]})
    >>> pub = full.astype({"n": "Int64", "mean": "Float64"})
    >>> pub.loc[1, "n"] = pd.NA
    >>> pub.loc[0, "mean"] = 4.1
    >>> changed_by_suppression(pub, full, "theme", ["n", "mean"])
    {'n': {'b'}, 'mean': {'a'}}
    """
    out: dict[str, set[Any]] = {}
    for col in columns:
        a = pd.to_numeric(published[col]).astype("float64").to_numpy()
        b = pd.to_numeric(full[col]).astype("float64").to_numpy()
        changed = ~np.isclose(a, b, rtol=0, atol=1e-12, equal_nan=True) | (
            np.isnan(a) & ~np.isnan(b)
        )
        out[col] = set(published.loc[changed, key])
    return out


def publish_as(table: pd.DataFrame, rows: np.ndarray, values: Mapping[str, Any]) -> int:
    """Set ``table``'s cells in ``rows`` to the values another published table shows for the same figures.

    ``values`` maps a column of ``table`` to the published value (``pd.NA`` where that table hides it).
    Changes ``table`` in place; returns the number of cells that were shown and are now hidden.

    >>> t = pd.DataFrame({"n": pd.array([39, 50], dtype="Int64"), "mean": [4.128205, 3.5]})
    >>> publish_as(t, np.array([True, False]), {"n": pd.NA, "mean": 4.1})
    1
    >>> t.loc[0, "mean"], t.loc[0, "n"] is pd.NA
    (np.float64(4.1), True)
    """
    hidden = 0
    for col, value in values.items():
        before = table.loc[rows, col].notna().to_numpy()
        table.loc[rows, col] = value if pd.notna(value) else pd.NA
        hidden += int((before & table.loc[rows, col].isna().to_numpy()).sum())
    return hidden
