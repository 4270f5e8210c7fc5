"""Completion model: logistic regression of completion on register categories and its plain note."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang, fmt_number
from ..sdc.cells import suppress_by_n
from ..sdc.parts import holm_carriers
from ..settings import MIN_N
from ..stats import LogitResult, holm, logistic_regression
from .completion import _category_label, _done
from .constants import _TXT


def completion_model(
    enrol: pd.DataFrame,
    predictors: Sequence[str] = ("group", "campus"),
    inst: Instrument | None = None,
    *,
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
    hidden_levels: Mapping[str, Iterable[Any]] | None = None,
) -> tuple[pd.DataFrame, LogitResult]:
    """Logistic regression of completion on register categories (:func:`~sosrake_lib.stats.logistic_regression`).

    The reference level of each predictor is its first codebook category. ``hidden_levels`` names, per
    predictor, the levels the published completion tables hide (:func:`completion_by`,
    :func:`completion_linked`): an odds ratio against a hidden level, or of a hidden level, with its interval
    would give the hidden counts back approximately (a 2 x 2 table's OR and SE nearly fix its cells), so the
    reference becomes the largest shown level and the terms of hidden levels are suppressed; if no level is
    shown, all of that predictor's terms are. The model is fitted on everyone either way.

    The returned table has one row per term with its readable label, the number of participants in that
    level (``n``), odds ratio, Wald 95 % CI, p and the Holm-adjusted p (``p_holm``): the odds ratios of the
    model are one Holm family (``family``), since together they answer one question, and with two or three
    terms an unadjusted p below 0.05 is easily a chance finding; the family is every term fitted, hidden ones
    included, and a published Holm p that a hidden term's p determines (Holm's step-down maximum) is hidden
    too (:func:`~sosrake_lib.sdc.parts.holm_carriers`). Terms whose level has fewer than ``min_n`` participants are
    suppressed. So is a term (its ``n`` too) where the level or the reference level has 1..min_n-1 completers
    or non-completers: an odds ratio with its interval is nearly the 2 x 2 table behind it (log OR and its
    standard error sqrt(1/a + 1/b + 1/c + 1/d)), so it would give back a completion count that the completion
    tables hide. Read the :class:`~sosrake_lib.stats.LogitResult`'s ``epv`` and ``warning`` (see
    :func:`model_note`): with 63 participants and 35 completers the model carries only a few parameters
    (Peduzzi et al. 1996).


    Examples
    --------
    >>> e = pd.DataFrame({"g": pd.Categorical(["a"] * 20 + ["b"] * 20, categories=["a", "b"]),
    ...                   "completed": ["yes"] * 5 + ["no"] * 15 + ["yes"] * 10 + ["no"] * 10})
    >>> t, res = completion_model(e, ["g"])
    >>> round(float(t.loc[0, "odds_ratio"]), 3), int(t.loc[0, "n"]), res.n_events
    (3.0, 20, 15)
    >>> bool(t.loc[0, "p_holm"] == t.loc[0, "p_value"])  # a family of one term
    True
    >>> t, _ = completion_model(e, ["g"], hidden_levels={"g": ["a"]})  # a hidden: b is the reference
    >>> t[["term", "n"]].astype(object).values.tolist()
    [['g[T.a]', <NA>]]
    """
    data = enrol[list(predictors)].copy()
    data["_done"] = _done(enrol[outcome]).astype("int64")
    hidden = {p: {str(v) for v in vs} for p, vs in (hidden_levels or {}).items()}
    for pred, levels in hidden.items():  # the reference: the largest level the tables show
        values = data[pred].astype("object")
        shown = values[values.notna() & ~values.astype(str).isin(levels)].value_counts(sort=False)
        if len(shown):
            ref = max(shown.index, key=lambda lv: (shown[lv], -list(shown.index).index(lv)))
            order = [ref, *[lv for lv in pd.unique(values.dropna()) if lv != ref]]
            if isinstance(enrol[pred].dtype, pd.CategoricalDtype):
                order = [ref, *[c for c in enrol[pred].cat.categories if c != ref]]
            data[pred] = pd.Categorical(values, categories=order)
    res = logistic_regression(data, "_done", list(predictors))
    rows = []
    small_cells = []

    def has_small_cell(pred: str, level: Any) -> bool:
        done = data["_done"][(enrol[pred].astype("object") == level).to_numpy()]
        return any(0 < c < min_n for c in (int(done.sum()), int(len(done) - done.sum())))

    for _, r in res.table.iterrows():
        term = str(r["term"])
        if term == "Intercept":
            continue
        pred, level = term.split("[T.", 1) if "[T." in term else (term, "")
        level = level.rstrip("]")
        ref = res.reference_levels.get(pred)
        small_cells.append(
            bool(level)
            and (
                has_small_cell(pred, level)
                or has_small_cell(pred, ref)
                or str(level) in hidden.get(pred, ())
                or str(ref) in hidden.get(pred, ())
            )
        )
        item_text = inst.item(pred).text(lang) if inst is not None and pred in inst else pred
        lab = (
            (
                f"{item_text}: {_category_label(inst, pred, level, lang)} ({_TXT[lang]['vs']} "
                f"{_category_label(inst, pred, ref, lang)})"
            )
            if level
            else item_text
        )
        n_level = (
            int((enrol[pred].astype("object") == level).sum())
            if level
            else int(enrol[pred].notna().sum())
        )
        rows.append(
            {
                "term": term,
                "term_label": lab,
                "n": n_level,
                "odds_ratio": r["odds_ratio"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "p_value": r["p_value"],
            }
        )
    table = pd.DataFrame(
        rows, columns=["term", "term_label", "n", "odds_ratio", "ci_low", "ci_high", "p_value"]
    )
    p_full = table["p_value"].to_numpy(dtype=float, na_value=np.nan)
    table["p_holm"] = holm(p_full)  # one family: every odds ratio of the model, hidden ones too
    table["family"] = HOLM_FAMILY_MODEL
    values = ["n", "odds_ratio", "ci_low", "ci_high", "p_value", "p_holm"]
    out = suppress_by_n(table, "n", min_n, secondary=False, value_cols=values[1:])
    hide = np.array(small_cells, dtype=bool) & out["n"].notna().to_numpy()
    if hide.any():
        out = out.astype({c: ("Int64" if c == "n" else "Float64") for c in values})
        out.loc[hide, values] = pd.NA
        out.attrs["suppressed_rows"] = int(out.attrs.get("suppressed_rows", 0)) + int(hide.sum())
        out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) + int(
            hide.sum()
        ) * len(values)
    # a Holm p carried by a hidden term's p (Holm's step-down maximum) would give that p back
    carriers = (
        holm_carriers(p_full, out["p_value"].isna().to_numpy()) & out["p_holm"].notna().to_numpy()
    )
    if carriers.any():
        out["p_holm"] = out["p_holm"].astype("Float64").mask(carriers)
        out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) + int(
            carriers.sum()
        )
    return out, res


#: The Holm family of the completion model (``family`` column): the model's odds ratios answer one
#: question (which register categories go with completing?), so they are adjusted together.
#: Code of the family (its readable text: ``values: family:`` in ``labels_data/course.yaml``).
HOLM_FAMILY_MODEL = "model_odds_ratios"


def model_note(res: LogitResult, lang: Lang = "fi") -> str:
    """A plain-language note on what the sample can carry: events per parameter (EPV) and estimability.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> print(model_note(NS(n=63, n_events=35, n_parameters=3, epv=28 / 3, estimable=True, warning=""), "en"))
    n = 63, 35 completed, 28 did not; 3 parameters: 9.3 events per parameter (EPV; the smaller outcome group divided by the number of parameters). Below 10 the odds ratios may be biased and their intervals too narrow (Peduzzi et al. 1996): read the model as descriptive, not as proof of an effect.
    """
    n_non = res.n - res.n_events
    epv = fmt_number(res.epv, lang, 1)
    if lang == "fi":
        text = (
            f"n = {res.n}, suorittaneita {res.n_events}, ei suorittaneita {n_non}; {res.n_parameters} "
            f"parametria: {epv} tapahtumaa parametria kohden (EPV; pienempi lopputulosryhmä jaettuna "
            f"parametrien määrällä)."
        )
        if res.epv < 10:
            text += (
                " Alle 10:n EPV:llä vetosuhteet voivat olla harhaisia ja luottamusvälit liian kapeita "
                "(Peduzzi ym. 1996): lue malli kuvailevana, ei todisteena vaikutuksesta."
            )
        if not res.estimable:
            text += (
                " Mallia ei voitu estimoida (esim. jokin ryhmä suoritti kokonaan tai ei lainkaan)."
            )
    else:
        text = (
            f"n = {res.n}, {res.n_events} completed, {n_non} did not; {res.n_parameters} parameters: {epv} "
            f"events per parameter (EPV; the smaller outcome group divided by the number of parameters)."
        )
        if res.epv < 10:
            text += (
                " Below 10 the odds ratios may be biased and their intervals too narrow (Peduzzi et al. "
                "1996): read the model as descriptive, not as proof of an effect."
            )
        if not res.estimable:
            text += (
                " The model could not be estimated (e.g. a group completed entirely or not at all)."
            )
    return text
