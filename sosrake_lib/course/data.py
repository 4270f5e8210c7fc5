"""Loading the course exports (register, pre/post self-assessments, feedback, baseline) and the
cleaning summary of the input files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cleaning import clean_responses
from ..codebook import Instrument, load_instrument
from ..editions import pick_edition
from ..io import read_export
from ..paths import PROJECT_ROOT
from ..settings import MIN_N


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
    ``feedback`` and ``baseline``. ``overlay``: a codebook overlay with header aliases (``sosrake map``). The
    baseline is read with the version of ``baseline_instrument`` that fits it (:func:`~sosrake_lib.editions.pick_edition`).

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
        # the codebook version the baseline round was asked with (a reworded item keeps its answers)
        insts["baseline"] = pick_edition(resolve_path(baseline_path), baseline_instrument, overlay)
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
