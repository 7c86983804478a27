"""Entities stage: spaCy NER + gazetteer entity ruler, canonical actors and places."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from pipeline.defs.common import stats_metadata, table_metadata
from pipeline.defs.partitions import batches
from pipeline.defs.resources import SpacyResource, WarehouseResource
from pipeline.lib import stages


@asset(
    group_name="entities",
    kinds={"python", "duckdb"},
    owners=["team:conflict-events"],
    description=(
        "The gazetteer (pipeline/data, plus files named in PIPELINE_GAZETTEER) as the `actors` "
        "(canonical_name, actor_type, country_code, aliases) and `places` (lat, lon) tables."
    ),
    metadata={"tables": "actors, places"},
)
def gazetteer(context: AssetExecutionContext, warehouse: WarehouseResource,
              spacy: SpacyResource) -> MaterializeResult:
    stats = stages.gazetteer_tables(warehouse.db(context.log), spacy.gazetteer())
    with warehouse.connect(context.log) as con:
        md = table_metadata(con, "actors")
    md.update(stats_metadata(stats))
    return MaterializeResult(metadata=md)


@asset(
    group_name="entities",
    partitions_def=batches,
    deps=["deduplicated_documents", "gazetteer"],
    kinds={"spacy", "duckdb"},
    owners=["team:conflict-events"],
    tags={"stage": "entities"},
    description=(
        "Runs spaCy once over the kept documents of the batch (two worker processes for large "
        "batches) with the gazetteer entity ruler and, in the same workers on each fresh parse, "
        "resolves every mention to a canonical actor or place (`entities`) and extracts the events "
        "(staged in `staged_events` for the events asset to publish); stores the parses "
        "(`nlp_docs`) so the rules can re-run without re-parsing. Streams in bounded chunks."
    ),
    metadata={"tables": "entities, nlp_docs, staged_events, event_staging"},
)
def entities(context: AssetExecutionContext, warehouse: WarehouseResource,
             spacy: SpacyResource) -> MaterializeResult:
    gz = spacy.gazetteer()
    stats = stages.entities(warehouse.db(context.log), context.partition_key, spacy.nlp(gz),
                            gz, batch_size=spacy.batch_size,
                            n_process=spacy.processes_for, logger=context.log,
                            store_parses=spacy.store_parses)
    with warehouse.connect(context.log) as con:
        md = table_metadata(con, "entities")
    md.update(stats_metadata(stats))
    return MaterializeResult(metadata=md)
