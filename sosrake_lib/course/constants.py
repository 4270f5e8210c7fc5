"""Texts of the course tables and figures that several submodules share (fi / en)."""

from __future__ import annotations

from ..labels import for_analysis

#: ``{lang: {key: text}}``, from ``texts:`` of ``sosrake_lib/labels_data/course.yaml``.
_TXT: dict[str, dict[str, str]] = {
    lang: {k: v[lang] for k, v in for_analysis("course").texts.items()} for lang in ("fi", "en")
}
