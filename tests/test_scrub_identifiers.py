"""Identifier forms the scrubber used to miss (issue "Data safety under misuse", item 3).

Each case is removed by :func:`sosrake_lib.scrub.scrub_pii`, found by :func:`sosrake_lib.scrub.find_pii` (one set
of patterns for both) and so reported by ``sosrake scan``; ordinary numbers stay.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from sosrake_lib.scan import scan_outputs
from sosrake_lib.scrub import TAGS, find_pii, scrub_pii, scrub_pii_series

# Surnames that are common nouns and first names whose stem changes when inflected.
NAMES = [
    "Laura Järvi",
    "Pekka Lahti",
    "Aino Mäki",
    "Ville Kangas",
    "Eeva Lampi",
    "Tuomas Virtanen",
    "Markus Nieminen",
]

# ------------------------------------------------------------------------------------------ names

STEM_CHANGED = ["Järven", "Lahden", "Mäen", "Kankaan", "Lammen", "Tuomaksen", "Markuksen"]


@pytest.mark.parametrize("word", STEM_CHANGED)
def test_names_inflected_with_a_stem_change(word: str) -> None:
    assert scrub_pii(f"Kiitos {word} avusta!", names=NAMES) == "Kiitos [nimi] avusta!"
    assert find_pii(f"Kiitos {word} avusta!", names=NAMES) == [("name", word)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soitin Järvelle ja Lahdelle.", "Soitin [nimi] ja [nimi]."),
        ("Mäeltä ja Kankaalta sain apua", "[nimi] ja [nimi] sain apua"),
        ("Lammelle, Tuomakselle ja Markukselle kiitos", "[nimi], [nimi] ja [nimi] kiitos"),
        ("TUOMAKSEN kanssa", "[nimi] kanssa"),
        ("Laura Järven mukaan", "[nimi] [nimi] mukaan"),
    ],
)
def test_names_in_other_cases_and_letter_case(text: str, expected: str) -> None:
    assert scrub_pii(text, names=NAMES) == expected


def test_stem_changed_forms_only_of_known_names_and_only_capitalised() -> None:
    # The same words in lower case are the common nouns (lake, bay, hill, heath, pond): names in answers are
    # capitalised, so these stay. Unknown names stay too, and a capitalised word that merely shares the first
    # letters with a name is not one.
    kept = "Leiri oli järven rannalla, lahden takana, mäen päällä ja kankaan laidalla lammen luona."
    assert scrub_pii(kept, names=NAMES) == kept
    assert scrub_pii("Kiitos Järven avusta", names=["Maija Virtanen"]) == "Kiitos Järven avusta"
    assert (
        scrub_pii("Järjestö ja Lahjoitus ja Mäntylä", names=NAMES)
        == "Järjestö ja Lahjoitus ja Mäntylä"
    )
    assert scrub_pii("Kiitos Järven avusta") == "Kiitos Järven avusta"


# ------------------------------------------------------------------------------------------ henkilötunnus


@pytest.mark.parametrize(
    "hetu",
    [
        "131052 -308T",
        "131052 –308T",
        "131052 +308T",
        "010199 Y123A",
        "010105 B123c",
        "010101a123n",
        "010199X123A",
        "010199W123A",
        "010199V123A",
        "010199U123A",
        "010105B123c",
        "010105C123D",
        "010105D123E",
        "010105E123F",
        "010105F123H",
        "131052-308t",
    ],
)
def test_personal_id_space_new_century_signs_lower_case(hetu: str) -> None:
    assert scrub_pii(f"hetu {hetu} ok") == "hetu [henkilötunnus] ok"
    assert find_pii(f"hetu {hetu} ok") == [("personal_id", hetu)]


# ------------------------------------------------------------------------------------------ phones


@pytest.mark.parametrize(
    "phone",
    [
        "040/123 4567",
        "040 / 123 4567",
        "040.123.4567",
        "040.1234567",
        "040–123 4567",
        "040–1234567",
        "09/123 4567",
        "+358 40/123 4567",
        "+358 40.123.4567",
        "+358 40–123 4567",
        "+358–40–123–4567",
        "+358 (0)40/123 4567",
    ],
)
def test_phone_with_slash_dot_or_en_dash(phone: str) -> None:
    assert scrub_pii(f"soita {phone} tänään") == "soita [puhelinnumero] tänään"
    assert find_pii(f"soita {phone} tänään") == [("phone", phone)]


# ------------------------------------------------------------------------------------------ e-mail


@pytest.mark.parametrize(
    "email",
    [
        "maija at kunta.fi",
        "maija AT kunta.fi",
        "maija.virtanen at kainuu.fi",
        "maija(at)kunta.fi",
        "maija [at] kunta.fi",
        "maija (at) kunta.fi",
        "maija[at]kunta.fi",
        "maija @ kunta.fi",
    ],
)
def test_email_with_at_spelled_out(email: str) -> None:
    assert scrub_pii(f"Viesti: {email}, kiitos") == "Viesti: [sähköposti], kiitos"
    assert find_pii(f"Viesti: {email}, kiitos") == [("email", email)]


# ------------------------------------------------------------------------------------------ addresses


@pytest.mark.parametrize(
    "address",
    [
        "Pohjoisesplanadi 11",
        "Storgatan 5 B 12",
        "Storgatan 5",
        "Hämeenpuisto 5",
        "Bulevardi 7 A 3",
        "Mannerheiminaukio 1 as. 4",
        "Aleksanterinkaarre 2",
        "Kirkkovägen 3",
        "Pohjoisesplanadi 11, 00170 Helsinki",
        "Ruusulankuja 2b",
        "Ilmarinen 5 C 17",
        "Ahonen 3 as 12",
        "Sammonkuja 7 B",
    ],
)
def test_street_address_without_a_listed_suffix(address: str) -> None:
    assert scrub_pii(f"Asun osoitteessa {address}.") == "Asun osoitteessa [osoite]."
    assert find_pii(f"Asun osoitteessa {address}.") == [("address", address)]


# ------------------------------------------------------------------------------------------ IBAN, plates


@pytest.mark.parametrize(
    "iban",
    [
        "FI21 1234 5600 0007 85",
        "FI2112345600000785",
        "fi21 1234 5600 0007 85",
        "SE45 5000 0000 0583 9825 7466",
        "DE89 3704 0044 0532 0130 00",
    ],
)
def test_bank_account_number(iban: str) -> None:
    assert scrub_pii(f"tilille {iban} maksettu") == "tilille [tilinumero] maksettu"
    assert scrub_pii(f"account {iban}", lang="en") == "account [account number]"
    assert find_pii(f"tilille {iban} maksettu") == [("iban", iban)]


@pytest.mark.parametrize("plate", ["ABC-123", "AB-1", "XYZ-99", "ÖVE-123", "ABC–123"])
def test_registration_plate(plate: str) -> None:
    assert scrub_pii(f"auto {plate} pihalla") == "auto [rekisterinumero] pihalla"
    assert scrub_pii(f"car {plate}", lang="en") == "car [registration plate]"
    assert find_pii(f"auto {plate} pihalla") == [("plate", plate)]


def test_new_tags_in_both_languages() -> None:
    assert TAGS["fi"]["iban"] == "[tilinumero]" and TAGS["en"]["iban"] == "[account number]"
    assert (
        TAGS["fi"]["plate"] == "[rekisterinumero]" and TAGS["en"]["plate"] == "[registration plate]"
    )
    assert set(TAGS["fi"]) == set(TAGS["en"])


# ------------------------------------------------------------------------------------------ kept


KEPT = [
    "Haastattelu 12.10.2022 ja 12.10. sekä 01.10.2022, 1.1.2023 ja 01/2021-02/2022, 05/2022.",
    "Maksoin 1 500 € ja 1500 euroa, 12,50 € ja 0,50 €.",
    "Vuonna 2021 ja lukuvuonna 2021–2022 sekä 2021/2022.",
    "87 % ja 12,5 % ja 0,5 %.",
    "Postinumero 50100 Mikkeli, 00100.",
    "klo 9.35, klo 09.35, klo 9–15, klo 08.30–16.00 ja klo 10:00.",
    "Kävin 3 kertaa, minulla on 2 lasta, 0–100 pistettä.",
    "Kurssi 5 op, 5 ECTS, Kurssi 5, Ryhmä 3 aloitti, Luokka 9 B, Vastaajia 12, Kysymys 7 kohta 2.",
    "ICD-10, DSM-5, PHQ-9, GAD-7, WHO-5, COVID-19, SR21-001, EU-27 ja Y-tunnus 0123456-7.",
    "Sivu 12 ja Liite 2 sekä Vaihe 1.",
    "Versio 2.0 ja 0.123 ja 0.1.2",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert scrub_pii(text) == text
    assert find_pii(text) == []


def test_english_at_before_a_web_address_is_not_an_email() -> None:
    text = "More information is available at www.thl.fi and at https://thl.fi."
    assert scrub_pii(text, lang="en") == text


# ------------------------------------------------------------------------------------------ find_pii = scrub_pii

EVERY_FORM = [
    ("name", "Järven"),
    ("name", "Tuomaksen"),
    ("personal_id", "131052 -308T"),
    ("phone", "040/123 4567"),
    ("phone", "040.123.4567"),
    ("phone", "040–123 4567"),
    ("phone", "+358 40/123 4567"),
    ("email", "maija at kunta.fi"),
    ("email", "maija [at] kunta.fi"),
    ("address", "Pohjoisesplanadi 11"),
    ("address", "Storgatan 5 B 12"),
    ("iban", "FI21 1234 5600 0007 85"),
    ("iban", "FI2112345600000785"),
    ("plate", "ABC-123"),
    ("plate", "AB-1"),
]


def test_find_pii_finds_every_form_the_scrubber_removes() -> None:
    text = "; ".join(f"kohta {value} tässä" for _, value in EVERY_FORM)
    assert find_pii(text, names=NAMES) == EVERY_FORM
    scrubbed = scrub_pii(text, names=NAMES)
    assert find_pii(scrubbed, names=NAMES) == []
    assert scrubbed == "; ".join(f"kohta {TAGS['fi'][kind]} tässä" for kind, _ in EVERY_FORM)


def test_series_scrubbing_equals_scrub_pii_with_inflected_names() -> None:
    """The Arrow prefilter must let every text with a stem-changed name form through to the name search."""
    rng = random.Random(3)
    pieces = [
        "Järven",
        "järven",
        "Lahdelle",
        "LAHDEN",
        "Mäeltä",
        "mäen",
        "Kankaan",
        "Lammen",
        "Tuomaksen",
        "Markuksen",
        "Järjestö",
        "Lahjoitus",
        "Maija",
        "kiitos",
        "hyvä",
        "040/123 4567",
        "ABC-123",
        "FI21 1234 5600 0007 85",
        "maija at kunta.fi",
        "Storgatan 5 B 12",
        "131052 -308T",
        "ſ",
        "apu",
    ]
    texts = list(
        dict.fromkeys(
            " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(800)
        )
    )
    s = pd.Series([*texts, None], dtype="str")
    got = scrub_pii_series(s, names=NAMES)
    assert got.iloc[:-1].tolist() == [scrub_pii(t, names=NAMES) for t in texts]
    assert pd.isna(got.iloc[-1])
    assert (
        scrub_pii_series(s.astype(object), names=NAMES).iloc[:-1].tolist() == got.iloc[:-1].tolist()
    )


# ------------------------------------------------------------------------------------------ scan


def test_scan_flags_each_form_in_an_output_csv(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = ["Ryhmä,n,Lainaus"] + [
        f'Essote,52,"Kiitos, {value} oli mukana"' for _, value in EVERY_FORM
    ]
    (tmp_path / "quotes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    found = {(f.kind, f.value) for f in scan_outputs(tmp_path, names=NAMES)}
    assert set(EVERY_FORM) <= found, set(EVERY_FORM) - found
    # the common nouns in lower case are not names
    (tmp_path / "quotes.csv").write_text(
        'Ryhmä,n,Lainaus\nEssote,52,"järven rannalla, Järjestö"\n', encoding="utf-8"
    )
    assert scan_outputs(tmp_path, names=NAMES) == []


def test_arrow_prefilters_are_valid_re2() -> None:
    """The fast path of scrub_pii_series is taken only when RE2 accepts the prefilters (else it scrubs all)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from sosrake_lib.scrub import _BASE_PREFILTER, _lemma_prefilter, _name_prefilter, _names_key

    arr = pa.array(["maija at kunta.fi", "Järven kanssa", "ei mitään", "ABC-123", "Laura soitti"])
    key = _names_key(NAMES)

    def hits(regex: str | None) -> list[bool]:
        assert regex is not None
        return pc.match_substring_regex(arr, regex).to_pylist()

    assert hits(_BASE_PREFILTER) == [True, False, False, True, False]
    assert hits(_name_prefilter(key)) == [False, False, False, False, True]
    assert hits(_lemma_prefilter(key)) == [False, True, False, False, True]


@pytest.mark.parametrize(
    "text",
    [
        "040  123 4567",
        "040 — 123 4567",
        "+358.40.123.4567",
        "358401234567",
        "+46 70 123 45 67",
        "maija(at)kunta(dot)fi",
        "maija.virtanen at kunta dot fi",
        "maija @kunta .fi",
        "maija\uff20kunta.fi",
        "FI21-1234-5600-0007-85",
        "FI 21 1234 5600 0007 85",
        "FI21 123456 00000785",
        "auto abc-123",
        "auto ABC 123",
        "131052 308T",
    ],
)
def test_variants_found_by_an_independent_misuse_run(text: str) -> None:
    import pandas as pd

    out = scrub_pii(text)
    assert not any(ch.isdigit() for ch in out) and "kunta" not in out, out
    assert find_pii(text), text  # scan sees what the scrubber removes
    many = pd.Series([text] + [f"tavallinen vastaus {i}" for i in range(3000)], dtype="str")
    assert scrub_pii_series(many).iloc[0] == out  # the fast path for big exports agrees


@pytest.mark.parametrize(
    "text",
    [
        "TYP 2022 ja EU-27 ja PHQ-9 ja covid-19",
        "Palautetta maija.virtanen@kainuu.fi. Vuonna 2021 sain 500 euroa",
    ],
)
def test_new_variants_keep_ordinary_text(text: str) -> None:
    out = scrub_pii(text)
    assert "2021" in out or "2022" in out


def test_two_word_street_and_no_year_as_house_number() -> None:
    assert scrub_pii("Asun osoitteessa Myllymäen tie 7 B 3.") == "Asun osoitteessa [osoite]."
    assert (
        scrub_pii("Vuonna 2019, 70100 Kuopio") == "Vuonna 2019, 70100 Kuopio"
    )  # a year is no house number


def test_lower_case_plate_is_three_letters_and_three_digits() -> None:
    assert scrub_pii("top-2 osuus ja k-12 ja covid-19") == "top-2 osuus ja k-12 ja covid-19"
    assert scrub_pii("auto abc-123") == "auto [rekisterinumero]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Asun Mäntylä 5:ssä.", "Asun [osoite]:ssä."),
        ("osoite: Mäntylä 5", "osoite: [osoite]"),
        ("Hän asuu Korpela 12 B 3, 70100 Kuopio.", "Hän asuu [osoite]."),
        ("Asumme Hirvola 7 A.", "Asumme [osoite]."),
    ],
)
def test_a_street_named_like_a_surname_after_a_word_that_says_address(
    text: str, expected: str
) -> None:
    """No street suffix to go by ("Mäntylä 5"), but "asun" / "osoite" says an address follows."""
    assert scrub_pii(text) == expected
    assert [kind for kind, _ in find_pii(text)] == ["address"]


@pytest.mark.parametrize(
    "text",
    [
        "Asun Kuopiossa 5 vuotta.",
        "Asuin Mäntylä 5 vuotta sitten.",
        "Asumme Tuusniemi 3 henkeä.",
        "Asun 3 vuotta Joensuussa.",
    ],
)
def test_a_place_and_a_duration_after_asun_are_kept(text: str) -> None:
    assert scrub_pii(text) == text
