"""Incremental incidents against a full re-merge, on a copy of a built warehouse (no NLP).

    python bench/check_incremental_incidents.py WAREHOUSE [--add 100] [--repeat 3]

Takes the events of the ``--add`` most recently published kept documents out, merges the rest
in full (the "stored" state), puts them back (no incident yet, as after a batch's events stage),
runs the incremental ``stages.incidents``, and compares ``incidents``, ``incident_tolls``,
``events.incident_id`` and the daily totals with a full re-merge of everything. Prints the
seconds of the incremental and of the full merge and one JSON line.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("warehouse")
    p.add_argument("--add", type=int, default=100)
    p.add_argument("--show", type=int, default=0, help="print up to N differing rows per table")
    a = p.parse_args()
    import duckdb
    import polars as pl

    from pipeline.lib import stages
    from pipeline.lib import warehouse as wh
    from pipeline.lib.gazetteer import load_gazetteer

    gz = load_gazetteer()
    tmp = Path(tempfile.mkdtemp(prefix="incr-check-"))
    inc_path, full_path = tmp / "incr.duckdb", tmp / "full.duckdb"
    shutil.copyfile(a.warehouse, inc_path)
    db = lambda: wh.connect(inc_path)  # noqa: E731
    with db() as con:
        new_docs = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE duplicate_of IS NULL ORDER BY published_date DESC, "
            "doc_id DESC LIMIT ?", [a.add]).fetchall()]
        con.register("_new", pl.DataFrame({"k": new_docs}, schema={"k": pl.String}).to_arrow())
        con.execute("CREATE TABLE held AS SELECT * FROM events WHERE doc_id IN (SELECT k FROM _new)")
        con.execute("DELETE FROM events WHERE doc_id IN (SELECT k FROM _new)")
    stages.incidents(db, gazetteer=gz, incremental=False)
    with db() as con:
        con.execute("INSERT INTO events SELECT * REPLACE (NULL::VARCHAR AS incident_id) FROM held")
        con.execute("DROP TABLE held")
    shutil.copyfile(inc_path, full_path)
    t0 = time.perf_counter()
    st_inc = stages.incidents(db, gazetteer=gz, incremental=True)
    t_inc = time.perf_counter() - t0
    t0 = time.perf_counter()
    st_full = stages.incidents(lambda: wh.connect(full_path), gazetteer=gz, incremental=False)
    t_full = time.perf_counter() - t0

    def dump(path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            return {
                "incidents": sorted(map(str, con.execute("SELECT * FROM incidents").fetchall())),
                "tolls": sorted(map(str, con.execute("SELECT * FROM incident_tolls").fetchall())),
                "mapping": sorted(map(str, con.execute(
                    "SELECT event_id, incident_id FROM events").fetchall())),
            }
        finally:
            con.close()
    x, y = dump(inc_path), dump(full_path)
    res = {"new_docs": len(new_docs), "incremental_seconds": round(t_inc, 2),
           "full_seconds": round(t_full, 2), "incremental": st_inc, "full": st_full,
           **{f"{k}_identical": x[k] == y[k] for k in x},
           **{f"{k}_differing": len(set(x[k]) ^ set(y[k])) for k in x}}
    print(json.dumps(res, default=str))
    if a.show:
        for k in x:
            for line in sorted(set(x[k]) ^ set(y[k]))[:a.show]:
                print(k, "incr" if line in set(x[k]) else "full", line[:300])
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
