"""Asset checks built from pipeline.lib.quality: blocking ones stop downstream assets on broken data."""

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetKey, asset_check

from pipeline.defs.resources import WarehouseResource
from pipeline.lib import quality


def _make(asset_name: str, name: str, description: str, sql: str, blocking: bool):
    @asset_check(asset=AssetKey(asset_name), name=name, description=description, blocking=blocking)
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect(context.log) as con:
            n, sample = quality.failures(con, sql)
        return AssetCheckResult(
            passed=n == 0,
            severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
            metadata={"offending_rows": n, "sample": str(sample[:5])},
        )

    return _check


def build_checks() -> list:
    out = []
    for rules, blocking in ((quality.BLOCKING, True), (quality.WARNINGS, False)):
        for asset_name, items in rules.items():
            out += [_make(asset_name, n, d, s, blocking) for n, d, s in items]
    return out
