"""`python -m pipeline explain`: every daily number of the seeds taken apart (SEEDS_TRUTH.md)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest

from pipeline.lib import explain as ex


def _day(con, d):
    return ex.explain_day(con, dt.date.fromisoformat(d))


def test_june_28_is_one_incident_of_four_killed_from_two_documents(seeds_con):
    x = _day(seeds_con, "2023-06-28")
    assert x["daily_casualties"]["killed"] == 4
    assert len(x["incidents"]) == 1
    inc = x["incidents"][0]
    assert inc["killed"] == 4
    assert len(inc["documents"]) == 2
    with_figure = [r for r in inc["reports"] if r["killed"] is not None]
    assert {r["doc_id"][:3] for r in with_figure} == {"000", "001"}
    sentences = " ".join(r["sentence"] for r in with_figure)
    assert "Four Armenian servicemen were killed" in sentences
    assert "four of its servicemen were killed overnight" in sentences
    assert {r["figure_text"].lower() for r in with_figure} == {"four"}
    # the figure is marked at its place in documents.body
    for r in with_figure:
        body = seeds_con.execute("SELECT body FROM documents WHERE doc_id = ?", [r["doc_id"]]).fetchone()[0]
        assert body[r["figure_start"]:r["figure_end"]].lower() == "four"
        assert "[[" in r["marked"]
    # which figure counted, and by which rule
    assert inc["counted"]["killed"]["event_id"] in {r["event_id"] for r in with_figure}
    assert "latest" in inc["counted"]["killed"]["rule"]
    assert sum(bool(r["counted_for"]) for r in inc["reports"]) == 1
    # the 27 June wounded figure stated in these reports counts on the 27th, not here
    assert x["left_out"] == []
    assert {r["wounded"] for r in x["counted_on_other_day"]} == {1}


def test_july_16_2022_names_the_6500_toll_as_kept_out(seeds_con):
    x = _day(seeds_con, "2022-07-16")
    assert x["incidents"] == [] and x["daily_casualties"] is None
    kept_out = [r for r in x["left_out"] if r["killed"] == 6500]
    assert kept_out, x["left_out"]
    assert all(r["kind"] == "historical" and "past war" in r["reason"] for r in kept_out)
    assert any(r["figure_text"] == "more than 6,500" for r in kept_out)
    text = ex.render_text(x)
    assert "[[more than 6,500]]" in text and "historical" in text


def test_june_29_names_the_tens_of_thousands_as_kept_out(seeds_con):
    x = _day(seeds_con, "2023-06-29")
    assert x["incidents"] == []
    tens = [r for r in x["left_out"] if (r["figure_text"] or "").lower() == "tens of thousands"]
    assert len(tens) == 1 and tens[0]["kind"] == "historical"
    half = [r for r in x["left_out"] if r["killed"] == 6]
    assert len(half) == 1 and half[0]["kind"] == "aggregate" and "period" in half[0]["reason"]
    assert "[[Tens of thousands]]" in ex.render_text(x)


def test_disputed_figure_counts_and_is_flagged(seeds_con):
    x = _day(seeds_con, "2023-06-27")
    assert [d["wounded"] for d in x["disputed_counted"]] == [1]
    assert x["incidents"][0]["disputed"]
    assert "DISPUTED" in ex.render_text(x)


def test_cli_text_json_and_incident(seeds_warehouse, capsys):
    from pipeline.__main__ import main

    assert main(["explain", "--day", "2023-06-28", "--warehouse", str(seeds_warehouse)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2023-06-28: 4 killed") and "[[Four]]" in out and "[[four]]" in out
    assert main(["explain", "--day", "2023-06-28", "--warehouse", str(seeds_warehouse), "--format", "json"]) == 0
    x = json.loads(capsys.readouterr().out)
    inc_id = x["incidents"][0]["incident_id"]
    assert main(["explain", "--incident", inc_id, "--warehouse", str(seeds_warehouse), "--format", "json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["incident_id"] == inc_id and one["killed"] == 4 and one["counts_in_daily_tables"]
    assert main(["explain", "--incident", "inc-nope", "--warehouse", str(seeds_warehouse)]) == 2


def test_uses_incident_tolls_and_cause_when_present(seeds_warehouse, tmp_path):
    """A non-violent cause keeps a figure out; incident_tolls names the counted report and its rule
    (both tables are edited here so that the explanation must follow them, not recompute them)."""
    path = tmp_path / "w.duckdb"
    shutil.copy(seeds_warehouse, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE events SET cause = 'violence' WHERE killed IS NOT NULL OR wounded IS NOT NULL")
    con.execute("UPDATE events SET cause = 'disease', scope = 'incident' WHERE killed = 6500 AND start_char = 94")
    inc, eid = con.execute("SELECT incident_id, event_id FROM events WHERE killed = 4 AND doc_id LIKE '001%'").fetchone()
    con.execute("DELETE FROM incident_tolls WHERE incident_id = ?", [inc])
    con.execute("INSERT INTO incident_tolls (incident_id, event_id, doc_id, killed, counted, rule) "
                "VALUES (?, ?, '001', 4, true, 'test rule')", [inc, eid])
    x = ex.explain_day(con, dt.date(2023, 6, 28))
    assert x["incidents"][0]["counted"]["killed"] == {"event_id": eid, "rule": "test rule"}
    y = ex.explain_day(con, dt.date(2022, 7, 16))
    kinds = {(r["start_char"], r["kind"]) for r in y["left_out"]}
    assert (94, "cause") in kinds
    assert x["notes"] == []
    con.close()


def test_markdown_on_the_daily_casualties_asset(seeds_warehouse, tmp_path):
    from dagster import materialize

    from pipeline.defs.resources import WarehouseResource
    from pipeline.definitions import SQL_ASSETS

    path = tmp_path / "w.duckdb"
    shutil.copy(seeds_warehouse, path)
    daily = [a for a in SQL_ASSETS if a.key.path[-1] == "daily_casualties"]
    res = materialize(daily, resources={"warehouse": WarehouseResource(database=str(path), publish_snapshot=False)})
    assert res.success
    md = res.asset_materializations_for_node("daily_casualties")[0].metadata["explain"].value
    assert "2023-06-28: 4 killed" in md and "**Four**" in md and "**four**" in md
    assert "2023-06-27" in md and "Disputed" in md
    # the publication days of the batch, with the figures kept out of them
    assert "## 2022-07-16: no casualty incident" in md and "**more than 6,500**" in md
    assert "**Tens of thousands**" in md


@pytest.mark.parametrize("sentence,values,expected", [
    ("claimed more than 6,500 lives", [6500], "more than 6,500"),
    ("Six weeks of fighting claimed 30 lives", [30], "30"),
    ("no figure here", [3], None),
])
def test_figure_span(sentence, values, expected):
    span = ex.figure_span(sentence, values)
    assert (sentence[span[0]:span[1]] if span else None) == expected
