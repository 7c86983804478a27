"""`python -m pipeline export --layout acled|ucdp`: ACLED's and UCDP GED's layouts, read back with
polars, checked against the codebooks on the seeds and the multisource corpus; the ACLED
fatalities per day equal daily_casualties.killed per day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.lib import layouts

MULTI = Path(__file__).resolve().parent / "data" / "multisource"


@pytest.fixture(scope="module")
def multisource_warehouse(tmp_path_factory):
    from tests.conftest import run_pipeline

    wh = tmp_path_factory.mktemp("multi_layouts") / "w.duckdb"
    assert all(r.success for r in run_pipeline(MULTI, wh))
    return wh


@pytest.fixture(params=["seeds", "multisource"])
def warehouse(request, seeds_warehouse, multisource_warehouse):
    return seeds_warehouse if request.param == "seeds" else multisource_warehouse


def _export(warehouse, layout, fmt, tmp_path) -> pl.DataFrame:
    from pipeline.__main__ import main

    out = tmp_path / f"{layout}.{fmt}"
    assert main(["export", "--layout", layout, "--format", fmt, "--warehouse", str(warehouse), str(out)]) == 0
    schema = layouts.ACLED_SCHEMA if layout == "acled" else layouts.UCDP_SCHEMA
    if fmt == "parquet":
        df = pl.read_parquet(out)
        assert df.schema == pl.Schema(schema)
    else:
        header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == list(schema)
        df = pl.read_csv(out, schema=schema)  # every value parses as its codebook type
    return df


def _states():
    from pipeline.lib.gazetteer import load_gazetteer

    return {e.canonical_name for e in load_gazetteer().entries if e.actor_type == "state"}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_acled_layout_follows_the_codebook(warehouse, fmt, tmp_path):
    df = _export(warehouse, "acled", fmt, tmp_path)
    assert df.columns == list(layouts.ACLED_SCHEMA) and df.height > 0
    states = _states()
    assert df["event_id_cnty"].n_unique() == df.height
    for r in df.iter_rows(named=True):
        assert r["event_type"] in layouts.ACLED_EVENT_TYPES, r
        assert r["sub_event_type"] is None or r["sub_event_type"] in layouts.ACLED_EVENT_TYPES[r["event_type"]]
        assert r["disorder_type"] is None or r["disorder_type"] in layouts.ACLED_DISORDER
        assert r["year"] == r["event_date"].year
        assert r["time_precision"] in (1, 2, 3)
        for k in ("inter1", "inter2"):
            assert r[k] is None or 1 <= r[k] <= 8
        if r["inter1"] is not None and r["inter2"] is not None:
            lo, hi = sorted((r["inter1"], r["inter2"]))
            assert r["interaction"] == lo * 10 + hi
        elif r["interaction"] is not None:
            assert r["actor2"] is None and r["interaction"] == r["inter1"] * 10
        if r["inter2"] is not None:
            assert r["actor2"] is not None
        assert r["civilian_targeting"] in (None, "Civilian targeting")
        assert r["geo_precision"] in (None, 1, 2, 3)
        assert (r["latitude"] is None) == (r["location"] is None)
        if r["latitude"] is not None:
            assert -90 <= r["latitude"] <= 90 and -180 <= r["longitude"] <= 180
        assert r["country"] is None or r["country"] in states
        assert r["fatalities"] >= 0
        # the notes name every source
        assert r["source"] and all(s in r["notes"] for s in r["source"].split("; "))
        # never guessed: no numeric ISO code, region or admin1 in the gazetteer
        assert r["iso"] is None and r["region"] is None and r["admin1"] is None
        assert r["event_id_cnty"].startswith(_cc(r["country"]))


def _cc(country):
    if country is None:
        return ""
    from pipeline.lib.gazetteer import load_gazetteer

    return load_gazetteer().get(country).country_code


def test_acled_seeds_casualty_incidents_and_meetings(seeds_warehouse, tmp_path):
    df = _export(seeds_warehouse, "acled", "parquet", tmp_path)
    strike = df.filter(pl.col("event_date") == dt.date(2023, 6, 28), pl.col("fatalities") > 0)
    assert strike.height == 1
    s = strike.row(0, named=True)
    assert s["fatalities"] == 4 and s["disorder_type"] == "Political violence"
    assert s["actor1"] == "Azerbaijan" and s["inter1"] == 1 and s["country"] == "Azerbaijan"
    assert s["location"] == "Nagorno-Karabakh" and s["geo_precision"] == 3
    shot = df.filter(pl.col("tags") == "disputed", pl.col("event_date") == dt.date(2023, 6, 27),
                     pl.col("event_type") == "Battles")
    assert shot.height == 1 and shot["fatalities"][0] == 0 and "1 wounded" in shot["notes"][0]
    meetings = df.filter(pl.col("sub_event_type") == "Other", pl.col("notes").str.contains(" met | held talks"))
    assert {"Washington", "Tbilisi"} <= set(meetings["location"].drop_nulls())
    assert set(meetings["event_type"]) == {"Strategic developments"}
    assert set(meetings["disorder_type"]) == {"Strategic developments"}


def test_acled_fatalities_per_day_equal_daily_casualties(warehouse, tmp_path):
    df = _export(warehouse, "acled", "csv", tmp_path)
    acled = dict(df.filter(pl.col("time_precision") == 1).group_by("event_date")
                 .agg(pl.col("fatalities").sum()).filter(pl.col("fatalities") > 0).iter_rows())
    con = duckdb.connect(str(warehouse), read_only=True)
    daily = dict(con.execute("SELECT day, killed FROM daily_casualties WHERE killed > 0").fetchall())
    con.close()
    assert daily and acled == daily


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_ucdp_layout_follows_the_codebook(warehouse, fmt, tmp_path):
    df = _export(warehouse, "ucdp", fmt, tmp_path)
    assert df.columns == list(layouts.UCDP_SCHEMA) and df.height > 0
    con = duckdb.connect(str(warehouse), read_only=True)
    lethal = con.execute("SELECT count(*) FROM incidents WHERE scope = 'incident' AND killed > 0 AND acled_type IN "
                         "('Battles', 'Explosions/Remote violence', 'Violence against civilians')").fetchone()[0]
    con.close()
    assert df.height == lethal  # lethal violence incidents only, each once
    for r in df.iter_rows(named=True):
        assert r["type_of_violence"] in (None, 1, 2, 3)
        assert r["date_prec"] in (1, 2, 3, 4, 5) and r["date_start"] <= r["date_end"]
        if r["date_prec"] == 1:
            assert r["date_start"] == r["date_end"]
        assert r["where_prec"] in (None, 1, 2, 3, 4, 5, 6, 7)
        assert r["best"] >= 1 and r["low"] <= r["best"] <= r["high"]
        assert r["deaths_a"] + r["deaths_b"] + r["deaths_civilians"] + r["deaths_unknown"] == r["best"]
        if r["type_of_violence"] == 3:
            assert r["side_b"] == "Civilians"
        assert r["source_article"] and len(r["source_date"].split("; ")) == len(r["source_article"].split("; "))
        assert r["region"] is None


def test_ucdp_multisource_tolls(multisource_warehouse, tmp_path):
    df = _export(multisource_warehouse, "ucdp", "parquet", tmp_path)
    assert sorted(df["best"].to_list()) == [2, 11]
    mellit = df.filter(pl.col("best") == 11).row(0, named=True)
    assert mellit["source_article"].count("; ") == 3  # four outlets
    assert mellit["date_start"] == dt.date(2024, 11, 12) and mellit["date_prec"] == 1 and mellit["where_prec"] == 1


def test_inter_codes_and_place_naming():
    gz = layouts._gazetteer()
    assert layouts.inter_code("Azerbaijan", "AZE", gz) == 1
    assert layouts.inter_code("Russian peacekeepers", "AZE", gz) == 8
    assert layouts.inter_code("Russian Armed Forces", "RUS", gz) == 1
    assert layouts.inter_code("Boko Haram", "NGA", gz) == 2
    assert layouts.inter_code("Civilians (Sudan)", "SDN", gz) == 7
    assert layouts.inter_code("Rapid Support Forces", "SDN", gz) is None  # kind not listed: empty, not guessed
    assert layouts.inter_code("Antony Blinken", "USA", gz) is None
    assert layouts.interaction(1, 3, True) == 13 and layouts.interaction(7, 1, True) == 17
    assert layouts.interaction(1, None, False) == 10 and layouts.interaction(1, None, True) is None
    assert layouts.place_naming("Mellit", [("the town of ", " in")], gz) == "town"
    assert layouts.place_naming("Mellit", [("fighting near ", " on")], gz) == "near"
    assert layouts.place_naming("North Darfur", [("in ", " state, ")], gz) == "region"
    assert layouts.place_naming("Lachin corridor", [("on the ", ".")], gz) == "area"
    assert layouts.place_naming("Sudan", [], gz) == "country"
    assert layouts.place_naming(None, [], gz) is None
