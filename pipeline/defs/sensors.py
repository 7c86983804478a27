"""The inbox sensor: new or changed files become a batch partition and a run of that batch only;
a successful batch run triggers the refresh of incidents and summaries."""

import json
import os
from pathlib import Path

from dagster import (
    DagsterRunStatus, DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult,
    SkipReason, run_status_sensor, sensor,
)

from pipeline.defs.partitions import batches
from pipeline.defs.resources import InboxResource
from pipeline.lib.stages import batch_key


def fingerprints(folder: Path) -> dict[str, str]:
    """rel path -> size:mtime_ns for every file below ``folder`` (cheap: no file is read, and the
    warehouse is not opened; ingest compares content hashes later)."""
    out = {}
    for root, _dirs, names in os.walk(folder):
        for n in names:
            p = Path(root) / n
            try:
                st = p.stat()
            except OSError:
                continue
            rel = p.relative_to(folder).as_posix()
            if rel == "manifest.csv" or n.startswith("."):
                continue
            out[rel] = f"{st.st_size}:{st.st_mtime_ns}"
    return out


def pending_refresh(instance, job_name: str) -> str | None:
    """The id of a refresh run that is queued but not started yet, if any."""
    from dagster import RunsFilter

    runs = instance.get_runs(filters=RunsFilter(job_name=job_name, statuses=[
        DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED]), limit=1)
    return runs[0].run_id if runs else None


def build_sensors(batch_job, refresh_job):
    @sensor(job=batch_job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
            description="Watches the inbox folder (PIPELINE_INPUT_DIR); each set of new or changed "
                        "files becomes a `batches` partition and one run of that batch.")
    def inbox_sensor(context: SensorEvaluationContext, inbox: InboxResource):
        if not inbox.path.is_dir():
            return SkipReason(f"inbox {inbox.path} does not exist")
        seen = json.loads(context.cursor) if context.cursor else {}
        now = fingerprints(inbox.path)
        new = sorted(rel for rel, fp in now.items() if seen.get(rel) != fp)
        if not new:
            return SkipReason("no new or changed files")
        key = batch_key([f"{rel}:{now[rel]}" for rel in new])
        context.log.info("inbox: %d new or changed files -> batch %s", len(new), key)
        return SensorResult(
            run_requests=[RunRequest(
                run_key=key, partition_key=key,
                run_config={"ops": {"ingested_documents": {"config": {"files": new}}}})],
            dynamic_partitions_requests=[batches.build_add_request([key])],
            cursor=json.dumps(now),
        )

    @run_status_sensor(run_status=DagsterRunStatus.SUCCESS, monitored_jobs=[batch_job],
                       request_job=refresh_job, default_status=DefaultSensorStatus.STOPPED,
                       description="After a batch succeeds, refreshes incidents, summaries and the snapshot.")
    def refresh_after_batch(context):
        waiting = pending_refresh(context.instance, refresh_job.name)
        if waiting:
            # batches finishing together (concurrent batches on a DuckLake warehouse) share one
            # refresh: the one already waiting has not started, so it will read their rows too
            return SkipReason(f"refresh run {waiting} is already waiting; it will include this batch")
        return RunRequest(run_key=f"refresh-{context.dagster_run.run_id}")

    return [inbox_sensor, refresh_after_batch]
