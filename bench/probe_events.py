"""Event-level accuracy against the planted truth, re-extracting from the stored parses.

    python bench/probe_events.py --warehouse W.duckdb --truth CORPUS/.truth/truth.jsonl [--docs 400] [-v]

Re-runs the current extraction rules (pipeline.lib.events) on the parses a bench run stored in
`nlp_docs`, so rule changes can be measured without re-parsing, and reports, per date form and
count form of the planted casualty incidents, how many come out as an event with the exact day
and the exact killed figure. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    import duckdb
    from spacy.tokens import DocBin

    from pipeline.lib.entities import resolve_entities
    from pipeline.lib.events import extract_events
    from pipeline.lib.gazetteer import load_gazetteer
    from pipeline.lib.nlp import load_nlp

    ap = argparse.ArgumentParser()
    ap.add_argument("--warehouse", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("-v", action="store_true", help="print two misses per form")
    a = ap.parse_args()
    truth = {}
    for line in open(a.truth, encoding="utf-8"):
        t = json.loads(line)
        truth[t["doc_id"]] = t
    gz = load_gazetteer()
    nlp = load_nlp(None, gz)
    con = duckdb.connect(a.warehouse, read_only=True)
    rows = con.execute("SELECT n.doc_id, n.docbin, d.published_date FROM nlp_docs n JOIN documents d "
                       "USING (doc_id) ORDER BY doc_id LIMIT ?", [a.docs]).fetchall()
    stat: collections.Counter = collections.Counter()
    shown: collections.Counter = collections.Counter()
    for doc_id, blob, pub in rows:
        t = truth.get(doc_id)
        if not t or t["duplicate_of"]:
            continue
        doc = next(iter(DocBin().from_bytes(blob).get_docs(nlp.vocab)))
        evs = extract_events(doc, resolve_entities(doc, gz), doc_id, pub)
        for inc in t["incidents"]:
            if not inc.get("killed") or inc["scope"] != "incident":
                continue
            form = (inc["date_phrase_kind"], inc["quantity_form"])
            ok = any(e["event_date"] and str(e["event_date"]) == inc["date"] and e["killed"] == inc["killed"]
                     for e in evs)
            stat[(form, ok)] += 1
            if not ok and a.v and shown[form] < 2:
                shown[form] += 1
                print("MISS", form, inc["date"], inc["killed"], repr(inc["date_phrase"]), "published", pub)
                for e in evs:
                    if e["killed"] is not None or e["wounded"] is not None:
                        print("   ", e["event_date"], e["killed"], e["wounded"], e["scope"], e["evidence"][:160])
    forms = sorted({f for f, _ in stat})
    table = {f"{d}/{q}": [stat[((d, q), True)], stat[((d, q), True)] + stat[((d, q), False)]] for d, q in forms}
    for k, (ok, n) in table.items():
        print(f"{k:40s} {ok:4d} / {n}")
    ok = sum(v[0] for v in table.values())
    n = sum(v[1] for v in table.values())
    print(json.dumps({"incidents": n, "exact_day_and_killed": ok, "share": round(ok / n, 3) if n else None,
                      "by_form": table}))


if __name__ == "__main__":
    main()
