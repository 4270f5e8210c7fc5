"""Synthetic sample exports with known, planted effects.

The real exports are personal data and never enter git. These generators write exports that *look* like the
real ones (Finnish label text, Microsoft Forms / Moodle column layouts, metadata rows above the header, odd
case and stray spaces, a test row, a duplicate, a blank row, "En osaa sanoa") about invented people only, and
plant effects that the analyses must recover. :data:`PLANTED` documents every effect; the tests read it.

All generators are seeded and vectorised (a million interview rows take seconds), and every export carries
the marker row "SYNTEETTINEN ESIMERKKIAINEISTO", which lets the cleaning step use the demo pseudonym key.

Examples
--------
>>> raw = interviews_frame(n=200, semester="2021-syksy", seed=1)
>>> len(raw), raw["Palvelu, jota haastattelu koskee"].isin(["Aikuissosiaalityö", "Asumisen tuki"]).any()
(200, np.True_)
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .atomic import atomic_path, atomic_write_bytes, atomic_write_text
from .codebook import Instrument, load_instrument
from .paths import SAMPLE_MARKER

MARKER = SAMPLE_MARKER

#: Invented names (no one named in the project's seed documents). The privacy scan looks for these in outputs.
FIRST_NAMES = [
    "Aino",
    "Eeva",
    "Helmi",
    "Iida",
    "Jenni",
    "Kaisa",
    "Laura",
    "Milla",
    "Noora",
    "Oona",
    "Pinja",
    "Riikka",
    "Sanni",
    "Tiia",
    "Veera",
    "Aleksi",
    "Eetu",
    "Janne",
    "Joonas",
    "Kalle",
    "Lauri",
    "Mikko",
    "Niko",
    "Otto",
    "Petteri",
    "Sampo",
    "Teemu",
    "Valtteri",
    "Ville",
    "Ilmari",
]
LAST_NAMES = [
    "Aaltonen",
    "Heiskanen",
    "Huttunen",
    "Jääskeläinen",
    "Kärkkäinen",
    "Kettunen",
    "Laitinen",
    "Lappalainen",
    "Miettinen",
    "Nousiainen",
    "Oksanen",
    "Pakarinen",
    "Rautiainen",
    "Räsänen",
    "Savolainen",
    "Tervonen",
    "Toivanen",
    "Turunen",
    "Väisänen",
    "Ylönen",
]

#: The effects planted in the sample; analyses are tested for recovering them.
PLANTED: dict[str, Any] = {
    "competence": {
        "n_respondents": 118,  # after cleaning (raw adds a test row, a duplicate and a blank row)
        "target_group_size": 160,  # response rate 118 / 160 = 73.8 %
        "competence_means": {
            "tiedonkeruu": 3.7,
            "vaikuttavuustieto": 2.6,
            "raportointi": 2.5,
            "vaikuttaminen": 2.7,
            "yhteistyo": 3.2,
            "yhteiso": 3.0,
        },
        "importance_means": {
            "tiedonkeruu": 4.2,
            "vaikuttavuustieto": 4.3,
            "raportointi": 4.2,
            "vaikuttaminen": 4.3,
            "yhteistyo": 3.8,
            "yhteiso": 3.3,
        },
        "top3_needs": [
            "vaikuttavuustieto",
            "raportointi",
            "vaikuttaminen",
        ],  # Borich MWDS, any order
        "strongest_area": "tiedonkeruu",
        "group_difference": {
            "area": "yhteistyo",
            "group": "organisation",
            "higher": "kainuu",
            "shift": 0.8,
        },
        "low_alpha_area": "yhteiso",  # its items barely correlate: alpha < 0.6, must be flagged
        "support_themes": {
            "koulutus": 0.45,
            "aika": 0.35,
        },  # share of answers mentioning training / time
    },
    "interviews": {
        "students": {"2021-syksy": 39, "2022-syksy": 41},
        "n_interviews": {"2021-syksy": 80, "2022-syksy": 86},
        "theme_means_2021": {
            "saatavuus": 3.1,
            "kohtaaminen": 3.5,
            "turvallisuus": 4.2,
            "tiedonsaanti": 3.3,
            "hyodyllisyys": 3.6,
        },
        "theme_change_2022": {
            "kohtaaminen": 0.8
        },  # only kohtaaminen improves ("kohtaaminen parani")
        "nps_target": {"2021-syksy": -5, "2022-syksy": 30},
        "small_service": "debt_advice",  # a service with fewer than 5 interviews per semester
        "missing_themes": {
            "2021-syksy": {"asuminen": 0.30, "toimeentulo": 0.25},
            "2022-syksy": {"asuminen": 0.50, "toimeentulo": 0.25},
        },
    },
    "course": {
        "enrolled": 63,
        "completed": 35,
        "started": 58,
        "completed_by_group": {"working_life": (25, 38), "student": (10, 25)},
        "module_counts": {"M1": 56, "M2": 51, "M3": 45, "M4": 41, "M5": 36},
        "contact_days": {"contact_day1": 50, "contact_day2": 41},
        "gains": {
            "tiedonkeruu": 0.1,
            "vaikuttavuustieto": 0.9,
            "raportointi": 1.1,
            "vaikuttaminen": 0.8,
            "yhteistyo": 0.3,
            "yhteiso": 0.0,
        },
        "top_gains": ["raportointi", "vaikuttavuustieto", "vaikuttaminen"],
        "no_gain": ["tiedonkeruu", "yhteiso"],
        "n_pre": 52,
        "n_post": 33,
        "feedback_means": {
            "sisalto": 4.1,
            "alusta": 3.2,
            "lahipaivat": 4.4,
            "kuormitus": 2.8,
            "hyoty": 4.2,
            "ohjaus": 3.8,
        },
        "best_part": "lahipaivat",
        "weakest_part": "kuormitus",
        "n_feedback": 33,
    },
    # The follow-up round (data/raw/sample/2022, written by write_followup_sample): the competence mapping asked
    # again in September 2022 with codebook version 2, and the course's second round in autumn 2022.
    "competence_2022": {
        "n_respondents": 110,  # after cleaning (raw adds a test row, a duplicate and a blank row)
        "target_group_size": 160,
        "linked": 47,  # 2020 respondents who answer again (same e-mail): 47 / 118 = 40 %
        "new": 63,  # respondents not in the 2020 round
        "trained_areas": [
            "vaikuttavuustieto",
            "raportointi",
            "vaikuttaminen",
        ],  # 2020's top-3 Borich needs
        "change": {  # added to the latent competence mean of every item of the area, linked and new alike
            "tiedonkeruu": 0.0,
            "vaikuttavuustieto": 0.4,
            "raportointi": 0.4,
            "vaikuttaminen": 0.4,
            "yhteistyo": 0.0,
            "yhteiso": 0.0,
        },
        "did": 0.4,  # mean change of the trained areas minus that of the others
        "renamed": {"C_VT2b": "C_VT2", "I_VT2b": "I_VT2"},  # codebook v2 item -> its 2020 item
        "dropped": ["C_YS3", "I_YS3"],  # not asked in 2022: cannot be compared
    },
    "course_2022": {
        "enrolled": 60,
        "completed": 42,  # 70 % (2021: 35 / 63 = 55.6 %): the lighter second round kept more people
        "started": 57,
        "completed_by_group": {"working_life": (30, 38), "student": (12, 22)},
        "module_counts": {"M1": 55, "M2": 52, "M3": 49, "M4": 46, "M5": 43},
        "contact_days": {"contact_day1": 51, "contact_day2": 45},
        "gains": {
            "tiedonkeruu": 0.1,
            "vaikuttavuustieto": 0.9,
            "raportointi": 1.1,
            "vaikuttaminen": 0.8,
            "yhteistyo": 0.3,
            "yhteiso": 0.0,
        },
        "n_pre": 50,
        "n_post": 40,
        "feedback_means": {
            "sisalto": 4.1,
            "alusta": 3.4,
            "lahipaivat": 4.4,
            "kuormitus": 3.4,  # 2021: 2.8; the workload was lightened
            "hyoty": 4.2,
            "ohjaus": 3.9,
        },
        "n_feedback": 40,
    },
}

#: The shipped human-coded worksheet (``data/raw/sample/coding/interviews_coded.xlsx``): written by
#: :func:`write_coded_worksheet` from the real ``sosrake coding-sample`` output of the sample run, ticked from
#: the generator's own sentences (the synthetic truth). Both coders read *apu_arkeen* ("help in daily life")
#: more broadly than the codebook: they also tick it on every "what help was missing" answer, so its kappa
#: against the codebook falls below 0.6 while the coders agree with each other; every other theme agrees
#: well. The second coder codes only the first ``coder2_rows`` rows (the rest are left out and counted).
PLANTED["coding"] = {
    "worksheet": "coding/interviews_coded.xlsx",
    "n": 100,
    "seed": 2023,
    "low_kappa_theme": "apu_arkeen",
    "kappa_bound": 0.6,
    "coder2_rows": 90,
    "miss_share": 0.03,  # per coder and answer: one true theme left unticked
    "extra_share": 0.01,  # per coder and answer: one theme ticked by mistake
}


# --------------------------------------------------------------------------------------------- helpers


def _labels(inst: Instrument, item_id: str) -> dict[Any, str]:
    scale = inst.item(item_id).scale
    assert scale is not None
    return {k: v["fi"] for k, v in scale.codes.items()} | {
        k: v["fi"] for k, v in scale.non_substantive.items()
    }


def _likert(
    rng: np.random.Generator, mean: np.ndarray, sd: float, lo: int = 1, hi: int = 5
) -> np.ndarray:
    return np.clip(np.rint(mean + rng.normal(0, sd, size=mean.shape)), lo, hi).astype(int)


def _to_labels(
    codes: np.ndarray, labels: dict[Any, str], dont_know: np.ndarray | None = None
) -> np.ndarray:
    table = np.array([labels.get(i, "") for i in range(0, 11)], dtype=object)
    out = table[codes]
    if dont_know is not None:
        out = np.where(dont_know, labels["dont_know"], out)
    return out


def _mess(rng: np.random.Generator, col: pd.Series, share: float = 0.03) -> pd.Series:
    """Odd case and stray spaces in a few cells, as hand-typed or re-saved exports have."""
    hit = rng.random(len(col)) < share
    if not hit.any():
        return col
    vals = col.to_numpy(dtype=object).copy()
    for i in np.flatnonzero(hit):
        v = vals[i]
        if isinstance(v, str) and v:
            vals[i] = rng.choice([f"  {v} ", v.upper(), v.lower() + " "])
    return pd.Series(vals, index=col.index, name=col.name)


def _people(rng: np.random.Generator, n: int, domain: str) -> tuple[np.ndarray, np.ndarray]:
    first = rng.choice(FIRST_NAMES, n)
    last = rng.choice(LAST_NAMES, n)
    names = np.char.add(np.char.add(first.astype(str), " "), last.astype(str))
    trans = str.maketrans("äöå", "aoa")
    emails = np.array(
        [
            f"{f.lower().translate(trans)}.{la.lower().translate(trans)}{i % 97}@{domain}"
            for i, (f, la) in enumerate(zip(first, last, strict=True))
        ]
    )
    return names, emails


def _phrase(rng: np.random.Generator, options: list[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _compose(
    rng: np.random.Generator,
    flags: dict[str, np.ndarray],
    phrases: dict[str, list[str]],
    filler: list[str],
    blank_share: float,
) -> np.ndarray:
    n = len(next(iter(flags.values())))
    out = np.empty(n, dtype=object)
    blank = rng.random(n) < blank_share
    for i in range(n):
        if blank[i]:
            out[i] = None
            continue
        parts = [_phrase(rng, phrases[t]) for t, f in flags.items() if f[i]]
        out[i] = " ".join(parts) if parts else _phrase(rng, filler)
    return out


# --------------------------------------------------------------------------------------- competence


_SUPPORT = {
    "koulutus": [
        "Tarvitsen koulutusta sosiaaliseen raportointiin.",
        "Lisää koulutusta vaikuttavuuden arviointiin.",
        "Täydennyskoulutus rakenteellisesta sosiaalityöstä auttaisi.",
        "Koulutuksia tiedolla johtamisesta.",
    ],
    "aika": [
        "Aikaa, nyt työaika menee asiakastyöhön.",
        "Resursseja ja aikaa kehittämiselle.",
        "Kiireen vuoksi rakenteelliselle työlle ei jää aikaa.",
        "Enemmän työaikaa ja pienemmät asiakasmäärät.",
    ],
    "johto": [
        "Johdon tukea ja selkeät toimintamallit.",
        "Esihenkilön tuki ja kannustus olisi tärkeää.",
    ],
    "tyokalut": [
        "Helppokäyttöisiä työkaluja tiedon keräämiseen.",
        "Kirjaamisen malli, josta saa tilastoja.",
    ],
}
_SUPPORT_FILLER = [
    "En osaa sanoa tarkemmin.",
    "Yhteistä keskustelua työyhteisössä.",
    "Vertaistukea muilta kunnilta.",
]


def competence_frame(n: int = 118, seed: int = 2020) -> pd.DataFrame:
    """A Microsoft Forms style competence-mapping export (label text) with the planted effects.

    Returns the frame of ``n`` clean respondents (messiness is added by :func:`write_sample`).
    """
    return _competence_round(n, seed)[0]


def _competence_round(
    n: int,
    seed: int,
    *,
    inst: Instrument | None = None,
    shifts: dict[str, float] | None = None,
    carry: dict[str, np.ndarray] | None = None,
    start_day: str = "2020-09-07 08:00",
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """One competence round and its respondents' hidden traits (background, latent level ``theta``, names
    and e-mails), so that a later round can ask some of the same people again.

    ``inst``: the codebook edition whose texts head the columns (default version 1); ``shifts``: area -> a
    change added to the competence items' latent mean (a later round's planted change); ``carry``: the traits
    of earlier respondents who answer again (arrays of equal length; ``"rows"`` says which rows of this round
    they take). All random draws happen in the same order whatever the options, so the defaults give the
    shipped 2020 sample.
    """
    inst = inst or load_instrument("competence")
    shifts = shifts or {}
    p = PLANTED["competence"]
    rng = np.random.default_rng(seed)
    org = rng.choice(["essote", "kainuu"], n, p=[0.55, 0.45])
    role = rng.choice(
        ["social_worker", "social_counsellor", "supervisor", "other"], n, p=[0.45, 0.38, 0.1, 0.07]
    )
    area = rng.choice(
        ["adult_social_work", "mental_health_substance", "typ", "other"],
        n,
        p=[0.5, 0.25, 0.17, 0.08],
    )
    exp = rng.choice(["lt2", "2to5", "6to10", "gt10"], n, p=[0.15, 0.3, 0.25, 0.3])
    theta = rng.normal(0, 0.45, n)
    names, emails = _people(rng, n, "esimerkki.fi")
    traits = {
        "org": org,
        "role": role,
        "area": area,
        "exp": exp,
        "theta": theta,
        "names": names,
        "emails": emails,
    }
    if carry is not None:
        rows = carry["rows"]
        for k, v in traits.items():
            v = v.astype(object) if v.dtype.kind == "U" else v
            v[rows] = carry[k]
            traits[k] = v
        org, role, area, exp, theta, names, emails = (traits[k] for k in traits)
    start = pd.Timestamp(start_day) + pd.to_timedelta(rng.integers(0, 60 * 24 * 18, n), unit="min")
    cols: dict[str, Any] = {
        "ID": np.arange(1, n + 1).astype(str),
        "Aloitusaika": start.strftime("%d.%m.%Y %H.%M.%S"),
        "Valmistumisaika": (start + pd.to_timedelta(rng.integers(8, 40, n), unit="min")).strftime(
            "%d.%m.%Y %H.%M.%S"
        ),
        "Sähköposti": emails,
        "Nimi": names,
    }
    for item_id, codes in (
        ("organisation", org),
        ("role", role),
        ("work_area", area),
        ("experience", exp),
    ):
        it = inst.item(item_id)
        assert it.scale is not None
        cols[it.text_fi] = np.array([it.scale.codes[c]["fi"] for c in codes], dtype=object)
    for role_kind, means in (
        ("competence", p["competence_means"]),
        ("importance", p["importance_means"]),
    ):
        for a, mu in means.items():
            u = rng.normal(0, 0.35 if a != p["low_alpha_area"] else 0.0, n)
            for k, it in enumerate(inst.likert_items(area=a, role=role_kind)):
                mean = np.full(n, mu + (k - 1) * 0.1)
                if role_kind == "competence":
                    mean = mean + theta + u + shifts.get(a, 0.0)
                    if a == p["group_difference"]["area"]:
                        mean = mean + np.where(
                            org == p["group_difference"]["higher"],
                            p["group_difference"]["shift"] / 2,
                            -p["group_difference"]["shift"] / 2,
                        )
                else:
                    mean = mean + 0.3 * theta + 0.5 * u
                sd = 1.05 if a == p["low_alpha_area"] else 0.5
                codes = _likert(rng, mean, sd)
                dk = rng.random(n) < (0.06 if a == "vaikuttavuustieto" else 0.025)
                cols[it.text_fi] = _to_labels(codes, _labels(inst, it.id), dk)
    cond = rng.normal(0, 0.6, n)
    for it in inst.likert_items(area="edellytykset"):
        base = np.full(n, 3.4) + cond
        codes = _likert(rng, 6 - base if it.reverse else base, 0.7)
        cols[it.text_fi] = _to_labels(codes, _labels(inst, it.id), rng.random(n) < 0.03)
    flags = {t: rng.random(n) < share for t, share in p["support_themes"].items()}
    flags |= {"johto": rng.random(n) < 0.15, "tyokalut": rng.random(n) < 0.15}
    texts = _compose(rng, flags, _SUPPORT, _SUPPORT_FILLER, blank_share=0.0)
    texts[3] = "Koulutusta. Voitte soittaa minulle 040 765 4321 tai laittaa viestiä."
    texts[7] = f"Koulutusta kaipaisin, ks. {emails[7]}"
    cols[inst.item("support_needed").text_fi] = texts
    return pd.DataFrame(cols), traits


# --------------------------------------------------------------------------------------- interviews


_GOOD = {
    "kohtaaminen": [
        "Työntekijä kuunteli ja oli ystävällinen.",
        "Tulin kuulluksi ja minua kohdeltiin arvostavasti.",
        "Kohtelu oli asiallista ja lämmintä.",
    ],
    "tiedonsaanti": [
        "Sain selkeät ohjeet hakemuksen tekemiseen.",
        "Neuvonta etuuksista oli ymmärrettävää.",
    ],
    "apu": ["Sain apua arjen asioihin.", "Kotikäynnit auttoivat jaksamaan."],
}
_CHANGE = {
    "saatavuus": [
        "Jonot ovat liian pitkät.",
        "Työntekijää on vaikea tavoittaa puhelimella.",
        "Ajanvaraukseen pitää odottaa viikkoja.",
    ],
    "jatkuvuus": ["Työntekijät vaihtuvat koko ajan.", "Toivoisin saman työntekijän pitkään."],
    "asiointi": ["Sähköinen asiointi on hankalaa.", "Lomakkeet ovat vaikeita täyttää verkossa."],
}
_MISSING = {
    "asuminen": [
        "Apua asunnon löytämiseen.",
        "Tukea vuokra-asunnossa pärjäämiseen.",
        "Asunnottomuuden uhka pelottaa, siihen en saanut apua.",
        "Asumisen tukea kaipaisin.",
    ],
    "toimeentulo": [
        "Apua velkojen kanssa.",
        "Toimeentulotuen käsittely kesti liian kauan.",
        "Raha ei riitä laskuihin.",
    ],
    "mielenterveys": ["Mielenterveyspalveluihin pääsy.", "Keskusteluapua ahdistukseen."],
    "yksinaisyys": ["Yksinäisyyteen ei ole apua.", "Vertaisryhmä olisi hyvä."],
}
_FILLER = ["Ei erityistä.", "Kaikki meni hyvin.", "En osaa sanoa.", "Hyvä näin."]
_SERVICES = [
    "adult_social_work",
    "substance_mental_health",
    "typ",
    "housing_support",
    "debt_advice",
]


def interviews_frame(
    n: int = 80,
    semester: str = "2021-syksy",
    seed: int = 2021,
    n_students: int | None = None,
) -> pd.DataFrame:
    """A Forms style export of ``n`` client interviews held by sosionomi students in ``semester``.

    The planted 2022 improvement in *kohtaaminen* and the NPS shift apply when the semester's year is 2022 or
    later; theme shares in "what help was missing" follow :data:`PLANTED`.
    """
    inst = load_instrument("interviews")
    p = PLANTED["interviews"]
    rng = np.random.default_rng(seed)
    year = int(semester[:4])
    later = year >= 2022
    if n_students is None:
        n_students = p["students"].get(semester, max(1, n // 2))
    n_students = min(n_students, n)
    student = np.concatenate([np.arange(n_students), rng.integers(0, n_students, n - n_students)])
    rng.shuffle(student)
    s_first = rng.choice(FIRST_NAMES, n_students)
    s_last = rng.choice(LAST_NAMES, n_students)
    s_names = np.array([f"{f} {la}" for f, la in zip(s_first, s_last, strict=True)])
    trans = str.maketrans("äöå", "aoa")
    s_mail = np.array(
        [
            f"{f.lower().translate(trans)}.{la.lower().translate(trans)}{k}@edu.esimerkki.fi"
            for k, (f, la) in enumerate(zip(s_first, s_last, strict=True))
        ]
    )
    service = rng.choice(_SERVICES, n, p=[0.36, 0.27, 0.2, 0.14, 0.03])
    if n >= 40:  # keep the small service small but present: 3 interviews
        service[np.flatnonzero(service == "debt_advice")] = "adult_social_work"
        service[rng.choice(n, 3, replace=False)] = "debt_advice"
    day = pd.Timestamp(f"{year}-10-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    fmt = "%d.%m.%Y" if year % 2 else "%Y-%m-%d"
    sat = rng.normal(0, 0.55, n)
    cols: dict[str, Any] = {
        "ID": np.arange(1, n + 1).astype(str),
        "Aloitusaika": day.strftime(fmt + " 10:00"),
        "Valmistumisaika": day.strftime(fmt + " 10:45"),
        "Sähköposti": s_mail[student],
        "Nimi": s_names[student],
        "Haastattelupäivä" if year % 2 else "Haastattelun päivämäärä": day.strftime(fmt),
    }
    for item_id, codes in (
        ("service", service),
        (
            "age_band",
            rng.choice(["18_29", "30_44", "45_64", "65plus"], n, p=[0.25, 0.35, 0.32, 0.08]),
        ),
        ("gender", rng.choice(["female", "male", "other_or_na"], n, p=[0.48, 0.47, 0.05])),
        ("client_duration", rng.choice(["lt1", "1to3", "gt3"], n, p=[0.3, 0.4, 0.3])),
    ):
        it = inst.item(item_id)
        assert it.scale is not None
        cols[it.text_fi] = np.array([it.scale.codes[c]["fi"] for c in codes], dtype=object)
    change = p["theme_change_2022"] if later else {}
    for it in inst.likert_items():
        mu = p["theme_means_2021"][it.area] + change.get(it.area, 0.0)
        codes = _likert(rng, mu + sat + rng.normal(0, 0.25, n) * (it.area == "kohtaaminen"), 0.75)
        cols[it.text_fi] = _to_labels(codes, _labels(inst, it.id), rng.random(n) < 0.04)
    # Recommendation 0-10: planted NPS via promoter/detractor shares, tied to satisfaction.
    target = p["nps_target"].get(semester, p["nps_target"]["2022-syksy" if later else "2021-syksy"])
    pro_share = 0.36 + target / 200
    det_share = 0.36 - target / 200
    rank = np.argsort(np.argsort(sat + rng.normal(0, 0.5, n))) / max(n - 1, 1)
    score = np.where(
        rank >= 1 - pro_share,
        rng.choice([9, 10], n),
        np.where(rank < det_share, rng.choice([2, 4, 5, 6], n), rng.choice([7, 8], n)),
    )
    cols[inst.item("nps").text_fi] = score.astype(str)
    shares = p["missing_themes"].get(
        semester, p["missing_themes"]["2022-syksy" if later else "2021-syksy"]
    )
    flags = {t: rng.random(n) < s for t, s in shares.items()}
    flags |= {"mielenterveys": rng.random(n) < 0.15, "yksinaisyys": rng.random(n) < 0.1}
    cols[inst.item("open_good").text_fi] = _compose(
        rng,
        {
            t: rng.random(n) < s
            for t, s in (
                ("kohtaaminen", 0.5 if later else 0.3),
                ("tiedonsaanti", 0.25),
                ("apu", 0.3),
            )
        },
        _GOOD,
        _FILLER,
        0.1,
    )
    cols[inst.item("open_change").text_fi] = _compose(
        rng,
        {
            t: rng.random(n) < s
            for t, s in (("saatavuus", 0.4), ("jatkuvuus", 0.2), ("asiointi", 0.15))
        },
        _CHANGE,
        _FILLER,
        0.15,
    )
    cols[inst.item("open_missing").text_fi] = _compose(rng, flags, _MISSING, _FILLER, 0.0)
    df = pd.DataFrame(cols)
    if n > 10:
        df.loc[2, inst.item("open_change").text_fi] = (
            f"Työntekijä {s_first[student[2]]} oli mukava, mutta soittakaa numeroon 050 123 4567."
        )
        df.loc[5, inst.item("open_missing").text_fi] = (
            "Asunnon hakuun apua, asun nyt Kauppakatu 12 B 5:ssä."
        )
    return df


# ------------------------------------------------------------------------------------------- course


def course_frames(
    seed: int = 2021,
    n: int | None = None,
    *,
    planted: dict[str, Any] | None = None,
    year: int = 2021,
) -> dict[str, pd.DataFrame]:
    """The course pilot's enrolment register, pre/post self-assessments and feedback survey.

    ``planted``: the course round's planted numbers (default ``PLANTED["course"]``, the 2021 round; the 2022
    round is ``PLANTED["course_2022"]``); ``year``: the round's year (participant ids, dates).
    """
    p = planted or PLANTED["course"]
    rng = np.random.default_rng(seed)
    n = n or p["enrolled"]
    scale = n / p["enrolled"]
    enr = load_instrument("course_enrolment")
    n_done = round(p["completed"] * scale)
    wl_done, wl_n = (round(v * scale) for v in p["completed_by_group"]["working_life"])
    group = np.array(["working_life"] * wl_n + ["student"] * (n - wl_n), dtype=object)
    completed = np.zeros(n, bool)
    completed[:wl_done] = True
    completed[wl_n : wl_n + (n_done - wl_done)] = True
    order = rng.permutation(n)
    group, completed = group[order], completed[order]
    # Funnel consistent with the completion: completers did everything; others dropped out somewhere.
    stage = np.where(completed, 7, 0)
    non = np.flatnonzero(~completed)
    counts = [p["started"], *p["module_counts"].values()]
    levels = [round(c * scale) for c in counts]  # started, M1..M5
    drop_at = np.zeros(len(non), int)
    remaining = len(non)
    k = 0
    for lvl_i, lvl in enumerate(levels):
        reach = max(lvl - n_done, 0)
        leave = remaining - reach
        drop_at[k : k + leave] = lvl_i
        k += leave
        remaining = reach
    drop_at[k:] = len(levels)
    stage[non[rng.permutation(len(non))]] = drop_at
    started = stage >= 1
    modules = {f"M{m}": stage >= m + 1 for m in range(1, 6)}
    cd1 = np.where(completed, True, (stage >= 3) & (rng.random(n) < 0.7))
    cd2 = np.where(completed, True, (stage >= 5) & (rng.random(n) < 0.6))
    uas = np.where(
        group == "student",
        rng.choice(["xamk", "diak", "savonia", "karelia", "kamk"], n),
        rng.choice(
            ["xamk", "diak", "savonia", "karelia", "kamk"], n, p=[0.3, 0.2, 0.2, 0.15, 0.15]
        ),
    )
    campus = np.select(
        [np.isin(uas, ["savonia", "karelia"]), uas == "kamk", uas == "xamk"],
        ["kuopio", "kajaani", "mikkeli"],
        rng.choice(["kuopio", "mikkeli"], n),
    ).astype(object)
    names, emails = _people(rng, n, "esimerkki.fi")
    first = np.array([s.split()[0] for s in names])
    last = np.array([s.split()[1] for s in names])
    pid = np.array([f"SR{year % 100:02d}-{i:03d}" for i in range(1, n + 1)])
    first_day = {2021: "2021-08-16"}.get(year, f"{year}-08-15")
    enrol_day = pd.Timestamp(first_day) + pd.to_timedelta(rng.integers(0, 25, n), unit="D")

    def lab(item: str, codes: np.ndarray) -> np.ndarray:
        it = enr.item(item)
        assert it.scale is not None
        return np.array([it.scale.codes[c]["fi"] for c in codes], dtype=object)

    yn = lambda b: np.where(b, "yes", "no")  # noqa: E731
    enrol = pd.DataFrame(
        {
            "Etunimi": first,
            "Sukunimi": last,
            "Tunnistenumero": pid,
            "Sähköpostiosoite": emails,
            "Ilmoittautumispäivä": [f"{d.day}.{d.month}.{d.year}" for d in enrol_day],
            "Osallistujaryhmä": lab("group", group),
            "Ammattikorkeakoulu": lab("uas", uas),
            "Lähipäivien kampus": lab("campus", campus),
            "Aloitti kurssin": lab("started", yn(started)),
            **{enr.item(m).text_fi: lab(m, yn(v)) for m, v in modules.items()},
            "Lähipäivä 1": lab("contact_day1", yn(cd1)),
            "Lähipäivä 2": lab("contact_day2", yn(cd2)),
            "Suoritti kurssin (5 op)": lab("completed", yn(completed)),
        }
    )

    # Pre/post self-assessment on the competence items.
    sa = load_instrument("course_selfassessment")
    comp = PLANTED["competence"]["competence_means"]
    pre_pool = np.flatnonzero(started)
    n_pre = min(round(p["n_pre"] * scale), len(pre_pool))
    pre_idx = np.sort(rng.choice(pre_pool, n_pre, replace=False))
    post_pool = np.concatenate(
        [
            np.flatnonzero(completed),
            rng.choice(np.flatnonzero(~completed & started), 2, replace=False),
        ]
    )
    n_post = min(round(p["n_post"] * scale), len(post_pool))
    post_idx = np.sort(rng.choice(post_pool, n_post, replace=False))
    person = rng.normal(0, 0.45, n)
    area_u = {a: rng.normal(0, 0.3, n) for a in comp}

    def selfassessment(idx: np.ndarray, gain: bool) -> pd.DataFrame:
        cols: dict[str, Any] = {"Tunnistenumero": pid[idx], "Sähköpostiosoite": emails[idx]}
        for a, mu in comp.items():
            shift = p["gains"][a] if gain else 0.0
            for it in sa.likert_items(area=a):
                codes = _likert(rng, mu + 0.1 + person[idx] + area_u[a][idx] + shift, 0.45)
                cols[it.text_fi] = _to_labels(
                    codes, _labels(sa, it.id), rng.random(len(idx)) < 0.02
                )
        return pd.DataFrame(cols)

    pre = selfassessment(pre_idx, gain=False)
    post = selfassessment(post_idx, gain=True)

    # Feedback (anonymous).
    fb = load_instrument("course_feedback")
    n_fb = round(p["n_feedback"] * scale)
    fb_idx = rng.choice(post_pool, n_fb, replace=len(post_pool) < n_fb)
    like = rng.normal(0, 0.5, n_fb)
    cols = {
        "ID": np.arange(1, n_fb + 1).astype(str),
        "Valmistumisaika": [f"12.12.{year} 14.0" + str(i % 10) for i in range(n_fb)],
        "Osallistujaryhmä": lab("group", group[fb_idx]),
        "Lähipäivien kampus": lab("campus", campus[fb_idx]),
    }
    for it in fb.likert_items():
        codes = _likert(rng, p["feedback_means"][it.area] + like, 0.6)
        dk = rng.random(n_fb) < (0.1 if it.area == "lahipaivat" else 0.03)
        cols[it.text_fi] = _to_labels(codes, _labels(fb, it.id), dk)
    nps_score = np.clip(np.rint(8.2 + 2 * like + rng.normal(0, 1.2, n_fb)), 0, 10).astype(int)
    cols[fb.item("nps").text_fi] = nps_score.astype(str)
    motivation = {
        "kiinnostus": ["Kiinnostus aiheeseen.", "Aihe kiinnosti minua jo pitkään."],
        "kannustus": ["Esihenkilö kannusti osallistumaan.", "Kollega suositteli kurssia."],
    }
    develop = {
        "kuormitus": ["Työmäärä oli liian suuri 5 opintopisteeseen.", "Aikataulu oli kiireinen."],
        "alusta": ["Howspace-alusta oli sekava.", "Alustan ohjeet voisivat olla selkeämmät."],
    }
    cols[fb.item("open_motivation").text_fi] = _compose(
        rng,
        {"kiinnostus": rng.random(n_fb) < 0.6, "kannustus": rng.random(n_fb) < 0.35},
        motivation,
        ["Työn kehittäminen.", "Opintopisteet."],
        0.05,
    )
    cols[fb.item("open_develop").text_fi] = _compose(
        rng,
        {"kuormitus": rng.random(n_fb) < 0.45, "alusta": rng.random(n_fb) < 0.3},
        develop,
        _FILLER,
        0.15,
    )
    feedback = pd.DataFrame(cols)
    return {
        "course_enrolment": enrol,
        "course_pre": pre,
        "course_post": post,
        "course_feedback": feedback,
    }


# ---------------------------------------------------------------------------------------------- writing


def _add_messiness(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    id_col: str | None,
    name_col: str | None,
    email_col: str | None,
    label_cols: list[str],
) -> pd.DataFrame:
    """Append a test row, a duplicate of a real row and a blank row; mess up a few label cells."""
    out = df.copy()
    for c in label_cols:
        out[c] = _mess(rng, out[c])
    test = out.iloc[[0]].copy()
    if id_col:
        test[id_col] = "TESTI-1" if not str(out[id_col].iloc[0]).isdigit() else str(len(out) + 1)
    if name_col:
        test[name_col] = "Testi Testaaja"
    if email_col:
        test[email_col] = "testi.testaaja@esimerkki.fi"
    dup = out.iloc[[min(4, len(out) - 1)]].copy()
    if id_col and str(out[id_col].iloc[0]).isdigit():
        dup[id_col] = str(len(out) + 2)
    blank = pd.DataFrame({c: [None] for c in out.columns})
    at = len(out) // 2
    return pd.concat([out.iloc[:at], test, blank, out.iloc[at:], dup], ignore_index=True)


def _write_csv(df: pd.DataFrame, path: Path, *, sep: str, encoding: str, meta: list[str]) -> None:
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for m in meta:
        writer.writerow([m])
    writer.writerow(df.columns)
    for row in df.itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and v != v) else v for v in row])
    with atomic_path(path) as tmp:
        tmp.write_bytes(buf.getvalue().encode(encoding))


def _write_xlsx(df: pd.DataFrame, path: Path, *, meta: list[str], sheet: str = "Sheet1") -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for m in meta:
        ws.append([m])
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([None if v is None or (isinstance(v, float) and v != v) else v for v in row])
    import io

    from .outputs import (
        _normalise_zip,
    )  # fixed document and zip dates: identical bytes on every run

    buf = io.BytesIO()
    wb.save(buf)
    with atomic_path(path) as tmp:
        tmp.write_bytes(_normalise_zip(buf.getvalue()))


def _is_ours(path: Path) -> bool:
    """True for a file this module wrote: its first rows carry :data:`MARKER` (CSV in any of the encodings it
    writes, or the first sheet of an .xlsx)."""
    try:
        if path.suffix.lower() == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True)
            try:
                return any(
                    MARKER in [str(v) for v in row]
                    for row in wb.worksheets[0].iter_rows(max_row=3, values_only=True)
                )
            finally:
                wb.close()
        head = path.read_bytes()[:4096]
        return any(MARKER.encode(enc) in head for enc in ("utf-8", "cp1252"))
    except Exception:  # an unreadable file is not ours
        return False


def _refuse_foreign(out: Path) -> None:
    """Never write over a real export, nor beside one (a run reads every export of a folder): only files that
    carry the sample's own marker line are ours to replace, whatever README lies beside them."""
    from .errors import ConfigError

    if out.is_dir():
        foreign = [
            p.name
            for p in sorted(out.iterdir())
            if p.is_file()
            and p.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".tsv", ".txt", ".xls", ".ods")
            and not _is_ours(p)
        ]
        if foreign:
            raise ConfigError(
                f"{out} holds files that are no synthetic sample ({', '.join(foreign[:3])}); give "
                "an empty folder for the synthetic sample"
            )


def write_sample(out_dir: str | Path, *, rows: int | None = None, seed: int = 0) -> list[Path]:
    """Write the whole synthetic sample set into ``out_dir`` and return the paths.

    ``rows`` sets the number of competence respondents and of interviews per semester (default: the planted
    sizes). ``seed`` shifts every generator's seed, so seed 0 gives the shipped sample.
    """
    out = Path(out_dir)
    _refuse_foreign(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 99)
    paths = []
    comp = competence_frame(rows or PLANTED["competence"]["n_respondents"], seed=2020 + seed)
    paths.append(_write_competence(comp, rng, out, 2020, load_instrument("competence")))

    for k, (sem, sep, enc) in enumerate(
        (("2021-syksy", ";", "cp1252"), ("2022-syksy", ",", "utf-8-sig"))
    ):
        n = rows or PLANTED["interviews"]["n_interviews"][sem]
        df = interviews_frame(n, sem, seed=2021 + k + seed)
        inst = load_instrument("interviews")
        df = _add_messiness(
            df,
            rng,
            id_col="ID",
            name_col="Nimi",
            email_col="Sähköposti",
            label_cols=[it.text_fi for it in inst.likert_items()][:4],
        )
        p = out / f"interviews_{sem}.csv"
        _write_csv(df, p, sep=sep, encoding=enc, meta=[f"Asiakaskokemushaastattelut {sem}", MARKER])
        paths.append(p)

    paths += _write_course(course_frames(seed=2021 + seed, n=rows), rng, out, 2021)
    atomic_write_text(out / "README.md", _readme())
    return paths


def _write_competence(
    comp: pd.DataFrame, rng: np.random.Generator, out: Path, year: int, inst: Instrument
) -> Path:
    """A competence round as Microsoft Forms writes it (.xlsx, metadata rows, a re-typed role header)."""
    labels = [it.text_fi for it in inst.likert_items()][::5] + ["Tehtävänimike"]
    comp = comp.rename(columns={inst.item("role").text_fi: "Tehtävänimike"})
    comp = _add_messiness(
        comp, rng, id_col="ID", name_col="Nimi", email_col="Sähköposti", label_cols=labels
    )
    p = out / f"competence_{year}.xlsx"
    _write_xlsx(comp, p, meta=[f"SOSRAKE osaamiskartoitus syyskuu {year}", MARKER])
    return p


def _write_course(
    frames: dict[str, pd.DataFrame], rng: np.random.Generator, out: Path, year: int
) -> list[Path]:
    """A course round: Moodle-style tab-separated register, semicolon CSV self-assessments, xlsx feedback."""
    enrol = _add_messiness(
        frames["course_enrolment"],
        rng,
        id_col="Tunnistenumero",
        name_col="Etunimi",
        email_col="Sähköpostiosoite",
        label_cols=["Osallistujaryhmä", "Lähipäivä 1"],
    )
    paths = [out / f"course_enrolment_{year}.csv"]
    _write_csv(enrol, paths[0], sep="\t", encoding="utf-8", meta=[MARKER])
    for name in ("course_pre", "course_post"):
        p = out / f"{name}_{year}.csv"
        _write_csv(frames[name], p, sep=";", encoding="utf-8-sig", meta=[MARKER])
        paths.append(p)
    p = out / f"course_feedback_{year}.xlsx"
    _write_xlsx(
        frames["course_feedback"], p, meta=[f"Koulutuspilotin palaute syksy {year}", MARKER]
    )
    return [*paths, p]


def followup_frames(seed: int = 0) -> dict[str, pd.DataFrame]:
    """The follow-up round of :data:`PLANTED` ``["competence_2022"]``: the 2022 competence round (codebook
    version 2) with about 40 % of the 2020 respondents answering again, and the course's 2022 round.

    Examples
    --------
    >>> f = followup_frames()
    >>> len(f["competence"]), int(f["competence"]["Sähköposti"].isin(competence_frame()["Sähköposti"]).sum())
    (110, 47)
    """
    from .codebook import editions

    p = PLANTED["competence_2022"]
    earlier, traits = _competence_round(PLANTED["competence"]["n_respondents"], 2020 + seed)
    del earlier
    rng = np.random.default_rng(2022 + seed)
    n = p["linked"] + p["new"]
    again = np.sort(rng.choice(len(traits["theta"]), p["linked"], replace=False))
    carry = {k: v[again] for k, v in traits.items()}
    carry["rows"] = np.sort(rng.choice(n, p["linked"], replace=False))
    comp, _ = _competence_round(
        n,
        2022 + 100 + seed,
        inst=load_instrument(editions("competence")[1]),
        shifts=p["change"],
        carry=carry,
        start_day="2022-09-05 08:00",
    )
    frames = course_frames(seed=2022 + seed, planted=PLANTED["course_2022"], year=2022)
    return {"competence": comp, **frames}


def write_followup_sample(out_dir: str | Path, *, seed: int = 0) -> list[Path]:
    """Write the follow-up round (:data:`PLANTED` ``["competence_2022"]`` and ``["course_2022"]``) into
    ``out_dir``: ``competence_2022.xlsx``, the four course files of 2022 and a README. ``seed`` 0 gives the
    shipped ``data/raw/sample/2022``. Like :func:`write_sample`, it refuses a folder with other exports."""
    out = Path(out_dir)
    _refuse_foreign(out)
    out.mkdir(parents=True, exist_ok=True)
    from .codebook import editions

    frames = followup_frames(seed)
    rng = np.random.default_rng(seed + 122)
    paths = [
        _write_competence(
            frames["competence"], rng, out, 2022, load_instrument(editions("competence")[1])
        )
    ]
    paths += _write_course(frames, rng, out, 2022)
    atomic_write_text(out / "README.md", _followup_readme())
    return paths


def _readme() -> str:
    return (
        "# Synteettinen esimerkkiaineisto / synthetic sample data\n\n"
        "Tämän kansion tiedostot on tuottanut `sosrake sample-data` (moduuli `sosrake_lib.synthetic`). Kaikki\n"
        "henkilöt ovat keksittyjä. Aineistoon on istutettu tunnetut vaikutukset, jotka analyysien pitää löytää;\n"
        "ne on kuvattu `sosrake_lib/synthetic.py`:n `PLANTED`-sanakirjassa.\n\n"
        "Every person here is invented. The planted effects the analyses must recover are documented in\n"
        "`PLANTED` in `sosrake_lib/synthetic.py`. Regenerate with `sosrake sample-data --out data/raw/sample`.\n\n"
        "| file | instrument | like |\n|---|---|---|\n"
        "| competence_2020.xlsx | competence | Microsoft Forms .xlsx, metadata rows above the header |\n"
        "| interviews_2021-syksy.csv | interviews | semicolon CSV, Windows-1252, Finnish dates |\n"
        "| interviews_2022-syksy.csv | interviews | comma CSV, UTF-8 with BOM, ISO dates |\n"
        "| course_enrolment_2021.csv | course_enrolment | Moodle-style tab-separated register |\n"
        "| course_pre_2021.csv, course_post_2021.csv | course_selfassessment | semicolon CSV, UTF-8 BOM |\n"
        "| course_feedback_2021.xlsx | course_feedback | anonymous feedback survey |\n"
    )


def _followup_readme() -> str:
    c, k = PLANTED["competence_2022"], PLANTED["course_2022"]
    trained = ", ".join(c["trained_areas"])
    return (
        "# Synteettinen seurantakierros 2022 / synthetic follow-up round 2022\n\n"
        "Tämän kansion tiedostot on tuottanut `sosrake sample-data --followup` (funktio\n"
        "`sosrake_lib.synthetic.write_followup_sample`). Kaikki henkilöt ovat keksittyjä. Kansio on vuoden 2020\n"
        "osaamiskartoituksen (`data/raw/sample/competence_2020.xlsx`) seurantakierros ja koulutuspilotin toinen\n"
        "toteutus. Every person here is invented. Regenerate with\n"
        "`sosrake sample-data --followup --out data/raw/sample/2022`.\n\n"
        "Aja seuranta / run the follow-up:\n\n"
        "```bash\n"
        "sosrake run competence --semester 2022-syksy --raw data/raw/sample/2022 \\\n"
        "    --earlier-round data/raw/sample/competence_2020.xlsx --out outputs/\n"
        "```\n\n"
        "## Istutetut vaikutukset / planted effects (`PLANTED` in `sosrake_lib/synthetic.py`)\n\n"
        f"- {c['n_respondents']} vastaajaa siivouksen jälkeen; heistä {c['linked']} vastasi myös vuonna 2020 (sama\n"
        f"  sähköposti, eli sama pseudonyymi samalla avaimella: {c['linked']} / 118 = 40 % vuoden 2020 vastaajista),\n"
        f"  {c['new']} on uusia. / {c['n_respondents']} respondents after cleaning, {c['linked']} of them answered in 2020 too.\n"
        f"- Koulutetut osaamisalueet ({trained}: vuoden 2020 kolme suurinta Borich-tarvetta ja\n"
        "  koulutuspilotin alueet) paranevat noin +0,4 asteikolla 1–5, muut noin 0, sekä samoilla henkilöillä\n"
        "  (parittain) että uusilla vastaajilla. Ero muutoksissa (koulutetut − muut) on noin 0,4.\n"
        "  / The trained areas improve by about +0.4, the others by about 0, within person and between rounds.\n"
        "- Koodikirjan versio 2: kysymys C_VT2/I_VT2 muotoiltiin uudelleen (C_VT2b/I_VT2b, `previous_id`), ja sitä\n"
        "  verrataan vain tämän kytkennän kautta; C_YS3/I_YS3 jätettiin pois eikä sitä voi verrata.\n"
        "  / Codebook version 2: one statement reworded (compared through `previous_id`), one dropped (listed).\n"
        f"- Koulutuspilotti 2022: {k['enrolled']} ilmoittautunutta, {k['completed']} suoritti"
        f" ({100 * k['completed'] / k['enrolled']:.0f} %; 2021: 55,6 %),\n"
        "  kuormitus koettiin kevyemmäksi (palautteen kuormitus-osion keskiarvo 3,4; 2021: 2,8).\n"
        "  / Course round 2022: a higher completion rate and a lighter workload.\n\n"
        "| file | instrument | like |\n|---|---|---|\n"
        "| competence_2022.xlsx | competence (codebook version 2) | Microsoft Forms .xlsx, metadata rows |\n"
        "| course_enrolment_2022.csv | course_enrolment | Moodle-style tab-separated register |\n"
        "| course_pre_2022.csv, course_post_2022.csv | course_selfassessment | semicolon CSV, UTF-8 BOM |\n"
        "| course_feedback_2022.xlsx | course_feedback | anonymous feedback survey |\n"
    )


# ------------------------------------------------------------------------------------ coded worksheet
#: Generator theme -> codebook theme id, where the names differ.
_CODEBOOK_ID = {"apu": "apu_arkeen", "asiointi": "asiointi_digi"}


def sentence_truth() -> dict[str, set[str]]:
    """Each sentence the interview generator writes -> the codebook themes it was written for.

    >>> sorted(sentence_truth()["Sain apua arjen asioihin."])
    ['apu_arkeen']
    >>> sentence_truth()["Ei erityistä."]
    set()
    """
    out: dict[str, set[str]] = {t: set() for t in _FILLER}
    for pool in (_GOOD, _CHANGE, _MISSING):
        for theme, sentences in pool.items():
            for t in sentences:
                out.setdefault(t, set()).add(_CODEBOOK_ID.get(theme, theme))
    return out


def _person_ticks(answer: str, rng: np.random.Generator, themes: list[str]) -> set[str]:
    """The themes a synthetic person ticks for one (scrubbed) answer: the truth of every generator sentence
    in it, the planted broad reading of the low-kappa theme, and a small chance of a miss or an extra."""
    p = PLANTED["coding"]
    truth = sentence_truth()
    ticks: set[str] = set()
    missing_pool = {t for ts in _MISSING.values() for t in ts}
    for sentence, sentence_themes in truth.items():
        if sentence in answer:
            ticks |= sentence_themes
            if sentence in missing_pool:
                ticks.add(p["low_kappa_theme"])
    ticks &= set(themes)
    if ticks and rng.random() < p["miss_share"]:
        ticks.discard(sorted(ticks)[int(rng.integers(len(ticks)))])
    if rng.random() < p["extra_share"]:
        ticks.add(themes[int(rng.integers(len(themes)))])
    return ticks


def write_coded_worksheet(run_dir: str | Path, target: str | Path, *, seed: int = 0) -> Path:
    """Write a worksheet coded by two synthetic people, as :data:`PLANTED` ``["coding"]`` describes.

    The blank worksheet is the real :func:`sosrake_lib.coding.worksheet.write_worksheet` output of the run in
    ``run_dir`` (an interviews run of the sample); it is ticked cell by cell with ``x`` as a person would
    and saved reproducibly. ``seed`` shifts the coders' random slips. The shipped
    ``data/raw/sample/coding/interviews_coded.xlsx`` is this function's output for the sample run.
    """

    from openpyxl import load_workbook

    from .coding.worksheet import WORKSHEET_FILE, write_worksheet
    from .outputs import workbook_to_bytes

    p = PLANTED["coding"]
    target = Path(target)
    blank = target.parent / f".{target.stem}.{WORKSHEET_FILE}"
    write_worksheet(run_dir, n=p["n"], seed=p["seed"], lang="fi", target=blank, force=True)
    wb = load_workbook(blank)
    blank.unlink()
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True)}
    themes = str(meta["themes"]).split(",")
    for k, sheet in enumerate(str(meta["coder_sheets"]).split("|")):
        ws = wb[sheet]
        rng = np.random.default_rng(p["seed"] + 1000 * (k + 1) + seed)
        last = ws.max_row if k == 0 else 1 + p["coder2_rows"]
        for r in range(2, last + 1):
            ticks = _person_ticks(str(ws.cell(row=r, column=3).value or ""), rng, themes)
            for j, theme in enumerate(themes, start=4):
                if theme in ticks:
                    ws.cell(row=r, column=j, value="x")
            if not ticks:
                ws.cell(row=r, column=4 + len(themes), value="x")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, workbook_to_bytes(wb))
    return target
