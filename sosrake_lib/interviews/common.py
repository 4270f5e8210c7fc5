"""Shared constants and helpers of the interviews analysis: instrument, questions, semester order, verdicts."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd

from ..codebook import Instrument, load_instrument
from ..fmt import Lang
from ..labels import for_analysis

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
_QUESTION_LABELS = {  # from values: question: of sosrake_lib/labels_data/interviews.yaml
    k: (v["fi"], v["en"]) for k, v in for_analysis("interviews").values["question"].items()
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


def readable_semesters(
    frame: pd.DataFrame, lang: Lang = "fi", column: str = "semester"
) -> pd.DataFrame:
    """A copy of ``frame`` whose ``column`` shows semesters as people read them ("Syksy 2022"), in the
    same order (categories renamed, not re-sorted), for a figure's groups and labels.

    Examples
    --------
    >>> t = pd.DataFrame({"semester": pd.Categorical(["2022-syksy", "2021-syksy"],
    ...                                              ["2021-syksy", "2022-syksy"])})
    >>> out = readable_semesters(t, "en")
    >>> out["semester"].tolist(), list(out["semester"].cat.categories)
    (['Autumn 2022', 'Autumn 2021'], ['Autumn 2021', 'Autumn 2022'])
    """
    from ..fmt import fmt_semester

    out = frame.copy()
    col = out[column]
    if isinstance(col.dtype, pd.CategoricalDtype):
        out[column] = col.cat.rename_categories([fmt_semester(c, lang) for c in col.cat.categories])
    else:
        out[column] = [v if pd.isna(v) else fmt_semester(v, lang) for v in col.tolist()]
    return out
