"""Pass 2, typing: the sentence's events, their PLOVER type, ACLED type and multiplicity."""
from __future__ import annotations

from pipeline.lib.events import ACLED_PROTESTS, ACLED_REMOTE, ACLED_RIOTS, ACLED_VAC, classify_sentence
from tests.events_pass_helpers import parse, records


def _events(text):
    return [e for rec in records(text) for e in rec.events]


def test_an_allegation_of_conflict_by_another_party_is_an_accusation():
    (e,) = _events("Armenia claimed that Azerbaijan violated the ceasefire.")
    assert (e.event_type, e.event_mode) == ("DISAPPROVE", "accuse")


def test_two_claims_of_violations_are_two_events():
    (e,) = _events("Ukraine reported two claims of ceasefire violations by Russia.")
    assert e.event_type == "FIGHT" and e.multiplicity == 2


def test_a_casualty_report_under_said_is_the_violent_event():
    (e,) = _events("The ministry said four soldiers were killed.")
    assert e.event_type in ("FIGHT", "ASSAULT") and e.casualties


def test_one_violent_event_per_sentence():
    evs = _events("Gunmen killed three villagers and wounded 12 others in Kidal on Saturday.")
    assert [e.event_type for e in evs] == ["ASSAULT"]
    assert evs[0].acled_type == ACLED_VAC


def test_opinions_are_no_events():
    assert _events("Analysts believe Russia will attack Kharkiv in the spring.") == []


def test_acled_types():
    assert _events("Hundreds of youths rioted in Dakar on Friday.")[0].acled_type == ACLED_RIOTS
    assert _events("Protesters blocked the main highway into Tbilisi on Saturday.")[0].acled_type == ACLED_PROTESTS
    air = _events("Officials said an air strike hit a market in Kharkiv on Saturday, killing seven people.")
    assert air[0].acled_type == ACLED_REMOTE


def test_classify_sentence_is_the_main_event():
    doc, _ = parse("Israel said it would not negotiate with Hamas.")
    assert classify_sentence(next(iter(doc.sents))).event_type == "REJECT"


# ------------------------------------------------ territory taken by force is a battle
def test_seizing_a_town_after_fighting_is_a_battle():
    (e,) = _events("Rebels seized the town of Mellit after heavy fighting on Tuesday.")
    assert (e.event_type, e.acled_type) == ("FIGHT", "Battles")


def test_taking_control_of_a_village_is_a_battle():
    (e,) = _events("Fighters took control of the village after two days of clashes.")
    assert (e.event_type, e.acled_type) == ("FIGHT", "Battles")


def test_seizing_property_stays_coercion():
    (e,) = _events("Police seized his passport at the airport.")
    assert e.event_type == "COERCE"


def test_taking_control_of_a_road_stays_coercion():
    evs = _events("Baku took control over the only road to the region and shut off access to civilian traffic.")
    assert evs[0].event_type == "COERCE"


def test_force_against_protesters_that_kills_carries_its_toll():
    from tests.events_pass_helpers import rows

    out = [(r["event_type"], r["killed"]) for r in rows("Police killed eight protesters on Monday.")]
    assert ("ASSAULT", 8) in out                         # the dead reach the day's count
    assert all(k is None for t, k in out if t == "COERCE")  # the repression itself stays COERCE
    # force with no casualty stays repression only
    assert [r["event_type"] for r in rows("Police fired tear gas at protesters on Monday.")] == ["COERCE"]
