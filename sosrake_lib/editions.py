"""Which version of a codebook an export was asked with.

A questionnaire changes between rounds: an item is reworded or dropped. A later version of a shipped codebook is
written as the changes to the earlier one (``_NAME_v2.yaml`` with ``extends:``, see
:func:`sosrake_lib.codebook.editions`). :func:`pick_edition` reads the export with each version and keeps the one
that fits best: the fewest codebook items absent from the export plus export columns no item claims. A tie keeps
the earlier version, so an export of the first round is read exactly as before.

Examples
--------
>>> pick_edition("data/raw/sample/2022/competence_2022.xlsx", "competence").version
2
>>> pick_edition("data/raw/sample/competence_2020.xlsx", "competence").version
1
>>> sorted(changed_areas("competence", "1", "2"))  # C_YS3 dropped; C_VT2 reworded with previous_id
['yhteiso']
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from .codebook import Instrument, editions, load_instrument
from .errors import ExportError


def pick_edition(
    path: str | os.PathLike[str], name: str, overlay: str | os.PathLike[str] | None = None
) -> Instrument:
    """The version of codebook ``name`` that fits the export at ``path`` best (see the module docstring).

    A relative ``path`` is resolved against the project root. When no version can read the export, the first
    version's :class:`~sosrake_lib.errors.ExportError` is raised (the same error a plain read gives).
    """
    from .io import read_export
    from .paths import PROJECT_ROOT

    files = editions(name)
    if len(files) == 1:
        return load_instrument(name, overlay=overlay)
    p = Path(path)
    p = p if p.is_absolute() else PROJECT_ROOT / p
    best: tuple[int, Instrument] | None = None
    first_error: ExportError | None = None
    for f in files:
        inst = load_instrument(f, overlay=overlay)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                raw = read_export(p, inst)
        except ExportError as exc:
            first_error = first_error or exc
            continue
        misfit = len(raw.attrs.get("absent_items", [])) + len(raw.attrs.get("ignored_columns", []))
        if best is None or misfit < best[0]:
            best = (misfit, inst)
    if best is None:
        assert first_error is not None
        raise first_error
    return best[1]


__all__ = ["pick_edition"]


def changed_areas(name: str, old: str | int, new: str | int) -> set[str]:
    """The areas whose items differ between two versions of codebook ``name``: dropped and new items, and an
    item whose text changed under the same id. A reworded item that names its earlier one in ``previous_id``
    is the same item (the codebook's explicit mapping), as the follow-up round compares it.

    ``"*"`` stands for an item without an area (a background question): then every figure may have changed.
    Versions the shipped codebooks do not have give ``{"*"}``: nothing is known, so nothing is joined.
    """
    by_version = {str(load_instrument(f).version): load_instrument(f) for f in editions(name)}
    a, b = by_version.get(str(old)), by_version.get(str(new))
    if a is None or b is None:
        return {"*"}
    text_a = {it.id: (it.text_fi, it.area) for it in a.items}
    text_b: dict[str, tuple[str, str | None]] = {}
    for it in b.items:
        if it.previous_id and it.previous_id in text_a and it.area == text_a[it.previous_id][1]:
            # the codebook says this reworded item is the earlier one: the same item, as the follow-up compares
            text_b[it.previous_id] = text_a[it.previous_id]
        else:
            text_b[it.id] = (it.text_fi, it.area)
    changed = {i for i in text_a.keys() | text_b.keys() if text_a.get(i) != text_b.get(i)}
    return {(text_a.get(i) or text_b.get(i) or ("", None))[1] or "*" for i in changed}
