"""Incremental incidents: re-merging only the incidents a batch's events can join gives the same
incidents, tolls and event mapping as a full re-merge (seeds; bench/check_incremental_incidents.py
does the same on a generated corpus's warehouse)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_incremental_equals_full_on_the_seeds(tmp_path):
    wh = tmp_path / "w.duckdb"
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path), PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(REPO / "seeds"),
                          "--warehouse", str(wh)], env=env, capture_output=True, text=True,
                         timeout=600, cwd=str(REPO))
    assert run.returncode == 0, run.stderr[-3000:]
    for add in (1, 2):
        out = subprocess.run([sys.executable, str(REPO / "bench" / "check_incremental_incidents.py"),
                              str(wh), "--add", str(add)], env=env, capture_output=True, text=True,
                             timeout=600, cwd=str(REPO))
        assert out.returncode == 0, out.stderr[-3000:]
        res = json.loads(out.stdout.strip().splitlines()[-1])
        assert res["incremental"]["mode"] == "incremental"
        assert res["incidents_identical"] and res["tolls_identical"] and res["mapping_identical"], res


def test_affected_incidents_by_day_and_region():
    from pipeline.lib.incidents import MergeConfig, affected_incidents

    cfg = MergeConfig(place_parents={"Mellit": "Sudan", "Kyiv": "Ukraine"}, episode_days=7)
    stored = [
        {"incident_id": "a", "doc_id": "d1", "event_date": date(2024, 1, 10), "date_precision": "day",
         "location": "Mellit", "scope": "incident"},
        {"incident_id": "b", "doc_id": "d2", "event_date": date(2024, 1, 10), "date_precision": "day",
         "location": "Kyiv", "scope": "incident"},
        {"incident_id": "c", "doc_id": "d3", "event_date": date(2024, 3, 1), "date_precision": "day",
         "location": "Mellit", "scope": "incident"},
        {"incident_id": "d", "doc_id": "d4", "event_date": date(2024, 1, 11), "date_precision": "day",
         "location": None, "scope": "incident"},
        {"incident_id": "e", "doc_id": "d5", "event_date": date(2024, 1, 11), "date_precision": "day",
         "location": "Sudan", "scope": "historical"},
    ]
    new = [{"doc_id": "n1", "event_date": date(2024, 1, 12), "date_precision": "day",
            "location": "Sudan", "scope": "incident"}]
    # same region and nearby days (a), a placeless report nearby (d); not another country (b),
    # not months away (c), not another scope (e)
    assert affected_incidents(stored, new, cfg) == {"a", "d"}
