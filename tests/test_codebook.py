"""Codebook round trip: every header and every answer label in the YAML maps back to its item or code, and a
broken codebook is a ConfigError. The YAML is read here with yaml.safe_load, independently of the loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sosrake_lib.codebook import (
    ITEM_KINDS,
    available_instruments,
    load_instrument,
    normalise_header,
    normalise_label,
)
from sosrake_lib.errors import ConfigError
from sosrake_lib.paths import INSTRUMENTS_DIR

NAMES = available_instruments()
SHARED = yaml.safe_load((INSTRUMENTS_DIR / "_scales.yaml").read_text(encoding="utf-8"))["scales"]


def _raw(name: str) -> dict[str, Any]:
    return yaml.safe_load((INSTRUMENTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def test_the_five_instruments_exist() -> None:
    assert NAMES == [
        "competence",
        "course_enrolment",
        "course_feedback",
        "course_selfassessment",
        "interviews",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_instrument_loads(name: str) -> None:
    inst = load_instrument(name)
    raw = _raw(name)
    assert inst.name == name == raw["name"]
    assert [it.id for it in inst.items] == [d["id"] for d in raw["items"]]
    assert inst.respondent_id in inst
    assert all(it.kind in ITEM_KINDS for it in inst.items)
    assert inst.file_patterns, "each codebook names its export files"
    assert any(it.required for it in inst.items)


@pytest.mark.parametrize("name", NAMES)
def test_every_header_maps_back_to_its_item(name: str) -> None:
    inst = load_instrument(name)
    for d in _raw(name)["items"]:
        texts = [d.get("text_fi"), d.get("text_en"), *d.get("headers", [])]
        for text in filter(None, texts):
            for variant in (text, f"12. {text}", f"  {text.upper()}:  ", f"Q3 {text}"):
                assert inst.match_header(variant) == d["id"], (name, variant)
        # An item id is no header: Moodle's "Group(s)" column must never be read as the `group` question.
        own = {normalise_header(t) for t in filter(None, texts)}
        if normalise_header(d["id"]) not in own:
            assert inst.match_header(d["id"]) is None, (name, d["id"])
            assert inst.match_label(d["id"]) == d["id"], (
                "an id matches as a Moodle label, (ID) Question"
            )


def _label_specs(name: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(item id, code, spec with fi/en/aliases) for every scaled or categorical item of an instrument."""
    raw = _raw(name)
    local = raw.get("scales") or {}
    out = []
    for d in raw["items"]:
        if "categories" in d:
            out += [(d["id"], code, spec) for code, spec in d["categories"].items()]
        elif d.get("scale") or d.get("kind") == "nps":
            sc = {**SHARED, **local}[d.get("scale") or "nps11"]
            out += [(d["id"], code, spec) for code, spec in (sc.get("codes") or {}).items()]
            out += [
                (d["id"], code, spec) for code, spec in (sc.get("non_substantive") or {}).items()
            ]
    return out


@pytest.mark.parametrize("name", NAMES)
def test_every_label_and_alias_maps_to_its_code(name: str) -> None:
    inst = load_instrument(name)
    specs = _label_specs(name)
    assert specs
    for item_id, code, spec in specs:
        scale = inst.item(item_id).scale
        assert scale is not None
        for label in [spec["fi"], spec["en"], *spec.get("aliases", [])]:
            for variant in (label, f"  {label.upper()} ", label.lower().replace(" ", "  ")):
                assert scale.code_of(variant) == code, (name, item_id, variant)


def test_likert_scale_numbers_and_known_labels() -> None:
    inst = load_instrument("interviews")
    agree = inst.item("SA1").scale
    assert agree is not None
    assert [
        agree.code_of(s)
        for s in (
            "Täysin eri mieltä",
            "Ei samaa eikä eri mieltä",
            "täysin samaa mieltä",
            "3",
            "EOS",
            "Ei koske minua",
            "Melko samaa mieltä",
        )
    ] == [1, 3, 5, 3, "dont_know", "not_applicable", None]
    nps = inst.item("nps").scale
    assert nps is not None and (nps.min, nps.max) == (0, 10)
    assert [nps.code_of(str(i)) for i in range(11)] == list(range(11))
    assert nps.code_of("11") is None


def test_normalisers() -> None:
    assert normalise_label("\u00a0 Täysin  SAMAA mieltä ") == "täysin samaa mieltä"
    assert normalise_label("18\u201329 vuotta") == "18-29 vuotta"
    # NFC: 'ä' as a plus combining diaeresis equals the precomposed letter
    assert normalise_label("Ta\u0308ysin") == normalise_label("Täysin")
    assert normalise_header("3) Tulin kuulluksi?") == "tulin kuulluksi"
    assert normalise_header("K12. Organisaatio") == normalise_header("organisaatio")
    assert normalise_header("Lähipäivä 1") != normalise_header("Lähipäivä 2")


def _write(tmp_path: Path, body: dict[str, Any], name: str = "broken.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _minimal(**changes: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "name": "mini",
        "respondent_id": "rid",
        "items": [
            {"id": "rid", "kind": "id", "headers": ["ID"], "required": True},
            {"id": "Q1", "kind": "likert", "scale": "agree5", "text_fi": "Tulin kuulluksi"},
            {"id": "Q2", "kind": "text", "text_fi": "Mitä muuta?"},
        ],
    }
    d.update(changes)
    return d


def test_minimal_custom_codebook_loads(tmp_path: Path) -> None:
    inst = load_instrument(_write(tmp_path, _minimal(), "mini_ok.yaml"))
    assert inst.match_header("Tulin kuulluksi") == "Q1"
    assert inst.item("Q1").scale is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {
                "items": [
                    {"id": "rid", "kind": "id", "headers": ["ID"]},
                    {"id": "Q1", "kind": "likert", "scale": "agree5", "text_fi": "Tulin kuulluksi"},
                    {"id": "Q2", "kind": "text", "headers": ["tulin KUULLUKSI!"]},
                ]
            },
            "belongs to both",
        ),
        (
            {
                "items": [
                    {"id": "rid", "kind": "id"},
                    {"id": "Q1", "kind": "slider", "text_fi": "X"},
                ]
            },
            "unknown kind",
        ),
        (
            {
                "items": [
                    {"id": "rid", "kind": "id"},
                    {"id": "Q1", "kind": "likert", "scale": "agree7"},
                ]
            },
            "unknown scale",
        ),
        ({"items": [{"id": "rid", "kind": "id"}, {"id": "Q1", "kind": "likert"}]}, "needs a scale"),
        (
            {"items": [{"id": "rid", "kind": "id"}, {"id": "rid", "kind": "text", "text_fi": "X"}]},
            "used twice",
        ),
        ({"respondent_id": "nobody"}, "respondent_id"),
    ],
)
def test_broken_codebook_is_config_error(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_instrument(_write(tmp_path, _minimal(**change)))


def test_unknown_instrument_name() -> None:
    with pytest.raises(ConfigError, match="unknown instrument 'kysely'.*competence"):
        load_instrument("kysely")
