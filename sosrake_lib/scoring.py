"""Scoring of survey items: reliability, scale scores, NPS, Borich needs and Likert summaries.

One function, one statistical idea (after pingouin's ``reliability.py``). Every function takes plain pandas
objects and returns either a small named tuple or a tidy :class:`pandas.DataFrame` that can be written to
CSV/Excel as it is.

Data convention (set by the importer): a Likert item column holds float codes (1..5 etc.) with NaN for a
blank answer *and* for a non-substantive answer ("En osaa sanoa" = don't know, "Ei koske minua" = not
applicable). A companion string column ``f"{item}__nsa"`` holds ``"dont_know"`` / ``"not_applicable"`` / NA,
so those answers can be counted (:func:`likert_table`) but never enter a mean.

Error policy: a *call* that cannot make sense (fewer than two items for alpha, an unknown option, a value
outside the scale, a missing column) raises ``ValueError`` / ``KeyError``. *Data* that leave a statistic
undefined (no respondents, no variance) give NaN with a :class:`ScoringWarning`, so a semester's run does not
stop because one small group had too few answers.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"Q1": [1, 2, 3, 4], "Q2": [2, 1, 4, 3]})
>>> round(cronbach_alpha(df).alpha, 4)
0.75
>>> scale_scores(df, {"both": ["Q1", "-Q2"]})["both"].tolist()  # Q2 reversed: 6 - Q2
[2.5, 3.5, 2.5, 3.5]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from .stats.inputs import tie_safe

__all__ = [
    "NSA_LABELS",
    "AlphaResult",
    "NPSResult",
    "ScoringWarning",
    "TopBoxResult",
    "alpha_ci_method",
    "borich_needs",
    "cronbach_alpha",
    "likert_table",
    "nps",
    "nps_by",
    "nps_from_counts",
    "nps_interval",
    "scale_scores",
    "top_box",
]

#: Finnish labels of the non-substantive answer codes held in the ``f"{item}__nsa"`` companion columns.
NSA_LABELS: dict[str, str] = {"dont_know": "En osaa sanoa", "not_applicable": "Ei koske minua"}

NSA_SUFFIX = "__nsa"


class ScoringWarning(UserWarning):
    """A statistic could not be computed from these data and is NaN."""


# --------------------------------------------------------------------------------------------- helpers


def _float_matrix(df: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Columns as a float64 array (NaN for missing), with a clear error for a missing or text column."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"column(s) not in the data: {missing}")
    for c in columns:
        dtype = df[c].dtype
        if not pd.api.types.is_numeric_dtype(dtype):  # bool counts as numeric (0/1 items)
            raise ValueError(
                f"column {c!r} is not numeric (dtype {dtype}); expected item codes as numbers"
            )
    if not columns:
        return np.empty((len(df), 0), dtype=float)
    return df[list(columns)].to_numpy(dtype=float, na_value=np.nan)


def _wilson(count: int, n: int, ci: float) -> tuple[float, float]:
    """Wilson score interval of a proportion, in percent (0..100); NaN when ``n == 0``.

    statsmodels' :func:`~statsmodels.stats.proportion.proportion_confint` is used rather than hand-written
    maths (a private helper so that this module does not depend on ``sosrake_lib.stats``).
    """
    if n == 0:
        return (math.nan, math.nan)
    low, high = proportion_confint(count, n, alpha=1 - ci, method="wilson")
    return (100 * float(low), 100 * float(high))


def _check_ci(ci: float) -> None:
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1 (e.g. 0.95), got {ci!r}")


# --------------------------------------------------------------------------------------- Cronbach alpha


class AlphaResult(NamedTuple):
    """Cronbach's alpha with its confidence interval (``ci_method``: ``"feldt"`` or ``"bca"``)."""

    alpha: float
    ci_low: float
    ci_high: float
    n_respondents: int
    n_items: int
    ci_method: str = "feldt"


def alpha_ci_method(items: pd.DataFrame) -> str:
    """Which interval of Cronbach's alpha these answers call for: ``"bca"`` or ``"feldt"``.

    The rule: the bootstrap BCa interval when *any answer is missing* among the respondents who answered
    the block (a row with at least one answer and at least one gap). Alpha is then computed from pairwise
    covariances, each over its own respondents, and Feldt's F distribution, which takes one ``n`` of complete
    answers, no longer describes it: in ``benchmarks/alpha_coverage.py`` (README, "Reliability intervals")
    the nominal 95 % Feldt interval covered 92 % with 10 % of the answers missing, BCa 94 %. Otherwise
    ``"feldt"``: with complete answers Feldt covered 94-95 % and is what ``psych::alpha`` reports. Answers
    piled at the top of the scale (40 % in the top option) are *not* a reason to switch: both intervals
    covered about 93-94 % there and BCa was not the better one.

    Examples
    --------
    >>> alpha_ci_method(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3]}))
    'feldt'
    >>> alpha_ci_method(pd.DataFrame({"a": [1, 2, None, 4], "b": [2, 1, 4, 3]}))  # one gap
    'bca'
    >>> alpha_ci_method(pd.DataFrame({"a": [1, None, 3, 4], "b": [2, None, 4, 3]}))  # a skipped block
    'feldt'
    """
    answered = ~np.isnan(_float_matrix(items, list(items.columns)))
    return "bca" if (~answered[answered.any(axis=1)]).any() else "feldt"


def _pairwise_alpha(x: np.ndarray) -> np.ndarray:
    """Cronbach's alpha from pairwise-complete covariances over the last two axes ``(..., n, k)``.

    The batched form of the point estimate of :func:`cronbach_alpha` (pandas' pairwise ``cov``): every
    covariance uses the rows that answered both items, centred on those rows' means (ddof = 1).
    """
    m = ~np.isnan(x)
    x0 = np.where(m, x, 0.0)
    k = x.shape[-1]
    cov = np.empty(x.shape[:-2] + (k, k))
    with np.errstate(invalid="ignore", divide="ignore"):
        for i in range(k):
            for j in range(i, k):
                w = m[..., i] & m[..., j]
                nij = w.sum(axis=-1)
                xi, xj = np.where(w, x0[..., i], 0.0), np.where(w, x0[..., j], 0.0)
                di = np.where(w, xi - (xi.sum(axis=-1) / nij)[..., None], 0.0)
                dj = np.where(w, xj - (xj.sum(axis=-1) / nij)[..., None], 0.0)
                cov[..., i, j] = cov[..., j, i] = (di * dj).sum(axis=-1) / (nij - 1)
        total = cov.sum(axis=(-2, -1))
        return k / (k - 1) * (1 - np.trace(cov, axis1=-2, axis2=-1) / total)


def _alpha_bca(x: np.ndarray, ci: float, n_resamples: int, seed: int) -> tuple[float, float]:
    """BCa bootstrap interval of pairwise alpha, respondents (rows) resampled: scipy.stats.bootstrap."""
    x = x[(~np.isnan(x)).any(axis=1)]  # a row without answers adds nothing to any covariance

    def statistic(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        return _pairwise_alpha(x[np.asarray(idx, dtype=np.intp)])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample with an undefined alpha
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)  # e.g. every resample alike
        res = stats.bootstrap(
            (np.arange(len(x)),),
            statistic,
            n_resamples=n_resamples,
            vectorized=True,
            confidence_level=ci,
            method="BCa",
            rng=np.random.default_rng(seed),
        )
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def cronbach_alpha(
    items: pd.DataFrame,
    ci: float = 0.95,
    nan_policy: str = "pairwise",
    *,
    ci_method: str = "feldt",
    n_resamples: int = 2000,
    seed: int = 0,
) -> AlphaResult:
    r"""Cronbach's (1951) coefficient alpha of a set of items, with Feldt's or a bootstrap BCa interval.

    .. math::

        \alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}{\sum_{ij} C_{ij}}\right)

    where :math:`C` is the :math:`k \times k` item covariance matrix. This is ``raw_alpha`` of R's
    ``psych::alpha`` (Revelle), which by default builds :math:`C` with ``cov(x, use = "pairwise")``.
    pandas' :meth:`DataFrame.cov` computes exactly that pairwise-complete covariance (ddof = 1), so it is used
    instead of hand-written code.

    Parameters
    ----------
    items : DataFrame
        One numeric column per item (reverse-coded items already reversed), one row per respondent.
        NaN = no substantive answer.
    ci : float
        Confidence level of the interval (0.95 = 95 %).
    nan_policy : {"pairwise", "listwise", "raise"}
        ``"pairwise"`` (default, like psych): every covariance uses the respondents who answered both items.
        ``"listwise"``: drop every respondent with any missing item first.
        ``"raise"``: raise ``ValueError`` if any value is missing.
    ci_method : {"feldt", "bca"}
        ``"feldt"`` (default): Feldt's F interval (below). ``"bca"``: bias-corrected and accelerated
        bootstrap interval (Efron 1987) of the same alpha, respondents (rows) resampled with
        :func:`scipy.stats.bootstrap` (``method="BCa"``, vectorised), for missing answers, where Feldt's
        single-``n`` F distribution does not fit pairwise alpha; :func:`alpha_ci_method` says which one the
        data call for.
    n_resamples : int
        Bootstrap resamples for ``"bca"`` (2000 take ~0.1 s for 120 respondents x 3 items).
    seed : int
        Seed of the bootstrap (:func:`numpy.random.default_rng`): the same data give the same interval.

    Returns
    -------
    AlphaResult
        ``alpha``, ``ci_low``, ``ci_high``, ``n_respondents`` (rows with at least two answered items for
        pairwise; complete rows for listwise) and ``n_items`` (items actually used, see Notes).

    Raises
    ------
    ValueError
        Fewer than two item columns, a non-numeric column, an unknown ``nan_policy``, or missing values
        with ``nan_policy="raise"``.

    Warns
    -----
    ScoringWarning
        When alpha is undefined for these data (fewer than two usable respondents, fewer than two items with
        variance, or two items never answered by the same respondent); the result is then NaN. Also when an
        item without variance is dropped (as psych does).

    Notes
    -----
    *Zero-variance items* are dropped with a warning, as ``psych::alpha`` does (``delete = TRUE``), and
    ``n_items`` counts the items that remain.

    *Confidence interval*: Feldt (1965; Feldt, Woodruff & Salih 1987) as psych's ``alpha.ci`` computes it:

    .. math::

        [\,1 - (1-\alpha) F_{0.975}(n-1, (n-1)(k-1)),\; 1 - (1-\alpha) F_{0.025}(n-1, (n-1)(k-1))\,]

    (for 95 %), with quantiles from :data:`scipy.stats.f`. psych takes ``n`` as *every row of the data frame
    it is given* (``nsub <- dim(x)[1]``), even rows that are entirely missing, and even after
    ``use = "complete.obs"``. Here ``n = n_respondents`` instead, so rows of people who skipped the whole
    block do not narrow the interval. The two agree whenever every row has at least two answers (pairwise),
    or when psych is run on the complete cases (listwise).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika 16, 297-334.
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability coefficient
    twenty. Psychometrika 30, 357-370.
    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for coefficient alpha.
    Applied Psychological Measurement 11, 93-103.
    Efron, B. (1987). Better bootstrap confidence intervals. JASA 82, 171-185.
    Padilla, M. A., Divers, J., & Newton, M. (2012). Coefficient alpha bootstrap confidence interval under
    nonnormality. Applied Psychological Measurement 36, 331-348.
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality Research (``alpha``,
    ``alpha.ci``). CRAN.

    Examples
    --------
    Two items that covary (var = 5/3 each, cov = 1): alpha = 2 (1 - (10/3) / (16/3)) = 0.75.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"Q1": [1, 2, 3, 4], "Q2": [2, 1, 4, 3]})
    >>> res = cronbach_alpha(df)
    >>> round(res.alpha, 4), res.n_respondents, res.n_items
    (0.75, 4, 2)
    >>> res.ci_low < res.alpha < res.ci_high
    True

    The bootstrap interval of the same alpha (respondents resampled, seeded):

    >>> df = pd.DataFrame({"Q1": [1, 2, 3, 4, 5, 2, 4, 3], "Q2": [2, 1, 4, 3, 5, 2, 5, 3],
    ...                    "Q3": [1, 2, 4, 4, 4, None, 4, 2]})
    >>> b = cronbach_alpha(df, ci_method="bca", seed=1)
    >>> b.ci_method, b.ci_low < b.alpha < b.ci_high, b == cronbach_alpha(df, ci_method="bca", seed=1)
    ('bca', True, True)
    """
    _check_ci(ci)
    if ci_method not in ("feldt", "bca"):
        raise ValueError(f"ci_method must be 'feldt' or 'bca', got {ci_method!r}")
    if nan_policy not in ("pairwise", "listwise", "raise"):
        raise ValueError(
            f"nan_policy must be 'pairwise', 'listwise' or 'raise', got {nan_policy!r}"
        )
    if not isinstance(items, pd.DataFrame):
        raise ValueError("items must be a pandas DataFrame with one column per item")
    if items.shape[1] < 2:
        raise ValueError(f"Cronbach's alpha needs at least two items, got {items.shape[1]}")
    x = pd.DataFrame(_float_matrix(items, list(items.columns)), columns=list(items.columns))
    if nan_policy == "raise" and x.isna().to_numpy().any():
        raise ValueError("items contain missing values; use nan_policy='pairwise' or 'listwise'")
    if nan_policy == "listwise":
        x = x.dropna(axis=0, how="any")
        n = len(x)
    else:
        n = int((x.notna().sum(axis=1) >= 2).sum())

    def undefined(reason: str, k: int) -> AlphaResult:
        warnings.warn(
            f"Cronbach's alpha is undefined: {reason}; returning NaN", ScoringWarning, stacklevel=3
        )
        return AlphaResult(math.nan, math.nan, math.nan, n, k, ci_method)

    if n < 2:
        return undefined(f"only {n} respondent(s) answered at least two items", x.shape[1])

    variances = x.var(axis=0, ddof=1)
    no_var = [str(c) for c in x.columns if not variances[c] > 0]
    if no_var:
        warnings.warn(
            f"item(s) {no_var} had no variance (or fewer than two answers) and were dropped, as psych::alpha does",
            ScoringWarning,
            stacklevel=2,
        )
        x = x.drop(columns=no_var)
    k = x.shape[1]
    if k < 2:
        return undefined(f"fewer than two items with variance ({k})", k)

    cov = x.cov(ddof=1).to_numpy()  # pairwise-complete, as R's cov(x, use = "pairwise")
    if np.isnan(cov).any():
        return undefined("some pair of items was never answered by the same respondent", k)
    total = cov.sum()
    if total <= 0:
        return undefined("the variance of the total score is not positive", k)
    alpha = k / (k - 1) * (1 - np.trace(cov) / total)

    if ci_method == "bca":
        low, high = _alpha_bca(x.to_numpy(dtype=float), ci, n_resamples, seed)
        return AlphaResult(float(alpha), low, high, n, k, "bca")
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - ci) / 2
    ci_low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    ci_high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return AlphaResult(float(alpha), float(ci_low), float(ci_high), n, k)


# ------------------------------------------------------------------------------------------ scale scores


def scale_scores(
    df: pd.DataFrame,
    scales: Mapping[str, Sequence[str]],
    scale_min: float = 1,
    scale_max: float = 5,
    min_valid: float = 0.5,
) -> pd.DataFrame:
    """Mean item score per respondent for each scale, with reverse-coding and a minimum-answers rule.

    Parameters
    ----------
    df : DataFrame
        Numeric item columns (NaN = no substantive answer).
    scales : mapping of str to sequence of str
        Scale name -> item columns. An item written ``"-Q7"`` is reverse-coded as
        ``scale_min + scale_max - Q7`` (psych's ``keys`` convention).
    scale_min, scale_max : float
        The response scale, e.g. 1 and 5. Any answer outside it raises ``ValueError``.
    min_valid : float
        Share of a scale's items a respondent must have answered (0..1). With fewer than
        ``min_valid * n_items`` valid answers the score is NaN rather than a guess from one or two items.
        A respondent with no valid answer always gets NaN.

    Returns
    -------
    DataFrame
        One float column per scale, same index as ``df``.

    Raises
    ------
    KeyError
        An item column is missing.
    ValueError
        A value outside ``[scale_min, scale_max]`` (the message names the column and the value), a
        non-numeric column, an empty scale or ``min_valid`` outside 0..1.

    Notes
    -----
    Vectorised with NumPy: one float matrix per scale, no Python loop over respondents (1 000 000 rows x 15
    items score in well under a second). This is the "prorated mean" rule common in questionnaire scoring
    (e.g. psych's ``scoreItems`` with ``impute = "none"`` reports the mean of the answered items).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"Q1": [5, 4, np.nan], "Q2": [4, np.nan, np.nan], "Q3": [1, 2, 5]})
    >>> scale_scores(df, {"S": ["Q1", "Q2", "-Q3"]}).round(3)  # row 2: 1 of 3 answered < 0.5 x 3
           S
    0  4.667
    1  4.000
    2    NaN
    """
    if not 0 <= min_valid <= 1:
        raise ValueError(f"min_valid must be between 0 and 1, got {min_valid!r}")
    if scale_min >= scale_max:
        raise ValueError(f"scale_min ({scale_min}) must be below scale_max ({scale_max})")
    out: dict[str, np.ndarray] = {}
    for name, spec in scales.items():
        if isinstance(spec, str) or len(spec) == 0:
            raise ValueError(f"scale {name!r} must list at least one item column, got {spec!r}")
        reverse = np.array([item.startswith("-") for item in spec])
        cols = [item[1:] if item.startswith("-") else item for item in spec]
        x = _float_matrix(df, cols)
        bad = (x < scale_min) | (x > scale_max)  # NaN compares False
        if bad.any():
            row, j = np.argwhere(bad)[0]
            raise ValueError(
                f"column {cols[j]!r} has value {x[row, j]:g} (row {df.index[row]!r}) outside the scale "
                f"{scale_min:g}..{scale_max:g} of scale {name!r}"
            )
        if (
            reverse.any()
        ):  # not in place: with copy-on-write, to_numpy() may be a read-only view of df
            x = np.where(reverse, scale_min + scale_max - x, x)
        valid = ~np.isnan(x)
        count = valid.sum(axis=1)
        total = np.where(valid, x, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
        mean[(count == 0) | (count < min_valid * len(cols))] = np.nan
        out[name] = mean
    return pd.DataFrame(out, index=df.index)


# ------------------------------------------------------------------------------------------------- NPS

#: Pseudo-observations (detractors, passives, promoters) of Rocks' (2016) adjusted Wald interval.
_NPS_PSEUDO = (0.75, 1.5, 0.75)


class NPSResult(NamedTuple):
    """Net Promoter Score (-100..100) with its confidence interval and the counts behind it."""

    nps: float
    ci_low: float
    ci_high: float
    promoters: int
    passives: int
    detractors: int
    n: int
    method: str


def nps_interval(
    promoters: Any, passives: Any, detractors: Any, ci: float = 0.95, method: str = "adjusted_wald"
) -> tuple[np.ndarray, np.ndarray]:
    """The NPS interval (percent) of :func:`nps` for arrays of group counts at once: ``(low, high)``.

    The disclosure audit (:func:`sosrake_lib.disclosure.nps_possible_values`) tries every split of a row's
    people; this computes all of their intervals in one pass. Rows with no people give NaN.

    Examples
    --------
    >>> low, high = nps_interval([5, 9], [2, 1], [3, 0])
    >>> np.round(low, 1).tolist(), np.round(high, 1).tolist()
    ([-30.3, 38.1], [61.1, 100.0])
    """
    pro = np.asarray(promoters, dtype="float64")
    pas = np.asarray(passives, dtype="float64")
    det = np.asarray(detractors, dtype="float64")
    n = pro + pas + det
    if method == "adjusted_wald":
        d_det, d_pas, d_pro = _NPS_PSEUDO
        det_a, pro_a, n_a = det + d_det, pro + d_pro, n + d_det + d_pas + d_pro
    else:  # "wald"
        det_a, pro_a, n_a = det, pro, n
    with np.errstate(invalid="ignore", divide="ignore"):
        p_pro, p_det = pro_a / n_a, det_a / n_a
        centre = p_pro - p_det
        var = p_pro + p_det - centre**2  # variance of one respondent's -1/0/+1 score (multinomial)
        half = float(stats.norm.ppf(1 - (1 - ci) / 2)) * np.sqrt(var / n_a)
    low = np.where(n > 0, np.maximum(-100.0, 100 * (centre - half)), np.nan)
    high = np.where(n > 0, np.minimum(100.0, 100 * (centre + half)), np.nan)
    return low, high


def _nps_from_counts(pro: int, pas: int, det: int, ci: float, method: str) -> NPSResult:
    n = pro + pas + det
    if n == 0:
        return NPSResult(math.nan, math.nan, math.nan, 0, 0, 0, 0, method)
    low, high = nps_interval(pro, pas, det, ci, method)
    return NPSResult(100 * (pro - det) / n, float(low), float(high), pro, pas, det, n, method)


def nps_from_counts(
    promoters: int, passives: int, detractors: int, ci: float = 0.95, method: str = "adjusted_wald"
) -> NPSResult:
    """:func:`nps` from the three group counts (what a published row would have to be to give its NPS and CI).

    Examples
    --------
    >>> r = nps_from_counts(5, 2, 3)
    >>> r.nps, r.n, round(r.ci_low, 1), round(r.ci_high, 1)
    (20.0, 10, -30.3, 61.1)
    """
    _check_ci(ci)
    if method not in ("adjusted_wald", "wald"):
        raise ValueError(f"method must be 'adjusted_wald' or 'wald', got {method!r}")
    return _nps_from_counts(int(promoters), int(passives), int(detractors), ci, method)


def nps(
    scores: Sequence[float] | pd.Series | np.ndarray,
    ci: float = 0.95,
    method: str = "adjusted_wald",
) -> NPSResult:
    """Net Promoter Score of 0..10 recommendation answers, with a confidence interval.

    NPS = 100 x (share answering 9-10 - share answering 0-6); 7-8 are passives (Reichheld 2003; THL's
    client-feedback model uses the same question).

    Parameters
    ----------
    scores : array-like
        Integer answers 0..10; NaN/NA (no answer) is dropped. Anything else raises ``ValueError``.
    ci : float
        Confidence level.
    method : {"adjusted_wald", "wald"}
        ``"adjusted_wald"`` (default), recommended by Rocks (2016): add 0.75 detractors, 1.5 passives and
        0.75 promoters (3 pseudo-observations, as in his R package ``NPS``, ``nps_test(test =
        "adjusted.wald")``), then use the Wald interval around the *adjusted* NPS with variance
        ``(p_pro + p_det - (p_pro - p_det)**2) / (n + 3)``. ``"wald"``: the same without pseudo-observations.
        Both are clipped to [-100, 100]. The chosen name is returned in ``method``.

    Returns
    -------
    NPSResult
        ``nps`` (from the raw counts), ``ci_low``, ``ci_high``, ``promoters``, ``passives``, ``detractors``
        (counts), ``n`` and ``method``. With no answers all numbers are NaN and ``n == 0``.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician 70(4),
    365-372 (arXiv:1601.07235).
    Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12), 46-54.

    Examples
    --------
    5 promoters, 2 passives, 3 detractors: NPS = 100 (5 - 3) / 10 = 20.

    >>> r = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
    >>> r.nps, r.promoters, r.passives, r.detractors, r.n, r.method
    (20.0, 5, 2, 3, 10, 'adjusted_wald')
    >>> round(r.ci_low, 1), round(r.ci_high, 1)
    (-30.3, 61.1)
    """
    _check_ci(ci)
    if method not in ("adjusted_wald", "wald"):
        raise ValueError(f"method must be 'adjusted_wald' or 'wald', got {method!r}")
    s = pd.Series(scores) if not isinstance(scores, pd.Series) else scores
    if len(s) and not (
        pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)
    ):
        if s.isna().all():
            s = pd.Series(np.full(len(s), np.nan))
        else:
            raise ValueError(f"NPS scores must be numbers 0..10, got dtype {s.dtype}")
    x = s.to_numpy(dtype=float, na_value=np.nan)
    x = x[~np.isnan(x)]
    bad = (x != np.round(x)) | (x < 0) | (x > 10)
    if bad.any():
        raise ValueError(f"NPS scores must be whole numbers 0..10, got {x[bad][0]:g}")
    pro = int((x >= 9).sum())
    det = int((x <= 6).sum())
    return _nps_from_counts(pro, len(x) - pro - det, det, ci, method)


def nps_by(
    df: pd.DataFrame,
    score_col: str,
    by: str | Sequence[str],
    ci: float = 0.95,
    method: str = "adjusted_wald",
) -> pd.DataFrame:
    """:func:`nps` per group.

    Parameters
    ----------
    df : DataFrame
    score_col : str
        Column of 0..10 answers.
    by : str or list of str
        Grouping column(s). Rows whose group is missing are left out (pandas' ``dropna=True``); only
        groups present in the data are listed (``observed=True``).
    ci, method
        As in :func:`nps`.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``n``, ``nps``, ``ci_low``, ``ci_high``, ``promoters``,
        ``passives``, ``detractors``, ``pct_promoters``, ``pct_passives``, ``pct_detractors`` (0..100) and
        ``method``. Pass it through ``suppress_small_cells`` before publishing.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"unit": ["A", "A", "A", "B", "B"], "ltr": [10, 9, 5, 7, None]})
    >>> nps_by(df, "ltr", "unit")[["unit", "n", "nps", "pct_promoters"]]
      unit  n        nps  pct_promoters
    0    A  3  33.333333      66.666667
    1    B  1   0.000000       0.000000
    """
    keys = [by] if isinstance(by, str) else list(by)
    for col in [score_col, *keys]:
        if col not in df.columns:
            raise KeyError(f"column {col!r} not in the data")
    rows = []
    for group, part in df.groupby(keys, observed=True, sort=True, dropna=True):
        res = nps(part[score_col], ci=ci, method=method)
        values = group if isinstance(group, tuple) else (group,)
        rows.append({**dict(zip(keys, values, strict=True)), **_nps_row(res)})
    columns = [
        *keys,
        "n",
        "nps",
        "ci_low",
        "ci_high",
        "promoters",
        "passives",
        "detractors",
        "pct_promoters",
        "pct_passives",
        "pct_detractors",
        "method",
    ]
    return pd.DataFrame(rows, columns=columns)


def _nps_row(res: NPSResult) -> dict[str, object]:
    pct = (lambda c: 100 * c / res.n) if res.n else (lambda c: math.nan)
    return {
        "n": res.n,
        "nps": res.nps,
        "ci_low": res.ci_low,
        "ci_high": res.ci_high,
        "promoters": res.promoters,
        "passives": res.passives,
        "detractors": res.detractors,
        "pct_promoters": pct(res.promoters),
        "pct_passives": pct(res.passives),
        "pct_detractors": pct(res.detractors),
        "method": res.method,
    }


# ------------------------------------------------------------------------------------------------ Borich


def borich_needs(
    df: pd.DataFrame,
    pairs: Mapping[str, tuple[str, str]],
    *,
    n_boot: int = 0,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Borich (1980) needs assessment: mean weighted discrepancy score (MWDS) and training-need ranks.

    For item *j*, over the respondents who answered both importance *I* and own competence *C*:

    .. math::

        \\mathrm{MWDS}_j = \\overline{(I - C)}_j \\cdot \\bar I_j
                         = \\frac{1}{n_j}\\sum_i (I_{ij} - C_{ij})\\,\\bar I_j

    The larger the MWDS, the larger the training need; rank 1 = largest need (ties share the smallest rank,
    pandas' ``method="min"``).

    Parameters
    ----------
    df : DataFrame
        One row per respondent with numeric importance and competence columns.
    pairs : mapping of str to (str, str)
        Item (or competence area) name -> ``(importance_col, competence_col)``.
    n_boot : int
        Number of bootstrap replicates (0 = no intervals). Respondents are resampled *jointly* across items
        (one ``n_boot x n`` index matrix drawn once with NumPy), so the ranks within a replicate are
        comparable; everything is vectorised.
    ci : float
        Level of the percentile bootstrap intervals.
    seed : int
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same intervals.

    Returns
    -------
    DataFrame
        Columns ``item``, ``n``, ``importance_mean``, ``competence_mean``, ``discrepancy_mean``, ``mwds``,
        ``rank`` and, with ``n_boot > 0``, ``mwds_ci_low``, ``mwds_ci_high``, ``rank_ci_low``,
        ``rank_ci_high``; sorted by rank (an item nobody answered has NaN and comes last).

    Notes
    -----
    *Competence areas*: compute each area's importance and competence as the respondent's mean of the
    area's items with :func:`scale_scores`, join them to the data and pass the area columns as pairs (see
    the example). The area MWDS is then the Borich score of the area means.

    *Bootstrap*: in a replicate where an item has no valid pair its MWDS is NaN and it is ranked last;
    the MWDS interval ignores such replicates. Rank intervals use the lower/upper order statistics so that
    they are whole ranks.

    References
    ----------
    Borich, G. D. (1980). A needs assessment model for conducting follow-up studies. Journal of Teacher
    Education 31(3), 39-42.
    Narine, L., & Harder, A. (2021). Comparing the Borich model with the Ranked Discrepancy Model for
    competency assessment: a novel approach. Advancements in Agricultural Development 2(3), 96-111.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"imp_a": [5, 4, 5, 4], "com_a": [2, 3, 2, 3],
    ...                    "imp_b": [3, 3, 4, 2], "com_b": [3, 2, 4, 3]})
    >>> res = borich_needs(df, {"a": ("imp_a", "com_a"), "b": ("imp_b", "com_b")})
    >>> res[["item", "n", "discrepancy_mean", "mwds", "rank"]]
      item  n  discrepancy_mean  mwds  rank
    0    a  4               2.0   9.0     1
    1    b  4               0.0   0.0     2

    Area level: area means from :func:`scale_scores`, then the same call.

    >>> areas = scale_scores(df, {"imp_area": ["imp_a", "imp_b"], "com_area": ["com_a", "com_b"]})
    >>> borich_needs(areas, {"area": ("imp_area", "com_area")})["mwds"].round(4).tolist()
    [3.75]
    """
    _check_ci(ci)
    if n_boot < 0:
        raise ValueError(f"n_boot must be >= 0, got {n_boot}")
    names = list(pairs)
    if not names:
        raise ValueError(
            "pairs is empty: give at least one item -> (importance_col, competence_col)"
        )
    n_rows = len(df)
    imp = np.empty((n_rows, len(names)))
    com = np.empty((n_rows, len(names)))
    for j, name in enumerate(names):
        pair = pairs[name]
        if len(pair) != 2:
            raise ValueError(
                f"pairs[{name!r}] must be (importance_col, competence_col), got {pair!r}"
            )
        both = _float_matrix(df, [pair[0], pair[1]])
        imp[:, j], com[:, j] = both[:, 0], both[:, 1]
    valid = ~(np.isnan(imp) | np.isnan(com))
    imp0 = np.where(valid, imp, 0.0)
    gap0 = np.where(valid, imp - com, 0.0)

    def mwds_of(count: np.ndarray, sum_imp: np.ndarray, sum_gap: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return (sum_gap / count) * (sum_imp / count)

    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        imp_mean = imp0.sum(axis=0) / count
        com_mean = np.where(valid, com, 0.0).sum(axis=0) / count
        gap_mean = gap0.sum(axis=0) / count
    mwds = mwds_of(count, imp0.sum(axis=0), gap0.sum(axis=0))
    out = pd.DataFrame(
        {
            "item": names,
            "n": count.astype(int),
            "importance_mean": imp_mean,
            "competence_mean": com_mean,
            "discrepancy_mean": gap_mean,
            "mwds": mwds,
        }
    )
    # equal needs on paper share a rank: products of means differ from each other only by float noise
    out["rank"] = (
        pd.Series(tie_safe(mwds)).rank(ascending=False, method="min").astype("Int64").to_numpy()
    )

    if n_boot > 0:
        rng = np.random.default_rng(seed)
        boot = np.empty((n_boot, len(names)))
        k = len(names)
        # Replicates are drawn in chunks (the same random stream as one (n_boot, n_rows) draw) so memory stays
        # bounded. Item codes are whole numbers, so each replicate's sums are computed as (times each row was
        # drawn) @ data with one matrix product: sums of whole numbers below 2**53 are exact in float64 in any
        # order, so the result is identical to summing the resampled rows, ~5 x faster (benchmarks/README.md).
        # Other data keep the row-by-row sums.
        data = np.hstack([valid.astype(float), imp0, gap0])
        whole = bool(np.all(data == np.round(data))) and float(np.abs(data).sum()) < 2.0**52
        chunk = max(
            1, min(n_boot, 2**20 // max(n_rows, 1))
        )  # a chunk of counts stays in the CPU cache
        for start in range(0, n_boot, chunk):
            b = min(chunk, n_boot - start)
            idx = rng.integers(0, n_rows, size=(b, n_rows)) if n_rows else np.zeros((b, 0), int)
            if whole:
                flat = (np.arange(b)[:, None] * n_rows + idx).ravel()
                times = np.bincount(flat, minlength=b * n_rows).reshape(b, n_rows).astype(float)
                sums = times @ data
                boot[start : start + b] = mwds_of(sums[:, :k], sums[:, k : 2 * k], sums[:, 2 * k :])
            else:
                for j in range(k):
                    boot[start : start + b, j] = mwds_of(
                        valid[idx, j].sum(axis=1),
                        imp0[idx, j].sum(axis=1),
                        gap0[idx, j].sum(axis=1),
                    )
        ranks = stats.rankdata(
            np.where(np.isnan(boot), np.inf, -tie_safe(boot)), method="min", axis=1
        )
        tail = 100 * (1 - ci) / 2
        has = ~np.isnan(boot).all(axis=0)
        low = np.full(len(names), np.nan)
        high = np.full(len(names), np.nan)
        if has.any():
            with warnings.catch_warnings():
                warnings.simplefilter(
                    "ignore", RuntimeWarning
                )  # all-NaN columns of an unanswered item
                low[has] = np.nanpercentile(boot[:, has], tail, axis=0)
                high[has] = np.nanpercentile(boot[:, has], 100 - tail, axis=0)
        out["mwds_ci_low"] = low
        out["mwds_ci_high"] = high
        rank_low = np.percentile(ranks, tail, axis=0, method="lower")
        rank_high = np.percentile(ranks, 100 - tail, axis=0, method="higher")
        out["rank_ci_low"] = pd.array(np.where(has, rank_low, np.nan), dtype="Float64").astype(
            "Int64"
        )
        out["rank_ci_high"] = pd.array(np.where(has, rank_high, np.nan), dtype="Float64").astype(
            "Int64"
        )

    return out.sort_values("rank", kind="stable", na_position="last").reset_index(drop=True)


# ---------------------------------------------------------------------------------------- Likert tables


class TopBoxResult(NamedTuple):
    """Top-box count and percentage (0..100) of substantive answers, with a Wilson interval."""

    count: int
    n: int
    pct: float
    ci_low: float
    ci_high: float


def top_box(
    series: pd.Series | Sequence[float], scale_max: int = 5, top: int = 2, ci: float = 0.95
) -> TopBoxResult:
    """Share of answers in the ``top`` highest codes (e.g. 4-5 on a 1-5 scale), with a Wilson CI.

    Parameters
    ----------
    series : array-like
        Numeric codes; NaN (blank or non-substantive answer) is left out of both count and n.
    scale_max : int
        Highest code of the scale; larger values raise ``ValueError``.
    top : int
        How many of the highest codes count as the top box (2 = "top-2-box").
    ci : float
        Confidence level of the Wilson (1927) score interval (statsmodels ``proportion_confint``), which keeps
        its coverage with small n and shares near 0 or 100 % where the Wald interval does not
        (Brown, Cai & DasGupta 2001).

    Returns
    -------
    TopBoxResult
        ``count``, ``n``, ``pct``, ``ci_low``, ``ci_high`` (percentages 0..100; NaN when ``n == 0``).

    Examples
    --------
    >>> r = top_box([5, 4, 4, 3, 1, None], scale_max=5, top=2)
    >>> r.count, r.n, r.pct
    (3, 5, 60.0)
    >>> round(r.ci_low, 1), round(r.ci_high, 1)
    (23.1, 88.2)
    """
    _check_ci(ci)
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    s = series if isinstance(series, pd.Series) else pd.Series(series, dtype="float64")
    x = _float_matrix(s.to_frame("value"), ["value"])[:, 0]
    x = x[~np.isnan(x)]
    if (x > scale_max).any():
        raise ValueError(f"value {x[x > scale_max][0]:g} is above scale_max={scale_max}")
    count = int((x >= scale_max - top + 1).sum())
    n = len(x)
    low, high = _wilson(count, n, ci)
    return TopBoxResult(count, n, 100 * count / n if n else math.nan, low, high)


def likert_table(
    df: pd.DataFrame,
    items: Sequence[str],
    labels: Mapping[int, str],
    *,
    top: int = 2,
    nsa_labels: Mapping[str, str] | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Distribution table of Likert items: counts per answer, non-substantive answers, mean, sd, top box.

    Follows the house rule "distributions and top-2-box % with Wilson CIs; means only beside them;
    'En osaa sanoa' and 'Ei koske minua' counted and shown but left out of means".

    Parameters
    ----------
    df : DataFrame
        Numeric item columns; optionally the companion ``f"{item}__nsa"`` columns with ``"dont_know"`` /
        ``"not_applicable"`` / NA.
    items : sequence of str
        Item columns, in the order of the table rows.
    labels : mapping of int to str
        Answer code -> label, e.g. ``{1: "Täysin eri mieltä", ..., 5: "Täysin samaa mieltä"}``. A code in the
        data that is not in ``labels`` raises ``ValueError``.
    top : int
        Number of highest codes in the top box.
    nsa_labels : mapping of str to str, optional
        Non-substantive code -> column label; default :data:`NSA_LABELS` (Finnish). These columns are
        always present (0 when an item has no companion column).
    ci : float
        Confidence level of the Wilson interval of the top-box share.

    Returns
    -------
    DataFrame
        One row per item: ``item``; one count column per label (in code order); one count column per
        non-substantive label; ``n_valid`` (substantive answers), ``n_total`` (``n_valid`` + non-substantive);
        ``mean`` and ``sd`` (sample SD, ddof = 1) of the substantive answers; ``top_box_n``,
        ``top_box_pct``, ``top_box_ci_low``, ``top_box_ci_high`` (percent of ``n_valid``).

    Raises
    ------
    ValueError
        Unknown code or non-substantive value, or a row that has both a code and a non-substantive mark.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"Q1": [1, 3, 3, np.nan, np.nan],
    ...                    "Q1__nsa": pd.array([None, None, None, "dont_know", None], dtype="string")})
    >>> t = likert_table(df, ["Q1"], {1: "eri", 2: "neutraali", 3: "samaa"}, top=1)
    >>> t[["item", "eri", "neutraali", "samaa", "En osaa sanoa", "n_valid", "n_total", "top_box_pct"]]
      item  eri  neutraali  samaa  En osaa sanoa  n_valid  n_total  top_box_pct
    0   Q1    1          0      2              1        3        4    66.666667
    """
    _check_ci(ci)
    nsa = dict(NSA_LABELS if nsa_labels is None else nsa_labels)
    codes = sorted(labels)
    if not codes:
        raise ValueError("labels is empty")
    if not 1 <= top <= len(codes):
        raise ValueError(f"top must be between 1 and the number of codes ({len(codes)}), got {top}")
    top_codes = codes[-top:]
    x_all = _float_matrix(df, list(items))
    rows = []
    for j, item in enumerate(items):
        x = x_all[:, j]
        answered = ~np.isnan(x)
        unknown = answered & ~np.isin(x, codes)
        if unknown.any():
            raise ValueError(
                f"column {item!r} has code {x[unknown][0]:g} that is not in labels {codes}"
            )
        row: dict[str, object] = {"item": item}
        for code in codes:
            row[labels[code]] = int((x == code).sum())
        nsa_col = f"{item}{NSA_SUFFIX}"
        n_nsa = 0
        if nsa_col in df.columns:
            marks = df[nsa_col].astype("string")
            marked = marks.notna().to_numpy()
            both = marked & answered
            if both.any():
                pos = int(np.argmax(both))
                raise ValueError(
                    f"row {df.index[pos]!r}: column {item!r} has code {x[pos]:g} and {nsa_col!r} says "
                    f"{marks.iloc[pos]!r}; a non-substantive answer must have NaN as its code"
                )
            unknown_marks = sorted(set(marks.dropna()) - set(nsa))
            if unknown_marks:
                raise ValueError(
                    f"column {nsa_col!r} has unknown value(s) {unknown_marks}; expected {sorted(nsa)}"
                )
            for key, label in nsa.items():
                c = int((marks == key).fillna(False).to_numpy(dtype=bool).sum())
                row[label] = c
                n_nsa += c
        else:
            for label in nsa.values():
                row[label] = 0
        valid = x[answered]
        n_valid = len(valid)
        tb = int(np.isin(valid, top_codes).sum())
        low, high = _wilson(tb, n_valid, ci)
        row.update(
            {
                "n_valid": n_valid,
                "n_total": n_valid + n_nsa,
                "mean": float(valid.mean()) if n_valid else math.nan,
                "sd": float(valid.std(ddof=1)) if n_valid > 1 else math.nan,
                "top_box_n": tb,
                "top_box_pct": 100 * tb / n_valid if n_valid else math.nan,
                "top_box_ci_low": low,
                "top_box_ci_high": high,
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)
