"""Smoke tests of bench/: the corpus generator is deterministic and its truth is consistent, and
bench/run.py runs end to end at a tiny size and ends with its JSON line (no timing asserted)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import generate_corpus as gen  # noqa: E402


def _files(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d in (a, b):
        assert gen.main(["--docs", "60", "--out", str(d), "--seed", "3"]) == 0
    assert gen.main(["--docs", "60", "--out", str(c), "--seed", "4"]) == 0
    fa, fb = _files(a), _files(b)
    assert fa == fb
    assert len([f for f in fa if f.endswith(".txt")]) == 60
    assert _files(c) != fa


def test_truth_is_consistent(tmp_path):
    out = tmp_path / "corpus"
    docs, meta = gen.generate(200, seed=11)
    gen.write_corpus(out, docs, meta)
    truth = [json.loads(line) for line in (out / ".truth" / "truth.jsonl").read_text().splitlines()]
    by_id = {t["doc_id"]: t for t in truth}
    with open(out / "manifest.csv", newline="") as f:
        manifest = list(csv.DictReader(f))
    assert [r["file"] for r in manifest] == [t["file"] for t in truth]
    assert sorted(p.name for p in out.glob("*.txt")) == sorted(t["file"] for t in truth)
    assert set(manifest[0]) == {"file", "published_date", "outlet", "url"}
    kinds = Counter(t["dup_kind"] for t in truth if t["duplicate_of"])
    assert set(kinds) == set(gen.DUP_KINDS)
    uniq: dict[str, dict] = {}
    for t in truth:
        text = (out / t["file"]).read_text(encoding="utf-8")
        published = date.fromisoformat(t["published_date"])
        if t["duplicate_of"]:
            orig = by_id[t["duplicate_of"]]
            assert orig["duplicate_of"] is None
            assert orig["published_date"] <= t["published_date"]
            assert t["file"] > orig["file"]            # a copy comes after its original
            if t["dup_kind"] == "exact":
                assert text == (out / orig["file"]).read_text(encoding="utf-8")
            else:
                assert text != (out / orig["file"]).read_text(encoding="utf-8")
        else:
            assert 180 <= len(text.split()) <= 650, t["file"]
            for inc in t["incidents"]:
                assert date.fromisoformat(inc["date"]) <= published
        for inc in t["incidents"]:
            prev = uniq.setdefault(inc["incident_id"], inc)
            assert prev["date"] == inc["date"] and prev["killed"] == inc["killed"]
            for k in ("killed", "wounded"):
                lo, best, hi = inc[f"{k}_low"], inc[k], inc[f"{k}_high"]
                if best is not None and lo is not None:
                    assert lo <= best
                if best is not None and hi is not None:
                    assert best <= hi
        for nc in t["not_counted"]:
            assert nc["kind"] in ("historical", "aggregate") and nc["text"] in text
    # the expected daily table is the sum over unique casualty incidents
    with open(out / ".truth" / "truth_daily.csv", newline="") as f:
        daily = {r["day"]: r for r in csv.DictReader(f)}
    cas = [i for i in uniq.values() if i["killed"] or i["wounded"] or i["killed_vague"] or i["wounded_vague"]]
    assert sum(int(r["incidents"]) for r in daily.values()) == len(cas)
    assert sum(int(r["killed"]) for r in daily.values()) == sum(i["killed"] or 0 for i in cas)
    assert sum(int(r["wounded"]) for r in daily.values()) == sum(i["wounded"] or 0 for i in cas)
    # second reports of one incident exist, so incident merging is exercised
    reports = Counter(i["incident_id"] for t in truth if not t["duplicate_of"] for i in t["incidents"])
    assert any(n > 1 for n in reports.values())


def test_ensure_corpus_reuses(tmp_path):
    out = tmp_path / "c"
    gen.ensure_corpus(out, 15, 2)
    stamp = (out / ".truth" / "corpus.json").stat().st_mtime_ns
    gen.ensure_corpus(out, 15, 2)
    assert (out / ".truth" / "corpus.json").stat().st_mtime_ns == stamp


REQUIRED = {"docs", "words", "seconds", "words_per_s", "spacy_words_per_s", "ratio", "peak_rss_mb",
            "stage_seconds", "dedup_precision", "dedup_recall", "daily_killed_exact_share",
            "killed_total", "killed_total_truth", "wounded_total", "wounded_total_truth",
            "casualty_incidents", "casualty_incidents_truth"}


@pytest.mark.slow
def test_run_py_prints_json_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--docs", "20", "--processes", "1",
         "--workdir", str(tmp_path)],
        cwd=str(REPO), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    last = proc.stdout.strip().splitlines()[-1]
    result = json.loads(last)
    assert REQUIRED <= set(result), REQUIRED - set(result)
    assert result["docs"] == 20 and result["words"] > 0
    assert {"ingested_documents", "deduplicated_documents", "entities", "events"} <= set(result["stage_seconds"])
    assert 0 < result["ratio"]
