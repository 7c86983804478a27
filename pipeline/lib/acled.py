"""ACLED disorder type, event type and sub-event type of one event (docs/codebook.md section 6;
issue 12, "ACLED types and sub-types").

Pure module: no Dagster, no writes.  Public API::

    acled_features(sent, event_type=None, event_mode=None, actor1_type=None, actor2_type=None,
                   entities=None) -> AcledFeatures          # from a spaCy Span with lemmas
    acled_codes(features) -> AcledCode | None               # None: no ACLED event
    EVENT_TYPES, SUB_EVENT_TYPES, DISORDER_TYPES, parent_event_type(sub), disorder_of(event, sub)

The cue words are in pipeline/data/acled_cues.json ('categories': sentence cues; 'word_classes':
lemmas for roles).  The code names categories and classes, never words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from pipeline.lib.cause import CueLexicon, find_cues, load_cues

ACLED_CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "acled_cues.json"

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
SUB_EVENT_TYPES: dict[str, str] = {s: e for e, subs in EVENT_TYPES.items() for s in subs}
DISORDER_TYPES = ("Political violence", "Demonstrations", "Strategic developments")
WEAPON_SUB = {   # ACLED weapon class -> sub-event type, in order of precedence
    "chemical": "Chemical weapon", "suicide": "Suicide bomb", "air": "Air/drone strike",
    "artillery": "Shelling/artillery/missile attack", "grenade": "Grenade", "ied": "Remote explosive/landmine/IED",
}
VIOLENT = frozenset({"FIGHT", "ASSAULT"})
VIOLENT_CUES = frozenset({"battle", "attack", "lethal", *WEAPON_SUB})
NO_ACLED_TYPES = frozenset({"CONSULT", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SUPPORT", "AID",
                            "INVESTIGATE", "COOPERATE", "CONCEDE"})
NO_ACLED_MODES = frozenset({"accuse", "deny", "negated", "future", "hypothetical"})
STRATEGIC_TYPES = frozenset({"COERCE", "MOBILIZE", "RETREAT", "SANCTION", "AGREE", "SEIZE"})
_MODIFIER_DEPS = frozenset({"amod", "acl", "compound"})
_STATE_ACTOR_TYPES = frozenset({"state", "government"})
_NONSTATE_ACTOR_TYPES = frozenset({"de_facto_authority"})


def parent_event_type(sub_event_type: str) -> str:
    return SUB_EVENT_TYPES[sub_event_type]


def disorder_of(event_type: str, sub_event_type: str) -> str:
    """Political violence: Battles, Explosions/Remote violence, Violence against civilians, Riots'
    Mob violence; Demonstrations: Protests, Riots' Violent demonstration; Strategic developments."""
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type == "Protests" or sub_event_type == "Violent demonstration":
        return "Demonstrations"
    return "Political violence"


@dataclass(frozen=True)
class AcledCode:
    disorder_type: str
    event_type: str
    sub_event_type: str


@dataclass(frozen=True)
class AcledFeatures:
    event_type: str | None = None        # PLOVER type of the trigger (FIGHT, ASSAULT, PROTEST, COERCE, AGREE...)
    event_mode: str | None = None        # the extractor's event_mode ('accuse', 'deny', ...)
    cues: frozenset[str] = frozenset()   # cue categories of the sentence (acled_cues.json 'categories')
    weapons: frozenset[str] = frozenset()   # ACLED weapon classes: chemical, suicide, air, artillery, grenade, ied
    civilian_target: bool = False        # civilians or civilian places among the targets / victims
    military_target: bool = False        # armed forces or military objects among the targets / victims
    protest: bool = False                # a protest or protesters in the sentence, or a PROTEST event
    protesters_targeted: bool = False    # protesters / a protest are the target of force
    territory: str | None = None         # 'take' | 'regain' | 'transfer': a taking / retaking / handing-over
                                         # or withdrawing verb with a place as object
    agent: str | None = None             # 'state' | 'nonstate': who acts (takes the place, uses force)


# --------------------------------------------------------------------------- the rule table
def _violent(f: AcledFeatures) -> bool:
    """A violent event: FIGHT/ASSAULT; or another trigger ("blew himself up" is COERCE) with a weapon
    or a killing and no arrest, agreement or protest; or no trigger and a violence cue."""
    if f.event_type in VIOLENT:
        return True
    if f.event_type is None and f.cues & VIOLENT_CUES:
        return True
    return (f.event_type not in ("AGREE", "PROTEST") and "arrest" not in f.cues
            and bool(f.weapons and f.cues & {"lethal", "attack"} or "lethal" in f.cues))


def _coercive(f: AcledFeatures) -> bool:
    """A trigger that can be an abduction or a rape: violence, coercion, or none ("agreed to
    release hostages" and "demanded a hostage deal" are not)."""
    return f.event_type in VIOLENT or f.event_type in (None, "COERCE")


def _weapon(f: AcledFeatures) -> str | None:
    """The weapon class that decides, in WEAPON_SUB order; shelling inside a battle with no civilian
    target stays an armed clash."""
    skip = {"artillery"} if "battle" in f.cues and not f.civilian_target else set()
    return next((w for w in WEAPON_SUB if w in f.weapons and w not in skip), None)


def _state_taker(f: AcledFeatures) -> bool:
    return f.agent == "state" or (f.agent is None and f.territory == "regain")


Rule = tuple[str, Callable[[AcledFeatures], Any], Callable[[AcledFeatures], str | None]]
_RULES: tuple[Rule, ...] = (
    ("no ACLED event (talk, demand, accusation, denial, negated or future)",
     lambda f: f.event_type in NO_ACLED_TYPES or f.event_mode in NO_ACLED_MODES, lambda f: None),
    ("sexual violence", lambda f: "sexual" in f.cues and _coercive(f), lambda f: "Sexual violence"),
    ("abduction, kidnapping", lambda f: "abduction" in f.cues and _coercive(f),
     lambda f: "Abduction/forced disappearance"),
    ("territory handed over without fighting",
     lambda f: f.territory and "nonviolent_transfer" in f.cues and not f.cues & {"battle", "attack"},
     lambda f: "Non-violent transfer of territory"),
    ("territory taken by a state force", lambda f: f.territory in ("take", "regain") and _state_taker(f),
     lambda f: "Government regains territory"),
    ("territory taken by anyone else", lambda f: f.territory in ("take", "regain"),
     lambda f: "Non-state actor overtakes territory"),
    ("lethal force against protesters, not by a non-state group, no bomb",
     lambda f: f.protesters_targeted and "lethal" in f.cues and f.agent != "nonstate" and not f.weapons,
     lambda f: "Excessive force against protesters"),
    ("mob, lynching, communal violence", lambda f: "mob" in f.cues, lambda f: "Mob violence"),
    ("violent protesters", lambda f: "riot_act" in f.cues or f.protest and not f.protesters_targeted
     and f.cues & {"destruction", "battle"}, lambda f: "Violent demonstration"),
    ("protest met by force or arrests, not by a non-state group, no bomb",
     lambda f: f.protest and f.agent != "nonstate" and not f.weapons
     and (f.protesters_targeted or f.cues & {"intervention", "arrest"}),
     lambda f: "Protest with intervention"),
    ("protest", lambda f: f.protest and not _violent(f), lambda f: "Peaceful protest"),
    ("weapons intercepted or defused", lambda f: "disrupted" in f.cues and "lethal" not in f.cues,
     lambda f: "Disrupted weapons use"),
    ("remote weapon", lambda f: _violent(f) and _weapon(f), lambda f: WEAPON_SUB[_weapon(f)]),
    ("violence against civilians only, outside a battle",
     lambda f: _violent(f) and f.civilian_target and not f.military_target and "battle" not in f.cues,
     lambda f: "Attack"),
    ("fighting, or force against an armed target",
     lambda f: _violent(f) and (f.event_type == "FIGHT" or "battle" in f.cues or f.military_target),
     lambda f: "Armed clash"),
    ("other one-sided violence", _violent, lambda f: "Attack"),
    ("arrests", lambda f: "arrest" in f.cues, lambda f: "Arrests"),
    ("agreement, ceasefire, prisoner swap", lambda f: "agreement" in f.cues, lambda f: "Agreement"),
    ("looting, property destruction", lambda f: "destruction" in f.cues, lambda f: "Looting/property destruction"),
    ("base or headquarters established", lambda f: {"hq_verb", "hq_noun"} <= f.cues,
     lambda f: "Headquarters or base established"),
    ("group changes", lambda f: "change_group" in f.cues, lambda f: "Change to group/activity"),
    ("other strategic PLOVER types", lambda f: f.event_type in STRATEGIC_TYPES, lambda f: "Other"),
)


def acled_codes(f: AcledFeatures) -> AcledCode | None:
    """ACLED codes of one event; None when it is no ACLED event.  Precedence (first match wins):

    0. a non-ACLED PLOVER type (CONSULT, DEMAND, DISAPPROVE, REJECT, THREATEN, SUPPORT, AID,
       INVESTIGATE, COOPERATE, CONCEDE) or mode (accuse, deny, negated, future) -> None;
    1. sexual violence, 2. abduction, with a violent, coercive or no PLOVER type -> VAC / Sexual
       violence, Abduction/forced disappearance;
    3. a place taken or handed over with a no-fight cue (handed over, withdrew, without a fight) and
       no battle or attack cue -> SD / Non-violent transfer of territory;
    4. a place taken by a state force (or retaken, taker unknown) -> Battles / Government regains;
    5. a place taken by anyone else -> Battles / Non-state actor overtakes territory
       (territory taken after fighting is a battle, never a strategic development);
    6. lethal force on protesters by a state (or unknown) agent, no bomb -> Protests / Excessive force
       (a suicide bomber at a rally falls through to rule 12);
    7. mob, lynching, communal -> Riots / Mob violence;
    8. stone-throwing, rioting, or protesters burning / clashing -> Riots / Violent demonstration;
    9. a protest met with teargas, dispersal, arrests or force, not by a non-state group, no bomb -> Protests /
       Protest with intervention (gunmen firing on a rally fall through to violence, rules 12-15);
    10. a protest without violence -> Protests / Peaceful protest;
    11. weapons intercepted, defused, shot down -> SD / Disrupted weapons use;
    12. violence with a remote weapon (chemical > suicide > air/drone > shelling > grenade > IED; shelling
        in a battle with no civilian target excepted) -> Explosions/Remote violence, even on civilians;
    13. violence on civilians only, no battle cue (gunmen attacking a village) -> VAC / Attack;
    14. FIGHT, a battle cue (clashes, war, both sides) or an armed target -> Battles / Armed clash
        (people killed in clashes are a battle's toll);
    15. other violence -> VAC / Attack;
    16-21. SD: arrests, agreement, looting/property destruction, base established, group change,
        other strategic PLOVER types (COERCE, MOBILIZE, RETREAT, SANCTION, AGREE) -> Other;
    otherwise None.
    """
    for _name, when, then in _RULES:
        if when(f):
            sub = then(f)
            if sub is None:
                return None
            event = SUB_EVENT_TYPES[sub]
            return AcledCode(disorder_of(event, sub), event, sub)
    return None


# --------------------------------------------------------------------------- features from spaCy
@dataclass(frozen=True)
class _AcledLexicon:
    cues: CueLexicon
    classes: dict[str, frozenset[str]]
    harm: frozenset[str]
    not_as_modifier: frozenset[str]          # categories that do not count on a noun's modifier


@lru_cache(maxsize=4)
def load_acled_cues(path: str | None = None) -> _AcledLexicon:
    p = path or str(ACLED_CUES_PATH)
    raw = json.loads(Path(p).read_text(encoding="utf-8"))
    classes = {k: frozenset(w.lower() for w in v) for k, v in raw["word_classes"].items()}
    return _AcledLexicon(load_cues(p), classes, load_cues().harm_words, frozenset(raw.get("not_as_modifier", [])))


def _lemmas(toks: Iterable[Any]) -> set[str]:
    return {w for t in toks for w in (t.lemma_.lower(), t.lower_)}


def _force_kind(tok, lex: _AcledLexicon) -> str | None:
    """'state' / 'nonstate' for a noun phrase head naming a force ("government fighters" is state)."""
    head, mods = _lemmas([tok]), _lemmas(c for c in tok.children if c.dep_ in ("amod", "compound", "poss"))
    c = lex.classes
    if head & c["state_force"] or head & c["nonstate_force"] and mods & c["state_modifier"]:
        return "state"
    if head & c["nonstate_force"]:
        return "nonstate"
    return None


def _agent_tokens(v) -> list:
    """Who does v: its subject, its passive 'by' object, 'fell to X'; a participle or a conjoined
    verb without a subject takes its head's."""
    out = [c for c in v.children if c.dep_ == "nsubj"]
    out += [p for a in v.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
    out += [p for a in v.children if a.dep_ == "prep" and a.lower_ == "to" for p in a.children if p.dep_ == "pobj"
            if any(c.dep_ == "nsubj" for c in v.children)]
    if not out and v.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp") and v.head is not v:
        return _agent_tokens(v.head)
    return [x for t in out for x in (t, *[c for c in t.children if c.dep_ == "conj"])]


def _objects(v) -> list:
    """What v acts on: objects, passive subjects, objects of on/at/against/into/to, the subject of an
    intransitive 'fell'/'died'."""
    out = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass", "attr", "appos")]
    for p in (c for c in v.children if c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "into", "of")):
        out += [o for o in p.children if o.dep_ == "pobj"]
    if not out:
        out = [c for c in v.children if c.dep_ == "nsubj" and not _is_actorish(c)]
    return [x for o in out for x in o.subtree]


def _is_actorish(t) -> bool:
    return t.ent_type_ in ("ORG", "NORP", "PERSON")


def _sentence_roles(sent, lex: _AcledLexicon):
    """(victim lemmas, agent kinds) over the harm words of the sentence."""
    victims: set[str] = set()
    kinds: list[str] = []
    for t in sent:
        if not _lemmas([t]) & lex.harm:
            continue
        victims |= _lemmas(_objects(t))
        kinds += [k for a in _agent_tokens(t) if (k := _force_kind(a, lex))]
    return victims, kinds


_TERRITORY = {"territory_take": "take", "territory_regain": "regain", "nonviolent_transfer": "transfer"}


def _territory(sent, hits, lex: _AcledLexicon) -> tuple[str | None, str | None]:
    """('take' | 'regain' | 'transfer', agent kind) for a taking, retaking, handing-over or
    withdrawing verb whose object (for 'fell': subject; for 'withdrew': 'from' object) is a place."""
    for h in hits:
        if h.category not in _TERRITORY:
            continue
        v = sent.doc[h.start]
        objs = _objects(v) if v.lemma_ != "fall" else [x for c in v.children if c.dep_ == "nsubj" for x in c.subtree]
        if h.category == "nonviolent_transfer":
            objs += [x for p in v.children if p.lower_ == "from" for x in p.subtree]
        if any(o.ent_type_ in ("GPE", "LOC", "FAC") or _lemmas([o]) & lex.classes["place"] for o in objs):
            kinds = [k for a in _agent_tokens(v) if (k := _force_kind(a, lex))]
            return _TERRITORY[h.category], (kinds[0] if kinds else None)
    return None, None


def _kind_of_type(actor_type: str | None) -> str | None:
    return "state" if actor_type in _STATE_ACTOR_TYPES else "nonstate" if actor_type in _NONSTATE_ACTOR_TYPES else None


def acled_features(sent, event_type: str | None = None, event_mode: str | None = None,
                   actor1_type: str | None = None, actor2_type: str | None = None,
                   lex: _AcledLexicon | None = None) -> AcledFeatures:
    """Features of one event from its sentence (a spaCy Span with lemmas and a parse) and what the
    extractor knows: its PLOVER type and mode, and the gazetteer actor types of actor1 / actor2
    (used when the sentence names no force: state/government -> state, de_facto_authority ->
    non-state; an armed_force actor2 is an armed target)."""
    lex = lex or load_acled_cues()
    hits = [h for h in find_cues(sent, lex.cues)
            if not (h.category in lex.not_as_modifier and sent.doc[h.end - 1].dep_ in _MODIFIER_DEPS)]
    cats = frozenset(h.category for h in hits)
    victims, kinds = _sentence_roles(sent, lex)
    territory, taker = _territory(sent, hits, lex)
    protesters = _lemmas(sent) & lex.classes["protester"]
    return AcledFeatures(
        event_type=event_type, event_mode=event_mode, cues=cats - set(WEAPON_SUB), weapons=cats & set(WEAPON_SUB),
        civilian_target=bool(victims & lex.classes["civilian"]),
        military_target=bool(victims & lex.classes["military_target"]) or actor2_type == "armed_force",
        protest="protest" in cats or bool(protesters) or event_type == "PROTEST",
        protesters_targeted=bool(victims & lex.classes["protester"]),
        territory=territory, agent=taker or (kinds[0] if kinds else None) or _kind_of_type(actor1_type))
