"""SQL models in ``dbt_like_sql/``: read, find their dependencies with sqlglot, run in order.

Each ``*.sql`` file holds one SELECT. Its name is the model name; ``stg_*`` models become
views, the others tables. The leading ``--`` comment block is the description shown in the
Dagster UI. Dependencies are the tables the SELECT reads, found by sqlglot's parser (CTE
names excluded): no hand-kept lists and no regular expressions over SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

DEFAULT_SQL_DIR = Path(__file__).resolve().parents[2] / "dbt_like_sql"


@dataclass(frozen=True)
class SqlModel:
    name: str
    path: Path
    sql: str
    description: str
    depends_on: tuple[str, ...] = field(default_factory=tuple)

    @property
    def materialization(self) -> str:
        return "view" if self.name.startswith("stg_") else "table"


def _description(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        s = line.strip()
        if s.startswith("--"):
            lines.append(s[2:].strip())
        elif s:
            break
    return "\n".join(lines).strip()


def referenced_tables(sql: str) -> tuple[str, ...]:
    """Names of the tables a SELECT reads, without its CTEs."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    names = {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}
    return tuple(sorted(names))


def load_models(sql_dir: str | Path | None = None) -> dict[str, SqlModel]:
    sql_dir = Path(sql_dir or DEFAULT_SQL_DIR)
    models = {}
    for path in sorted(sql_dir.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        models[path.stem] = SqlModel(
            name=path.stem, path=path, sql=sql, description=_description(sql),
            depends_on=referenced_tables(sql),
        )
    return models


def run_order(models: dict[str, SqlModel]) -> list[str]:
    """Model names in dependency order (raises graphlib.CycleError on a cycle)."""
    graph = {m.name: {d for d in m.depends_on if d in models} for m in models.values()}
    return list(TopologicalSorter(graph).static_order())


def materialize(con: duckdb.DuckDBPyConnection, model: SqlModel) -> int:
    """CREATE OR REPLACE the model's view or table; returns a table's row count (-1 for a view)."""
    body = model.sql.strip().rstrip(";")
    kind = "VIEW" if model.materialization == "view" else "TABLE"
    con.execute(f'CREATE OR REPLACE {kind} "{model.name}" AS {body}')
    if kind == "VIEW":
        return -1  # counting would execute the view; its readers pay for it when they query
    return con.execute(f'SELECT count(*) FROM "{model.name}"').fetchone()[0]
