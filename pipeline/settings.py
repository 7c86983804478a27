"""Where things are by default, and the environment variables that move them."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT_DIR = REPO_ROOT / "seeds"
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"

INPUT_ENV = "PIPELINE_INPUT_DIR"
WAREHOUSE_ENV = "PIPELINE_WAREHOUSE"      # a DuckDB file, or ducklake:postgres:<libpq> / ducklake:<catalog file>
LAKE_DATA_PATH_ENV = "PIPELINE_LAKE_DATA_PATH"  # DuckLake data files: shared folder or s3://... (pipeline/lib/lake.py)


def apply_defaults() -> None:
    """Give PIPELINE_INPUT_DIR / PIPELINE_WAREHOUSE their defaults when unset, so the resources can
    read them through dagster.EnvVar (the UI, the CLI and tests all honour them)."""
    os.environ.setdefault(INPUT_ENV, str(DEFAULT_INPUT_DIR))
    os.environ.setdefault(WAREHOUSE_ENV, str(DEFAULT_WAREHOUSE))
