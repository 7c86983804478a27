"""Pass 3, actors: actor1/actor2, the perpetrator named elsewhere, the victims' words."""
from __future__ import annotations

from tests.events_pass_helpers import records


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
