"""DuckLake with its catalog in a real PostgreSQL (the `postgres` fixture starts one on loopback):
two batch partitions written at the same time by the workers of a local Dask cluster, a separate
reader process during a write, and credentials that Postgres refuses."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.lib import lake
from pipeline.lib import warehouse as wh

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
COMPARED = {
    "events": "SELECT event_id, doc_id, event_type, actor1, actor2, location, event_date, killed, "
              "wounded, scope, incident_id, evidence FROM events ORDER BY event_id",
    "incidents": "SELECT * FROM incidents ORDER BY incident_id",
    "daily_casualties": "SELECT * FROM daily_casualties ORDER BY day",
}
UNIQUE = {"documents": "doc_id", "events": "event_id", "incidents": "incident_id",
          "entities": "doc_id, start_char, end_char, label"}

pytestmark = pytest.mark.slow


def _tables(con) -> dict:
    return {t: con.execute(sql).fetchall() for t, sql in COMPARED.items()}


def _inbox(tmp: Path) -> Path:
    inbox = tmp / "inbox"
    inbox.mkdir(parents=True)
    for f in [*SEED_FILES, SEEDS / "manifest.csv"]:
        shutil.copy(f, inbox / f.name)
    return inbox


def test_wrong_credentials_fail_before_any_work(postgres, tmp_path, monkeypatch, capsys):
    from pipeline.__main__ import main

    monkeypatch.setenv(lake.DATA_PATH_ENV, str(tmp_path / "files"))
    setting = "ducklake:postgres:" + postgres.dsn("lake", password="not-the-password")
    assert main(["run", "--input", str(SEEDS), "--warehouse", setting]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: PIPELINE_WAREHOUSE=ducklake:postgres:"), err
    assert "refused the credentials" in err[0] and "not-the-password" not in err[0], err
    assert not any((tmp_path / "files").iterdir())
    # the right password works (same server, same database)
    wh.check("ducklake:postgres:" + postgres.dsn("lake"))


def test_two_batches_concurrently_on_dask_workers_equal_the_embedded_run(
        lake_db, seeds_warehouse, tmp_path, monkeypatch):
    """Two batch partitions run at the same time on a local Dask cluster of 2 worker processes,
    both writing into one DuckLake (catalog in Postgres, data files in a shared folder); the
    refresh runs once after them. Same events, incidents and daily casualties as the embedded
    run of the same files; ids unique; re-running a batch changes nothing."""
    from dagster import DagsterInstance, execute_job, materialize, reconstructable
    from distributed import Client, LocalCluster

    from pipeline.lib import stages

    inbox = _inbox(tmp_path)
    files = tmp_path / "lake-files"
    files.mkdir()
    monkeypatch.setenv("PIPELINE_INPUT_DIR", str(inbox))
    monkeypatch.setenv("PIPELINE_WAREHOUSE", lake_db)
    monkeypatch.setenv(lake.DATA_PATH_ENV, str(files))
    monkeypatch.setenv("PIPELINE_EXECUTOR", "dask")
    wh.check(lake_db)  # create the tables once, before the workers race for it
    from pipeline import definitions as d

    d = importlib.reload(d)  # picks the Dask executor (read when the definitions load)
    groups = [[f.name for f in SEED_FILES[:3]], [f.name for f in SEED_FILES[3:]]]
    keys = [stages.batch_key(g) + f"-{i}" for i, g in enumerate(groups)]
    (tmp_path / "home").mkdir()
    instance = DagsterInstance.local_temp(str(tmp_path / "home"))
    instance.add_dynamic_partitions(d.batches.name, keys)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1")
    results: dict[str, object] = {}
    try:
        def run(key, names):
            cfg = {"ops": {"ingested_documents": {"config": {"files": names}}},
                   "execution": {"config": {"cluster": {"existing": {"address": cluster.scheduler_address}}}}}
            results[key] = execute_job(reconstructable(d.batch_job_def), instance=instance,
                                       run_config=cfg, tags={"dagster/partition": key})

        threads = [threading.Thread(target=run, args=(k, g)) for k, g in zip(keys, groups)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        assert all(results[k].success for k in keys), {k: results[k].success for k in keys}
        with Client(cluster) as client:
            ran_on = client.run(os.getpid)
        assert len(ran_on) == 2
    finally:
        cluster.close()
        monkeypatch.delenv("PIPELINE_EXECUTOR")
        d = importlib.reload(d)
    # the two runs overlapped in time: neither waited for the other
    spans = [(instance.get_run_stats(results[k].run_id).start_time,
              instance.get_run_stats(results[k].run_id).end_time) for k in keys]
    assert max(s for s, _ in spans) < min(e for _, e in spans), spans
    # the refresh, once, after both
    assert materialize(d.ALL_ASSETS, selection=d.refresh_job.selection, instance=instance,
                       resources=d.resources()).success
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        want = _tables(con)
    with wh.connect(lake_db, read_only=True) as con:
        got = _tables(con)
        for table, key in UNIQUE.items():
            n, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
            assert n == distinct and n > 0, table
        batches = dict(con.execute("SELECT batch_id, count(*) FROM documents GROUP BY 1").fetchall())
    assert batches == {keys[0]: 3, keys[1]: len(SEED_FILES) - 3}
    assert want["daily_casualties"]
    for t in COMPARED:
        assert got[t] == want[t], t
    # re-running a batch (and the refresh) changes nothing
    cfg = {"ops": {"ingested_documents": {"config": {"files": groups[0]}}}}
    assert materialize(d.ALL_ASSETS, selection=d.BATCH_ASSETS, partition_key=keys[0], instance=instance,
                       resources=d.resources(), run_config=cfg).success
    assert materialize(d.ALL_ASSETS, selection=d.refresh_job.selection, instance=instance,
                       resources=d.resources()).success
    with wh.connect(lake_db, read_only=True) as con:
        assert _tables(con) == got
    instance.dispose()


READER = textwrap.dedent("""
    import json, sys
    from pipeline.lib import lake
    spec = lake.parse(sys.argv[1], sys.argv[2])
    con = lake.new_database()
    lake.load_extensions(con, ["ducklake", "postgres_scanner"])
    con.execute(lake.attach_sql(spec, read_only=True))
    con.execute("USE lake")
    con.execute("BEGIN TRANSACTION")  # one snapshot for every query below
    out = {
        "documents": con.execute("SELECT count(*) FROM documents").fetchone()[0],
        "events": con.execute("SELECT count(*) FROM events").fetchone()[0],
        "event_docs": con.execute("SELECT count(DISTINCT doc_id) FROM events").fetchone()[0],
        "orphans": con.execute("SELECT count(*) FROM events e LEFT JOIN documents d USING (doc_id) "
                               "WHERE d.doc_id IS NULL OR substr(d.body, e.start_char + 1, "
                               "e.end_char - e.start_char) <> e.evidence").fetchone()[0],
        "status_without_events": con.execute(
            "SELECT count(*) FROM event_status s WHERE n_events <> (SELECT count(*) FROM events e "
            "WHERE e.doc_id = s.doc_id)").fetchone()[0],
        "killed": con.execute("SELECT coalesce(sum(killed), 0) FROM daily_casualties").fetchone()[0],
    }
    con.execute("COMMIT")
    print(json.dumps(out))
""")


def _read(setting: str, data_path: str) -> dict:
    """A separate DuckDB process attached read-only to the same DuckLake catalog."""
    import json

    out = subprocess.run([sys.executable, "-c", READER, setting, data_path], capture_output=True,
                         text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_reader_process_sees_consistent_tables_while_a_batch_is_written(lake_db, tmp_path):
    """A batch stops in the middle of its events transaction (written, not committed); a reader
    in another process, attached to the same catalog, is not blocked and sees the last committed
    state whole: no event of the half-written batch, every event backed by its document. The
    writer is then killed; the next run completes the batch and the reader sees it all."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "manifest.csv", inbox)
    for f in SEED_FILES[:2]:
        shutil.copy(f, inbox / f.name)
    files = tmp_path / "lake-files"
    files.mkdir()
    env = {**os.environ, lake.DATA_PATH_ENV: str(files), "DAGSTER_HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    cmd = [sys.executable, "-m", "pipeline", "run", "--input", str(inbox), "--warehouse", lake_db]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, cwd=REPO)
    assert first.returncode == 0, first.stderr[-3000:]
    before = _read(lake_db, str(files))
    assert before["events"] > 0 and before["orphans"] == 0 and before["killed"] > 0
    for f in SEED_FILES[2:]:
        shutil.copy(f, inbox / f.name)
    marker = tmp_path / "paused"
    writer = subprocess.Popen(cmd, env={**env, "PIPELINE_FAULT_PAUSE": f"events:{marker}"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            assert writer.poll() is None, "the writer ended before its events transaction"
            assert time.monotonic() < deadline, "the writer never reached its events transaction"
            time.sleep(0.5)
        t0 = time.monotonic()
        during = _read(lake_db, str(files))
        assert time.monotonic() - t0 < 60  # not blocked by the open write transaction
        # the new documents are committed (ingest, dedup, entities), their events are not
        assert during["documents"] == before["documents"] + len(SEED_FILES) - 2
        assert during["events"] == before["events"] and during["event_docs"] == before["event_docs"]
        assert during["orphans"] == 0 and during["status_without_events"] == 0
        assert during["killed"] == before["killed"]
    finally:
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, cwd=REPO)
    assert again.returncode == 0, again.stderr[-3000:]
    after = _read(lake_db, str(files))
    assert after["documents"] == during["documents"] and after["events"] > before["events"]
    assert after["orphans"] == 0 and after["status_without_events"] == 0


def test_dagster_instance_example_stores_runs_in_postgres(postgres, tmp_path, monkeypatch):
    """docs/dagster/dagster.postgres.yaml, as a team would install it: runs, event logs and
    schedule storage (dynamic partitions included) land in Postgres."""
    from dagster import DagsterInstance, asset, materialize
    from dagster._core.instance.ref import InstanceRef

    postgres.create_database("dagster")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO / "docs" / "dagster" / "dagster.postgres.yaml", home / "dagster.yaml")
    for k, v in {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(postgres.port),
                 "DAGSTER_PG_DB": "dagster", "DAGSTER_PG_USER": "lake",
                 "DAGSTER_PG_PASSWORD": postgres.dsn().split("password=")[1],
                 "DAGSTER_COMPUTE_LOG_DIR": str(tmp_path / "logs")}.items():
        monkeypatch.setenv(k, v)

    @asset
    def one() -> int:
        return 1

    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        instance.add_dynamic_partitions("batches", ["b1"])
        assert materialize([one], instance=instance).success
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as again:
        assert again.has_dynamic_partition("batches", "b1")
        assert len(again.get_runs()) == 1
