"""Customer-experience interviews (tiedonkeruupilotti): the analysis behind *Palvelukokemukset näkyväksi*.

Sosionomi students interviewed clients of adult social services each autumn. This module turns one or more
semester exports into what the infographic is made from; ``notebooks/02_customer_experience.ipynb`` calls it
step by step and explains each step in Finnish.

Steps (each a function, each returning a tidy table that passes small-cell suppression):

1. :func:`load_exports` reads and cleans each export and stacks them with a ``semester`` column;
   :func:`interview_counts`, :func:`interviews_per_student`, :func:`service_counts`, :func:`background_table`.
2. THL client-feedback themes: :func:`theme_scores` (mean of a theme's items per interview),
   :func:`theme_top2` (share of interviews whose theme mean is at least 4 = "agree", Wilson CI on the
   effective n),
   :func:`likert_distribution` (item distributions for the diverging figure).
3. Recommendation: :func:`nps_table` (THL/Reichheld NPS with Rocks' adjusted-Wald CI, design-adjusted).
4. Change between semesters: :func:`compare_semesters` (theme scores: Mann-Whitney U with rank-biserial r;
   top-2-box: score test with Newcombe CI and Cohen's h; both Holm-corrected across the five themes; NPS:
   :func:`nps_difference`; the verdict from an interviewer-clustered test, its direction from the tested
   statistic) and, with three or more semesters, :func:`trend_tests` (Kendall's tau-b between
   semester order and the outcome, Holm across the themes).
5. Open answers: :func:`code_open_answers` (``text.code_themes`` with the ``interviews`` theme codebook),
   :func:`open_theme_frequencies`, :func:`uncoded_answers_table`.
6. Quotes: :func:`candidate_quotes`, :func:`write_quotes_for_review`, :func:`load_approved_quotes`.

Interviews are clustered in interviewers (about two per student): ``cluster`` gives the design effects,
the design-adjusted intervals and the cluster-aware tests the tables publish beside the others.

Then :func:`build_key_figures` and the figure helpers. Semester labels are ordered by
:func:`semester_order` ("2021-syksy" < "2022-kevät" < "2022-syksy").

Where each step lives: ``common`` (instrument, semester order, verdicts), ``data`` (step 1, reading),
``counts`` (step 1, who was interviewed), ``themes`` (2), ``nps`` (3), ``compare`` (4), ``open_answers``
(5-6), ``key_figures``, ``figures``; ``display`` holds the labels, the suppression summary and the cleaning
log (the publishing side).

Examples
--------
>>> semester_order(["2022-syksy", "2021-syksy", "2022-kevät"])
['2021-syksy', '2022-kevät', '2022-syksy']
>>> verdict(0.8, 0.001)
('parani', 'improved')
>>> verdict(-0.1, 0.4)
('ei muutosta', 'no change')
"""

from __future__ import annotations

from ..quotes import load_approved_quotes, write_quotes_for_review
from .common import (
    ALPHA,
    INSTRUMENT,
    OPEN_QUESTIONS,
    TOP2_THRESHOLD,
    _inst,
    question_label,
    readable_semesters,
    semester_order,
    verdict,
)
from .compare import compare_semesters, trend_tests
from .counts import background_table, interview_counts, interviews_per_student, service_counts
from .data import load_exports
from .display import (
    COLUMN_LABELS,
    DISPLAY,
    TABLE_TITLES,
    cleaning_frame,
    display_ready,
    readable,
    suppression_summary,
    write_cleaning_log,
)
from .figures import ci_text, plot_grouped_ci
from .key_figures import build_key_figures
from .nps import nps_difference, nps_table
from .open_answers import (
    REVIEW_DIR,
    agreement_notes,
    candidate_quotes,
    code_open_answers,
    coding_agreement,
    mark_uncertain,
    open_theme_frequencies,
    uncoded_answers_table,
    write_coding_answers,
    write_uncoded_answers,
)
from .themes import likert_distribution, theme_scores, theme_top2

__all__ = [
    "readable_semesters",
    "DISPLAY",
    "TABLE_TITLES",
    "cleaning_frame",
    "display_ready",
    "OPEN_QUESTIONS",
    "build_key_figures",
    "candidate_quotes",
    "code_open_answers",
    "compare_semesters",
    "background_table",
    "interview_counts",
    "interviews_per_student",
    "likert_distribution",
    "load_approved_quotes",
    "load_exports",
    "nps_difference",
    "nps_table",
    "open_theme_frequencies",
    "plot_grouped_ci",
    "semester_order",
    "service_counts",
    "theme_scores",
    "theme_top2",
    "trend_tests",
    "uncoded_answers_table",
    "verdict",
    "write_cleaning_log",
    "write_quotes_for_review",
    "agreement_notes",
    "coding_agreement",
    "mark_uncertain",
    "write_coding_answers",
    "write_uncoded_answers",
]
