"""Alternative text of the figures: each figure function states its main numbers in a short text in the
run's language (:func:`set_alt`), and :func:`figure_alt` joins the texts of a figure's axes under its
title. :func:`~sosrake_lib.plots.save_and_show` writes the text next to the files and shows the preview
with it as the ``alt`` of the picture, so a screen reader says what the figure shows (WCAG 2.1, 1.1.1
Non-text Content).

An axes drawn without a figure function gets a text built from its title and the numbers printed on it
(its value labels), so no figure is left with nbconvert's "No description has been provided".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sosrake_lib.fmt import Lang

_ATTR = "_sosrake_alt"


def _one_line(text: str) -> str:
    """Line breaks of wrapped labels (and their soft hyphens) become one line of plain text.

    >>> _one_line("mielenter-\\nveyspalvelut ja\\npäihdetyö")
    'mielenterveyspalvelut ja päihdetyö'
    """
    text = re.sub(r"(?<=\w)-\n(?=[a-zåäö])", "", str(text))
    return " ".join(text.split())


def set_alt(ax: Axes, parts: Iterable[str], *, title: str | None = None) -> str:
    """Attach the alternative text of what ``ax`` shows: ``"title: part; part; …"``; returns it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_alt(ax, ["Sain apua 60 %", "Minua kuunneltiin 40 %"], title="Samaa mieltä")
    'Samaa mieltä: Sain apua 60 %; Minua kuunneltiin 40 %.'
    >>> axes_alt(ax) == figure_alt(fig)
    True
    >>> plt.close(fig)
    """
    body = "; ".join(_one_line(p) for p in parts if p)
    head = _one_line(title) if title else ""
    text = f"{head}: {body}." if head and body else f"{head or body}."
    setattr(ax, _ATTR, text)
    return text


def axes_alt(ax: Axes) -> str:
    """The text :func:`set_alt` attached to ``ax``, else one from its title and its numbers printed on it."""
    text = getattr(ax, _ATTR, None)
    if text:
        return str(text)
    numbers = [_one_line(t.get_text()) for t in ax.texts if re.search(r"\d", t.get_text())]
    title = ax.get_title() or ax.get_title("left") or ax.get_title("right")
    if not numbers and not title:
        return ""
    return set_alt(ax, numbers, title=title) if numbers else _one_line(title) + "."


def figure_alt(fig: Figure, lang: Lang = "fi") -> str:
    """The alternative text of ``fig``: its overall title (if any), then the text of each axes in order.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Osuus"); _ = ax.text(0, 0, "54 %")
    >>> figure_alt(fig)
    'Osuus: 54 %.'
    >>> figure_alt(plt.figure(), "en")
    'Figure.'
    >>> plt.close("all")
    """
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(_one_line(suptitle.get_text()) + ".")
    parts.extend(a for a in (axes_alt(ax) for ax in fig.axes if ax.get_visible()) if a)
    return " ".join(parts) or ("Kuva." if lang == "fi" else "Figure.")


__all__ = ["axes_alt", "figure_alt", "set_alt"]
