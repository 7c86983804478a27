"""The column contract: every column of every warehouse table and SQL model has a description,
in the Dagster column schema and in the README's table reference."""

from __future__ import annotations

from pipeline.lib import contract


def test_every_column_after_a_seeds_run_has_a_description(seeds_con):
    cols = contract.warehouse_columns(seeds_con)
    assert {"documents", "events", "incidents", "daily_casualties", "stg_events"} <= set(cols)
    missing = contract.missing(cols)
    assert not missing, ("columns without a description in pipeline/lib/contract.py TABLES: "
                         + ", ".join(missing))


def test_every_column_the_code_builds_has_a_description():
    missing = contract.missing(contract.built_columns())
    assert not missing, "add descriptions to pipeline/lib/contract.py for: " + ", ".join(missing)


def test_a_new_column_is_named_when_undescribed():
    assert contract.missing({"events": ["event_id", "brand_new"]}) == ["events.brand_new"]


def test_dagster_column_schema_carries_the_descriptions(seeds_con):
    from pipeline.defs.common import table_metadata

    for table in ("events", "incidents", "daily_casualties", "stg_incidents"):
        schema = table_metadata(seeds_con, table)["dagster/column_schema"]
        assert schema.columns
        for col in schema.columns:
            assert col.description == contract.describe(table, col.name) and col.description, (table, col.name)


def test_readme_table_reference_is_generated_from_the_contract():
    from pipeline.__main__ import main
    from pipeline.settings import REPO_ROOT

    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert contract.BEGIN in text and contract.END in text
    assert main(["docs", "--check"]) == 0, "README table reference is stale: run python -m pipeline docs"
    assert "| `disputed_incidents` | " + contract.describe("daily_casualties", "disputed_incidents") in text
