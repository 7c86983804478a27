"""Pass 1, triggers: what is read from a sentence once (triggers, denial cues, casualty and date
mentions, anaphoric event nouns).  Sentences written for these tests."""
from __future__ import annotations

from tests.events_pass_helpers import records


def _one(text):
    recs = records(text)
    assert len(recs) == 1
    return recs[0]


def test_a_denial_of_a_claim_is_a_denial_cue_and_its_object_is_denied_content():
    rec = _one("Moscow denied the claims.")
    assert [d.verb.text for d in rec.denials] == ["denied"]
    assert {rec.sent.doc[i].text for i in rec.denial_scope} == {"the", "claims"}


def test_denied_access_is_no_denial_of_a_claim():
    assert _one("Yerevan denied access to the monitors.").denials == []


def test_casualties_inside_denied_content_are_not_read():
    rec = _one("The army denied that 20 soldiers were killed in the clashes.")
    assert rec.denials and rec.casualties == []


def test_casualty_and_date_mentions_are_read():
    rec = _one("Gunmen killed three villagers and wounded 12 others in Kidal on Saturday.")
    assert sorted((m.kind, m.quantity.best) for m in rec.casualties) == [("killed", 3), ("wounded", 12)]
    assert [m.text for m in rec.date_mentions] == ["Saturday"]


def test_the_same_event_noun_again_is_anaphoric():
    first, second = records("Clashes broke out near Kidal on Monday. The clashes continued into the night.")
    assert [t.anaphoric for t in first.triggers] == [False]
    assert [(t.event_type, t.anaphoric) for t in second.triggers] == [("FIGHT", True)]


def test_a_definite_event_noun_without_an_earlier_event_is_not_anaphoric():
    (rec,) = records("The clashes near Kidal killed four people on Monday.")
    assert not any(t.anaphoric for t in rec.triggers)


def test_an_event_hung_inside_the_subject_of_a_reporting_verb_is_read():
    # the parser may hang "killed" on "checkpoint" and make the attack the subject of "said"
    from pipeline.lib.events.triggers import sentence_triggers
    from tests.events_pass_helpers import parse

    doc, _ = parse("A militant attack on a police checkpoint killed between 33 and 36 soldiers in Bannu "
                   "yesterday, hospital officials said.")
    assert [(t.token.lemma_, t.event_type) for s in doc.sents for t in sentence_triggers(s)] == [("kill", "FIGHT")]
