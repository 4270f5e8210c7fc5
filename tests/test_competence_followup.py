"""Follow-up round of the competence mapping: the planted 2022 changes are recovered from the shipped sample,
linked people are compared paired and the others as independent samples, reworded items only through the
codebook's explicit mapping, and every follow-up table passes disclosure control."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sosrake_lib.cli import main
from sosrake_lib.competence import followup as fu
from sosrake_lib.competence import load_responses
from sosrake_lib.editions import pick_edition
from sosrake_lib.outputs import KeyFigures
from sosrake_lib.paths import FOLLOWUP_SAMPLE_DIR, PROJECT_ROOT, SAMPLE_DIR
from sosrake_lib.publish import check_group_sizes
from sosrake_lib.synthetic import PLANTED

P = PLANTED["competence_2022"]
EARLY = SAMPLE_DIR / "competence_2020.xlsx"
LATE = FOLLOWUP_SAMPLE_DIR / "competence_2022.xlsx"


@pytest.fixture(scope="module")
def rounds():
    ie, il = pick_edition(EARLY, "competence"), pick_edition(LATE, "competence")
    return load_responses(EARLY, ie), load_responses(LATE, il), ie, il


@pytest.fixture(scope="module")
def tables(rounds):
    early, late, ie, il = rounds
    return fu.followup_tables(early, late, ie, il, n_boot=1000, seed=2020, min_n=5)


def test_each_round_is_read_with_its_codebook_version(rounds):
    early, late, ie, il = rounds
    assert (ie.version, il.version) == (1, 2)
    assert "C_VT2b" in late and "C_VT2" in early and "C_YS3" not in late


def test_trained_areas_default_to_the_earlier_top_three_needs(tables):
    _, trained = tables
    assert trained == P["trained_areas"]
    assert set(trained) == set(PLANTED["competence"]["top3_needs"])


def test_about_40_percent_of_the_2020_respondents_are_linked(tables):
    counts = tables[0]["followup_counts"].set_index("group")["n"]
    assert counts["linked"] == P["linked"]
    assert 0.35 <= counts["linked"] / counts["earlier_all"] <= 0.45
    assert counts["linked"] + counts["earlier_only"] == counts["earlier_all"]
    assert counts["linked"] + counts["later_only"] == counts["later_all"] == P["n_respondents"]


@pytest.mark.parametrize("group", ["linked", "unlinked"])
def test_trained_areas_improve_by_about_0_4_and_the_others_not(tables, group):
    t = tables[0]["followup_areas"]
    t = t[t["linkage"] == group].set_index("unit")
    assert set(t["design"]) == {"paired" if group == "linked" else "independent"}
    for area, planted in P["change"].items():
        lo, hi = t.loc[area, "ci_low"], t.loc[area, "ci_high"]
        assert lo <= planted <= hi, (area, lo, hi)
        if planted > 0:
            assert lo > 0, area  # the CI excludes 0
            assert t.loc[area, "significant"]
        else:
            assert lo <= 0 <= hi, area


def test_linked_and_unlinked_are_never_mixed(tables, rounds):
    t = tables[0]["followup_areas"]
    linked = t[t["linkage"] == "linked"]
    unlinked = t[t["linkage"] == "unlinked"]
    assert (linked["n_earlier"] == linked["n_later"]).all()
    assert (linked["n_earlier"] <= P["linked"]).all()
    assert (unlinked["n_earlier"] <= 118 - P["linked"]).all()
    assert (unlinked["n_later"] <= P["new"]).all()
    assert set(linked["test"]) == {"Wilcoxon signed-rank (zero_method=wilcox)"}
    assert set(unlinked["test"]) == {"Mann-Whitney U (two-sided)"}
    # Holm within each group's family: 6 areas each
    for g in (linked, unlinked):
        assert g["family"].nunique() == 1 and "6" in g["family"].iloc[0]
        p = g["p_value"].to_numpy(dtype=float)
        assert (g["p_holm"].to_numpy(dtype=float) >= p - 1e-12).all()


def test_difference_in_change_recovers_the_planted_0_4(tables):
    did = tables[0]["followup_did"].set_index("linkage")
    for group in ("linked", "unlinked"):
        lo, hi = did.loc[group, "ci_low"], did.loc[group, "ci_high"]
        assert lo > 0, group
        assert lo <= P["did"] <= hi, (group, lo, hi)
    assert did.loc["linked", "ci_method"] == "t"
    assert did.loc["unlinked", "ci_method"].startswith("percentile bootstrap")


def test_top2_changes_name_their_tests(tables):
    t = tables[0]["followup_top2"]
    assert set(t.loc[t["linkage"] == "linked", "test"]) == {"McNemar exact"}
    assert set(t.loc[t["linkage"] == "linked", "ci_method"]) == {"Bonett-Price"}
    assert set(t.loc[t["linkage"] == "unlinked", "ci_method"]) == {"Newcombe"}
    assert set(t["effect_size_name"].dropna()) == {"Cohen's h"}


def test_the_reworded_item_is_compared_and_the_dropped_one_listed(tables):
    mapping = tables[0]["followup_mapping"].set_index("earlier_item")
    for new, old in P["renamed"].items():
        assert mapping.loc[old, "item"] == new and mapping.loc[old, "status"] == "mapped"
    items = tables[0]["followup_items"]
    assert "C_VT2" in set(items["unit"])  # compared through previous_id, under its 2020 id
    assert not set(P["dropped"]) & set(items["unit"])
    missing = tables[0]["followup_not_comparable"]
    assert sorted(missing["earlier_item"]) == sorted(P["dropped"])
    assert missing["reason"].str.len().gt(0).all()


def test_why_an_item_is_not_compared_is_said_in_the_run_language(rounds):
    """The codebook gives a dropped item's reason in both languages; a page shows only its own."""
    _, _, ie, il = rounds
    for lang, said, other in (("fi", "ei kysytty", "not asked"), ("en", "not asked", "ei kysytty")):
        reasons = fu.not_comparable(fu.item_mapping(ie, il, lang))["reason"]
        assert reasons.str.contains(said).all() and not reasons.str.contains(other).any()


def test_a_reworded_item_without_mapping_is_not_compared(rounds):
    from dataclasses import replace

    _, _, ie, il = rounds
    bare = replace(
        il,
        items=tuple(replace(it, previous_id=None) if it.previous_id else it for it in il.items),
    )
    m = fu.item_mapping(ie, bare)
    assert set(m.loc[m["item"] == "C_VT2b", "status"]) == {"new"}
    assert set(m.loc[m["earlier_item"] == "C_VT2", "status"]) == {"dropped"}


def test_borich_ranking_then_and_now_side_by_side(tables):
    t = tables[0]["followup_needs"]
    assert list(t["area"][:3]) == P["trained_areas"]
    assert t["rank_earlier"].notna().all() and t["rank_later"].notna().all()
    assert t.loc[t["trained"], "mwds_later"].lt(t.loc[t["trained"], "mwds_earlier"]).all()


def test_trained_areas_can_be_overridden(rounds):
    early, late, ie, il = rounds
    _, trained = fu.followup_tables(
        early, late, ie, il, trained_areas="raportointi, yhteiso", n_boot=0
    )
    assert trained == ["raportointi", "yhteiso"]
    from sosrake_lib.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown trained area"):
        fu.followup_tables(early, late, ie, il, trained_areas="nope", n_boot=0)


def test_every_followup_table_passes_disclosure_at_min_cell_size_20(rounds):
    early, late, ie, il = rounds
    tables, _ = fu.followup_tables(early, late, ie, il, n_boot=200, min_n=20)
    for key, t in tables.items():
        check_group_sizes(key, t, 20)  # no n column below 20
    full, _ = fu.followup_tables(early, late, ie, il, n_boot=0, min_n=1)  # the true counts
    for key in ("followup_top2", "followup_items_top2"):
        top2, true = tables[key], full[key]
        # a share with fewer than 20 people in or out of the top two is hidden, and its change with it
        shown = top2["top2_earlier_pct"].notna().to_numpy()
        assert top2.loc[~shown, "change_pp"].isna().all()
        assert shown.any() and not shown.all()
        for (_, r), (_, t) in zip(top2[shown].iterrows(), true[shown].iterrows(), strict=True):
            for pct, n in (("top2_earlier_pct", "n_earlier"), ("top2_later_pct", "n_later")):
                count = round(t[pct] * t[n] / 100)
                assert r[pct] == t[pct]
                assert count == 0 or 20 <= count <= t[n] - 20 or count == t[n]


def test_a_small_linked_group_hides_the_whole_split(rounds):
    early, late, ie, il = rounds
    # keep 3 linked people only: the other linked people of 2022 get keys of their own
    late = late.copy()
    linked = late["person_key"].isin(set(early["person_key"]))
    keep = np.flatnonzero(linked.to_numpy())[:3]
    drop = linked.to_numpy().copy()
    drop[keep] = False
    late.loc[drop, "person_key"] = [f"ps_new{i:012d}" for i in range(int(drop.sum()))]
    tables, _ = fu.followup_tables(early, late, ie, il, n_boot=100, min_n=5)
    counts = tables["followup_counts"].set_index("group")["n"]
    assert counts[["linked", "earlier_only", "later_only"]].isna().all()
    assert counts["earlier_all"] == 118 and counts["later_all"] == 110
    for key in ("followup_areas", "followup_top2", "followup_items", "followup_did"):
        t = tables[key]
        assert t[["n_earlier", "n_later"]].isna().all().all(), key
        check_group_sizes(key, t, 5)
    linked_rows = tables["followup_areas"]["linkage"] == "linked"
    assert tables["followup_areas"].loc[linked_rows, "mean_change"].isna().all()


def test_key_figures_of_a_hidden_split_are_suppressed_not_an_error(rounds, tmp_path):
    # 47 linked people under a threshold of 50: the split and its counts are hidden (pd.NA)
    early, late, ie, il = rounds
    tables, _ = fu.followup_tables(early, late, ie, il, n_boot=100, min_n=50)
    kf = fu.add_key_figures(KeyFigures(), tables)
    assert kf["followup_linked_n"].suppressed and kf["followup_linked_n"].value is None
    # the unlinked difference stays in followup_did, but its n is hidden, so the figure is suppressed
    for name in ("followup_did", "followup_did_unlinked"):
        assert kf[name].suppressed and kf[name].value is None and kf[name].n is None, name
        assert kf[name].ci_low is None and kf[name].ci_high is None, name
    kf.write(tmp_path, min_n=50)  # a numeric figure without n would be refused here


def test_run_option_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(
        [
            "run",
            "competence",
            "--semester",
            "s",
            "--raw",
            str(FOLLOWUP_SAMPLE_DIR),
            "--out",
            str(tmp_path / "out"),
            "--earlier-round",
            str(tmp_path / "nope.xlsx"),
            "--lang",
            "en",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "nope.xlsx" in err and "earlier round" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_an_earlier_round_folder_is_named_a_folder(tmp_path, capsys, lang):
    args = ["run", "competence", "--semester", "s", "--raw", str(FOLLOWUP_SAMPLE_DIR)]
    args += ["--out", str(tmp_path / "out"), "--earlier-round", str(EARLY.parent), "--lang", lang]
    assert main([*args, "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    if lang == "fi":
        assert "on kansio" in err and "tiedosto" in err and "vientitiedostoa ei ole" not in err
    else:
        assert "is a folder" in err and "does not exist" not in err
    assert "competence_2020.xlsx" in err
    assert not (tmp_path / "out").exists()


def test_run_option_in_finnish_help(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help", "--lang", "fi"])
    out = capsys.readouterr().out
    assert "--earlier-round" in out and "aiemman kierroksen vienti" in out


def test_registry_passes_the_earlier_round_only_when_given():
    from types import SimpleNamespace

    from sosrake_lib.registry import ANALYSES, RunContext

    a = ANALYSES["competence"]
    assert a.earlier_round == "competence"
    export = SimpleNamespace(path=LATE, role="export")
    earlier = SimpleNamespace(path=EARLY, role="earlier")
    ctx = RunContext(semester="s")
    assert "earlier_export_path" not in a.parameters([export], ctx)
    params = a.parameters([export, earlier], RunContext(semester="s", trained_areas="a,b"))
    assert params["earlier_export_path"] == str(EARLY.resolve())
    assert params["trained_areas"] == "a,b"


@pytest.mark.notebook
def test_end_to_end_run_writes_the_followup_tables(tmp_path):
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "competence",
            "--semester",
            "2022-syksy",
            "--raw",
            str(FOLLOWUP_SAMPLE_DIR.relative_to(PROJECT_ROOT)),
            "--earlier-round",
            str(EARLY.relative_to(PROJECT_ROOT)),
            "--out",
            str(out),
            "--processed",
            str(tmp_path / "proc"),
            "--target-size",
            "160",
            "--lang",
            "en",
            "--quiet",
        ]
    )
    assert code == 0
    folder = out / "2022-syksy" / "competence"
    for name in (
        "followup_counts",
        "followup_mapping",
        "followup_not_comparable",
        "followup_areas",
        "followup_top2",
        "followup_items",
        "followup_did",
        "followup_needs",
    ):
        assert (folder / "tables" / f"{name}.csv").is_file(), name
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    roles = {i["file"]: i["role"] for i in manifest["inputs"]}
    assert roles == {"competence_2022.xlsx": "export", "competence_2020.xlsx": "earlier"}
    # each export's codebook version is the edition it was read with (history breaks a series on it)
    versions = {i["file"]: i["instrument_version"] for i in manifest["inputs"]}
    assert versions == {"competence_2022.xlsx": "2", "competence_2020.xlsx": "1"}
    figures = {
        f["name"]: f
        for f in json.loads((folder / "key_figures.json").read_text(encoding="utf-8"))[
            "key_figures"
        ]
    }
    assert figures["followup_linked_n"]["value"] == P["linked"]
    did = figures["followup_did"]
    assert did["ci_low"] > 0 and did["ci_low"] <= P["did"] <= did["ci_high"]
    areas = pd.read_csv(folder / "tables" / "followup_areas.csv")
    assert len(areas) == 12  # 6 areas x (linked, unlinked)
    # the earlier round is not stored as this semester's processed data
    assert not list((tmp_path / "proc").rglob("competence_2020*"))


def test_a_hidden_row_hides_the_counts_of_its_partner_row(rounds):
    early, late, ie, il = rounds
    r = fu.comparable_scores(early, late, ie, il)
    later = r.later.copy()
    linked_rows = np.flatnonzero(r.linked_later)
    later.iloc[linked_rows[3:], later.columns.get_loc("raportointi")] = np.nan  # 3 pairs left
    r = fu.Rounds(r.earlier, later, r.linked_earlier, r.linked_later)
    t = fu.mean_changes(r, ie, min_n=5).set_index(["unit", "linkage"])
    assert pd.isna(t.loc[("raportointi", "linked"), "mean_change"])
    # the unlinked row would give 3 away: the round's raportointi n minus its n
    assert t.loc[("raportointi", "unlinked"), ["n_earlier", "n_later"]].isna().all()
    assert pd.notna(t.loc[("raportointi", "unlinked"), "mean_change"])
    assert t.loc[("tiedonkeruu", "unlinked"), ["n_earlier", "n_later"]].notna().all()


def test_item_top2_is_the_top_two_box(tables):
    t = tables[0]["followup_items_top2"]
    assert "C_VT2" in set(t["unit"])
    check_group_sizes("followup_items_top2", t, 5)
    assert set(t["test"].dropna()) <= {
        "McNemar exact",
        "score test for two proportions",
        "Fisher's exact test",
    }


def test_sample_data_followup_writes_the_shipped_round(tmp_path):
    assert main(["sample-data", "--followup", "--out", str(tmp_path / "s")]) == 0
    for p in FOLLOWUP_SAMPLE_DIR.iterdir():
        assert (tmp_path / "s" / p.name).read_bytes() == p.read_bytes(), p.name


def test_suppression_summary_counts_the_hidden_split(rounds):
    early, late, ie, il = rounds
    r = fu.comparable_scores(early, late, ie, il)
    keep = np.flatnonzero(r.linked_later)[:3]
    linked_later = np.zeros_like(r.linked_later)
    linked_later[keep] = True
    keys = set(r.later.index[keep])
    small = fu.Rounds(r.earlier, r.later, r.earlier.index.isin(keys), linked_later)
    counts = fu.linkage_counts(small, min_n=5)
    assert counts.attrs["split_hidden"]
    assert (
        counts.attrs["suppressed_cells"] == 5
    )  # 3 counts and 2 shares (the later-only share is a dash)
