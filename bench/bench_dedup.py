"""Benchmark document dedup on the synthetic corpus of tests/dedup_corpus.py.

    python bench/bench_dedup.py --docs 10000
    python bench/bench_dedup.py --docs 100000
    python bench/bench_dedup.py --sweep --docs 3000 --seeds 1 2 3   # threshold measurement

Times ``find_duplicates`` (signature hashing + LSH + anchors + exact
verification; corpus generation is timed separately and not included),
reports documents per second, precision and recall against the planted copies
and the peak RSS of the process.  The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dedup_corpus import make_corpus, score  # noqa: E402

from pipeline.lib.dedup import DedupConfig, find_duplicates  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def run_once(n_docs: int, seed: int, cfg: DedupConfig) -> dict:
    t0 = time.perf_counter()
    corpus = make_corpus(n_docs, seed=seed)
    gen_s = time.perf_counter() - t0
    rss_before = peak_rss_mb()
    load = os.getloadavg()[0]
    c0, t0 = time.process_time(), time.perf_counter()
    result = find_duplicates(corpus.docs, cfg=cfg)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    sc = score(result.pairs, corpus)
    st = result.stats
    return {
        "docs": n_docs,
        "seed": seed,
        "avg_words": round(sum(d.n_words for d in corpus.docs) / max(1, n_docs), 1),
        "generate_s": round(gen_s, 2),
        "signatures_s": round(st["t_signatures"], 3),
        "exact_s": round(st["t_exact"], 3),
        "lsh_s": round(st["t_lsh"], 3),
        "anchors_s": round(st["t_anchors"], 3),
        "verify_s": round(st["t_verify"], 3),
        "total_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "docs_per_s": round(n_docs / wall, 1),
        "candidates": st["candidates"],
        "verified_pairs": st["verified_pairs"],
        "fact_rejections": st["fact_rejections"],
        "pairs": sc["pairs"],
        "expected": sc["expected"],
        "precision": round(sc["precision"], 4),
        "recall": round(sc["recall"], 4),
        "false_positive_kinds": sc["false_positive_kinds"],
        "missed_kinds": sc["missed_kinds"],
        "rss_before_dedup_mb": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_avg_1min_at_start": round(load, 2),
        "workers": cfg.workers,
        "lsh_backend": cfg.lsh_backend,
    }


def sweep(n_docs: int, seeds: list[int], base: DedupConfig) -> dict:
    """Precision/recall over a grid of verification thresholds, then the
    candidate-generation knobs (recall lost versus a permissive setting, time)."""
    corpora = {s: make_corpus(n_docs, seed=s) for s in seeds}

    def evaluate(cfg: DedupConfig) -> tuple[float, float, float, float]:
        tp = pairs = expected = 0
        t = 0.0
        for s, c in corpora.items():
            t0 = time.perf_counter()
            r = find_duplicates(c.docs, cfg=cfg)
            t += time.perf_counter() - t0
            sc = score(r.pairs, c)
            tp += sc["tp"]
            pairs += sc["pairs"]
            expected += sc["expected"]
        p = tp / pairs if pairs else 1.0
        rc = tp / expected if expected else 1.0
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        return p, rc, f1, t

    out: dict = {"verification": [], "candidates": [], "fact_guard": [], "container_share": []}
    print(f"# verification thresholds ({len(seeds)} corpora x {n_docs} docs)")
    print("jaccard containment precision recall f1")
    for jt, ct in itertools.product([0.6, 0.7, 0.75, 0.8, 0.85, 0.9], [0.6, 0.7, 0.75, 0.8, 0.85, 0.9]):
        p, rc, f1, _ = evaluate(replace(base, jaccard_threshold=jt, containment_threshold=ct))
        out["verification"].append({"jaccard": jt, "containment": ct, "precision": p, "recall": rc, "f1": f1})
        print(f"{jt:.2f} {ct:.2f} {p:.4f} {rc:.4f} {f1:.4f}", flush=True)
    print("# container_min_share")
    for cs in [0.0, 0.3, 0.4, 0.5, 0.6, 0.7]:
        p, rc, f1, _ = evaluate(replace(base, container_min_share=cs))
        out["container_share"].append({"container_min_share": cs, "precision": p, "recall": rc, "f1": f1})
        print(f"{cs:.2f} {p:.4f} {rc:.4f} {f1:.4f}", flush=True)
    print("# fact guard")
    for mf in [0, 1, 2, 1000]:
        p, rc, f1, _ = evaluate(replace(base, max_fact_changes=mf))
        out["fact_guard"].append({"max_fact_changes": mf, "precision": p, "recall": rc, "f1": f1})
        print(f"max_fact_changes={mf} {p:.4f} {rc:.4f} {f1:.4f}", flush=True)
    print("# candidate generation: lsh_threshold anchor_rate precision recall seconds")
    for lt, ar in itertools.product([0.3, 0.4, 0.5, 0.6], [0.125, 0.25, 0.5]):
        p, rc, f1, t = evaluate(replace(base, lsh_threshold=lt, anchor_rate=ar))
        out["candidates"].append({"lsh_threshold": lt, "anchor_rate": ar, "precision": p, "recall": rc, "seconds": t})
        print(f"{lt:.2f} {ar:.3f} {p:.4f} {rc:.4f} {t:.2f}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3], help="corpora for --sweep")
    ap.add_argument("--workers", type=int, default=DedupConfig.workers)
    ap.add_argument("--backend", choices=["numpy", "datasketch"], default=DedupConfig.lsh_backend)
    ap.add_argument("--sweep", action="store_true", help="measure thresholds instead of timing one run")
    args = ap.parse_args(argv)
    cfg = DedupConfig(workers=args.workers, lsh_backend=args.backend)
    if args.sweep:
        res = sweep(args.docs, args.seeds, cfg)
        print(json.dumps({"sweep": res, "docs": args.docs, "seeds": args.seeds}))
        return 0
    res = run_once(args.docs, args.seed, cfg)
    for k, v in res.items():
        print(f"{k:>24}: {v}")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
