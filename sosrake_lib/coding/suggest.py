"""Words for the next codebook edit: frequent lemmas and word pairs of the answers no theme covers.

From the run's scrubbed answers (``review/coding_answers.csv``) those with no codebook theme are taken;
each is split into words as the codebook reads them (letters only, lower case), each word is turned into
its dictionary form with simplemma (as the codebook's lemma test does), Finnish stop words are dropped, and
for every lemma and every pair of neighbouring lemmas the number of *answers* that contain it is counted.
The most frequent are candidates for a theme's ``stems`` (a lemma) or a phrase entry (a pair).

Only scrubbed text is read, and only words and counts come out, but the counts describe answers of few
people: the list is review material (``review/codebook_suggestions.csv``), never a published table; a count
below the minimum cell size must not be copied into anything published.

Examples
--------
>>> import pandas as pd
>>> texts = pd.Series(["Vertaisryhmä olisi hyvä.", "Vertaisryhmä puuttuu.", "En osaa sanoa."])
>>> t = suggest_terms(texts, min_count=2)
>>> t[["kind", "term", "answers"]].values.tolist()
[['lemma', 'vertaisryhmä', 2]]
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from ..atomic import atomic_write_text
from ..fmt import Lang
from ..outputs import neutralise_frame
from .answers import CB_PREFIX, REVIEW_DIR, read_coding_answers

__all__ = ["STOP_WORDS", "SUGGESTIONS_FILE", "suggest_command", "suggest_terms", "yaml_snippet"]

SUGGESTIONS_FILE = "codebook_suggestions.csv"
#: A word or pair is suggested when at least this many uncoded answers contain it.
MIN_COUNT = 2

#: Finnish function words and fillers of open answers (as lemmas), left out of the suggestions.
STOP_WORDS = frozenset(
    """
    ja tai sekä mutta vaan kun jos että koska kuin niin myös vain vielä jo nyt sitten siis
    olla ei en et emme ette eivät ole oli olisi ollut
    minä sinä hän me te he mä sä se ne tämä tuo nämä nuo joka mikä kuka mitä jotain jokin joku
    oma itse kaikki mikään mitään kukaan jotka jossa josta johon
    hyvä huono paljon vähän aika aina joskus usein enemmän kovin tosi todella erittäin
    osata sanoa tietää mennä tulla saada voida pitää tarvita haluta kokea
    erityinen erityistä kiitos kiitti ok okei juu joo osaa osa näin hyvin meni nähdä
    """.split()
)


def _tokens(text: str) -> list[str]:
    from ..text import _TOKEN_RE, _lemma, _norm

    out = []
    for tok in _TOKEN_RE.findall(_norm(str(text))):
        if len(tok) < 3:
            continue
        lemma = _lemma(tok)
        if lemma in STOP_WORDS or tok in STOP_WORDS or len(lemma) < 3:
            out.append("")  # a stop word breaks a pair
            continue
        out.append(lemma)
    return out


def suggest_terms(texts: pd.Series, *, min_count: int = 2, top: int | None = None) -> pd.DataFrame:
    """Lemmas and neighbouring-lemma pairs of ``texts`` by the number of answers containing them.

    Returns
    -------
    DataFrame
        ``kind`` (``lemma`` or ``phrase``), ``term``, ``answers`` (answers containing it), sorted by
        ``answers`` (descending), then kind and term; only terms in at least ``min_count`` answers; the first
        ``top`` rows when given.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts.dropna().astype("str"):
        toks = _tokens(text)
        seen = {("lemma", t) for t in toks if t}
        seen |= {("phrase", f"{a} {b}") for a, b in zip(toks, toks[1:], strict=False) if a and b}
        counts.update(seen)
    rows = [{"kind": k, "term": t, "answers": n} for (k, t), n in counts.items() if n >= min_count]
    out = pd.DataFrame(rows, columns=["kind", "term", "answers"])
    out = out.sort_values(
        ["answers", "kind", "term"], ascending=[False, True, True], ignore_index=True
    )
    return out.head(top) if top is not None else out


def yaml_snippet(terms: list[str], lang: Lang = "fi") -> str:
    """The theme entry a staff member adds to the codebook YAML (``sosrake_lib/themes/<name>.yaml``).

    >>> print(yaml_snippet(["vertaisryhmä", "yksin olo"], "en"))
    # add to an existing theme's stems, or as a new theme under themes: (lower case, no regular expressions)
    - id: new_theme
      label_fi: Uusi teema
      label_en: New theme
      description_fi: Mitä teema tarkoittaa.
      stems: [vertaisryhmä, yksin olo]
    """
    head = (
        "# lisää olemassa olevan teeman stems-listaan tai uutena teemana themes:-kohtaan "
        "(pienin kirjaimin, ei säännöllisiä lausekkeita)"
        if lang == "fi"
        else "# add to an existing theme's stems, or as a new theme under themes: "
        "(lower case, no regular expressions)"
    )
    return "\n".join(
        [
            head,
            "- id: new_theme",
            "  label_fi: Uusi teema",
            "  label_en: New theme",
            "  description_fi: Mitä teema tarkoittaa.",
            f"  stems: [{', '.join(terms)}]",
        ]
    )


def suggest_command(run_dir: Path, top: int = 30, lang: Lang = "fi") -> str:
    """``sosrake codebook-suggest``: write ``review/codebook_suggestions.csv``, return the lines to print."""
    answers = read_coding_answers(run_dir)
    flags = [c for c in answers.columns if c.startswith(CB_PREFIX)]
    uncoded = answers.loc[answers[flags].sum(axis=1) == 0, "answer"] if flags else answers["answer"]
    table = suggest_terms(uncoded, min_count=MIN_COUNT)
    path = Path(run_dir) / REVIEW_DIR / SUGGESTIONS_FILE
    atomic_write_text(
        path,
        neutralise_frame(table.astype({"kind": object, "term": object})).to_csv(
            index=False, lineterminator="\n"
        ),
    )
    fi = lang == "fi"
    written = (
        f"Kirjoitettu: {path} (tarkistusaineistoa: pienet lukumäärät, ei julkaista)."
        if fi
        else f"Written: {path} (review material: small counts, not for publication)."
    )
    if table.empty:  # nothing to suggest: say so, and no template to fill with nothing
        return "\n".join(
            [
                (
                    f"ei ehdotuksia: yksikään sana tai sanapari ei esiinny vähintään {MIN_COUNT} "
                    f"vastauksessa niistä {len(uncoded)}, joita mikään teema ei tunnistanut."
                    if fi
                    else f"no suggestions: no word or word pair occurs in at least {MIN_COUNT} of the "
                    f"{len(uncoded)} answers no theme recognised."
                ),
                written,
            ]
        )
    lines = [
        (
            f"Vastauksia, joita mikään teema ei tunnistanut: {len(uncoded)}. Yleisimmät perusmuodot ja "
            "sanaparit (vastauksia, joissa esiintyy):"
            if fi
            else f"Answers no theme recognised: {len(uncoded)}. The most frequent lemmas and word pairs "
            "(answers containing them):"
        )
    ]
    shown = table.head(top)
    for r in shown.itertuples(index=False):
        kind = ("sana" if r.kind == "lemma" else "sanapari") if fi else r.kind
        lines.append(f"  {r.answers:>4}  {r.term}  ({kind})")
    lines += [
        "",
        yaml_snippet(shown["term"].head(5).tolist(), lang),
        "",
        (
            "Tarkista muutos: sosrake coding-agreement <koodattu lomake> (luokittelee uudelleen). "
            if fi
            else "Check the edit: sosrake coding-agreement <coded worksheet> (codes again). "
        )
        + written,
    ]
    return "\n".join(lines)
