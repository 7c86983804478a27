"""Time incident merging (``pipeline.lib.incidents.merge_incidents``) at two sizes.

    python bench/bench_incidents.py                       # 3,000 and 24,000 events
    python bench/bench_incidents.py --small 5000 --factor 8

Random event rows (300 places, 60 actors, 120 days, three event types, 8 events per document,
random seed 0: the workload of the removed timed test of tests/test_incidents.py) are merged
at ``--small`` events and at ``--factor`` times as many. Merging is O(n log n) by design, so the
CPU ratio should stay near the factor; a quadratic merge would give about factor squared. The
former test bound was a CPU ratio under 25 for a factor of 8. The last line printed is one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.lib.incidents import merge_incidents  # noqa: E402

EVENT_DEFAULTS = {
    "event_type": "ASSAULT", "event_mode": None, "acled_type": "Explosions/Remote violence",
    "actor1": None, "actor2": None, "location": None, "date_precision": "day", "date_text": None,
    "killed": None, "killed_low": None, "killed_high": None, "wounded": None, "wounded_low": None,
    "wounded_high": None, "victim_side": None, "claimed_by": None, "disputed": False,
    "scope": "incident", "evidence": "",
}


def make(n: int, rnd: random.Random) -> list[dict]:
    places = [f"P{i}" for i in range(300)]
    actors = [f"A{i}" for i in range(60)]
    out = []
    for i in range(n):
        doc, start = f"doc{i // 8}", (i % 8) * 100
        out.append({
            **EVENT_DEFAULTS,
            "event_id": f"{doc}:{start}:0", "doc_id": doc, "start_char": start, "end_char": start + 100,
            "event_date": date(2023, 1, 1) + timedelta(days=rnd.randrange(120)),
            "location": rnd.choice(places + [None]),
            "actor1": rnd.choice(actors + [None]),
            "event_type": rnd.choice(["ASSAULT", "FIGHT", "CONSULT"]),
            "killed": rnd.choice([None, 1, 2, 3]),
        })
    return out


def timed(events: list[dict]) -> tuple[float, float, int]:
    c0, t0 = time.process_time(), time.perf_counter()
    incidents, mapping = merge_incidents(events, {})
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    assert len(mapping) == len(events)
    return wall, cpu, len(incidents)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=3_000)
    ap.add_argument("--factor", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    small, big = make(args.small, rnd), make(args.small * args.factor, rnd)
    load = os.getloadavg()[0]
    s_wall, s_cpu, s_inc = timed(small)
    b_wall, b_cpu, b_inc = timed(big)
    print(json.dumps({
        "bench": "incidents",
        "small_events": len(small), "small_incidents": s_inc,
        "small_wall_s": round(s_wall, 3), "small_cpu_s": round(s_cpu, 3),
        "big_events": len(big), "big_incidents": b_inc,
        "big_wall_s": round(b_wall, 3), "big_cpu_s": round(b_cpu, 3),
        "factor": args.factor,
        "cpu_ratio": round(b_cpu / max(s_cpu, 1e-9), 2),
        "former_test_bound_cpu_ratio": 25,
        "loadavg_1min_at_start": round(load, 2),
    }))


if __name__ == "__main__":
    main()
