"""Label text of the figures: :func:`wrap_label` (wraps and hyphenates long Finnish words) and
:class:`FmtFormatter` (tick numbers through :mod:`sosrake_lib.fmt`, decimal comma in Finnish)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import Formatter

from sosrake_lib.fmt import Lang, fmt_number, fmt_percent, is_missing

_VOWELS = set("aeiouyäöåAEIOUYÄÖÅéÉüÜ")


def _syllable_breaks(word: str) -> list[int]:
    """Positions where ``word`` may be hyphenated, by the Finnish consonant rule.

    A syllable boundary comes before the last consonant that precedes a vowel (Kielitoimiston ohjepankki,
    "Tavutus": *mie-len-ter-veys-pal-ve-lut*). Vowel-sequence rules are left out: fewer break points, never a
    wrong one. Each side keeps at least two letters.
    """
    breaks = []
    for i in range(2, len(word) - 1):
        c, nxt, prev = word[i], word[i + 1], word[i - 1]
        if (
            c.isalpha()
            and c not in _VOWELS
            and nxt in _VOWELS
            and prev.isalpha()
            and any(ch in _VOWELS for ch in word[:i])
            and any(ch in _VOWELS for ch in word[i:])
            and len(word) - i >= 2
        ):
            breaks.append(i)
    return breaks


def _split_long(word: str, width: int) -> list[str]:
    """Split a word longer than ``width`` into pieces ending with ``-`` (each piece <= width)."""
    pieces = []
    rest = word
    while len(rest) > width:
        limit = width - 1  # room for the hyphen
        candidates = [b for b in _syllable_breaks(rest) if b <= limit]
        cut = max(candidates) if candidates else max(limit, 1)
        pieces.append(rest[:cut] + "-")
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def wrap_label(text: Any, width: int = 16) -> str:
    """Wrap a label to lines of at most ``width`` characters, hyphenating long Finnish compounds.

    Lines break at spaces and after hyphens ("mielenterveys-"); a single word still longer than ``width`` is
    hyphenated at a syllable boundary with a ``-`` at the line end (fallback: a hard cut). Existing line
    breaks are kept. Used for every tick label, so long words wrap instead of overflowing.

    Examples
    --------
    >>> print(wrap_label("mielenterveyspalvelut", 12))
    mielenter-
    veyspalvelut
    >>> print(wrap_label("työllistymistä edistävä monialainen yhteispalvelu", 20))
    työllistymistä
    edistävä monialainen
    yhteispalvelu
    >>> print(wrap_label("Mielenterveys- ja päihdetyö", 16))
    Mielenterveys-
    ja päihdetyö
    """
    if width < 2:
        raise ValueError("width must be >= 2")
    text = "" if is_missing(text) else str(text)
    out_lines: list[str] = []
    for paragraph in text.split("\n"):
        # tokens: (piece, glue) where glue is the separator before the piece ("" joins within a word)
        tokens: list[tuple[str, str]] = []
        for word in paragraph.split():
            parts = [p for p in re.split(r"(?<=-)(?=.)", word) if p]
            for j, part in enumerate(parts):
                subs = _split_long(part, width) if len(part) > width else [part]
                for k, sub in enumerate(subs):
                    glue = " " if (j == 0 and k == 0) else ""
                    # a piece after a soft hyphen must start a new line
                    tokens.append((sub, "\n" if k > 0 else glue))
        line = ""
        for piece, glue in tokens:
            if not line:
                line = piece
            elif glue == "\n" or len(line) + len(glue) + len(piece) > width:
                out_lines.append(line)
                line = piece
            else:
                line += glue + piece
        out_lines.append(line)
    return "\n".join(out_lines)


class FmtFormatter(Formatter):
    """Tick formatter that writes numbers through :mod:`sosrake_lib.fmt` (decimal comma in Finnish).

    The number of decimals follows the tick spacing; ``percent=True`` appends ``%``; ``absolute=True``
    drops the sign (the left half of a diverging bar chart).

    Examples
    --------
    >>> f = FmtFormatter("fi")
    >>> f.set_locs([0.0, 0.5, 1.0]); f(0.5)
    '0,5'
    """

    def __init__(self, lang: Lang = "fi", *, percent: bool = False, absolute: bool = False) -> None:
        self.lang = lang
        self.percent = percent
        self.absolute = absolute
        self.decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
        locs = np.asarray(locs, dtype=float)
        if locs.size >= 2:
            step = float(np.min(np.abs(np.diff(np.sort(locs)))))
            self.decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
            self.decimals = min(self.decimals, 4)

    def __call__(self, x: float, pos: int | None = None) -> str:
        value = abs(x) if self.absolute else x
        if self.percent:
            return fmt_percent(value, self.lang, self.decimals)
        return fmt_number(value, self.lang, self.decimals)


def _wrap_ticklabels(ax: Axes, axis: str, width: int) -> None:
    if axis == "y":
        ticks = ax.get_yticks()
        labels = [wrap_label(t.get_text(), width) for t in ax.get_yticklabels()]
        ax.set_yticks(ticks, labels)
    else:
        ticks = ax.get_xticks()
        labels = [wrap_label(t.get_text(), width) for t in ax.get_xticklabels()]
        ax.set_xticks(ticks, labels)
