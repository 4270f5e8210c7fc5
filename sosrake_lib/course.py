"""Course-pilot evaluation (koulutuspilotti): completion funnel, pre→post learning, feedback, 2020 baseline.

The 5-ECTS structural social work course (2021) is evaluated from four exports: the enrolment register
(``course_enrolment``), the pre- and post-course self-assessments (``course_selfassessment``) and the
anonymous feedback survey (``course_feedback``); optionally the 2020 competence mapping (``competence``) is
the baseline. The notebook ``notebooks/03_course_pilot.ipynb`` calls these functions in order; each returns a
tidy table whose column names are machine names (translate them with :func:`localise`), already passed
through small-cell suppression where it publishes counts or group statistics.

Design
------
* Arithmetic is delegated: Wilson intervals, Wilcoxon signed-rank, Mann-Whitney U, Holm and the logistic
  regression come from :mod:`sosrake_lib.stats` (scipy / statsmodels underneath), scale scores and Likert
  tables from :mod:`sosrake_lib.scoring`, disclosure control from :mod:`sosrake_lib.privacy`. This module only
  pairs the data and decides what to publish.
* Pairs are matched on the pseudonymised participant id: cleaning hashes ``participant_id`` with the same
  key in every file, so the same person has the same ``ps_...`` id in the register and in both surveys.
* A register step (started, a module, a contact day, completed) counts as done only when the register says
  "yes" (Kyllä / Suoritettu / Osallistui); a blank counts as not done. Funnel counts are the number of
  participants who did each step (not cumulative), so a contact day may have more participants than the
  module listed before it.
* Small-cell rule (``min_n``, default 5): count tables use :func:`~sosrake_lib.privacy.suppress_small_cells`
  (with secondary suppression), group-statistics tables :func:`~sosrake_lib.privacy.suppress_by_n`. Answer
  distributions of the feedback survey are published as percentages of the item's whole respondent group
  (suppressed when that group is smaller than ``min_n``); counts per answer option are not published.

Examples
--------
>>> import pandas as pd
>>> enrol = pd.DataFrame({"started": ["yes"] * 8 + ["no"] * 2, "completed": ["yes"] * 6 + ["no"] * 4})
>>> f = completion_funnel(enrol, steps=("enrolled", "started", "completed"), min_n=2)
>>> f[["step", "n", "pct"]].values.tolist()
[['enrolled', 10, 100.0], ['started', 8, 80.0], ['completed', 6, 60.0]]
>>> f = completion_funnel(enrol, steps=("enrolled", "started", "completed"))  # 2 never started, 2 stopped
>>> f[["step", "n"]].values.tolist()
[['enrolled', 10], ['started', <NA>], ['completed', <NA>]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .cleaning import clean_responses, write_cleaning_summary
from .codebook import Instrument, load_instrument
from .errors import ConfigError
from .fmt import Lang, fmt_number
from .io import read_export
from .labels import for_analysis
from .outputs import KeyFigures, source
from .paths import PROJECT_ROOT
from .report import CI_LABEL, CLEANING_COLUMNS
from .scoring import NSA_LABELS, NSA_SUFFIX, NPSResult, likert_table, nps, scale_scores
from .sdc.audit import restore_rounded_stats
from .sdc.cells import hide_nested_differences, suppress_by_n, suppress_small_cells
from .sdc.parts import suppress_nps_groups, suppress_parts
from .sdc.stat_tests import hide_invertible_tests
from .settings import MIN_N
from .stats import (
    LogitResult,
    holm,
    logistic_regression,
    paired_change_table,
    proportion_ci,
    two_sample_ordinal,
)

__all__ = [
    "DISPLAY",
    "FUNNEL_STEPS",
    "CourseData",
    "area_scores",
    "baseline_comparison",
    "baseline_figure",
    "cleaning_summary",
    "display_ready",
    "completion_by",
    "completion_linked",
    "completion_funnel",
    "completion_model",
    "feedback_items",
    "feedback_nps",
    "feedback_parts",
    "gain_ranking",
    "key_figures",
    "learning_change",
    "load_course_data",
    "localise",
    "model_note",
    "nps_table",
    "open_themes",
    "publish_tables",
    "pair_accounting",
    "resolve_path",
    "suppression_summary",
    "write_cleaning_log",
]

#: Default funnel order, as the course team asked for it: enrolled → started → modules → contact days → done.
FUNNEL_STEPS: tuple[str, ...] = (
    "enrolled",
    "started",
    "M1",
    "M2",
    "M3",
    "M4",
    "M5",
    "contact_day1",
    "contact_day2",
    "completed",
)

_TXT: dict[str, dict[str, str]] = {
    "fi": {
        "enrolled": "Ilmoittautui",
        "completed_yes": "Suoritti",
        "completed_no": "Ei suorittanut",
        "total": "Yhteensä",
        "not_in_register": "Ei rekisterissä",
        "intercept": "Vakio",
        "vs": "vrt.",
        "pre": "Alkukysely",
        "post": "Loppukysely",
        "baseline": "Osaamiskartoitus 2020",
        "course_pre": "Kurssilaiset, alkukysely",
        "mean_axis": "Keskiarvo (1–5) ja 95 %:n luottamusväli",
    },
    "en": {
        "enrolled": "Enrolled",
        "completed_yes": "Completed",
        "completed_no": "Did not complete",
        "total": "Total",
        "not_in_register": "Not in the register",
        "intercept": "Intercept",
        "vs": "vs.",
        "pre": "Pre-course survey",
        "post": "Post-course survey",
        "baseline": "Competence mapping 2020",
        "course_pre": "Course participants, pre-course",
        "mean_axis": "Mean (1–5) and 95% confidence interval",
    },
}

#: Readable column names of the published tables (machine name -> fi / en).
#: Published headers of this module's columns (``sosrake_lib/labels_data/course.yaml``).
COLUMN_LABELS: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("course").columns.items()
}


# ------------------------------------------------------------------------------------------------- loading
def resolve_path(path: str | Path) -> Path:
    """A parameter path as an absolute path: relative paths are taken from the project root.

    Examples
    --------
    >>> resolve_path("data/raw/sample").relative_to(PROJECT_ROOT).as_posix()
    'data/raw/sample'
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else PROJECT_ROOT / p


@dataclass
class CourseData:
    """The cleaned course exports, their codebooks and cleaning logs (``baseline`` is ``None`` when not given)."""

    enrolment: pd.DataFrame
    pre: pd.DataFrame
    post: pd.DataFrame
    feedback: pd.DataFrame
    instruments: dict[str, Instrument]
    baseline: pd.DataFrame | None = None
    logs: dict[str, dict[str, Any]] = field(default_factory=dict)


def _read_clean(path: str | Path, inst: Instrument) -> pd.DataFrame:
    return clean_responses(read_export(resolve_path(path), inst), inst)


def load_course_data(
    enrolment_path: str | Path,
    pre_path: str | Path,
    post_path: str | Path,
    feedback_path: str | Path,
    baseline_path: str | Path = "",
    *,
    enrolment_instrument: str = "course_enrolment",
    selfassessment_instrument: str = "course_selfassessment",
    feedback_instrument: str = "course_feedback",
    baseline_instrument: str = "competence",
    overlay: str | Path | None = None,
) -> CourseData:
    """Read and clean the course exports (``read_export`` + ``clean_responses`` for each file).

    ``baseline_path = ""`` means no baseline. Relative paths are resolved from the project root. The cleaning
    log of each file (without its per-row list) is kept in ``logs`` under ``enrolment``, ``pre``, ``post``,
    ``feedback`` and ``baseline``. ``overlay``: a codebook overlay with header aliases (``sosrake map``).

    Raises
    ------
    ExportError
        From ``read_export`` when a file cannot be read (names the file, row, column and value).
    ValueError
        When a participant id occurs twice in the register or in a self-assessment after cleaning.
    """
    insts = {
        "enrolment": load_instrument(enrolment_instrument, overlay=overlay),
        "selfassessment": load_instrument(selfassessment_instrument, overlay=overlay),
        "feedback": load_instrument(feedback_instrument, overlay=overlay),
    }
    frames = {
        "enrolment": _read_clean(enrolment_path, insts["enrolment"]),
        "pre": _read_clean(pre_path, insts["selfassessment"]),
        "post": _read_clean(post_path, insts["selfassessment"]),
        "feedback": _read_clean(feedback_path, insts["feedback"]),
    }
    baseline = None
    if str(baseline_path).strip():
        insts["baseline"] = load_instrument(baseline_instrument, overlay=overlay)
        baseline = _read_clean(baseline_path, insts["baseline"])
        frames["baseline"] = baseline
    for key, inst in (
        ("enrolment", insts["enrolment"]),
        ("pre", insts["selfassessment"]),
        ("post", insts["selfassessment"]),
    ):
        ids = frames[key][inst.respondent_id]
        if ids.duplicated().any():
            raise ValueError(
                f"{key}: participant id occurs more than once after cleaning; check the export"
            )
    logs = {
        k: {kk: vv for kk, vv in df.attrs["cleaning_log"].items() if kk != "rows"}
        for k, df in frames.items()
    }
    return CourseData(
        enrolment=frames["enrolment"],
        pre=frames["pre"],
        post=frames["post"],
        feedback=frames["feedback"],
        instruments=insts,
        baseline=baseline,
        logs=logs,
    )


def cleaning_summary(
    logs: Mapping[str, Mapping[str, Any]],
    *,
    paired: int | None = None,
    pairs: pd.DataFrame | None = None,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """One row per input file: raw rows, kept, dropped (empty / test / duplicate). No identifiers.

    The kept rows of the pre- and post-course surveys are their respondents. Beside the enrolled (the
    register's kept rows) and the number of pairs (``paired``, a published key figure), they give who did not
    answer and who answered only one survey (21 kept after - 20 pairs = 1 post-only). Where either difference
    is 1..min_n-1 people, that file's raw and kept rows are hidden (the dropped counts stay: they describe rows
    of the file, not people's answers). They are the answered totals of :func:`pair_accounting` too: given
    its published table (``pairs``), a total it hides is hidden here as well, and ``paired`` is read from it.

    Examples
    --------
    >>> cleaning_summary({"pre": {"source_file": "pre.csv", "instrument": "x", "raw_rows": 5, "kept": 3,
    ...                           "dropped": {"empty": 1, "test": 1, "duplicate": 0}}})["kept"].tolist()
    [3]
    >>> logs = {k: {"raw_rows": n + 1, "kept": n, "dropped": {"empty": 1}}
    ...         for k, n in (("enrolment", 30), ("pre", 28), ("post", 22))}
    >>> cleaning_summary(logs, paired=21)["kept"].tolist()  # 30 - 28 = 2 never answered before; 22 - 21 = 1
    [30, <NA>, <NA>]
    """
    rows = []
    for key, log in logs.items():
        dropped = log.get("dropped", {})
        rows.append(
            {
                "file": key,
                "source_file": log.get("source_file", ""),
                "instrument": log.get("instrument", ""),
                "raw_rows": int(log["raw_rows"]),
                "kept": int(log["kept"]),
                **{f"dropped_{r}": int(dropped.get(r, 0)) for r in ("empty", "test", "duplicate")},
            }
        )
    out = pd.DataFrame(rows)
    if out.empty or not {"pre", "post"} & set(out["file"]):
        return out
    linked: dict[str, bool] = {}
    if pairs is not None:
        total = pairs.set_index("status").loc["total"]
        paired = None if pd.isna(total["paired"]) else int(total["paired"])
        linked = {w: bool(pd.isna(total[f"answered_{w}"])) for w in ("pre", "post")}
    enrolled = out.loc[out["file"] == "enrolment", "kept"]
    references = [int(v) for v in [*enrolled.tolist(), paired] if v is not None]
    hide = np.array(
        [
            f in ("pre", "post")
            and (linked.get(f, False) or any(0 < abs(int(k) - r) < min_n for r in references))
            for f, k in zip(out["file"], out["kept"], strict=True)
        ],
        dtype=bool,
    )
    if hide.any():
        for col in ("raw_rows", "kept"):
            out[col] = out[col].astype("Int64").mask(hide)
    out.attrs["suppressed_cells"] = 2 * int(hide.sum())
    return out


def write_cleaning_log(
    logs: Mapping[str, Mapping[str, Any]], out_dir: str | Path, *, semester: str = ""
) -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`, keyed by the file's role:
    enrolment, pre, post, feedback, baseline)."""
    return write_cleaning_summary(logs, out_dir, semester=semester)


def localise(table: pd.DataFrame, lang: Lang = "fi", *, drop: Sequence[str] = ()) -> pd.DataFrame:
    """The table with readable column names in ``lang`` (:data:`COLUMN_LABELS`); ``drop`` removes columns.

    Examples
    --------
    >>> list(localise(pd.DataFrame({"step_label": ["x"], "n": [1], "pct": [5.0]}), "en").columns)
    ['Step', 'n', '% of enrolled']
    """
    from .publish import label_table

    return label_table("course", table, lang, drop=drop)


# --------------------------------------------------------------------------------------------- completion
def _done(series: pd.Series) -> pd.Series:
    """True where the register says yes; a blank or "no" is False."""
    return series.astype("object").eq("yes").fillna(False).astype(bool)


def _step_label(step: str, inst: Instrument | None, lang: Lang) -> str:
    if step == "enrolled":
        return _TXT[lang]["enrolled"]
    if inst is not None and step in inst:
        return inst.item(step).text(lang)
    return step


def _category_label(inst: Instrument | None, item: str, code: Any, lang: Lang) -> str:
    if inst is not None and item in inst:
        scale = inst.item(item).scale
        if scale is not None and code in scale.codes:
            return scale.label(code, lang)
    return str(code)


def completion_funnel(
    enrol: pd.DataFrame,
    inst: Instrument | None = None,
    *,
    steps: Sequence[str] = FUNNEL_STEPS,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Participants at each step of the course, with % of the enrolled and a Wilson interval.

    Parameters
    ----------
    enrol : DataFrame
        The cleaned register: one row per enrolled participant, yes/no columns per step (codes ``"yes"`` /
        ``"no"``, as ``read_export`` gives them).
    inst : Instrument, optional
        The register's codebook, for the step labels (item texts in ``lang``).
    steps : sequence of str
        ``"enrolled"`` (every row) and register columns, in the order to show.
    min_n : int
        Steps with ``0 < n < min_n`` are hidden (:func:`~sosrake_lib.sdc.suppress_by_n`). Steps are nested
        (whoever did module 2 did module 1), so two published counts also give the people who did one step but
        not the other: where such a difference is 1..min_n-1, one of the two steps is hidden too (never the
        enrolled or the completed if another can go; :func:`~sosrake_lib.sdc.hide_nested_differences`),
        and so is the % of the previous step after a hidden one.

    Returns
    -------
    DataFrame
        ``step``, ``step_label``, ``n`` (participants who did the step), ``pct`` (% of enrolled),
        ``ci_low``/``ci_high`` (Wilson, %) and ``pct_of_previous`` (% of the previous step's n).

    Examples
    --------
    Hand check: 4 of 10 completed → 40 %, Wilson 95 % CI 16,8–68,7 %.

    >>> e = pd.DataFrame({"completed": ["yes"] * 4 + ["no"] * 5 + [None]})
    >>> f = completion_funnel(e, steps=("enrolled", "completed"), min_n=1)
    >>> int(f.loc[1, "n"]), float(f.loc[1, "pct"]), [round(float(x), 1) for x in f.loc[1, ["ci_low", "ci_high"]]]
    (4, 40.0, [16.8, 68.7])
    """
    total = len(enrol)
    members = {
        s: np.ones(total, dtype=bool) if s == "enrolled" else _done(enrol[s]).to_numpy(dtype=bool)
        for s in steps
    }
    counts = [int(members[s].sum()) for s in steps]
    low, high = proportion_ci(np.array(counts), np.full(len(counts), total), ci=ci)
    prev = [np.nan, *counts[:-1]]
    table = pd.DataFrame(
        {
            "step": list(steps),
            "step_label": [_step_label(s, inst, lang) for s in steps],
            "n": np.array(counts, dtype="int64"),
            "pct": [100.0 * c / total if total else np.nan for c in counts],
            "ci_low": 100.0 * np.asarray(low),
            "ci_high": 100.0 * np.asarray(high),
            "pct_of_previous": [
                100.0 * c / p if p and p == p else np.nan for c, p in zip(counts, prev, strict=True)
            ],
        }
    )
    table = suppress_by_n(table, "n", min_n, secondary=False)
    shown_before = int(
        table[["n", "pct", "ci_low", "ci_high", "pct_of_previous"]].notna().sum().sum()
    )
    # nested steps: who did step B did step A, so n(A) - n(B) counts the people who stopped in between
    small = [s for s, c in zip(steps, counts, strict=True) if 0 < c < min_n]
    hidden = hide_nested_differences(members, min_n, keep=("enrolled", "completed"), hidden=small)
    extra = np.array([s in hidden and s not in small for s in steps])
    if extra.any():
        table["n"] = table["n"].astype("Int64").mask(extra)
        for col in ("pct", "ci_low", "ci_high", "pct_of_previous"):
            table[col] = table[col].mask(extra)
    # a share of a hidden previous step gives that step back
    after_hidden = np.array([False, *[s in hidden for s in steps[:-1]]])
    table["pct_of_previous"] = table["pct_of_previous"].mask(after_hidden)
    shown_after = int(
        table[["n", "pct", "ci_low", "ci_high", "pct_of_previous"]].notna().sum().sum()
    )
    table.attrs["suppressed_cells"] = (
        int(table.attrs.get("suppressed_cells", 0)) + shown_before - shown_after
    )
    return table


def completion_by(
    enrol: pd.DataFrame,
    by: str | Sequence[str],
    inst: Instrument | None = None,
    *,
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Completion (count, %, Wilson CI) per group of one or two register columns, small groups suppressed.

    Disclosure rule, per row (group): the row is hidden when the group, its completers or its non-completers
    number 1..``min_n``-1 people (zeros describe nobody and do not trigger it). Because the overall totals
    (63 enrolled, 35 completed) are published, a single hidden row could be worked out by subtraction, so the
    secondary rule of :func:`~sosrake_lib.privacy.suppress_by_n` hides the row with the next-smallest size too.
    Rows, not single cells, are hidden: a completion % with its n is the count itself. Empty combinations are
    left out.

    Returns
    -------
    DataFrame
        One row per (non-empty) group: the ``by`` codes, ``label``, ``n``, ``completed``, ``not_completed``,
        ``pct_completed``, ``ci_low``, ``ci_high`` (%) and ``suppressed`` (bool). ``attrs["suppressed_cells"]``
        and ``attrs["suppressed_rows"]`` count what was hidden.

    Examples
    --------
    By hand: group c (3 people) and group a (4 non-completers) are small; two rows are hidden, so no
    secondary row is needed.

    >>> e = pd.DataFrame({"g": ["a"] * 10 + ["b"] * 12 + ["c"] * 3,
    ...                   "completed": ["yes"] * 6 + ["no"] * 4 + ["yes"] * 5 + ["no"] * 7 + ["yes"] * 3})
    >>> t = completion_by(e, "g")
    >>> t[["g", "n", "completed", "not_completed", "pct_completed"]].astype(object).values.tolist()
    [['a', <NA>, <NA>, <NA>, <NA>], ['b', 12, 5, 7, 41.666666666666664], ['c', <NA>, <NA>, <NA>, <NA>]]
    >>> completion_by(e[e["g"] != "c"], "g")["suppressed"].tolist()   # a alone is small: b goes with it
    [True, True]
    """
    by = [by] if isinstance(by, str) else list(by)
    data = enrol[by].copy()
    data["_done"] = _done(enrol[outcome]).astype("int64")
    grouped = data.groupby(by, observed=True, sort=True)["_done"]
    counts = pd.DataFrame({"completed": grouped.sum(), "n": grouped.size()})
    counts = counts[counts["n"] > 0].reset_index()
    counts["not_completed"] = counts["n"] - counts["completed"]
    low, high = proportion_ci(counts["completed"].to_numpy(), counts["n"].to_numpy(), ci=ci)
    sizes = counts[["n", "completed", "not_completed"]].to_numpy(dtype=float)
    smallest = np.where(sizes > 0, sizes, np.inf).min(axis=1)
    table = pd.DataFrame(
        {
            **{b: counts[b].astype("object") for b in by},
            "label": [
                " – ".join(_category_label(inst, b, row[b], lang) for b in by)
                for _, row in counts.iterrows()
            ],
            "n": counts["n"].astype("int64"),
            "completed": counts["completed"].astype("int64"),
            "not_completed": counts["not_completed"].astype("int64"),
            "pct_completed": 100.0 * counts["completed"] / counts["n"],
            "ci_low": 100.0 * np.asarray(low),
            "ci_high": 100.0 * np.asarray(high),
            "_smallest": smallest,
        }
    )
    out = suppress_by_n(
        table,
        "_smallest",
        min_n,
        value_cols=["n", "completed", "not_completed", "pct_completed", "ci_low", "ci_high"],
    )
    out["suppressed"] = out["_smallest"].isna().to_numpy()
    attrs = {k: out.attrs[k] for k in ("suppressed_rows", "min_n")}
    out = out.drop(columns="_smallest")
    out.attrs = {
        **attrs,
        "suppressed_cells": int(out[["n", "completed", "not_completed"]].isna().sum().sum()),
    }
    return out


def completion_linked(
    enrol: pd.DataFrame,
    rows: str = "uas",
    cols: str = "campus",
    inst: Instrument | None = None,
    *,
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`completion_by` for ``rows``, for ``cols`` and for both, suppressed together as linked tables.

    Published side by side, the three tables are one two-way table with its margins: by campus is the column
    total of by UAS x campus, by UAS its row total (and a UAS with one campus *is* its cell). Suppressed one
    by one, a hidden cell can be worked out by subtraction: in the sample, Mikkeli (14 of 25 completed) minus
    Xamk-Mikkeli (7 of 16) gave Diak-Mikkeli, 7 of 9, i.e. 2 non-completers. So each cell's smallest count
    (group, completers, non-completers; zeros describe nobody) goes into one ``rows x cols`` table with its
    margins, :func:`~sosrake_lib.privacy.suppress_small_cells` applies the primary and secondary rule to every
    line (each row with its total, each column with its total, the totals with the grand total), and a line
    left with one hidden cell and nothing else to hide has its total hidden as well, until no line has
    exactly one hidden entry. Whole rows of the three tables are hidden, as in :func:`completion_by`.

    Returns
    -------
    tuple of DataFrame
        ``(by rows, by cols, by rows and cols)``, each like :func:`completion_by`'s result.

    Examples
    --------
    B has 2 people at campus k and 9 at m (2 non-completers). One by one, the UAS x campus table hides B's
    two cells but shows C-m (7 of 16), and the campus table shows m (14 of 25): m - C-m gives B-m, 7 of 9.
    Linked, C-m is hidden with B-m; C has one campus, so C's total goes too; column k then needs a second
    hidden cell (A-k), and A's total follows. Only the campus totals stay:

    >>> e = pd.DataFrame({"uas": ["A"] * 20 + ["B"] * 11 + ["C"] * 16, "campus": ["k"] * 22 + ["m"] * 25,
    ...                   "completed": ["yes"] * 12 + ["no"] * 8 + ["yes"] * 9 + ["no"] * 2 + ["yes"] * 7 + ["no"] * 9})
    >>> completion_by(e, ["uas", "campus"])["suppressed"].tolist()  # one by one: A-k, B-k, B-m, C-m
    [False, True, True, False]
    >>> u, c, uc = completion_linked(e)
    >>> u["suppressed"].tolist(), c["suppressed"].tolist(), uc["suppressed"].tolist()
    ([True, True, True], [False, False], [True, True, True, True])
    >>> completion_linked(e, min_n=2)[2]["suppressed"].tolist()  # nothing small at min_n 2
    [False, False, False, False]
    """
    full_r = completion_by(enrol, rows, inst, outcome=outcome, min_n=1, lang=lang, ci=ci)
    full_c = completion_by(enrol, cols, inst, outcome=outcome, min_n=1, lang=lang, ci=ci)
    full_rc = completion_by(enrol, [rows, cols], inst, outcome=outcome, min_n=1, lang=lang, ci=ci)
    total = "\x00total"

    def smallest(t: pd.DataFrame) -> np.ndarray:
        sizes = t[["n", "completed", "not_completed"]].to_numpy(dtype=float)
        return np.where(sizes > 0, sizes, np.inf).min(axis=1)

    r_levels, c_levels = list(full_r[rows]), list(full_c[cols])
    grid = pd.DataFrame(0, index=[*r_levels, total], columns=[*c_levels, total], dtype="int64")
    for (r, c), v in zip(
        zip(full_rc[rows], full_rc[cols], strict=True), smallest(full_rc), strict=True
    ):
        grid.loc[r, c] = int(v)
    for r, v in zip(r_levels, smallest(full_r), strict=True):
        grid.loc[r, total] = int(v)
    for c, v in zip(c_levels, smallest(full_c), strict=True):
        grid.loc[total, c] = int(v)
    done = _done(enrol[outcome])
    grid.loc[total, total] = int(
        min(x for x in (len(done), int(done.sum()), int((~done).sum())) if x > 0)
    )
    forced: set[tuple[Any, Any]] = set()
    while True:
        work = grid.copy()
        for r, c in forced:
            work.loc[r, c] = 1 if min_n > 1 else 0
        supp = suppress_small_cells(work, min_n, total_rows=[total], total_cols=[total])
        hidden = supp.isna()
        new = set()
        for kind, label in supp.attrs["unprotected_lines"]:
            cell = (label, total) if kind == "row" else (total, label)
            if not hidden.loc[cell] and cell != (total, total):
                new.add(cell)
        if not new or min_n <= 1:
            break
        forced |= new
    if (total, total) in forced or hidden.loc[
        total, total
    ]:  # the grand total is published (the funnel)
        hidden.loc[:, :] = True

    def apply(t: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
        out = t.copy()
        cols_ = ["n", "completed", "not_completed", "pct_completed", "ci_low", "ci_high"]
        out = out.astype(
            {c: ("Int64" if c in ("n", "completed", "not_completed") else "Float64") for c in cols_}
        )
        out.loc[mask, cols_] = pd.NA
        out["suppressed"] = mask
        out.attrs = {
            "suppressed_rows": int(mask.sum()),
            "min_n": min_n,
            "suppressed_cells": int(out[["n", "completed", "not_completed"]].isna().sum().sum()),
        }
        return out

    by_r = apply(full_r, np.array([bool(hidden.loc[r, total]) for r in full_r[rows]]))
    by_c = apply(full_c, np.array([bool(hidden.loc[total, c]) for c in full_c[cols]]))
    by_rc = apply(
        full_rc,
        np.array(
            [bool(hidden.loc[r, c]) for r, c in zip(full_rc[rows], full_rc[cols], strict=True)]
        ),
    )
    return by_r, by_c, by_rc


def completion_model(
    enrol: pd.DataFrame,
    predictors: Sequence[str] = ("group", "campus"),
    inst: Instrument | None = None,
    *,
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
    hidden_levels: Mapping[str, Iterable[Any]] | None = None,
) -> tuple[pd.DataFrame, LogitResult]:
    """Logistic regression of completion on register categories (:func:`~sosrake_lib.stats.logistic_regression`).

    The reference level of each predictor is its first codebook category. ``hidden_levels`` names, per
    predictor, the levels the published completion tables hide (:func:`completion_by`,
    :func:`completion_linked`): an odds ratio against a hidden level, or of a hidden level, with its interval
    would give the hidden counts back approximately (a 2 x 2 table's OR and SE nearly fix its cells), so the
    reference becomes the largest shown level and the terms of hidden levels are suppressed; if no level is
    shown, all of that predictor's terms are. The model is fitted on everyone either way.

    The returned table has one row per term with its readable label, the number of participants in that
    level (``n``), odds ratio, Wald 95 % CI and p; terms whose level has fewer than ``min_n`` participants are
    suppressed. So is a term (its ``n`` too) where the level or the reference level has 1..min_n-1 completers
    or non-completers: an odds ratio with its interval is nearly the 2 x 2 table behind it (log OR and its
    standard error sqrt(1/a + 1/b + 1/c + 1/d)), so it would give back a completion count that the completion
    tables hide. Read the :class:`~sosrake_lib.stats.LogitResult`'s ``epv`` and ``warning`` (see
    :func:`model_note`): with 63 participants and 35 completers the model carries only a few parameters
    (Peduzzi et al. 1996).


    Examples
    --------
    >>> e = pd.DataFrame({"g": pd.Categorical(["a"] * 20 + ["b"] * 20, categories=["a", "b"]),
    ...                   "completed": ["yes"] * 5 + ["no"] * 15 + ["yes"] * 10 + ["no"] * 10})
    >>> t, res = completion_model(e, ["g"])
    >>> round(float(t.loc[0, "odds_ratio"]), 3), int(t.loc[0, "n"]), res.n_events
    (3.0, 20, 15)
    >>> t, _ = completion_model(e, ["g"], hidden_levels={"g": ["a"]})  # a hidden: b is the reference
    >>> t[["term", "n"]].astype(object).values.tolist()
    [['g[T.a]', <NA>]]
    """
    data = enrol[list(predictors)].copy()
    data["_done"] = _done(enrol[outcome]).astype("int64")
    hidden = {p: {str(v) for v in vs} for p, vs in (hidden_levels or {}).items()}
    for pred, levels in hidden.items():  # the reference: the largest level the tables show
        values = data[pred].astype("object")
        shown = values[values.notna() & ~values.astype(str).isin(levels)].value_counts(sort=False)
        if len(shown):
            ref = max(shown.index, key=lambda lv: (shown[lv], -list(shown.index).index(lv)))
            order = [ref, *[lv for lv in pd.unique(values.dropna()) if lv != ref]]
            if isinstance(enrol[pred].dtype, pd.CategoricalDtype):
                order = [ref, *[c for c in enrol[pred].cat.categories if c != ref]]
            data[pred] = pd.Categorical(values, categories=order)
    res = logistic_regression(data, "_done", list(predictors))
    rows = []
    small_cells = []

    def has_small_cell(pred: str, level: Any) -> bool:
        done = data["_done"][(enrol[pred].astype("object") == level).to_numpy()]
        return any(0 < c < min_n for c in (int(done.sum()), int(len(done) - done.sum())))

    for _, r in res.table.iterrows():
        term = str(r["term"])
        if term == "Intercept":
            continue
        pred, level = term.split("[T.", 1) if "[T." in term else (term, "")
        level = level.rstrip("]")
        ref = res.reference_levels.get(pred)
        small_cells.append(
            bool(level)
            and (
                has_small_cell(pred, level)
                or has_small_cell(pred, ref)
                or str(level) in hidden.get(pred, ())
                or str(ref) in hidden.get(pred, ())
            )
        )
        item_text = inst.item(pred).text(lang) if inst is not None and pred in inst else pred
        lab = (
            (
                f"{item_text}: {_category_label(inst, pred, level, lang)} ({_TXT[lang]['vs']} "
                f"{_category_label(inst, pred, ref, lang)})"
            )
            if level
            else item_text
        )
        n_level = (
            int((enrol[pred].astype("object") == level).sum())
            if level
            else int(enrol[pred].notna().sum())
        )
        rows.append(
            {
                "term": term,
                "term_label": lab,
                "n": n_level,
                "odds_ratio": r["odds_ratio"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "p_value": r["p_value"],
            }
        )
    table = pd.DataFrame(
        rows, columns=["term", "term_label", "n", "odds_ratio", "ci_low", "ci_high", "p_value"]
    )
    out = suppress_by_n(table, "n", min_n, secondary=False)
    hide = np.array(small_cells, dtype=bool) & out["n"].notna().to_numpy()
    if hide.any():
        values = ["n", "odds_ratio", "ci_low", "ci_high", "p_value"]
        out = out.astype({c: ("Int64" if c == "n" else "Float64") for c in values})
        out.loc[hide, values] = pd.NA
        out.attrs["suppressed_rows"] = int(out.attrs.get("suppressed_rows", 0)) + int(hide.sum())
        out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) + int(
            hide.sum()
        ) * len(values)
    return out, res


def model_note(res: LogitResult, lang: Lang = "fi") -> str:
    """A plain-language note on what the sample can carry: events per parameter (EPV) and estimability.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> print(model_note(NS(n=63, n_events=35, n_parameters=3, epv=28 / 3, estimable=True, warning=""), "en"))
    n = 63, 35 completed, 28 did not; 3 parameters: 9.3 events per parameter (EPV; the smaller outcome group divided by the number of parameters). Below 10 the odds ratios may be biased and their intervals too narrow (Peduzzi et al. 1996): read the model as descriptive, not as proof of an effect.
    """
    n_non = res.n - res.n_events
    epv = fmt_number(res.epv, lang, 1)
    if lang == "fi":
        text = (
            f"n = {res.n}, suorittaneita {res.n_events}, ei suorittaneita {n_non}; {res.n_parameters} "
            f"parametria: {epv} tapahtumaa parametria kohden (EPV; pienempi lopputulosryhmä jaettuna "
            f"parametrien määrällä)."
        )
        if res.epv < 10:
            text += (
                " Alle 10:n EPV:llä vetosuhteet voivat olla harhaisia ja luottamusvälit liian kapeita "
                "(Peduzzi ym. 1996): lue malli kuvailevana, ei todisteena vaikutuksesta."
            )
        if not res.estimable:
            text += (
                " Mallia ei voitu estimoida (esim. jokin ryhmä suoritti kokonaan tai ei lainkaan)."
            )
    else:
        text = (
            f"n = {res.n}, {res.n_events} completed, {n_non} did not; {res.n_parameters} parameters: {epv} "
            f"events per parameter (EPV; the smaller outcome group divided by the number of parameters)."
        )
        if res.epv < 10:
            text += (
                " Below 10 the odds ratios may be biased and their intervals too narrow (Peduzzi et al. "
                "1996): read the model as descriptive, not as proof of an effect."
            )
        if not res.estimable:
            text += (
                " The model could not be estimated (e.g. a group completed entirely or not at all)."
            )
    return text


# ----------------------------------------------------------------------------------------------- learning
def area_scores(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    role: str | None = None,
    id_col: str | None = None,
    min_valid: float = 0.5,
) -> pd.DataFrame:
    """Area means per respondent (:func:`~sosrake_lib.scoring.scale_scores` over the codebook's area items).

    Indexed by the (pseudonymised) respondent id, so pre and post scores pair by index label. "En osaa sanoa"
    is NaN and left out; with fewer than ``min_valid`` of an area's items answered the area score is NaN.

    Examples
    --------
    >>> from sosrake_lib.codebook import load_instrument
    >>> inst = load_instrument("course_selfassessment")
    >>> df = pd.DataFrame({"participant_id": ["ps_a"], **{c: [3.0] for c in inst.area_items()["raportointi"]}})
    >>> area_scores(df, inst).loc["ps_a", "raportointi"]
    np.float64(3.0)
    """
    id_col = id_col or inst.respondent_id
    areas = {
        a: items
        for a, items in inst.area_items(role=role).items()
        if all(i.lstrip("-") in df.columns for i in items)
    }
    scores = scale_scores(df, areas, min_valid=min_valid)
    scores.index = pd.Index(df[id_col].astype("str"), name=id_col)
    return scores


def learning_change(
    pre_scores: pd.DataFrame,
    post_scores: pd.DataFrame,
    inst: Instrument | None = None,
    *,
    zero_method: str = "wilcox",
    alpha: float = 0.05,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Pre→post change per area: Wilcoxon signed-rank, median change, rank-biserial r, Holm across areas.

    Wraps :func:`~sosrake_lib.stats.paired_change_table` (scipy's ``wilcoxon``): pairs are matched on the index
    (the pseudonymised participant id); only participants with both scores in an area count. ``zero_method``
    ("wilcox": zero differences dropped before ranking, Wilcoxon 1945; "pratt" or "zsplit") is reported in
    every row. The Holm family is the set of areas. Areas are ranked by median change, ties broken by the mean
    change and then the effect size (``gain_rank`` 1 = grew most). Areas with fewer than ``min_n`` pairs are
    suppressed and not ranked; in the others, counts of 1..min_n-1 participants who rose, fell or stayed are
    hidden with a second count of the row (:func:`~sosrake_lib.outputs.suppress_parts`).

    The test statistics of a row with a hidden count would give it back: W and r together fix the number of
    non-zero pairs (``S = 2 W / (1 - r)`` rank sum), hence "stayed" = pairs minus that, and a full-precision
    p-value does much the same. In such a row the statistic, p and Holm p are hidden (``significant`` stays),
    and r is published at two decimals, or one, where the audit
    :func:`~sosrake_lib.disclosure.signed_rank_possible_values` shows every hidden count can still take two
    values or more (hidden otherwise; always hidden for ``zero_method`` other than "wilcox"). Holm p of another
    row that equals a hidden row's adjusted p (Holm's step-down maximum) is hidden too.

    Returns
    -------
    DataFrame
        ``area``, ``area_label``, ``n_pairs``, ``n_increase``, ``n_decrease``, ``n_zero``, medians before/after,
        ``median_change`` and its CI, ``mean_change``, ``statistic``, ``p_value``, ``p_holm``, ``effect_size``
        (rank-biserial r), ``effect_size_name``, ``significant`` (``p_holm < alpha``), ``gain_rank``,
        ``test``, ``zero_method``.

    Examples
    --------
    >>> pre = pd.DataFrame({"A": [1.0, 2, 3, 4, 2, 3], "B": [3.0, 3, 3, 3, 3, 3]}, index=list("abcdef"))
    >>> post = pd.DataFrame({"A": [2.0, 3, 4, 5, 3, 4], "B": [3.0, 3, 3, 3, 3, 4]}, index=list("fedcba")[::-1])
    >>> t = learning_change(pre, post, min_n=1)
    >>> t[["area", "n_pairs", "median_change", "effect_size", "gain_rank"]].values.tolist()
    [['A', 6, 1.0, 1.0, 1], ['B', 6, 0.0, 1.0, 2]]
    """
    areas = [a for a in pre_scores.columns if a in post_scores.columns]
    table = paired_change_table(pre_scores, post_scores, areas, zero_method=zero_method)  # type: ignore[arg-type]
    table = table.rename(columns={"column": "area"})
    table.insert(
        1, "area_label", [inst.area_label(a, lang) if inst is not None else a for a in areas]
    )
    table["significant"] = np.nan_to_num(table["p_holm"].to_numpy(dtype=float), nan=1.0) < alpha
    rankable = table["n_pairs"] >= min_n
    order = table[rankable].sort_values(
        ["median_change", "mean_change", "effect_size"], ascending=False, kind="mergesort"
    )
    rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
    rank[order.index] = np.arange(1, len(order) + 1)
    table["gain_rank"] = rank
    keep = [
        "area",
        "area_label",
        "n_pairs",
        "n_increase",
        "n_decrease",
        "n_zero",
        "median_pre",
        "median_post",
        "median_change",
        "median_change_ci_low",
        "median_change_ci_high",
        "mean_change",
        "statistic",
        "p_value",
        "p_holm",
        "effect_size",
        "effect_size_name",
        "significant",
        "gain_rank",
        "test",
        "zero_method",
    ]
    out = table[keep]
    p_full = out["p_value"].to_numpy(
        dtype=float, na_value=np.nan
    )  # before suppression: Holm used them all
    out = suppress_by_n(
        out,
        "n_pairs",
        min_n,
        secondary=False,
        value_cols=[c for c in keep[3:17] if c != "effect_size_name"],
    )
    out = suppress_parts(out, ["n_increase", "n_decrease", "n_zero"], min_n)
    return hide_invertible_tests(out, p_full, zero_method, parts=_CHANGE_PARTS)


_CHANGE_PARTS = ("n_increase", "n_decrease", "n_zero")


def gain_ranking(change: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """The ``k`` areas that grew most (rows of :func:`learning_change` by ``gain_rank``).

    Examples
    --------
    >>> t = pd.DataFrame({"area": ["a", "b", "c"], "gain_rank": pd.array([2, 1, pd.NA], dtype="Int64")})
    >>> gain_ranking(t, 2)["area"].tolist()
    ['b', 'a']
    """
    ranked = change[change["gain_rank"].notna()].sort_values("gain_rank")
    return ranked.head(k).reset_index(drop=True)


def pair_accounting(
    enrol: pd.DataFrame,
    pre_ids: Sequence[str] | pd.Index,
    post_ids: Sequence[str] | pd.Index,
    *,
    id_col: str = "participant_id",
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Who answered the pre- and post-course survey, who forms a pair and who was lost, by completion.

    Joined on the pseudonymised id: rows are completers, non-completers, survey respondents not found in the
    register, and the total; columns ``enrolled``, ``answered_pre``, ``answered_post``, ``paired``,
    ``pre_only`` (answered before, not after: lost from the pair) and ``post_only``. Counts pass
    :func:`~sosrake_lib.privacy.suppress_small_cells` (the total row is a margin).

    Examples
    --------
    >>> e = pd.DataFrame({"participant_id": list("abcdefghij"), "completed": ["yes"] * 6 + ["no"] * 4})
    >>> t = pair_accounting(e, list("abcdefghij"), list("abcdef"), min_n=1)
    >>> t.set_index("status")[["enrolled", "paired", "pre_only"]].astype(int).values.tolist()
    [[6, 6, 0], [4, 0, 4], [0, 0, 0], [10, 6, 4]]
    """
    reg = pd.Series(_done(enrol[outcome]).to_numpy(), index=enrol[id_col].astype("str"))
    pre, post = set(map(str, pre_ids)), set(map(str, post_ids))
    everyone = sorted(set(reg.index) | pre | post)
    status = pd.Series(
        [
            ("completed_yes" if reg[i] else "completed_no") if i in reg.index else "not_in_register"
            for i in everyone
        ],
        index=everyone,
    )
    flags = pd.DataFrame(
        {
            "enrolled": [i in reg.index for i in everyone],
            "answered_pre": [i in pre for i in everyone],
            "answered_post": [i in post for i in everyone],
        },
        index=everyone,
    )
    flags["paired"] = flags["answered_pre"] & flags["answered_post"]
    flags["pre_only"] = flags["answered_pre"] & ~flags["answered_post"]
    flags["post_only"] = flags["answered_post"] & ~flags["answered_pre"]
    # not published, but given by subtraction: the enrolled who did not answer before / after
    flags["_no_pre"] = flags["enrolled"] & ~flags["answered_pre"]
    flags["_no_post"] = flags["enrolled"] & ~flags["answered_post"]
    order = ["completed_yes", "completed_no", "not_in_register"]
    counts = flags.groupby(status).sum().reindex(order, fill_value=0).astype("int64")
    counts.loc["total"] = counts.sum()
    # answered_pre = paired + pre_only and answered_post = paired + post_only in every row: declared, so no
    # hidden part can be worked out by subtraction (33 answered after - 31 paired = 2 post-only); so are
    # enrolled = answered + did not answer (22 completers - 20 answered before = 2 who did not; in the total
    # row the respondents outside the register make it an inequality, treated as a sum: it only hides more).
    # The number of pairs and the enrolled are published anyway (a key figure, the learning table, the funnel
    # and completion tables): they are never the cell hidden to protect a small count; the answered total goes.
    supp = suppress_small_cells(
        counts,
        min_n,
        total_rows=["total"],
        relations=[
            ("answered_pre", ["paired", "pre_only"]),
            ("answered_post", ["paired", "post_only"]),
            ("enrolled", ["answered_pre", "_no_pre"]),
            ("enrolled", ["answered_post", "_no_post"]),
        ],
        keep=[("total", "paired"), *((s, "enrolled") for s in (*order[:2], "total"))],
    )
    helpers = ["_no_pre", "_no_post"]
    cells = int(supp.attrs["suppressed_cells"]) - int(supp[helpers].isna().sum().sum())
    supp = supp.drop(columns=helpers)
    supp.attrs["suppressed_cells"] = cells
    out = supp.reset_index(names="status")
    out.insert(1, "status_label", [_TXT[lang][s] for s in out["status"]])
    out.attrs = supp.attrs
    return out


# ----------------------------------------------------------------------------------------------- feedback
def _likert_labels(inst: Instrument, lang: Lang) -> tuple[dict[int, str], dict[str, str]]:
    item = inst.likert_items()[0]
    assert item.scale is not None
    labels = {int(k): item.scale.label(k, lang) for k in item.scale.codes}
    nsa = {k: v[lang] for k, v in item.scale.non_substantive.items()} or dict(NSA_LABELS)
    return labels, nsa


def feedback_items(
    fb: pd.DataFrame,
    inst: Instrument,
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Answer distribution (% of all who answered the item, "En osaa sanoa" apart), mean and top-2-box %.

    Built on :func:`~sosrake_lib.scoring.likert_table`: the mean, SD and top-2-box (Wilson CI) use the
    substantive answers only; "En osaa sanoa" is a separate percentage column. Percentages of the answer
    options use ``n_total`` (all who answered the item, including "En osaa sanoa") so a row sums to 100.
    Items answered by fewer than ``min_n`` people are suppressed (:func:`~sosrake_lib.privacy.suppress_by_n`).
    With ``n_total`` published a percentage *is* a count, so in the other rows the share of an answer given
    by 1..min_n-1 people is hidden with a second share of the row (:func:`~sosrake_lib.outputs.suppress_parts`
    on the counts behind them), ``n_valid`` and the top-2 % with its CI where they would give a hidden count
    away. Where one of the scale answers is hidden, the mean and SD are published rounded to one decimal if the
    brute-force audit (:func:`sosrake_lib.disclosure.restore_rounded_stats`) shows no hidden count can then be
    worked out, and hidden otherwise. The figure is drawn from this table.
    ``attrs["answer_labels"]`` lists the answer columns (negative → positive), ``attrs["nsa_labels"]`` the
    non-substantive ones.

    Examples
    --------
    >>> inst = load_instrument("course_feedback")
    >>> fb = pd.DataFrame({it.id: [5.0] * 12 + [4.0] * 6 + [2.0] * 2 for it in inst.likert_items()})
    >>> out = feedback_items(fb, inst)
    >>> out.loc[0, out.attrs["answer_labels"]].astype("Float64").tolist()
    [0.0, <NA>, 0.0, <NA>, 60.0]
    >>> int(out.loc[0, "n_total"]), out.loc[0, "mean"], out.loc[0, "top_box_pct"]
    (20, <NA>, <NA>)
    """
    labels, nsa = _likert_labels(inst, lang)
    items = [it.id for it in inst.likert_items()]
    present_nsa = {k: v for k, v in nsa.items() if any(f"{i}{NSA_SUFFIX}" in fb for i in items)}
    table = likert_table(fb, items, labels, top=2, nsa_labels=present_nsa or nsa)
    nsa_cols = list((present_nsa or nsa).values())
    total = table["n_total"].astype(float).replace(0, np.nan)
    out = pd.DataFrame(
        {
            "item": items,
            "item_label": [inst.item(i).text(lang) for i in items],
            "part": [inst.item(i).area for i in items],
            "part_label": [inst.area_label(inst.item(i).area or "", lang) for i in items],
        }
    )
    answers = [*labels.values(), *nsa_cols]
    for col in answers:
        out[col] = 100.0 * table[col] / total
    for col in ("n_valid", "n_total", "mean", "sd", "top_box_pct"):
        out[col] = table[col]
    out["top_box_ci_low"] = table[
        "top_box_ci_low"
    ]  # likert_table gives the top box and its CI in %
    out["top_box_ci_high"] = table["top_box_ci_high"]
    published = list(out.columns)
    counts = {
        col: f"_n: {col}" for col in answers
    }  # the counts behind the shares, for the suppression only
    for col, count in counts.items():
        out[count] = table[col]
    out["_n: top"] = table["top_box_n"]  # = top_box_pct * n_valid, so it counts as published
    res = suppress_by_n(out, "n_total", min_n, secondary=False)
    scale = [counts[c] for c in labels.values()]
    top, low, nsa_n = scale[-2:], scale[:-2], [counts[c] for c in nsa_cols]
    box = ["top_box_pct", "top_box_ci_low", "top_box_ci_high"]
    res = suppress_parts(
        res,
        [*scale, *nsa_n],
        min_n,
        linked={counts[c]: [c] for c in answers},
        sums=[
            ("n_valid", [nsa_n, scale], box),
            ("_n: top", [top, [*low, "n_valid"], [*low, *nsa_n]], box),
        ],
        computed_from={"mean": scale, "sd": scale},
    )
    res = restore_rounded_stats(
        res,
        out,
        answers=[*scale, *nsa_n],
        scale={counts[lab]: code for code, lab in labels.items()},
        top=top,
    )
    hidden = int(sum((res[c].isna() & out[c].notna()).sum() for c in published))
    res = res[published]
    res.attrs = {
        "suppressed_cells": hidden,
        "min_n": min_n,
        "answer_labels": list(labels.values()),
        "nsa_labels": nsa_cols,
    }
    return res


def _mean_ci(x: np.ndarray, ci: float) -> tuple[float, float]:
    if x.size < 2:
        return float("nan"), float("nan")
    if np.ptp(x) == 0:
        return float(x[0]), float(x[0])
    interval = _sps.ttest_1samp(x, 0.0).confidence_interval(confidence_level=ci)
    return float(interval.low), float(interval.high)


def feedback_parts(
    fb: pd.DataFrame,
    inst: Instrument,
    *,
    min_n: int = MIN_N,
    min_valid: float = 0.5,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Part (area) means of the feedback, ranked from best to weakest.

    Each respondent's part score is the mean of that part's items (:func:`~sosrake_lib.scoring.scale_scores`,
    "En osaa sanoa" left out); a part's mean is the mean of those scores with a t-based 95 % CI
    (:func:`scipy.stats.ttest_1samp`'s ``confidence_interval``), beside the median. ``rank`` 1 is the best
    rated part; parts with fewer than ``min_n`` scores are suppressed and not ranked.

    Examples
    --------
    >>> from sosrake_lib.codebook import load_instrument
    >>> inst = load_instrument("course_feedback")
    >>> cols = {i: [4.0, 5.0, 4.0, 5.0, 4.0] for i in inst.area_items()["sisalto"]}
    >>> cols |= {i: [2.0, 3.0, 2.0, 3.0, 2.0] for i in inst.area_items()["kuormitus"]}
    >>> t = feedback_parts(pd.DataFrame(cols), inst)
    >>> t[["part", "n", "mean", "rank"]].astype(object).values.tolist()  # one statement, answers 3 x 2 and 2 x 3:
    [['sisalto', 5, 4.4, 1], ['kuormitus', 5, <NA>, 2]]

    ``kuormitus`` has one statement whose answer counts (3 and 2) are hidden in :func:`feedback_items`, so its
    mean is shown as that table shows it (here hidden), never at full precision.
    """
    areas = {
        a: items for a, items in inst.area_items().items() if all(i in fb.columns for i in items)
    }
    scores = scale_scores(fb, areas, min_valid=min_valid)
    rows = []
    for a in areas:
        x = scores[a].dropna().to_numpy(dtype=float)
        lo, hi = _mean_ci(x, ci)
        rows.append(
            {
                "part": a,
                "part_label": inst.area_label(a, lang),
                "n": int(x.size),
                "mean": float(x.mean()) if x.size else np.nan,
                "ci_low": lo,
                "ci_high": hi,
                "sd": float(x.std(ddof=1)) if x.size > 1 else np.nan,
                "median": float(np.median(x)) if x.size else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    ok = table["n"] >= min_n
    table = pd.concat(
        [table[ok].sort_values("mean", ascending=False, kind="mergesort"), table[~ok]]
    )
    table["rank"] = pd.array(
        [*range(1, int(ok.sum()) + 1), *[pd.NA] * int((~ok).sum())], dtype="Int64"
    )
    table = table.reset_index(drop=True)
    out = suppress_by_n(
        table, "n", min_n, secondary=False, value_cols=["mean", "ci_low", "ci_high", "sd", "median"]
    )
    # A part of one statement repeats that statement's statistics: where the statement's row in
    # feedback_items hides an answer count, the part's mean and SD at full precision would give the hidden
    # counts back (mean + SD fix a five-point distribution). The part then shows the statement's published
    # mean and SD (rounded by the audit, or hidden), no CI or median, and its n only where the statement shows
    # n_valid. Its rank (from the exact mean) stays: it says less than the rounded mean.
    missing = [it.id for it in inst.likert_items() if it.id not in fb]
    items = feedback_items(
        fb.assign(**dict.fromkeys(missing, np.nan)) if missing else fb, inst, min_n=min_n, lang=lang
    )
    answers = [*items.attrs["answer_labels"], *items.attrs["nsa_labels"]]
    answered: dict[str, int] = {}
    for i, part in enumerate(out["part"]):
        single = items[items["part"] == part]
        if len(single) != 1 or pd.isna(out.at[i, "n"]):
            continue
        row = single.iloc[0]
        if any(pd.isna(row[c]) for c in answers) or pd.isna(row["mean"]):
            out.loc[i, ["ci_low", "ci_high", "median"]] = np.nan
            out.loc[i, "mean"], out.loc[i, "sd"] = row["mean"], row["sd"]
            if pd.isna(row["n_valid"]):
                out.loc[i, "n"] = pd.NA
                answered[part] = int(row["n_total"])  # published in the statements' table
    out.attrs["n_answered"] = answered  # parts whose n is hidden: all who answered the statement
    return out


def feedback_nps(fb: pd.DataFrame, column: str = "nps") -> NPSResult:
    """Net Promoter Score of the recommendation question (:func:`~sosrake_lib.scoring.nps`, adjusted Wald CI)."""
    return nps(fb[column])


def open_themes(
    fb: pd.DataFrame,
    inst: Instrument,
    *,
    codebook: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Theme frequencies of the open answers with the course theme codebook (:func:`sosrake_lib.text.code_themes`).

    For each text item (its codebook's ``themes`` names the theme codebook unless ``codebook`` is given):
    ``n_answered`` (non-empty answers), ``count`` of answers mentioning the theme, ``pct_answered`` with a
    Wilson CI. A theme mentioned by 1..``min_n``-1 people has its count, % and CI hidden (themes overlap, so
    they are not parts of one total and no secondary suppression is needed). If the theme codebook cannot be
    loaded the table is empty and ``attrs["missing_codebook"]`` holds the reason.
    """
    from .text import UNCODED, code_themes, load_theme_codebook

    cols = [
        "question",
        "question_label",
        "theme",
        "theme_label",
        "n_answered",
        "count",
        "pct_answered",
        "ci_low",
        "ci_high",
    ]
    rows: list[dict[str, Any]] = []
    reasons: list[str] = []
    for it in inst.items_of("text"):
        name = codebook or it.themes
        if it.id not in fb or not name:
            continue
        try:
            cb = load_theme_codebook(name)
        except ConfigError as exc:
            reasons.append(str(exc))
            continue
        texts = fb[it.id].astype("str")
        coded = code_themes(texts, cb)
        answered = texts.fillna("").str.strip().str.len().gt(0)
        n_ans = int(answered.sum())
        theme_labels = {**cb.labels(lang), UNCODED: {"fi": "Ei luokiteltu", "en": "Uncoded"}[lang]}
        for tid in [*cb.ids, UNCODED]:
            c = int(coded[tid].sum())
            lo, hi = proportion_ci(c, n_ans, ci=ci) if n_ans else (np.nan, np.nan)
            rows.append(
                {
                    "question": it.id,
                    "question_label": it.text(lang),
                    "theme": tid,
                    "theme_label": theme_labels[tid],
                    "n_answered": n_ans,
                    "count": c,
                    "pct_answered": 100.0 * c / n_ans if n_ans else np.nan,
                    "ci_low": 100.0 * lo,
                    "ci_high": 100.0 * hi,
                }
            )
    table = pd.DataFrame(rows, columns=cols)
    table = suppress_by_n(
        table,
        "n_answered",
        min_n,
        secondary=False,
        value_cols=["count", "pct_answered", "ci_low", "ci_high"],
    )
    hidden_cells = table.attrs.get("suppressed_cells", 0)
    small = table["count"].notna() & table["count"].astype("Float64").between(1, min_n - 1).fillna(
        False
    )
    for col in ("count", "pct_answered", "ci_low", "ci_high"):
        table[col] = table[col].mask(small.to_numpy(dtype=bool))
    table.attrs = {"suppressed_cells": int(hidden_cells + 4 * small.sum()), "min_n": min_n}
    if reasons and not rows:
        table.attrs["missing_codebook"] = "; ".join(reasons)
    return table


# ----------------------------------------------------------------------------------------------- baseline
def baseline_comparison(
    baseline_scores: pd.DataFrame,
    course_scores: pd.DataFrame,
    inst: Instrument | None = None,
    *,
    alpha: float = 0.05,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Area means of the 2020 competence mapping beside the course participants' pre-course scores.

    Two independent samples per area: Mann-Whitney U with rank-biserial r
    (:func:`~sosrake_lib.stats.two_sample_ordinal`; r > 0 means the course participants rated themselves higher
    than the 2020 respondents), Holm across the areas, means with t-based CIs and medians beside. The groups
    differ in who they are (the 2020 mapping: social services staff; the course: staff and sosionomi students),
    so a difference describes the groups, not an effect of anything. An area where either group has fewer than
    ``min_n`` scores is suppressed.

    Examples
    --------
    >>> b = pd.DataFrame({"A": [1.0, 2.0, 2.0, 3.0]})
    >>> c = pd.DataFrame({"A": [3.0, 4.0, 4.0, 5.0]})
    >>> t = baseline_comparison(b, c, min_n=1)
    >>> t[["area", "n_baseline", "n_course", "statistic", "effect_size"]].values.tolist()
    [['A', 4, 4, 0.5, 0.9375]]
    """
    areas = [a for a in baseline_scores.columns if a in course_scores.columns]
    rows = []
    for a in areas:
        x = baseline_scores[a].dropna().to_numpy(dtype=float)
        y = course_scores[a].dropna().to_numpy(dtype=float)
        res = two_sample_ordinal(x, y, labels=("baseline", "course"))
        bl, bh = _mean_ci(x, ci)
        cl, chh = _mean_ci(y, ci)
        rows.append(
            {
                "area": a,
                "area_label": inst.area_label(a, lang) if inst is not None else a,
                "n_baseline": int(x.size),
                "mean_baseline": float(x.mean()) if x.size else np.nan,
                "mean_baseline_ci_low": bl,
                "mean_baseline_ci_high": bh,
                "median_baseline": float(np.median(x)) if x.size else np.nan,
                "n_course": int(y.size),
                "mean_course": float(y.mean()) if y.size else np.nan,
                "mean_course_ci_low": cl,
                "mean_course_ci_high": chh,
                "median_course": float(np.median(y)) if y.size else np.nan,
                "test": res.test,
                "statistic": res.statistic,
                "p_value": res.p_value,
                "effect_size": res.effect_size,
                "effect_size_name": "rank-biserial r (> 0: course higher)",
            }
        )
    table = pd.DataFrame(rows)
    small = ((table["n_baseline"] < min_n) | (table["n_course"] < min_n)).to_numpy()
    table["p_value"] = table["p_value"].where(~small)
    table.insert(
        table.columns.get_loc("p_value") + 1, "p_holm", holm(table["p_value"].to_numpy(dtype=float))
    )
    table["significant"] = np.nan_to_num(table["p_holm"].to_numpy(dtype=float), nan=1.0) < alpha
    stat_cols = [c for c in table.columns if c.startswith(("mean_", "median_"))] + [
        "statistic",
        "p_value",
        "p_holm",
        "effect_size",
    ]
    table["n_min"] = np.minimum(table["n_baseline"], table["n_course"])
    out = suppress_by_n(
        table, "n_min", min_n, secondary=False, value_cols=[*stat_cols, "n_baseline", "n_course"]
    )
    return out.drop(columns="n_min")


def baseline_figure(table: pd.DataFrame, *, lang: Lang = "fi", title: str | None = None) -> Any:
    """Dot plot: per area the 2020 mean and the course pre-course mean with 95 % CIs (returns the Axes)."""
    from .plots import OKABE_ITO, _ax_or_new, finish_dot_axes

    data = table.reset_index(drop=True)
    ax = _ax_or_new(None, height=1.4 + 0.55 * len(data))
    pos = np.arange(len(data))
    series = (
        ("baseline", _TXT[lang]["baseline"], OKABE_ITO[1], -0.14, "o"),
        ("course", _TXT[lang]["course_pre"], OKABE_ITO[0], 0.14, "s"),
    )
    for key, name, color, off, marker in series:
        m = pd.to_numeric(data[f"mean_{key}"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        lo = pd.to_numeric(data[f"mean_{key}_ci_low"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        hi = pd.to_numeric(data[f"mean_{key}_ci_high"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        ax.errorbar(
            m,
            pos + off,
            xerr=np.vstack([m - lo, hi - m]),
            fmt=marker,
            color=color,
            ecolor=color,
            elinewidth=1.0,
            capsize=2.5,
            markersize=5.5,
            label=name,
        )
    ax.set_xlim(1, 5)
    return finish_dot_axes(
        ax,
        list(data["area_label"]),
        lang=lang,
        label_width=34,
        legend_offset=-0.16,
        xlabel=_TXT[lang]["mean_axis"],
        title=title,
    )


# -------------------------------------------------------------------------------------------- key figures
def _note_num(value: Any, spec: str) -> str:
    """A number for a key figure's note; ``suppressed`` where the published table hides it.

    >>> _note_num(0.97, ".3g"), _note_num(pd.NA, ".2g")
    ('0.97', 'suppressed')
    """
    return "suppressed" if pd.isna(value) else format(float(value), spec)


def _area_text(inst: Instrument | None, area: str, lang: Lang) -> str:
    return inst.area_label(area, lang) if inst is not None else str(area)


def _plain(x: Any) -> Any:
    return (
        None
        if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x))
        else (float(x) if isinstance(x, float | np.floating) else x)
    )


def key_figures(
    funnel: pd.DataFrame,
    change: pd.DataFrame,
    parts: pd.DataFrame,
    nps_result: NPSResult,
    *,
    n_pairs: int,
    k_gains: int = 3,
    area_inst: Instrument | None = None,
    part_inst: Instrument | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> KeyFigures:
    """The course pilot's key figures (written with :meth:`KeyFigures.write`, which enforces ``min_n``).

    * ``enrolled``, ``started``, ``completed`` (unit ``n``); ``completion_rate`` (%, Wilson 95 % CI, n = enrolled);
    * ``n_pairs``: participants with both a pre- and a post-course self-assessment;
    * ``gain_rank_1`` .. ``gain_rank_k``: the areas that grew most. ``value`` = the median of the paired
      differences (post − pre, 1–5 scale), ``ci_low``/``ci_high`` its distribution-free CI, ``n`` = pairs;
      ``note`` = ``"area=<id>; rank-biserial r=<r>; p_holm=<p>; mean change=<m>"``; the labels name the area;
    * ``best_part`` / ``weakest_part``: value = the part's mean (1–5) with a t-based CI, ``note`` =
      ``"part=<id>"``;
    * ``nps``: NPS with Rocks' adjusted Wald CI.

    Each figure's ``source`` names its table and row by the label columns the published tables keep
    (``lang``: the language of those labels).
    """
    kf = KeyFigures()
    f = funnel.set_index("step")
    enrolled = int(f.loc["enrolled", "n"])
    # sources name rows by their label columns: the published course tables leave the machine codes out
    kf.add(
        "enrolled",
        enrolled,
        "n",
        n=enrolled,
        method="enrolment register, after cleaning",
        label_fi="Ilmoittautuneet",
        label_en="Enrolled",
        source=source("funnel", "n", step_label=f.loc["enrolled", "step_label"]),
    )
    for step, fi, en in (
        ("started", "Aloittaneet", "Started"),
        ("completed", "Suorittaneet (5 op)", "Completed (5 ECTS)"),
    ):
        if step in f.index:
            v = _plain(f.loc[step, "n"])
            kf.add(
                step,
                v,
                "n",
                n=v,
                method="enrolment register",
                label_fi=fi,
                label_en=en,
                suppressed=v is None,
                source=source("funnel", "n", step_label=f.loc[step, "step_label"]),
            )
    if "completed" in f.index:
        kf.add(
            "completion_rate",
            _plain(f.loc["completed", "pct"]),
            "%",
            n=enrolled,
            ci_low=_plain(f.loc["completed", "ci_low"]),
            ci_high=_plain(f.loc["completed", "ci_high"]),
            method="completed / enrolled; Wilson 95 % CI",
            label_fi="Suoritusaste",
            label_en="Completion rate",
            suppressed=pd.isna(f.loc["completed", "pct"]),
            source=source("funnel", "pct", step_label=f.loc["completed", "step_label"]),
        )
    kf.add(
        "n_pairs",
        int(n_pairs),
        "n",
        n=int(n_pairs),
        method="pre- and post-course self-assessment matched on the pseudonymised participant id",
        label_fi="Alku- ja loppukyselyn parit",
        label_en="Pre–post pairs",
        source=source("pairs", "paired", status_label=_TXT[lang]["total"]),
    )
    top = gain_ranking(change, k_gains)
    for i in range(k_gains):
        name = f"gain_rank_{i + 1}"
        if i >= len(top):
            kf.add(
                name,
                None,
                "score change 1–5",
                n=0,
                suppressed=True,
                note="fewer ranked areas",
                label_fi=f"Suurin kasvu {i + 1}",
                label_en=f"Largest gain {i + 1}",
            )
            continue
        r = top.loc[i]
        zm = str(r["zero_method"])
        kf.add(
            name,
            _plain(r["median_change"]),
            "score change 1–5",
            n=_plain(r["n_pairs"]),
            ci_low=_plain(r["median_change_ci_low"]),
            ci_high=_plain(r["median_change_ci_high"]),
            method=(
                f"median of paired differences post − pre (area mean, 1–5), sign-test CI; Wilcoxon "
                f"signed-rank (zero_method={zm}), Holm across areas; effect size rank-biserial r"
            ),
            label_fi=f"Suurin kasvu {i + 1}: {_area_text(area_inst, r['area'], 'fi')}",
            label_en=f"Largest gain {i + 1}: {_area_text(area_inst, r['area'], 'en')}",
            note=(
                f"area={r['area']}; rank-biserial r={_note_num(r['effect_size'], '.3g')}; "
                f"p_holm={_note_num(r['p_holm'], '.2g')}; mean change={_note_num(r['mean_change'], '.3f')}"
            ),
            source=source("learning", "median_change", area_label=r["area_label"]),
        )
    ranked = parts[parts["rank"].notna()].sort_values("rank")
    for name, row, fi, en in (
        (
            "best_part",
            ranked.iloc[0] if len(ranked) else None,
            "Parhaiten arvioitu osa",
            "Best rated part",
        ),
        (
            "weakest_part",
            ranked.iloc[-1] if len(ranked) else None,
            "Heikoimmin arvioitu osa",
            "Weakest rated part",
        ),
    ):
        if row is None:
            kf.add(name, None, "mean 1–5", n=0, suppressed=True, label_fi=fi, label_en=en)
            continue
        hidden_n = pd.isna(
            row["n"]
        )  # a one-statement part whose valid n would give a small count back
        n = parts.attrs.get("n_answered", {}).get(row["part"]) if hidden_n else _plain(row["n"])
        kf.add(
            name,
            _plain(row["mean"]),
            "mean 1–5",
            n=n,
            ci_low=_plain(row["ci_low"]),
            ci_high=_plain(row["ci_high"]),
            method="mean of part scores (item means), t-based 95 % CI; 'En osaa sanoa' left out",
            label_fi=f"{fi}: {_area_text(part_inst, row['part'], 'fi')}",
            label_en=f"{en}: {_area_text(part_inst, row['part'], 'en')}",
            note=f"part={row['part']}"
            + (
                "; n = all who answered, incl. 'En osaa sanoa' (the valid n and the "
                "interval are hidden: they would give a small count back)"
                if hidden_n
                else ""
            ),
            source=source("feedback_parts", "mean", part_label=row["part_label"]),
        )
    published = nps_table(nps_result, min_n=min_n).iloc[
        0
    ]  # as the NPS table shows it (interval rounded/hidden)
    kf.add(
        "nps",
        _plain(published["nps"]),
        "NPS",
        n=int(nps_result.n),
        ci_low=_plain(published["ci_low"]),
        ci_high=_plain(published["ci_high"]),
        method=f"% 9–10 minus % 0–6; {nps_result.method} 95 % CI (Rocks 2016)",
        label_fi="Suositteluindeksi (NPS)",
        label_en="Net Promoter Score",
        note=""
        if _plain(published["ci_low"]) is not None or pd.isna(nps_result.ci_low)
        else "interval suppressed: with the NPS and n it would give the promoter and detractor counts back",
        source=source("nps", "nps"),
    )
    return kf


# ------------------------------------------------------------------------------------------------ publishing
#: File and sheet names of the published tables (key -> fi / en).
TABLE_NAMES: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("course").tables.items()
}


def nps_table(res: NPSResult, *, min_n: int = MIN_N, lang: Lang = "fi") -> pd.DataFrame:
    """NPS with its interval and the promoter / passive / detractor counts (small counts hidden).

    Where one of the three counts is 1..min_n-1 people all three are hidden: with ``n`` and the NPS, two of
    them would give the third away (:func:`~sosrake_lib.outputs.suppress_nps_groups`, which also hides an NPS
    within one person of ±100). Fewer than ``min_n`` answers: everything but ``n`` is hidden.

    Examples
    --------
    >>> r = nps([10] * 6 + [8] * 5 + [3] * 2)
    >>> nps_table(r, min_n=5).loc[0, ["nps", "promoters", "passives", "detractors"]].isna().tolist()  # 2 < 5
    [False, True, True, True]
    """
    small = 0 < res.n < min_n
    row = {
        "nps": np.nan if small else res.nps,
        "ci_low": np.nan if small else res.ci_low,
        "ci_high": np.nan if small else res.ci_high,
        "n": res.n,
        "promoters": res.promoters,
        "passives": res.passives,
        "detractors": res.detractors,
        "method": res.method,
    }
    table = pd.DataFrame([row])
    if small:
        for col in ("promoters", "passives", "detractors"):
            table[col] = table[col].astype("Int64").mask([True])
        table.attrs = {"suppressed_cells": 6, "min_n": min_n}
        return table
    return suppress_nps_groups(table, min_n)


def suppression_summary(
    tables: Mapping[str, pd.DataFrame], *, min_n: int, lang: Lang = "fi"
) -> pd.DataFrame:
    """Which published table had cells hidden by the small-cell rule, and how many.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [1]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_summary({"funnel": t}, min_n=5, lang="en").values.tolist()
    [['completion_funnel', 2, 5]]
    """
    rows = [
        {
            "table": TABLE_NAMES.get(k, {}).get(lang, k),
            "suppressed_cells": int(t.attrs.get("suppressed_cells", 0)),
            "min_n": min_n,
        }
        for k, t in tables.items()
    ]
    out = pd.DataFrame(rows, columns=["table", "suppressed_cells", "min_n"])
    return out.set_axis([COLUMN_LABELS[c][lang] for c in out.columns], axis=1)


#: Machine-code columns the course tables leave out (their readable label columns stay).
CODE_COLUMNS = ("area", "part", "item", "question", "theme", "term", "step", "status", "file")


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    drop: Sequence[str] = CODE_COLUMNS,
) -> list[Path]:
    """The tables plus a table of how many cells each one had suppressed, written by
    :func:`sosrake_lib.publish.publish_tables` (names and columns in ``lang``; ``drop`` left out)."""
    from .publish import publish_tables as publish
    from .settings import Settings

    named = {**tables, "suppression": suppression_summary(tables, min_n=min_n, lang=lang)}
    return publish("course", named, out_dir, Settings(min_n=min_n, lang=lang), drop=drop)


# ------------------------------------------------------------------------------------------------- display
_CI = CI_LABEL
_FILE_LABELS = {
    "enrolment": ("Ilmoittautumisrekisteri", "Enrolment register"),
    "pre": ("Alkukysely", "Pre-course survey"),
    "post": ("Loppukysely", "Post-course survey"),
    "feedback": ("Palautekysely", "Feedback survey"),
    "baseline": ("Osaamiskartoitus 2020", "Competence mapping 2020"),
}

#: What the notebook shows of each table for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = {
    "cleaning": {"file_label": ("Aineisto", "Data", "text"), **CLEANING_COLUMNS},
    "funnel": {
        "step_label": ("Vaihe", "Step", "text"),
        "n": ("Henkilöitä", "People", "int"),
        "pct": ("% ilmoittautuneista", "% of enrolled", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "pct_of_previous": ("% edellisestä vaiheesta", "% of previous step", "pct"),
    },
    "completion": {
        "label": ("Ryhmä", "Group", "text"),
        "n": ("Ilmoittautuneita", "Enrolled", "int"),
        "completed": ("Suoritti", "Completed", "int"),
        "not_completed": ("Ei suorittanut", "Did not complete", "int"),
        "pct_completed": ("Suorittaneita %", "Completed %", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
    },
    "model": {
        "term_label": ("Selittäjä (vertailuryhmä)", "Term (reference)", "text"),
        "n": ("n", "n", "int"),
        "odds_ratio": ("Vetosuhde (OR)", "Odds ratio", "num2"),
        ("ci_low", "ci_high"): (*_CI, "ci2"),
        "p_value": ("p", "p", "p"),
    },
    "pairs": {
        "status_label": ("Osallistuja", "Participant", "text"),
        "enrolled": ("Ilmoittautui", "Enrolled", "int"),
        "answered_pre": ("Vastasi alkukyselyyn", "Answered pre", "int"),
        "answered_post": ("Vastasi loppukyselyyn", "Answered post", "int"),
        "paired": ("Pari (molemmat)", "Paired (both)", "int"),
        "pre_only": ("Vain alkukysely", "Pre only", "int"),
        "post_only": ("Vain loppukysely", "Post only", "int"),
    },
    "learning": {
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "n_pairs": ("Pareja", "Pairs", "int"),
        "n_increase": ("Nousi", "Increased", "int"),
        "n_decrease": ("Laski", "Decreased", "int"),
        "n_zero": ("Ei muutosta", "No change", "int"),
        "median_pre": ("Mediaani ennen", "Median before", "num2"),
        "median_post": ("Mediaani jälkeen", "Median after", "num2"),
        "median_change": ("Muutoksen mediaani", "Median change", "num2"),
        ("median_change_ci_low", "median_change_ci_high"): (*_CI, "ci2"),
        "effect_size": ("Efektikoko r", "Effect size r", "num2"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Muutos (Holm p < 0,05)", "Change (Holm p < 0.05)", "bool"),
        "gain_rank": ("Kasvun sija", "Gain rank", "int"),
    },
    "feedback_items": {
        "item_label": ("Väittämä", "Statement", "text"),
        "part_label": ("Osa-alue", "Part", "text"),
        "n_total": ("Vastauksia", "Answers", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
        "top_box_pct": ("Hyvin tai erittäin hyvin %", "Well or very well %", "pct"),
        ("top_box_ci_low", "top_box_ci_high"): (*_CI, "ci_pct"),
    },
    "feedback_parts": {
        "rank": ("Sija", "Rank", "int"),
        "part_label": ("Osa-alue", "Part", "text"),
        "n": ("Vastaajia", "Respondents", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num2"),
        ("ci_low", "ci_high"): (*_CI, "ci2"),
        "sd": ("Keskihajonta", "SD", "num2"),
        "median": ("Mediaani", "Median", "num1"),
    },
    "nps": {
        "nps": ("NPS", "NPS", "signed0"),
        ("ci_low", "ci_high"): (*_CI, "ci0"),
        "n": ("Vastaajia", "Respondents", "int"),
        "promoters": ("Suosittelijat (9–10)", "Promoters (9–10)", "int"),
        "passives": ("Passiiviset (7–8)", "Passives (7–8)", "int"),
        "detractors": ("Arvostelijat (0–6)", "Detractors (0–6)", "int"),
    },
    "themes": {
        "question_label": ("Kysymys", "Question", "text"),
        "theme_label": ("Teema", "Theme", "text"),
        "count": ("Mainintoja", "Mentions", "int"),
        "pct_answered": ("% vastanneista", "% of answers", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "n_answered": ("Vastanneita", "Answered", "int"),
    },
    "baseline": {
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "n_baseline": ("n 2020", "n 2020", "int"),
        "mean_baseline": ("Keskiarvo 2020", "Mean 2020", "num2"),
        ("mean_baseline_ci_low", "mean_baseline_ci_high"): (
            "2020: 95 %:n LV",
            "2020: 95% CI",
            "ci2",
        ),
        "n_course": ("n kurssi", "n course", "int"),
        "mean_course": ("Keskiarvo kurssin alussa", "Mean at course start", "num2"),
        ("mean_course_ci_low", "mean_course_ci_high"): (
            "Kurssi: 95 %:n LV",
            "Course: 95% CI",
            "ci2",
        ),
        "effect_size": ("Efektikoko r", "Effect size r", "num2"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Ero (Holm p < 0,05)", "Difference (Holm p < 0.05)", "bool"),
    },
}


def display_ready(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """A copy of ``table`` with the readable columns :data:`DISPLAY` names (the data set of a cleaning row).

    Examples
    --------
    >>> display_ready(pd.DataFrame({"file": ["pre"]}), "en")["file_label"].tolist()
    ['Pre-course survey']
    """
    out = table.copy()
    if "file" in out.columns:
        out["file_label"] = [
            _FILE_LABELS.get(f, (f, f))[0 if lang == "fi" else 1] for f in out["file"]
        ]
    return out
