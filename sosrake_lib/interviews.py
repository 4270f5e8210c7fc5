"""Customer-experience interviews (tiedonkeruupilotti): the analysis behind *Palvelukokemukset näkyväksi*.

Sosionomi students interviewed clients of adult social services each autumn. This module turns one or more
semester exports into what the infographic is made from; ``notebooks/02_customer_experience.ipynb`` calls it
step by step and explains each step in Finnish.

Steps (each a function, each returning a tidy table that passes small-cell suppression):

1. :func:`load_exports` reads and cleans each export and stacks them with a ``semester`` column;
   :func:`interview_counts`, :func:`interviews_per_student`, :func:`service_counts`, :func:`background_table`.
2. THL client-feedback themes: :func:`theme_scores` (mean of a theme's items per interview),
   :func:`theme_top2` (share of interviews whose theme mean is at least 4 = "agree", Wilson CI),
   :func:`likert_distribution` (item distributions for the diverging figure).
3. Recommendation: :func:`nps_table` (THL/Reichheld NPS with Rocks' adjusted-Wald CI).
4. Change between semesters: :func:`compare_semesters` (theme scores: Mann-Whitney U with rank-biserial r;
   top-2-box: score test with Newcombe CI and Cohen's h; both Holm-corrected across the five themes; NPS:
   :func:`nps_difference`) and, with three or more semesters, :func:`trend_tests` (Kendall's tau-b between
   semester order and the outcome, Holm across the themes).
5. Open answers: :func:`code_open_answers` (``text.code_themes`` with the ``interviews`` theme codebook),
   :func:`open_theme_frequencies`, :func:`uncoded_answers_table`.
6. Quotes: :func:`candidate_quotes`, :func:`write_quotes_for_review`, :func:`load_approved_quotes`.

Then :func:`build_key_figures` and the figure helpers. Semester labels are ordered by
:func:`semester_order` ("2021-syksy" < "2022-kevät" < "2022-syksy").

Examples
--------
>>> semester_order(["2022-syksy", "2021-syksy", "2022-kevät"])
['2021-syksy', '2022-kevät', '2022-syksy']
>>> verdict(0.8, 0.001)
('parani', 'improved')
>>> verdict(-0.1, 0.4)
('ei muutosta', 'no change')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .atomic import atomic_write_text
from .cleaning import clean_responses, write_cleaning_summary
from .codebook import Instrument, load_instrument
from .fmt import Lang, fmt_ci, fmt_int, fmt_percent, fmt_value
from .io import read_export
from .labels import for_analysis
from .outputs import KeyFigures, neutralise_frame, source
from .paths import PROJECT_ROOT
from .quotes import load_approved_quotes, review_candidates, write_quotes_for_review
from .report import CI_LABEL, CLEANING_COLUMNS
from .scoring import _NPS_PSEUDO, likert_table, nps, nps_by, scale_scores
from .scrub import scrub_pii
from .sdc.audit import distribution_disclosed, restore_rounded_stats
from .sdc.cells import suppress_by_n, suppress_small_cells
from .sdc.margins import protect_margins
from .sdc.parts import holm_carriers, suppress_nps_groups, suppress_parts
from .settings import MIN_N
from .stats import holm, proportion_ci, two_proportions, two_sample_ordinal

__all__ = [
    "DISPLAY",
    "TABLE_TITLES",
    "cleaning_frame",
    "display_ready",
    "OPEN_QUESTIONS",
    "build_key_figures",
    "candidate_quotes",
    "code_open_answers",
    "compare_semesters",
    "background_table",
    "interview_counts",
    "interviews_per_student",
    "likert_distribution",
    "load_approved_quotes",
    "load_exports",
    "nps_difference",
    "nps_table",
    "open_theme_frequencies",
    "plot_grouped_ci",
    "semester_order",
    "service_counts",
    "theme_scores",
    "theme_top2",
    "trend_tests",
    "uncoded_answers_table",
    "verdict",
    "write_cleaning_log",
    "write_quotes_for_review",
    "write_uncoded_answers",
]


INSTRUMENT = "interviews"
OPEN_QUESTIONS = ("open_good", "open_change", "open_missing")
TOP2_THRESHOLD = 4.0  # a theme mean of at least 4 on the 1-5 agreement scale = "agrees" (top-2-box)
ALPHA = 0.05

# Key-figure label templates per THL theme: {pct} is the formatted percentage.
_TOP2_LABELS = {
    "saatavuus": (
        "{pct} koki saaneensa palvelua riittävän helposti",
        "{pct} found the service easy to reach",
    ),
    "kohtaaminen": ("{pct} koki tulleensa kohdatuksi ja kuulluksi", "{pct} felt met and heard"),
    "turvallisuus": ("{pct} koki olonsa turvalliseksi", "{pct} felt safe"),
    "tiedonsaanti": (
        "{pct} sai riittävästi ymmärrettävää tietoa",
        "{pct} got enough clear information",
    ),
    "hyodyllisyys": ("{pct} koki palvelun hyödylliseksi", "{pct} found the service useful"),
}
_VERDICTS = {
    "up": ("parani", "improved"),
    "down": ("heikkeni", "declined"),
    "none": ("ei muutosta", "no change"),
}
_QUESTION_LABELS = {
    "open_good": ("Mikä palvelussa oli hyvää?", "What was good in the service?"),
    "open_change": ("Mitä palvelussa pitäisi muuttaa?", "What should change in the service?"),
    "open_missing": ("Millaista apua jäit kaipaamaan?", "What help did you miss?"),
}
_SEASON_ORDER = {
    "kevät": 0,
    "kevat": 0,
    "spring": 0,
    "kesä": 1,
    "kesa": 1,
    "summer": 1,
    "syksy": 2,
    "autumn": 2,
    "fall": 2,
}


# ------------------------------------------------------------------------------------------------ helpers
def _inst(instrument: Instrument | str | None) -> Instrument:
    if instrument is None:
        return load_instrument(INSTRUMENT)
    return load_instrument(instrument) if isinstance(instrument, str) else instrument


def _semesters(df: pd.DataFrame) -> list[str]:
    s = df["semester"]
    if isinstance(s.dtype, pd.CategoricalDtype):
        return [c for c in s.cat.categories if (s == c).any()]
    return semester_order(s.dropna().unique().tolist())


def question_label(question: str, lang: Lang = "fi") -> str:
    """Readable label of an open question id.

    >>> question_label("open_missing", "en")
    'What help did you miss?'
    """
    fi, en = _QUESTION_LABELS.get(question, (question, question))
    return en if lang == "en" else fi


def semester_order(labels: Sequence[str]) -> list[str]:
    """Sort semester labels chronologically: year first, then kevät < kesä < syksy.

    Labels that do not look like ``"<year>-<season>"`` sort after those that do, alphabetically.

    Examples
    --------
    >>> semester_order(["2023-kevät", "2022-syksy", "2021-syksy"])
    ['2021-syksy', '2022-syksy', '2023-kevät']
    """

    def key(label: str) -> tuple[int, int, int, str]:
        m = re.match(r"^\s*(\d{4})\W*([^\W\d_]*)", str(label))
        if not m:
            return (1, 0, 0, str(label))
        return (0, int(m.group(1)), _SEASON_ORDER.get(m.group(2).lower(), 3), str(label))

    return sorted(dict.fromkeys(labels), key=key)


def verdict(difference: float, p_adjusted: float, alpha: float = ALPHA) -> tuple[str, str]:
    """Plain Finnish and English words for a change: improved, declined or no change.

    "No change" means no statistically significant change after correction (``p_adjusted >= alpha``), not
    proof that nothing changed.

    Examples
    --------
    >>> verdict(-12.0, 0.01)
    ('heikkeni', 'declined')
    >>> verdict(5.0, float("nan"))
    ('ei muutosta', 'no change')
    """
    if p_adjusted is None or math.isnan(p_adjusted) or p_adjusted >= alpha or difference == 0:
        return _VERDICTS["none"]
    return _VERDICTS["up"] if difference > 0 else _VERDICTS["down"]


# --------------------------------------------------------------------------------------- 1. the interviews
def load_exports(
    exports: Mapping[str, str | Path],
    *,
    instrument: Instrument | str | None = None,
    key: str | bytes | None = None,
    root: str | Path = PROJECT_ROOT,
    overlay: str | Path | None = None,
) -> pd.DataFrame:
    """Read and clean each semester's export and stack them with a ``semester`` column.

    Parameters
    ----------
    exports : mapping of semester label -> path
        E.g. ``{"2021-syksy": "data/raw/sample/interviews_2021-syksy.csv"}``. Relative paths are resolved
        against ``root`` (the project root), so a notebook runs from any working directory.
    instrument : Instrument or str, optional
        Default: the ``interviews`` codebook.
    key : str or bytes, optional
        Pseudonymisation key for :func:`~sosrake_lib.cleaning.clean_responses` (default: configured key; the
        demo key only for the synthetic sample).
    overlay : str or Path, optional
        A codebook overlay with header aliases (``sosrake map``); ``""`` or ``None``: none.

    Returns
    -------
    DataFrame
        Cleaned rows of every export; ``semester`` is an ordered categorical in :func:`semester_order`.
        ``attrs["cleaning_logs"]`` maps each semester to its file's summary (source_file, raw_rows, kept,
        dropped) without the per-row list.

    Examples
    --------
    >>> df = load_exports({"2022-syksy": "data/raw/sample/interviews_2022-syksy.csv"})
    >>> len(df), df["semester"].unique().tolist(), df.attrs["cleaning_logs"]["2022-syksy"]["raw_rows"]
    (86, ['2022-syksy'], 89)
    """
    if not exports:
        raise ValueError("give at least one export: {semester label: path}")
    inst = (
        _inst(instrument)
        if not overlay
        else load_instrument(
            instrument.name if isinstance(instrument, Instrument) else (instrument or "interviews"),
            overlay=overlay,
        )
    )
    order = semester_order(list(exports))
    frames, logs = [], {}
    for sem in order:
        path = Path(exports[sem])
        if not path.is_absolute():
            path = Path(root) / path
        cleaned = clean_responses(read_export(path, inst), inst, key=key)
        log = cleaned.attrs["cleaning_log"]
        logs[sem] = {
            "source_file": log["source_file"],
            "raw_rows": log["raw_rows"],
            "kept": log["kept"],
            "dropped": dict(log["dropped"]),
            "dropped_by_rule": dict(log.get("dropped_by_rule", {})),
            "notices": list(log.get("notices", [])),
            "semester_from_dates": str(cleaned.attrs.get("semester", "")) or None,
        }
        part = cleaned.drop(columns=["_row"], errors="ignore")
        part.attrs = {}
        frames.append(part.assign(semester=sem))
    df = pd.concat(frames, ignore_index=True)
    df["semester"] = pd.Categorical(df["semester"], categories=order, ordered=True)
    df.attrs["cleaning_logs"] = logs
    return df


def write_cleaning_log(df: pd.DataFrame, out_dir: str | Path, *, semester: str = "") -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`), one entry per semester's
    export, without the per-row list."""
    return write_cleaning_summary(df.attrs.get("cleaning_logs", {}), out_dir, semester=semester)


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


# ------------------------------------------------------------------------------------- 2. THL themes
def theme_scores(
    df: pd.DataFrame, inst: Instrument | str | None = None, min_valid: float = 0.5
) -> pd.DataFrame:
    """Mean of each THL theme's items per interview (:func:`~sosrake_lib.scoring.scale_scores`).

    "En osaa sanoa" is NaN in the items and so out of the mean; an interview with fewer than half of a
    theme's items answered gets NaN for that theme.
    """
    inst = _inst(inst)
    return scale_scores(df, inst.area_items(), scale_min=1, scale_max=5, min_valid=min_valid)


def _top2_row(scores: pd.Series) -> dict[str, Any]:
    x = scores.dropna()
    n = int(len(x))
    count = int((x >= TOP2_THRESHOLD).sum())
    low, high = proportion_ci(count, n)
    return {
        "n": n,
        "top2_n": count,
        "top2_pct": 100 * count / n if n else math.nan,
        "ci_low": 100 * low if n else math.nan,
        "ci_high": 100 * high if n else math.nan,
        "mean": float(x.mean()) if n else math.nan,
    }


def theme_top2(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    by: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    semester: str | None = None,
) -> pd.DataFrame:
    """Top-2-box % of each THL theme per semester (and per ``by`` group), with Wilson 95 % CIs.

    The unit is the interview: an interview is in the top-2 box of a theme when its theme mean is at least 4
    (on average "jokseenkin" or "täysin samaa mieltä"). Counting interviews rather than pooled item answers
    keeps the observations independent, as the Wilson interval (:func:`~sosrake_lib.stats.proportion_ci`)
    assumes. Groups with ``n < min_n`` are suppressed within each semester (with secondary suppression; with
    ``by="service"`` also every cell :func:`service_counts` hides, as in :func:`nps_table`), and
    so are ``top2_n`` and its % and CI where either the agreeing or the other interviews number 1..min_n-1
    (:func:`~sosrake_lib.outputs.suppress_parts`: with ``n`` published, either count gives the other away).

    With ``by``, the rows of a semester add up to the semester's row, which is published: where the hidden
    rows of a theme would add up to a count of 1..min_n-1 (or be one row alone), the visible row with the fewest
    interviews is hidden too (as in :func:`nps_table`). A one-statement theme (turvallisuus) has no mean by
    group: with n and the top-2 count it would give the statement's answer counts (7 agreeing, mean 4.428571:
    four 4s and three 5s).

    ``semester``: only that semester's rows; the pattern shared with :func:`service_counts` still comes from
    every semester in ``df`` (the service counts are published for all of them).

    Returns
    -------
    DataFrame
        ``semester``, [``by``], ``theme``, ``theme_label``, ``n``, ``top2_n``, ``top2_pct``, ``ci_low``,
        ``ci_high`` (percent), ``mean`` (beside the distribution only), ``method``.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["s"] * 5, "TU1": [5, 4, 4, 2, np.nan]})
    >>> t = theme_top2(toy, min_n=1)
    >>> t.loc[t.theme == "turvallisuus", ["n", "top2_n", "top2_pct"]].values.tolist()
    [[4, 3, 75.0]]
    >>> t = theme_top2(toy, min_n=2)  # 3 agree, 1 does not: the 1 would be n - top2_n
    >>> t.loc[t.theme == "turvallisuus", ["n", "top2_n", "top2_pct"]].values.tolist()
    [[4, <NA>, <NA>]]
    """
    inst = _inst(inst)
    areas = {a: [i for i in items if i.lstrip("-") in df] for a, items in inst.area_items().items()}
    areas = {a: items for a, items in areas.items() if items}
    scores = scale_scores(df, areas, 1, 5)
    rows = []
    raw_rows: list[pd.DataFrame] = []  # before suppression: the margin rule needs the hidden counts
    group_sizes: list[int] = []  # interviews in each row's group, for the non-valid part
    hidden_cells = _service_hidden(df, inst, min_n, lang) if by == "service" else set()
    for sem in _semesters(df):
        if semester is not None and sem != semester:
            continue
        in_sem = (df["semester"] == sem).to_numpy()
        groups: list[tuple[Any, np.ndarray]] = [(None, in_sem)]
        if by:
            labels = (
                _category_labels(inst, by, lang) if by in inst and inst.item(by).scale else None
            )
            values = df[by].astype("object")
            levels = list(labels) if labels else sorted(values.dropna().unique())
            groups = [
                (labels[g] if labels else g, in_sem & (values == g).to_numpy()) for g in levels
            ]
        block = []
        for glabel, mask in groups:
            for area in areas:
                row = {
                    "semester": sem,
                    **({by: glabel} if by else {}),
                    "theme": area,
                    "theme_label": inst.area_label(area, lang),
                    **_top2_row(scores.loc[mask, area]),
                }
                block.append(row)
                group_sizes.append(int(mask.sum()))
        part = pd.DataFrame(block)
        raw_rows.append(part)
        if by:  # suppression and its secondary rule work per theme within the semester
            # the cells the service counts hide are hidden here too (one shared pattern): counted as small
            linked_hide = np.array(
                [(str(sem), str(g)) in hidden_cells for g in part[by]], dtype=bool
            )
            pieces = [
                suppress_by_n(g, "n", min_n, also_hide=linked_hide[part.index.get_indexer(g.index)])
                for _, g in part.groupby("theme", sort=False)
            ]
            part = pd.concat(pieces).sort_index()
            part.attrs = {
                k: sum(p.attrs[k] for p in pieces) for k in ("suppressed_rows", "suppressed_cells")
            }
        else:
            part = suppress_by_n(part, "n", min_n, secondary=False)
        rows.append(part)
    hidden = {
        k: sum(int(part.attrs.get(k, 0)) for part in rows)
        for k in ("suppressed_rows", "suppressed_cells")
    }
    out = pd.concat(rows, ignore_index=True)
    out["method"] = f"top-2-box: theme mean >= {TOP2_THRESHOLD:g}; Wilson 95 % CI"
    out["_other_n"] = pd.to_numeric(out["n"]) - pd.to_numeric(out["top2_n"])
    # the group's interviews are published (interview_counts, service_counts): n beside them gives the
    # interviews without a theme score ("En osaa sanoa", unanswered), so those are a part of the total too
    out["_nonvalid_n"] = np.array(group_sizes) - pd.to_numeric(out["n"])
    out.loc[out["n"].isna(), "_nonvalid_n"] = pd.NA
    parts = suppress_parts(
        out,
        ["top2_n", "_other_n", "_nonvalid_n"],
        min_n,
        linked={"top2_n": ["top2_pct", "ci_low", "ci_high"]},
        sums=[
            (
                "n",
                [["_nonvalid_n"], ["top2_n", "_other_n"]],
                ["top2_pct", "ci_low", "ci_high", "mean"],
            )
        ],
    )
    hidden["suppressed_cells"] += int(parts.attrs["suppressed_cells"])
    if by:
        hidden["suppressed_cells"] += _protect_group_margins(
            parts, pd.concat(raw_rows, ignore_index=True), np.array(group_sizes), areas, min_n
        )
    out = parts.drop(columns=["_other_n", "_nonvalid_n"])
    if not by:
        hidden["suppressed_cells"] += _single_item_as_published(out, df, inst, areas, min_n, lang)
    out.attrs = {**hidden, "min_n": min_n}
    return out


def _protect_group_margins(
    out: pd.DataFrame,
    full: pd.DataFrame,
    sizes: np.ndarray,
    areas: Mapping[str, Sequence[str]],
    min_n: int,
) -> int:
    """The by-group rules of :func:`theme_top2` (its docstring); changes ``out`` in place, returns cells hidden."""
    full = full.assign(_other_n=full["n"] - full["top2_n"], _nonvalid_n=sizes - full["n"])
    parts = ["top2_n", "_other_n", "_nonvalid_n"]
    shown = ["n", "top2_n", "top2_pct", "ci_low", "ci_high", "mean"]
    before = int(out[shown].notna().sum().sum())
    for _, idx in full.groupby("theme", sort=False).indices.items():
        rows = np.asarray(idx)
        extra = protect_margins(
            full.iloc[rows].reset_index(drop=True),
            out.iloc[rows].reset_index(drop=True),
            parts,
            min_n,
        )
        if extra.any():
            for col in shown:
                out.loc[rows[extra], col] = pd.NA
    single = [a for a, items in areas.items() if len(items) == 1]
    out.loc[out["theme"].isin(single).to_numpy(), "mean"] = pd.NA
    return before - int(out[shown].notna().sum().sum())


def _single_item_as_published(
    out: pd.DataFrame,
    df: pd.DataFrame,
    inst: Instrument,
    areas: Mapping[str, Sequence[str]],
    min_n: int,
    lang: Lang,
) -> int:
    """Make the rows of one-statement themes (turvallisuus: TU1) publish no more than the statement does.

    Such a theme's score is the statement's answer, so its n, top-2 count, share, interval and mean are the
    statement's ``n_valid``, ``top_box_n``, ``top_box_pct`` and mean in :func:`likert_distribution`, where the
    suppression knows every relation between the answer counts. A row that published them in full beside the
    distribution gave its hidden counts back (a mean of 4.128205 with n = 39 and the visible counts solves
    for the hidden two). Changes ``out`` in place (per semester); returns the number of cells it hid.
    """
    single = {a: items[0].lstrip("-") for a, items in areas.items() if len(items) == 1}
    if not single:
        return 0
    hidden = 0
    columns = {
        "n": "n_valid",
        "top2_n": "top_box_n",
        "top2_pct": "top_box_pct",
        "ci_low": "top_box_ci_low",
        "ci_high": "top_box_ci_high",
        "mean": "mean",
    }
    for sem in out["semester"].unique():
        dist = likert_distribution(df, inst, semester=sem, min_n=min_n, lang=lang).set_index("item")
        for area, item in single.items():
            rows = (out["semester"] == sem).to_numpy() & (out["theme"] == area).to_numpy()
            if not rows.any() or item not in dist.index:
                continue
            for col, from_col in columns.items():
                value = dist.at[item, from_col]
                before = out.loc[rows, col].notna().to_numpy()
                out.loc[rows, col] = value if pd.notna(value) else pd.NA
                hidden += int((before & out.loc[rows, col].isna().to_numpy()).sum())
    return hidden


def likert_distribution(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    semester: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Item-level answer distributions (counts, % of all answers incl. "En osaa sanoa", top-2-box with Wilson CI).

    Uses :func:`~sosrake_lib.scoring.likert_table`; rows are items in codebook (theme) order, labelled
    "Theme: statement". Percent columns (``pct: <label>``) use all answers, "En osaa sanoa" included, so the
    diverging figure shows it apart. Items with fewer than ``min_n`` answers are suppressed; in the other rows
    answer counts of 1..min_n-1 people are hidden with a second count of the row
    (:func:`~sosrake_lib.outputs.suppress_parts`), and ``n_valid`` / ``top_box_n`` too where they would give a
    hidden count away; the top-2 % and its CI go wherever either of those is hidden. Where one of an item's
    scale answers is hidden, its mean and SD are published rounded to one decimal if the brute-force audit
    (:func:`sosrake_lib.disclosure.restore_rounded_stats`) shows no hidden count can then be worked out, and
    hidden otherwise (at full precision, with the total, they would pin the hidden counts down). The
    ``pct:`` columns (for the figure) are computed from the published counts, so a hidden count has no share
    either; they repeat the counts, so drop them before publishing the table.
    """
    inst = _inst(inst)
    part = df if semester is None else df[df["semester"] == semester]
    items = [it for it in inst.likert_items() if it.id in part]
    scale = items[0].scale
    assert scale is not None
    labels = {int(c): scale.label(c, lang) for c in scale.codes}
    nsa = {k: scale.label(k, lang) for k in scale.non_substantive}
    table = likert_table(part, [it.id for it in items], labels, top=2, nsa_labels=nsa)
    table.insert(1, "theme", [it.area for it in items])
    table.insert(
        2, "label", [f"{inst.area_label(it.area or '', lang)}: {it.text(lang)}" for it in items]
    )
    for col in ("top_box_pct", "top_box_ci_low", "top_box_ci_high"):
        table[col] = table[col].astype(float)
    full = table  # before suppression: the audit's source of the rounded means (copy-on-write, no copy made)
    table = suppress_by_n(table, "n_total", min_n, secondary=False)
    codes = sorted(labels)
    top = [labels[c] for c in codes[-2:]]
    low = [labels[c] for c in codes[:-2]]
    nsa_cols = list(nsa.values())
    box = ["top_box_pct", "top_box_ci_low", "top_box_ci_high"]
    table = suppress_parts(
        table,
        [*low, *top, *nsa_cols],
        min_n,
        sums=[
            ("n_valid", [nsa_cols, [*low, *top]], box),
            ("top_box_n", [top, [*low, "n_valid"], [*low, *nsa_cols]], box),
        ],
        computed_from={"mean": [*low, *top], "sd": [*low, *top]},
    )
    table = restore_rounded_stats(
        table, full, answers=[*low, *top, *nsa_cols], scale={labels[c]: c for c in codes}, top=top
    )
    total = pd.to_numeric(table["n_total"]).astype("float64")
    for lab in [*labels.values(), *nsa.values()]:
        table[f"pct: {lab}"] = (
            100 * pd.to_numeric(table[lab]).astype("float64") / total.where(total > 0)
        )
    return table


# ------------------------------------------------------------------------------------------ 3. NPS
def nps_table(
    df: pd.DataFrame,
    by: str | Sequence[str] = "semester",
    min_n: int = MIN_N,
    inst: Instrument | str | None = None,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """NPS per group (:func:`~sosrake_lib.scoring.nps_by`, adjusted-Wald 95 % CI, Rocks 2016), suppressed.

    With ``by=["semester", "service"]`` the services are labelled in ``lang`` and small services are hidden
    within each semester, with secondary suppression so a hidden one cannot be worked out from the total;
    every (semester, service) that :func:`service_counts` hides is hidden too (one pattern for all tables by
    service, so that one table cannot undo another's secondary suppression).
    Where a promoter, passive or detractor count is 1..min_n-1 people, all three counts of the row are hidden
    with their % (with ``n`` and the NPS, two of them would give the third away:
    :func:`~sosrake_lib.outputs.suppress_nps_groups`); the NPS itself stays unless it is within one person of
    ±100.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["s"] * 10, "nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 0]})
    >>> nps_table(toy)[["semester", "n", "nps"]].values.tolist()
    [['s', 10, 20.0]]
    """
    keys = [by] if isinstance(by, str) else list(by)
    table = nps_by(
        df[[*keys, "nps"]], "nps", keys
    )  # categoricals: codebook order, observed groups only
    inst_ = _inst(inst)
    for k in keys:
        if k != "semester":
            table[k] = table[k].astype("object")
            if k in inst_ and inst_.item(k).scale is not None:
                table[k] = table[k].map(_category_labels(inst_, k, lang))
    table["semester"] = table["semester"].astype("object")
    groups = ["promoters", "passives", "detractors"]
    linked = {g: [f"pct_{g}"] for g in groups}
    if keys == ["semester"]:
        return suppress_nps_groups(
            suppress_by_n(table, "n", min_n, secondary=False), min_n, groups=groups, linked=linked
        )
    hidden_cells = (
        _service_hidden(df, inst_, min_n, lang) if keys == ["semester", "service"] else set()
    )
    linked_hide = np.array(
        [
            (str(sem), str(g)) in hidden_cells
            for sem, g in zip(table["semester"], table[keys[-1]], strict=True)
        ],
        dtype=bool,
    )
    parts = [
        suppress_by_n(g, "n", min_n, also_hide=linked_hide[table.index.get_indexer(g.index)])
        for _, g in table.groupby("semester", sort=False)
    ]  # hidden in the service counts: hidden here
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {
        "suppressed_cells": sum(p.attrs["suppressed_cells"] for p in parts),
        "min_n": min_n,
    }
    first = suppress_nps_groups(out, min_n, groups=groups, linked=linked)
    extra = protect_margins(table.reset_index(drop=True), first, groups, min_n)
    if not extra.any():
        return first
    return suppress_nps_groups(out, min_n, groups=groups, linked=linked, also_hide=extra)


def _nps_parts(scores: Any) -> tuple[float, float, int]:
    """Raw NPS (-1..1 scale), adjusted-Wald centre and variance of the mean, and n."""
    r = nps(pd.Series(scores, dtype="float64"))
    d_det, d_pas, d_pro = _NPS_PSEUDO
    n_a = r.n + d_det + d_pas + d_pro
    p_pro, p_det = (r.promoters + d_pro) / n_a, (r.detractors + d_det) / n_a
    centre = p_pro - p_det
    return centre, (p_pro + p_det - centre**2) / n_a, r.n


def nps_difference(before: Any, after: Any, ci: float = 0.95) -> dict[str, Any]:
    """Difference of two independent NPS (after - before) with a variance-sum adjusted-Wald interval.

    Each NPS gets Rocks' (2016) adjusted-Wald pseudo-observations (0.75 detractors, 1.5 passives,
    0.75 promoters); the interval is ``(adj2 - adj1) ± z sqrt(v1 + v2)`` with ``v = (p_pro + p_det -
    (p_pro - p_det)^2) / (n + 3)`` (the variance-sum method Rocks (2016, sec. 5) recommends for comparing two
    NPS). The test is the matching Wald z-test of the adjusted difference (two-sided). The effect size is the
    difference itself in NPS points (the raw NPS, not the adjusted one). Closed form, so deterministic
    without a bootstrap.

    Returns
    -------
    dict
        ``nps_before``, ``nps_after``, ``n_before``, ``n_after``, ``difference`` (points), ``ci_low``,
        ``ci_high``, ``ci_method``, ``test``, ``statistic`` (z), ``p_value``, ``effect_size``,
        ``effect_size_name``.

    Examples
    --------
    Before 3 promoters, 4 passives, 3 detractors (NPS 0); after 6, 2, 2 (NPS 40). By hand: adjusted shares
    3.75/13 each before (v1 = 0.5769/13), 6.75/13 and 2.75/13 after (v2 = 0.6361/13); 0.3077 ± 1.96 x 0.3055.

    >>> r = nps_difference([10, 9, 9, 8, 8, 7, 7, 6, 5, 0], [10, 10, 9, 9, 9, 9, 8, 7, 3, 1])
    >>> r["difference"], round(r["ci_low"], 1), round(r["ci_high"], 1), round(r["p_value"], 3)
    (40.0, -29.1, 90.6, 0.314)
    """
    c1, v1, n1 = _nps_parts(before)
    c2, v2, n2 = _nps_parts(after)
    raw1, raw2 = (
        nps(pd.Series(before, dtype="float64")).nps,
        nps(pd.Series(after, dtype="float64")).nps,
    )
    nan = float("nan")
    if n1 == 0 or n2 == 0:
        low = high = z = p = nan
    else:
        se = math.sqrt(v1 + v2)
        zc = float(_sps.norm.ppf(1 - (1 - ci) / 2))
        diff_a = c2 - c1
        low, high = max(-200.0, 100 * (diff_a - zc * se)), min(200.0, 100 * (diff_a + zc * se))
        z = diff_a / se
        p = float(2 * _sps.norm.sf(abs(z)))
    return {
        "nps_before": raw1,
        "nps_after": raw2,
        "n_before": n1,
        "n_after": n2,
        "difference": raw2 - raw1,
        "ci_low": low,
        "ci_high": high,
        "ci_method": f"variance sum of two adjusted-Wald variances (Rocks 2016), {100 * ci:g} % CI",
        "test": "Wald z-test of the adjusted NPS difference (two-sided)",
        "statistic": z,
        "p_value": p,
        "effect_size": raw2 - raw1,
        "effect_size_name": "NPS difference (points)",
    }


# --------------------------------------------------------------------------- 4. change between semesters
def compare_semesters(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    before: str | None = None,
    after: str | None = None,
    alpha: float = ALPHA,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Change of each THL theme and of NPS between two semesters (default: the last two), stated plainly.

    Three families, each Holm-corrected across the five themes (Holm 1979, :func:`~sosrake_lib.stats.holm`):

    * ``theme_score``: interview theme means, Mann-Whitney U (two-sided, ties corrected), effect size
      rank-biserial r (> 0: higher in ``after``), via :func:`~sosrake_lib.stats.two_sample_ordinal`;
      difference = difference of means (1-5 scale). This family decides the verdict.
    * ``theme_top2``: top-2-box shares, score test (or Fisher's exact test when an expected count < 5) with a
      Newcombe hybrid score CI of the difference and Cohen's h (:func:`~sosrake_lib.stats.two_proportions`);
      difference in percentage points.
    * ``nps``: :func:`nps_difference` (a family of one: ``p_holm == p_value``).

    Small cells (``min_n``): a top-2 share of a published n is a count, so where a semester's top-2 count or
    its complement is 1..min_n-1 people the row's shares, difference, interval, statistic, p and effect size
    are hidden (the verdict word stays; the statement says the figures are hidden). The NPS difference's
    interval and test use each semester's promoters + detractors, so where a semester's NPS group is small
    they are hidden (and the NPS values too where the NPS alone gives the groups away, as in
    :func:`nps_table`). A Holm p that would carry a hidden p (:func:`~sosrake_lib.outputs.holm_carriers`) is
    hidden. Rows describing fewer than ``min_n`` interviews in a semester are hidden whole, and so are the
    figures and n of a theme whose n, top-2 count, share or mean :func:`theme_top2` hides or rounds in either
    semester (the same figures must not come out here in full: a one-statement theme is its statement).

    Returns
    -------
    DataFrame
        One row per measure: ``family``, ``measure``, ``label``, ``before``, ``after``, ``n_before``,
        ``n_after``, ``value_before``, ``value_after``, ``difference``, ``ci_low``, ``ci_high``, ``ci_method``,
        ``test``, ``statistic``, ``p_value``, ``p_holm``, ``effect_size``, ``effect_size_name``,
        ``significant``, ``verdict_fi``, ``verdict_en``, ``statement``.
    """
    inst = _inst(inst)
    sems = _semesters(df)
    if len(sems) < 2 and (before is None or after is None):
        return pd.DataFrame()
    before = before or sems[-2]
    after = after or sems[-1]
    scores = theme_scores(df, inst)
    m1 = (df["semester"] == before).to_numpy()
    m2 = (df["semester"] == after).to_numpy()
    rows: list[dict[str, Any]] = []
    small: list[bool] = []  # row hides its figures (see the docstring)

    def is_small(*counts: int) -> bool:
        return any(0 < int(c) < min_n for c in counts)

    guarded = _guarded_themes(df, inst, (before, after), min_n, lang)
    for area in scores.columns:
        x, y = scores.loc[m1, area].dropna(), scores.loc[m2, area].dropna()
        small.append(is_small(len(x), len(y)) or area in guarded["theme_score"])
        r = two_sample_ordinal(x, y, labels=(before, after))
        rows.append(
            {
                "family": "theme_score",
                "measure": area,
                "n_before": len(x),
                "n_after": len(y),
                "value_before": x.mean(),
                "value_after": y.mean(),
                "difference": y.mean() - x.mean(),
                "ci_low": math.nan,
                "ci_high": math.nan,
                "ci_method": "",
                "test": r.test + " (two-sided, tie and continuity corrected)",
                "statistic": r.statistic,
                "p_value": r.p_value,
                "effect_size": r.effect_size,
                "effect_size_name": f"rank-biserial r (> 0: {after} higher)",
            }
        )
    for area in scores.columns:
        x, y = scores.loc[m1, area].dropna(), scores.loc[m2, area].dropna()
        c1, c2 = int((x >= TOP2_THRESHOLD).sum()), int((y >= TOP2_THRESHOLD).sum())
        small.append(
            is_small(len(x), len(y), c1, len(x) - c1, c2, len(y) - c2)
            or area in guarded["theme_top2"]
        )
        tp = two_proportions(c1, len(x), c2, len(y))
        rows.append(
            {
                "family": "theme_top2",
                "measure": area,
                "n_before": len(x),
                "n_after": len(y),
                "value_before": 100 * tp.p1,
                "value_after": 100 * tp.p2,
                "difference": 100 * tp.difference,
                "ci_low": 100 * tp.ci_low,
                "ci_high": 100 * tp.ci_high,
                "ci_method": tp.ci_method + " 95 % CI",
                "test": tp.test,
                "statistic": tp.statistic,
                "p_value": tp.p_value,
                "effect_size": tp.effect_size,
                "effect_size_name": tp.effect_size_name,
            }
        )
    nd = nps_difference(df.loc[m1, "nps"], df.loc[m2, "nps"])
    nps_groups, nps_extreme = [], False
    for m in (m1, m2):
        v = pd.to_numeric(df.loc[m, "nps"]).dropna()
        pro, det = int((v >= 9).sum()), int((v <= 6).sum())
        nps_groups += [len(v), pro, len(v) - pro - det, det]
        nps_extreme = nps_extreme or (
            is_small(pro, len(v) - pro - det, det) and len(v) - abs(pro - det) <= 1
        )
    small.append(is_small(*nps_groups))
    rows.append(
        {
            "family": "nps",
            "measure": "nps",
            "n_before": nd["n_before"],
            "n_after": nd["n_after"],
            "value_before": nd["nps_before"],
            "value_after": nd["nps_after"],
            "difference": nd["difference"],
            "ci_low": nd["ci_low"],
            "ci_high": nd["ci_high"],
            "ci_method": nd["ci_method"],
            "test": nd["test"],
            "statistic": nd["statistic"],
            "p_value": nd["p_value"],
            "effect_size": nd["effect_size"],
            "effect_size_name": nd["effect_size_name"],
        }
    )
    out = pd.DataFrame(rows)
    out.insert(
        2, "label", [inst.area_label(m, lang) if m in inst.areas else "NPS" for m in out["measure"]]
    )
    out.insert(3, "before", before)
    out.insert(4, "after", after)
    p_holm = np.full(len(out), np.nan)
    for fam in out["family"].unique():
        idx = np.flatnonzero(out["family"].to_numpy() == fam)
        p_holm[idx] = holm(out["p_value"].to_numpy(dtype=float)[idx])
    out.insert(out.columns.get_loc("p_value") + 1, "p_holm", p_holm)
    out["significant"] = np.nan_to_num(p_holm, nan=1.0) < alpha
    words = [verdict(d, p, alpha) for d, p in zip(out["difference"], out["p_holm"], strict=True)]
    out["verdict_fi"] = [w[0] for w in words]
    out["verdict_en"] = [w[1] for w in words]
    hide_n = out["measure"].isin(guarded["n"]).to_numpy()
    return _hide_small_comparisons(
        out, np.array(small, dtype=bool), nps_extreme, min_n, lang, hide_n=hide_n
    )


def _guarded_themes(
    df: pd.DataFrame, inst: Instrument, semesters: Sequence[str], min_n: int, lang: Lang
) -> dict[str, set[str]]:
    """Themes whose figures :func:`theme_top2` hides or rounds in one of ``semesters``, by what they guard.

    The comparison must not publish them at full precision either: its n, means and shares are the same
    figures (a one-statement theme's mean is the statement's mean, its n the statement's valid answers).
    Returns ``{"n": themes whose n is hidden, "theme_score": ... whose n or mean is, "theme_top2": ... whose
    n, top-2 count or share is}``.
    """
    part = df[df["semester"].isin(list(semesters))]
    published = theme_top2(part, inst, min_n=min_n, lang=lang)
    full = theme_top2(part, inst, min_n=1, lang=lang)
    guarded: dict[str, set[str]] = {}
    for col in ("n", "top2_n", "top2_pct", "mean"):
        a = pd.to_numeric(published[col]).astype("float64").to_numpy()
        b = pd.to_numeric(full[col]).astype("float64").to_numpy()
        changed = ~np.isclose(a, b, rtol=0, atol=1e-12, equal_nan=True) | (
            np.isnan(a) & ~np.isnan(b)
        )
        guarded[col] = set(published.loc[changed, "theme"])
    return {
        "n": guarded["n"],
        "theme_score": guarded["n"] | guarded["mean"],
        "theme_top2": guarded["n"] | guarded["top2_n"] | guarded["top2_pct"],
    }


def _hide_small_comparisons(
    out: pd.DataFrame,
    small: np.ndarray,
    nps_extreme: bool,
    min_n: int,
    lang: Lang,
    *,
    hide_n: np.ndarray | None = None,
) -> pd.DataFrame:
    """The published form of :func:`compare_semesters` (its docstring says what is hidden and why);
    ``hide_n`` marks rows whose n is hidden in every family (:func:`_guarded_themes`)."""
    p_full = out["p_value"].to_numpy(dtype=float)
    family = out["family"].to_numpy()
    stats = ["ci_low", "ci_high", "statistic", "p_value", "p_holm", "effect_size"]
    values = ["value_before", "value_after", "difference"]
    hide = {c: small.copy() for c in stats}
    for c in (
        values
    ):  # top-2 shares are counts; NPS values only where the NPS itself gives the groups away
        hide[c] = small & (
            (family == "theme_top2") | ((family == "nps") & nps_extreme) | (family == "theme_score")
        )
    for c in ("n_before", "n_after"):
        hide[c] = small & ((family == "theme_score") | (hide_n if hide_n is not None else False))
    carried = np.zeros(len(out), dtype=bool)
    for fam in np.unique(family):
        idx = np.flatnonzero(family == fam)
        carried[idx] = holm_carriers(p_full[idx], small[idx])
    hide["p_holm"] = hide["p_holm"] | carried
    out = out.copy()
    cells = 0
    for c, mask in hide.items():
        mask = mask & out[c].notna().to_numpy()
        if mask.any():
            out[c] = out[c].astype("Int64" if c.startswith("n_") else "Float64").mask(mask)
            cells += int(mask.sum())
    out["statement"] = [_statement(r, lang, min_n) for r in out.to_dict(orient="records")]
    out.attrs["suppressed_cells"] = cells
    out.attrs["min_n"] = min_n
    return out


def _statement(row: Mapping[str, Any], lang: Lang, min_n: int = MIN_N) -> str:
    word = row["verdict_en"] if lang == "en" else row["verdict_fi"]
    kind = {
        "theme_score": ("keskiarvo", "mean"),
        "theme_top2": ("top-2", "top-2"),
        "nps": ("NPS", "NPS"),
    }
    k = kind[row["family"]][1 if lang == "en" else 0]
    p = row["p_holm"]
    if pd.isna(row["difference"]) or pd.isna(p):
        why = (
            f"luvut piilotettu: alle {min_n} hengen ryhmä"
            if lang == "fi"
            else f"figures suppressed: a group of fewer than {min_n}"
        )
        diff = (
            ""
            if pd.isna(row["difference"])
            else fmt_value(row["difference"], "NPS", lang, 0) + ", "
        )
        return f"{row['label']} ({k}): {word} ({diff}{why})"
    p_txt = "p < 0,001" if p < 0.001 else f"p = {p:.3f}".replace(".", ",")
    if lang == "en":
        p_txt = p_txt.replace(",", ".")
    unit = {"theme_score": "", "theme_top2": " %-yks." if lang == "fi" else " pp", "nps": ""}[
        row["family"]
    ]
    diff = fmt_value(
        row["difference"],
        "NPS" if row["family"] == "nps" else "",
        lang,
        1 if row["family"] == "theme_score" else 0,
    )
    if row["family"] != "nps" and not diff.startswith(("−", "-")):
        diff = "+" + diff
    return f"{row['label']} ({k}): {word} ({diff}{unit}, {'Holm ' if row['family'] != 'nps' else ''}{p_txt})"


def trend_tests(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    alpha: float = ALPHA,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Monotonic trend over three or more semesters: Kendall's tau-b between semester order and the outcome.

    The semester's position (0, 1, 2, ...) is an ordinal predictor; :func:`scipy.stats.kendalltau`
    (``variant="b"``, tie-corrected, two-sided asymptotic p) tests whether theme means (and the NPS category
    detractor -1 / passive 0 / promoter +1) rise or fall steadily with it. Tau-b with one ordered grouping
    variable is the Jonckheere-Terpstra idea (Jonckheere 1954) in correlation form (Kendall 1938); it uses
    the whole order rather than only the last two semesters. Holm across the five themes; NPS separately.
    Tau-b is the effect size. Returns an empty frame with fewer than three semesters.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": pd.Categorical(["a"] * 6 + ["b"] * 6 + ["c"] * 6, ordered=True),
    ...                     "TU1": [2, 3, 2, 3, 2, 3, 3, 4, 3, 4, 3, 4, 4, 5, 4, 5, 4, 5],
    ...                     "nps": [5] * 18})
    >>> t = trend_tests(toy)
    >>> t.loc[t.measure == "turvallisuus", ["verdict_fi"]].iloc[0, 0], round(float(t.loc[0, "effect_size"]), 3)
    ('parani', 0.801)
    """
    inst = _inst(inst)
    sems = _semesters(df)
    if len(sems) < 3:
        return pd.DataFrame()
    pos = (
        df["semester"]
        .astype("object")
        .map({s: i for i, s in enumerate(sems)})
        .to_numpy(dtype=float)
    )
    areas = {a: [i for i in items if i.lstrip("-") in df] for a, items in inst.area_items().items()}
    scores = scale_scores(df, {a: v for a, v in areas.items() if v}, 1, 5)
    nps_cat = np.sign(np.where(df["nps"] >= 9, 1.0, np.where(df["nps"] <= 6, -1.0, 0.0)))
    nps_cat = np.where(df["nps"].isna(), np.nan, nps_cat)
    series = {**{a: scores[a].to_numpy(dtype=float) for a in scores.columns}, "nps": nps_cat}
    rows = []
    for name, y in series.items():
        ok = ~np.isnan(y) & ~np.isnan(pos)
        res = _sps.kendalltau(pos[ok], y[ok], variant="b")
        tau = float(res.statistic) if not np.isnan(res.statistic) else 0.0
        pv = float(res.pvalue) if not np.isnan(res.pvalue) else 1.0
        rows.append(
            {
                "family": "nps" if name == "nps" else "theme_score",
                "measure": name,
                "label": inst.area_label(name, lang) if name in inst.areas else "NPS",
                "semesters": " < ".join(sems),
                "n": int(ok.sum()),
                "test": "Kendall's tau-b trend test on semester order (two-sided)",
                "statistic": tau,
                "p_value": pv,
                "effect_size": tau,
                "effect_size_name": "Kendall's tau-b",
            }
        )
    out = pd.DataFrame(rows)
    fam = out["family"].to_numpy()
    p_holm = out["p_value"].to_numpy(dtype=float).copy()
    p_holm[fam == "theme_score"] = holm(p_holm[fam == "theme_score"])
    out.insert(out.columns.get_loc("p_value") + 1, "p_holm", p_holm)
    words = [verdict(t, p, alpha) for t, p in zip(out["statistic"], out["p_holm"], strict=True)]
    out["significant"] = out["p_holm"] < alpha
    out["verdict_fi"] = [w[0] for w in words]
    out["verdict_en"] = [w[1] for w in words]
    return out


# ------------------------------------------------------------------------------------- 5. open answers
def code_open_answers(
    df: pd.DataFrame, questions: Sequence[str] = OPEN_QUESTIONS, codebook: str = "interviews"
) -> dict[str, pd.DataFrame]:
    """Code each open question with :func:`sosrake_lib.text.code_themes` (Finnish-aware stems + lemmas).

    Returns question -> boolean theme frame (same index as ``df``; one column per theme plus ``uncoded``).
    """
    from .text import code_themes, load_theme_codebook

    cb = load_theme_codebook(codebook)
    return {q: code_themes(df[q], cb) for q in questions if q in df}


def _theme_label_map(coded: pd.DataFrame, lang: Lang) -> dict[str, str]:
    return dict(coded.attrs.get("theme_labels", {}).get(lang, {}))


def _answered(texts: pd.Series) -> np.ndarray:
    return texts.astype("str").str.strip().str.len().fillna(0).gt(0).to_numpy(dtype=bool)


def open_theme_frequencies(
    df: pd.DataFrame, coded: Mapping[str, pd.DataFrame], *, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Share of non-empty answers that mention each theme, by question and semester, with Wilson 95 % CIs.

    An answer may mention several themes, so shares do not add up to 100 % and a hidden count cannot be
    worked out from the others: primary suppression only (counts of 1..min_n-1 answers are hidden with their
    share and CI). The ``uncoded`` row is the share no theme matched.

    Returns
    -------
    DataFrame
        ``question``, ``question_label``, ``semester``, ``theme``, ``theme_label``, ``n_answers``, ``count``,
        ``pct``, ``ci_low``, ``ci_high``.
    """
    rows = []
    for q, c in coded.items():
        labels = _theme_label_map(c, lang)
        answered = _answered(df[q])
        for sem in _semesters(df):
            mask = answered & (df["semester"] == sem).to_numpy()
            n = int(mask.sum())
            for theme in c.columns:
                count = int(c.loc[mask, theme].sum())
                low, high = proportion_ci(count, n)
                rows.append(
                    {
                        "question": q,
                        "question_label": question_label(q, lang),
                        "semester": sem,
                        "theme": theme,
                        "theme_label": labels.get(theme, theme),
                        "n_answers": n,
                        "count": count,
                        "pct": 100 * count / n if n else math.nan,
                        "ci_low": 100 * low,
                        "ci_high": 100 * high,
                    }
                )
    out = pd.DataFrame(rows)
    small = (out["count"] > 0) & (out["count"] < min_n)
    small_n = (out["n_answers"] > 0) & (out["n_answers"] < min_n)
    hide = (small | small_n).to_numpy()
    for col in ("count", "pct", "ci_low", "ci_high"):
        out[col] = out[col].astype("Float64" if col != "count" else "Int64").mask(hide)
    out["n_answers"] = out["n_answers"].astype("Int64").mask(small_n.to_numpy())
    out.attrs = {"suppressed_cells": int(hide.sum()), "min_n": min_n}
    return out


def uncoded_answers_table(
    df: pd.DataFrame, coded: Mapping[str, pd.DataFrame], *, lang: Lang = "fi", min_n: int = MIN_N
) -> pd.DataFrame:
    """Answers no theme matched, for staff to read and extend the theme codebook (not for publication).

    Text is scrubbed again with :func:`~sosrake_lib.privacy.scrub_pii` (cleaning already did it once);
    identical answers are merged with a count, rows sorted by semester, question and text, so the list
    carries no row order that could link an answer to an interview. The list still leaves the analysis
    folder, so a count of 1..min_n-1 answers is hidden (the answer is listed without it);
    ``attrs["n_answers"]`` is the number of uncoded answers in all.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["s"] * 6, "open_good": ["Kiitos."] * 5 + ["Hyvä."]})
    >>> coded = {"open_good": pd.DataFrame({"uncoded": [True] * 6})}
    >>> t = uncoded_answers_table(toy, coded)
    >>> t[["answer", "count"]].values.tolist(), t.attrs["n_answers"]
    ([['Hyvä.', <NA>], ['Kiitos.', 5]], 6)
    """
    parts = []
    for q, c in coded.items():
        mask = c["uncoded"].to_numpy(dtype=bool)
        parts.append(
            pd.DataFrame(
                {
                    "semester": df.loc[mask, "semester"].astype("str").to_numpy(),
                    "question": q,
                    "question_label": question_label(q, lang),
                    "answer": [scrub_pii(str(t).strip()) for t in df.loc[mask, q]],
                }
            )
        )
    if not parts:
        empty = pd.DataFrame(columns=["semester", "question", "question_label", "answer", "count"])
        empty.attrs = {"n_answers": 0, "suppressed_cells": 0, "min_n": min_n}
        return empty
    allp = pd.concat(parts, ignore_index=True)
    out = (
        allp.groupby(["semester", "question", "question_label", "answer"], sort=True)
        .size()
        .rename("count")
        .reset_index()
    )
    small = ((out["count"] > 0) & (out["count"] < min_n)).to_numpy()
    total = int(out["count"].sum())
    out["count"] = out["count"].astype("Int64").mask(small)
    out.attrs = {"n_answers": total, "suppressed_cells": int(small.sum()), "min_n": min_n}
    return out


REVIEW_DIR = "review"
"""Folder of an analysis's staff work material (scrubbed but unreviewed free text): never to be forwarded."""


def write_uncoded_answers(
    table: pd.DataFrame, out_dir: str | Path, name: str = "uncoded_answers"
) -> Path:
    """Write the uncoded-answer list to ``<out_dir>/review/<name>.csv`` (UTF-8, comma), formula-safe.

    It is a working list for staff (scrubbed but unreviewed free text), not a publishable table: it stays out
    of ``tables/`` and ``tables.xlsx``, in the review folder beside ``quotes_for_review.csv``; free text leaves
    the workbench only as approved quotes.
    """
    path = Path(out_dir) / REVIEW_DIR / f"{name}.csv"
    safe = neutralise_frame(
        table.astype({c: object for c in table.columns if table[c].dtype != "int64"})
    )
    atomic_write_text(path, safe.to_csv(index=False, lineterminator="\n"))
    return path


# ------------------------------------------------------------------------------------------- 6. quotes
def candidate_quotes(
    df: pd.DataFrame,
    coded: Mapping[str, pd.DataFrame],
    *,
    semester: str | None = None,
    per_theme: int = 3,
    min_chars: int = 20,
    max_chars: int = 200,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Candidate quotes of one semester (default: the latest) per question and theme, for a person to approve.

    The selection rules are those of :func:`sosrake_lib.quotes.review_candidates`: scrubbed, length-limited,
    answers that named a person left out, deterministic, every row ``approved = False``.
    """
    semester = semester or _semesters(df)[-1]
    in_sem = (df["semester"] == semester).to_numpy()
    texts = {q: df.loc[in_sem, q] for q in coded}
    flags = {q: c.loc[in_sem] for q, c in coded.items()}
    labels = {q: _theme_label_map(c, lang) for q, c in coded.items()}
    return review_candidates(
        texts,
        flags,
        labels,
        semester=semester,
        per_theme=per_theme,
        min_chars=min_chars,
        max_chars=max_chars,
    )


# ---------------------------------------------------------------------------------------- key figures
def build_key_figures(
    *,
    counts: pd.DataFrame,
    top2: pd.DataFrame,
    nps_sem: pd.DataFrame,
    comparison: pd.DataFrame,
    open_freq: pd.DataFrame,
    semester: str,
    lang_question: str = "open_missing",
) -> KeyFigures:
    """The key figures of the run's ``semester`` (the latest one) for the infographic.

    ``n_interviews``, ``n_students``, ``nps`` (with CI), ``nps_change`` (vs the previous semester, with the
    variance-sum CI), ``<theme>_top2`` for each THL theme, ``<theme>_change`` (verdict of the theme mean), and
    ``top_missing_theme`` / ``top_missing_theme_pct`` (most frequent theme in "what help did you miss").
    Labels are built with :mod:`sosrake_lib.fmt`; no free text from answers is ever a key figure.
    """
    kf = KeyFigures()
    row = counts[counts["semester"] == semester].iloc[0]
    n_int = None if pd.isna(row["n_interviews"]) else int(row["n_interviews"])
    n_stu = None if pd.isna(row["n_students"]) else int(row["n_students"])
    kf.add(
        "n_interviews",
        n_int,
        "n",
        n=n_int,
        method="count of interviews after cleaning",
        label_fi=f"{fmt_int(n_int, 'fi')} haastattelua ({semester})",
        label_en=f"{fmt_int(n_int, 'en')} interviews ({semester})",
        suppressed=n_int is None,
        source=source("interview_counts", "n_interviews", semester=semester),
    )
    kf.add(
        "n_students",
        n_stu,
        "n",
        n=n_stu,
        method="distinct pseudonymised interviewers",
        label_fi=f"{fmt_int(n_stu, 'fi')} sosionomiopiskelijaa haastatteli",
        label_en=f"{fmt_int(n_stu, 'en')} sosionomi students interviewed",
        suppressed=n_stu is None,
        source=source("interview_counts", "n_students", semester=semester),
    )
    r = nps_sem[nps_sem["semester"] == semester].iloc[0]
    ok = not pd.isna(r["nps"])
    kf.add(
        "nps",
        round(float(r["nps"])) if ok else None,
        "NPS",
        n=None if pd.isna(r["n"]) else int(r["n"]),
        ci_low=None if pd.isna(r["ci_low"]) else float(r["ci_low"]),
        ci_high=None if pd.isna(r["ci_high"]) else float(r["ci_high"]),
        method="NPS = % 9-10 minus % 0-6 (THL/Reichheld); adjusted-Wald 95 % CI (Rocks 2016)",
        label_fi=f"Suositteluindeksi (NPS) {fmt_value(r['nps'], 'NPS', 'fi')}",
        label_en=f"Net Promoter Score {fmt_value(r['nps'], 'NPS', 'en')}",
        suppressed=not ok,
        source=source("nps_by_semester", "nps", semester=semester),
    )
    if len(comparison):
        c = comparison[comparison["family"] == "nps"].iloc[0]
        shown = not pd.isna(c["difference"])  # hidden when an NPS alone gives its groups away
        d = float(c["difference"]) if shown else math.nan
        hidden_test = pd.isna(
            c["p_value"]
        )  # a small NPS group: the interval and test would give it back
        kf.add(
            "nps_change",
            round(d) if shown else None,
            "NPS points",
            n=int(min(c["n_before"], c["n_after"])),
            ci_low=None if pd.isna(c["ci_low"]) else float(c["ci_low"]),
            ci_high=None if pd.isna(c["ci_high"]) else float(c["ci_high"]),
            method=f"{c['ci_method']}; {c['test']}"
            + ("" if hidden_test else f", p = {c['p_value']:.3g}"),
            note="interval and test suppressed: a small NPS group" if hidden_test else "",
            label_fi=f"NPS {c['verdict_fi']}: {fmt_value(d, 'NPS', 'fi')} pistettä ({c['before']} → {c['after']})",
            label_en=f"NPS {c['verdict_en']}: {fmt_value(d, 'NPS', 'en')} points ({c['before']} → {c['after']})",
            source=source("semester_comparison", "difference", family="nps", measure="nps"),
            suppressed=not shown,
        )
    t = top2[top2["semester"] == semester]
    for rec in t.to_dict(orient="records"):
        theme = rec["theme"]
        hidden = pd.isna(rec["top2_pct"])
        pct = None if hidden else float(rec["top2_pct"])
        fi_t, en_t = _TOP2_LABELS.get(
            theme, ("{pct}: " + rec["theme_label"], "{pct}: " + rec["theme_label"])
        )
        kf.add(
            f"{theme}_top2",
            None if hidden else round(pct),
            "%",
            n=None if pd.isna(rec["n"]) else int(rec["n"]),
            ci_low=None if hidden else float(rec["ci_low"]),
            ci_high=None if hidden else float(rec["ci_high"]),
            method=rec["method"],
            label_fi=fi_t.format(pct=fmt_percent(pct, "fi")),
            label_en=en_t.format(pct=fmt_percent(pct, "en")),
            suppressed=hidden,
            source=source("theme_top2", "top2_pct", semester=semester, theme=theme),
        )
    if len(comparison):
        for rec in comparison[comparison["family"] == "theme_score"].to_dict(orient="records"):
            shown = not pd.isna(rec["difference"]) and not pd.isna(rec["p_holm"])
            ns = [rec["n_before"], rec["n_after"]]
            kf.add(
                f"{rec['measure']}_change",
                round(float(rec["difference"]), 2) if shown else None,
                "score 1–5 difference",
                n=None if any(pd.isna(v) for v in ns) else int(min(ns)),
                method=f"{rec['test']}; Holm across themes, p_holm = {rec['p_holm']:.3g}; "
                f"{rec['effect_size_name']} = {rec['effect_size']:.2f}"
                if shown
                else f"{rec['test']}; Holm across themes; figures suppressed (small cells)",
                label_fi=f"{rec['label']}: {rec['verdict_fi']}",
                label_en=f"{rec['label']}: {rec['verdict_en']}",
                note=rec["verdict_en"],
                suppressed=not shown,
                source=source(
                    "semester_comparison",
                    "difference",
                    family="theme_score",
                    measure=rec["measure"],
                ),
            )
    f = open_freq[
        (open_freq["question"] == lang_question)
        & (open_freq["semester"] == semester)
        & (open_freq["theme"] != "uncoded")
    ].dropna(subset=["pct"])
    if len(f):
        best = f.sort_values(["pct", "theme"], ascending=[False, True]).iloc[0]
        pct = float(best["pct"])
        n_ans = int(best["n_answers"])
        lab_en = best["theme_label"]
        kf.add(
            "top_missing_theme",
            str(best["theme"]),
            "theme",
            n=n_ans,
            method="most frequent theme of 'Millaista apua jäit kaipaamaan?' (theme codebook 'interviews')",
            label_fi=f"Eniten kaivattiin apua: {best['theme_label'].lower()} ({fmt_percent(pct, 'fi')} vastauksista)",
            label_en=f"Most missed help: {lab_en} ({fmt_percent(pct, 'en')} of answers)",
            source=source(
                "open_answer_themes",
                "theme",
                question=lang_question,
                semester=semester,
                theme=str(best["theme"]),
            ),
        )
        kf.add(
            "top_missing_theme_pct",
            round(pct),
            "%",
            n=n_ans,
            ci_low=float(best["ci_low"]),
            ci_high=float(best["ci_high"]),
            method="share of non-empty answers; Wilson 95 % CI",
            label_fi=f"{fmt_percent(pct, 'fi')} kaipasi apua: {best['theme_label'].lower()}",
            label_en=f"{fmt_percent(pct, 'en')} missed help: {lab_en}",
            source=source(
                "open_answer_themes",
                "pct",
                question=lang_question,
                semester=semester,
                theme=str(best["theme"]),
            ),
        )
    return kf


# -------------------------------------------------------------------------------------------- figures
def plot_grouped_ci(
    table: pd.DataFrame,
    *,
    category: str,
    group: str,
    value: str,
    low: str,
    high: str,
    n: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    xlabel: str | None = None,
    title: str | None = None,
    percent: bool = True,
    xlim: tuple[float, float] | None = None,
) -> Any:
    """Horizontal grouped bars (one bar per ``group`` within each ``category``) with CI whiskers.

    Used for top-2-box % per theme and semester and for open-answer themes per semester. Suppressed values
    (NaN, or ``n < min_n``) get no bar and the label "piilotettu". Returns the Axes.
    """
    from matplotlib.patches import Patch

    from .fmt import fmt_number, fmt_suppressed
    from .plots import OKABE_ITO, FmtFormatter, new_figure, wrap_label

    cats = list(dict.fromkeys(table[category]))
    groups = list(dict.fromkeys(table[group]))
    k = len(groups)
    height = 0.8 / max(k, 1)
    fig, ax = new_figure(6.3, 1.0 + 0.28 * len(cats) * k + 0.15 * len(cats))
    for j, g in enumerate(groups):
        sub = table[table[group] == g].set_index(category).reindex(cats)
        vals = pd.to_numeric(sub[value], errors="coerce").to_numpy(dtype=float)
        if n is not None:
            sizes = pd.to_numeric(sub[n], errors="coerce").to_numpy(dtype=float)
            vals = np.where(sizes >= min_n, vals, np.nan)
        lo = pd.to_numeric(sub[low], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(sub[high], errors="coerce").to_numpy(dtype=float)
        pos = np.arange(len(cats)) - 0.4 + height * (j + 0.5)
        color = OKABE_ITO[j % len(OKABE_ITO)] if k > 1 else OKABE_ITO[0]
        ax.barh(pos, np.nan_to_num(vals), height=height * 0.9, color=color, zorder=2)
        whisker = ~(
            np.isnan(vals) | np.isnan(lo) | np.isnan(hi)
        )  # a hidden bar gets no stray whisker at 0
        if whisker.any():
            err = np.vstack([vals - lo, hi - vals])[:, whisker]
            ax.errorbar(
                vals[whisker],
                pos[whisker],
                xerr=err,
                fmt="none",
                ecolor="#333333",
                elinewidth=0.8,
                capsize=2,
                zorder=3,
            )
        for p, v, h in zip(pos, vals, hi, strict=True):
            text = (
                fmt_suppressed(min_n, lang)
                if np.isnan(v)
                else (fmt_percent(v, lang) if percent else fmt_number(v, lang, 1))
            )
            x_at = 1 if np.isnan(v) else (h if not np.isnan(h) else v)
            ax.text(x_at + 1.0, p, text, va="center", ha="left", fontsize=7, color="#1a1a1a")
    ax.set_yticks(np.arange(len(cats)), [wrap_label(c, 24) for c in cats])
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlim(*(xlim or ((0, 108) if percent else (None, None))))
    if percent:
        ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.xaxis.set_major_formatter(FmtFormatter(lang, percent=percent))
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if k > 1:
        handles = [
            Patch(color=OKABE_ITO[j % len(OKABE_ITO)], label=str(g)) for j, g in enumerate(groups)
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=k,
            frameon=False,
            fontsize=8,
        )
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def ci_text(low: Any, high: Any, lang: Lang = "fi", percent: bool = True) -> str:
    """A CI for narrative text: ``95 % LV 80–92 %`` / ``95% CI 80–92%``.

    >>> ci_text(80.4, 91.6, "en")
    '95% CI 80–92%'
    """
    inner = fmt_ci(low, high, lang, 0, percent=percent)
    return f"95 % LV {inner}" if lang == "fi" else f"95% CI {inner}"


# ------------------------------------------------------------------------------------- readable tables
#: Published headers (fi, en) of this module's columns (``sosrake_lib/labels_data/interviews.yaml``).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    k: (v["fi"], v["en"]) for k, v in for_analysis("interviews").columns.items()
}


def readable(df: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """Rename known columns to readable labels in ``lang`` (for the notebook and the .xlsx sheets).

    >>> list(readable(pd.DataFrame(columns=["semester", "top2_pct"]), "en").columns)
    ['Semester', 'Agree %']
    """
    from .publish import label_table

    return label_table("interviews", df, lang)


def suppression_summary(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """How many cells each table hides for small n (from the suppression functions' ``attrs``).

    >>> t = pd.DataFrame({"n": [1]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_summary({"a": t, "b": pd.DataFrame()})["suppressed_cells"].tolist()
    [2, 0]
    """
    return pd.DataFrame(
        {
            "table": list(tables),
            "suppressed_cells": [int(t.attrs.get("suppressed_cells", 0)) for t in tables.values()],
        }
    )


# ------------------------------------------------------------------------------------------------- display
_CI = CI_LABEL

#: What the notebook shows of each table for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = {
    "cleaning": {"semester": ("Lukukausi", "Semester", "text"), **CLEANING_COLUMNS},
    "counts": {
        "semester": ("Lukukausi", "Semester", "text"),
        "n_interviews": ("Haastatteluja", "Interviews", "int"),
        "n_students": ("Haastatelleita opiskelijoita", "Interviewing students", "int"),
        "interviews_per_student": (
            "Haastatteluja opiskelijaa kohden",
            "Interviews per student",
            "num1",
        ),
    },
    "likert": {
        "label": ("Väittämä", "Statement", "text"),
        "n_valid": ("Vastauksia asteikolla", "Answers on the scale", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
        "top_box_pct": ("Samaa mieltä %", "Agree %", "pct"),
        ("top_box_ci_low", "top_box_ci_high"): (*_CI, "ci_pct"),
    },
    "top2": {
        "semester": ("Lukukausi", "Semester", "text"),
        "service": ("Palvelu", "Service", "text"),
        "theme_label": ("Teema", "Theme", "text"),
        "n": ("Haastatteluja", "Interviews", "int"),
        "top2_pct": ("Samaa mieltä %", "Agree %", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
    },
    "nps": {
        "semester": ("Lukukausi", "Semester", "text"),
        "service": ("Palvelu", "Service", "text"),
        "n": ("Haastatteluja", "Interviews", "int"),
        "nps": ("NPS", "NPS", "signed0"),
        ("ci_low", "ci_high"): (*_CI, "ci0"),
        "pct_promoters": ("Suosittelijat (9–10) %", "Promoters (9–10) %", "pct0"),
        "pct_passives": ("Passiiviset (7–8) %", "Passives (7–8) %", "pct0"),
        "pct_detractors": ("Arvostelijat (0–6) %", "Detractors (0–6) %", "pct0"),
    },
    "trend": {
        "label": ("Mittari", "Measure", "text"),
        "semesters": ("Lukukaudet", "Semesters", "text"),
        "test": ("Testi", "Test", "text"),
        "statistic": ("Testisuure", "Statistic", "num2"),
        "p_value": ("p", "p", "p"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Trendi (Holm p < 0,05)", "Trend (Holm p < 0.05)", "bool"),
    },
    "open": {
        "semester": ("Lukukausi", "Semester", "text"),
        "theme_label": ("Teema", "Theme", "text"),
        "count": ("Mainintoja", "Mentions", "int"),
        "pct": ("Osuus vastauksista %", "Share of answers %", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "n_answers": ("Vastauksia", "Answers", "int"),
    },
    "quote_themes": {
        "question_label": ("Kysymys", "Question", "text"),
        "theme_label": ("Teema", "Theme", "text"),
    },
    "suppression": {
        "table_label": ("Taulukko", "Table", "text"),
        "suppressed_cells": ("Piilotettuja soluja", "Suppressed cells", "int"),
    },
}

#: Readable names of the notebook's tables (the suppression summary names them).
TABLE_TITLES: dict[str, tuple[str, str]] = {
    "interview_counts": ("Haastattelut lukukausittain", "Interviews by semester"),
    "interviews_per_student": ("Haastatteluja opiskelijaa kohden", "Interviews per student"),
    "service_counts": ("Haastattelut palveluittain", "Interviews by service"),
    "client_background": ("Haastateltujen tausta", "Background of the interviewed"),
    "likert_items": ("Kokemusväittämät", "Experience statements"),
    "theme_top2": ("Teemat: samaa mieltä", "Themes: agree"),
    "theme_top2_by_service": ("Teemat palveluittain", "Themes by service"),
    "nps_by_semester": ("Suositteluindeksi lukukausittain", "NPS by semester"),
    "nps_by_service": ("Suositteluindeksi palveluittain", "NPS by service"),
    "semester_comparison": (
        "Vertailu edelliseen lukukauteen",
        "Comparison with the previous semester",
    ),
    "trend": ("Trenditestit", "Trend tests"),
    "open_answer_themes": ("Avovastausten teemat", "Themes of open answers"),
}


def display_ready(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """A copy of ``table`` with the readable columns :data:`DISPLAY` names (question and table names).

    Examples
    --------
    >>> display_ready(pd.DataFrame({"table": ["trend"], "question": ["open_good"]}), "en").iloc[0].tolist()[2:]
    ['Trend tests', 'What was good in the service?']
    """
    out = table.copy()
    if "table" in out.columns:
        out["table_label"] = [
            TABLE_TITLES.get(t, (t, t))[0 if lang == "fi" else 1] for t in out["table"]
        ]
    if "question" in out.columns and "question_label" not in out.columns:
        out["question_label"] = [question_label(q, lang) for q in out["question"]]
    if "semester" in out.columns:
        out["semester"] = out["semester"].astype("string")
    return out


def cleaning_frame(logs: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """The cleaning logs of the exports (``df.attrs["cleaning_logs"]``) as one row per semester, for display.

    Examples
    --------
    >>> cleaning_frame({"2021-syksy": {"source_file": "a.csv", "raw_rows": 83, "kept": 80,
    ...                                "dropped": {"empty": 1, "test": 1, "duplicate": 1}}}).iloc[0].astype(str).tolist()
    ['2021-syksy', 'a.csv', '83', '80', '1', '1', '1']
    """
    return pd.DataFrame(
        [
            {
                "semester": s,
                "source_file": log.get("source_file", ""),
                "raw_rows": log.get("raw_rows"),
                "kept": log.get("kept"),
                **{
                    f"dropped_{k}": (log.get("dropped") or {}).get(k, 0)
                    for k in ("empty", "test", "duplicate")
                },
            }
            for s, log in logs.items()
        ]
    )
