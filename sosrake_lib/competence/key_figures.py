"""The key figures of the competence mapping (``key_figures.json``) and :func:`parse_note`, which
reads the ``note`` convention back (names and convention: the package docstring)."""

from __future__ import annotations

import pandas as pd

from ..codebook import (
    Instrument,
    load_instrument,  # noqa: F401  (used by the examples)
)
from ..outputs import KeyFigures, source
from .respondents import RateResult
from .scales import ALPHA_THRESHOLD


def parse_note(note: str | None) -> dict[str, str]:
    """Read the ``key=value; key=value`` pairs of a key figure's ``note`` (other remarks are skipped).

    Examples
    --------
    >>> parse_note("area=yhteiso; weak_scale=competence; threshold=0.6")
    {'area': 'yhteiso', 'weak_scale': 'competence', 'threshold': '0.6'}
    >>> parse_note(None)
    {}
    """
    out: dict[str, str] = {}
    for part in (note or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key and " " not in key:
            out[key] = value.strip()
    return out


def _weak_parts(reliability: pd.DataFrame, threshold: float) -> dict[str, list[str]]:
    """Area -> the parts (``competence``, ``importance``, ``attitude``) whose alpha is below ``threshold``."""
    out: dict[str, list[str]] = {}
    for _, row in reliability.iterrows():
        if float(row["alpha"]) < threshold:
            out.setdefault(str(row["area"]), []).append(str(row["role"]))
    return out


def _weak_note(parts: list[str], threshold: float) -> str:
    """``"; weak_scale=competence+importance; threshold=0.6"``, or ``""`` when no part is weak."""
    return f"; weak_scale={'+'.join(parts)}; threshold={threshold:g}" if parts else ""


def build_key_figures(
    *,
    n_respondents: int,
    rate: RateResult | None,
    summary: pd.DataFrame,
    needs: pd.DataFrame,
    reliability: pd.DataFrame,
    inst: Instrument,
    threshold: float = ALPHA_THRESHOLD,
    tests: pd.DataFrame | None = None,
) -> KeyFigures:
    """The key figures of the competence mapping (names and the ``note`` convention: module docstring).

    ``summary`` is :func:`area_summary`, ``needs`` :func:`development_needs` (with bootstrap CIs),
    ``reliability`` :func:`reliability_table`, ``tests`` (optional) :func:`group_tests`: every difference
    significant after Holm becomes ``diff_<grouping>_<area>`` (value = effect size, note with ``area``,
    ``grouping``, ``higher`` group code and ``p_holm``; the Holm family is in ``method``).

    *Weak scales*: an area figure whose scales have an alpha below ``threshold`` (``weak_scale`` of
    ``summary`` / ``needs``, else ``alpha < threshold``) gets ``weak_scale=<parts>; threshold=<t>`` in its note
    (parts: ``competence``, ``importance``, ``+``-joined). The response rate carries no interval: it is
    a count of the whole target group (``census=yes``). Suppression by ``n`` is enforced when the figures are written
    (:meth:`sosrake_lib.outputs.KeyFigures.write`).

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> summ = pd.DataFrame({"role": ["competence"] * 2, "area": ["tiedonkeruu", "raportointi"], "n": [50, 49],
    ...                      "mean": [3.7, 2.5], "ci_low": [3.5, 2.3], "ci_high": [3.9, 2.7]})
    >>> needs = pd.DataFrame({"area": ["raportointi", "tiedonkeruu"], "n": [49, 50], "mwds": [7.2, 2.1],
    ...                       "rank": [1, 2], "mwds_ci_low": [6.7, 1.6], "mwds_ci_high": [7.7, 2.6],
    ...                       "rank_ci_low": [1, 2], "rank_ci_high": [1, 2]})
    >>> rel = pd.DataFrame({"role": ["competence"], "area": ["raportointi"], "n": [49], "alpha": [0.71],
    ...                     "alpha_ci_low": [0.6], "alpha_ci_high": [0.8]})
    >>> kf = build_key_figures(n_respondents=50, rate=None, summary=summ, needs=needs, reliability=rel,
    ...                        inst=inst)
    >>> [f.name for f in kf]
    ['n_respondents', 'response_rate', 'strongest_area', 'weakest_area', 'need_rank_1', 'need_rank_2', 'alpha_raportointi']
    >>> kf["weakest_area"].label_fi, kf["weakest_area"].note, kf["need_rank_1"].value
    ('Sosiaalinen raportointi', 'area=raportointi', 7.2)
    """
    kf = KeyFigures()
    kf.add(
        "n_respondents",
        int(n_respondents),
        "n",
        n=int(n_respondents),
        method="rows kept after cleaning",
        label_fi="Vastaajia",
        label_en="Respondents",
    )
    if rate is None:
        kf.add(
            "response_rate",
            None,
            "%",
            n=int(n_respondents),
            method="target group size not given",
            label_fi="Vastausosuus",
            label_en="Response rate",
            note="target_size=unknown",
        )
    else:
        kf.add(
            "response_rate",
            rate.rate,
            "%",
            n=rate.n,
            method=rate.method,
            label_fi="Vastausosuus",
            label_en="Response rate",
            note=f"target_size={rate.target_size}; census=yes",
        )
    comp = summary[(summary["role"] == "competence") & summary["mean"].notna()]
    comp = comp.sort_values(["mean", "area"], ascending=[False, True], kind="stable")
    method = (
        "highest/lowest mean competence score (mean of the area's items, 1–5); Student t 95 % CI"
    )
    weak = _weak_parts(reliability, threshold)
    for name, row in (("strongest_area", comp.iloc[0]), ("weakest_area", comp.iloc[-1])):
        area = str(row["area"])
        parts = [p for p in weak.get(area, []) if p == "competence"]
        kf.add(
            name,
            float(row["mean"]),
            "score 1–5",
            n=int(row["n"]),
            ci_low=row.get("ci_low"),
            ci_high=row.get("ci_high"),
            method=method,
            label_fi=inst.area_label(area, "fi"),
            label_en=inst.area_label(area, "en"),
            note=f"area={area}" + _weak_note(parts, threshold),
            source=source("area_scores", "mean", role="competence", area=area),
        )
    ranked = needs[needs["mwds"].notna()].sort_values(["rank", "area"], kind="stable").head(3)
    for position, (_, row) in enumerate(ranked.iterrows(), start=1):
        area = str(row["area"])
        note = f"area={area}; rank={int(row['rank'])}"
        if "rank_ci_low" in row.index and not pd.isna(row["rank_ci_low"]):
            note += (
                f"; rank_ci_low={int(row['rank_ci_low'])}; rank_ci_high={int(row['rank_ci_high'])}"
            )
        note += _weak_note(
            [p for p in weak.get(area, []) if p in ("competence", "importance")], threshold
        )
        kf.add(
            f"need_rank_{position}",
            float(row["mwds"]),
            "MWDS",
            n=int(row["n"]),
            ci_low=row.get("mwds_ci_low"),
            ci_high=row.get("mwds_ci_high"),
            method="Borich mean weighted discrepancy score of area means; percentile bootstrap 95 % CI "
            "(respondents resampled jointly, fixed seed)",
            label_fi=inst.area_label(area, "fi"),
            label_en=inst.area_label(area, "en"),
            note=note,
            source=source("development_needs", "mwds", area=area),
        )
    for _, row in reliability[reliability["role"].isin(["competence", "attitude"])].iterrows():
        area = str(row["area"])
        low = bool(row["alpha"] < threshold)
        kf.add(
            f"alpha_{area}",
            float(row["alpha"]),
            "alpha",
            n=int(row["n"]),
            ci_low=row["alpha_ci_low"],
            ci_high=row["alpha_ci_high"],
            method=str(row["method"]) if "method" in row.index else "Cronbach's alpha, pairwise",
            label_fi=inst.area_label(area, "fi"),
            label_en=inst.area_label(area, "en"),
            note=f"area={area}" + (_weak_note([str(row["role"])], threshold) if low else ""),
            source=source("reliability", "alpha", role=str(row["role"]), area=area),
        )
    if tests is not None:
        for _, row in tests[tests["significant"]].iterrows():
            area, grouping = str(row["area"]), str(row["grouping"])
            note = f"area={area}; grouping={grouping}"
            if row.get("higher_group"):
                note += f"; higher={row['higher_group']}"
            note += f"; p_holm={float(row['p_holm']):.2g}"
            kf.add(
                f"diff_{grouping}_{area}",
                float(row["effect_size"]),
                str(row["effect_size_name"]).split(" (")[0],
                n=int(row["n"]),
                method=f"{row['test']}, two-sided; Holm within one family: the rank tests of this "
                f"grouping's areas; effect size {row['effect_size_name']}",
                label_fi=f"{inst.item(grouping).text('fi')}: {inst.area_label(area, 'fi')}",
                label_en=f"{inst.item(grouping).text('en')}: {inst.area_label(area, 'en')}",
                note=note,
                source=source("group_tests", "effect_size", grouping=grouping, area=area),
            )
    return kf
