"""Who was interviewed: interviews and students per semester, services, background (step 1)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..sdc.audit import distribution_disclosed
from ..sdc.cells import suppress_by_n, suppress_small_cells
from ..settings import MIN_N
from .common import _inst, _semesters


def interview_counts(df: pd.DataFrame, min_n: int = MIN_N) -> pd.DataFrame:
    """Interviews and interviewing students per semester (students counted by their pseudonym).

    Returns
    -------
    DataFrame
        ``semester``, ``n_interviews``, ``n_students``, ``interviews_per_student`` (mean), suppressed where
        ``n_interviews < min_n``; ``n_students`` and the mean also where fewer than ``min_n`` students
        interviewed (students are people too, and the mean gives their number back), and where
        :func:`interviews_per_student` hides a cell of that semester: the number of students is the sum of that
        column and the number of interviews its weighted sum, so with both published two hidden cells are two
        unknowns in two equations (40 interviews - 39 students = one student who held two).

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["a"] * 6 + ["b"] * 2, "student": list("xxyzzz") + ["u", "v"]})
    >>> interview_counts(toy, min_n=5)[["semester", "n_interviews", "n_students"]].values.tolist()
    [['a', 6, <NA>], ['b', <NA>, <NA>]]
    >>> interview_counts(toy, min_n=3)[["semester", "n_interviews", "n_students"]].values.tolist()
    [['a', 6, 3], ['b', <NA>, <NA>]]
    """
    rows = []
    for sem in _semesters(df):
        part = df[df["semester"] == sem]
        n_int, n_stu = len(part), int(part["student"].nunique())
        rows.append(
            {
                "semester": sem,
                "n_interviews": n_int,
                "n_students": n_stu,
                "interviews_per_student": n_int / n_stu if n_stu else math.nan,
            }
        )
    table = pd.DataFrame(
        rows, columns=["semester", "n_interviews", "n_students", "interviews_per_student"]
    )
    out = suppress_by_n(table, "n_interviews", min_n, secondary=False)
    students = suppress_by_n(
        out, "n_students", min_n, secondary=False, value_cols=["interviews_per_student"]
    )
    hidden = 0
    per = interviews_per_student(df, min_n)
    for i, sem in enumerate(students["semester"]):
        if pd.isna(students.at[i, "n_students"]) or not per[sem].isna().any():
            continue
        part = df[df["semester"] == sem]
        true = part["student"].value_counts().clip(upper=len(per)).value_counts()
        counts = np.array([int(true.get(k + 1, 0)) for k in range(len(per))])
        if distribution_disclosed(counts, per[sem].isna().to_numpy(), len(part), min_n):
            students.loc[i, ["n_students", "interviews_per_student"]] = pd.NA
            hidden += 2
    students.attrs["suppressed_cells"] = (
        int(out.attrs["suppressed_cells"]) + int(students.attrs["suppressed_cells"]) + hidden
    )
    return students


def interviews_per_student(
    df: pd.DataFrame, min_n: int = MIN_N, max_count: int = 4
) -> pd.DataFrame:
    """How many students held 1, 2, 3, ... interviews, per semester (no pseudonyms in the result).

    Counts of students; the last row is ``max_count`` or more ("4+"). Cells of 1..min_n-1 students are hidden
    with secondary suppression (:func:`~sosrake_lib.privacy.suppress_small_cells`).

    Examples
    --------
    Seven students held one interview, one held two: that 1 is hidden, and so is the 7 (secondary
    suppression: otherwise 9 interviews - 7 would reveal it).

    >>> toy = pd.DataFrame({"semester": ["a"] * 9, "student": list("pqrstuvvw")})
    >>> interviews_per_student(toy, min_n=2, max_count=3)["a"].tolist()
    [<NA>, <NA>, 0]
    >>> toy = pd.DataFrame({"semester": ["a"] * 10, "student": list("pqrsttuuvv")})
    >>> interviews_per_student(toy, min_n=2, max_count=3)["a"].tolist()
    [4, 3, 0]
    """
    sems = _semesters(df)
    labels = [str(k) for k in range(1, max_count)] + [f"{max_count}+"]
    out = pd.DataFrame(0, index=pd.Index(labels, name="interviews"), columns=sems, dtype="int64")
    for sem in sems:
        per = df.loc[df["semester"] == sem, "student"].value_counts().clip(upper=max_count)
        counts = per.value_counts()
        for k, c in counts.items():
            out.loc[labels[int(k) - 1], sem] = int(c)
    out.columns.name = None
    return suppress_small_cells(out, min_n)


def _category_labels(inst: Instrument, item_id: str, lang: Lang) -> dict[Any, str]:
    scale = inst.item(item_id).scale
    assert scale is not None
    return {code: scale.label(code, lang) for code in scale.codes}


def service_counts(
    df: pd.DataFrame, inst: Instrument | str | None = None, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Interviews per service (rows, codebook order) and semester (columns), small cells suppressed.

    Examples
    --------
    >>> from sosrake_lib.interviews import load_exports
    >>> d = load_exports({"2021-syksy": "data/raw/sample/interviews_2021-syksy.csv"})
    >>> t = service_counts(d)
    >>> t.loc["Talous- ja velkaneuvonta", "2021-syksy"] is pd.NA, t.attrs["suppressed_cells"] >= 2
    (True, True)
    """
    return _crosstab(df, _inst(inst), "service", min_n, lang)


def _crosstab(
    df: pd.DataFrame, inst: Instrument, item_id: str, min_n: int, lang: Lang
) -> pd.DataFrame:
    labels = _category_labels(inst, item_id, lang)
    sems = _semesters(df)
    codes = df[item_id].astype("object")
    table = pd.DataFrame(
        {
            sem: [int(((codes == c) & (df["semester"] == sem)).sum()) for c in labels]
            for sem in sems
        },
        index=pd.Index(list(labels.values()), name=inst.item(item_id).text(lang)),
    )
    return suppress_small_cells(table.astype("int64"), min_n)


def _service_hidden(
    df: pd.DataFrame, inst: Instrument, min_n: int, lang: Lang
) -> set[tuple[str, str]]:
    """The (semester, service label) cells that :func:`service_counts` hides.

    Every table broken down by service and semester (interviews, NPS, theme top-2) describes the same
    interviews, so they share this one pattern: a service shown in one table and hidden in another would undo
    the secondary suppression of the other (e.g. TYP 2022 hidden in the counts to protect TYP 2021, but its
    n = 18 shown in the NPS table).
    """
    table = _crosstab(df, inst, "service", min_n, lang)
    return {
        (str(sem), str(label))
        for label in table.index
        for sem in table.columns
        if pd.isna(table.loc[label, sem])
    }


def background_table(
    df: pd.DataFrame, inst: Instrument | str | None = None, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Client background (age band, gender, client duration) by semester: counts, small cells suppressed.

    Each variable is suppressed as its own table (with secondary suppression), then stacked: columns
    ``variable``, ``category`` and one count column per semester; ``attrs["suppressed_cells"]`` is the total.
    """
    inst = _inst(inst)
    parts, hidden = [], 0
    for item_id in ("age_band", "gender", "client_duration"):
        if item_id not in df:
            continue
        t = _crosstab(df, inst, item_id, min_n, lang)
        hidden += t.attrs["suppressed_cells"]
        t = t.rename_axis("category").reset_index()
        t.insert(0, "variable", inst.item(item_id).text(lang))
        parts.append(t)
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {"suppressed_cells": hidden, "min_n": min_n}
    return out
