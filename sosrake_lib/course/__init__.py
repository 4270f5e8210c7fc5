"""Course-pilot evaluation (koulutuspilotti): completion funnel, pre→post learning, feedback, 2020 baseline.

The 5-ECTS structural social work course (2021) is evaluated from four exports: the enrolment register
(``course_enrolment``), the pre- and post-course self-assessments (``course_selfassessment``) and the
anonymous feedback survey (``course_feedback``); optionally the 2020 competence mapping (``competence``) is
the baseline. The notebook ``notebooks/03_course_pilot.ipynb`` calls these functions in order; each returns a
tidy table whose column names are machine names (translate them with :func:`localise`), already passed
through small-cell suppression where it publishes counts or group statistics.

Design
------
* Statistics claim what the data support: the register is the whole cohort, so the funnel and the
  completion rate are census facts without a sampling interval (the group comparisons keep a Wilson
  interval labelled "future cohorts"); rankings carry bootstrap rank probabilities and name no winner
  below :data:`~sosrake_lib.course.ranking.CLEAR_P`; every table with p-values names its Holm family
  (``family``) and its test as it ran (``test``); attrition from the pre- to the post-course survey is
  reported with the pre-course scores of those who stayed and those who left.
* Arithmetic is delegated: Wilson intervals, Wilcoxon signed-rank, Mann-Whitney U, Holm and the logistic
  regression come from :mod:`sosrake_lib.stats` (scipy / statsmodels underneath), scale scores and Likert
  tables from :mod:`sosrake_lib.scoring`, disclosure control from :mod:`sosrake_lib.privacy`. This module only
  pairs the data and decides what to publish.
* Pairs are matched on the pseudonymised participant id: cleaning hashes ``participant_id`` with the same
  key in every file, so the same person has the same ``ps_...`` id in the register and in both surveys.
* A register step (started, a module, a contact day, completed) counts as done only when the register says
  "yes" (Kyllä / Suoritettu / Osallistui); a blank counts as not done. Funnel counts are the number of
  participants who did each step (not cumulative), so a contact day may have more participants than the
  module listed before it.
* Small-cell rule (``min_n``, default 5): count tables use :func:`~sosrake_lib.privacy.suppress_small_cells`
  (with secondary suppression), group-statistics tables :func:`~sosrake_lib.privacy.suppress_by_n`. Answer
  distributions of the feedback survey are published as percentages of the item's whole respondent group
  (suppressed when that group is smaller than ``min_n``); counts per answer option are not published.

Submodules
----------
* :mod:`~sosrake_lib.course.data`: :func:`resolve_path`, :class:`CourseData`,
  :func:`load_course_data`, :func:`cleaning_summary`.
* :mod:`~sosrake_lib.course.completion`: :data:`FUNNEL_STEPS`, :func:`completion_funnel`,
  :func:`completion_by`, :func:`completion_linked`.
* :mod:`~sosrake_lib.course.regression`: :func:`completion_model`, :func:`model_note`.
* :mod:`~sosrake_lib.course.learning`: :func:`area_scores`, :func:`learning_change`,
  :func:`gain_ranking`, :func:`pair_accounting`, :func:`attrition_counts`, :func:`attrition_comparison`,
  :func:`baseline_comparison`, :func:`baseline_figure`.
* :mod:`~sosrake_lib.course.ranking`: bootstrap rank probabilities of the feedback parts and the learning
  gains, and the rule (:data:`~sosrake_lib.course.ranking.CLEAR_P`) for naming a winner.
* :mod:`~sosrake_lib.course.feedback`: :func:`feedback_items`, :func:`feedback_parts`,
  :func:`feedback_nps`, :func:`open_themes`, :func:`nps_table`.
* :mod:`~sosrake_lib.course.key_figures`: :func:`key_figures` and its note helpers.
* :mod:`~sosrake_lib.course.display`: the publishing plumbing: :data:`COLUMN_LABELS`,
  :data:`TABLE_NAMES`, :func:`localise`, :func:`suppression_summary`, :data:`CODE_COLUMNS`,
  :func:`publish_tables`, :func:`write_cleaning_log`, :data:`DISPLAY`, :func:`display_ready`.
* :mod:`~sosrake_lib.course.constants`: the fi / en texts several submodules share.

Examples
--------
>>> import pandas as pd
>>> enrol = pd.DataFrame({"started": ["yes"] * 8 + ["no"] * 2, "completed": ["yes"] * 6 + ["no"] * 4})
>>> f = completion_funnel(enrol, steps=("enrolled", "started", "completed"), min_n=2)
>>> f[["step", "n", "pct"]].values.tolist()
[['enrolled', 10, 100.0], ['started', 8, 80.0], ['completed', 6, 60.0]]
>>> f = completion_funnel(enrol, steps=("enrolled", "started", "completed"))  # 2 never started, 2 stopped
>>> f[["step", "n"]].values.tolist()
[['enrolled', 10], ['started', <NA>], ['completed', <NA>]]
"""

from __future__ import annotations

from .completion import FUNNEL_STEPS, completion_by, completion_funnel, completion_linked
from .data import CourseData, cleaning_summary, load_course_data, resolve_path
from .display import CODE_COLUMNS as CODE_COLUMNS
from .display import COLUMN_LABELS as COLUMN_LABELS
from .display import (
    DISPLAY,
    display_ready,
    localise,
    publish_tables,
    suppression_summary,
    write_cleaning_log,
)
from .display import TABLE_NAMES as TABLE_NAMES
from .feedback import feedback_items, feedback_nps, feedback_parts, nps_table, open_themes
from .key_figures import key_figures
from .learning import (
    area_scores,
    attrition_comparison,
    attrition_counts,
    baseline_comparison,
    baseline_figure,
    gain_ranking,
    learning_change,
    pair_accounting,
)
from .regression import completion_model, model_note

__all__ = [
    "DISPLAY",
    "FUNNEL_STEPS",
    "CourseData",
    "area_scores",
    "attrition_comparison",
    "attrition_counts",
    "baseline_comparison",
    "baseline_figure",
    "cleaning_summary",
    "display_ready",
    "completion_by",
    "completion_linked",
    "completion_funnel",
    "completion_model",
    "feedback_items",
    "feedback_nps",
    "feedback_parts",
    "gain_ranking",
    "key_figures",
    "learning_change",
    "load_course_data",
    "localise",
    "model_note",
    "nps_table",
    "open_themes",
    "publish_tables",
    "pair_accounting",
    "resolve_path",
    "suppression_summary",
    "write_cleaning_log",
]
