"""Texts of the course tables and figures that several submodules share (fi / en)."""

from __future__ import annotations

_TXT: dict[str, dict[str, str]] = {
    "fi": {
        "enrolled": "Ilmoittautui",
        "completed_yes": "Suoritti",
        "completed_no": "Ei suorittanut",
        "total": "Yhteensä",
        "not_in_register": "Ei rekisterissä",
        "intercept": "Vakio",
        "vs": "vrt.",
        "pre": "Alkukysely",
        "post": "Loppukysely",
        "baseline": "Osaamiskartoitus 2020",
        "course_pre": "Kurssilaiset, alkukysely",
        "mean_axis": "Keskiarvo (1–5) ja 95 %:n luottamusväli",
    },
    "en": {
        "enrolled": "Enrolled",
        "completed_yes": "Completed",
        "completed_no": "Did not complete",
        "total": "Total",
        "not_in_register": "Not in the register",
        "intercept": "Intercept",
        "vs": "vs.",
        "pre": "Pre-course survey",
        "post": "Post-course survey",
        "baseline": "Competence mapping 2020",
        "course_pre": "Course participants, pre-course",
        "mean_axis": "Mean (1–5) and 95% confidence interval",
    },
}
