"""The DuckLake warehouse: everything that differs from the embedded DuckDB file lives here.

The setting ``PIPELINE_WAREHOUSE`` (``--warehouse``) is either a DuckDB file path (the default,
handled by :mod:`pipeline.lib.warehouse` exactly as before) or a DuckLake catalog:

* ``ducklake:postgres:dbname=lake host=db.internal port=5432 user=... password=...``: the
  catalog in Postgres, many writers on many machines; the data files go to
  ``PIPELINE_LAKE_DATA_PATH`` (a shared folder, or ``s3://bucket/prefix/`` through DuckDB's
  ``httpfs``), which is then required;
* ``ducklake:/path/catalog.ducklake``: the catalog in a local DuckDB file, one machine (one
  process at a time holds the catalog file, as with the embedded warehouse); data files in
  ``PIPELINE_LAKE_DATA_PATH`` or, by default, ``<catalog>.files/`` next to it.

:func:`connect` yields a connection on which the lake is ATTACHed and USEd, so every stage,
SQL model, check and export runs the same SQL on both. Differences handled here:

* DuckLake has no PRIMARY KEY / UNIQUE constraints (nor indexes): they are stripped from the
  CREATE TABLE statements. Uniqueness of ``doc_id``, ``event_id`` and ``incident_id`` rests on
  the ids being deterministic (path of the file, offsets in the body) and on every file
  belonging to one batch; the blocking check ``doc_id_unique`` verifies it after each ingest.
* Writers never lock each other out: DuckLake commits optimistically and a transaction that
  conflicts with one committed meanwhile (two batches updating or deleting rows of one table)
  fails at COMMIT; :func:`retrying` runs the write again in a fresh transaction, which sees
  the other batch's rows.
* The extensions (``ducklake``, ``postgres_scanner``, ``httpfs`` for object storage) are LOADed
  from the files of the PyPI packages ``duckdb-extension-<name>``, never INSTALLed from the
  internet; their version must equal ``duckdb.__version__`` (pinned together in pyproject).
* Loading the extensions costs about a second, so each process keeps one in-memory DuckDB
  with the extensions loaded and hands out a cursor per :func:`connect`. A Postgres catalog
  stays attached; a local catalog file is attached while a connection is open and detached
  after, so that another process can take it (waiting, like the embedded file, while it is
  held).
* No file to copy for analysts: DuckLake readers see the last committed snapshot, so
  :func:`publish_snapshot` only records the snapshot id.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import duckdb

log = logging.getLogger(__name__)

PREFIX = "ducklake:"
WAREHOUSE_ENV = "PIPELINE_WAREHOUSE"
DATA_PATH_ENV = "PIPELINE_LAKE_DATA_PATH"
ALIAS = "lake"
# extension name -> PyPI package shipping it (its file: <package>/extensions/v<duckdb>/<name>.duckdb_extension).
# duckdb-extension-postgres ships the same binary under the name postgres.duckdb_extension,
# which LOAD rejects (the entry point is named after postgres_scanner): use postgres-scanner.
EXTENSION_PACKAGES = {
    "ducklake": "duckdb-extension-ducklake",
    "postgres_scanner": "duckdb-extension-postgres-scanner",
    "httpfs": "duckdb-extension-httpfs",
}
MAX_RETRIES = 20

T = TypeVar("T")


class LakeConfigError(RuntimeError):
    """The warehouse setting names a DuckLake that cannot be used (raised before any work)."""


def is_lake(database: str | os.PathLike) -> bool:
    return str(database).startswith(PREFIX)


@dataclass(frozen=True)
class LakeSpec:
    catalog: str          # what follows 'ducklake:' ('postgres:...' or a file path)
    data_path: str        # folder or URL of the data files, ending with '/'

    @property
    def is_postgres(self) -> bool:
        return self.catalog.startswith("postgres:")

    @property
    def shown(self) -> str:
        """The setting as it may be printed: any password masked."""
        return PREFIX + re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", self.catalog)

    @property
    def catalog_file(self) -> Path | None:
        return None if self.is_postgres else Path(self.catalog)


def shown(database: str) -> str:
    return PREFIX + re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", str(database)[len(PREFIX):]) \
        if is_lake(database) else str(database)


def _remote(path: str) -> bool:
    return "://" in path


def parse(database: str, data_path: str | None = None) -> LakeSpec:
    """Validate the two settings (no connection yet); errors name the setting to fix."""
    catalog = str(database)[len(PREFIX):].strip()
    if not catalog:
        raise LakeConfigError(f"{WAREHOUSE_ENV}={database!r}: name a catalog after 'ducklake:' "
                              "(ducklake:postgres:dbname=... host=... or ducklake:/path/catalog.ducklake)")
    data_path = data_path if data_path is not None else os.environ.get(DATA_PATH_ENV) or None
    if catalog.startswith("postgres:"):
        if not data_path:
            raise LakeConfigError(
                f"{DATA_PATH_ENV} is not set: a DuckLake catalog in Postgres ({shown(database)}) "
                "needs the folder or object-store URL its data files go to, shared by every worker "
                "(e.g. /mnt/lake/ or s3://bucket/conflict-events/)")
    else:
        if ":" in catalog.split("/")[0] and not catalog.startswith(("/", ".")):
            raise LakeConfigError(f"{WAREHOUSE_ENV}={shown(database)}: unknown DuckLake catalog type; "
                                  "use ducklake:postgres:<libpq string> or ducklake:<file path>")
        catalog = str(Path(catalog).expanduser().resolve())
        data_path = data_path or catalog + ".files"
    if not _remote(data_path):
        p = Path(data_path).expanduser()
        if not p.is_dir():
            if not p.parent.is_dir():
                raise LakeConfigError(
                    f"{DATA_PATH_ENV}={data_path}: the data folder does not exist and neither does "
                    f"its parent {p.parent}; create or mount the shared folder first")
            p.mkdir(exist_ok=True)
        data_path = str(p.resolve())
    if not data_path.endswith("/"):
        data_path += "/"
    return LakeSpec(catalog=catalog, data_path=data_path)


def resolve_setting(database: str | os.PathLike) -> str:
    """The warehouse setting with a local catalog path made absolute (workers may run elsewhere)."""
    if not is_lake(database):
        return str(Path(database).resolve())
    catalog = str(database)[len(PREFIX):].strip()
    if catalog.startswith("postgres:") or _remote(catalog):
        return str(database)
    return PREFIX + str(Path(catalog).expanduser().resolve())


# --------------------------------------------------------------------------- extensions
def extension_path(name: str) -> Path:
    """The extension's file inside its PyPI package, for this duckdb version."""
    package = EXTENSION_PACKAGES[name]
    module = package.replace("-", "_")
    spec = importlib.util.find_spec(module)
    version = duckdb.__version__
    if spec is None or not spec.submodule_search_locations:
        raise LakeConfigError(
            f"the DuckDB extension {name!r} is not installed: pip install '{package}=={version}' "
            f"(pip install -e '.[lake]' installs the pinned ones)")
    path = Path(list(spec.submodule_search_locations)[0]) / "extensions" / f"v{version}" / f"{name}.duckdb_extension"
    if not path.is_file():
        try:
            have = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            have = "?"
        raise LakeConfigError(
            f"{package} {have} does not match duckdb {version} (no {path.name} for v{version}): "
            f"install '{package}=={version}', or change duckdb and the extension packages together")
    return path


def extension_versions() -> dict[str, str]:
    out = {}
    for package in EXTENSION_PACKAGES.values():
        try:
            out[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def load_extensions(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    for name in names:
        con.execute(f"LOAD {_quote(str(extension_path(name)))}")


def new_database() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never downloads an extension (everything is LOADed from files)."""
    return duckdb.connect(":memory:", config={
        "autoinstall_known_extensions": False, "autoload_known_extensions": False})


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------- attach
def _extensions_for(spec: LakeSpec) -> list[str]:
    names = ["ducklake"]
    if spec.is_postgres:
        names.append("postgres_scanner")
    if _remote(spec.data_path) or _remote(spec.catalog):
        names.append("httpfs")
    return names


def attach_sql(spec: LakeSpec, alias: str = ALIAS, read_only: bool = False) -> str:
    opts = [f"DATA_PATH {_quote(spec.data_path)}"]
    if read_only:
        opts.append("READ_ONLY")
    return f"ATTACH {_quote(PREFIX + spec.catalog)} AS {alias} ({', '.join(opts)})"


def _mask(text: str) -> str:
    return re.sub(r"(password\s*=\s*)('[^']*'|[^\s\"']+)", r"\1***", text)


def _explain(spec: LakeSpec, exc: Exception) -> LakeConfigError:
    msg = _mask(str(exc).strip())
    first = msg.splitlines()[0] if msg else type(exc).__name__
    low = msg.lower()
    if spec.is_postgres and ("password authentication failed" in low or "no password supplied" in low
                             or ("role" in low and "does not exist" in low)):
        why = f"Postgres refused the credentials ({first}); check user= and password= in the setting"
    elif spec.is_postgres and ("database" in low and "does not exist" in low):
        why = f"the Postgres database does not exist ({first}); create it or fix dbname="
    elif spec.is_postgres and ("connection refused" in low or "could not connect" in low
                               or "timeout" in low or "could not translate host" in low
                               or "unable to connect" in low):
        why = f"cannot reach Postgres ({first}); is the server running at host=/port=?"
    elif "data_path" in low or "data path" in low or "no such file" in low or "directory" in low:
        return LakeConfigError(f"{DATA_PATH_ENV}={spec.data_path}: cannot use the DuckLake data path: {first}")
    else:
        why = f"cannot attach the DuckLake catalog: {first}"
    return LakeConfigError(f"{WAREHOUSE_ENV}={spec.shown}: {why}")


def ddl(statement: str) -> str:
    """A CREATE TABLE of the embedded schema, without what DuckLake does not support."""
    return re.sub(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", "", statement, flags=re.IGNORECASE)


class _Lake:
    """One process's DuckDB with the extensions loaded and the lake attached (or attachable)."""

    def __init__(self, spec: LakeSpec):
        self.spec = spec
        self.db = new_database()
        self.lock = threading.RLock()
        self.users = 0
        self.attached = False
        self.schema_ready = False
        try:
            load_extensions(self.db, _extensions_for(spec))
        except duckdb.Error as exc:
            raise LakeConfigError(f"loading the DuckDB extensions for {spec.shown}: {_mask(str(exc))}") from exc
        self.db.execute("SET ducklake_max_retry_count = 100")  # commit retries on snapshot-id races

    def attach(self, timeout_s: float, logger: logging.Logger) -> None:
        deadline = time.monotonic() + timeout_s
        delay, warned = 0.2, False
        while True:
            try:
                self.db.execute(attach_sql(self.spec))
                return
            except duckdb.Error as exc:
                locked = "lock" in str(exc).lower() and not self.spec.is_postgres
                if not locked or time.monotonic() >= deadline:
                    raise _explain(self.spec, exc) from exc
                if not warned:
                    logger.warning("DuckLake catalog %s is locked by another process; waiting up to %.0f s",
                                   self.spec.catalog, timeout_s)
                    warned = True
                time.sleep(delay)
                delay = min(delay * 2, 5.0)

    def detach(self) -> None:
        self.db.execute(f"DETACH {ALIAS}")


_LAKES: dict[tuple, _Lake] = {}
_LAKES_LOCK = threading.Lock()


def _lake_for(spec: LakeSpec) -> _Lake:
    key = (os.getpid(), spec)
    with _LAKES_LOCK:
        lake = _LAKES.get(key)
        if lake is None:
            lake = _LAKES[key] = _Lake(spec)
        return lake


@contextmanager
def connect(database: str, *, read_only: bool = False, timeout_s: float = 120.0,
            logger: logging.Logger | None = None, data_path: str | None = None,
            schema: dict[str, str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose default catalog is the lake (``USE lake``)."""
    logger = logger or log
    spec = parse(database, data_path)
    lake = _lake_for(spec)
    with lake.lock:
        if lake.users == 0 and not lake.attached:
            lake.attach(timeout_s, logger)
            lake.attached = True
        lake.users += 1
        try:
            if schema and not lake.schema_ready and not read_only:
                retrying(lambda: _create_tables(lake.db, schema), "schema", logger)
                lake.schema_ready = True
            con = lake.db.cursor()
            con.execute(f"USE {ALIAS}")
        except BaseException:
            _release(lake)
            raise
    try:
        yield con
    finally:
        try:
            con.close()
        finally:
            with lake.lock:
                _release(lake)


def _release(lake: _Lake) -> None:
    lake.users -= 1
    if lake.users == 0 and lake.spec.catalog_file is not None:
        lake.detach()  # let another process take the catalog file
        lake.attached = False


def _create_tables(db: duckdb.DuckDBPyConnection, schema: dict[str, str]) -> None:
    con = db.cursor()
    try:
        con.execute(f"USE {ALIAS}")
        con.execute("BEGIN TRANSACTION")
        for statement in schema.values():
            con.execute(ddl(statement))
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        con.close()


def is_conflict(exc: BaseException) -> bool:
    """A write-write conflict between transactions ("Transaction conflict - attempting to delete
    from table ... but another transaction has ..."): worth running again, unlike other errors."""
    return isinstance(exc, duckdb.Error) and "conflict" in str(exc).lower()


def retrying(fn: Callable[[], T], label: str = "", logger: logging.Logger | None = None,
             attempts: int = MAX_RETRIES) -> T:
    """Run ``fn`` (one whole transaction) again while it fails on a DuckLake write conflict."""
    logger = logger or log
    delay = 0.05
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if not is_conflict(exc) or attempt == attempts:
                raise
            logger.info("%s: DuckLake write conflict with a concurrent batch (attempt %d), retrying: %s",
                        label or "write", attempt, str(exc).splitlines()[-1][:200])
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int | None:
    try:
        return con.execute(f"SELECT max(snapshot_id) FROM {ALIAS}.snapshots()").fetchone()[0]
    except duckdb.Error:
        return None


def publish_snapshot(database: str, logger: logging.Logger | None = None) -> str:
    """DuckLake readers always see the last committed snapshot: nothing to copy. Returns the
    snapshot id as ``<setting>@<id>`` (a reader can pin it with ATTACH ... (SNAPSHOT_VERSION id))."""
    with connect(database, read_only=True) as con:
        snap = current_snapshot(con)
    where = f"{shown(database)}@{snap}"
    (logger or log).info("DuckLake warehouse: readers see committed snapshot %s (no copy needed)", where)
    return where


def artifacts_dir(database: str) -> Path:
    """Where files made from the warehouse (charts) go: next to a local catalog or data folder,
    else data/ in the working directory."""
    spec = parse(database)
    if spec.catalog_file is not None:
        return spec.catalog_file.parent
    if not _remote(spec.data_path):
        return Path(spec.data_path).parent
    return Path("data").resolve()
