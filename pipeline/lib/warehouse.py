"""The DuckDB warehouse: schema, short-lived connections, transactional writes, snapshots, export.

No Dagster here. Every write goes through :func:`replace_rows` (or a caller-held
transaction), so a crash in the middle of a stage leaves the previous state intact.
Values from documents only ever reach SQL as parameters or as registered Arrow/Polars
frames, never by string formatting.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import polars as pl

from pipeline.lib import lake

log = logging.getLogger(__name__)

# Table name -> CREATE TABLE statement. Columns of the public contract are never renamed or dropped.
SCHEMA: dict[str, str] = {
    "source_files": """
        CREATE TABLE IF NOT EXISTS source_files (
            source_file VARCHAR PRIMARY KEY, file_hash VARCHAR, size_bytes BIGINT,
            n_documents INTEGER, n_rejected INTEGER, batch_id VARCHAR, ingested_at TIMESTAMP)""",
    "documents": """
        CREATE TABLE IF NOT EXISTS documents (
            doc_id VARCHAR PRIMARY KEY, source_file VARCHAR, record_no INTEGER, title VARCHAR,
            outlet VARCHAR, url VARCHAR, published_date DATE, published_date_basis VARCHAR,
            language VARCHAR, body VARCHAR, raw_text VARCHAR, n_words INTEGER, content_hash VARCHAR,
            duplicate_of VARCHAR, batch_id VARCHAR, ingested_at TIMESTAMP)""",
    "rejected_documents": """
        CREATE TABLE IF NOT EXISTS rejected_documents (
            source_file VARCHAR, record_no INTEGER, reason VARCHAR, batch_id VARCHAR,
            rejected_at TIMESTAMP)""",
    "ingest_warnings": """
        CREATE TABLE IF NOT EXISTS ingest_warnings (
            batch_id VARCHAR, message VARCHAR, logged_at TIMESTAMP)""",
    "removed_lines": """
        CREATE TABLE IF NOT EXISTS removed_lines (
            doc_id VARCHAR, line_no INTEGER, text VARCHAR, reason VARCHAR)""",
    "dedup_pairs": """
        CREATE TABLE IF NOT EXISTS dedup_pairs (
            doc_id VARCHAR, duplicate_of VARCHAR, similarity DOUBLE, method VARCHAR)""",
    "doc_signatures": """
        CREATE TABLE IF NOT EXISTS doc_signatures (
            doc_id VARCHAR PRIMARY KEY, n_words INTEGER, published_date DATE, signature BLOB)""",
    "nlp_docs": """
        CREATE TABLE IF NOT EXISTS nlp_docs (
            doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR, model VARCHAR, docbin BLOB)""",
    "entities": """
        CREATE TABLE IF NOT EXISTS entities (
            doc_id VARCHAR, start_char INTEGER, end_char INTEGER, text VARCHAR, label VARCHAR,
            canonical_name VARCHAR, actor_type VARCHAR, country_code VARCHAR, role VARCHAR)""",
    "actors": """
        CREATE TABLE IF NOT EXISTS actors (
            canonical_name VARCHAR, actor_type VARCHAR, country_code VARCHAR, aliases VARCHAR[])""",
    "places": """
        CREATE TABLE IF NOT EXISTS places (
            canonical_name VARCHAR, country_code VARCHAR, lat DOUBLE, lon DOUBLE)""",
    "events": """
        CREATE TABLE IF NOT EXISTS events (
            event_id VARCHAR PRIMARY KEY, doc_id VARCHAR, event_type VARCHAR, event_mode VARCHAR,
            acled_type VARCHAR, actor1 VARCHAR, actor2 VARCHAR, location VARCHAR, event_date DATE,
            date_precision VARCHAR, date_text VARCHAR, killed INTEGER, killed_low INTEGER,
            killed_high INTEGER, wounded INTEGER, wounded_low INTEGER, wounded_high INTEGER,
            victim_side VARCHAR, claimed_by VARCHAR, disputed BOOLEAN, scope VARCHAR,
            incident_id VARCHAR, evidence VARCHAR, start_char INTEGER, end_char INTEGER,
            event_end_date DATE, cause VARCHAR, acled_sub_type VARCHAR, disorder_type VARCHAR)""",
    # events extracted in the entities stage's workers, waiting for the events stage to publish
    # them (it moves them to ``events`` in its own transaction)
    "staged_events": "CREATE TABLE IF NOT EXISTS staged_events AS SELECT * FROM events LIMIT 0",
    "event_staging": """
        CREATE TABLE IF NOT EXISTS event_staging (doc_id VARCHAR PRIMARY KEY, n_events INTEGER)""",
    "event_status": """
        CREATE TABLE IF NOT EXISTS event_status (
            doc_id VARCHAR PRIMARY KEY, n_events INTEGER, processed_at TIMESTAMP)""",
    "incidents": """
        CREATE TABLE IF NOT EXISTS incidents (
            incident_id VARCHAR PRIMARY KEY, event_date DATE, date_precision VARCHAR,
            event_type VARCHAR, acled_type VARCHAR, location VARCHAR, actor1 VARCHAR,
            actor2 VARCHAR, victim_side VARCHAR, killed INTEGER, killed_low INTEGER,
            killed_high INTEGER, wounded INTEGER, wounded_low INTEGER, wounded_high INTEGER,
            n_reports INTEGER, n_documents INTEGER, disputed BOOLEAN, scope VARCHAR,
            start_date DATE, end_date DATE, cause VARCHAR, acled_sub_type VARCHAR,
            disorder_type VARCHAR)""",
    "incident_tolls": """
        CREATE TABLE IF NOT EXISTS incident_tolls (
            incident_id VARCHAR, event_id VARCHAR, doc_id VARCHAR, published_date DATE,
            side VARCHAR, killed INTEGER, killed_low INTEGER, killed_high INTEGER,
            wounded INTEGER, wounded_low INTEGER, wounded_high INTEGER, claimed_by VARCHAR,
            disputed BOOLEAN, counted BOOLEAN, rule VARCHAR)""",
}

# Columns added after a table first shipped: (table, column, type). ensure_schema adds them to an
# existing warehouse (ALTER TABLE ... ADD COLUMN IF NOT EXISTS), at the end, as CREATE has them.
MIGRATIONS: list[tuple[str, str, str]] = [
    ("events", "event_end_date", "DATE"),
    ("events", "cause", "VARCHAR"),
    ("events", "acled_sub_type", "VARCHAR"),
    ("events", "disorder_type", "VARCHAR"),
    ("incidents", "start_date", "DATE"),
    ("incidents", "end_date", "DATE"),
    ("incidents", "cause", "VARCHAR"),
    ("incidents", "acled_sub_type", "VARCHAR"),
    ("incidents", "disorder_type", "VARCHAR"),
    ("staged_events", "event_end_date", "DATE"),
    ("staged_events", "cause", "VARCHAR"),
    ("staged_events", "acled_sub_type", "VARCHAR"),
    ("staged_events", "disorder_type", "VARCHAR"),
]

# Tables whose rows belong to one document: deleting a document deletes these rows.
DOC_TABLES = (
    "documents", "removed_lines", "doc_signatures", "nlp_docs", "entities", "events",
    "event_status", "staged_events", "event_staging",
)


class WarehouseLockedError(RuntimeError):
    """The warehouse file stayed locked by another process for longer than the timeout."""


WarehouseConfigError = lake.LakeConfigError


def resolve_setting(path: str | os.PathLike) -> str:
    """The warehouse setting made absolute (a DuckDB file path, or a ``ducklake:`` catalog)."""
    return lake.resolve_setting(path)


def check(path: str | os.PathLike, logger: logging.Logger | None = None) -> None:
    """Fail fast, before any work, when the warehouse setting cannot be used: a DuckLake catalog
    is attached (Postgres reachable, credentials accepted, data path usable) and its tables
    created. Raises :class:`WarehouseConfigError` naming the setting. A DuckDB file needs nothing."""
    if lake.is_lake(path):
        with connect(path, logger=logger):
            pass


def snapshot_path(path: str | os.PathLike) -> Path:
    """Where the read-only copy for analysts lives: ``warehouse.duckdb`` -> ``warehouse.snapshot.duckdb``."""
    p = Path(path)
    return p.with_name(p.stem + ".snapshot" + p.suffix)


@contextmanager
def connect(
    path: str | os.PathLike,
    *,
    read_only: bool = False,
    timeout_s: float = 120.0,
    logger: logging.Logger | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a short-lived connection, waiting (with a clear message) while another process holds the lock.

    ``path`` is the warehouse setting: a DuckDB file, or ``ducklake:...`` (see pipeline.lib.lake,
    the one module where the DuckLake warehouse differs)."""
    logger = logger or log
    path = str(path)
    if lake.is_lake(path):
        with lake.connect(path, read_only=read_only, timeout_s=timeout_s, logger=logger,
                          schema=SCHEMA) as con:
            yield con
        return
    if path != ":memory:" and not read_only:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_s
    delay = 0.2
    warned = False
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            break
        except duckdb.IOException as exc:  # lock held by another process
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                if "lock" in str(exc).lower():
                    raise WarehouseLockedError(
                        f"warehouse {path} is still locked by another process after {timeout_s:.0f} s: "
                        f"{exc}. Close other connections, or query the read-only copy "
                        f"{snapshot_path(path)} instead."
                    ) from exc
                raise
            if not warned:
                logger.warning(
                    "warehouse %s is locked by another process (%s); waiting up to %.0f s. "
                    "Analysts can query the read-only copy %s while the pipeline runs.",
                    path, str(exc).splitlines()[0], timeout_s, snapshot_path(path),
                )
                warned = True
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    try:
        if not read_only:
            ensure_schema(con)
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in SCHEMA.values():
        con.execute(ddl)
    for table, column, typ in MIGRATIONS:
        con.execute(f"ALTER TABLE {_ident(table)} ADD COLUMN IF NOT EXISTS {_ident(column)} {typ}")


def write(db, label: str, fn, logger: logging.Logger | None = None):
    """``fn(con)`` in one transaction on a fresh connection from ``db()``; run again from the start
    when a concurrent DuckLake writer committed a conflicting change first (never happens on the
    embedded file, whose writers take turns)."""
    def attempt():
        with db() as con, transaction(con, label):
            return fn(con)

    return lake.retrying(attempt, label, logger)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, label: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, rolled back on any exception: a stage's writes land whole or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        _fault_injection(label)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _fault_injection(label: str) -> None:
    """Test hook for the crash-safety test: with PIPELINE_FAULT_PAUSE=<label>:<marker file>, the
    transaction of that stage pauses before COMMIT (after its writes) and touches the marker, so a
    test can SIGKILL the process exactly in the middle of writing. Inert otherwise."""
    spec = os.environ.get("PIPELINE_FAULT_PAUSE")
    if not spec or not label:
        return
    want, _, marker = spec.partition(":")
    if want == label:
        Path(marker).touch()
        time.sleep(600)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "AND table_catalog = current_database() ORDER BY ordinal_position",
        [table],
    ).fetchall()]


def frame_for(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict] | pl.DataFrame) -> pl.DataFrame:
    """Rows as a Polars frame with exactly the table's columns (missing ones NULL), in table order."""
    cols = table_columns(con, table)
    if isinstance(rows, pl.DataFrame):
        df = rows
    else:
        df = pl.DataFrame(list(rows), infer_schema_length=None) if rows else pl.DataFrame()
    for c in cols:
        if c not in df.columns:
            df = df.with_columns(pl.lit(None).alias(c))
    return df.select(cols)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict] | pl.DataFrame) -> int:
    """Bulk insert through Arrow (no row-by-row INSERT). Returns the number of rows."""
    df = frame_for(con, table, rows)
    if df.height == 0:
        return 0
    arrow = df.to_arrow()
    con.register("_incoming", arrow)
    try:
        con.execute(f"INSERT INTO {_ident(table)} SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")
    return df.height


def update_from(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, key: str) -> None:
    """UPDATE ``table`` SET every non-key column of ``frame`` FROM ``frame`` joined on ``key`` (one
    set-based statement through Arrow, no row-by-row updates)."""
    sets = ", ".join(f"{_ident(c)} = u.{_ident(c)}" for c in frame.columns if c != key)
    con.register("_upd", frame.to_arrow())
    try:
        con.execute(f"UPDATE {_ident(table)} SET {sets} FROM _upd u "
                    f"WHERE {_ident(table)}.{_ident(key)} = u.{_ident(key)}")
    finally:
        con.unregister("_upd")


def delete_where_in(con: duckdb.DuckDBPyConnection, table: str, column: str, keys: Sequence[str]) -> None:
    if not keys:
        return
    con.register("_keys", pl.DataFrame({"k": list(keys)}, schema={"k": pl.String}).to_arrow())
    try:
        con.execute(f"DELETE FROM {_ident(table)} WHERE {_ident(column)} IN (SELECT k FROM _keys)")
    finally:
        con.unregister("_keys")


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[dict] | pl.DataFrame,
    key_column: str,
    keys: Sequence[str],
) -> int:
    """Delete the rows of ``keys`` and insert ``rows`` in one statement group (caller holds the transaction)."""
    delete_where_in(con, table, key_column, keys)
    return insert_rows(con, table, rows)


def delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Remove every row that belongs to these documents, in every per-document table (no orphans)."""
    for t in DOC_TABLES:
        delete_where_in(con, t, "doc_id", doc_ids)
    delete_where_in(con, "dedup_pairs", "doc_id", doc_ids)


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return '"' + name + '"'


def publish_snapshot(path: str | os.PathLike, logger: logging.Logger | None = None) -> Path | None:
    """Copy the warehouse to a read-only snapshot next to it, atomically (copy then rename).

    Analysts point their SQL clients at the snapshot; the pipeline never opens it for writing,
    so neither side locks the other out. A DuckLake warehouse needs no copy (its readers see the
    last committed snapshot): returns ``<setting>@<snapshot id>`` instead.
    """
    if lake.is_lake(path):
        return lake.publish_snapshot(str(path), logger)
    src = Path(path)
    if not src.exists():
        return None
    dst = snapshot_path(src)
    tmp = dst.with_name(dst.name + ".tmp")
    with connect(src) as con:
        con.execute("CHECKPOINT")
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
    (logger or log).info("published read-only snapshot %s", dst)
    return dst


def artifacts_dir(path: str | os.PathLike) -> Path:
    """The folder for files made from the warehouse (charts): next to the DuckDB file."""
    return lake.artifacts_dir(str(path)) if lake.is_lake(path) else Path(path).parent


def user_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, kind) of every table and view in the main schema."""
    return [(r[0], r[1]) for r in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name"
    ).fetchall()]


def export_tables(path: str | os.PathLike, fmt: str, out_dir: str | os.PathLike) -> list[Path]:
    """Write every table and view to ``out_dir`` as Parquet or CSV (DuckDB COPY with a parameterised path)."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown export format {fmt!r}: use parquet or csv")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with connect(path, read_only=True) as con:
        for name, _kind in user_tables(con):
            if name in ("nlp_docs", "doc_signatures"):
                continue  # binary caches, not analyst data
            target = out / f"{name}.{fmt}"
            rel = con.sql(f"SELECT * FROM {_ident(name)}")
            if fmt == "parquet":
                rel.write_parquet(str(target))
            else:
                rel.write_csv(str(target))
            written.append(target)
    return written
