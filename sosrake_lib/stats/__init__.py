"""Statistical tests and intervals for the SOSRAKE surveys, each result naming its test, options and effect size.

House rules: every result says which test was run, with which options,
and which effect size it reports; families of tests are Holm-corrected; non-substantive answers ("En osaa sanoa")
arrive here as NaN and are left out of tests and counted.

The arithmetic is delegated to scipy and statsmodels wherever they implement the method: they are well tested
against reference software, and a thin wrapper here only pairs data, chooses the method the way the house rules
ask and reports the result in one tidy shape. Hand-written code is limited to effect sizes that the libraries do
not return (rank-biserial correlation, epsilon-squared, Cohen's h) and to bookkeeping.

Public functions
----------------
proportion_ci, two_proportions                      -- Wilson / Newcombe intervals, score or Fisher test
paired_change, paired_change_table                  -- Wilcoxon signed-rank with rank-biserial r
compare_groups, compare_groups_table, two_sample_ordinal -- Mann-Whitney U / Kruskal-Wallis H with effect sizes
holm                                                -- Holm step-down adjustment, NaN-transparent
tie_safe                                            -- values rounded before ranking (float noise is no tie-break)
ordinal_logit                                       -- proportional-odds (cumulative logit) regression
logistic_regression                                 -- binary logistic regression with EPV and separation checks

Submodules
----------
proportions   -- proportion_ci, two_proportions (TwoProportionsResult)
paired        -- paired_change, paired_change_table (PairedChangeResult)
groups        -- compare_groups, compare_groups_table, two_sample_ordinal (CompareResult)
multiplicity  -- holm
means         -- mean_ci (t interval of a mean)
models        -- ordinal_logit, logistic_regression (OrdinalResult, LogitResult)
inputs        -- tie_safe; private helpers: values as float arrays with NaN, group levels in natural order

Examples
--------
>>> lo, hi = proportion_ci(81, 263)
>>> round(lo, 4), round(hi, 4)
(0.2553, 0.3662)
>>> res = paired_change([1, 2, 3, 4, 5, 3], [2, 2, 5, 3, 5, 5])
>>> res.test, res.zero_method, res.w_plus, res.effect_size
('Wilcoxon signed-rank', 'wilcox', 8.5, 0.7)
"""

from .groups import CompareResult, compare_groups, compare_groups_table, two_sample_ordinal
from .inputs import tie_safe
from .means import mean_ci
from .models import LogitResult, OrdinalResult, logistic_regression, ordinal_logit
from .multiplicity import holm
from .paired import Alternative as Alternative
from .paired import PairedChangeResult, paired_change, paired_change_table
from .paired import ZeroMethod as ZeroMethod
from .proportions import TwoProportionsResult, proportion_ci, two_proportions

__all__ = [
    "mean_ci",
    "CompareResult",
    "LogitResult",
    "OrdinalResult",
    "PairedChangeResult",
    "TwoProportionsResult",
    "compare_groups",
    "compare_groups_table",
    "holm",
    "logistic_regression",
    "ordinal_logit",
    "paired_change",
    "paired_change_table",
    "proportion_ci",
    "two_proportions",
    "tie_safe",
    "two_sample_ordinal",
]
