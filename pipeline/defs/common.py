"""Metadata helpers shared by the assets: row counts, column schema, markdown previews."""

from __future__ import annotations

import duckdb
from dagster import MetadataValue, TableColumn, TableSchema

from pipeline.lib import contract

BATCHES = "batches"


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, preview_rows: int = 5,
                   where: str | None = None, params: list | None = None) -> dict:
    """Row count, column schema (types from the warehouse, descriptions from
    pipeline/lib/contract.py) and a short markdown preview of a warehouse table."""
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()
    n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    wide = {"body", "raw_text", "evidence", "docbin", "signature", "text"}
    shown = [c for c, _ in cols if c not in wide][:10]
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in shown)} FROM "{table}"'
    if where:
        sql += f" WHERE {where}"
    preview = con.sql(sql + f" LIMIT {int(preview_rows)}", params=params or None).pl()
    return {
        "dagster/row_count": MetadataValue.int(int(n)),
        "dagster/column_schema": TableSchema(
            columns=[TableColumn(c, t, description=contract.describe(table, c) or None) for c, t in cols]),
        "preview": MetadataValue.md(_markdown(preview)),
    }


def _markdown(df) -> str:
    if df.height == 0:
        return "_(no rows)_"
    head = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns) + "\n"
    body = "\n".join("| " + " | ".join("" if v is None else str(v).replace("|", "\\|")[:60]
                                        for v in row) + " |" for row in df.iter_rows())
    return head + body


def stats_metadata(stats: dict) -> dict:
    return {f"count/{k}": MetadataValue.int(int(v)) if isinstance(v, int) else MetadataValue.text(str(v))
            for k, v in stats.items()}
