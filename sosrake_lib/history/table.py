"""The history table: one row per analysis × key figure × round, with the series it belongs to.

Where the rows come from:

- every key figure of every completed run (:mod:`sosrake_lib.history.runs`), in its round: the semester its
  ``source`` row names (interviews), else the run's round;
- the *earlier semesters* of the same measure in a run that holds several (interviews: ``nps_by_semester``,
  ``theme_top2``, ``interview_counts``, listed under ``derive:`` in ``history.yaml``), read from the run's
  own published table at the key figure's ``source`` (table, column, row). Those tables are already
  disclosure-controlled: a hidden cell stays hidden;
- the series a published table carries for every group (``table_series:``, e.g. the competence area means).

A round given by several runs keeps one row: a key figure before a table row, then the latest run.

Series. A line over rounds joins rows of the same *definition*: the series key is (analysis, name, unit,
codebook versions of the inputs, minimum cell size, method). When a row's key differs from the previous
round's, a new series starts and ``break_reason_fi/en`` says why. Nothing with ``n`` below its run's
minimum cell size carries a value (checked again here, whatever the file says), and a figure without a value
(hidden for a secondary reason, said in its note) is marked ``suppressed`` too.

Examples
--------
>>> from sosrake_lib.history.runs import Round, Run
>>> from pathlib import Path
>>> def run(label, min_n, method="Wilson"):
...     kf = [{"name": "completion_rate", "value": 55.6, "unit": "%", "n": 63, "ci_low": None,
...            "ci_high": None, "suppressed": False, "method": method, "source": None}]
...     return Run(Path(label), f"{label}/course", "course", {"semester": label}, kf, min_n, Round(label, "run_label"))
>>> t = history_table([run("2021", 5), run("2022", 20)])
>>> t[["round", "series", "break_reason_en"]].values.tolist()
[['2021', 1, ''], ['2022', 2, 'the minimum cell size changed (5 → 20)']]
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..outputs import display_decimals, round_display
from .runs import Run
from .texts import measure_label, spec, text

HISTORY_COLUMNS = (
    "analysis",
    "name",
    "round",
    "series",
    "series_id",
    "break_reason_fi",
    "break_reason_en",
    "subject",
    "value",
    "unit",
    "n",
    "ci_low",
    "ci_high",
    "suppressed",
    "census",
    "method",
    "label_fi",
    "label_en",
    "round_source",
    "round_guessed",
    "round_note_fi",
    "round_note_en",
    "origin",
    "min_n",
    "instrument_versions",
    "run",
    "source",
    "ci_suppressed",
)


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    try:
        num = float(str(value))
    except ValueError:
        return None
    return num if math.isfinite(num) else None


def _count(value: Any) -> int | None:
    num = _number(value)
    return None if num is None else int(num)


def _row(
    run: Run,
    *,
    name: str,
    round_: str,
    round_source: str,
    guessed: bool,
    value: Any,
    unit: str,
    n: int | None,
    ci: tuple[Any, Any],
    suppressed: bool,
    method: str,
    origin: str,
    source: Mapping[str, Any] | None,
    subject: str = "",
    labels: Mapping[str, Any] | None = None,
    ci_hidden: bool = False,
) -> dict[str, Any]:
    decimals = display_decimals(unit)
    low, high = ci
    if _number(value) is not None or value in (None, ""):
        value = round_display(_number(value), decimals)
        low, high = round_display(_number(low), decimals), round_display(_number(high), decimals)
    if n is None and unit == "n" and isinstance(value, int | float):
        n = int(value)  # a count of people describes that many people
    hidden = bool(suppressed) or value is None or (n is not None and 0 < n < run.min_n)
    if hidden:
        value, low, high = None, None, None
        if n is not None and n < run.min_n:
            n = None  # the size of a small group is itself not published
    return {
        "analysis": run.analysis,
        "name": name,
        "round": round_,
        "subject": subject,
        "value": value,
        "unit": unit,
        "n": n,
        "ci_low": low,
        "ci_high": high,
        "suppressed": hidden,
        "census": "census" in method.lower(),
        "method": method,
        "label_fi": _label(run.analysis, name, "fi", labels),
        "label_en": _label(run.analysis, name, "en", labels),
        "round_source": round_source,
        "round_guessed": guessed,
        "round_note_fi": run.round.note_fi if guessed else "",
        "round_note_en": run.round.note_en if guessed else "",
        "origin": origin,
        "min_n": run.min_n,
        "instrument_versions": run.instrument_versions,
        "run": run.relative,
        "source": json.dumps(source, ensure_ascii=False, sort_keys=True) if source else "",
        "ci_suppressed": bool(ci_hidden) and not hidden and (low is None or high is None),
    }


def _label(analysis: str, name: str, lang: str, labels: Mapping[str, Any] | None) -> str:
    """The readable name of a key figure: ``history.yaml``'s stable name, else the run's own label of it
    (``label_fi``/``label_en`` of key_figures.json), else the machine name.

    >>> _label("course", "followup_did", "fi", {"label_fi": "Erotusten erotus"})
    'Erotusten erotus'
    >>> _label("course", "completion_rate", "fi", {"label_fi": "Suoritusaste 55,6 %"})
    'Suoritusaste'
    """
    named = measure_label(analysis, name, lang)  # type: ignore[arg-type]
    if named != name:
        return named
    own = str((labels or {}).get(f"label_{lang}") or "").strip()
    return own or name


def _table_rows(run: Run, table: str) -> list[dict[str, str]]:
    from ..labels import for_analysis

    if run.tables_dir is None:
        return []
    return for_analysis(run.analysis).read_table(run.tables_dir, table, run.lang)  # type: ignore[arg-type]


#: The note keys that name what a key figure is about (an area, a course part, a theme).
_SUBJECT_KEYS = ("area", "part", "theme")


def subject_of(note: Any) -> str:
    """What a key figure is about, from its note (``area=``, ``part=`` or ``theme=``); ``""`` when it does not say.

    A "best part" or "largest need" of two rounds may be about different things: they are not one line.

    >>> subject_of("part=alusta; P(worst)=0.878"), subject_of("area=raportointi; rank=2"), subject_of("")
    ('alusta', 'raportointi', '')
    """
    pairs = dict(p.strip().partition("=")[::2] for p in str(note or "").split(";") if "=" in p)
    return next((pairs[k].strip() for k in _SUBJECT_KEYS if pairs.get(k, "").strip()), "")


def interval_suppressed(note: Any) -> bool:
    """Whether a key figure's note says its interval was hidden (it would give small counts back).

    >>> interval_suppressed("interval suppressed: with the NPS and n it would give the counts back")
    True
    >>> interval_suppressed("area=raportointi; p_holm=suppressed"), interval_suppressed(None)
    (False, False)
    """
    return "interval suppressed" in str(note or "").lower()


def rows_of_run(run: Run) -> list[dict[str, Any]]:
    """The history rows of one run: its key figures, earlier semesters, table series (module docstring)."""
    derive = set((spec().get("derive") or {}).get(run.analysis) or [])
    rows = []
    for kf in run.key_figures:
        src = kf.get("source") or None
        where = dict((src or {}).get("row") or {})
        own = str(where["semester"]) if "semester" in where else None
        common = {
            "name": kf["name"],
            "unit": str(kf.get("unit") or ""),
            "method": str(kf.get("method") or ""),
            "subject": subject_of(kf.get("note")),
            "labels": kf,
        }
        rows.append(
            _row(
                run,
                **common,
                round_=own or run.round.round,
                round_source="source_row" if own else run.round.source,
                guessed=False if own else run.round.guessed,
                value=kf.get("value"),
                n=_count(kf.get("n")),
                ci=(kf.get("ci_low"), kf.get("ci_high")),
                suppressed=bool(kf.get("suppressed")),
                ci_hidden=interval_suppressed(kf.get("note")),
                origin="key_figure",
                source=src,
            )
        )
        if own is None or src is None or src.get("table") not in derive:
            continue
        others = {k: str(v) for k, v in where.items() if k != "semester"}
        for r in _table_rows(run, str(src["table"])):
            if r.get("semester") in (None, "", own):
                continue
            if any(str(r.get(k)) != v for k, v in others.items()):
                continue
            rows.append(
                _row(
                    run,
                    **common,
                    round_=str(r["semester"]),
                    round_source="source_row",
                    guessed=False,
                    value=r.get(str(src["column"])),
                    n=_count(r.get("n")),
                    ci=(r.get("ci_low"), r.get("ci_high")),
                    suppressed=r.get(str(src["column"])) in (None, ""),
                    origin="table_row",
                    source={**src, "row": {**where, "semester": r["semester"]}},
                )
            )
    for entry in (spec().get("table_series") or {}).get(run.analysis) or []:
        for r in _table_rows(run, entry["table"]):
            if any(str(r.get(k)) != str(v) for k, v in (entry.get("where") or {}).items()):
                continue
            code = str(r.get(entry["code"]))
            rows.append(
                _row(
                    run,
                    name=entry["name"].format(code=code),
                    subject=code,
                    unit=entry["unit"],
                    method=str(r.get("method") or ""),
                    round_=run.round.round,
                    round_source=run.round.source,
                    guessed=run.round.guessed,
                    value=r.get(entry["column"]),
                    n=_count(r.get("n")),
                    ci=(r.get("ci_low"), r.get("ci_high")),
                    suppressed=r.get(entry["column"]) in (None, ""),
                    origin="table_row",
                    source={
                        "table": entry["table"],
                        "column": entry["column"],
                        "row": {**entry.get("where", {}), entry["code"]: code},
                    },
                )
            )
    return rows


def round_key(label: str) -> tuple[int, int, int, str]:
    """Sort key of a round: year, then season (kevät < kesä < syksy; a bare year after its seasons).

    >>> sorted(["2022-syksy", "2021", "2022-kevät", "sample"], key=round_key)
    ['2021', '2022-kevät', '2022-syksy', 'sample']
    """
    import re

    from ..interviews.common import _SEASON_ORDER

    m = re.match(r"^\s*(\d{4})\W*([^\W\d_]*)", str(label))
    if not m:
        return (1, 0, 0, str(label))
    return (0, int(m.group(1)), _SEASON_ORDER.get(m.group(2).lower(), 3), str(label))


def _run_order(run: Run) -> tuple[Any, ...]:
    return (round_key(run.round.round), str(run.manifest.get("created_utc") or ""), run.relative)


#: Parts of a method text that describe the data of one round, not the method: a design effect, a p-value,
#: which semester was higher, "figures suppressed".
_DATA_CLAUSE = re.compile(
    r"design effect [\d.]|p_holm\s*=|\bp\s*=\s*[\d.]|figures suppressed", re.I
)
#: A test's exact or normal-approximation form is chosen by the data (sample size, ties): not a new method.
_DATA_PART = re.compile(r"\s*\(> ?0:[^)]*\)|\s*\(normal approximation\)")


def method_family(method: str) -> str:
    """The method text without what describes one round's data: the part of the series key a method gives.

    >>> method_family("top-2-box: theme mean >= 4; Wilson 95 % CI; design effect 0.72 (41 interviewers)")
    'top-2-box: theme mean >= 4; wilson 95 % ci'
    >>> method_family("rank test; Holm, p_holm = 1; rank-biserial r (> 0: 2022-syksy higher)")
    'rank test; rank-biserial r'
    """
    clauses = [_DATA_PART.sub("", c) for c in str(method).split(";")]
    kept = [
        " ".join(c.lower().split()) for c in clauses if c.strip() and not _DATA_CLAUSE.search(c)
    ]
    return "; ".join(kept)


_BREAK_FIELDS = (
    ("unit", "break_unit"),
    ("instrument_versions", "break_instrument"),
    ("min_n", "break_min_n"),
    ("method", "break_method"),
)


def _short(value: Any, limit: int = 40) -> str:
    s = str(value) if value not in (None, "") else "–"
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _method_change(old: str, new: str) -> tuple[str, str]:
    """The clauses of two method families that differ (shortened), so a reader sees what changed.

    >>> _method_change("mean; t ci", "mean; bootstrap ci")
    ('t ci', 'bootstrap ci')
    """
    a, b = old.split("; "), new.split("; ")
    return (
        _short("; ".join(c for c in a if c not in b), 80),
        _short("; ".join(c for c in b if c not in a), 80),
    )


def _versions_touch(old: str, new: str, row: Mapping[str, Any]) -> bool:
    """Whether a change of codebook versions (``"competence=1"`` → ``"competence=2"``) touches this figure.

    The codebook editions say which areas' items changed (:func:`sosrake_lib.editions.changed_areas`): a
    figure about another area keeps its line. A figure that names no area (or an item without an area changed)
    is taken as touched, except a count of people.

    >>> _versions_touch("competence=1", "competence=2", {"subject": "tiedonkeruu", "unit": "score 1–5"})
    False
    >>> _versions_touch("competence=1", "competence=2", {"subject": "yhteiso", "unit": "alpha"})
    True
    """
    from ..editions import changed_areas

    a = dict(p.partition("=")[::2] for p in old.split(";") if p)
    b = dict(p.partition("=")[::2] for p in new.split(";") if p)
    areas: set[str] = set()
    for name in a.keys() | b.keys():
        if a.get(name) != b.get(name):
            if name not in a or name not in b:
                return True
            areas |= changed_areas(name, a[name], b[name])
    if not areas:
        return False
    if "*" in areas:
        return True
    subject = str(row.get("subject") or "")
    if subject:
        return subject in areas
    return not (row.get("unit") == "n" or row.get("census"))  # counts of people rest on no item


def _break_reasons(previous: Mapping[str, Any], row: Mapping[str, Any]) -> tuple[str, str]:
    fi, en = [], []
    old_s, new_s = str(previous.get("subject") or ""), str(row.get("subject") or "")
    if old_s != new_s:
        fi.append(text("break_subject", "fi", old=_short(old_s), new=_short(new_s)))
        en.append(text("break_subject", "en", old=_short(old_s), new=_short(new_s)))
    for column, key in _BREAK_FIELDS:
        old, new = previous[column], row[column]
        if column == "method":
            old, new = method_family(old), method_family(new)
        if column == "instrument_versions" and (not old or not new):
            continue  # a manifest older than the field: the version is unknown, not changed
        if column == "instrument_versions" and old != new and not _versions_touch(old, new, row):
            continue  # the codebook changed elsewhere: this figure's items are the same
        if old != new:
            a, b = (
                (previous[column], row[column]) if column != "method" else _method_change(old, new)
            )
            fi.append(text(key, "fi", old=a, new=b))
            en.append(text(key, "en", old=a, new=b))
    return "; ".join(fi), "; ".join(en)


def history_table(runs: Sequence[Run]) -> pd.DataFrame:
    """The long history table of ``runs`` (columns :data:`HISTORY_COLUMNS`), sorted by analysis, name, round."""
    chosen: dict[tuple[str, str, str], tuple[tuple[Any, ...], dict[str, Any]]] = {}
    for run in sorted(runs, key=_run_order):
        for row in rows_of_run(run):
            key = (row["analysis"], row["name"], row["round"])
            rank = (row["origin"] == "key_figure", _run_order(run))
            if key not in chosen or rank >= chosen[key][0]:
                chosen[key] = (rank, row)
    rows = sorted(
        (r for _, r in chosen.values()),
        key=lambda r: (r["analysis"], r["name"], round_key(r["round"])),
    )
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    series = 0
    for row in rows:
        same = previous is not None and (previous["analysis"], previous["name"]) == (
            row["analysis"],
            row["name"],
        )
        reason_fi = reason_en = ""
        if not same:
            series = 1
        else:
            assert previous is not None
            reason_fi, reason_en = _break_reasons(previous, row)
            if reason_fi:
                series += 1
        row = {
            **row,
            "series": series,
            "series_id": f"{row['analysis']}/{row['name']}/{series}",
            "break_reason_fi": reason_fi,
            "break_reason_en": reason_en,
        }
        out.append(row)
        previous = row
    frame = pd.DataFrame(out, columns=list(HISTORY_COLUMNS)).astype({"n": "Int64"})
    # as the key figures hold them: a missing value is None (not NaN), a whole number stays an int
    for col in ("value", "ci_low", "ci_high"):
        frame[col] = pd.Series([r[col] for r in out], index=frame.index, dtype=object)
    return frame


def at_threshold(table: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """``table`` with every row describing fewer than ``min_n`` people hidden (value, interval and n).

    A report shows earlier rounds under its own threshold: a round published with ``--min-cell-size 5``
    does not show a group of 12 in a report made with 20.

    >>> t = pd.DataFrame({"value": [40.0, 55.0], "n": pd.array([12, 63], dtype="Int64"),
    ...                   "ci_low": [20.0, None], "ci_high": [60.0, None], "suppressed": [False, False]})
    >>> at_threshold(t, 20)[["value", "n", "suppressed"]].values.tolist()
    [[None, <NA>, True], [55.0, 63, False]]
    """
    out = table.copy()
    n = pd.to_numeric(out["n"], errors="coerce")
    small = ((n > 0) & (n < min_n)).fillna(False).to_numpy(dtype=bool)
    for col in ("value", "ci_low", "ci_high"):
        out[col] = pd.Series(
            [None if s else v for s, v in zip(small, out[col], strict=True)],
            index=out.index,
            dtype=object,
        )
    out.loc[small, "n"] = pd.NA
    out.loc[small, "suppressed"] = True
    return out


def rounds_of(table: pd.DataFrame, analysis: str | None = None) -> list[str]:
    """The rounds in ``table`` (of one analysis), in time order."""
    t = table if analysis is None else table[table["analysis"] == analysis]
    return sorted(dict.fromkeys(t["round"].tolist()), key=round_key)


def guessed_runs(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(run, note_fi, note_en)`` of every run whose round was guessed (each once)."""
    t = table[table["round_guessed"].astype(bool)]
    seen = t.drop_duplicates("run")
    return list(zip(seen["run"], seen["round_note_fi"], seen["round_note_en"], strict=True))


def breaks(table: pd.DataFrame) -> pd.DataFrame:
    """The rows that start a new series (their definition differs from the previous round's)."""
    return table[table["break_reason_fi"].astype(str) != ""]


def collect(runs: Iterable[Run]) -> pd.DataFrame:
    """Alias of :func:`history_table` for an iterable."""
    return history_table(list(runs))


__all__ = [
    "HISTORY_COLUMNS",
    "at_threshold",
    "breaks",
    "collect",
    "guessed_runs",
    "history_table",
    "round_key",
    "rounds_of",
    "rows_of_run",
]
