"""The SQL models of dbt_like_sql/ over a large synthetic warehouse: milliseconds per model.

    python bench/bench_sql.py [--incidents 1000000] [--events 1000000] [--repeat 7] [--db PATH]

Fills a DuckDB file with the warehouse schema (``pipeline.lib.warehouse``): ``--incidents``
incidents and ``--events`` events over ~3 years (about a third of a document per event), loaded
through Arrow, then materialises every model in dependency order exactly as the summary assets do
(``pipeline.lib.sqlmodels.materialize``: CREATE OR REPLACE VIEW/TABLE + row count), ``--repeat``
times, and reports the median and best ms per model; it also times the analyst's query alone
(``SELECT * FROM daily_casualties`` / the model's SELECT fetched to Arrow). Goal: the daily
summaries <= 50 ms over 1M incidents/events. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

EVENT_TYPES = ["FIGHT", "ASSAULT", "COERCE", "CONSULT", "AGREE", "THREATEN", "ACCUSE", "PROTEST",
               "MOBILIZE", "AID", "DEMAND", "SUPPORT"]
ACLED = ["Battles", "Explosions/Remote violence", "Violence against civilians",
         "Strategic developments", "Protests", "Riots", None]
PLACES = [f"Place {i}" for i in range(400)]
ACTORS = [f"Actor {i}" for i in range(200)]
OUTLETS = [f"Outlet {i}" for i in range(50)]


def _pick(rng: np.random.Generator, values: list, n: int, p=None) -> pa.Array:
    idx = rng.choice(len(values), size=n, p=p)
    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(values)).cast(
        pa.string() if not isinstance(values[0], (int, float)) else pa.int64())


def _counts(rng: np.random.Generator, n: int, share_zero: float, scale: float) -> np.ndarray:
    v = rng.geometric(1 / scale, size=n).astype(np.int32)
    v[rng.random(n) < share_zero] = 0
    return v


def build(db: str, n_inc: int, n_ev: int, seed: int = 7) -> dict:
    import duckdb

    from pipeline.lib import warehouse as wh

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    n_docs = max(1, n_ev // 3)
    day0 = np.datetime64(date(2022, 1, 1))
    with wh.connect(db) as con:
        for t in ("documents", "events", "incidents"):
            con.execute(f"DELETE FROM {t}")
        doc_ids = pa.array([f"doc{i:08d}" for i in range(n_docs)])
        dup = np.where(rng.random(n_docs) < 0.12, "doc00000000", None)
        docs = pa.table({
            "doc_id": doc_ids,
            "outlet": _pick(rng, OUTLETS, n_docs),
            "published_date": pa.array(day0 + rng.integers(0, 1100, n_docs).astype("timedelta64[D]")),
            "duplicate_of": pa.array(dup.tolist(), pa.string()),
        })
        con.register("_d", docs)
        con.execute("INSERT INTO documents (doc_id, outlet, published_date, duplicate_of) "
                    "SELECT doc_id, outlet, published_date, duplicate_of FROM _d")
        con.unregister("_d")
        inc_days = day0 + rng.integers(0, 1100, n_inc).astype("timedelta64[D]")
        killed = _counts(rng, n_inc, 0.55, 4.0)
        wounded = _counts(rng, n_inc, 0.6, 6.0)
        inc = pa.table({
            "incident_id": pa.array([f"inc{i:08d}" for i in range(n_inc)]),
            "event_date": pa.array(inc_days),
            "date_precision": _pick(rng, ["day", "week", "month", "year"], n_inc, [0.9, 0.03, 0.05, 0.02]),
            "event_type": _pick(rng, EVENT_TYPES, n_inc),
            "acled_type": _pick(rng, ACLED[:-1], n_inc),
            "location": _pick(rng, PLACES, n_inc),
            "actor1": _pick(rng, ACTORS, n_inc),
            "actor2": _pick(rng, ACTORS, n_inc),
            "killed": pa.array(killed), "wounded": pa.array(wounded),
            "n_reports": pa.array(rng.integers(1, 6, n_inc).astype(np.int32)),
            "n_documents": pa.array(rng.integers(1, 5, n_inc).astype(np.int32)),
            "disputed": pa.array(rng.random(n_inc) < 0.1),
            "scope": _pick(rng, ["incident", "aggregate", "historical"], n_inc, [0.9, 0.07, 0.03]),
        })
        con.register("_i", inc)
        con.execute("INSERT INTO incidents BY NAME SELECT * FROM _i")
        con.unregister("_i")
        ev_doc = rng.integers(0, n_docs, n_ev)
        ev = pa.table({
            "event_id": pa.array([f"doc{d:08d}:{i}:0" for i, d in enumerate(ev_doc)]),
            "doc_id": pa.array([f"doc{d:08d}" for d in ev_doc]),
            "event_type": _pick(rng, EVENT_TYPES, n_ev),
            "acled_type": _pick(rng, ACLED[:-1], n_ev),
            "actor1": _pick(rng, ACTORS, n_ev), "actor2": _pick(rng, ACTORS, n_ev),
            "location": _pick(rng, PLACES, n_ev),
            "event_date": pa.array(day0 + rng.integers(0, 1100, n_ev).astype("timedelta64[D]")),
            "date_precision": _pick(rng, ["day", "week", "month", "year"], n_ev, [0.9, 0.03, 0.05, 0.02]),
            "killed": pa.array(_counts(rng, n_ev, 0.55, 4.0)),
            "wounded": pa.array(_counts(rng, n_ev, 0.6, 6.0)),
            "disputed": pa.array(rng.random(n_ev) < 0.1),
            "scope": _pick(rng, ["incident", "aggregate", "historical"], n_ev, [0.9, 0.07, 0.03]),
            "incident_id": pa.array([f"inc{i:08d}" for i in rng.integers(0, n_inc, n_ev)]),
            "evidence": _pick(rng, [f"Evidence sentence number {i} about an attack that killed people."
                                    for i in range(1000)], n_ev),
            "start_char": pa.array(rng.integers(0, 3000, n_ev).astype(np.int32)),
        })
        ev = ev.append_column("end_char", pa.compute.add(ev["start_char"], 120))
        con.register("_e", ev)
        con.execute("INSERT INTO events BY NAME SELECT * FROM _e")
        con.unregister("_e")
        con.execute("CHECKPOINT")
    return {"documents": n_docs, "incidents": n_inc, "events": n_ev,
            "load_seconds": round(time.perf_counter() - t0, 2)}


def bench(db: str, repeat: int) -> dict:
    from pipeline.lib import sqlmodels
    from pipeline.lib import warehouse as wh

    models = sqlmodels.load_models()
    order = sqlmodels.run_order(models)
    out: dict[str, dict] = {}
    with wh.connect(db) as con:
        for name in order:  # warm-up and create
            sqlmodels.materialize(con, models[name])
        for name in order:
            m = models[name]
            times, qtimes = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                with wh.transaction(con):
                    rows = sqlmodels.materialize(con, m)
                times.append((time.perf_counter() - t) * 1000)
            body = m.sql.strip().rstrip(";")
            for _ in range(repeat):
                t = time.perf_counter()
                tbl = con.sql(body).to_arrow_table()
                qtimes.append((time.perf_counter() - t) * 1000)
            out[name] = {"kind": m.materialization, "rows": rows,
                         "materialize_ms_median": round(statistics.median(times), 1),
                         "materialize_ms_best": round(min(times), 1),
                         "query_ms_median": round(statistics.median(qtimes), 1),
                         "query_rows": tbl.num_rows}
        # what an analyst runs against the finished table
        for name in order:
            if models[name].materialization == "table":
                qt = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    con.sql(f'SELECT * FROM "{name}"').to_arrow_table()
                    qt.append((time.perf_counter() - t) * 1000)
                out[name]["read_table_ms_median"] = round(statistics.median(qt), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--incidents", type=int, default=1_000_000)
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--db", default=None, help="DuckDB file (default: a temporary file)")
    p.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: DuckDB's default)")
    a = p.parse_args(argv)
    tmp = None
    if a.db is None:
        tmp = tempfile.mkdtemp(prefix="bench_sql_")
        a.db = os.path.join(tmp, "warehouse.duckdb")
    if a.threads:
        import duckdb

        duckdb.default_connection().execute(f"SET threads = {a.threads}")
    loaded = build(a.db, a.incidents, a.events)
    models = bench(a.db, a.repeat)
    daily = {k: v["materialize_ms_median"] for k, v in models.items() if k.startswith("daily_")}
    result = {**loaded, "repeat": a.repeat, "models": models,
              "daily_materialize_ms_max": max(daily.values()) if daily else None,
              "goal_ms": 50, "meets_goal": bool(daily) and max(daily.values()) <= 50,
              "nproc": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(result))
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
