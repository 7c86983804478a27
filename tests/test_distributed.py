"""Two batch partitions through dagster-dask's executor on a local Dask cluster give the same
warehouse as the default executor."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import duckdb
from dagster import DagsterInstance, execute_job, materialize, reconstructable

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
TABLES = {
    "documents": "SELECT doc_id, duplicate_of, published_date, body FROM documents ORDER BY doc_id",
    "entities": "SELECT doc_id, start_char, end_char, canonical_name FROM entities ORDER BY ALL",
    "events": "SELECT event_id, event_type, event_date, killed, wounded, scope FROM events ORDER BY event_id",
    "incidents": "SELECT event_date, event_type, killed, wounded, n_documents FROM incidents ORDER BY ALL",
    "daily_casualties": "SELECT * FROM daily_casualties ORDER BY day",
}


def _batches(inbox: Path):
    """Yield (partition key, files) for two batches: three seeds, then the other two."""
    from pipeline.lib import stages

    for group in (SEEDS[:3], SEEDS[3:]):
        for f in group:
            shutil.copy(f, inbox / f.name)
        names = [f.name for f in group]
        yield stages.batch_key(names), names


def _run(tmp: Path, executor: str) -> dict:
    inbox = tmp / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(REPO / "seeds" / "manifest.csv", inbox)
    wh = tmp / "w.duckdb"
    os.environ["PIPELINE_INPUT_DIR"] = str(inbox)
    os.environ["PIPELINE_WAREHOUSE"] = str(wh)
    from pipeline import definitions as d

    (tmp / "home").mkdir()
    instance = DagsterInstance.local_temp(str(tmp / "home"))
    try:
        for key, files in _batches(inbox):
            instance.add_dynamic_partitions(d.batches.name, [key])
            cfg = {"ops": {"ingested_documents": {"config": {"files": files}}}}
            if executor == "dask":
                if d.batch_job_def().executor_def.name != "dask":
                    os.environ["PIPELINE_EXECUTOR"] = "dask"  # read when the definitions load
                    d = importlib.reload(d)
                cfg["execution"] = {"config": {"cluster": {"local": {
                    "n_workers": 2, "threads_per_worker": 1, "processes": True}}}}
                res = execute_job(reconstructable(d.batch_job_def), instance=instance,
                                  run_config=cfg, tags={"dagster/partition": key})
            else:
                res = materialize(d.ALL_ASSETS, selection=d.BATCH_ASSETS, partition_key=key,
                                  instance=instance, resources=d.resources(), run_config=cfg)
            assert res.success, executor
        assert materialize(d.ALL_ASSETS, selection=d.refresh_job.selection, instance=instance,
                           resources=d.resources()).success
    finally:
        if os.environ.pop("PIPELINE_EXECUTOR", None):
            importlib.reload(d)
        instance.dispose()
    with duckdb.connect(str(wh), read_only=True) as con:
        return {t: con.execute(sql).fetchall() for t, sql in TABLES.items()}


def test_dask_executor_gives_the_same_warehouse(tmp_path):
    default = _run(tmp_path / "default", "default")
    dask = _run(tmp_path / "dask", "dask")
    assert default["daily_casualties"], "the seeds produced no casualty days"
    for table in TABLES:
        assert dask[table] == default[table], table
