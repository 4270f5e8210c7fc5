"""Test helper: can a hidden answer count be worked out from what a published distribution row shows?

An attacker's view of one published row of a Likert table: the visible answer counts (or percentages of the
row total), the row total, and whatever statistics the row publishes (valid n, mean, SD, top-2 count and %).
:func:`possible_values` enumerates every assignment of the hidden counts (each at least 1: zeros are published)
that adds up to the total and reproduces every published statistic, and returns the values each hidden count
can take. A count with a single possible value has been disclosed.

Brute force on purpose: it does not share any reasoning with the suppression code it checks.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence


def _compositions(total: int, parts: int):
    """Every way to write ``total`` as ``parts`` positive integers (ordered)."""
    if parts == 0:
        if total == 0:
            yield ()
        return
    for cuts in itertools.combinations(range(1, total), parts - 1):
        bounds = (0, *cuts, total)
        yield tuple(bounds[i + 1] - bounds[i] for i in range(parts))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def possible_values(
    counts: Mapping[str, float | None],
    scale: Mapping[str, int],
    n_total: int,
    *,
    pct_of_total: Mapping[str, float | None] | None = None,
    n_valid: float | None = None,
    mean: float | None = None,
    sd: float | None = None,
    top: Sequence[str] = (),
    top_n: float | None = None,
    top_pct: float | None = None,
    limit: int = 200_000,
) -> dict[str, set[int]]:
    """Values each hidden count can take, given the published row.

    ``counts`` maps every answer column (scale answers and "En osaa sanoa"-type columns) to its published
    count, or None/NaN if hidden. ``scale`` maps the scale columns to their codes (others are not in the mean).
    ``pct_of_total`` maps columns to their published share of ``n_total`` in % (None if hidden), for tables that
    publish shares instead of counts; a column whose count is hidden but share visible is recovered from it.
    Statistics given as None/NaN are not published.
    """
    def missing(v: float | None) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    pct_of_total = dict(pct_of_total or {})
    known: dict[str, int] = {}
    hidden: list[str] = []
    for col, v in counts.items():
        if not missing(v):
            known[col] = int(v)
        elif col in pct_of_total and not missing(pct_of_total[col]):
            known[col] = round(pct_of_total[col] * n_total / 100)
        else:
            hidden.append(col)
    rest = n_total - sum(known.values())
    out: dict[str, set[int]] = {c: set() for c in hidden}
    if not hidden:
        return out
    for n, values in enumerate(_compositions(rest, len(hidden))):
        if n > limit:
            raise RuntimeError("too many combinations to check")
        full = {**known, **dict(zip(hidden, values, strict=True))}
        valid = sum(full[c] for c in scale)
        if not missing(n_valid) and valid != int(n_valid):
            continue
        if not missing(top_n) and sum(full[c] for c in top) != int(top_n):
            continue
        if not missing(top_pct) and (valid == 0 or not _close(100 * sum(full[c] for c in top) / valid, top_pct)):
            continue
        if not missing(mean) or not missing(sd):
            if valid == 0:
                continue
            m = sum(full[c] * code for c, code in scale.items()) / valid
            if not missing(mean) and not _close(m, mean):
                continue
            if not missing(sd):
                if valid < 2:
                    continue
                var = sum(full[c] * (code - m) ** 2 for c, code in scale.items()) / (valid - 1)
                if not _close(math.sqrt(var), sd):
                    continue
        for c, v in zip(hidden, values, strict=True):
            out[c].add(v)
    return out


def disclosed(values: Mapping[str, set[int]]) -> list[str]:
    """The hidden columns that can take one value only (worked out from the row)."""
    return [c for c, vs in values.items() if len(vs) <= 1]


def nps_possible_values(n: int, nps: float | None, groups: Mapping[str, float | None]) -> dict[str, set[int]]:
    """Values each hidden promoter/passive/detractor count can take given ``n``, the NPS and the visible counts.

    ``groups`` maps ``promoters``, ``passives``, ``detractors`` to the published count or None/NaN. Hidden
    counts may be zero here (a row that hides all three hides zeros too). The interval is not used: inverting
    it is the residual risk named in :func:`sosrake_lib.outputs.suppress_nps_groups`.
    """
    def missing(v: float | None) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    hidden = [g for g, v in groups.items() if missing(v)]
    out: dict[str, set[int]] = {g: set() for g in hidden}
    for p in range(n + 1):
        for d in range(n + 1 - p):
            full = {"promoters": p, "passives": n - p - d, "detractors": d}
            if any(not missing(v) and full[g] != int(v) for g, v in groups.items()):
                continue
            if not missing(nps) and not _close(100 * (p - d) / n, nps):
                continue
            for g in hidden:
                out[g].add(full[g])
    return out
