"""The page specification of every analysis, in one place: :data:`SPECS` (each entry lives with its
chart builders in :mod:`.competence`, :mod:`.interviews`, :mod:`.course`)."""

from __future__ import annotations

from typing import Any

from sosrake_lib.registry import ANALYSES as REGISTRY

from . import competence, course, interviews

ANALYSES = tuple(REGISTRY)  # the analyses that have an infographic: every one in the registry


SPECS: dict[str, dict[str, Any]] = {
    "competence": competence.SPEC,
    "interviews": interviews.SPEC,
    "course": course.SPEC,
}
"""Per-analysis page specification. ``big`` lists key-figure names (or ``(name, decimals)``) in priority
order: the first 3–5 that exist become big numbers. ``charts`` are builders ``Context -> Chart | None``.
``themes`` lists key figures shown as the ranked theme list (text values are translated through the
codebooks' area and theme labels)."""
