"""Shared fixtures: the seeds run once through Dagster into a temporary warehouse."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def run_pipeline(input_dir: Path, warehouse: Path, instance=None) -> list:
    """Materialise every asset with dagster.materialize (batch assets for a new partition, then
    the unpartitioned tail). Returns the two ExecuteInProcessResults."""
    from dagster import DagsterInstance, materialize

    os.environ["PIPELINE_INPUT_DIR"] = str(input_dir)
    os.environ["PIPELINE_WAREHOUSE"] = str(warehouse)
    from pipeline import definitions as d
    from pipeline.lib import stages
    from pipeline.lib import warehouse as wh

    instance = instance or DagsterInstance.ephemeral()
    results = []
    pending = stages.pending_files(lambda: wh.connect(warehouse), input_dir)
    if pending:
        key = stages.batch_key([f"{f.rel}:{f.sha256}" for f in pending])
        instance.add_dynamic_partitions(d.batches.name, [key])
        results.append(materialize(d.ALL_ASSETS, selection=d.BATCH_ASSETS, partition_key=key,
                                   instance=instance, resources=d.resources()))
    results.append(materialize(d.ALL_ASSETS, selection=d.refresh_job.selection, instance=instance,
                               resources=d.resources()))
    return results


@pytest.fixture(scope="session")
def seeds_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeds") / "warehouse.duckdb"
    results = run_pipeline(SEEDS, path)
    assert all(r.success for r in results)
    return path


@pytest.fixture()
def seeds_con(seeds_warehouse):
    con = duckdb.connect(str(seeds_warehouse), read_only=True)
    yield con
    con.close()
