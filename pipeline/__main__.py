"""Headless entry point: `python -m pipeline run|export|explain|docs` (runs through Dagster, in process)."""

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


def export(fmt: str, out_dir: str, warehouse: str, layout: str = "tables") -> int:
    from pipeline.lib import warehouse as wh

    try:
        wh.check(warehouse)
    except wh.WarehouseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if layout != "tables":
        from pipeline.lib import layouts

        path = layouts.export_layout(warehouse, layout, fmt, out_dir)
        n = (pl_rows(path, fmt))
        print(path)
        print(f"exported {n} {layout.upper()} rows to {path}")
        return 0

    written = wh.export_tables(warehouse, fmt, out_dir)
    for p in written:
        print(p)
    print(f"exported {len(written)} tables to {out_dir}")
    return 0


def pl_rows(path: Path, fmt: str) -> int:
    import polars as pl

    return (pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path)).height


def explain(day: str | None, incident: str | None, warehouse: str, fmt: str) -> int:
    from datetime import date

    from pipeline.lib import explain as ex
    from pipeline.lib import warehouse as wh

    if not Path(warehouse).exists():
        print(f"error: warehouse {warehouse} does not exist (run `python -m pipeline run` first)", file=sys.stderr)
        return 2
    with wh.connect(warehouse, read_only=True) as con:
        if incident:
            try:
                x = ex.explain_incident(con, incident)
            except KeyError as exc:
                print(f"error: {exc.args[0]}", file=sys.stderr)
                return 2
        else:
            try:
                d = date.fromisoformat(day)
            except ValueError:
                print(f"error: --day {day!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
                return 2
            x = ex.explain_day(con, d)
    print(json.dumps(x, indent=2, ensure_ascii=False, default=str) if fmt == "json" else ex.render_text(x))
    return 0


def docs(readme: str, check: bool) -> int:
    from pipeline.lib import contract

    cols = contract.built_columns()
    gaps = contract.missing(cols)
    if gaps:
        print("error: columns without a description in pipeline/lib/contract.py: " + ", ".join(gaps),
              file=sys.stderr)
        return 1
    path = Path(readme)
    if check:
        before = path.read_text(encoding="utf-8")
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp) / "README.md"
            t.write_text(before, encoding="utf-8")
            contract.rewrite_readme(t, cols)
            stale = t.read_text(encoding="utf-8") != before
        print(f"{path}: table reference is {'out of date (run python -m pipeline docs)' if stale else 'up to date'}")
        return 1 if stale else 0
    changed = contract.rewrite_readme(path, cols)
    print(f"{path}: table reference {'rewritten' if changed else 'already up to date'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    settings.apply_defaults()
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="materialise every asset for the input folder")
    r.add_argument("--input", default=os.environ[settings.INPUT_ENV], help="input folder (PIPELINE_INPUT_DIR)")
    r.add_argument("--warehouse", default=os.environ[settings.WAREHOUSE_ENV], help="DuckDB file, or ducklake:postgres:<libpq string> / ducklake:<catalog file> "
                        "(PIPELINE_WAREHOUSE; data files in PIPELINE_LAKE_DATA_PATH)")
    e = sub.add_parser("export", help="write every table as Parquet or CSV, or the incidents in ACLED's "
                                      "or UCDP GED's layout (docs/layouts.md)")
    e.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    e.add_argument("--layout", choices=["tables", "acled", "ucdp"], default="tables",
                   help="tables: every table, one file each in OUT; acled/ucdp: one file (OUT, or OUT/<layout>.<format>)")
    e.add_argument("--warehouse", default=os.environ[settings.WAREHOUSE_ENV])
    e.add_argument("out_dir")
    x = sub.add_parser("explain", help="take a day's numbers (or one incident) apart: reports, sentences, "
                                       "the figure that counted and why, what was left out and why")
    which = x.add_mutually_exclusive_group(required=True)
    which.add_argument("--day", help="a day, YYYY-MM-DD")
    which.add_argument("--incident", help="an incident_id")
    x.add_argument("--warehouse", default=os.environ[settings.WAREHOUSE_ENV])
    x.add_argument("--format", choices=["text", "json"], default="text")
    dc = sub.add_parser("docs", help="rewrite the README's table reference from pipeline/lib/contract.py")
    dc.add_argument("--readme", default=str(settings.REPO_ROOT / "README.md"))
    dc.add_argument("--check", action="store_true", help="only report whether it is up to date (exit 1 if not)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.cmd == "run":
        return run(args.input, args.warehouse)
    if args.cmd == "docs":
        return docs(args.readme, args.check)
    if args.cmd == "explain":
        return explain(args.day, args.incident, args.warehouse, args.format)
    return export(args.format, args.out_dir, args.warehouse, args.layout)


if __name__ == "__main__":
    sys.exit(main())
