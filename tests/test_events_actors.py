"""Pass 3, actors: actor1/actor2, the perpetrator named elsewhere, the victims' words."""
from __future__ import annotations

from tests.events_pass_helpers import records, rows


def _events(text):
    return [e for rec in records(text) for e in rec.events]


def test_subject_and_object_of_a_verb():
    (e,) = _events("Ukraine said Russian troops attacked its positions near Bakhmut on Friday.")
    assert e.actor1 == "Russian Armed Forces"


def test_between_a_and_b():
    (e,) = _events("Talks between Ukraine and Russia began in Istanbul on Monday.")
    assert e.named_actors == ("Ukraine", "Russia")


def test_agent_of_a_passive_is_the_attacker():
    evs = _events("Azerbaijan's defence ministry said two of its servicemen were wounded by Armenian fire on March 8.")
    assert evs[0].actor1 == "Armenia"


def test_its_servicemen_are_the_speakers_own_victims():
    evs = _events("Azerbaijan's defence ministry said two of its servicemen were wounded by Armenian fire on March 8.")
    assert any(c.speakers_own for c in evs[0].victims)


def test_no_casualty_no_victim_clues():
    (e,) = _events("Rebels attacked a convoy near Kidal on Saturday.")
    assert e.victims is None


def test_a_witness_named_in_a_casualty_sentence_is_no_side():
    """An unknown person in an actor slot of a violent event (a witness, a spokesman) is dropped;
    a person the gazetteer knows keeps the slot."""
    from pipeline.lib.events.actors import unknown_person
    from pipeline.lib.events.context import DocEntities, _gazetteer
    from pipeline.lib.entities import resolve_entities
    from pipeline.lib.nlp import load_nlp

    nlp = load_nlp()
    doc = nlp("Farah Osman Duale, a shopkeeper, said he saw at least nine bodies near the market.")
    ents = DocEntities(doc, resolve_entities(doc, _gazetteer()))
    assert unknown_person("Farah Osman Duale", ents)
    known = next(e.canonical_name for e in _gazetteer().entries if e.actor_type == "person")
    assert not unknown_person(known, ents)


def test_a_hospital_reporting_the_dead_is_no_side():
    out = rows("Al-Noor Hospital said it had received 12 bodies after the car bomb in Kirkuk on Sunday.")
    (violent,) = [r for r in out if r["killed"] == 12]
    assert violent["actor1"] is None and violent["location"] == "Kirkuk"
