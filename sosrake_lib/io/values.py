"""Converting answer columns: labels to codes through the codebook's scales (Likert, NPS,
categories), numbers, free text; the empty columns of items missing from the export."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Item
from ..errors import ExportError

MAX_TEXT_CHARS = 10_000


def _categorise(s: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Factorise strings once so that label mapping touches each distinct label once (fast on 1M rows).

    A categorical column (the Arrow reader's dictionary-encoded labels) is already factorised: its codes and
    categories (every one of them occurs) are used as they are.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        return np.asarray(s.cat.codes, dtype=np.intp), [str(u) for u in s.cat.categories]
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def _dictionary_series(col: Any, name: int) -> pd.Series:
    """A pandas categorical Series of a dictionary-encoded Arrow column (labels in order of first appearance)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = col.unify_dictionaries()
    labels = col.chunk(0).dictionary if col.num_chunks else pa.array([], type=pa.large_string())
    indices = pa.chunked_array([c.indices for c in col.chunks], type=pa.int32())
    codes = pc.fill_null(indices, -1).to_numpy() if len(indices) else np.empty(0, dtype=np.int32)
    cats = pd.Index(labels, dtype="str")
    return pd.Series(pd.Categorical.from_codes(codes, categories=cats), name=name)


def _first_row(s: pd.Series, rows: pd.Series, value: str) -> int:
    hit = s.to_numpy(dtype=object) == value
    return int(rows.to_numpy()[hit.argmax()])


def _fail(
    col: pd.Series, rows: pd.Series, value: str, msg: str, file: str, header: str, hint: str
) -> None:
    raise ExportError(
        msg, file=file, row=_first_row(col, rows, value), column=header, value=value, hint=hint
    )


def _convert_scaled(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str
) -> dict[str, pd.Series]:
    scale = item.scale
    assert scale is not None
    codes, uniques = _categorise(col)
    values = np.full(len(uniques), np.nan)
    nsa = np.empty(len(uniques), dtype=object)
    nsa[:] = None
    for k, label in enumerate(uniques):
        code = scale.code_of(label)
        if code is None and item.kind == "nps":
            code = _parse_number(label)
            if code is not None and (code != int(code) or not scale.min <= code <= scale.max):
                _fail(
                    col,
                    rows,
                    label,
                    f"number out of range: the answer must be a whole number "
                    f"{scale.min}–{scale.max}",
                    file,
                    header,
                    "correct the cell or leave it empty",
                )
        if code is None:
            allowed = "; ".join(scale.allowed_labels("fi"))
            _fail(
                col,
                rows,
                label,
                "unknown answer label",
                file,
                header,
                f"the codebook accepts: {allowed}. Fix the cell, or add the spelling to the scale's aliases "
                f"in sosrake_lib/instruments/_scales.yaml",
            )
        if isinstance(code, str) and code in scale.non_substantive:
            nsa[k] = code
        else:
            values[k] = float(code)
    valid = codes >= 0
    out_v = np.append(values, np.nan)[codes]  # code -1 (blank) picks the NaN at the end
    res = {item.id: pd.Series(out_v, index=col.index, name=item.id)}
    if item.kind == "likert" or scale.non_substantive:
        # The kind of non-substantive answer per row: one Arrow take from the few distinct labels (building a
        # million-cell object column and converting it to str took 0.1 s per item on 1M rows).
        import pyarrow as pa

        labels = pa.array(nsa.tolist(), type=pa.large_string())
        taken = (
            labels.take(pa.array(codes, mask=~valid))
            if len(labels)
            else pa.nulls(len(col), type=pa.large_string())
        )
        res[f"{item.id}__nsa"] = pd.Series(taken, index=col.index, dtype="str")
    return res


def _convert_category(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str
) -> pd.Series:
    scale = item.scale
    assert scale is not None
    codes, uniques = _categorise(col)
    cats = list(scale.codes)
    lookup = np.empty(len(uniques), dtype=np.int64)
    for k, label in enumerate(uniques):
        code = scale.code_of(label)
        if code is None or code not in scale.codes:
            allowed = "; ".join(v["fi"] for v in scale.codes.values())
            _fail(
                col,
                rows,
                label,
                "unknown answer label",
                file,
                header,
                f"the codebook accepts: {allowed}. Fix the cell, or add the spelling to the item's aliases in "
                f"the instrument codebook",
            )
        lookup[k] = cats.index(code)
    cat_codes = np.where(codes >= 0, lookup[np.maximum(codes, 0)] if len(lookup) else -1, -1)
    return pd.Series(
        pd.Categorical.from_codes(cat_codes, categories=cats, ordered=item.ordered),
        index=col.index,
        name=item.id,
    )


_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:$|[-–—:]\s*\D)")


def _parse_number(text: str) -> float | None:
    m = _NUMBER.match(text.replace("\u00a0", " "))
    if not m:
        return None
    return float(m.group(1).replace(",", "."))


def _convert_integer(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str
) -> pd.Series:
    codes, uniques = _categorise(col)
    values = np.full(len(uniques), np.nan)
    for k, label in enumerate(uniques):
        num = _parse_number(label)
        if num is None:
            _fail(
                col,
                rows,
                label,
                "not a number",
                file,
                header,
                "write a number (decimal comma is fine)",
            )
        if (item.min is not None and num < item.min) or (item.max is not None and num > item.max):
            _fail(
                col,
                rows,
                label,
                f"number out of range {item.min}–{item.max}",
                file,
                header,
                "correct the cell",
            )
        values[k] = num
    out = np.full(len(col), np.nan)
    out[codes >= 0] = values[codes[codes >= 0]]
    return pd.Series(out, index=col.index, name=item.id)


def _blank_to_missing(s: pd.Series) -> pd.Series:
    """``s.where(s != "")``; without a copy of the column when no cell is empty (the usual case)."""
    empty = (s == "").to_numpy(dtype=bool, na_value=False)
    return s.where(~empty) if empty.any() else s


def _convert_text(item: Item, col: pd.Series, rows: pd.Series, file: str, header: str) -> pd.Series:
    s = _blank_to_missing(col.str.strip())
    too_long = s.str.len() > MAX_TEXT_CHARS
    if too_long.any():
        i = int(np.flatnonzero(too_long.fillna(False).to_numpy())[0])
        raise ExportError(
            f"the answer is {int(s.str.len().iloc[i]):,} characters long; the limit is "
            f"{MAX_TEXT_CHARS:,}",
            file=file,
            row=int(rows.iloc[i]),
            column=header,
            value=s.iloc[i][:40],
            hint="check the cell: it may hold pasted data; shorten it",
        )
    return s.rename(item.id)


def _empty_column(item: Item, n: int, index: pd.Index) -> dict[str, pd.Series]:
    if item.kind in ("likert", "nps", "integer"):
        out = {item.id: pd.Series(np.nan, index=index, dtype="float64")}
        if item.kind == "likert":
            out[f"{item.id}__nsa"] = pd.Series(pd.NA, index=index, dtype="str")
        return out
    if item.kind == "category":
        assert item.scale is not None
        return {
            item.id: pd.Series(
                pd.Categorical([None] * n, categories=list(item.scale.codes), ordered=item.ordered),
                index=index,
            )
        }
    if item.kind in ("date", "datetime"):
        return {item.id: pd.Series(pd.NaT, index=index, dtype="datetime64[s]")}
    return {item.id: pd.Series(pd.NA, index=index, dtype="str")}
