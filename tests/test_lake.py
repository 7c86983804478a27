"""The DuckLake warehouse on a local catalog file (no server): extensions loaded offline from
their PyPI packages at duckdb's exact version, the whole pipeline on the seeds giving the same
tables as the embedded DuckDB file, and settings that cannot work failing before any work."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipeline.lib import lake, quality
from pipeline.lib import warehouse as wh

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
COMPARED = {
    "events": "SELECT event_id, doc_id, event_type, actor1, actor2, location, event_date, killed, "
              "wounded, scope, incident_id, evidence FROM events ORDER BY event_id",
    "incidents": "SELECT * FROM incidents ORDER BY incident_id",
    "daily_casualties": "SELECT * FROM daily_casualties ORDER BY day",
    "daily_incidents": "SELECT * FROM daily_incidents ORDER BY day, event_type",
    "documents": "SELECT doc_id, duplicate_of, published_date, body FROM documents ORDER BY doc_id",
}


def test_extension_packages_match_duckdb_and_load_offline(tmp_path):
    versions = lake.extension_versions()
    for name, package in lake.EXTENSION_PACKAGES.items():
        assert versions.get(package) == duckdb.__version__, (package, versions, duckdb.__version__)
        assert lake.extension_path(name).is_file()
    # pyproject pins duckdb and every extension package to that one version
    pins = dict(re.findall(r'"(duckdb(?:-extension-[a-z-]+)?)==([0-9.]+)"', (REPO / "pyproject.toml").read_text()))
    assert pins.get("duckdb") == duckdb.__version__, pins
    assert {pins.get(p) for p in lake.EXTENSION_PACKAGES.values()} == {duckdb.__version__}, pins
    con = lake.new_database()  # autoinstall/autoload off: nothing can come from the internet
    lake.load_extensions(con, list(lake.EXTENSION_PACKAGES))
    loaded = {r[0] for r in con.execute(
        "SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()}
    assert {"ducklake", "postgres_scanner", "httpfs"} <= loaded
    spec = lake.parse(f"ducklake:{tmp_path / 'c.ducklake'}")
    con.execute(lake.attach_sql(spec))
    con.execute("CREATE TABLE lake.t AS SELECT 1 AS x")
    assert con.execute("SELECT x FROM lake.t").fetchall() == [(1,)]


def test_ddl_drops_only_what_ducklake_lacks():
    for ddl in wh.SCHEMA.values():
        out = lake.ddl(ddl)
        assert "PRIMARY KEY" not in out.upper() and " UNIQUE" not in out.upper()
    assert lake.ddl("CREATE TABLE t (a VARCHAR PRIMARY KEY, b BLOB)") == "CREATE TABLE t (a VARCHAR, b BLOB)"


def test_settings_are_validated_and_passwords_never_shown(tmp_path, monkeypatch):
    monkeypatch.delenv(lake.DATA_PATH_ENV, raising=False)
    spec = lake.parse(f"ducklake:{tmp_path / 'c.ducklake'}")
    assert spec.data_path == str(tmp_path / "c.ducklake.files") + "/"
    with pytest.raises(lake.LakeConfigError, match=lake.DATA_PATH_ENV):
        lake.parse("ducklake:postgres:dbname=x host=127.0.0.1 password=s3cret")
    with pytest.raises(lake.LakeConfigError, match=lake.DATA_PATH_ENV) as err:
        lake.parse("ducklake:postgres:dbname=x password=s3cret", str(tmp_path / "no" / "such"))
    assert "s3cret" not in str(err.value)
    assert lake.shown("ducklake:postgres:dbname=x password=s3cret user=u") == \
        "ducklake:postgres:dbname=x password=*** user=u"
    assert not lake.is_lake(tmp_path / "w.duckdb")
    assert wh.resolve_setting("ducklake:rel.ducklake") == f"ducklake:{Path('rel.ducklake').resolve()}"


def test_postgres_down_fails_before_any_work(tmp_path, monkeypatch, capsys):
    """Nothing listens on the port: one clear error naming PIPELINE_WAREHOUSE, exit 2, nothing read."""
    from pipeline.__main__ import main
    from tests.postgres_server import free_port

    monkeypatch.setenv(lake.DATA_PATH_ENV, str(tmp_path / "files"))
    (tmp_path / "files").mkdir()
    setting = f"ducklake:postgres:dbname=lake host=127.0.0.1 port={free_port()} user=lake password=pw"
    assert main(["run", "--input", str(SEEDS), "--warehouse", setting]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: PIPELINE_WAREHOUSE=ducklake:postgres:"), err
    assert "cannot reach Postgres" in err[0] and "password=***" in err[0] and "pw " not in err[0]
    assert not any((tmp_path / "files").iterdir())


def test_missing_data_path_fails_before_any_work(tmp_path, monkeypatch, capsys):
    from pipeline.__main__ import main

    monkeypatch.delenv(lake.DATA_PATH_ENV, raising=False)
    setting = "ducklake:postgres:dbname=lake host=127.0.0.1 port=5432 user=lake"
    assert main(["run", "--input", str(SEEDS), "--warehouse", setting]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: PIPELINE_LAKE_DATA_PATH is not set"), err
    monkeypatch.setenv(lake.DATA_PATH_ENV, str(tmp_path / "missing" / "lake"))
    assert main(["run", "--input", str(SEEDS), "--warehouse", f"ducklake:{tmp_path / 'c.ducklake'}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: PIPELINE_LAKE_DATA_PATH={tmp_path / 'missing' / 'lake'}"), err
    assert not (tmp_path / "c.ducklake").exists()


@pytest.mark.slow
def test_local_ducklake_catalog_gives_the_embedded_tables(seeds_warehouse, tmp_path, monkeypatch):
    """`ducklake:/path/catalog.ducklake`: every stage, SQL model, check, the snapshot and export
    run unchanged and give the embedded warehouse's tables; a second run changes nothing."""
    from dagster import DagsterInstance

    from tests.conftest import run_pipeline

    monkeypatch.delenv(lake.DATA_PATH_ENV, raising=False)
    setting = f"ducklake:{tmp_path / 'catalog.ducklake'}"
    results = run_pipeline(SEEDS, setting)
    assert all(r.success for r in results)
    checks = [e for r in results for e in r.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    blocking = {n for rules in quality.BLOCKING.values() for n, _d, _s in rules}
    ran = {e.event_specific_data.check_name: e.event_specific_data.passed for e in checks}
    assert blocking <= set(ran) and all(ran[n] for n in blocking), ran
    snap = [e for r in results for e in r.all_events if e.event_type_value == "ASSET_MATERIALIZATION"
            and e.asset_key.path == ["warehouse_snapshot"]]
    assert str(snap[0].event_specific_data.materialization.metadata["path"].value).startswith(setting + "@")
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        want = {t: con.execute(sql).fetchall() for t, sql in COMPARED.items()}
    with wh.connect(setting, read_only=True) as con:
        got = {t: con.execute(sql).fetchall() for t, sql in COMPARED.items()}
        names = {n for n, _ in wh.user_tables(con)}
    assert want["daily_casualties"]
    for t in COMPARED:
        assert got[t] == want[t], t
    assert not any(n.startswith("ducklake_") for n in names) and {"events", "stg_events"} <= names
    assert list((tmp_path / "catalog.ducklake.files").rglob("*.parquet")), "no data files written"
    # a second run over the same folder changes nothing
    assert all(r.success for r in run_pipeline(SEEDS, setting, DagsterInstance.ephemeral()))
    with wh.connect(setting, read_only=True) as con:
        assert {t: con.execute(sql).fetchall() for t, sql in COMPARED.items()} == got
    written = wh.export_tables(setting, "parquet", tmp_path / "out")
    assert {p.stem for p in written} >= {"events", "incidents", "daily_casualties"}


def test_batches_finishing_together_share_one_waiting_refresh():
    """refresh_after_batch requests no second refresh while one is queued and not started."""
    from dagster import DagsterInstance
    from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus

    from pipeline.defs.sensors import pending_refresh

    with DagsterInstance.ephemeral() as instance:
        assert pending_refresh(instance, "refresh_summaries") is None
        instance.add_run(DagsterRun(job_name="refresh_summaries", run_id="r1",
                                    status=DagsterRunStatus.STARTED))
        assert pending_refresh(instance, "refresh_summaries") is None  # started: it may miss a batch
        instance.add_run(DagsterRun(job_name="refresh_summaries", run_id="r2",
                                    status=DagsterRunStatus.NOT_STARTED))
        assert pending_refresh(instance, "refresh_summaries") == "r2"


def test_a_write_conflict_is_retried_and_other_errors_are_not():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise duckdb.TransactionException(
                "Failed to commit DuckLake transaction.\nTransaction conflict - attempting to "
                "delete from table with index \"1\" - but another transaction has deleted from it")
        return "done"

    assert lake.retrying(flaky, "test") == "done" and len(calls) == 3

    def broken():
        calls.append(1)
        raise duckdb.IOException("disk full")

    calls.clear()
    with pytest.raises(duckdb.IOException):
        lake.retrying(broken, "test")
    assert len(calls) == 1
