"""The spine: definitions load, every asset materialises, the seeds give the answer key's daily table."""

from __future__ import annotations

import datetime as dt

import duckdb

from pipeline.lib import sqlmodels


def test_definitions_load_with_groups_and_descriptions():
    from pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    names = {k.to_user_string() for k in keys}
    assert {"ingested_documents", "deduplicated_documents", "entities", "events", "incidents",
            "daily_casualties", "daily_incidents"} <= names
    groups = {graph.get(k).group_name for k in keys}
    assert {"ingest", "dedup", "entities", "events", "summaries"} <= groups
    for k in keys:
        assert graph.get(k).description, f"{k} has no description"


def test_sql_dependencies_come_from_sqlglot():
    models = sqlmodels.load_models()
    assert set(models["daily_casualties"].depends_on) == {"stg_incidents"}
    assert set(models["stg_events"].depends_on) == {"events", "documents"}
    order = sqlmodels.run_order(models)
    assert order.index("stg_incidents") < order.index("daily_casualties")
    assert all(m.description for m in models.values())


def test_cte_names_are_not_dependencies():
    sql = "with x as (select * from events) select * from x join documents using (doc_id)"
    assert sqlmodels.referenced_tables(sql) == ("documents", "events")


def test_sql_files_run_in_dependency_order(tmp_path):
    """Every SQL model runs on a warehouse with the Python tables in place, in run_order."""
    from pipeline.lib import warehouse as wh

    with wh.connect(tmp_path / "w.duckdb") as con:
        con.execute("INSERT INTO incidents (incident_id, event_date, date_precision, event_type, "
                    "killed, wounded, n_reports, n_documents, disputed, scope) VALUES "
                    "('a', DATE '2024-01-02', 'day', 'ASSAULT', 3, 0, 2, 2, false, 'incident'),"
                    "('b', DATE '2024-01-02', 'day', 'FIGHT', 1, 2, 1, 1, true, 'incident'),"
                    "('c', DATE '2024-01-03', 'day', 'ASSAULT', 6500, 0, 1, 1, false, 'historical'),"
                    "('d', DATE '2024-01-01', 'month', 'ASSAULT', 9, 0, 1, 1, false, 'incident')")
        models = sqlmodels.load_models()
        for name in sqlmodels.run_order(models):
            sqlmodels.materialize(con, models[name])
        rows = con.execute("SELECT day, killed, wounded, incidents, reports, disputed_incidents "
                           "FROM daily_casualties ORDER BY day").fetchall()
    assert rows == [(dt.date(2024, 1, 2), 4, 2, 2, 3, 1)]


def test_seed_daily_casualties_match_answer_key(seeds_con):
    rows = seeds_con.execute("SELECT day, killed, wounded FROM daily_casualties ORDER BY day").fetchall()
    assert rows == [(dt.date(2023, 6, 27), 0, 1), (dt.date(2023, 6, 28), 4, 0)]


def test_seed_documents_all_kept(seeds_con):
    rows = seeds_con.execute("SELECT doc_id, duplicate_of, published_date FROM documents ORDER BY doc_id").fetchall()
    assert len(rows) == 5
    assert all(r[1] is None for r in rows)
    assert all(r[2] is not None for r in rows)


def test_seed_002_headline_once_in_body(seeds_con):
    body = seeds_con.execute(
        "SELECT body FROM documents WHERE doc_id LIKE '002_%'").fetchone()[0]
    headline = "Blinken holds talks with Armenian and Azerbaijani foreign ministers amid Lachin Corridor dispute"
    assert body.count(headline) == 1


def test_every_event_traces_to_its_sentence(seeds_con):
    rows = seeds_con.execute(
        "SELECT e.evidence, substr(d.body, e.start_char + 1, e.end_char - e.start_char) "
        "FROM events e JOIN documents d USING (doc_id)").fetchall()
    assert rows, "no events extracted from the seeds"
    for evidence, sliced in rows:
        assert evidence == sliced


def test_incidents_counted_once_across_reports(seeds_con):
    row = seeds_con.execute(
        "SELECT killed, n_documents FROM incidents WHERE event_date = DATE '2023-06-28' "
        "AND scope = 'incident' AND killed IS NOT NULL").fetchall()
    assert row == [(4, 2)]


def test_rerun_changes_no_row_counts(seeds_warehouse, tmp_path):
    import shutil

    from tests.conftest import SEEDS, run_pipeline

    copy = tmp_path / "again.duckdb"
    shutil.copyfile(seeds_warehouse, copy)
    tables = ["documents", "entities", "events", "incidents", "daily_casualties", "removed_lines"]

    def counts():
        with duckdb.connect(str(copy), read_only=True) as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    before = counts()
    results = run_pipeline(SEEDS, copy)
    assert all(r.success for r in results)
    assert counts() == before


def test_seed_diplomacy_incidents_on_the_answer_key_days(seeds_con):
    rows = seeds_con.execute(
        "SELECT event_date, location FROM incidents WHERE event_type = 'CONSULT' AND scope = 'incident' "
        "AND date_precision = 'day'").fetchall()
    days = {r[0] for r in rows}
    assert {dt.date(2022, 7, 16), dt.date(2023, 5, 1), dt.date(2023, 6, 27), dt.date(2023, 6, 29)} <= days
    assert (dt.date(2022, 7, 16), "Tbilisi") in set(rows)


def test_seed_historical_and_aggregate_tolls_kept_out_of_daily(seeds_con):
    rows = seeds_con.execute(
        "SELECT killed, scope FROM events WHERE killed IN (6500, 30000, 10000, 6)").fetchall()
    assert {k for k, _ in rows} >= {6500, 30000, 6}
    assert all(scope in ("historical", "aggregate") for _, scope in rows)
    total = seeds_con.execute("SELECT sum(killed) FROM daily_casualties").fetchone()[0]
    assert total == 4


def test_seed_002_standfirst_and_lead_are_one_meeting(seeds_con):
    removed = seeds_con.execute(
        "SELECT reason FROM removed_lines WHERE doc_id LIKE '002_%' AND text LIKE 'US Secretary of State%'"
    ).fetchall()
    assert removed == [("standfirst_restates_lead",)]
    meetings = seeds_con.execute(
        "SELECT DISTINCT i.incident_id FROM events e JOIN incidents i USING (incident_id) "
        "WHERE e.doc_id LIKE '002_%' AND e.event_type = 'CONSULT' AND i.event_date = DATE '2023-05-01' "
        "AND i.date_precision = 'day'").fetchall()
    assert len(meetings) == 1


def test_seed_chrome_lines_are_audited_not_in_bodies(seeds_con):
    removed = {r[0] for r in seeds_con.execute("SELECT text FROM removed_lines").fetchall()}
    bodies = "\n".join(r[0] for r in seeds_con.execute("SELECT body FROM documents").fetchall())
    for chrome in ("Publish:", "A+ A-", "2 min read"):
        assert chrome in removed
        assert chrome not in bodies.splitlines()
    assert any(t.endswith("[Getty]") for t in removed)
    assert "[Getty]" not in bodies
