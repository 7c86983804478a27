"""The real-news corpus's manifest and split are well formed (no article text needed).

The texts themselves live in the git-ignored cache; bench/score_realnews.py scores them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

import bench.score_realnews as score

CORPUS = Path(__file__).parent / "data" / "realnews"
REQUIRED = ["id", "url", "outlet", "published", "published_basis", "lookup", "sha256", "chars", "country", "year", "kind", "gold"]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return score.load_manifest()


@pytest.fixture(scope="module")
def split() -> dict:
    return json.loads((CORPUS / "split.json").read_text())


def test_manifest_is_the_parts_concatenated(rows):
    parts = sorted(
        json.loads(line)["id"]
        for p in (CORPUS / "parts").glob("*.jsonl")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    assert [r["id"] for r in rows] == parts


def test_every_line_has_the_facts_needed_to_pull_it_again(rows):
    problems = [
        f"{r.get('id')}: missing {k}" for r in rows for k in REQUIRED if r.get(k) in (None, "")
    ] + [
        f"{r['id']}: lookup needs corpus and query" for r in rows
        if not (r["lookup"].get("corpus") and r["lookup"].get("query"))
    ] + [f"{r['id']}: sha256 is not a hex digest" for r in rows if len(r["sha256"]) != 64]
    assert problems == []


def test_windows_and_ranges_are_valid(rows):
    problems = []
    for r in rows:
        date.fromisoformat(r["published"])
        for inc in r["gold"].get("incidents", []):
            first, last = (date.fromisoformat(d) for d in inc["window"])
            if first > last:
                problems.append(f"{r['id']} {inc.get('iid')}: window runs backwards")
            for key in ("killed", "wounded"):
                rng = inc.get(key)
                if rng is not None and not (len(rng) == 2 and 0 <= rng[0] <= rng[1]):
                    problems.append(f"{r['id']} {inc.get('iid')}: {key} range {rng}")
        for nv in r["gold"].get("nonviolent", []):
            if nv.get("cause") not in ("disaster", "accident", "disease", "crime", "unknown"):
                problems.append(f"{r['id']}: non-violent cause {nv.get('cause')}")
        for nc in r["gold"].get("not_counted", []):
            if nc.get("reason") not in ("historical", "aggregate", "restated_undated", "generic", "no_day"):
                problems.append(f"{r['id']}: not_counted reason {nc.get('reason')}")
    assert problems == []


def test_reports_of_one_incident_carry_one_gold(rows):
    seen: dict[str, tuple] = {}
    problems = []
    for r in rows:
        for inc in r["gold"].get("incidents", []):
            key = (tuple(inc["window"]), str(inc.get("killed")), str(inc.get("wounded")), inc.get("acled_type"))
            if inc.get("iid") in seen and seen[inc["iid"]] != key:
                problems.append(f"{r['id']}: {inc['iid']} differs from its other reports")
            seen.setdefault(inc.get("iid"), key)
    assert problems == []


def test_split_is_disjoint_complete_and_keeps_groups_together(rows, split):
    dev, sealed = set(split["dev"]), set(split["sealed"])
    assert dev.isdisjoint(sealed)
    assert dev | sealed == {r["id"] for r in rows}
    part = {i: "dev" for i in dev} | {i: "sealed" for i in sealed}
    by_group = defaultdict(set)
    for doc, group in score.groups(rows).items():
        by_group[group].add(part[doc])
    assert {g: p for g, p in by_group.items() if len(p) > 1} == {}


def test_split_follows_the_fixed_seed(rows, split):
    """The part of each group is the seeded hash's, so the split cannot be re-drawn after tuning."""
    groups = score.groups(rows)
    part = {i: "dev" for i in split["dev"]} | {i: "sealed" for i in split["sealed"]}
    assert {d: part[d] for d in part} == {d: score.part_of(groups[d]) for d in part}
    assert 0.5 < len(split["dev"]) / len(rows) < 0.7


def test_scoring_counts_a_summed_toll_as_wrong():
    """The scorer itself: two counted incidents of one gold incident are added up and judged."""
    rows = [{"id": "x-1", "gold": {"incidents": [{"iid": "g", "window": ["2020-01-02", "2020-01-02"],
                                                  "killed": [10, 12], "wounded": None, "acled_type": "Battles"}],
                                   "not_counted": [{"killed": 500, "reason": "historical"}]}}]
    counted = {
        "a": {"day": date(2020, 1, 2), "first": date(2020, 1, 2), "last": date(2020, 1, 2), "killed": 10,
              "wounded": 0, "docs": {"x-1"}, "events": []},
        "b": {"day": date(2020, 1, 2), "first": date(2020, 1, 2), "last": date(2020, 1, 2), "killed": 12,
              "wounded": 0, "docs": {"x-1"}, "events": []},
    }
    ev = {"x-1": [{"incident": "a", "acled_type": "Battles", "acled_sub_type": None, "killed": 500,
                   "killed_low": None, "killed_high": None, "wounded": None}]}
    res = score.score(rows, counted, ev)
    assert (res["windows"], res["found"], res["killed_ok"], res["leaks"], res["acled_ok"]) == (1, 1, 0, 1, 1)
    assert res["leaks_by_reason"] == {"historical": 1}
    only_a = score.score(rows, {"a": counted["a"]}, {"x-1": []})
    assert (only_a["killed_ok"], only_a["leaks"], only_a["acled_ok"]) == (1, 0, 0)


def test_a_leak_is_in_the_count_only_when_it_is_the_counted_figure():
    rows = [{"id": "x-1", "gold": {"incidents": [], "not_counted": [{"killed": 500, "reason": "historical"}]}}]
    member = {"incident": "a", "acled_type": None, "acled_sub_type": None, "killed": 500,
              "killed_low": None, "killed_high": None, "wounded": None}

    def counted(killed):
        return {"a": {"day": date(2020, 1, 2), "first": date(2020, 1, 2), "last": date(2020, 1, 2),
                      "killed": killed, "wounded": 0, "docs": {"x-1"}, "events": []}}

    beside = score.score(rows, counted(12), {"x-1": [member]})     # a report states 500, 12 is counted
    inside = score.score(rows, counted(500), {"x-1": [member]})    # 500 is what the day adds up
    assert (beside["leaks"], beside["leaks_in_count"]) == (1, 0)
    assert (inside["leaks"], inside["leaks_in_count"]) == (1, 1)


def test_probe_articles_are_outside_the_scored_corpus_and_can_be_pulled_again(rows):
    """The seen probe articles (no gold) never overlap the manifest: an article whose output was
    read by hand must not be scored, least of all in the sealed part."""
    probes = [json.loads(line) for line in (CORPUS / "probe_articles.jsonl").read_text().splitlines() if line]
    assert probes, "probe_articles.jsonl is empty"
    scored = {r["url"] for r in rows}
    assert not [p["url"] for p in probes if p["url"] in scored]
    assert len({p["url"] for p in probes}) == len(probes)
    for p in probes:
        assert p["lookup"]["query"] and p["url"].startswith("http"), p["id"]
        date.fromisoformat(p["published"])


def test_error_classes_tell_the_direction_of_a_miss_and_the_kind_of_false_day():
    """The scorer's diagnostics: a summed toll is 'over' and 'split'; a false day on the
    publication day is told apart from one near a gold window."""
    rows = [{"id": "x-1", "published": "2020-01-09",
             "gold": {"incidents": [{"iid": "g", "window": ["2020-01-02", "2020-01-02"],
                                     "killed": [10, 12], "wounded": None}]}}]

    def inc(day, killed):
        return {"day": day, "first": day, "last": day, "killed": killed, "wounded": 0,
                "docs": {"x-1"}, "events": []}

    summed = score.score(rows, {"a": inc(date(2020, 1, 2), 10), "b": inc(date(2020, 1, 2), 12)}, {})
    assert (summed["killed_over"], summed["killed_over_split"], summed["killed_under"]) == (1, 1, 0)
    low = score.score(rows, {"a": inc(date(2020, 1, 2), 3)}, {})
    assert (low["killed_over"], low["killed_under"], low["killed_missed"]) == (0, 1, 0)
    moved = score.score(rows, {"a": inc(date(2020, 1, 9), 10), "b": inc(date(2020, 1, 4), 10)}, {})
    assert (moved["killed_missed"], moved["false_days"]) == (1, 2)
    assert (moved["false_days_pub"], moved["false_days_near"]) == (1, 1)
