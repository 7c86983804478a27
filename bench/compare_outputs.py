"""Run the whole pipeline (the CLI, through Dagster) of one tree on fixed inputs and dump its
output tables, to check that a change of plumbing leaves the outputs identical.

    python bench/compare_outputs.py --out bench/out/outputs_after.jsonl
    # the old tree: git archive <old> | tar -x -C /tmp/base; cp bench/compare_outputs.py /tmp/base/bench/
    (cd /tmp/base && python bench/compare_outputs.py --out /tmp/outputs_before.jsonl)
    cmp /tmp/outputs_before.jsonl bench/out/outputs_after.jsonl

Inputs: ``seeds/`` and a generated corpus (``--docs`` documents, ``--seed``; by default 400,
seed 7, generated once in ``--workdir``). Each input runs in a fresh warehouse and Dagster home
with the CLI of the tree the script sits in (``python -m pipeline run`` with that tree first on
``PYTHONPATH``). Dumped, as sorted JSON lines with the table's name: ``documents`` (doc_id,
duplicate_of, n_words), ``entities``, ``events`` (every column), ``incidents``,
``incident_tolls``, ``daily_casualties``, ``daily_incidents``. Timestamps and batch ids are
left out (they differ between any two runs).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

TABLES = {
    "documents": "SELECT doc_id, duplicate_of, n_words, published_date FROM documents",
    "entities": "SELECT * FROM entities",
    "events": "SELECT * FROM events",
    "incidents": "SELECT * FROM incidents",
    "incident_tolls": "SELECT * FROM incident_tolls",
    "daily_casualties": "SELECT * FROM daily_casualties",
    "daily_incidents": "SELECT * FROM daily_incidents",
}
DROP = {"batch_id", "ingested_at", "processed_at", "rejected_at", "logged_at"}


def run_pipeline(input_dir: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    (work / "dagster_home").mkdir(parents=True)
    (work / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    wh = work / "warehouse.duckdb"
    env = dict(os.environ, DAGSTER_HOME=str(work / "dagster_home"), PYTHONPATH=str(REPO))
    with open(work / "run.log", "w") as log:
        subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(input_dir),
                        "--warehouse", str(wh)], cwd=str(REPO), env=env, check=True,
                       stdout=log, stderr=subprocess.STDOUT)
    return wh


def dump(wh: Path, label: str) -> list[str]:
    import duckdb

    con = duckdb.connect(str(wh), read_only=True)
    out = []
    try:
        for name, sql in TABLES.items():
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description]
            for row in cur.fetchall():
                rec = {c: v for c, v in zip(cols, row) if c not in DROP}
                out.append(json.dumps({"input": label, "table": name, **rec}, sort_keys=True,
                                      default=str))
    finally:
        con.close()
    return out


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--docs", type=int, default=400)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "conflict-events-compare"))
    a = p.parse_args()
    import generate_corpus as gen

    work = Path(a.workdir)
    corpus = work / f"corpus_{a.docs}_s{a.seed}"
    gen.ensure_corpus(corpus, a.docs, a.seed)
    tag = f"{os.getpid()}"
    lines = []
    for label, folder in (("seeds", REPO / "seeds"), (f"corpus_{a.docs}", corpus)):
        wh = run_pipeline(folder, work / f"run_{tag}_{label}")
        lines += dump(wh, label)
        shutil.rmtree(wh.parent)
    lines.sort()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} lines -> {a.out} (pipeline of {REPO})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
