"""Time date resolution (``pipeline.lib.dates.find_dates``) per sentence.

    python bench/bench_dates.py                 # 200 sentences x 5 rounds
    python bench/bench_dates.py --copies 250 --rounds 10

The sentences are wire-style ones with and without date mentions (the set the removed timed
test of tests/test_dates.py used). Each round times ``find_dates`` over every sentence after a
warm-up; the figures are the median and best round, in milliseconds per sentence, wall and CPU.
The former test bound was 2 ms per sentence. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.lib.dates import find_dates  # noqa: E402

SENTENCES = [
    "Four Armenian servicemen were killed after strikes in the early hours of Wednesday morning.",
    "The day prior, the defense ministry alleged one of its troops had been shot.",
    "Foreign ministers met with the Secretary of State on Tuesday ahead of talks.",
    "In 2020, the two former Soviet republics fought a brutal war over the territory.",
    "Since December, Baku has taken control over the only road, after a firefight earlier this month.",
    "The statement said the situation had since stabilized and called for restraint.",
    "Negotiations stalled last year as both sides traded accusations of ceasefire violations.",
    "The region has been under blockade since December 12, but until June 15 supplies came in.",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=25, help="copies of the 8 sentences per round")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sentences = SENTENCES * args.copies
    pub = date(2023, 6, 28)
    load = os.getloadavg()[0]
    for s in SENTENCES:                      # warm-up: regex compilation, lazy tables
        find_dates(s, pub)
    wall_ms, cpu_ms, mentions = [], [], 0
    for _ in range(args.rounds):
        c0, t0 = time.process_time(), time.perf_counter()
        mentions = sum(len(find_dates(s, pub)) for s in sentences)
        wall_ms.append((time.perf_counter() - t0) * 1e3 / len(sentences))
        cpu_ms.append((time.process_time() - c0) * 1e3 / len(sentences))
    print(json.dumps({
        "bench": "dates",
        "sentences_per_round": len(sentences),
        "rounds": args.rounds,
        "mentions_per_round": mentions,
        "ms_per_sentence_wall_median": round(statistics.median(wall_ms), 4),
        "ms_per_sentence_wall_best": round(min(wall_ms), 4),
        "ms_per_sentence_cpu_median": round(statistics.median(cpu_ms), 4),
        "former_test_bound_ms": 2.0,
        "loadavg_1min_at_start": round(load, 2),
    }))


if __name__ == "__main__":
    main()
