"""The run's scrubbed open answers with the codebook's codes: the material a coding sample is drawn from.

An analysis that codes open answers with a theme codebook writes ``review/coding_answers.csv``: one row per
non-empty answer with a stable ``answer_id``, the semester, the question, the answer scrubbed of identifiers
(:func:`~sosrake_lib.privacy.scrub_pii`, again after cleaning did it once) and one column
``cb:<theme>`` per theme of the codebook (``x`` where the codebook flags the theme: a flag, never a
number a reader or the privacy scanner could take for a count of people; 0/1 in memory). It is review material (scrubbed but unreviewed free text) in the
run's ``review/`` folder, never published; :func:`~sosrake_lib.coding.worksheet.write_worksheet` samples it
and leaves the ``cb:`` columns out (the coder is blind to them), and the agreement step joins a coded
worksheet back to them by ``answer_id``.

The ``answer_id`` is a short hash of semester, the (pseudonymised) respondent id and the question: the same
answer gets the same id in every run with the same key, and the id cannot be turned back into the
respondent's pseudonym.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"semester": ["s1", "s1"], "interview_id": ["ps_a", "ps_b"],
...                    "open_good": ["Soita 040 123 4567, asunto löytyi.", ""]})
>>> coded = {"open_good": pd.DataFrame({"asuminen": [True, False], "uncoded": [False, True]})}
>>> t = coding_answers(df, coded, id_column="interview_id", codebook="interviews")
>>> t[["question", "answer", "cb:asuminen"]].values.tolist()
[['open_good', 'Soita [puhelinnumero], asunto löytyi.', 1]]
>>> t["answer_id"].str.len().tolist()
[11]
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from ..atomic import atomic_write_text
from ..errors import ConfigError
from ..outputs import neutralise_frame
from ..privacy import scrub_pii

__all__ = [
    "ANSWERS_FILE",
    "CB_PREFIX",
    "REVIEW_DIR",
    "answer_id",
    "coding_answers",
    "read_coding_answers",
    "write_coding_answers",
]

REVIEW_DIR = "review"
ANSWERS_FILE = "coding_answers.csv"
CB_PREFIX = "cb:"


def answer_id(semester: str, respondent: str, question: str) -> str:
    """A stable id of one answer: ``"v"`` + 10 hex digits of SHA-256 of semester, respondent and question.

    >>> answer_id("2022-syksy", "ps_29ab18e49b9ff60a", "open_missing")
    'v07cc31d3c5'
    """
    digest = hashlib.sha256(f"{semester}|{respondent}|{question}".encode()).hexdigest()
    return "v" + digest[:10]


def coding_answers(
    df: pd.DataFrame,
    coded: Mapping[str, pd.DataFrame],
    *,
    id_column: str,
    codebook: str,
    question_label: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Every non-empty answer of the coded questions, scrubbed, with its id and the codebook's 0/1 codes.

    Parameters
    ----------
    df : DataFrame
        The cleaned frame: ``semester`` (optional; ``""`` when absent), ``id_column`` and the question columns.
    coded : mapping
        Question -> theme flags from :func:`sosrake_lib.text.code_themes` (same index as ``df``).
    id_column : str
        The pseudonymised respondent id.
    codebook : str
        Name of the theme codebook, stored in column ``codebook`` so the agreement step knows the themes.
    question_label : callable, optional
        Question id -> readable label (default: the id).

    Returns
    -------
    DataFrame
        ``answer_id``, ``semester``, ``question``, ``question_label``, ``answer``, ``codebook`` and one
        ``cb:<theme>`` column (0/1) per theme (``uncoded`` left out), sorted by ``answer_id`` so the file's
        row order says nothing about the interviews' order.
    """
    label = question_label or (lambda q: q)
    parts = []
    semesters = df["semester"].astype("str") if "semester" in df else pd.Series("", index=df.index)
    for q, flags in coded.items():
        texts = df[q].astype("str").str.strip()
        keep = texts.notna() & texts.str.len().gt(0)
        themes = [t for t in flags.columns if t != "uncoded"]
        part = pd.DataFrame(
            {
                "answer_id": [
                    answer_id(s, str(r), q)
                    for s, r in zip(semesters[keep], df.loc[keep, id_column], strict=True)
                ],
                "semester": semesters[keep].to_numpy(),
                "question": q,
                "question_label": label(q),
                "answer": [scrub_pii(" ".join(str(t).split())) for t in texts[keep]],
                "codebook": codebook,
            }
        )
        for t in themes:
            part[CB_PREFIX + t] = flags.loc[keep, t].to_numpy(dtype=bool).astype(int)
        parts.append(part)
    if not parts:
        return pd.DataFrame(
            columns=["answer_id", "semester", "question", "question_label", "answer", "codebook"]
        )
    out = pd.concat(parts, ignore_index=True)
    if out["answer_id"].duplicated().any():
        raise ConfigError(
            "two answers got the same answer id (duplicate respondent ids in one semester?)"
        )
    return out.sort_values("answer_id", ignore_index=True)


def write_coding_answers(table: pd.DataFrame, out_dir: str | Path) -> Path:
    """Write ``<out_dir>/review/coding_answers.csv`` (UTF-8, comma, formula-safe): review material."""
    path = Path(out_dir) / REVIEW_DIR / ANSWERS_FILE
    out = table.astype(object)
    for c in table.columns:
        if c.startswith(CB_PREFIX):  # "x" as on the worksheet: a flag, not a count of people
            out[c] = ["x" if int(v) else "" for v in table[c]]
    safe = neutralise_frame(out)
    atomic_write_text(path, safe.to_csv(index=False, lineterminator="\n"))
    return path


def read_coding_answers(run_dir: str | Path) -> pd.DataFrame:
    """Read ``<run_dir>/review/coding_answers.csv`` (ConfigError, one line, when the run left none)."""
    path = Path(run_dir) / REVIEW_DIR / ANSWERS_FILE
    if not path.is_file():
        raise ConfigError(
            f"{path} does not exist: give the folder of an analysis run that codes open answers "
            "(outputs/<semester>/<analysis>), run with this version of the workbench"
        )
    table = pd.read_csv(path, dtype={"answer_id": "str", "semester": "str"}, keep_default_na=False)
    for c in table.columns:
        if c.startswith(CB_PREFIX):
            table[c] = table[c].astype("str").str.strip().str.lower().eq("x").astype(int)
    return table
