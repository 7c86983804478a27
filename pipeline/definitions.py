"""The Dagster code location: `defs`."""

from __future__ import annotations

import os

from dagster import AssetSelection, Definitions, EnvVar, define_asset_job

from pipeline import settings
from pipeline.defs import dedup, entities, events, ingest
from pipeline.defs.checks import build_checks
from pipeline.defs.sensors import build_sensors
from pipeline.defs.partitions import batches  # noqa: F401  (re-exported for the CLI)
from pipeline.defs.resources import InboxResource, SpacyResource, WarehouseResource
from pipeline.defs.summaries import build_snapshot_asset, build_sql_assets

settings.apply_defaults()

PYTHON_ASSETS = [
    ingest.ingested_documents,
    dedup.deduplicated_documents,
    entities.gazetteer,
    entities.entities,
    events.events,
    events.incidents,
]
SQL_ASSETS = build_sql_assets(PYTHON_ASSETS)
SNAPSHOT = build_snapshot_asset(SQL_ASSETS)
CHECKS = build_checks()
ALL_ASSETS = [*PYTHON_ASSETS, *SQL_ASSETS, SNAPSHOT, *CHECKS]  # what materialize() is given

BATCH_ASSETS = AssetSelection.assets(
    ingest.ingested_documents, dedup.deduplicated_documents, entities.entities, events.events)
batch_job = define_asset_job(
    "process_batch", selection=BATCH_ASSETS,
    description="Ingest, dedup, entities and events for one batch of new or changed files.")
refresh_job = define_asset_job(
    "refresh_summaries", selection=AssetSelection.all() - BATCH_ASSETS,
    description="Gazetteer tables, incidents, SQL summaries and the read-only snapshot.")


def executor():
    """The executor: Dagster's default multiprocess one, or Dask when PIPELINE_EXECUTOR=dask
    (pip install -e '.[dask]'); the assets are the same either way."""
    if os.environ.get("PIPELINE_EXECUTOR", "").lower() == "dask":
        from pipeline.defs.dask_compat import record_safe_dask_executor

        return record_safe_dask_executor
    return None


def resources() -> dict:
    return {
        "warehouse": WarehouseResource(database=EnvVar(settings.WAREHOUSE_ENV)),
        "inbox": InboxResource(input_dir=EnvVar(settings.INPUT_ENV)),
        # PIPELINE_SPACY_PROCESSES: the spaCy worker count (0 or unset: automatic)
        "spacy": SpacyResource(n_process=int(os.environ.get("PIPELINE_SPACY_PROCESSES") or 0)),
    }


defs = Definitions(
    assets=[*PYTHON_ASSETS, *SQL_ASSETS, SNAPSHOT],
    asset_checks=CHECKS,
    jobs=[batch_job, refresh_job],
    sensors=build_sensors(batch_job, refresh_job),
    resources=resources(),
    executor=executor(),
)


def batch_job_def():
    """The batch job, for dagster.reconstructable() (out-of-process executors such as Dask)."""
    return defs.resolve_job_def("process_batch")


def refresh_job_def():
    return defs.resolve_job_def("refresh_summaries")
