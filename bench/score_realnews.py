"""Score the pipeline on the real-news corpus (tests/data/realnews/), part by part.

    python bench/score_realnews.py                  # score dev and sealed, last line JSON
    python bench/score_realnews.py --part dev       # one part
    python bench/score_realnews.py --build-manifest # parts/*.jsonl -> manifest.jsonl (+ split.json)
    python bench/score_realnews.py --part dev --show  # per-incident lines, for tuning (dev only)

The article texts are read from the git-ignored cache ``.cache/realnews/<id>.txt``; a
missing text or one whose sha256 differs from the manifest is named and left out, and
the rest is scored. Each part runs through the whole pipeline (``python -m pipeline
run``) into its own throwaway warehouse.

Measures (the gold's fields are described in tests/data/realnews/README.md):

* ``windows``: gold incidents with a casualty figure (killed or wounded stated);
  ``found``: a counted incident built from one of its reports falls in its window.
* ``killed_ok`` / ``wounded_ok``: the killed (wounded) of the counted incidents built
  from its reports and dated in its window, added up, lies in the accepted range.
* ``false_days``: distinct (day, report group) pairs where a counted incident has
  casualties that no gold incident of its reports supports on that day.
  ``false_days_pub``: those on a publication day of their reports (a toll told that day of
  something else: a restated or background toll); ``false_days_near``: the others within a week
  of a gold window of their reports (a misread day).
* ``leaks``: figures the gold lists as ``not_counted`` that reached a counted incident (a
  report of it states the figure; ``leaks_by_reason`` counts them by the gold's reason:
  historical, aggregate, restated_undated ...); ``leaks_in_count``: those among them that are the incident's
  counted killed or wounded, i.e. that reach ``daily_casualties`` itself.
* ``killed_over`` / ``killed_under`` / ``killed_missed``: the killed misses by direction (too
  high; too low though an incident was found; no incident found); ``killed_over_split``: the
  too-high ones whose figure adds up more than one counted incident (reports of one incident
  left apart, or another incident's toll on its days).
* ``acled_type``: share of gold incidents whose ACLED type is among the ACLED types of
  their report's events (as the shared-task scoring does per snippet).
* ``nonviolent_out``: share of documents with non-violent deaths whose non-violent
  figures reached no counted incident.

"Counted" means: what ``daily_casualties`` adds up, i.e. an incident in ``stg_incidents``
with killed or wounded above zero.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "realnews"
CACHE = ROOT / ".cache" / "realnews"
SPLIT_SEED = "realnews-split-2026-12-01"
DEV_SHARE = 60  # percent of incident groups in the development part


# ----------------------------------------------------------------------------- manifest
def build_manifest() -> list[dict]:
    rows: dict[str, dict] = {}
    for part in sorted((CORPUS / "parts").glob("*.jsonl")):
        for n, line in enumerate(part.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{part.name}:{n}: not JSON ({exc})")
            if row["id"] in rows:
                raise SystemExit(f"{part.name}:{n}: id {row['id']} appears twice")
            rows[row["id"]] = row
    out = [rows[k] for k in sorted(rows)]
    with open(CORPUS / "manifest.jsonl", "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return out


def load_manifest() -> list[dict]:
    path = CORPUS / "manifest.jsonl"
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def groups(rows: list[dict]) -> dict[str, str]:
    """doc id -> group key: documents sharing an incident id are one group (union-find)."""
    parent = {r["id"]: r["id"] for r in rows}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_iid: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for inc in r.get("gold", {}).get("incidents", []):
            if inc.get("iid"):
                by_iid[inc["iid"]].append(r["id"])
    for ids in by_iid.values():
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    return {r["id"]: min(i for i in parent if find(i) == find(r["id"])) for r in rows}


def part_of(group_key: str) -> str:
    """A fixed hash of the group key decides the part, so adding articles never moves old ones."""
    h = int(hashlib.sha256(f"{SPLIT_SEED}:{group_key}".encode()).hexdigest(), 16)
    return "dev" if h % 100 < DEV_SHARE else "sealed"


def write_split(rows: list[dict]) -> dict[str, list[str]]:
    path = CORPUS / "split.json"
    old = json.loads(path.read_text()) if path.exists() else {"dev": [], "sealed": []}
    fixed = {i: p for p in ("dev", "sealed") for i in old.get(p, [])}
    g = groups(rows)
    split: dict[str, list[str]] = {"dev": [], "sealed": []}
    for r in rows:
        split[fixed.get(r["id"]) or part_of(g[r["id"]])].append(r["id"])
    split["seed"] = SPLIT_SEED  # type: ignore[assignment]
    path.write_text(json.dumps(split, indent=1) + "\n")
    return split


# ----------------------------------------------------------------------------- texts
def available(rows: list[dict]) -> tuple[list[dict], list[str]]:
    ok, problems = [], []
    for r in rows:
        p = CACHE / f"{r['id']}.txt"
        if not p.exists():
            problems.append(f"{r['id']}: missing text {p.relative_to(ROOT)} (pull it again: see tests/data/realnews/README.md)")
            continue
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if digest != r["sha256"]:
            problems.append(f"{r['id']}: text {p.relative_to(ROOT)} differs from the one coded (sha256 {digest[:12]} != {r['sha256'][:12]})")
            continue
        ok.append(r)
    return ok, problems


def run_pipeline(rows: list[dict], work: Path) -> Path:
    inbox = work / "inbox"
    inbox.mkdir(parents=True)
    with open(inbox / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "published_date", "outlet", "url"])
        for r in rows:
            shutil.copy(CACHE / f"{r['id']}.txt", inbox / f"{r['id']}.txt")
            w.writerow([f"{r['id']}.txt", r["published"], r.get("outlet") or "", r.get("url") or ""])
    wh = work / "warehouse.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--input", str(inbox), "--warehouse", str(wh)],
        cwd=ROOT, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"pipeline run failed with exit code {proc.returncode}")
    return wh


# ----------------------------------------------------------------------------- scoring
def _d(s) -> date:
    return s if isinstance(s, date) else date.fromisoformat(str(s))


def _in_range(value: int, rng) -> bool:
    return rng[0] <= value <= rng[1]


def read_outputs(wh: Path) -> tuple[dict, dict]:
    """Counted incidents (id -> row with its days and documents) and events per document."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        inc_cols = {r[0] for r in con.execute("describe incidents").fetchall()}
        start = "i.start_date" if "start_date" in inc_cols else "i.event_date"
        end = "i.end_date" if "end_date" in inc_cols else "i.event_date"
        counted = {}
        for iid, day, first, last, killed, wounded in con.execute(
            f"""select s.incident_id, s.day, {start}, {end}, s.killed, s.wounded
                from stg_incidents s join incidents i using (incident_id)
                where coalesce(s.killed, 0) > 0 or coalesce(s.wounded, 0) > 0"""
        ).fetchall():
            counted[iid] = {"day": day, "first": first or day, "last": last or day,
                            "killed": killed or 0, "wounded": wounded or 0, "docs": set(), "events": []}
        ev_cols = {r[0] for r in con.execute("describe events").fetchall()}
        cause = "e.cause" if "cause" in ev_cols else "null"
        sub = "e.acled_sub_type" if "acled_sub_type" in ev_cols else "null"
        events = defaultdict(list)
        for row in con.execute(
            f"""select e.doc_id, e.incident_id, e.acled_type, {sub}, e.killed, e.killed_low, e.killed_high,
                       e.wounded, e.scope, {cause}, e.event_date, e.evidence
                from events e join documents d using (doc_id) order by e.doc_id, e.start_char"""
        ).fetchall():
            doc, inc = row[0], row[1]
            ev = dict(zip(["doc", "incident", "acled_type", "acled_sub_type", "killed", "killed_low",
                           "killed_high", "wounded", "scope", "cause", "event_date", "evidence"], row))
            events[doc].append(ev)
            if inc in counted:
                counted[inc]["docs"].add(doc)
                counted[inc]["events"].append(ev)
        return counted, events
    finally:
        con.close()


def _overlaps(inc: dict, window: list[str]) -> bool:
    return _d(inc["first"]) <= _d(window[1]) and _d(inc["last"]) >= _d(window[0])


def score(rows: list[dict], counted: dict, events: dict, show: bool = False) -> dict:
    docs_of_iid: dict[str, set[str]] = defaultdict(set)
    gold_of_iid: dict[str, dict] = {}
    for r in rows:
        for k, inc in enumerate(r["gold"].get("incidents", [])):
            key = inc.get("iid") or f"{r['id']}#{k}"
            docs_of_iid[key].add(r["id"])
            gold_of_iid.setdefault(key, inc)
    res = {"documents": len(rows), "windows": 0, "found": 0, "killed_windows": 0, "killed_ok": 0,
           "wounded_windows": 0, "wounded_ok": 0, "false_days": 0, "leaks": 0, "leaks_in_count": 0,
           "acled_incidents": 0, "acled_ok": 0, "acled_sub_ok": 0, "nonviolent_docs": 0, "nonviolent_out": 0,
           "killed_over": 0, "killed_under": 0, "killed_missed": 0, "killed_over_split": 0,
           "false_days_pub": 0, "false_days_near": 0, "leaks_by_reason": {}}
    lines = []
    supported: set[str] = set()
    for key, g in sorted(gold_of_iid.items()):
        cas = g.get("killed") is not None or g.get("wounded") is not None
        match = [i for i, inc in counted.items() if inc["docs"] & docs_of_iid[key] and _overlaps(inc, g["window"])]
        supported.update(match)
        if not cas:
            continue
        res["windows"] += 1
        res["found"] += bool(match)
        killed = sum(counted[i]["killed"] for i in match)
        wounded = sum(counted[i]["wounded"] for i in match)
        if g.get("killed") is not None:
            res["killed_windows"] += 1
            res["killed_ok"] += _in_range(killed, g["killed"])
            # the direction of a miss, for the error classes (no document is named)
            if killed > g["killed"][1]:
                res["killed_over"] += 1
                res["killed_over_split"] += len(match) > 1
            elif not match:
                res["killed_missed"] += 1
            elif killed < g["killed"][0]:
                res["killed_under"] += 1
        if g.get("wounded") is not None:
            res["wounded_windows"] += 1
            res["wounded_ok"] += _in_range(wounded, g["wounded"])
        lines.append(f"{key:10} {g['window'][0]}..{g['window'][1]} killed {killed} in {g.get('killed')} "
                     f"wounded {wounded} in {g.get('wounded')} from {len(match)} incident(s)")
    # false days: counted incidents of these documents on days no gold incident supports
    false = set()
    doc_group = groups(rows)
    ids = {r["id"] for r in rows}
    for i, inc in counted.items():
        if i in supported or not (inc["docs"] & ids):
            continue
        key = (str(inc["day"]), min(doc_group[d] for d in inc["docs"] & ids))
        if key not in false:
            # the class of a false day, for the error classes: on a publication day of its
            # reports (a restated or background toll booked on the day it was told), else
            # within a week of a gold window of its reports (a day misread), else elsewhere
            mine = [r for r in rows if r["id"] in inc["docs"]]
            near = any(abs((_d(inc["day"]) - _d(w)).days) <= 7 for r in mine
                       for gi in r.get("gold", {}).get("incidents", []) for w in gi["window"])
            if any(str(r.get("published")) == str(inc["day"]) for r in mine):
                res["false_days_pub"] += 1
            elif near:
                res["false_days_near"] += 1
        false.add(key)
        lines.append(f"FALSE DAY {inc['day']} killed {inc['killed']} wounded {inc['wounded']} docs {sorted(inc['docs'])}")
    res["false_days"] = len(false)
    for r in rows:
        evs = events.get(r["id"], [])
        counted_evs = [e for e in evs if e["incident"] in counted]
        for nc in r["gold"].get("not_counted", []):
            for e in counted_evs:
                if (nc.get("killed") is not None and nc["killed"] in (e["killed"], e["killed_low"], e["killed_high"])) or (
                    nc.get("wounded") is not None and nc["wounded"] == e["wounded"]
                ):
                    res["leaks"] += 1
                    reason = str(nc.get("reason") or "other")
                    res["leaks_by_reason"][reason] = res["leaks_by_reason"].get(reason, 0) + 1
                    inc = counted[e["incident"]]
                    in_count = (nc.get("killed") is not None and nc["killed"] == inc["killed"]) or (
                        nc.get("wounded") is not None and nc["wounded"] == inc["wounded"])
                    res["leaks_in_count"] += in_count
                    lines.append(f"LEAK {r['id']} {nc} -> incident {e['incident']}"
                                 + (" (the counted figure)" if in_count else ""))
                    break
        types = {e["acled_type"] for e in evs}
        subs = {e["acled_sub_type"] for e in evs}
        for inc in r["gold"].get("incidents", []):
            if inc.get("acled_type"):
                res["acled_incidents"] += 1
                res["acled_ok"] += inc["acled_type"] in types
                res["acled_sub_ok"] += inc.get("acled_sub_type") in subs
        nv = r["gold"].get("nonviolent", [])
        if nv:
            res["nonviolent_docs"] += 1
            violent_figs = {x for inc in r["gold"].get("incidents", []) for x in (inc.get("killed") or [])}
            bad = [e for e in counted_evs if (e["killed"] or 0) + (e["wounded"] or 0) > 0
                   and not (r["gold"].get("incidents") and e["killed"] in violent_figs)]
            res["nonviolent_out"] += not bad
            if bad:
                lines.append(f"NONVIOLENT COUNTED {r['id']} -> {[(e['killed'], e['wounded']) for e in bad]}")
    if show:
        print("\n".join(lines))
    return res


def summarise(res: dict) -> dict:
    def ratio(a, b):
        return round(res[a] / res[b], 3) if res[b] else None

    return {
        **res,
        "found_rate": ratio("found", "windows"),
        "killed_rate": ratio("killed_ok", "killed_windows"),
        "wounded_rate": ratio("wounded_ok", "wounded_windows"),
        "acled_rate": ratio("acled_ok", "acled_incidents"),
        "acled_sub_rate": ratio("acled_sub_ok", "acled_incidents"),
        "nonviolent_rate": ratio("nonviolent_out", "nonviolent_docs"),
        "false_days_per_50_docs": round(50 * res["false_days"] / res["documents"], 2) if res["documents"] else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["dev", "sealed", "both"], default="both")
    ap.add_argument("--build-manifest", action="store_true", help="rebuild manifest.jsonl and split.json from parts/")
    ap.add_argument("--show", action="store_true", help="print per-incident lines (use on dev only)")
    ap.add_argument("--keep", help="keep each part's warehouse in this folder")
    args = ap.parse_args(argv)
    if args.build_manifest:
        rows = build_manifest()
        split = write_split(rows)
        print(f"manifest: {len(rows)} articles; dev {len(split['dev'])}, sealed {len(split['sealed'])}")
        return 0
    rows = load_manifest()
    split = json.loads((CORPUS / "split.json").read_text())
    out = {}
    for part in (["dev", "sealed"] if args.part == "both" else [args.part]):
        wanted = set(split[part])
        ok, problems = available([r for r in rows if r["id"] in wanted])
        for p in problems:
            print(f"[{part}] {p}", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(args.keep) / part if args.keep else Path(tmp)
            if work.exists():
                shutil.rmtree(work)
            wh = run_pipeline(ok, work)
            counted, events = read_outputs(wh)
            res = summarise(score(ok, counted, events, show=args.show))
        res["missing_texts"] = len(problems)
        out[part] = res
        print(f"[{part}] " + ", ".join(f"{k}={v}" for k, v in res.items()))
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
