"""Shared fixtures: the seeds run once through Dagster into a temporary warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def run_pipeline(input_dir: Path, warehouse: Path, instance=None) -> list:
    """Materialise every asset with dagster.materialize (a batch partition for the new files, then
    the unpartitioned tail), as the CLI does. Returns the ExecuteInProcessResults."""
    from dagster import DagsterInstance

    from pipeline.defs.runner import run_all

    return run_all(input_dir, warehouse, instance or DagsterInstance.ephemeral())


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
