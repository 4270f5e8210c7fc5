"""Analysis of the SOSRAKE competence mapping (osaamiskartoitus): where staff stand, and what to train first.

The notebook ``notebooks/01_competence_mapping.ipynb`` only calls these functions, shows their tables and
figures and explains them in Finnish. Each function does one step and returns a tidy :class:`pandas.DataFrame`
that can be written as it is (after :func:`localise`) by :func:`sosrake_lib.outputs.write_tables`.

Steps
-----
1. Respondents: :func:`respondent_counts` (one-way, by organisation, role, work area, experience band),
   :func:`respondent_crosstab` (organisation x role, with secondary suppression: supervisors are few),
   :func:`response_rate` (no interval: a count of the whole target group).
2. Items: :func:`item_distributions` (counts, "En osaa sanoa" apart, mean, top-2-box % with Wilson CI) and
   :func:`likert_percentages` (the shares drawn as diverging stacked bars).
3. Areas: :func:`area_scales`, :func:`area_scores` (mean of the area's items, reverse-coded ED3), and
   :func:`reliability_table` (Cronbach's alpha, pairwise, with a Feldt or BCa bootstrap CI as the data call
   for; an alpha below ``Settings.weak_alpha`` marks a *weak scale*, not hidden), :func:`area_summary`
   (mean with t interval, median, n).
4. Group differences: :func:`group_tests` (Mann-Whitney U / Kruskal-Wallis per area with effect size, Holm
   across the areas of one grouping variable), :func:`group_descriptives` (n, median, mean per group,
   small groups suppressed) and :func:`ordinal_checks` (proportional-odds model as the model-based check;
   its LR tests and its odds ratios are Holm families of their own per grouping, see :mod:`.groups`).
5. Development needs: :func:`development_needs` (Borich MWDS of the area means, bootstrap CIs of the ranks).
6. Open answers: :func:`support_themes` (theme frequencies with the ``competence`` theme codebook);
   :func:`write_coding_answers` and :func:`coding_agreement` for checking the codebook against people.
7. Output: :func:`build_key_figures`, :func:`localise`, :func:`cleaning_summary`, :func:`write_cleaning_log`.

Key figures (``key_figures.json``; the infographic depends on these names)
--------------------------------------------------------------------------
``n_respondents`` (unit ``n``), ``response_rate`` (``%``, no interval: a count of the whole target group,
``census=yes`` in the note; value null when the target group size is not known), ``strongest_area`` and ``weakest_area`` (the competence area with the highest/lowest mean
competence score, unit ``score 1–5``, t interval), ``need_rank_1`` .. ``need_rank_3`` (the Borich MWDS of
the three largest training needs, unit ``MWDS``, percentile-bootstrap CI of the MWDS) and ``alpha_<area>``
for every competence and attitude area (Cronbach's alpha, Feldt or BCa CI as in the reliability table).

*Which area a figure is about*: ``KeyFigure`` has no field of its own for it, so for every area figure the
**area label** is ``label_fi`` / ``label_en`` (exactly the codebook label, ready for the infographic) and the
**area id** is in ``note`` as ``area=<id>``. The note is a ``"; "``-separated list of ``key=value`` pairs,
e.g. ``"area=raportointi; rank=2; rank_ci_low=1; rank_ci_high=3"`` for a need rank and
``"area=yhteiso; weak_scale=competence; threshold=0.6"`` for a weak scale (an area figure whose scale has
an alpha below the threshold; a need rank names ``competence+importance`` parts); :func:`parse_note` reads it
back. (A suppressed
figure gets ``"; suppressed: n < 5"`` appended by ``KeyFigures.write``; :func:`parse_note` skips it.)

Disclosure control
------------------
Every breakdown by a background variable passes :func:`sosrake_lib.privacy.suppress_small_cells` (count
tables, secondary suppression) or :func:`sosrake_lib.privacy.suppress_by_n` (one row of statistics per
group); groups below ``min_n`` are also left out of the tests. The item distributions describe the whole
respondent group, not a breakdown, so only rows with ``n < min_n`` are hidden there.

Submodules
----------
- :mod:`.loading`: :func:`load_responses`, :func:`cleaning_summary` (read and clean an export).
- :mod:`.respondents`: :data:`BACKGROUND`, :func:`respondent_counts`, :func:`respondent_crosstab`,
  :class:`RateResult`, :func:`response_rate`.
- :mod:`.items`: :func:`item_distributions`, :func:`suppress_answer_counts`,
  :func:`likert_percentages`.
- :mod:`.scales`: :data:`ALPHA_THRESHOLD`, ``Role``, :func:`area_scales`, :func:`area_scores`,
  :func:`reliability_table`, :func:`weak_parts`, :func:`weak_scale_note`, :func:`area_summary`.
- :mod:`.groups`: :data:`GROUPINGS`, :func:`visible_groups`, :func:`group_descriptives`,
  :func:`group_tests`, :func:`ordinal_checks`, :func:`family_label` (the Holm families: its docstring).
- :mod:`.needs`: :func:`development_needs`, :func:`support_themes`.
- :mod:`.key_figures`: :func:`parse_note`, :func:`build_key_figures`.
- :mod:`.texts`: :data:`TEXTS`, :func:`text` and the codebook label lookups the statistics share.
- :mod:`.followup`: a follow-up round against an earlier one (built on :mod:`.rounds`: comparable items,
  linked people, linkage counts; and :mod:`.change`: the statistics): :func:`~.followup.followup_tables` (linked
  people paired, the others as independent samples, Holm per family, difference in change of the trained
  areas, Borich then and now, the items that cannot be compared) and :func:`~.followup.add_key_figures`
  (``followup_linked_n``, ``followup_did``, ``followup_did_unlinked``).
- :mod:`.display`: publishing plumbing: :func:`localise`, :func:`write_cleaning_log`,
  :func:`likert_area_figure`, :func:`suppression_report`, :data:`DISPLAY`, :data:`TABLE_TITLES`,
  :func:`display_ready`, :func:`cleaning_frame`.

Examples
--------
>>> inst = load_instrument("competence")
>>> area_scales(inst, "attitude")
{'edellytykset': ['ED1', 'ED2', '-ED3', 'ED4']}
>>> parse_note("area=raportointi; rank=2; suppressed: n < 5")
{'area': 'raportointi', 'rank': '2'}
"""

from ..codebook import load_instrument
from ..coding.publish import agreement_notes, mark_uncertain
from . import followup
from .display import (
    DISPLAY,
    TABLE_TITLES,
    cleaning_frame,
    display_ready,
    likert_area_figure,
    localise,
    suppression_report,
    write_cleaning_log,
)
from .groups import (
    GROUPINGS,
    family_label,
    group_descriptives,
    group_tests,
    ordinal_checks,
    visible_groups,
)
from .items import item_distributions, likert_percentages, suppress_answer_counts
from .key_figures import build_key_figures, parse_note
from .loading import cleaning_summary, load_responses
from .needs import (
    add_agreement_figure,
    coding_agreement,
    development_needs,
    support_themes,
    write_coding_answers,
)
from .respondents import (
    BACKGROUND,
    RateResult,
    respondent_counts,
    respondent_crosstab,
    response_rate,
)
from .scales import (
    ALPHA_THRESHOLD,
    Role,
    area_scales,
    area_scores,
    area_summary,
    reliability_table,
    weak_parts,
    weak_scale_note,
)
from .texts import TEXTS, text

__all__ = [
    "ALPHA_THRESHOLD",
    "BACKGROUND",
    "DISPLAY",
    "TABLE_TITLES",
    "GROUPINGS",
    "TEXTS",
    "RateResult",
    "area_scales",
    "area_scores",
    "area_summary",
    "build_key_figures",
    "cleaning_frame",
    "cleaning_summary",
    "development_needs",
    "followup",
    "display_ready",
    "family_label",
    "group_descriptives",
    "group_tests",
    "item_distributions",
    "suppress_answer_counts",
    "likert_percentages",
    "load_responses",
    "localise",
    "ordinal_checks",
    "parse_note",
    "reliability_table",
    "respondent_counts",
    "respondent_crosstab",
    "response_rate",
    "likert_area_figure",
    "suppression_report",
    "visible_groups",
    "weak_parts",
    "weak_scale_note",
    "support_themes",
    "add_agreement_figure",
    "agreement_notes",
    "coding_agreement",
    "mark_uncertain",
    "write_coding_answers",
    "text",
    "write_cleaning_log",
]
