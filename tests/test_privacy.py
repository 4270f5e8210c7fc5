"""Tests for sosrake_lib.privacy: scrubbing, pseudonyms, key loading and small-cell suppression.

Expected suppression patterns are worked out by hand in the comment above each table.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import numpy as np
import pandas as pd
import pytest

from sosrake_lib import privacy
from sosrake_lib.errors import ConfigError
from sosrake_lib.privacy import (
    DEMO_KEY,
    find_pii,
    is_small,
    load_pseudonym_key,
    new_key,
    pseudonymise,
    scrub_pii,
    scrub_pii_series,
    suppress_by_n,
    suppress_small_cells,
    suppressed_label,
)

NA = pd.NA

# ----------------------------------------------------------------------------------------------------------
# scrub_pii
# ----------------------------------------------------------------------------------------------------------

SCRUBBED = [
    # henkilötunnus
    ("hetu 131052-308T", "hetu [henkilötunnus]"),
    ("010101A123N on hänen tunnuksensa", "[henkilötunnus] on hänen tunnuksensa"),
    ("pienellä: 131052-308t.", "pienellä: [henkilötunnus]."),
    ("vuosisata +: 311299+123A", "vuosisata +: [henkilötunnus]"),
    ("uusi merkki 010203Y456B", "uusi merkki [henkilötunnus]"),
    ("ajatusviiva 131052–308T", "ajatusviiva [henkilötunnus]"),
    ("010101-123N, ei puhelinnumero", "[henkilötunnus], ei puhelinnumero"),
    # phone numbers
    ("Soita 040 123 4567.", "Soita [puhelinnumero]."),
    ("puh. 040-1234567", "puh. [puhelinnumero]"),
    ("puh 0401234567", "puh [puhelinnumero]"),
    ("+358 40 123 4567", "[puhelinnumero]"),
    ("tavoittaa numerosta +358401234567 arkisin", "tavoittaa numerosta [puhelinnumero] arkisin"),
    ("sosiaalipäivystys 044 797 0363", "sosiaalipäivystys [puhelinnumero]"),
    ("vaihde (09) 123 4567", "vaihde [puhelinnumero]"),
    ("vaihde 09-123 4567", "vaihde [puhelinnumero]"),
    ("050 12 34 567 iltaisin", "[puhelinnumero] iltaisin"),
    ("+358 (0)40 123 4567", "[puhelinnumero]"),
    ("00358 40 1234567", "[puhelinnumero]"),
    ("Mikkeli 015 123 456", "Mikkeli [puhelinnumero]"),
    # e-mail
    ("firstname.lastname@kainuu.fi", "[sähköposti]"),
    ("Laita viesti: äijä.öljynen@essote.fi!", "Laita viesti: [sähköposti]!"),
    ("anna-liisa.åström@diak.fi tai matti(at)xamk.fi", "[sähköposti] tai [sähköposti]"),
    # street addresses
    ("asuu osoitteessa Kauppakatu 12 B 5.", "asuu osoitteessa [osoite]."),
    ("Rantatie 3", "[osoite]"),
    ("Kauppakatu 12 as. 5", "[osoite]"),
    ("Kauppakatu 12b, rappu", "[osoite], rappu"),
    ("Kivirinne 4 A 1, 70100 Kuopio", "[osoite]"),
    ("Asun Kauppakadulla 12", "Asun [osoite]"),
    ("Pohjois-Ranta 5", "[osoite]"),
    ("Valtakatu 12-14", "[osoite]"),
    ("Koulukuja 7, Kajaani", "[osoite], Kajaani"),
    ("Puistopolku 2 C 14", "[osoite]"),
    ("Kirkkoraitti 9", "[osoite]"),
    ("Satamaväylä 10", "[osoite]"),
    ("Kauppatori 1", "[osoite]"),
    ("Linnankaari 8", "[osoite]"),
    ("Koivupiha 3", "[osoite]"),
    ("Kirjastoaukio 2", "[osoite]"),
]


@pytest.mark.parametrize(("text", "expected"), SCRUBBED)
def test_scrub_pii_removes_identifiers(text: str, expected: str) -> None:
    assert scrub_pii(text) == expected


KEPT = [
    "Vuonna 2021 vastaajia oli 63, joista 35 suoritti kurssin.",
    "Matkakorvaus 500 euroa, omavastuu 1 000 euroa.",
    "87 % koki olonsa turvalliseksi, 12,5 % ei.",
    "Haastattelu 12.10.2022 klo 9-15, seuraava 1.1.2023.",
    "Kurssin laajuus 5 ECTS (135 h), 5 op.",
    "klo 09-15 ja klo 8.30-16",
    "Postinumero 70100 Kuopio ja 00100 Helsinki.",
    "NPS 68, keskiarvo 3,4 / 5, 0,5 %.",
    "lukuvuosi 2021-2022, päivä 2020-09-01, 10:00-15:00",
    "Y-tunnus 0123456-7",
    "vaikuttavuustieto 2 kertaa, tie 5",
    "Vastaajia 12, joista 3 esihenkilöitä; Q7: 4",
]


@pytest.mark.parametrize("text", KEPT)
def test_scrub_pii_keeps_ordinary_numbers(text: str) -> None:
    assert scrub_pii(text) == text
    assert find_pii(text) == []


def test_scrub_realistic_open_answer() -> None:
    text = (
        "Sain apua, kun Maija Virtanen soitti minulle numerosta 044 797 0363. Kerroin hetuni 131052-308T ja "
        "osoitteeni Kauppakatu 12 B 5. Kiitos Maijalle ja Virtaselle! Palautetta voi laittaa "
        "maija.virtanen@kainuu.fi. Vuonna 2021 sain 500 euroa toimeentulotukea, 12.10.2022 klo 9-15 "
        "olin ryhmässä (5 ECTS), 87 % ajasta hyödyllistä."
    )
    expected = (
        "Sain apua, kun [nimi] soitti minulle numerosta [puhelinnumero]. Kerroin hetuni [henkilötunnus] ja "
        "osoitteeni [osoite]. Kiitos [nimi] ja [nimi]! Palautetta voi laittaa "
        "[sähköposti]. Vuonna 2021 sain 500 euroa toimeentulotukea, 12.10.2022 klo 9-15 "
        "olin ryhmässä (5 ECTS), 87 % ajasta hyödyllistä."
    )
    out = scrub_pii(text, names=["Maija Virtanen"])
    assert out == expected
    # scrubbing is idempotent: the tags are not identifiers
    assert scrub_pii(out, names=["Maija Virtanen"]) == out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kiitos Maijalle ja Virtaselle", "Kiitos [nimi] ja [nimi]"),
        ("Maija Virtasen mukaan", "[nimi] mukaan"),
        ("MAIJA virtanen soitti", "[nimi] soitti"),
        ("Pekan kanssa, Pekalle, Pekka", "[nimi] kanssa, [nimi], [nimi]"),
        ("Niemiseltä sain tiedon", "[nimi] sain tiedon"),
        ("Anna-Liisan ja Liisan kanssa", "[nimi] ja [nimi] kanssa"),
        ("Korhoselle", "[nimi]"),
        # whole words only: a name inside another word is not a name
        ("Maijansa", "[nimi]"),
        ("Omaijan", "Omaijan"),
        # short names (< 3 characters) only as whole words
        ("Jo sanoi, Jolle ei", "[nimi] sanoi, Jolle ei"),
        # a street named after a person is an address
        ("Virtasentie 3", "[osoite]"),
    ],
)
def test_scrub_names_inflected(text: str, expected: str) -> None:
    names = ["Maija Virtanen", "Pekka Nieminen", "Anna-Liisa Korhonen", "Jo"]
    assert scrub_pii(text, names=names) == expected


def test_scrub_names_accepts_single_string_and_skips_missing() -> None:
    assert scrub_pii("Maijalle terveiset", names="Maija") == "[nimi] terveiset"
    assert (
        scrub_pii("Maijalle terveiset", names=["Maija", None, np.nan, "  "]) == "[nimi] terveiset"
    )
    # without names, names are not scrubbed
    assert scrub_pii("Maijalle terveiset") == "Maijalle terveiset"


def test_scrub_english_tags() -> None:
    text = "Maija, 131052-308T, 040 123 4567, a.b@xamk.fi, Rantatie 3"
    assert (
        scrub_pii(text, names=["Maija"], lang="en")
        == "[name], [personal id], [phone], [email], [address]"
    )


@pytest.mark.parametrize("value", [None, np.nan, NA])
def test_scrub_missing_unchanged(value: object) -> None:
    assert scrub_pii(value) is value


def test_scrub_bad_lang() -> None:
    with pytest.raises(ConfigError):
        scrub_pii("x", lang="sv")  # type: ignore[arg-type]


def test_find_pii_kinds_in_order() -> None:
    text = "Maija: puh 0401234567, hetu 010101A123N, a@b.fi, Rantatie 3"
    assert find_pii(text, names=["Maija"]) == [
        ("name", "Maija"),
        ("phone", "0401234567"),
        ("personal_id", "010101A123N"),
        ("email", "a@b.fi"),
        ("address", "Rantatie 3"),
    ]


def test_scrub_pii_series() -> None:
    s = pd.Series(
        ["soita 040-1234567", None, "ei mitään 2021", "Maijalle"],
        index=[10, 11, 12, 13],
        name="palaute",
    )
    out = scrub_pii_series(s, names=["Maija"])
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.name == "palaute"
    assert out.isna().tolist() == [False, True, False, False]
    assert out.dropna().tolist() == ["soita [puhelinnumero]", "ei mitään 2021", "[nimi]"]
    # agrees with the scalar function
    assert out.dropna().tolist() == [scrub_pii(v, names=["Maija"]) for v in s.dropna()]


def test_scrub_pii_series_object_and_nullable_string() -> None:
    obj = pd.Series(["puh 0401234567", 5, None, "x"], dtype=object)
    out = scrub_pii_series(obj, lang="en")
    assert out.tolist() == ["puh [phone]", 5, None, "x"]
    nullable = pd.Series(["puh 0401234567", None], dtype="string")
    out2 = scrub_pii_series(nullable)
    assert out2.dtype == "string"
    assert out2.iloc[0] == "puh [puhelinnumero]"
    assert out2.iloc[1] is NA


# ----------------------------------------------------------------------------------------------------------
# pseudonymise
# ----------------------------------------------------------------------------------------------------------


def test_pseudonymise_rfc4231_vector() -> None:
    # RFC 4231, test case 2: HMAC-SHA-256(key "Jefe", "what do ya want for nothing?")
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert pseudonymise("what do ya want for nothing?", b"Jefe", length=64) == expected
    # normalisation: case, surrounding and repeated whitespace
    assert pseudonymise("  What do  ya want\tfor nothing? ", "Jefe", length=64) == expected


def test_pseudonymise_independent_hmac() -> None:
    key = b"k" * 20
    expected = hmac.new(key, b"abc", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise("  ABC ", key) == expected
    assert pseudonymise("abc", key) == expected
    assert pseudonymise("abc", key, length=8, prefix="R-") == "R-" + expected[:8]


def test_pseudonymise_stable_and_keyed() -> None:
    k1, k2 = b"first key 0123456789", b"second key 0123456789"
    assert pseudonymise("R-0012", k1) == pseudonymise("R-0012", k1)
    assert pseudonymise("R-0012", k1) != pseudonymise("R-0012", k2)
    assert pseudonymise("R-0012", k1) != pseudonymise("R-0013", k1)
    assert len(pseudonymise("R-0012", k1, length=10)) == 10


def test_pseudonymise_series_na_and_index() -> None:
    key = b"0123456789abcdef"
    s = pd.Series(
        [" A1", "a1", None, "", np.nan, 123.0, 123, "b2"], index=list("abcdefgh"), name="id"
    )
    out = pseudonymise(s, key)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == list("abcdefgh")
    assert out.name == "id"
    assert out.isna().tolist() == [False, False, True, True, True, False, False, False]
    assert out["a"] == out["b"]
    assert out["f"] == out["g"] == pseudonymise("123", key)  # Excel's 123.0 is id 123
    assert out["h"] != out["a"]
    assert out.dropna().str.len().eq(16).all()


def test_pseudonymise_containers_keep_kind() -> None:
    key = b"0123456789abcdef"
    as_list = pseudonymise(["a", None], key)
    assert isinstance(as_list, list)
    assert as_list[0] == pseudonymise("a", key)
    assert as_list[1] is NA
    assert isinstance(pseudonymise(("a",), key), list)
    assert isinstance(pseudonymise(np.array(["a"], dtype=object), key), np.ndarray)
    assert isinstance(pseudonymise(pd.Index(["a"]), key), pd.Index)
    assert pseudonymise(None, key) is NA
    assert pseudonymise("   ", key) is NA


@pytest.mark.parametrize("key", [b"Jefe", b"k" * 64, b"long key " * 10, b""])
def test_hmac_many_equals_hmac_digest(key: bytes) -> None:
    # keys shorter than, equal to and longer than the 64-byte block (RFC 2104 hashes a longer key first);
    # messages around the 55/56/64-byte padding boundaries of SHA-256
    messages = [
        b"",
        b"a",
        b"x" * 55,
        b"x" * 56,
        b"x" * 64,
        b"x" * 119,
        "ääkkönen".encode(),
        b"y" * 300,
    ]
    assert privacy._hmac_sha256_many(key, messages) == [
        hmac.digest(key, m, "sha256") for m in messages
    ]


@pytest.mark.parametrize("chunk", [5, 1 << 17])
def test_pseudonymise_arrow_strings_same_as_generic_path(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The str-dtype fast path (ASCII ids lower-cased by Arrow, others normalised in Python; hashed in batches of
    # `chunk` distinct ids) against the object path, which normalises every value with str.split/casefold;
    # Unicode whitespace and case-folding cases.
    monkeypatch.setattr(privacy, "_PSEUDONYM_CHUNK", chunk)
    values = [
        " A1",
        "a1",
        None,
        "",
        " ",
        np.nan,
        "R-0012",
        "r-0012 ",
        "ID\tX",
        "id x",
        "a\x1cb",
        "a b",
        "Straße",
        "STRASSE",
        "strasse",
        "Ärrä\u00a0X",
        "ärrä x",
        "ﬁn",
        "FIN",
        "İ",
        "x\u3000y",
        "x y",
    ]
    s = pd.Series(values, index=range(100, 100 + len(values)), name="id", dtype="str")
    for key, length, prefix in (
        (b"0123456789abcdef", 16, "ps_"),
        ("avain-ä" * 3, 7, ""),
        (b"z" * 80, 64, "ä"),
    ):
        fast = pseudonymise(s, key, length=length, prefix=prefix)
        generic = pseudonymise(s.astype(object), key, length=length, prefix=prefix)
        pd.testing.assert_series_equal(fast, generic, check_exact=True)
    out = pseudonymise(s, b"0123456789abcdef")
    assert out.iloc[0] == out.iloc[1] == pseudonymise("a1", b"0123456789abcdef")
    assert out.iloc[10] == out.iloc[11]  # \x1c is whitespace to str.split
    assert out.iloc[12] == out.iloc[13] == out.iloc[14]  # casefold: ß -> ss
    assert out.iloc[2:6].isna().all() and out.notna().sum() == len(values) - 4
    assert pseudonymise(pd.Series([], dtype="str"), b"0123456789abcdef").tolist() == []


def test_pseudonymise_rejects_bad_key_and_length() -> None:
    with pytest.raises(ConfigError):
        pseudonymise("a", b"")
    with pytest.raises(TypeError):
        pseudonymise("a", (b"0123456789abcdef", False))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        pseudonymise("a", b"0123456789abcdef", length=65)
    with pytest.raises(ValueError):
        pseudonymise("a", b"0123456789abcdef", length=0)


def test_new_key() -> None:
    a, b = new_key(), new_key()
    assert a != b
    assert len(a) >= 43


# ----------------------------------------------------------------------------------------------------------
# load_pseudonym_key
# ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def no_key_env(monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY_FILE", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


def test_key_from_env(no_key_env, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", "  a-secret-key-of-24-chars \n")
    assert load_pseudonym_key() == (b"a-secret-key-of-24-chars", False)


def test_key_env_too_short(no_key_env, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        load_pseudonym_key(allow_demo=True)


def test_key_from_file_env(no_key_env, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "k.key"
    path.write_text("file-key-0123456789\n", encoding="utf-8")
    path.chmod(0o600)
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(path))
    assert load_pseudonym_key() == (b"file-key-0123456789", False)


def test_key_file_env_missing_is_error_even_with_demo(no_key_env, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(tmp_path / "nope.key"))
    with pytest.raises(ConfigError, match="nope.key"):
        load_pseudonym_key(allow_demo=True)


def test_key_from_default_location(no_key_env) -> None:  # type: ignore[no-untyped-def]
    path = no_key_env / ".config" / "sosrake" / "pseudonym.key"
    path.parent.mkdir(parents=True)
    path.write_text("default-location-key-123", encoding="utf-8")
    path.chmod(0o600)
    assert load_pseudonym_key() == (b"default-location-key-123", False)


def test_env_key_takes_precedence_over_file(no_key_env, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "k.key"
    path.write_text("file-key-0123456789", encoding="utf-8")
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(path))
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", "env-key-0123456789")
    assert load_pseudonym_key()[0] == b"env-key-0123456789"


def test_missing_key_raises_with_instructions(no_key_env) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as info:
        load_pseudonym_key()
    msg = str(info.value)
    assert "\n" not in msg
    assert "sosrake key init" in msg
    assert "repositorion ulkopuolella" in msg and "outside the repository" in msg
    assert "every semester" in msg


def test_missing_key_demo(no_key_env) -> None:  # type: ignore[no-untyped-def]
    key, is_demo = load_pseudonym_key(allow_demo=True)
    assert is_demo is True
    assert key == DEMO_KEY == b"sosrake-DEMO-key-for-synthetic-sample-data-only"


def test_key_file_inside_repository_refused(no_key_env, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    (repo / "secrets").mkdir(parents=True)
    path = repo / "secrets" / "pseudonym.key"
    path.write_text("inside-the-repo-key-123", encoding="utf-8")
    monkeypatch.setattr(privacy, "PROJECT_ROOT", repo)
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(path))
    with pytest.raises(ConfigError, match="inside the repository"):
        load_pseudonym_key()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_world_readable_key_file_warns(no_key_env, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "k.key"
    path.write_text("file-key-0123456789", encoding="utf-8")
    path.chmod(0o644)
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(path))
    with pytest.warns(UserWarning, match="chmod 600"):
        load_pseudonym_key()


# ----------------------------------------------------------------------------------------------------------
# suppress_small_cells
# ----------------------------------------------------------------------------------------------------------


def _hidden(result: pd.DataFrame) -> set[tuple[str, str]]:
    return {(r, c) for r in result.index for c in result.columns if result.loc[r, c] is NA}


def test_primary_only() -> None:
    t = pd.DataFrame({"a": [3, 10], "b": [0, 7]}, index=["r1", "r2"])
    out = suppress_small_cells(t, secondary=False)
    assert _hidden(out) == {("r1", "a")}
    assert out.loc["r1", "b"] == 0
    assert out.attrs["suppressed_cells"] == 1
    assert out.attrs["min_n"] == 5
    assert (out.dtypes == "Int64").all()
    # the input is not modified
    assert t.loc["r1", "a"] == 3


def test_secondary_row_and_column() -> None:
    #       a   b   c
    # r1    3  10  20     primary r1a; row r1 -> smallest other 10 (r1b)
    # r2   12   8  30     column a: r1a alone -> 12 (r2a); column b: r1b alone -> 8 (r2b)
    # r3   15  25  40     then every line has 0 or 2 hidden cells: 4 hidden
    t = pd.DataFrame(
        {"a": [3, 12, 15], "b": [10, 8, 25], "c": [20, 30, 40]}, index=["r1", "r2", "r3"]
    )
    out = suppress_small_cells(t)
    assert _hidden(out) == {("r1", "a"), ("r1", "b"), ("r2", "a"), ("r2", "b")}
    assert out.attrs["suppressed_cells"] == 4
    assert out.attrs["unprotected_lines"] == []
    assert out.loc["r3"].tolist() == [15, 25, 40]


def test_secondary_cascade() -> None:
    #       a   b   c
    # r1    3  10  20   pass 1 rows: r1a primary alone -> r1b (10)
    # r2   12  30   8   pass 1 cols: a: r1a alone -> r2a (12); b: r1b alone -> r3b (25 < 30)
    # r3   15  25  40   pass 2 rows: r2: r2a alone -> r2c (8); r3: r3b alone -> r3a (15)
    #                   pass 2 cols: c: r2c alone -> r1c (20); pass 3: stable
    t = pd.DataFrame(
        {"a": [3, 12, 15], "b": [10, 30, 25], "c": [20, 8, 40]}, index=["r1", "r2", "r3"]
    )
    out = suppress_small_cells(t)
    assert _hidden(out) == {
        ("r1", "a"),
        ("r1", "b"),
        ("r1", "c"),
        ("r2", "a"),
        ("r2", "c"),
        ("r3", "a"),
        ("r3", "b"),
    }
    assert out.loc["r2", "b"] == 30 and out.loc["r3", "c"] == 40
    # no line is left with a single hidden cell
    hidden = out.isna().to_numpy()
    assert not (hidden.sum(axis=0) == 1).any()
    assert not (hidden.sum(axis=1) == 1).any()


def test_zeros_published_and_never_secondary() -> None:
    #       a  b  c
    # r1    0  2  8   primary r1b; row r1 -> 8 (zero skipped)
    # r2    7  0  9   cols: b: r1b alone -> 5 (r3b); c: r1c alone -> 9 (r2c)
    # r3    6  5  0   rows: r2: r2c alone -> 7 (r2a); r3: r3b alone -> 6 (r3a); stable
    t = pd.DataFrame({"a": [0, 7, 6], "b": [2, 0, 5], "c": [8, 9, 0]}, index=["r1", "r2", "r3"])
    out = suppress_small_cells(t)
    assert _hidden(out) == {
        ("r1", "b"),
        ("r1", "c"),
        ("r2", "a"),
        ("r2", "c"),
        ("r3", "a"),
        ("r3", "b"),
    }
    assert [out.loc["r1", "a"], out.loc["r2", "b"], out.loc["r3", "c"]] == [0, 0, 0]


def test_margins_kept_when_large_and_not_secondary() -> None:
    #        a   b  Yht
    # r1     3  10   13    primary r1a; row r1: candidates exclude its total -> 10
    # r2    12   8   20    col a -> 12, col b -> 8 (the Yht row is never picked)
    # Yht   15  18   33
    t = pd.DataFrame(
        {"a": [3, 12, 15], "b": [10, 8, 18], "Yht": [13, 20, 33]}, index=["r1", "r2", "Yht"]
    )
    out = suppress_small_cells(t, total_rows=["Yht"], total_cols=["Yht"])
    assert _hidden(out) == {("r1", "a"), ("r1", "b"), ("r2", "a"), ("r2", "b")}
    assert out["Yht"].tolist() == [13, 20, 33]
    assert out.loc["Yht"].tolist() == [15, 18, 33]


def test_margin_never_chosen_as_secondary() -> None:
    # Totals that include people with no role given, so a total can be the only non-zero visible cell.
    #        a   b  Yht
    # r1     3   0   12    row r1: r1a alone, the other cell is 0 and the total is not a candidate: reported
    # r2    10  20   35    col a -> 10 (r2a, not the 13 in Yht); row r2: r2a alone -> 20 (r2b, not 35)
    # Yht   13  20   47    col b: r2b alone, only a 0 and the grand total besides: reported
    t = pd.DataFrame(
        {"a": [3, 10, 13], "b": [0, 20, 20], "Yht": [12, 35, 47]}, index=["r1", "r2", "Yht"]
    )
    out = suppress_small_cells(t, total_rows=["Yht"], total_cols=["Yht"])
    assert _hidden(out) == {("r1", "a"), ("r2", "a"), ("r2", "b")}
    assert out["Yht"].tolist() == [12, 35, 47]
    assert out.attrs["unprotected_lines"] == [("row", "r1"), ("column", "b")]


def test_small_margin_suppressed_and_total_column_protected() -> None:
    #        a   b  Yht
    # r1     1   2    3    primary r1a, r1b and the margin r1-Yht (3 < 5)
    # r2     6   9   15    col a -> r2a (6); col b -> r2b (9)
    # Yht    7  11   18    col Yht: r1-Yht alone -> r2-Yht (15): inside the total column only margins remain
    t = pd.DataFrame(
        {"a": [1, 6, 7], "b": [2, 9, 11], "Yht": [3, 15, 18]}, index=["r1", "r2", "Yht"]
    )
    out = suppress_small_cells(t, total_rows=["Yht"], total_cols=["Yht"])
    assert _hidden(out) == {
        ("r1", "a"),
        ("r1", "b"),
        ("r1", "Yht"),
        ("r2", "a"),
        ("r2", "b"),
        ("r2", "Yht"),
    }
    assert out.loc["Yht"].tolist() == [7, 11, 18]
    assert out.attrs["suppressed_cells"] == 6


def test_min_n_configurable() -> None:
    t = pd.DataFrame({"a": [3, 10], "b": [4, 7]}, index=["r1", "r2"])
    # with min_n=3 nothing is small (3 is not < 3)
    assert suppress_small_cells(t, min_n=3).attrs["suppressed_cells"] == 0
    # with min_n=4: r1a primary; row r1 -> 4 (r1b); cols: a -> 10, b -> 7: everything goes
    out = suppress_small_cells(t, min_n=4)
    assert out.attrs["suppressed_cells"] == 4
    assert out.attrs["min_n"] == 4


def test_unprotected_line_reported() -> None:
    #      a   b
    # r1   3   0    row r1: r1a alone, only a zero besides -> nothing to add (reported)
    # r2  10  20    col a -> 10; row r2 -> 20; col b: r2b alone, only a zero besides (reported)
    t = pd.DataFrame({"a": [3, 10], "b": [0, 20]}, index=["r1", "r2"])
    out = suppress_small_cells(t)
    assert _hidden(out) == {("r1", "a"), ("r2", "a"), ("r2", "b")}
    assert out.attrs["unprotected_lines"] == [("row", "r1"), ("column", "b")]


def test_crosstab_organisation_by_role() -> None:
    df = pd.DataFrame(
        {
            "org": ["Essote"] * 14 + ["Kainuun sote"] * 11 + ["Muu"] * 26,
            "role": ["työntekijä"] * 12
            + ["esihenkilö"] * 2
            + ["työntekijä"] * 8
            + ["esihenkilö"] * 3
            + ["työntekijä"] * 20
            + ["esihenkilö"] * 6,
        }
    )
    #               esihenkilö  työntekijä
    # Essote                 2          12    supervisors' cells 2 and 3 are primary (column esihenkilö
    # Kainuun sote           3           8    then has two hidden); rows Essote and Kainuun sote each have
    # Muu                    6          20    one hidden -> 12 and 8; column työntekijä then has two. Muu stays.
    out = suppress_small_cells(pd.crosstab(df["org"], df["role"]))
    assert out.isna().sum().sum() == 4
    assert out.loc[["Essote", "Kainuun sote"]].isna().all().all()
    assert out.loc["Muu"].tolist() == [6, 20]


def test_series_one_way_table() -> None:
    s = pd.Series({"A": 12, "B": 2, "C": 6, "D": 9, "E": 0, "Yhteensä": 29})
    out = suppress_small_cells(s, total_rows=["Yhteensä"])
    assert isinstance(out, pd.Series)
    assert out.dtype == "Int64"
    # B primary; the smallest other non-zero non-total is C (6)
    assert out.isna().tolist() == [False, True, True, False, False, False]
    assert out["E"] == 0 and out["Yhteensä"] == 29
    assert out.attrs["suppressed_cells"] == 2
    only_primary = suppress_small_cells(s, secondary=False, total_rows=["Yhteensä"])
    assert only_primary.isna().sum() == 1
    # two small cells already protect each other
    assert suppress_small_cells(pd.Series([3, 4, 20])).isna().tolist() == [True, True, False]


@pytest.mark.parametrize(
    ("table", "match"),
    [
        (pd.DataFrame({"a": [1.5, 2]}), "non-integer"),
        (pd.DataFrame({"a": [-1, 2]}), "negative"),
        (pd.DataFrame({"a": [np.nan, 2]}), "missing"),
        (pd.DataFrame({"a": ["x", "y"]}), "not a column of counts"),
    ],
)
def test_suppress_rejects_non_counts(table: pd.DataFrame, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        suppress_small_cells(table)


def test_suppress_rejects_unknown_total_and_bad_min_n() -> None:
    t = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(ValueError, match="total_rows"):
        suppress_small_cells(t, total_rows=["Yhteensä"])
    with pytest.raises(ConfigError):
        suppress_small_cells(t, min_n=0)


# ----------------------------------------------------------------------------------------------------------
# suppress_by_n, is_small, suppressed_label
# ----------------------------------------------------------------------------------------------------------


def test_suppress_by_n_primary_and_secondary() -> None:
    t = pd.DataFrame(
        {
            "rooli": ["työntekijä", "esihenkilö", "opiskelija", "ohjaaja"],
            "n": [40, 3, 11, 8],
            "top2_pct": [72.5, 66.7, 54.5, 62.5],
            "keskiarvo": [3.9, 4.3, 3.1, 3.6],
        }
    )
    out = suppress_by_n(t)
    # esihenkilö (3) primary; next-smallest n is ohjaaja (8), not opiskelija (11)
    assert out["n"].isna().tolist() == [False, True, False, True]
    assert out["keskiarvo"].isna().tolist() == [False, True, False, True]
    assert out["top2_pct"].isna().tolist() == [False, True, False, True]
    assert out["rooli"].tolist() == t["rooli"].tolist()
    assert out.attrs["suppressed_rows"] == 2
    assert out.attrs["suppressed_cells"] == 6
    assert out["n"].dtype == "Int64" and out["keskiarvo"].dtype == "Float64"
    assert out.loc[0, "keskiarvo"] == 3.9
    no_secondary = suppress_by_n(t, secondary=False)
    assert no_secondary["n"].isna().tolist() == [False, True, False, False]


def test_suppress_by_n_two_small_rows_need_no_secondary() -> None:
    t = pd.DataFrame({"ryhmä": list("ABCD"), "n": [3, 4, 20, 30], "ka": [1.0, 2.0, 3.0, 4.0]})
    out = suppress_by_n(t)
    assert out["n"].isna().tolist() == [True, True, False, False]


def test_suppress_by_n_zero_and_missing_n_kept() -> None:
    t = pd.DataFrame({"ryhmä": list("ABCD"), "n": [0, 2, 9, np.nan], "ka": [np.nan, 2.0, 3.0, 4.0]})
    out = suppress_by_n(t)
    # B (2) primary; secondary: smallest non-zero known n is C (9); A (0) and D (unknown) untouched
    assert out["n"].isna().tolist() == [False, True, True, True]
    assert out.loc[0, "n"] == 0
    assert out.loc[3, "ka"] == 4.0
    assert out.attrs["suppressed_cells"] == 4  # n and ka of B and C


def test_suppress_by_n_value_cols_and_group_cols() -> None:
    t = pd.DataFrame(
        {
            "vuosi": [2021, 2021, 2022],
            "n": [2, 10, 12],
            "ka": [4.0, 3.0, 3.5],
            "sd": [0.5, 0.9, 0.8],
        }
    )
    out = suppress_by_n(t, group_cols=["vuosi"], secondary=False)
    assert out["vuosi"].tolist() == [2021, 2021, 2022]
    assert out.loc[0, ["n", "ka", "sd"]].isna().all()
    only_mean = suppress_by_n(t, value_cols=["ka"], secondary=False)
    assert only_mean.loc[0, "sd"] == 0.5
    assert only_mean.loc[0, "ka"] is NA and only_mean.loc[0, "n"] is NA
    with pytest.raises(ValueError, match="value_cols"):
        suppress_by_n(t, value_cols=["nope"])
    with pytest.raises(ValueError, match="n_col"):
        suppress_by_n(t, n_col="vastaajia")


def test_is_small_and_labels() -> None:
    assert [is_small(n) for n in (0, 1, 4, 5, 12)] == [False, True, True, False, False]
    assert is_small(np.int64(4)) is True
    assert is_small(5, min_n=10) is True
    with pytest.raises(ValueError):
        is_small(None)
    # one neutral label for primary and secondary suppression: "alle 5" would be false for a large cell hidden
    # by the secondary rule, and two labels would point at the small cell
    assert suppressed_label() == suppressed_label(10) == "piilotettu"
    assert suppressed_label(3, "en") == "suppressed"
    assert suppressed_label(10, short=True) == ".." == privacy.SUPPRESSED_MARK
    with pytest.raises(ConfigError):
        suppressed_label(0)


def test_series_scrubbing_with_the_re2_prefilter_equals_scrub_pii_text_by_text() -> None:
    """The Arrow path skips texts RE2 finds nothing in; every text must come out as scrub_pii makes it."""
    import random

    rng = random.Random(11)
    names = [
        "Maija Virtanen",
        "Pekka Mäkinen",
        "Anna-Liisa Ström",
        "Jussi",
        "Åsa Öberg",
        "Kimmo Kettunen",
    ]
    pieces = [
        "Maijalle",
        "virtaselle",
        "PEKAN",
        "Pekka",
        "anna-liisa",
        "Liisan",
        "jussi",
        "Jussin",
        "åsa",
        "ÖBERGILLE",
        "Kettusen",
        "kimmo",
        "hyvä",
        "palvelu",
        "odotin",
        "kauan",
        "asunto",
        "2022",
        "12,5 %",
        "040 123 4567",
        "+358 40 1234567",
        "131052-308T",
        "maija.virtanen@kainuu.fi",
        "etu.suku(at)x.fi",
        "Kauppakatu 12 B 5",
        "Rantatiellä 3",
        "[at]",
        "@",
        "ſ",
        "K",
        "٣",
        "klo 9-15",
        "5 op",
        "Maijakin",
        "Pekkala",
        "Jussila",
        "ystävä",
        "–",
        "“lainaus”",
        "\u00a0",
        "Virtas",
    ]
    texts = list(
        dict.fromkeys(
            " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(3000)
        )
    )
    texts += ["ei mitään tunnistettavaa"] * 5 + [None]
    s = pd.Series(texts, dtype="str")
    got = scrub_pii_series(s, names=names)
    expected = [scrub_pii(t, names=names) if isinstance(t, str) else t for t in texts]
    assert got.isna().tolist() == s.isna().tolist()
    assert got.dropna().tolist() == [e for e in expected if isinstance(e, str)]
    assert (got != s).sum() > 1000 and (got == s).sum() > 100  # both paths were taken


def test_hidden_cells_of_a_line_never_add_up_to_a_small_count() -> None:
    # B and C are hidden (2 and 2), but with the total published they add up to 4 people (the total minus A
    # and D): a small count of its own, so D (the smallest other) is hidden too. With 3 + 2 = 5 it is enough.
    assert suppress_small_cells(pd.Series({"A": 50, "B": 2, "C": 2, "D": 30})).tolist() == [
        50,
        pd.NA,
        pd.NA,
        pd.NA,
    ]
    assert suppress_small_cells(pd.Series({"A": 50, "B": 3, "C": 2, "D": 30})).tolist() == [
        50,
        pd.NA,
        pd.NA,
        30,
    ]
    t = pd.DataFrame({"x": [20, 2, 2, 30], "y": [10, 10, 10, 10]}, index=list("abcd"))
    out = suppress_small_cells(
        t
    )  # column x: b + c = 4, so a joins; then every row needs its second cell
    assert out["x"].isna().tolist() == [True, True, True, False]
    assert out["y"].isna().tolist() == [True, True, True, False]


def test_suppress_by_n_also_hides_rows_another_table_hides() -> None:
    # b is not small, but another published table hides it: hidden here too, and being one hidden row it
    # takes the next smallest (c) with it, as a small row would
    t = pd.DataFrame({"g": ["a", "b", "c"], "n": [40, 20, 30], "pct": [40.0, 20.0, 30.0]})
    out = suppress_by_n(t, also_hide=[False, True, False])
    assert out["n"].tolist() == [40, pd.NA, pd.NA] and out["pct"].isna().tolist() == [
        False,
        True,
        True,
    ]
    assert suppress_by_n(t, also_hide=[False, False, False])["n"].tolist() == [40, 20, 30]
