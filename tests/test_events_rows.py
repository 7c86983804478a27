"""Pass 9, rows: table rows of a sentence, and the narrative memory kept for later sentences."""
from __future__ import annotations

from datetime import date

from pipeline.lib.events import EVENT_COLUMNS
from tests.events_pass_helpers import records, rows


def test_rows_have_exactly_the_table_columns():
    for r in rows("Gunmen killed three villagers in Kidal on Saturday. Talks began in Dakar on Monday."):
        assert list(r) == EVENT_COLUMNS


def test_an_event_counted_twice_gives_two_rows_without_figures():
    out = rows("Ukraine reported two claims of ceasefire violations by Russia.")
    assert [r["event_type"] for r in out] == ["FIGHT", "FIGHT"]
    assert [r["event_id"] for r in out] == ["t:0:0", "t:0:1"]
    assert all(r["killed"] is None for r in out)


def test_evidence_is_the_sentence():
    out = rows("Rebels attacked a convoy near Kidal on Saturday. The army said it repelled them.")
    assert out[0]["evidence"] == "Rebels attacked a convoy near Kidal on Saturday."
    assert (out[0]["start_char"], out[0]["end_char"]) == (0, 48)


def test_memory_keeps_the_last_dated_violent_incident():
    recs = records("Militants attacked a police post in Kidal on Wednesday.")
    # the record of the sentence carries what the memory was built from
    e = recs[0].events[0]
    assert (e.event_date, e.date_text, e.location) == (date(2024, 3, 6), "Wednesday", "Kidal")


def test_a_headline_toll_follows_the_story_below_it():
    text = ("Troops kill 40 fighters in northern hills\n"
            "The army said on Friday its troops had killed 40 fighters in an operation in the hills over the "
            "past week.")
    tolls = [(r["scope"], r["event_date"]) for r in rows(text) if r["killed"] == 40]
    assert len(tolls) == 2 and tolls[0] == tolls[1] and tolls[0][0] == "aggregate"
    # a body row with nothing of its own (undated, an incident) teaches the headline nothing
    text = ("Gunmen kill 12 traders in northern market\n"
            "Gunmen killed 12 traders at a market in the north, residents said.")
    assert [r["event_date"] for r in rows(text) if r["killed"] == 12][0] == date(2024, 3, 10)
