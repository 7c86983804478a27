"""Headless runs through Dagster (in process): used by `python -m pipeline run`, the tests and bench."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dagster import DagsterInstance, materialize

from pipeline import settings
from pipeline.lib import stages
from pipeline.lib import warehouse as wh

log = logging.getLogger("pipeline")


def run_all(input_dir: str | Path, warehouse: str | Path, instance: DagsterInstance) -> list:
    """Materialise a new batch partition for the new or changed files (plus any batch a crash
    left incomplete), then incidents, the SQL summaries and the snapshot.

    Returns the ExecuteInProcessResults; stops at the first failed one."""
    os.environ[settings.INPUT_ENV] = str(Path(input_dir).resolve())
    os.environ[settings.WAREHOUSE_ENV] = wh.resolve_setting(warehouse)
    from pipeline import definitions as d

    db = lambda: wh.connect(os.environ[settings.WAREHOUSE_ENV], logger=log)  # noqa: E731
    todo: list[tuple[str, list[str]]] = []
    for key in stages.incomplete_batches(db):
        log.info("batch %s was left incomplete by an earlier run: completing it", key)
        todo.append((key, []))
    pending = stages.pending_files(db, input_dir)
    if pending:
        key = stages.batch_key([f"{f.rel}:{f.sha256}" for f in pending])
        log.info("batch %s: %d new or changed files", key, len(pending))
        todo.append((key, [f.rel for f in pending]))
    elif not todo:
        log.info("no new or changed files in %s; refreshing the summaries only", input_dir)
    results = []
    for key, files in todo:
        if not instance.has_dynamic_partition(d.batches.name, key):
            instance.add_dynamic_partitions(d.batches.name, [key])
        res = materialize(d.ALL_ASSETS, selection=d.BATCH_ASSETS, partition_key=key, instance=instance,
                          resources=d.resources(), raise_on_error=False,
                          run_config={"ops": {"ingested_documents": {"config": {"files": files}}}})
        results.append(res)
        if not res.success:
            return results
    results.append(materialize(d.ALL_ASSETS, selection=d.refresh_job.selection, instance=instance,
                               resources=d.resources(), raise_on_error=False))
    return results
