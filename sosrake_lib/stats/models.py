"""Models: proportional-odds (cumulative logit) and binary logistic regression with odds ratios.

:func:`ordinal_logit` (result: :class:`OrdinalResult`) and :func:`logistic_regression` (result:
:class:`LogitResult`, with events per parameter and separation checks).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .inputs import _group_levels, _to_float


# ----------------------------------------------------------------------------------------------- regression
def _design(data: pd.DataFrame, predictors: Sequence[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Numeric predictors as they are; others dummy-coded with the first level (category order or sorted) as
    the reference. Returns the design matrix (no constant) and {predictor: reference level}."""
    columns: dict[str, np.ndarray] = {}
    references: dict[str, Any] = {}
    for p in predictors:
        s = data[p]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            columns[p] = _to_float(s)
            continue
        levels = [lv for lv in _group_levels(s) if (s == lv).any()]
        if len(levels) < 2:
            raise ValueError(f"predictor {p!r} has fewer than two observed levels: {levels}")
        references[p] = levels[0]
        values = s.to_numpy(dtype=object)
        for lv in levels[1:]:
            columns[f"{p}[T.{lv}]"] = (values == lv).astype("float64")
    return pd.DataFrame(columns, index=data.index), references


def _tidy(
    params: pd.Series, bse: pd.Series, pvalues: pd.Series, conf: pd.DataFrame
) -> pd.DataFrame:
    with np.errstate(over="ignore"):
        return _tidy_unguarded(params, bse, pvalues, conf)


def _tidy_unguarded(
    params: pd.Series, bse: pd.Series, pvalues: pd.Series, conf: pd.DataFrame
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": list(params.index),
            "coef": params.to_numpy(dtype=float),
            "se": bse.to_numpy(dtype=float),
            "odds_ratio": np.exp(params.to_numpy(dtype=float)),
            "ci_low": np.exp(conf.iloc[:, 0].to_numpy(dtype=float)),
            "ci_high": np.exp(conf.iloc[:, 1].to_numpy(dtype=float)),
            "p_value": pvalues.to_numpy(dtype=float),
        }
    )


@dataclass(frozen=True)
class OrdinalResult:
    """Proportional-odds model: tidy ``table`` (term, coef, se, odds_ratio, ci_low, ci_high, p_value; the CI
    is for the odds ratio, Wald, on the exp scale), estimated cut-points ``thresholds`` and the likelihood-ratio
    test against the threshold-only model."""

    table: pd.DataFrame
    thresholds: pd.Series
    n: int
    n_dropped: int
    converged: bool
    estimable: bool
    llf: float
    llnull: float
    lr_stat: float
    lr_df: int
    lr_p: float
    outcome_levels: tuple[Any, ...]
    reference_levels: dict[str, Any]
    warning: str = ""
    test: str = "likelihood-ratio test vs threshold-only model"
    model: str = "proportional-odds (cumulative logit) regression"
    effect_size_name: str = "odds ratio"
    options: dict[str, Any] = field(default_factory=dict)


def _empty_table(terms: Sequence[str]) -> pd.DataFrame:
    nan = np.full(len(terms), np.nan)
    return pd.DataFrame(
        {
            "term": list(terms),
            "coef": nan,
            "se": nan,
            "odds_ratio": nan,
            "ci_low": nan,
            "ci_high": nan,
            "p_value": nan,
        }
    )


def ordinal_logit(
    df: pd.DataFrame, outcome: str, predictors: Sequence[str], ci: float = 0.95
) -> OrdinalResult:
    """Proportional-odds ordinal logistic regression of an ordered numeric outcome (e.g. item codes 1-5).

    Fitted with :class:`statsmodels.miscmodels.ordinal_model.OrderedModel` (``distr="logit"``,
    ``method="bfgs"``), the maintained maximum-likelihood implementation in statsmodels. The latent-variable
    parametrisation is y* = x'b + e, so a positive coefficient (odds ratio > 1) means higher outcome
    categories are more likely. Categorical (string, categorical or boolean) predictors are dummy-coded with
    the first level as the reference (``reference_levels``); numeric predictors enter as they are. Rows with a
    missing outcome or predictor are dropped (``n_dropped``). Outcome categories are the observed distinct
    values in numeric order.

    The likelihood-ratio test compares with the threshold-only model, whose maximum log-likelihood is
    sum_k n_k log(n_k / n) (it reproduces the observed marginal distribution exactly), so it does not depend on
    a second numerical fit. Convergence problems do not raise: ``converged`` is False and ``warning`` says why.
    Separation (|coef| > 10 or undefined standard errors) gives ``estimable=False`` and a NaN table.
    The proportional-odds assumption itself is not tested here.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. JRSS B 42, 109-142.
    Agresti, A. (2010). Analysis of Ordinal Categorical Data, 2nd ed., ch. 3.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"g": np.repeat(["A", "B"], 100)})
    >>> latent = (d["g"] == "B") * 1.0 + rng.logistic(size=200)
    >>> d["y"] = np.digitize(latent, [-1.0, 0.0, 1.0]) + 1.0
    >>> r = ordinal_logit(d, "y", ["g"])
    >>> r.table["term"].tolist(), r.reference_levels, r.converged, r.lr_df
    (['g[T.B]'], {'g': 'A'}, True, 1)
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    data = df[[outcome, *predictors]]
    complete = data[data.notna().all(axis=1)]
    n, n_dropped = len(complete), len(data) - len(complete)
    y_num = _to_float(complete[outcome])
    levels = tuple(np.unique(y_num).tolist())
    exog, references = _design(complete, predictors)
    options = {"distr": "logit", "method": "bfgs", "ci": ci, "missing": "listwise"}
    counts = np.array([(y_num == lv).sum() for lv in levels], dtype=float)
    llnull = float(np.sum(counts * np.log(counts / n))) if n else float("nan")
    nan = float("nan")
    fail = dict(
        thresholds=pd.Series(dtype=float),
        n=n,
        n_dropped=n_dropped,
        converged=False,
        estimable=False,
        llf=nan,
        llnull=llnull,
        lr_stat=nan,
        lr_df=exog.shape[1],
        lr_p=nan,
        outcome_levels=levels,
        reference_levels=references,
        options=options,
    )
    if len(levels) < 2:
        return OrdinalResult(
            table=_empty_table(list(exog.columns)),
            warning="the outcome has fewer than two observed categories",
            **fail,
        )
    endog = pd.Series(
        pd.Categorical(y_num, categories=list(levels), ordered=True), index=complete.index
    )
    messages: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = OrderedModel(endog, exog, distr="logit")
            res = model.fit(method="bfgs", disp=False, maxiter=2000, gtol=1e-7)
        messages = sorted({str(w.message).splitlines()[0] for w in caught})
    except (np.linalg.LinAlgError, ValueError, FloatingPointError) as exc:
        return OrdinalResult(
            table=_empty_table(list(exog.columns)), warning=f"model not estimable: {exc}", **fail
        )
    converged = bool(res.mle_retvals.get("converged", False))
    if not converged:
        messages.insert(0, "the optimiser did not converge; estimates are unreliable")
    k = exog.shape[1]
    params, bse, pvalues = res.params.iloc[:k], res.bse.iloc[:k], res.pvalues.iloc[:k]
    if not np.all(np.isfinite(bse)) or np.any(np.abs(params) > 10):
        messages.insert(
            0,
            "model not estimable: extreme coefficients or undefined standard errors, probably "
            "separation (a group entirely in the lowest or highest category)",
        )
        return OrdinalResult(
            table=_empty_table(list(exog.columns)),
            warning="; ".join(messages),
            **{**fail, "converged": converged, "llf": float(res.llf)},
        )
    conf = res.conf_int(alpha=1 - ci).iloc[:k]
    cuts = model.transform_threshold_params(res.params.to_numpy())[1:-1]
    shown = [int(lv) if float(lv).is_integer() else lv for lv in levels]
    names = [f"{a}|{b}" for a, b in zip(shown[:-1], shown[1:], strict=True)]
    lr_stat = 2 * (float(res.llf) - llnull)
    return OrdinalResult(
        table=_tidy(params, bse, pvalues, conf),
        thresholds=pd.Series(cuts, index=names, name="threshold"),
        n=n,
        n_dropped=n_dropped,
        converged=converged,
        estimable=True,
        llf=float(res.llf),
        llnull=llnull,
        lr_stat=lr_stat,
        lr_df=k,
        lr_p=float(_sps.chi2.sf(lr_stat, k)) if k else nan,
        outcome_levels=levels,
        reference_levels=references,
        warning="; ".join(messages),
        options=options,
    )


@dataclass(frozen=True)
class LogitResult:
    """Binary logistic regression: tidy ``table`` (term incl. Intercept, coef, se, odds_ratio, ci_low, ci_high
    [Wald CI of the odds ratio], p_value), sample sizes, events per parameter and a plain-language ``warning``.
    ``estimable`` is False when (quasi-)separation or a failed fit makes the estimates meaningless; the table
    is then NaN."""

    table: pd.DataFrame
    n: int
    n_dropped: int
    n_events: int
    n_parameters: int
    epv: float
    converged: bool
    estimable: bool
    llf: float
    lr_stat: float
    lr_df: int
    lr_p: float
    reference_levels: dict[str, Any]
    warning: str = ""
    test: str = "Wald z per coefficient; likelihood-ratio test vs intercept-only model"
    model: str = "binary logistic regression (maximum likelihood)"
    effect_size_name: str = "odds ratio"
    options: dict[str, Any] = field(default_factory=dict)


def logistic_regression(
    df: pd.DataFrame, outcome: str, predictors: Sequence[str], ci: float = 0.95
) -> LogitResult:
    """Binary logistic regression with odds ratios, events per parameter and separation checks.

    Fitted with :class:`statsmodels.discrete.discrete_model.Logit` (Newton-Raphson), the standard maximum-
    likelihood implementation. The outcome must be 0/1 (or boolean); 1 is the event. Predictors are coded as in
    :func:`ordinal_logit`; rows with missing values are dropped (``n_dropped``).

    * EPV = min(events, non-events) / number of predictor parameters (intercept not counted); below 10 the
      estimates may be biased and the CIs too narrow (Peduzzi et al. 1996), and ``warning`` says so.
    * Separation: when a non-reference level of a categorical predictor has only events or only non-events,
      its maximum-likelihood estimate is infinite (quasi-complete separation; Albert & Anderson 1984). This is
      checked before fitting; statsmodels' perfect-prediction warning, a singular Hessian, non-convergence and
      |coef| > 10 or non-finite SEs are checked after. In all these cases the model is reported as not
      estimable (NaN table, ``estimable=False``) rather than printing meaningless odds ratios; a penalised
      (Firth) fit would be the remedy and is not offered here.

    References
    ----------
    Peduzzi, P. et al. (1996). A simulation study of the number of events per variable in logistic regression
    analysis. J Clin Epidemiol 49, 1373-1379.
    Albert, A., & Anderson, J. A. (1984). On the existence of maximum likelihood estimates in logistic
    regression models. Biometrika 71, 1-10.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20, "y": [1] * 5 + [0] * 15 + [1] * 10 + [0] * 10})
    >>> r = logistic_regression(d, "y", ["g"])
    >>> round(float(r.table.loc[1, "odds_ratio"]), 4), r.n_events, r.epv   # OR = (10/10) / (5/15) = 3
    (3.0, 15, 15.0)
    """
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import PerfectSeparationError, PerfectSeparationWarning

    data = df[[outcome, *predictors]]
    complete = data[data.notna().all(axis=1)]
    n, n_dropped = len(complete), len(data) - len(complete)
    y = _to_float(
        complete[outcome].astype("float64")
        if pd.api.types.is_bool_dtype(complete[outcome])
        else complete[outcome]
    )
    if not np.isin(y, [0.0, 1.0]).all():
        raise ValueError(
            f"outcome {outcome!r} must be coded 0/1 (or boolean); found {sorted(set(y.tolist()))}"
        )
    exog, references = _design(complete, predictors)
    k = exog.shape[1]
    n_events = int(y.sum())
    epv = min(n_events, n - n_events) / k if k else float("nan")
    terms = ["Intercept", *exog.columns]
    options = {"method": "newton", "ci": ci, "missing": "listwise", "event": 1}
    problems: list[str] = []
    if k and epv < 10:
        problems.append(
            f"only {epv:.1f} events per parameter (< 10): estimates may be biased (Peduzzi 1996)"
        )
    separated = [
        c
        for c in exog.columns
        if c in _dummy_columns(references, exog) and len(set(y[exog[c].to_numpy() == 1])) < 2
    ]
    nan = float("nan")
    fail = dict(
        n=n,
        n_dropped=n_dropped,
        n_events=n_events,
        n_parameters=k,
        epv=epv,
        converged=False,
        estimable=False,
        llf=nan,
        lr_stat=nan,
        lr_df=k,
        lr_p=nan,
        reference_levels=references,
        options=options,
    )
    if n_events in (0, n):
        problems.append("the outcome has no variation; model not estimable")
        return LogitResult(table=_empty_table(terms), warning="; ".join(problems), **fail)
    if separated:
        problems.append(
            f"separation: outcome is constant within {', '.join(separated)}; model not estimable"
        )
        return LogitResult(table=_empty_table(terms), warning="; ".join(problems), **fail)
    X = exog.assign(Intercept=1.0)[terms]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = Logit(y, X).fit(method="newton", disp=False, maxiter=100)
    except (PerfectSeparationError, np.linalg.LinAlgError, ValueError) as exc:
        problems.append(f"model not estimable ({type(exc).__name__}: {exc}); possibly separation")
        return LogitResult(table=_empty_table(terms), warning="; ".join(problems), **fail)
    converged = bool(res.mle_retvals.get("converged", False))
    bse = np.asarray(res.bse, dtype=float)
    params = np.asarray(res.params, dtype=float)
    reasons = []
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        reasons.append("perfect prediction detected")
    if not converged:
        reasons.append("the fit did not converge")
    if not np.all(np.isfinite(bse)) or np.any(np.abs(params) > 10):
        reasons.append("extreme coefficients or undefined standard errors")
    if reasons:
        problems.append(f"model not estimable ({'; '.join(reasons)}); probably (quasi-)separation")
        return LogitResult(
            table=_empty_table(terms),
            warning="; ".join(problems),
            **{**fail, "converged": converged},
        )
    names = pd.Index(terms)
    table = _tidy(
        pd.Series(params, index=names),
        pd.Series(bse, index=names),
        pd.Series(np.asarray(res.pvalues, dtype=float), index=names),
        pd.DataFrame(np.asarray(res.conf_int(alpha=1 - ci)), index=names),
    )
    lr_stat = float(res.llr)
    return LogitResult(
        table=table,
        n=n,
        n_dropped=n_dropped,
        n_events=n_events,
        n_parameters=k,
        epv=epv,
        converged=True,
        estimable=True,
        llf=float(res.llf),
        lr_stat=lr_stat,
        lr_df=k,
        lr_p=float(_sps.chi2.sf(lr_stat, k)) if k else nan,
        reference_levels=references,
        warning="; ".join(problems),
        options=options,
    )


def _dummy_columns(references: dict[str, Any], exog: pd.DataFrame) -> set[str]:
    return {c for c in exog.columns for p in references if c.startswith(f"{p}[T.")}
