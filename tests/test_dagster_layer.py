"""The Dagster layer: groups, descriptions, checks, sensor, partitions; the sensor on a temporary
inbox; the quality rules on planted bad data; the headless CLI and export."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, SensorResult, SkipReason, build_sensor_context

from pipeline.lib import quality

REPO = Path(__file__).resolve().parents[1]


def test_definitions_shape():
    from pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    assert len({graph.get(k).group_name for k in keys}) >= 4
    assert all(graph.get(k).description for k in keys)
    checks = list(graph.asset_check_keys)
    assert len(checks) >= 5
    blocking = {c.name for c in checks if graph.get(c).blocking}
    assert {name for rules in quality.BLOCKING.values() for name, _, _ in rules} <= blocking
    assert any(graph.get(k).partitions_def is not None for k in keys)
    assert {s.name for s in defs.sensors} >= {"inbox_sensor"}


def _sensor():
    from pipeline.definitions import defs

    return next(s for s in defs.sensors if s.name == "inbox_sensor")


def test_inbox_sensor_new_file_gives_one_batch_and_unchanged_gives_none(tmp_path):
    from pipeline.defs.resources import InboxResource

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Title A\nFour soldiers were killed on Monday.\n")
    instance = DagsterInstance.ephemeral()
    res = {"inbox": InboxResource(input_dir=str(inbox))}
    ctx = build_sensor_context(instance=instance, resources=res)
    out = _sensor()(ctx)
    assert isinstance(out, SensorResult)
    assert len(out.run_requests) == 1
    req = out.run_requests[0]
    assert req.run_config["ops"]["ingested_documents"]["config"]["files"] == ["a.txt"]
    assert out.dynamic_partitions_requests[0].partition_keys == [req.partition_key]
    # same folder again: nothing to do
    ctx2 = build_sensor_context(instance=instance, resources=res, cursor=out.cursor)
    assert isinstance(_sensor()(ctx2), SkipReason)
    # one new file: a batch with that file only
    (inbox / "b.txt").write_text("Title B\nTalks were held in Doha on Tuesday.\n")
    out3 = _sensor()(build_sensor_context(instance=instance, resources=res, cursor=out.cursor))
    assert out3.run_requests[0].run_config["ops"]["ingested_documents"]["config"]["files"] == ["b.txt"]
    assert out3.run_requests[0].partition_key != req.partition_key


@pytest.fixture()
def bad_copy(seeds_warehouse, tmp_path):
    path = tmp_path / "bad.duckdb"
    shutil.copyfile(seeds_warehouse, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


ALL_RULES = {name: sql for rules in quality.BLOCKING.values() for name, _d, sql in rules}


@pytest.mark.parametrize("name", sorted(ALL_RULES))
def test_blocking_rules_pass_on_seeds(seeds_con, name):
    n, sample = quality.failures(seeds_con, ALL_RULES[name])
    assert n == 0, sample


PLANTS = {
    "event_has_document_and_evidence":
        "UPDATE events SET evidence = 'not in the body' WHERE event_id = (SELECT min(event_id) FROM events)",
    "counts_consistent":
        "UPDATE events SET killed = 2, killed_low = 5 WHERE event_id = (SELECT min(event_id) FROM events)",
    "incident_has_events":
        "INSERT INTO incidents (incident_id, scope) VALUES ('orphan', 'incident')",
    "daily_sums_equal_incident_sums":
        "UPDATE daily_casualties SET killed = killed * 2",
    "only_incident_scope_in_daily":
        "CREATE OR REPLACE VIEW stg_incidents AS SELECT incident_id, event_date AS day FROM incidents",
    "doc_id_unique":
        "INSERT INTO documents (doc_id) SELECT doc_id || '' FROM documents LIMIT 1",
}


def test_every_blocking_rule_has_a_planted_failure():
    assert set(PLANTS) == set(ALL_RULES)


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_blocking_rules_fail_on_planted_bad_data(bad_copy, name):
    if name == "doc_id_unique":
        bad_copy.execute("ALTER TABLE documents RENAME TO documents_pk")
        bad_copy.execute("CREATE TABLE documents AS SELECT * FROM documents_pk")
    if name == "only_incident_scope_in_daily":
        bad_copy.execute("INSERT INTO incidents (incident_id, event_date, date_precision, scope, killed) "
                         "VALUES ('hist', DATE '2023-06-28', 'year', 'historical', 6500)")
    bad_copy.execute(PLANTS[name])
    n, _ = quality.failures(bad_copy, ALL_RULES[name])
    assert n > 0


def test_cli_run_and_export(tmp_path):
    """The README's headless command on the seeds, then `export` of every table."""
    wh = tmp_path / "cli.duckdb"
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(REPO / "seeds"),
                          "--warehouse", str(wh)], capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1].removeprefix("summary: "))
    assert summary["documents_read"] == 5 and summary["rejected"] == 0 and summary["status"] == "ok"
    assert summary["casualty_days"] == 2
    assert wh.with_name("cli.snapshot.duckdb").exists()
    chart = tmp_path / "charts" / "daily_casualties.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    exp = subprocess.run([sys.executable, "-m", "pipeline", "export", "--format", "csv", "--warehouse",
                          str(wh), str(tmp_path / "csv")], capture_output=True, text=True, env=env)
    assert exp.returncode == 0, exp.stderr
    daily = (tmp_path / "csv" / "daily_casualties.csv").read_text().splitlines()
    assert daily[0].startswith("day,killed,wounded")
    assert len(daily) == 3
    assert (tmp_path / "csv" / "events.csv").exists()


def test_cli_exits_non_zero_on_missing_input(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(tmp_path / "nope"),
                          "--warehouse", str(tmp_path / "w.duckdb")], capture_output=True, text=True,
                         env=dict(os.environ, DAGSTER_HOME=str(tmp_path)))
    assert out.returncode != 0
    assert "nope" in out.stderr
