"""Quotes from open answers: candidates for a person to review, and only approved ones to publish.

Every analysis with open answers writes ``quotes_for_review.csv`` (scrubbed, length-limited, ``approved`` =
False). Staff open it in Excel, set ``approved`` to ``True``/``kyllä``/``x`` for quotes that may be published
and re-run: the runner carries the approvals over to the new file (:func:`carry_over_approvals`), and only
approved quotes reach an infographic (:func:`load_approved_quotes`).

Examples
--------
>>> import pandas as pd
>>> texts = {"open_good": pd.Series(["Työntekijä kuunteli minua tarkasti ja oli ystävällinen.",
...                                  "Soitin Maijalle 040 123 4567 ja sain apua heti kun tarvitsin."])}
>>> coded = {"open_good": pd.DataFrame({"kohtaaminen": [True, True]})}
>>> q = review_candidates(texts, coded, {"open_good": {"kohtaaminen": "Kohtaaminen"}})
>>> q[["quote_id", "theme", "quote", "approved"]].to_dict("records")
[{'quote_id': 'q001', 'theme': 'kohtaaminen', 'quote': 'Työntekijä kuunteli minua tarkasti ja oli ystävällinen.', 'approved': False}]
"""

from __future__ import annotations

from collections.abc import Mapping
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd

from .atomic import atomic_write_text
from .outputs import neutralise_frame
from .privacy import scrub_pii

QUOTE_COLUMNS = [
    "quote_id",
    "semester",
    "question",
    "theme",
    "theme_label",
    "quote",
    "n_chars",
    "approved",
    "reviewer_note",
]
TRUTHY = {"true", "1", "x", "kyllä", "kylla", "k", "yes", "y", "tosi", "hyväksytty", "approved"}
QUOTES_FILE = "quotes_for_review.csv"


def is_approved(value: Any) -> bool:
    """Whether a cell of the ``approved`` column approves the quote (case-insensitive; blank = no).

    >>> [is_approved(v) for v in (True, "true", "1", "Kyllä", "x", "YES", "", "false", "0", "ei", None)]
    [True, True, True, True, True, True, False, False, False, False, False]
    """
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and value != value):
        return False
    return str(value).strip().lower() in TRUTHY


def review_candidates(
    texts: Mapping[str, pd.Series],
    coded: Mapping[str, pd.DataFrame],
    labels: Mapping[str, Mapping[str, str]] | None = None,
    *,
    semester: str = "",
    per_theme: int = 3,
    min_chars: int = 20,
    max_chars: int = 200,
) -> pd.DataFrame:
    """Candidate quotes per question and theme, scrubbed and length-limited, for a person to approve.

    ``texts[q]`` are the answers to question ``q`` and ``coded[q]`` their theme flags (one boolean column per
    theme, as :func:`~sosrake_lib.text.code_themes` gives; an ``uncoded`` column is ignored). Each answer is
    scrubbed with :func:`~sosrake_lib.privacy.scrub_pii`; answers that needed scrubbing (they talk about a
    person) and answers shorter than ``min_chars`` or longer than ``max_chars`` are left out (never cut, so no
    quote changes meaning). Each text is offered once, under the first theme it qualifies for; the
    ``per_theme`` answers mentioning the fewest themes, then closest to 100 characters, then alphabetically
    are taken, so the choice is deterministic. Every row has ``approved = False``.
    """
    labels = labels or {}
    rows = []
    for q, flags in coded.items():
        answers = texts[q].astype("str")
        themes = [t for t in flags.columns if t != "uncoded"]
        n_themes = flags[themes].sum(axis=1).to_numpy()
        used: set[str] = set()
        for theme in themes:
            mask = flags[theme].to_numpy(dtype=bool)
            cand: dict[str, int] = {}
            for t, k in zip(answers[mask], n_themes[mask], strict=True):
                if pd.isna(t):
                    continue
                original = " ".join(str(t).split())
                clean = scrub_pii(original)
                if clean != original or "[" in clean:
                    continue  # it named a person, a phone number, an address (scrubbed now or on import)
                cand[clean] = min(k, cand.get(clean, k))
            ok = [t for t in cand if min_chars <= len(t) <= max_chars and t not in used]
            ok.sort(key=lambda t: (cand[t], abs(len(t) - 100), t))
            for t in ok[:per_theme]:
                used.add(t)
                rows.append(
                    {
                        "semester": semester,
                        "question": q,
                        "theme": theme,
                        "theme_label": labels.get(q, {}).get(theme, theme),
                        "quote": t,
                        "n_chars": len(t),
                        "approved": False,
                        "reviewer_note": "",
                    }
                )
    out = pd.DataFrame(rows, columns=[c for c in QUOTE_COLUMNS if c != "quote_id"])
    out.insert(0, "quote_id", [f"q{i + 1:03d}" for i in range(len(out))])
    return out


def write_quotes_for_review(quotes: pd.DataFrame, out_dir: str | Path) -> Path:
    """Write ``<out_dir>/quotes_for_review.csv`` (UTF-8 with BOM so Excel shows ä/ö, semicolon separator for a
    Finnish Excel), formula-safe. Staff set ``approved`` to ``True`` for quotes that may be published."""
    path = Path(out_dir) / QUOTES_FILE
    safe = neutralise_frame(
        quotes.astype({c: object for c in ("quote", "reviewer_note", "theme_label") if c in quotes})
    )
    atomic_write_text(path, "\ufeff" + safe.to_csv(index=False, sep=";", lineterminator="\n"))
    return path


def read_quotes_file(path: str | Path) -> pd.DataFrame:
    """Read a quotes file as staff left it (``;`` or ``,``, with or without BOM), all columns as text."""
    raw = Path(path).read_text(encoding="utf-8-sig")
    first = raw.splitlines()[0] if raw else ""
    sep = ";" if first.count(";") >= first.count(",") else ","
    table = pd.read_csv(StringIO(raw), sep=sep, dtype=str, keep_default_na=False)
    if "quote" not in table or "approved" not in table:
        raise ValueError(f"{path}: a quotes file needs the columns 'quote' and 'approved'")
    return table


def load_approved_quotes(path: str | Path | None, *, max_chars: int = 200) -> pd.DataFrame:
    """The quotes a person approved in a reviewed ``quotes_for_review.csv`` (the only quotes for infographics).

    ``approved`` counts as true for ``True``/``1``/``x``/``kyllä``/``yes`` (see :func:`is_approved`); anything
    else, blank included, is false. Approved quotes are scrubbed once more (defence in depth) and those longer
    than ``max_chars`` dropped. An empty or missing ``path`` gives an empty frame.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = p.write_text("quote_id;theme;quote;approved\\nq001;asuminen;Asunto löytyi;TRUE\\n"
    ...                  "q002;asuminen;Soita 040 123 4567;kyllä\\nq003;kohtaaminen;Ei;False\\n", encoding="utf-8")
    >>> load_approved_quotes(p)["quote"].tolist()
    ['Asunto löytyi', 'Soita [puhelinnumero]']
    """
    if path is None or not str(path).strip() or not Path(path).is_file():
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    table = read_quotes_file(path)
    out = table[table["approved"].map(is_approved)].copy()
    if out.empty:
        return pd.DataFrame(columns=list(table.columns))
    out["quote"] = pd.Series(
        [scrub_pii(t.lstrip("'").strip()) for t in out["quote"]], index=out.index, dtype="str"
    )
    out = out[out["quote"].str.len().between(1, max_chars)]
    out["approved"] = True
    return out.reset_index(drop=True)


def carry_over_approvals(new_file: str | Path, reviewed_file: str | Path | None) -> int:
    """Copy the approvals (and reviewer notes) of a reviewed quotes file onto a newly written one.

    Quotes are matched by their text; returns the number of approved quotes carried over. The new file is
    rewritten atomically only when something was carried over.
    """
    if reviewed_file is None or not Path(reviewed_file).is_file() or not Path(new_file).is_file():
        return 0
    old = read_quotes_file(reviewed_file)
    approved = {
        q.lstrip("'").strip(): note
        for q, ok, note in zip(
            old["quote"],
            old["approved"],
            old.get("reviewer_note", pd.Series([""] * len(old))),
            strict=True,
        )
        if is_approved(ok)
    }
    if not approved:
        return 0
    new = read_quotes_file(new_file)
    key = new["quote"].str.lstrip("'").str.strip()
    hit = key.isin(list(approved))
    if not hit.any():
        return 0
    new["approved"] = ["True" if h else a for h, a in zip(hit, new["approved"], strict=True)]
    if "reviewer_note" in new:
        new["reviewer_note"] = [
            approved.get(k, n) if h else n
            for k, h, n in zip(key, hit, new["reviewer_note"], strict=True)
        ]
    atomic_write_text(new_file, "\ufeff" + new.to_csv(index=False, sep=";", lineterminator="\n"))
    return int(hit.sum())


def instrument_quotes(
    df: pd.DataFrame,
    instrument: Any,
    *,
    semester: str = "",
    lang: str = "fi",
    per_theme: int = 3,
    min_chars: int = 20,
    max_chars: int = 200,
) -> pd.DataFrame:
    """Review candidates from every open question of an instrument that names a theme codebook.

    Each text item's ``themes`` (in the instrument's YAML) names its theme codebook; the answers are coded
    with :func:`~sosrake_lib.text.code_themes` and passed to :func:`review_candidates`.
    """
    from .codebook import load_instrument
    from .text import code_themes, load_theme_codebook

    inst = load_instrument(instrument) if isinstance(instrument, str) else instrument
    texts: dict[str, pd.Series] = {}
    coded: dict[str, pd.DataFrame] = {}
    labels: dict[str, Mapping[str, str]] = {}
    for it in inst.items_of("text"):
        if it.id in df and it.themes:
            flags = code_themes(df[it.id], load_theme_codebook(it.themes))
            texts[it.id], coded[it.id] = df[it.id], flags
            labels[it.id] = dict(flags.attrs.get("theme_labels", {}).get(lang, {}))
    return review_candidates(
        texts,
        coded,
        labels,
        semester=semester,
        per_theme=per_theme,
        min_chars=min_chars,
        max_chars=max_chars,
    )
