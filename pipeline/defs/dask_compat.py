"""dagster-dask's executor, made to work with partitioned runs.

dagster-dask 0.29 hands Dask the run and the plan's known state as task arguments. Dask's task
spec walks tuple-like arguments, and Dagster's `@record` classes (here the partition subsets of a
partitioned run) refuse iteration, so every partitioned run fails before its first step
("Iteration is not allowed on `@record` KeyRangesPartitionsSubset"). This wrapper passes those
arguments inside an opaque holder that Dask does not look into and unwraps them on the worker;
everything else is upstream's executor. It also makes each Dask task key unique per run:
upstream names tasks "<job>.<step>", so two runs of the batch job on one cluster at the same time
(two batches) would share tasks and the second would run nothing. Hand-written because no
released dagster-dask has a fix; remove it when one does.
"""

from __future__ import annotations

import threading

import distributed
from dagster import executor
from dagster_dask.executor import DaskExecutor, dask_executor, query_on_dask_worker


class _Opaque:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (_Opaque, (self.value,))


def _query_unwrapped(dependencies, *args):
    return query_on_dask_worker(dependencies, *[a.value if isinstance(a, _Opaque) else a for a in args])


_INSTALL_LOCK = threading.Lock()
_installed = False


def _install_submit_wrapper() -> None:
    """Wrap distributed.Client.submit once per process (not per run with mock.patch: two runs
    executing at the same time in one process, e.g. two batches, would undo each other's patch
    when the first one ends). Only calls of dagster-dask's query_on_dask_worker are changed:
    arguments made opaque, task key made unique per run."""
    global _installed
    with _INSTALL_LOCK:
        if _installed:
            return
        submit = distributed.Client.submit

        def wrapped_submit(client, fn, *args, **kwargs):
            if fn is query_on_dask_worker:
                # upstream names the task "<job>.<step>": two runs of one job on one cluster (two
                # batches at once) would share each other's tasks, so the second run would run
                # nothing. The run id makes the key unique.
                run = args[2]
                if kwargs.get("key") and getattr(run, "run_id", None):
                    kwargs["key"] = f"{kwargs['key']}.{run.run_id}"
                fn, args = _query_unwrapped, (args[0], *[_Opaque(a) for a in args[1:]])
            return submit(client, fn, *args, **kwargs)

        distributed.Client.submit = wrapped_submit
        _installed = True


class RecordSafeDaskExecutor(DaskExecutor):
    def execute(self, plan_context, execution_plan):
        _install_submit_wrapper()
        yield from super().execute(plan_context, execution_plan)


@executor(name="dask", config_schema=dask_executor.config_schema, requirements=dask_executor._requirements_fn)  # noqa: SLF001
def record_safe_dask_executor(init_context):
    """dagster-dask's executor (same config), safe for partitioned runs."""
    ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
    return RecordSafeDaskExecutor(cluster_type, cluster_configuration)
