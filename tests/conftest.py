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


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL on 127.0.0.1 (tests/postgres_server.py), stopped and deleted at the
    end of the session even when tests fail. Skipped, with the reason, only when it cannot start;
    under CI (CI set) that is a failure instead: CI must run the DuckLake-on-Postgres tests."""
    import os
    import subprocess

    from tests.postgres_server import PostgresUnavailable, start_server

    try:
        server = start_server()
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as exc:
        reason = f"PostgreSQL cannot start here: {exc}"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run these tests: .ci/run installs Debian's postgresql)")
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def lake_db(postgres, request):
    """A fresh Postgres database for one test's DuckLake catalog: its `ducklake:postgres:` setting."""
    import re

    name = "t_" + re.sub(r"\W", "_", request.node.name)[:50].lower()
    postgres.create_database(name)
    return "ducklake:postgres:" + postgres.dsn(name)
