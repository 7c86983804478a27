"""Runs that crash, readers that hold the warehouse, hostile file names: nothing half-written, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
EXPECTED_DAILY = [("2023-06-27", 0, 1), ("2023-06-28", 4, 0)]


def _cli(args, env, **kw):
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, **kw)


def _daily(path: Path):
    with duckdb.connect(str(path), read_only=True) as con:
        return [(str(d), k, w) for d, k, w in
                con.execute("SELECT day, killed, wounded FROM daily_casualties ORDER BY day").fetchall()]


def test_sigkill_in_the_middle_of_writing_leaves_no_half_batch(tmp_path):
    wh = tmp_path / "w.duckdb"
    marker = tmp_path / "paused"
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path), PIPELINE_FAULT_PAUSE=f"events:{marker}")
    proc = _cli(["run", "--input", str(REPO / "seeds"), "--warehouse", str(wh)], env)
    deadline = time.time() + 300
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.time() < deadline, "the run never reached the events write"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # inside the events transaction, after its INSERTs
    proc.wait()
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM entities").fetchone()[0] > 0
        # the events batch never committed: not one row of it is visible
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM event_status").fetchone()[0] == 0
    env.pop("PIPELINE_FAULT_PAUSE")
    again = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(REPO / "seeds"),
                            "--warehouse", str(wh)], env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "left incomplete" in again.stderr
    assert _daily(wh) == EXPECTED_DAILY
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_reader_holding_the_warehouse_makes_the_run_wait_not_fail(tmp_path):
    """Another process holds the warehouse until the run has reported that it waits for it.

    The holder releases on a signal, not after a fixed sleep, so the test does not depend on how
    fast the run reaches the warehouse on a loaded machine.
    """
    wh = tmp_path / "w.duckdb"
    duckdb.connect(str(wh)).close()
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.readline(); c.close()", str(wh)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--input", str(REPO / "seeds"),
                            "--warehouse", str(wh)], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    seen = threading.Event()
    err: list[str] = []

    def read_stderr():
        for line in run.stderr:
            err.append(line)
            if "locked by another process" in line:
                seen.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    waited = seen.wait(600)
    holder.stdin.close()
    holder.wait(60)
    run.wait(600)
    reader.join(60)
    assert waited, "".join(err)[-3000:]
    assert run.returncode == 0, "".join(err)[-3000:]
    assert _daily(wh) == EXPECTED_DAILY


def test_hostile_file_name_is_just_a_file_name(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO / "seeds", inbox)
    name = "x'; DROP TABLE documents; --.txt"
    (inbox / name).write_text("Talks resume\nDiplomats from both sides met in Geneva on Monday for talks.\n")
    from tests.conftest import run_pipeline

    wh = tmp_path / "w.duckdb"
    assert all(r.success for r in run_pipeline(inbox, wh))
    with duckdb.connect(str(wh), read_only=True) as con:
        files = {r[0] for r in con.execute("SELECT source_file FROM documents").fetchall()}
    assert name in files and len(files) == 6
    assert _daily(wh) == EXPECTED_DAILY


def test_modified_file_replaces_its_rows_without_orphans(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO / "seeds", inbox)
    from tests.conftest import run_pipeline

    wh = tmp_path / "w.duckdb"
    assert all(r.success for r in run_pipeline(inbox, wh))
    target = next(inbox.glob("003_*.txt"))
    target.write_text("Ceasefire talks\nEnvoys met in Doha on Thursday to discuss a ceasefire.\n")
    assert all(r.success for r in run_pipeline(inbox, wh))
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        for table in ("entities", "events", "removed_lines", "nlp_docs", "doc_signatures"):
            orphans = con.execute(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                                  "(SELECT 1 FROM documents d WHERE d.doc_id = t.doc_id)").fetchone()[0]
            assert orphans == 0, table
        body = con.execute("SELECT body FROM documents WHERE source_file = ?", [target.name]).fetchone()[0]
        assert "Doha" in body
        stale = con.execute("SELECT count(*) FROM events e JOIN documents d USING (doc_id) "
                            "WHERE d.source_file = ? AND e.evidence LIKE '%Jake Sullivan%'",
                            [target.name]).fetchone()[0]
        assert stale == 0
