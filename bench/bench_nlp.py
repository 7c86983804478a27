"""The entities stage next to raw spaCy on the same texts, with one and two processes.

    python bench/bench_nlp.py [--docs 1000] [--seed 7] [--processes 1,2] [--workdir DIR]

Prepares a warehouse with the plain stage functions (``stages.ingest`` + ``stages.dedup``, no
Dagster) over the generated corpus, loads the model once (``pipeline.lib.nlp.load_nlp``), then
for each process count, alternately:

* ``raw``: ``nlp.pipe(texts, batch_size, n_process)`` over the kept bodies, docs consumed only;
* ``stage``: ``pipeline.lib.stages.entities`` (read from DuckDB, nlp.pipe, ``resolve_entities``,
  one DocBin per document, one transaction writing ``entities`` and ``nlp_docs``);
* (one process only) the CPU time of each piece of the stage's per-document work on already
  parsed docs: ``resolve_entities`` and one DocBin per document.

Wall time and CPU time (user + sys of this process and the reaped spaCy workers) are both given:
on a shared machine the CPU figures are the stable ones.

The last line is one JSON object (words/s of each, and stage/raw ratios).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def cpu() -> float:
    """user + sys CPU seconds of this process and its reaped children (spaCy workers)."""
    import resource

    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def prepare(corpus: Path, wh_path: Path) -> tuple:
    from pipeline.lib import stages
    from pipeline.lib import warehouse as wh

    if wh_path.exists():
        wh_path.unlink()
    db = lambda: wh.connect(wh_path)  # noqa: E731
    batch = "bench-nlp"
    t = time.perf_counter()
    stages.ingest(db, corpus, batch)
    t_ing = time.perf_counter() - t
    t = time.perf_counter()
    stages.dedup(db, batch)
    t_dd = time.perf_counter() - t
    with db() as con:
        texts = [r[0] for r in con.execute(
            "SELECT body FROM documents WHERE batch_id = ? AND duplicate_of IS NULL AND body IS NOT NULL "
            "ORDER BY doc_id", [batch]).fetchall()]
    return db, batch, texts, {"ingest_seconds": round(t_ing, 2), "dedup_seconds": round(t_dd, 2)}


def main(argv: list[str] | None = None) -> int:
    import generate_corpus as gen

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--processes", default="1,2")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "conflict-events-bench"))
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    work = Path(a.workdir)
    corpus = work / f"corpus_{a.docs}_s{a.seed}"
    gen.ensure_corpus(corpus, a.docs, a.seed)
    tmp = Path(tempfile.mkdtemp(prefix="bench_nlp_", dir=work))
    try:
        db, batch, texts, prep = prepare(corpus, tmp / "warehouse.duckdb")
        from spacy.tokens import DocBin

        from pipeline.lib import entities as ent
        from pipeline.lib import stages
        from pipeline.lib.gazetteer import load_gazetteer
        from pipeline.lib.nlp import load_nlp, resolve_model_name

        gaz = load_gazetteer()
        t = time.perf_counter()
        nlp = load_nlp(None, gaz)
        t_load = time.perf_counter() - t
        words = sum(len(x.split()) for x in texts)
        for _ in nlp.pipe(texts[:20], batch_size=a.batch_size):  # warm-up
            pass
        out: dict = {"docs": a.docs, "kept_docs": len(texts), "words": words,
                     "model": resolve_model_name(), "pipe_names": nlp.pipe_names,
                     "batch_size": a.batch_size, "model_load_seconds": round(t_load, 2), **prep}
        quiet = logging.getLogger("bench.quiet")
        quiet.setLevel(logging.WARNING)
        for procs in [int(x) for x in a.processes.split(",") if x.strip()]:
            t, c = time.perf_counter(), cpu()
            for _ in nlp.pipe(texts, batch_size=a.batch_size, n_process=procs):
                pass
            raw, raw_cpu = time.perf_counter() - t, cpu() - c
            t, c = time.perf_counter(), cpu()
            stats = stages.entities(db, batch, nlp, gaz, batch_size=a.batch_size, n_process=procs,
                                    logger=quiet)
            stage, stage_cpu = time.perf_counter() - t, cpu() - c
            out[f"p{procs}"] = {
                "raw_seconds": round(raw, 2), "raw_words_per_s": round(words / raw, 1),
                "stage_seconds": round(stage, 2), "stage_words_per_s": round(words / stage, 1),
                "stage_over_raw": round(raw / stage, 3), "entities": stats["entities"],
                "raw_cpu_seconds": round(raw_cpu, 2), "stage_cpu_seconds": round(stage_cpu, 2),
                "stage_over_raw_cpu": round(raw_cpu / stage_cpu, 3),
            }
            if procs == 1:
                # the stage's per-document work on already parsed docs (CPU seconds, one process)
                parsed = list(nlp.pipe(texts, batch_size=a.batch_size))
                c = cpu()
                n = sum(len(ent.resolve_entities(doc, gaz)) for doc in parsed)
                pr = cpu() - c
                c = cpu()
                size = 0
                for doc in parsed:
                    b = DocBin(store_user_data=False)
                    b.add(doc)
                    size += len(b.to_bytes())
                pd = cpu() - c
                del parsed
                out["p1"].update({
                    "resolve_cpu_seconds": round(pr, 2), "resolve_share_of_raw": round(pr / raw_cpu, 3),
                    "docbin_cpu_seconds": round(pd, 2), "docbin_share_of_raw": round(pd / raw_cpu, 3),
                    "docbin_mb": round(size / 2**20, 1), "docbin_kb_per_doc": round(size / 1024 / len(texts), 1),
                })
        out["nproc"] = os.cpu_count()
        out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(out), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
