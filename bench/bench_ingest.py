"""Time ingest of one file whose body is a single sentence of N words (long-line wrapping).

    python bench/bench_ingest.py                  # 20,000 words, 3 rounds
    python bench/bench_ingest.py --words 100000

``read_documents`` reads a folder holding one ``run.txt`` (a headline line, then one sentence of
``--words`` words without punctuation: the case tests/test_ingest.py checks for correctness) and
wraps it into lines of at most 150 words. A quadratic wrap or language check would show here;
the former test bound was 10 s wall for 20,000 words. Work files go to
``$TMPDIR/conflict-events-bench/ingest/`` (``--workdir`` moves them). The last line printed is
one JSON object.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.lib.ingest import read_documents  # noqa: E402

WORDS = ("the soldiers moved along the road near the village while officers of the army watched "
         "artillery positions across the valley and reported shelling by drones at dawn").split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", type=Path,
                    default=Path(tempfile.gettempdir()) / "conflict-events-bench" / "ingest")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    words = [WORDS[i % len(WORDS)] for i in range(args.words)]
    (args.workdir / "run.txt").write_text("Endless report\n" + " ".join(words), encoding="utf-8")
    load = os.getloadavg()[0]
    wall, cpu, lines = [], [], 0
    for _ in range(args.rounds):
        c0, t0 = time.process_time(), time.perf_counter()
        res = read_documents(args.workdir, today=date(2024, 1, 1))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        (doc,) = res.documents
        lines = doc.text.count("\n") + 1
    print(json.dumps({
        "bench": "ingest_long_sentence",
        "words": args.words,
        "lines_after_wrap": lines,
        "rounds": args.rounds,
        "wall_s_median": round(statistics.median(wall), 3),
        "wall_s_best": round(min(wall), 3),
        "cpu_s_median": round(statistics.median(cpu), 3),
        "former_test_bound_s": 10.0,
        "loadavg_1min_at_start": round(load, 2),
    }))


if __name__ == "__main__":
    main()
