"""Pass 6, claims and denials: who claimed it (pipeline/lib/events/claims.py), whose losses,
who disputes it."""
from __future__ import annotations

from pipeline.lib.events.claims import claimant_of_phrase
from pipeline.lib.events.record import OfficialSpeaker
from tests.events_pass_helpers import parse, records, rows
from pipeline.lib import events as ev


def _events(text):
    return [e for rec in records(text) for e in rec.events]


def test_the_speaker_of_said_claims_it_and_an_institution_speaks_for_its_state():
    (e,) = _events("Azerbaijan's defence ministry said two of its servicemen were wounded by Armenian fire on March 8.")
    assert e.claimant == "Azerbaijan"


def test_its_servicemen_are_the_claimants_losses():
    (e,) = _events("Azerbaijan's defence ministry said two of its servicemen were wounded by Armenian fire on March 8.")
    assert e.victim_side == "Azerbaijan"
    assert e.actor2 == "Azerbaijan"      # the victims' side is the target of the attack


def test_according_to():
    (e,) = _events("According to the United Nations, four people were killed in Kidal on Thursday.")
    assert e.claimant == "United Nations"


def test_an_unnamed_official_is_an_official_speaker_not_a_name():
    doc, ents = parse("Officials said the talks would resume.")
    ctx = ev.doc_context(doc, ents, "t", None)
    subj = next(t for t in doc if t.dep_ == "nsubj" and t.lower_ == "officials")
    assert claimant_of_phrase(subj, ctx) == OfficialSpeaker("officials")


def test_civil_officials_of_a_violent_event_speak_for_the_country_of_the_place():
    (e,) = _events("Officials said an air strike hit a market in Kharkiv on Saturday, killing seven people.")
    assert e.claimant == "Ukraine"


def test_an_official_of_a_non_violent_event_keeps_their_own_words():
    (e,) = _events("Officials said the talks would resume.")
    assert e.claimant == "officials"


def test_counter_blame_in_the_same_sentence_disputes_the_claim():
    evs = _events("Azerbaijan said Armenian forces fired on its positions on Thursday, "
                  "while Armenia blamed Azerbaijan for the shooting.")
    fight = next(e for e in evs if e.event_type == "FIGHT")
    assert fight.claimant == "Azerbaijan" and fight.disputed


def test_a_denial_in_the_next_sentence_disputes_the_earlier_claim():
    out = rows("Ukraine said Russian troops attacked its positions near Bakhmut on Friday. Russia denied the claim.")
    assert out[0]["claimed_by"] == "Ukraine" and out[0]["disputed"] is True
    assert out[1]["event_type"] == "REJECT" and out[1]["disputed"] is False


def test_no_source_no_claimant():
    (e,) = _events("Rebels attacked a convoy near Kidal on Saturday.")
    assert e.claimant is None and not e.disputed


def test_a_person_is_a_victim_not_a_side():
    # a named victim is no side of the conflict: figures naming different people must not count
    # as different sides' dead (they would add up); the country of the place still speaks
    (e,) = [e for e in _events("Musa Danjuma, a local chief, was killed by gunmen in Kaduna on Monday.") if e.killed]
    assert e.victim_side != "Musa Danjuma"
    (e,) = [e for e in _events("Two Nigerian soldiers were killed in Kaduna on Monday.") if e.killed]
    assert e.victim_side == "Nigeria"


def test_a_name_on_the_attack_is_the_attackers_not_the_victims():
    (e,) = [e for e in _events("The death toll of the Russian missile strike on the market has risen to 30, police said.")
            if e.killed]
    assert e.victim_side != "Russia"
    (e,) = [e for e in _events("Two Russian soldiers were killed in a drone attack on Monday.") if e.killed]
    assert e.victim_side == "Russia"
