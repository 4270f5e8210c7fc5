"""Tests for sosrake_lib.text: Finnish theme coding of open answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sosrake_lib.errors import ConfigError
from sosrake_lib.text import (
    UNCODED,
    available_codebooks,
    candidate_quotes,
    code_themes,
    explain_matches,
    load_theme_codebook,
    theme_frequencies,
    uncoded_answers,
)


@pytest.fixture(scope="module")
def interviews():
    return load_theme_codebook("interviews")


def themes_of(text: str, codebook) -> set[str]:
    row = code_themes(pd.Series([text]), codebook).iloc[0]
    return {c for c in row.index[row.to_numpy(dtype=bool)] if c != UNCODED}


# ----------------------------------------------------------------------------------------- codebooks
@pytest.mark.parametrize("name", ["interviews", "competence", "course"])
def test_shipped_codebooks_load_with_ascii_ids_and_labels(name):
    cb = load_theme_codebook(name)
    assert len(cb.themes) >= 7
    for t in cb.themes:
        assert t.id.isascii() and t.id == t.id.lower()
        assert t.label_fi and t.label_en and t.stems


def test_available_codebooks():
    assert available_codebooks() == ["competence", "course", "interviews"]


def test_unknown_codebook_is_config_error():
    with pytest.raises(ConfigError, match="not found"):
        load_theme_codebook("no_such_codebook")


@pytest.mark.parametrize(
    ("stems", "message"),
    [("[ty]", "shorter than 3"), ("['asun.*']", "only letters"), ("[]", "non-empty")],
)
def test_bad_codebook_entries_are_rejected(tmp_path, stems, message):
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"themes:\n- id: x\n  label_fi: X\n  label_en: X\n  stems: {stems}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=message):
        load_theme_codebook(path)


def test_bad_id_and_duplicate_id(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "themes:\n- id: Työ\n  label_fi: X\n  label_en: X\n  stems: [työ]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="snake_case"):
        load_theme_codebook(path)
    path.write_text(
        "themes:\n- {id: a, label_fi: A, label_en: A, stems: [aaa]}\n- {id: a, label_fi: B, label_en: B, stems: [bbb]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="duplicate"):
        load_theme_codebook(path)


def test_staff_can_add_a_word_to_a_custom_codebook(tmp_path):
    path = tmp_path / "own.yaml"
    path.write_text(
        "name: own\nthemes:\n- id: liikunta\n  label_fi: Liikunta\n  label_en: Exercise\n  stems: [liikun, ^uin]\n",
        encoding="utf-8",
    )
    cb = load_theme_codebook(path)
    coded = code_themes(
        pd.Series(["Liikuntaryhmä auttoi", "Uimahalli", "Kävin uimassa", "Sauna"]), cb
    )
    # "liikun" (prefix), "uimahalli" is not "uin*", "uimassa" has the lemma "uida" - not "uin*" either
    assert coded["liikunta"].tolist() == [True, False, False, False]
    assert coded[UNCODED].tolist() == [False, True, True, True]


# ------------------------------------------------------------------------- inflection and compounds
@pytest.mark.parametrize(
    ("word", "theme"),
    [
        ("asunnon", "asuminen"),
        ("asunnottomuus", "asuminen"),
        ("vuokra-asunnossa", "asuminen"),
        ("asumisen", "asuminen"),
        ("asuntoon", "asuminen"),
        ("kotiin", "asuminen"),
        ("tukiasunnossa", "asuminen"),  # compound part
        ("toimeentulotuen", "toimeentulo"),
        ("velkajärjestely", "toimeentulo"),
        ("vuokranmaksu", "toimeentulo"),  # compound part "maksu"
        ("Kelalta", "toimeentulo"),
        ("sähkölaskut", "toimeentulo"),
        ("työttömänä", "tyo"),
        ("työkokeiluun", "tyo"),
        ("TYP-palvelussa", "tyo"),
        ("pitkäaikaistyöttömyys", "tyo"),
        ("päihdepalveluissa", "paihteet"),
        ("alkoholin", "paihteet"),
        ("masennukseen", "mielenterveys"),
        ("kuunneltiin", "kohtaaminen"),
        ("kuulluksi", "kohtaaminen"),
        ("kohdattiin", "kohtaaminen"),  # consonant gradation via the lemma "kohdata"
        ("kohdeltiin", "kohtaaminen"),
        ("jonossa", "saatavuus"),
        ("odotin", "saatavuus"),
        ("ajanvaraukseen", "saatavuus"),
        ("tavoitettavissa", "saatavuus"),
        ("puhelimella", "saatavuus"),
        ("ohjeet", "tiedonsaanti"),
        ("ymmärrettävästi", "tiedonsaanti"),
        ("neuvontaa", "tiedonsaanti"),
        ("verkkoasiointi", "asiointi_digi"),
        ("sähköisesti", "asiointi_digi"),
        ("hakemuksen", "asiointi_digi"),
        ("lomakkeet", "asiointi_digi"),
        ("yksinäisyys", "yksinaisyys"),
        ("vaihtuvuus", "jatkuvuus"),
        ("arjessa", "apu_arkeen"),  # gradation: arki -> arje-
        ("kotikäynnit", "apu_arkeen"),
    ],
)
def test_inflected_and_compound_forms_match(interviews, word, theme):
    assert theme in themes_of(word, interviews)


@pytest.mark.parametrize(
    ("word", "not_theme"),
    [
        ("työntekijä", "tyo"),  # the social worker is not "work"
        ("sosiaalityöntekijän", "tyo"),
        ("sosiaalityöllä", "tyo"),  # short stem "työ" does not match inside a compound
        ("typerää", "tyo"),  # "=typ" is a whole word only
        ("tavoitteet", "saatavuus"),  # goals, not reachability
        ("odotukset", "saatavuus"),  # expectations, not waiting
        ("hoitomuodot", "saatavuus"),  # "^odot" not inside a compound
        ("sähköpostiosoitteen", "saatavuus"),  # "soitt" inside "osoitteen"
        ("kuuluu", "kohtaaminen"),
        ("pääasiallisesti", "kohtaaminen"),
        ("taidosta", "kohtaaminen"),
        ("arkisto", "apu_arkeen"),
        ("hierarkia", "apu_arkeen"),
        ("kotikäynnit", "asuminen"),  # excluded from housing, belongs to help at home
        ("ystävällinen", "yksinaisyys"),  # friendly worker is not about friends
        ("erinomainen", "yksinaisyys"),  # "-omainen" is not "omainen" (relative)
        ("yksinkertainen", "yksinaisyys"),
        ("ohjelma", "tiedonsaanti"),
        ("ensisijaisesti", "jatkuvuus"),
        ("mielenkiintoinen", "mielenterveys"),
        ("maakaasun", "toimeentulo"),
    ],
)
def test_false_positives_are_avoided(interviews, word, not_theme):
    assert not_theme not in themes_of(word, interviews)


def test_asunto_matches_only_housing(interviews):
    for word in ("asunto", "asunnon", "asunnottomuus", "vuokra-asunnossa"):
        assert themes_of(word, interviews) == {"asuminen"}


def test_phrase_needs_adjacent_words(interviews):
    coded = code_themes(
        pd.Series(["Saman työntekijän kanssa", "Sama asia, työntekijä kiireinen"]), interviews
    )
    assert coded["jatkuvuus"].tolist() == [True, False]


def test_decomposed_unicode_is_normalised(interviews):
    decomposed = "pa\u0308ihdepalveluissa"  # "ä" written as a + combining diaeresis (macOS exports)
    assert "paihteet" in themes_of(decomposed, interviews)


def test_without_lemmas_gradation_is_missed(interviews):
    s = pd.Series(["kohdattiin"])
    assert bool(code_themes(s, interviews)["kohtaaminen"].iloc[0])
    assert not bool(code_themes(s, interviews, lemmatize=False)["kohtaaminen"].iloc[0])


def test_other_codebooks_code_typical_answers():
    comp = load_theme_codebook("competence")
    assert themes_of("Lisää koulutusta ja aikaa, johdon tukea", comp) == {
        "koulutus",
        "aika_resurssit",
        "johdon_tuki",
    }
    assert themes_of("Tilastoja ja vertaistukea kollegoilta", comp) == {
        "data_tilastot",
        "vertaistuki",
    }
    course = load_theme_codebook("course")
    assert themes_of("Esihenkilöni kannusti ja aihe kiinnosti", course) == {
        "kannustus",
        "kiinnostus",
    }
    assert themes_of("Howspace oli sekava, lähipäiviä enemmän", course) == {
        "alusta_howspace",
        "lahipaivat",
    }
    assert "kannustus" not in themes_of("ehdottomasti hyvä", course)


# ----------------------------------------------------------------------------------------- code_themes
def test_multi_theme_answer_and_empty_answers(interviews):
    s = pd.Series(
        [
            "Asunto löytyi mutta jonossa odotin ja toimeentulotuki myöhästyi",
            "",
            None,
            "   ",
            "Kiitos!",
        ],
        index=[10, 11, 12, 13, 14],
    )
    coded = code_themes(s, interviews)
    assert list(coded.index) == [10, 11, 12, 13, 14]
    assert list(coded.columns) == [*interviews.ids, UNCODED]
    assert {c for c in coded.columns if coded.loc[10, c]} == {
        "asuminen",
        "saatavuus",
        "toimeentulo",
    }
    for i in (11, 12, 13):
        assert not coded.loc[i].any()  # empty/NA: not an answer, not uncoded
    assert coded[UNCODED].tolist() == [False, False, False, False, True]
    assert all(coded[c].dtype == bool for c in coded.columns)


def test_single_theme_mode_keeps_the_most_mentioned(interviews):
    s = pd.Series(["Vuokra ja asunto ja koti, sekä jono", "jono ja vuokra"])
    coded = code_themes(s, interviews, multi=False)
    assert coded.loc[0, "asuminen"] and not coded.loc[0, "saatavuus"]  # 3 housing words vs 1
    assert coded.loc[1].sum() == 1 and coded.loc[1, "asuminen"]  # tie: first in codebook order


def test_exclude_masks_only_that_word(interviews):
    # "työntekijä" is excluded from work, but "työkokeilu" in the same answer still counts
    assert "tyo" in themes_of("Työntekijä järjesti työkokeilun", interviews)


def test_speed_sanity_100k_rows(interviews):
    rng = np.random.default_rng(1)
    base = np.array(
        ["Asunnon saaminen kesti", "Työntekijä kuunteli", "Toimeentulotuen hakemus verkossa", ""]
    )
    letters = list("bcdfghjklmnprstvx")  # no vowels: random words cannot contain a stem
    noise = ["".join(rng.choice(letters, 7)) for _ in range(5000)]
    texts = pd.Series(
        [
            *base[rng.integers(0, 4, 90_000)],
            *(" ".join(rng.choice(noise, 5)) for _ in range(10_000)),
        ]
    )
    coded = code_themes(texts, interviews)
    assert coded.shape == (100_000, len(interviews.ids) + 1)
    assert int(coded["asuminen"].sum()) == int((texts == base[0]).sum())


# ---------------------------------------------------------------------------------------- frequencies
def test_theme_frequencies_known_counts(interviews):
    s = pd.Series(["asunto", "vuokra ja velat", "jonossa", "", None, "kiitos", "toimeentulotuki"])
    f = theme_frequencies(code_themes(s, interviews)).set_index("theme")
    # 5 answering (non-empty): housing 2, income 2, access 1, uncoded 1
    assert f.loc["asuminen", "n"] == 2 and f.loc["asuminen", "n_answering"] == 5
    assert f.loc["asuminen", "percent"] == pytest.approx(40.0)
    assert f.loc["toimeentulo", "n"] == 2
    assert f.loc["saatavuus", "percent"] == pytest.approx(20.0)
    assert f.loc[UNCODED, "n"] == 1 and f.loc[UNCODED, "label"] == "Ei luokiteltu"
    assert f.loc["tyo", "n"] == 0
    assert f.loc["asuminen", "label"] == "Asuminen"
    assert f.index[-1] == UNCODED
    assert list(f.index[:2]) == ["asuminen", "toimeentulo"]  # sorted by n, ties in codebook order


def test_theme_frequencies_by_group_and_english(interviews):
    s = pd.Series(["asunto", "asunto", "jono", "kiitos", ""])
    semester = pd.Series(["2021", "2021", "2022", "2022", "2022"], name="semester")
    coded = code_themes(s, interviews).join(semester)
    f = theme_frequencies(coded, by="semester", lang="en").set_index(["semester", "theme"])
    assert f.loc[("2021", "asuminen"), "n"] == 2 and f.loc[("2021", "asuminen"), "n_answering"] == 2
    assert f.loc[("2022", "asuminen"), "n"] == 0
    assert f.loc[("2022", "saatavuus"), "percent"] == pytest.approx(50.0)
    assert f.loc[("2022", UNCODED), "n"] == 1 and f.loc[("2022", UNCODED), "label"] == "Uncoded"
    assert f.loc[("2021", "asuminen"), "label"] == "Housing"
    # group as a separate aligned Series gives the same table
    g = theme_frequencies(code_themes(s, interviews), by=semester, lang="en").set_index(
        ["semester", "theme"]
    )
    pd.testing.assert_series_equal(f["n"], g["n"])


# ------------------------------------------------------------------------------ uncoded and quotes
def test_uncoded_answers(interviews):
    s = pd.Series(
        ["asunto", " Kiitos kaikesta ", None, "", "Ei mitään lisättävää"], index=list("abcde")
    )
    u = uncoded_answers(s, code_themes(s, interviews))
    assert u.to_dict() == {"b": "Kiitos kaikesta", "e": "Ei mitään lisättävää"}


def test_candidate_quotes_length_limit_and_flags(interviews):
    long = (
        "Asunnon saaminen kesti todella pitkään ja "
        + "jouduin odottamaan jonossa monta kuukautta " * 8
    )
    s = pd.Series(
        [long, "Asunto löytyi", "Asuminen on nyt kunnossa", "Vuokra on liian kallis", "Kiitos"]
    )
    q = candidate_quotes(s, code_themes(s, interviews), max_chars=60, per_theme=3, seed=0)
    assert list(q.columns[:4]) == ["theme", "quote", "length", "approved"]
    assert (q["length"] <= 60).all() and (q["length"] == q["quote"].str.len()).all()
    assert not q["approved"].any()
    assert (q["theme"] == "asuminen").sum() == 3  # 4 housing answers, 3 drawn
    cut = q.loc[q["quote"].str.endswith("…"), "quote"]
    assert len(cut) >= 1
    for quote in cut:
        body = quote[:-1]
        assert long.startswith(body) and long[len(body)] == " "  # cut at a word boundary
    again = candidate_quotes(s, code_themes(s, interviews), max_chars=60, per_theme=3, seed=0)
    pd.testing.assert_frame_equal(q, again)  # reproducible with the seed


def test_candidate_quotes_scrub_before_cutting(interviews):
    text = "Asunto löytyi, soita 040 123 4567 jos kysyttävää " + "x" * 5
    s = pd.Series([text])
    q = candidate_quotes(
        s,
        code_themes(s, interviews),
        max_chars=35,
        scrub=lambda t: t.replace("040 123 4567", "[puh]"),
    )
    quote = q.loc[q["theme"] == "asuminen", "quote"].iloc[0]
    assert "040" not in quote and quote == "Asunto löytyi, soita [puh] jos…"


def test_explain_matches_shows_entry(interviews):
    ex = explain_matches("Työntekijä järjesti työkokeilun", interviews)
    tyo = ex[ex["theme"] == "tyo"].set_index("token")
    assert bool(tyo.loc["työntekijä", "excluded"]) is True
    assert bool(tyo.loc["työkokeilun", "excluded"].any()) is False


# ----------------------------------------------------------------------------------------- lemma cache
def test_block_dictionary_round_trip_finds_every_key_and_no_other():
    from sosrake_lib.text import _decode_blocks, _encode_blocks

    items = sorted({f"sana{i:03d}": f"lemma{i % 7}" for i in range(300)}.items()) + [
        ("ääni", "ääni")
    ]
    d = _decode_blocks(_encode_blocks(items, block_size=16))
    assert d is not None and len(d) == 301
    assert all(d.get(k) == v for k, v in items)  # first, inner and last keys of every block
    assert (
        d.get("aaa") is None and d.get("sana0005") is None and d.get("öö") is None
    )  # before, between, after
    assert dict(d) == dict(items)


def test_damaged_cache_file_is_not_used():
    from sosrake_lib.text import _decode_blocks, _encode_blocks

    data = bytearray(_encode_blocks([("a", "b"), ("c", "d")], block_size=1))
    data[-1] ^= 0xFF  # a flipped bit in the last block: the CRC no longer matches
    assert _decode_blocks(bytes(data)) is None
    assert _decode_blocks(b"not a cache") is None


def test_cached_lemmas_are_simplemmas_lemmas():
    import simplemma

    from sosrake_lib.text import _lemma, _lemmatizer

    words = [
        "kohdattiin",
        "arjessa",
        "työttömänä",
        "asunnossa",
        "päihdepalveluissa",
        "odotin",
        "kelalta",
        "toimeentulotuen",
        "sosiaalityöntekijän",
        "tavoitettavissa",
        "xyzzyä",
        "Helsingissä",
        "kuulluksi",
    ]
    assert [_lemma(w) for w in words[:3]] == [
        "kohdata",
        "arki",
        "työtön",
    ]  # consonant gradation undone
    assert [_lemmatizer().lemmatize(w, "fi") for w in words] == [
        simplemma.lemmatize(w, lang="fi") for w in words
    ]
