"""Incremental run (100 new documents into an N-document warehouse) against a full rebuild.

    python bench/bench_incremental.py [--docs 2000] [--add 100] [--seed 7] [--workdir DIR]
                                      [--estimate-full]

Generates ``--docs + --add`` articles; the first ``--docs`` (in publication order) form the
inbox of a first CLI run (``pipeline.__main__.run`` in a child process, its own Dagster home, as
in bench/run.py). Then the ``--add`` newest files (with their manifest rows; some are copies of
stored articles, so dedup must compare them with the warehouse) are dropped into the inbox and
the CLI runs again on the same warehouse and Dagster home: that is the incremental run. Finally a
fresh warehouse is built from all ``--docs + --add`` files in one run: the full rebuild
(``--estimate-full`` skips it and scales the first run by (docs+add)/docs instead).

Both runs are the child process's whole wall time. The last line is one JSON object with
``ratio`` = incremental seconds / full rebuild seconds (goal <= 0.05), the incremental run's
per-step seconds, and whether the daily table after the incremental run equals the rebuild's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _inbox(corpus: Path, inbox: Path, files: list[dict]) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for row in files:
        dst = inbox / row["file"]
        if not dst.exists():
            shutil.copyfile(corpus / row["file"], dst)
    existing = []
    man = inbox / "manifest.csv"
    if man.exists():
        with open(man, newline="") as f:
            existing = list(csv.DictReader(f))
    known = {r["file"] for r in existing}
    rows = existing + [r for r in files if r["file"] not in known]
    with open(man, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "published_date", "outlet", "url"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _daily(warehouse: Path) -> list:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [tuple(map(str, r)) for r in con.execute(
            "SELECT day, killed, wounded, incidents FROM daily_casualties ORDER BY day").fetchall()]
    finally:
        con.close()


def _home(d: Path) -> dict:
    (d / "dagster_home").mkdir(parents=True, exist_ok=True)
    (d / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return {"DAGSTER_HOME": str(d / "dagster_home")}


def main(argv: list[str] | None = None) -> int:
    import generate_corpus as gen
    from run import load_avg, run_child

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--add", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "conflict-events-bench"))
    p.add_argument("--estimate-full", action="store_true",
                   help="skip the full rebuild; scale the first run by (docs+add)/docs")
    a = p.parse_args(argv)
    work = Path(a.workdir)
    total = a.docs + a.add
    corpus = work / f"corpus_{total}_s{a.seed}"
    meta = gen.ensure_corpus(corpus, total, a.seed)
    with open(corpus / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    base, new = rows[:a.docs], rows[a.docs:]
    truth = {json.loads(l)["file"]: json.loads(l) for l in
             (gen.truth_dir(corpus) / "truth.jsonl").read_text().splitlines()}
    new_copies = sum(1 for r in new if truth[r["file"]]["duplicate_of"])
    d = work / f"incremental_{a.docs}_{a.add}_s{a.seed}"
    if d.exists():
        shutil.rmtree(d)
    inbox, wh = d / "inbox", d / "warehouse.duckdb"
    env = _home(d)
    load0 = load_avg()
    _inbox(corpus, inbox, base)
    first = run_child(["--_pipeline", "--input", str(inbox), "--warehouse", str(wh)], env, d / "first.log")
    _inbox(corpus, inbox, new)
    inc = run_child(["--_pipeline", "--input", str(inbox), "--warehouse", str(wh)], env, d / "incremental.log")
    daily_inc = _daily(wh)
    if a.estimate_full:
        full_s = first["wall_seconds"] * total / a.docs
        same = None
        full = None
    else:
        fd = d / "full"
        fd.mkdir()
        full = run_child(["--_pipeline", "--input", str(inbox), "--warehouse", str(fd / "warehouse.duckdb")],
                         _home(fd), d / "full.log")
        full_s = full["wall_seconds"]
        same = daily_inc == _daily(fd / "warehouse.duckdb")
    steps = inc["steps"]["by_step"]
    result = {
        "docs": a.docs, "added": a.add, "added_copies_of_stored": new_copies, "words": meta["words"],
        "first_run_seconds": round(first["wall_seconds"], 2),
        "first_run_cpu_seconds": round(first["cpu_seconds"], 2),
        "first_peak_rss_mb": round(first["peak_rss_mb"], 1),
        "first_peak_pss_mb": round(first["peak_pss_mb"], 1),
        "first_stage_seconds": {k: round(v, 2) for k, v in sorted(first["steps"]["by_step"].items(),
                                                                 key=lambda kv: -kv[1])},
        "incremental_seconds": round(inc["wall_seconds"], 2),
        "incremental_cpu_seconds": round(inc["cpu_seconds"], 2),
        "full_rebuild_seconds": round(full_s, 2),
        "full_rebuild_estimated": bool(a.estimate_full),
        "ratio": round(inc["wall_seconds"] / full_s, 4),
        "ratio_cpu": (round(inc["cpu_seconds"] / full["cpu_seconds"], 4) if full else
                      round(inc["cpu_seconds"] / (first["cpu_seconds"] * total / a.docs), 4)),
        "goal": 0.05,
        "incremental_import_seconds": round(inc["import_seconds"], 2),
        "incremental_run_seconds": round(inc["run_seconds"], 2),
        "incremental_stage_seconds": {k: round(v, 2) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
        "incremental_outside_steps_seconds": round(inc["wall_seconds"] - sum(steps.values()), 2),
        "incremental_peak_rss_mb": round(inc["peak_rss_mb"], 1),
        "incremental_peak_pss_mb": round(inc["peak_pss_mb"], 1),
        "full_peak_rss_mb": round(full["peak_rss_mb"], 1) if full else None,
        "full_peak_pss_mb": round(full["peak_pss_mb"], 1) if full else None,
        "full_stage_seconds": ({k: round(v, 2) for k, v in sorted(full["steps"]["by_step"].items(),
                                                                 key=lambda kv: -kv[1])} if full else None),
        "daily_table_same_as_rebuild": same,
        "warehouse_mb": round(wh.stat().st_size / 2**20, 1),
        "nproc": os.cpu_count(), "loadavg_before": load0, "loadavg_after": load_avg(),
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
