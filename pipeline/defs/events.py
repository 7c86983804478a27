"""Events stage: who did what to whom, where, when, how many killed and wounded; then incidents."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from pipeline.defs.common import stats_metadata, table_metadata
from pipeline.defs.partitions import batches
from pipeline.defs.resources import SpacyResource, WarehouseResource
from pipeline.lib import stages


@asset(
    group_name="events",
    partitions_def=batches,
    deps=["entities"],
    kinds={"python", "duckdb"},
    owners=["team:conflict-events"],
    tags={"stage": "events"},
    description=(
        "Publishes the events extracted per sentence in the entities stage's spaCy workers (or, "
        "for a document with nothing staged, from its stored parse): PLOVER event type and ACLED type, "
        "actors, place, date (relative dates resolved against publication), killed/wounded with "
        "low/high, victim side, who claims it, whether denied, and scope (incident, aggregate, "
        "historical). Every row keeps its evidence sentence and offsets in the body."
    ),
    metadata={"tables": "events, event_status"},
)
def events(context: AssetExecutionContext, warehouse: WarehouseResource,
           spacy: SpacyResource) -> MaterializeResult:
    gz = spacy.gazetteer()
    stats = stages.events(warehouse.db(context.log), context.partition_key, lambda: spacy.nlp(gz),
                          gz, logger=context.log)
    with warehouse.connect(context.log) as con:
        md = table_metadata(con, "events", where="doc_id IN (SELECT doc_id FROM documents WHERE batch_id = ?)",
                            params=[context.partition_key])
    md.update(stats_metadata(stats))
    return MaterializeResult(metadata=md)


@asset(
    group_name="events",
    deps=["events"],
    kinds={"python", "duckdb"},
    owners=["team:conflict-events"],
    description=(
        "Merges the reports of one real-world incident (same or adjacent day, compatible place, sides "
        "and type; a multi-day episode from start_date to end_date), within a document or across "
        "outlets, into one row of `incidents`; counts merge conservatively (per side the latest "
        "figure, an all-sides total replaces the per-side figures it covers, never the sum of "
        "reports), every figure and its decision in `incident_tolls`. Generic statements form no "
        "incident. Sets `events.incident_id`."
    ),
    metadata={"tables": "incidents, incident_tolls, events.incident_id"},
)
def incidents(context: AssetExecutionContext, warehouse: WarehouseResource,
              spacy: SpacyResource) -> MaterializeResult:
    stats = stages.incidents(warehouse.db(context.log), logger=context.log, gazetteer=spacy.gazetteer())
    with warehouse.connect(context.log) as con:
        md = table_metadata(con, "incidents")
    md.update(stats_metadata(stats))
    return MaterializeResult(metadata=md)
