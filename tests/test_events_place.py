"""Pass 4, place: the location of the event, and an anaphor's place given to the earlier row."""
from __future__ import annotations

from tests.events_pass_helpers import records, rows


def test_place_after_a_locative_preposition():
    (rec,) = records("Gunmen killed three villagers and wounded 12 others in Kidal on Saturday.")
    assert rec.events[0].location == "Kidal"


def test_the_town_of_x():
    (rec,) = records("Russian forces shelled the town of Kupiansk on Friday, killing three civilians.")
    assert rec.events[0].location == "Kupiansk"


def test_no_place_named_no_location():
    (rec,) = records("Israel said it would not negotiate with Hamas.")
    assert rec.events[0].location is None


def test_an_anaphoric_noun_gives_its_place_to_the_earlier_event():
    out = rows("Talks on a ceasefire began on Friday. Held in Geneva, the talks lasted six hours.")
    assert out[0]["event_type"] == "CONSULT" and out[0]["location"] == "Geneva"


def test_a_hospital_that_receives_the_dead_is_not_the_place_of_the_attack():
    out = rows("Mosul General Hospital received the bodies of nine people killed in the bombing on Sunday.")
    violent = [r for r in out if r["killed"] == 9]
    assert violent and all(r["location"] is None for r in violent)


def test_a_place_name_cut_short_names_no_place():
    from pipeline.lib.events.place import _cut_name

    assert _cut_name("Our Lady of") and _cut_name("South-West of")
    assert not _cut_name("Bay of Bengal") and not _cut_name("Kidal")


def test_a_place_that_only_qualifies_a_name_is_not_the_place_of_the_event():
    out = rows("A suspected gas attack in the town killed dozens on Tuesday, while the Britain-based "
               "monitor said 35 people died of suffocation.")
    assert [r["location"] for r in out if r["killed"]] == [None]


def test_the_place_of_a_circumstance_is_not_the_place_of_the_act():
    out = rows("Amid a swearing-in ceremony of the new cabinet in Nairobi, gunmen struck in the north, "
               "killing at least seven herders.")
    violent = [r for r in out if r["killed"] == 7]
    assert violent and all(r["location"] != "Nairobi" for r in violent)
    # the place of the act itself is still read
    (rec,) = records("Gunmen killed seven herders in Marsabit on Sunday after a meeting in Nairobi.")
    assert rec.events[0].location == "Marsabit"
