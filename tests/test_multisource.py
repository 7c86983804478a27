"""One incident told by four outlets with a rising toll, plus a second incident the same day:
end to end through Dagster, one incident with the latest toll (see tests/data/multisource.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

DATA = Path(__file__).resolve().parent / "data" / "multisource"


@pytest.fixture(scope="module")
def multisource(tmp_path_factory):
    from tests.conftest import run_pipeline

    wh = tmp_path_factory.mktemp("multi") / "w.duckdb"
    assert all(r.success for r in run_pipeline(DATA, wh))
    con = duckdb.connect(str(wh), read_only=True)
    yield con
    con.close()


def test_four_reports_make_one_incident_with_the_latest_toll(multisource):
    rows = multisource.execute(
        "SELECT location, killed, wounded, n_documents FROM incidents WHERE scope = 'incident' "
        "AND event_date = DATE '2024-11-12' AND killed IS NOT NULL ORDER BY killed DESC").fetchall()
    mellit = [r for r in rows if r[0] == "Mellit"]
    assert len(mellit) == 1
    assert mellit[0][1:] == (11, 23, 4)


def test_second_incident_same_day_stays_separate(multisource):
    rows = multisource.execute(
        "SELECT killed, n_documents FROM incidents WHERE scope = 'incident' AND location = 'Kosti' "
        "AND killed IS NOT NULL").fetchall()
    assert rows == [(2, 2)]


def test_daily_table_counts_each_incident_once(multisource):
    rows = multisource.execute("SELECT day, killed, wounded FROM daily_casualties ORDER BY day").fetchall()
    assert rows == [(dt.date(2024, 11, 12), 13, 23)]
