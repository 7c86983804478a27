"""Summaries stage: one asset per SQL file of dbt_like_sql/, dependencies read from the SQL by sqlglot."""


from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from pipeline.defs.common import table_metadata
from pipeline.defs.resources import WarehouseResource
from pipeline.lib import charts, explain, sqlmodels
from pipeline.lib import warehouse as wh


def table_producers(python_assets: list[AssetsDefinition]) -> dict[str, AssetKey]:
    """Warehouse table -> the asset that last writes it, from each asset's `tables` metadata
    (assets listed in pipeline order, so a later stage that rewrites a table wins)."""
    out: dict[str, AssetKey] = {}
    for a in python_assets:
        for key in a.keys:
            tables = str(a.specs_by_key[key].metadata.get("tables", ""))
            for t in tables.split(","):
                t = t.strip().split(".")[0]
                if t:
                    out[t] = key
    return out


def _summary_metadata(con, name: str) -> dict:
    md: dict = {}
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()]
    if "day" in cols:
        lo, hi, n = con.execute(f'SELECT min(day), max(day), count(DISTINCT day) FROM "{name}"').fetchone()
        md["days_covered"] = MetadataValue.int(int(n))
        md["first_day"] = MetadataValue.text(str(lo))
        md["last_day"] = MetadataValue.text(str(hi))
    for c in ("killed", "wounded", "incidents", "reports"):
        if c in cols:
            md[f"total_{c}"] = MetadataValue.int(int(con.execute(
                f'SELECT coalesce(sum("{c}"), 0) FROM "{name}"').fetchone()[0]))
    return md


def _chart_metadata(con, name: str, database: str) -> dict:
    """The table's chart as a PNG (written to <warehouse dir>/charts/<name>.png for reports and
    embedded in the markdown), re-rendered only when the table changed; the Vega-Lite spec is kept
    in the metadata without its data rows, so run storage does not grow with the table."""
    import base64
    import hashlib
    import json

    spec = charts.SPECS[name](con.sql(f'SELECT * FROM "{name}"').pl())
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    png = wh.artifacts_dir(database) / "charts" / f"{name}.png"
    stamp = png.with_suffix(".sha1")
    if not (png.exists() and stamp.exists() and stamp.read_text() == digest):
        charts.render_png(spec, png)
        stamp.write_text(digest)
    b64 = base64.b64encode(png.read_bytes()).decode()
    shape = {k: v for k, v in spec.items() if k != "data"} | {"data": {"url": str(png)}}
    return {"chart": MetadataValue.md(f"![{name}](data:image/png;base64,{b64})"),
            "chart_file": MetadataValue.path(str(png)),
            "vega_lite_spec": MetadataValue.json(shape)}


def build_sql_assets(python_assets: list[AssetsDefinition], sql_dir=None) -> list[AssetsDefinition]:
    models = sqlmodels.load_models(sql_dir)
    producers = table_producers(python_assets)
    built = []
    for name in sqlmodels.run_order(models):
        model = models[name]
        deps = []
        for d in model.depends_on:
            if d in models:
                deps.append(AssetKey(d))
            elif d in producers:
                deps.append(producers[d])
            else:
                raise ValueError(f"{model.path}: reads table {d!r}, which no asset or SQL model produces")
        built.append(_sql_asset(model, deps))
    return built


def _sql_asset(model: sqlmodels.SqlModel, deps: list[AssetKey]) -> AssetsDefinition:
    @asset(
        name=model.name,
        group_name="summaries",
        deps=deps,
        kinds={"sql", "duckdb"},
        owners=["team:conflict-events"],
        description=model.description or f"SQL model {model.path.name}",
        metadata={"sql_file": f"dbt_like_sql/{model.path.name}", "materialization": model.materialization,
                  "sql": MetadataValue.md(f"```sql\n{model.sql}\n```"), "tables": model.name},
    )
    def _sql(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        with warehouse.connect(context.log) as con, wh.transaction(con):
            sqlmodels.materialize(con, model)
        with warehouse.connect(context.log) as con:
            md = table_metadata(con, model.name)
            md.update(_summary_metadata(con, model.name))
            if model.name in charts.SPECS:
                md.update(_chart_metadata(con, model.name, warehouse.database))
            if model.name == "daily_casualties":
                md["explain"] = MetadataValue.md(explain.last_run_markdown(con))
        context.log.info("%s %s: %s rows", model.materialization, model.name,
                         md["dagster/row_count"].value)
        return MaterializeResult(metadata=md)

    return _sql


def build_snapshot_asset(sql_assets: list[AssetsDefinition]) -> AssetsDefinition:
    @asset(
        name="warehouse_snapshot",
        group_name="summaries",
        deps=[k for a in sql_assets for k in a.keys],
        kinds={"duckdb"},
        owners=["team:conflict-events"],
        description=(
            "Publishes a read-only copy of the warehouse (<name>.snapshot.duckdb) after the summaries, "
            "so analysts can query while the next run writes."
        ),
    )
    def warehouse_snapshot(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        path = wh.publish_snapshot(warehouse.database, context.log) if warehouse.publish_snapshot else None
        return MaterializeResult(metadata={"path": MetadataValue.path(str(path)) if path else "disabled"})

    return warehouse_snapshot
