"""Checking the theme codebook against human coders, and a faster loop for extending it.

The loop: a run writes its scrubbed open answers with the codebook's codes (:mod:`.answers`,
``review/coding_answers.csv``); ``sosrake coding-sample`` draws a seeded sample into an Excel worksheet
without those codes (:mod:`.worksheet`); one or two people tick the themes they read in each answer;
``sosrake coding-agreement`` compares their ticks with the codebook (:mod:`.agreement`: shares, precision,
recall, F1, Cohen's kappa with its CI, Krippendorff's alpha between the coders) and lists the disagreements
(:mod:`.compare`); a run given the coded worksheet shows the agreement beside each theme share and does not
headline a theme whose kappa is below the bound (:mod:`.publish`). :mod:`.suggest` lists frequent words and
phrases of the answers no theme covers, for the next codebook edit.

Everything with free text stays in the run's ``review/`` folder: scrubbed, but not for handing on.
"""

from .agreement import binary_agreement, kappa_from_table, krippendorff_alpha, theme_agreement
from .answers import ANSWERS_FILE, answer_id, coding_answers, write_coding_answers

__all__ = [
    "ANSWERS_FILE",
    "answer_id",
    "binary_agreement",
    "coding_answers",
    "kappa_from_table",
    "krippendorff_alpha",
    "theme_agreement",
    "write_coding_answers",
]
