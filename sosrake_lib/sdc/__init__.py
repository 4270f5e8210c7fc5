"""Statistical disclosure control: every rule that decides what a published figure may show.

- :mod:`~sosrake_lib.sdc.cells`: small cells in count tables and per-group statistics (primary and secondary
  rule), nested groups.
- :mod:`~sosrake_lib.sdc.parts`: parts of a published total (answer options, NPS groups), partial sums, row
  statistics computed from the parts, Holm p-values that carry a hidden one.
- :mod:`~sosrake_lib.sdc.margins`: groups beside a published whole (services beside the semester).
- :mod:`~sosrake_lib.sdc.linked`: the same figure in two published tables (hidden or rounded in one, so in
  the other too; a figure that *is* another table's figure publishes what that one does).
- :mod:`~sosrake_lib.sdc.comparisons`: comparison rows of two groups (test figures, values, n, Holm).
- :mod:`~sosrake_lib.sdc.stat_tests`: test statistics beside hidden counts (Wilcoxon W, p, r; Holm).
- :mod:`~sosrake_lib.sdc.audit`: brute-force and linear-programming audits that show whether hidden counts can
  be worked out from what is published (and round a statistic where they cannot).
"""

from sosrake_lib.sdc.audit import (
    TooManyCombinations,
    disclosed,
    distribution_disclosed,
    nps_possible_values,
    possible_values,
    restore_rounded_stats,
    signed_rank_possible_values,
)
from sosrake_lib.sdc.cells import (
    DEFAULT_MIN_N,
    SUPPRESSED_MARK,
    hide_nested_differences,
    is_small,
    protect_hidden,
    suppress_by_n,
    suppress_small_cells,
    suppressed_label,
)
from sosrake_lib.sdc.comparisons import hide_comparisons
from sosrake_lib.sdc.linked import changed_by_suppression, publish_as
from sosrake_lib.sdc.margins import protect_margins, protect_margins_within
from sosrake_lib.sdc.parts import NPS_GROUPS, holm_carriers, suppress_nps_groups, suppress_parts
from sosrake_lib.sdc.stat_tests import hide_invertible_tests

__all__ = [
    "changed_by_suppression",
    "hide_comparisons",
    "protect_margins_within",
    "publish_as",
    "DEFAULT_MIN_N",
    "NPS_GROUPS",
    "SUPPRESSED_MARK",
    "TooManyCombinations",
    "disclosed",
    "distribution_disclosed",
    "hide_invertible_tests",
    "hide_nested_differences",
    "holm_carriers",
    "is_small",
    "nps_possible_values",
    "possible_values",
    "protect_hidden",
    "protect_margins",
    "restore_rounded_stats",
    "signed_rank_possible_values",
    "suppress_by_n",
    "suppress_nps_groups",
    "suppress_parts",
    "suppress_small_cells",
    "suppressed_label",
]
