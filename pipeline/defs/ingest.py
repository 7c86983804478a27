"""Ingest stage: files of the inbox -> `documents` (raw), `rejected_documents`, `source_files`."""

from dagster import AssetExecutionContext, Config, MaterializeResult, asset
from pydantic import Field

from pipeline.defs.common import stats_metadata, table_metadata
from pipeline.defs.partitions import batches
from pipeline.defs.resources import InboxResource, WarehouseResource
from pipeline.lib import stages


class IngestSettings(Config):
    files: list[str] = Field(
        default_factory=list,
        description="Relative paths of the batch's files (set by the inbox sensor and the CLI); "
                    "empty: every new or changed file of the inbox.")


@asset(
    group_name="ingest",
    partitions_def=batches,
    kinds={"python", "duckdb"},
    owners=["team:conflict-events"],
    tags={"stage": "ingest"},
    description=(
        "Reads the new and changed files of the inbox (txt, md, html, json, jsonl, csv; manifest.csv "
        "metadata) into `documents`, with their outlet, URL and publication date (inferred from a "
        "dateline or the text when the manifest has none). Bad files become `rejected_documents` "
        "rows with a reason; the rest of the batch goes on."
    ),
    metadata={"tables": "documents, rejected_documents, source_files, ingest_warnings"},
)
def ingested_documents(context: AssetExecutionContext, config: IngestSettings,
                       warehouse: WarehouseResource, inbox: InboxResource) -> MaterializeResult:
    stats = stages.ingest(warehouse.db(context.log), inbox.path, context.partition_key,
                          logger=context.log, max_file_bytes=int(inbox.max_file_mb * 1024 * 1024),
                          only_files=config.files or None)
    with warehouse.connect(context.log) as con:
        md = table_metadata(con, "documents", where="batch_id = ?", params=[context.partition_key])
        rej = con.execute("SELECT count(*) FROM rejected_documents").fetchone()[0]
        total = con.execute("SELECT count(*) FROM source_files").fetchone()[0]
    md.update(stats_metadata(stats))
    md["rejected_share"] = (rej / total) if total else 0.0
    return MaterializeResult(metadata=md)
