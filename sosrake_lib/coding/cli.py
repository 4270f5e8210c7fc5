"""What ``sosrake coding-agreement`` prints and writes (the command line's side of :mod:`.compare`)."""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import ConfigError
from ..fmt import Lang, fmt_number
from .answers import read_coding_answers
from .compare import codebook_codes, run_codes, worksheet_agreement, write_agreement
from .worksheet import read_worksheet

_W = {
    "fi": {
        "head": "Koodiston ja ihmisen yhtäpitävyys: {file} (koodisto {cb}; koodiston koodit: {source})",
        "cols": (
            "teema",
            "ihminen %",
            "koodisto %",
            "tarkkuus",
            "saanti",
            "F1",
            "kappa (95 % LV)",
            "n",
        ),
        "pooled": "kaikki teemat yhdessä (poolattu)",
        "mean": "teemojen kappojen keskiarvo (kaikki teemat, joilla kappa on määritelty)",
        "humans": "Koodaajien keskinäinen yhtäpitävyys (katto, johon koodisto voi yltää):",
        "alpha": "Krippendorffin alfa (nominaali)",
        "uncoded": "{coder}: {n} riviä ilman yhtään merkintää jätettiin pois (ei koodattu).",
        "missing": "{n} koodattua vastausta puuttui ajon koodeista ja jätettiin pois.",
        "recoded": "luokiteltu uudelleen lomakkeen tekstistä nykyisellä koodistolla",
        "from_run": "ajon tiedosto review/coding_answers.csv",
        "wrote": "Kirjoitettu: {files} (tarkistusaineistoa: erimielisyydet sisältävät vastausten tekstiä).",
        "na": "–",
        "coder": {"coder1": "koodaaja 1", "coder2": "koodaaja 2"},
        "vs": "koodisto vs. {coder}",
    },
    "en": {
        "head": "Agreement of codebook and people: {file} (codebook {cb}; codebook's codes: {source})",
        "cols": (
            "theme",
            "human %",
            "codebook %",
            "precision",
            "recall",
            "F1",
            "kappa (95% CI)",
            "n",
        ),
        "pooled": "all themes pooled",
        "mean": "mean of the themes' kappas (every theme with a defined kappa)",
        "humans": "Agreement between the coders (the ceiling the codebook can reach):",
        "alpha": "Krippendorff's alpha (nominal)",
        "uncoded": "{coder}: {n} rows without any tick were left out (not coded).",
        "missing": "{n} coded answers were not among the run's codes and were left out.",
        "recoded": "coded again from the worksheet's text with the current codebook",
        "from_run": "the run's review/coding_answers.csv",
        "wrote": "Written: {files} (review material: the disagreements hold answer text).",
        "na": "–",
        "coder": {"coder1": "coder 1", "coder2": "coder 2"},
        "vs": "codebook vs {coder}",
    },
}


def _num(x: float, lang: Lang, decimals: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return _W[lang]["na"]
    return fmt_number(x, lang, decimals)


def _theme_labels(meta: dict[str, str], codebook: str | None, lang: Lang) -> dict[str, str]:
    from ..text import load_theme_codebook

    try:
        cb = load_theme_codebook(codebook or meta.get("codebook", ""))
    except Exception:  # the labels are a courtesy: ids are shown when the codebook cannot be read
        return {}
    return {t.id: f"{t.label(lang)} ({t.id})" for t in cb.themes}


def agreement_command(
    worksheet: Path,
    out: Path | None,
    codebook: str | None,
    run: Path | None,
    lang: Lang,
) -> str:
    """Read the worksheet, compare, write the two CSV files, return the lines to print."""
    w = _W[lang]
    ws = read_worksheet(worksheet)
    if run is not None:
        codes = run_codes(read_coding_answers(run), ws.themes)
        source = w["from_run"]
    else:
        codes = codebook_codes(ws, codebook)
        source = w["recoded"]
    res = worksheet_agreement(ws, codes, source)
    if out is None:
        out = Path(worksheet).parent
        if out.name != "review":  # e.g. data/raw/...: raw folders are never written to
            raise ConfigError(
                f"{Path(worksheet).name} is not in a run's review/ folder: give --out, the folder for "
                "coding_agreement.csv and coding_disagreements.csv (review material), e.g. "
                "outputs/<semester>/<analysis>/review"
            )
    files = write_agreement(res, out)
    lines = [
        w["head"].format(
            file=Path(worksheet).name, cb=codebook or ws.meta.get("codebook"), source=source
        )
    ]
    t = res.table
    labels = {"_pooled": w["pooled"], "_mean": w["mean"], **_theme_labels(ws.meta, codebook, lang)}
    for comparison in t["comparison"].unique():
        a, _, b = comparison.partition("~")
        human = comparison.count("coder") == 2
        title = (
            f"{w['coder'].get(a, a)} ~ {w['coder'].get(b, b)}"
            if human
            else w["vs"].format(coder=w["coder"].get(b, b))
        )
        lines += ["", (w["humans"] + " " if human else "") + title]
        cols = list(w["cols"])
        if human:  # the second coder stands where the codebook stands in the other blocks
            cols[1:3] = [f"{w['coder'].get(a, a)} %", f"{w['coder'].get(b, b)} %"]
        lines.append(" | ".join(cols) + (f" | {w['alpha']}" if human else ""))
        for r in t[t["comparison"] == comparison].itertuples(index=False):
            kappa = _num(r.kappa, lang)
            if not (isinstance(r.kappa_low, float) and math.isnan(r.kappa_low)):
                kappa += f" ({_num(r.kappa_low, lang)}…{_num(r.kappa_high, lang)})"
            cells = [
                labels.get(r.theme, r.theme),
                _num(r.human_pct, lang, 1),
                _num(r.codebook_pct, lang, 1),
                _num(r.precision, lang),
                _num(r.recall, lang),
                _num(r.f1, lang),
                kappa,
                str(int(r.n)) if r.n == r.n else w["na"],
            ]
            if human:
                cells.append(_num(r.alpha, lang))
            lines.append(" | ".join(cells))
    lines.append("")
    for coder, n in res.uncoded.items():
        if n:
            lines.append(w["uncoded"].format(coder=w["coder"].get(coder, coder), n=n))
    if res.missing:
        lines.append(w["missing"].format(n=res.missing))
    lines.append(w["wrote"].format(files=", ".join(str(p) for p in files)))
    return "\n".join(lines)
