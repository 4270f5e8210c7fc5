"""The helpers every analysis notebook uses: save a figure, show a table, say a sentence, in the run's language.

A notebook makes one :class:`NotebookPage` from its parameters and takes its four functions:

>>> page = NotebookPage("outputs/x", display={}, ready=lambda t: t, settings=Settings(lang="en"))
>>> save, show, say, tr = page.save, page.show, page.say, page.tr
>>> tr("Vastaajia", "Respondents")
'Respondents'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .settings import Settings


class NotebookPage:
    """``save``, ``show``, ``say`` and ``tr`` for one analysis notebook.

    Parameters
    ----------
    out : path
        The analysis' output folder; figures go to ``out/figures``.
    display : mapping
        The analysis' ``DISPLAY``: which columns of each kind of table people read, with their labels.
    ready : callable
        ``table -> table`` adding the readable columns the display names (the analysis' ``display_ready``).
    settings : Settings
        ``min_n`` (hidden cells are shown as "piilotettu") and ``lang``.
    """

    def __init__(
        self,
        out: str | Path,
        *,
        display: Mapping[str, Any],
        ready: Callable[[pd.DataFrame], pd.DataFrame],
        settings: Settings,
    ) -> None:
        self.out = Path(out)
        self.display = display
        self.ready = ready
        self.settings = settings
        self.figures: list[str] = []

    def tr(self, fi: str, en: str) -> str:
        """The text in the run's language."""
        return fi if self.settings.lang == "fi" else en

    def say(self, fi: str, en: str) -> None:
        """Narrative text (Markdown) in the run's language."""
        from IPython.display import Markdown, display

        display(Markdown(self.tr(fi, en)))

    def save(self, fig: Any, name: str, alt: str | None = None) -> None:
        """Save a figure as SVG, PDF and 300-dpi PNG into ``figures/``, show a preview here and close it.

        The alternative text (``alt``, default: what the figure functions say of the figure's main numbers,
        :func:`sosrake_lib.plots.alt.figure_alt`) goes into ``figures/<name>.alt.txt`` and onto the preview
        (``<img alt>`` in the report).
        """
        from .plots import save_and_show

        save_and_show(fig, self.out / "figures" / name, alt=alt, lang=self.settings.lang)
        self.figures.append(name)

    def show(
        self,
        table: pd.DataFrame,
        name: str,
        caption: str | None = None,
        columns: Mapping[Any, Any] | None = None,
        **kw: Any,
    ) -> None:
        """Show a table for people to read: the columns ``display[name]`` names, Finnish numbers, hidden cells
        as "piilotettu" (:func:`sosrake_lib.report.display_table`)."""
        from IPython.display import display

        from .report import display_table

        display(
            display_table(
                self.ready(table),
                columns or self.display[name],
                self.settings.lang,
                self.settings.min_n,
                caption=caption,
                **kw,
            )
        )


__all__ = ["NotebookPage"]
