"""Dedup stage: page chrome, repeated lines and standfirsts removed; copies across outlets marked."""

from dagster import AssetExecutionContext, Config, MaterializeResult, asset
from pydantic import Field

from pipeline.defs.common import stats_metadata, table_metadata
from pipeline.defs.partitions import batches
from pipeline.defs.resources import WarehouseResource
from pipeline.lib import stages


class DedupSettings(Config):
    """Thresholds of document dedup (defaults chosen on the generated corpus: see README)."""

    jaccard_threshold: float = Field(default=-1.0, description="Exact Jaccard on shingles to call a copy (-1: library default).")
    containment_threshold: float = Field(default=-1.0, description="Share of the shorter document inside the longer (-1: library default).")
    num_perm: int = Field(default=0, description="MinHash permutations (0: library default).")

    def to_lib(self):
        from pipeline.lib.dedup import DedupConfig

        cfg = DedupConfig()
        if self.jaccard_threshold >= 0:
            cfg.jaccard_threshold = self.jaccard_threshold
        if self.containment_threshold >= 0:
            cfg.containment_threshold = self.containment_threshold
        if self.num_perm:
            cfg.num_perm = self.num_perm
        return cfg


@asset(
    group_name="dedup",
    partitions_def=batches,
    deps=["ingested_documents"],
    kinds={"python", "duckdb"},
    owners=["team:conflict-events"],
    tags={"stage": "dedup"},
    description=(
        "Cleans each document of the batch (repeated headline and lines, page chrome, a standfirst "
        "restating the lead: every removal in `removed_lines`) and marks near copies of stored or "
        "batch documents with MinHash LSH re-checked by exact Jaccard and containment "
        "(`documents.duplicate_of`, audit in `dedup_pairs`)."
    ),
    metadata={"tables": "documents.body, documents.duplicate_of, removed_lines, dedup_pairs, doc_signatures"},
)
def deduplicated_documents(context: AssetExecutionContext, config: DedupSettings,
                           warehouse: WarehouseResource) -> MaterializeResult:
    stats = stages.dedup(warehouse.db(context.log), context.partition_key, config.to_lib(),
                         logger=context.log)
    with warehouse.connect(context.log) as con:
        md = table_metadata(con, "dedup_pairs")
        md["removed_lines"] = con.execute("SELECT count(*) FROM removed_lines").fetchone()[0]
    md.update(stats_metadata(stats))
    return MaterializeResult(metadata=md)
