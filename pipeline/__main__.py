"""Headless entry point: `python -m pipeline run|export` (runs through Dagster, in process)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from pipeline import settings


def _instance():
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    home = settings.REPO_ROOT / ".dagster_home"
    home.mkdir(exist_ok=True)
    return DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))


def run(input_dir: str, warehouse: str) -> int:
    from pipeline.defs.runner import run_all
    from pipeline.lib import stages
    from pipeline.lib import warehouse as wh

    if not Path(input_dir).is_dir():
        print(f"error: input folder {input_dir} does not exist or is not a folder", file=sys.stderr)
        return 2
    try:  # a DuckLake warehouse that cannot be used fails here, before any work starts
        wh.check(warehouse)
    except wh.WarehouseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with _instance() as instance:
        results = run_all(input_dir, warehouse, instance)
    ok = all(r.success for r in results)
    with wh.connect(warehouse, read_only=True) as con:
        summary = stages.run_summary(con)
    summary["status"] = "ok" if ok else "failed"
    print("summary: " + json.dumps(summary))
    return 0 if ok else 1


def export(fmt: str, out_dir: str, warehouse: str) -> int:
    from pipeline.lib import warehouse as wh

    try:
        wh.check(warehouse)
    except wh.WarehouseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = wh.export_tables(warehouse, fmt, out_dir)
    for p in written:
        print(p)
    print(f"exported {len(written)} tables to {out_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    settings.apply_defaults()
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="materialise every asset for the input folder")
    r.add_argument("--input", default=os.environ[settings.INPUT_ENV], help="input folder (PIPELINE_INPUT_DIR)")
    r.add_argument("--warehouse", default=os.environ[settings.WAREHOUSE_ENV], help="DuckDB file, or ducklake:postgres:<libpq string> / ducklake:<catalog file> "
                        "(PIPELINE_WAREHOUSE; data files in PIPELINE_LAKE_DATA_PATH)")
    e = sub.add_parser("export", help="write every table as Parquet or CSV")
    e.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    e.add_argument("--warehouse", default=os.environ[settings.WAREHOUSE_ENV])
    e.add_argument("out_dir")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.cmd == "run":
        return run(args.input, args.warehouse)
    return export(args.format, args.out_dir, args.warehouse)


if __name__ == "__main__":
    sys.exit(main())
