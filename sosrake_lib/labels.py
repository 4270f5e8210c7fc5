"""One way to the labels of published tables: file names and column headers in Finnish and English, and back.

Each analysis names its tables and columns in machine terms (``open_answer_themes``, ``top2_pct``) and
publishes them with readable names in the run's language. The names are data, one YAML file per analysis in
``sosrake_lib/labels_data/`` (staff can correct a header there); :func:`for_analysis` loads them into one
:class:`Labels`, and :meth:`Labels.read_table` reads a published table
back *by its key and machine column names*: the infographic uses it, so a translated header can never be
mistaken for another column ("Question id" for ``question``, "MWDS, CI low" for ``mwds_ci_low``).

Examples
--------
>>> lab = for_analysis("course")
>>> lab.table_file("feedback_parts", "fi"), lab.header("mean", "en")
('palaute_osa_alueet', 'Mean')
>>> for_analysis("interviews").machine_names("Vastauksia", "fi")  # one header, two tables' columns
['n_answers', 'n_total']
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import Lang


@dataclass(frozen=True)
class Labels:
    """The published names of one analysis' tables and columns."""

    analysis: str
    columns: Mapping[str, Mapping[str, str]]  # machine column -> {"fi": header, "en": header}
    tables: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict
    )  # key -> {"fi": stem, "en": stem}
    titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # key -> readable name
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # key -> figure/axis text
    values: Mapping[str, Mapping[str, Mapping[str, str]]] = field(
        default_factory=dict
    )  # column -> code value -> {"fi", "en"}
    display: Mapping[str, Mapping[Any, tuple[str, str, str]]] = field(
        default_factory=dict
    )  # view -> {column or (low, high): (header fi, header en, kind)}

    def title(self, key: str, lang: Lang) -> str:
        """The readable name of a table (the key itself where none is set)."""
        return self.titles.get(key, {}).get(lang, key)

    def text(self, key: str, lang: Lang) -> str:
        """A figure title, axis text or row label (``KeyError`` for an unknown key: a typo must show)."""
        return self.texts[key][lang]

    def value(self, column: str, value: Any, lang: Lang) -> Any:
        """The readable label of a code ``value`` of ``column`` (the value itself where none is set)."""
        return self.values.get(column, {}).get(value, {}).get(lang, value)

    def header(self, column: str, lang: Lang) -> str:
        """The published header of a machine column (the name itself where none is set)."""
        return self.columns.get(column, {}).get(lang, column)

    def table_file(self, key: str, lang: Lang) -> str:
        """The file stem of a table under ``tables/`` (the key itself where none is set)."""
        return self.tables.get(key, {}).get(lang, key)

    def machine_names(self, header: str, lang: Lang) -> list[str]:
        """The machine columns published under ``header`` (several where two tables reuse one header)."""
        names = [c for c, by_lang in self.columns.items() if by_lang.get(lang) == header]
        return names or [header]

    def read_table(self, folder: str | Path, key: str, lang: Lang) -> list[dict[str, str]]:
        """Rows of the published ``tables/<file>.csv`` of ``key``, keyed by machine column names.

        A header shared by several machine columns fills each of them; the chart that reads the table asks
        for the one it means. An absent table gives ``[]``.
        """
        path = Path(folder) / "tables" / f"{self.table_file(key, lang)}.csv"
        if not path.is_file():
            return []
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not rows:
            return []
        names = {h: self.machine_names(h, lang) for h in rows[0]}
        return [{m: v for h, v in r.items() for m in names[h]} for r in rows]


def _display(views: Mapping[str, Any] | None, shared: Mapping[str, Any] | None) -> dict[str, dict]:
    """``display:`` of a labels file as ``{view: {column or (low, high): (fi, en, kind)}}``; a view that
    shared.yaml also has gets the shared columns after its own."""
    out: dict[str, dict[Any, tuple[str, str, str]]] = {}
    for view, cols in (views or {}).items():
        merged = {**(cols or {}), **((shared or {}).get(view) or {})}
        out[view] = {
            (tuple(k.split(", ")) if ", " in k else k): (str(fi), str(en), str(kind))
            for k, (fi, en, kind) in merged.items()
        }
    return out


def _pairs(mapping: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """``{name: (fi, en)}`` or ``{name: {"fi": .., "en": ..}}`` as the latter."""
    out: dict[str, dict[str, str]] = {}
    for name, value in mapping.items():
        if isinstance(value, tuple):
            out[name] = {"fi": value[0], "en": value[1]}
        elif isinstance(value, Mapping):
            out[name] = {"fi": str(value["fi"]), "en": str(value["en"])}
    return out


LABELS_DIR = Path(__file__).parent / "labels_data"


@functools.cache
def for_analysis(analysis: str) -> Labels:
    """The :class:`Labels` of an analysis, from ``sosrake_lib/labels_data/<analysis>.yaml``."""
    import yaml

    from .errors import ConfigError

    path = LABELS_DIR / f"{analysis}.yaml"
    if not path.is_file():
        raise ConfigError(f"no labels for analysis {analysis!r} ({path.name} not in {LABELS_DIR})")
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    shared = yaml.safe_load((LABELS_DIR / "shared.yaml").read_text(encoding="utf-8")) or {}
    return Labels(
        analysis,
        {**_pairs(shared.get("columns", {})), **_pairs(doc.get("columns", {}))},
        _pairs(doc.get("tables", {})),
        titles=_pairs(doc.get("titles", {})),
        texts={**_pairs(shared.get("texts", {})), **_pairs(doc.get("texts", {}))},
        values={col: _pairs(m) for col, m in (doc.get("values") or {}).items()},
        display=_display(doc.get("display"), shared.get("display")),
    )


__all__ = ["Labels", "for_analysis"]
