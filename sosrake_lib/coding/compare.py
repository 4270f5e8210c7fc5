"""From a coded worksheet to the agreement table and the list of disagreements.

:func:`worksheet_agreement` takes a worksheet read by :func:`~sosrake_lib.coding.worksheet.read_worksheet`
and the codebook's codes of its answers, and returns the agreement table of
:func:`~sosrake_lib.coding.agreement.theme_agreement` and the answers where the codebook and a coder (or the
two coders) disagree on a theme, with the scrubbed answer text: the material for the next codebook edit
(``x`` where the codebook or a coder has the theme, empty where not, "(ei koodattu)" where that coder did
not code the answer).

The codebook's codes come either from the run (``review/coding_answers.csv``, joined by ``answer_id``:
what the run's theme shares were computed from) or, by default on the command line, from coding the
worksheet's answer text again with the *current* codebook (:func:`codebook_codes`): edit the codebook YAML,
run ``sosrake coding-agreement`` again and see whether the kappa improved, without re-running the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import atomic_write_text
from ..errors import ConfigError
from ..outputs import neutralise_frame
from .agreement import theme_agreement
from .answers import CB_PREFIX
from .worksheet import Worksheet

__all__ = [
    "AGREEMENT_FILE",
    "DISAGREEMENTS_FILE",
    "Agreement",
    "codebook_codes",
    "run_codes",
    "worksheet_agreement",
    "write_agreement",
]

AGREEMENT_FILE = "coding_agreement.csv"
DISAGREEMENTS_FILE = "coding_disagreements.csv"


@dataclass
class Agreement:
    """The result: ``table`` (per theme and comparison), ``disagreements`` (one row per answer and theme),
    ``uncoded`` (coder -> rows left without a tick), ``missing`` (coded answers whose codebook codes were
    not found), ``themes`` and ``source`` (where the codebook's codes came from)."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    themes: list[str]
    uncoded: dict[str, int] = field(default_factory=dict)
    missing: int = 0
    source: str = ""


def codebook_codes(ws: Worksheet, codebook: str | Path | None = None) -> pd.DataFrame:
    """The codebook's flags for the worksheet's answers (answer id x theme), coded again from their text.

    ``codebook``: a codebook name or YAML path (default: the one named in the worksheet). Themes of the
    worksheet that the codebook no longer has are an error (ConfigError).
    """
    from ..text import code_themes, load_theme_codebook

    cb = load_theme_codebook(codebook or ws.meta.get("codebook", ""))
    texts = ws.answers["answer"].fillna("").astype("str").reset_index(drop=True)
    coded = code_themes(texts, cb)
    gone = [t for t in ws.themes if t not in coded.columns]
    if gone:
        raise ConfigError(
            f"the codebook {cb.name} has no theme {', '.join(gone)} of the worksheet; "
            "give the codebook the worksheet was made with (--codebook)"
        )
    out = coded[ws.themes].astype(bool)
    out.index = pd.Index(ws.answers["answer_id"].astype("str"), name="answer_id")
    return out


def run_codes(answers: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """The codebook's flags from a run's ``coding_answers`` table (answer id x theme)."""
    cols = {CB_PREFIX + t: t for t in themes}
    missing = [c for c in cols if c not in answers.columns]
    if missing:
        raise ConfigError(
            f"the run's coding answers lack the themes {', '.join(cols[c] for c in missing)} of the "
            "worksheet (made from another codebook?)"
        )
    out = answers.set_index(answers["answer_id"].astype("str"))[list(cols)].rename(columns=cols)
    out.index.name = "answer_id"
    return out.astype(bool)


def worksheet_agreement(ws: Worksheet, codes: pd.DataFrame, source: str = "") -> Agreement:
    """Agreement of the codebook's ``codes`` with the worksheet's coders, and the disagreements.

    Coded answers whose id is not among ``codes`` (a worksheet of another run) are left out and counted in
    ``missing``.
    """
    coders: dict[str, pd.DataFrame] = {}
    missing = 0
    for name, frame in ws.coders.items():
        known = frame.index.isin(codes.index)
        missing = max(missing, int((~known).sum()))
        if known.any():
            coders[name] = frame.loc[known]
    if not coders:
        raise ConfigError(
            f"none of the coded answers of {ws.path.name} is among the codebook's codes "
            "(a worksheet of another run?)"
        )
    table = theme_agreement(codes, coders, ws.themes)
    text = ws.answers.set_index("answer_id")
    rows = []
    names = list(coders)
    for aid in sorted(set().union(*(c.index for c in coders.values()))):
        for theme in ws.themes:
            values = {"codebook": bool(codes.at[aid, theme])}
            for name in names:
                if aid in coders[name].index:
                    values[name] = bool(coders[name].at[aid, theme])
            if len(set(values.values())) > 1:
                rows.append(
                    {
                        "answer_id": aid,
                        "question": text.at[aid, "question_label"],
                        "theme": theme,
                        "codebook": _mark(values["codebook"]),
                        **{
                            n: (_mark(values[n]) if n in values else "(ei koodattu)") for n in names
                        },
                        "answer": text.at[aid, "answer"],
                    }
                )
    dis = pd.DataFrame(
        rows, columns=["answer_id", "question", "theme", "codebook", *names, "answer"]
    )
    return Agreement(table, dis, list(ws.themes), dict(ws.uncoded), missing, source)


def _mark(flag: bool) -> str:
    """A flag as the worksheet writes it: ``x`` or empty (never a number that reads as a count)."""
    return "x" if flag else ""


def write_agreement(result: Agreement, out_dir: str | Path) -> list[Path]:
    """Write ``coding_agreement.csv`` and ``coding_disagreements.csv`` (UTF-8, comma, formula-safe) into
    ``out_dir``: review material (the disagreement list holds answer text), keep it in a ``review/`` folder."""
    out = Path(out_dir)
    paths = []
    for name, frame in ((AGREEMENT_FILE, result.table), (DISAGREEMENTS_FILE, result.disagreements)):
        safe = neutralise_frame(
            frame.astype({c: object for c in frame.columns if frame[c].dtype == "str"})
        )
        path = out / name
        atomic_write_text(path, safe.to_csv(index=False, lineterminator="\n"))
        paths.append(path)
    return paths
