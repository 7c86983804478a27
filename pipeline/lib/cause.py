"""Cause of deaths in a casualty sentence (docs/codebook.md section 7; issue 12, "Cause").

Pure module: no Dagster, no writes.  Public API::

    load_cues(path=None) -> CueLexicon                      # pipeline/data/cause_cues.json, cached
    find_cues(tokens, lex=None) -> list[CueHit]             # cue phrases in a token sequence
    document_topic(doc, lex=None) -> dict[str, int]         # cue category -> hits over the whole doc
    cause_features(sent, doc_topic=None, entities=None) -> CauseFeatures   # from a spaCy Span
    decide_cause(features) -> str                           # one of CAUSES

Causes: 'violence' (political violence and armed conflict as ACLED counts it), 'disaster',
'accident', 'disease', 'crime' (ordinary crime with no political actor), 'unknown'.

Evidence
--------
* sentence cue categories (lemmas and lemma phrases of the JSON file; the code names categories,
  never words): disaster, accident, disease, crime, explosion, industrial_site, armed_group,
  armed_person, state_force, war_weapon, violent_act;
* the agent: an armed group ("militants", "rebels"), or a state force / gazetteer armed force that is
  the agent of a harm word ("troops shelled", "killed by soldiers", "an army raid") gives the
  synthetic category 'armed_agent'; a state force that suffers it ("ten soldiers died", "killed two
  policemen") gives 'force_victim'; a force in any other role ("police said") gives nothing;
* political_actor: an entity of the sentence resolved to a state, government, armed force, de facto
  authority or organisation (not as a place);
* the document topic: cue category counts over the whole document ("the toll rose to 40" in an
  earthquake story has no cue of its own).

"explosion" is ambiguous (bomb or gas leak): with a weapon cue it is violence (rule 1), at an
industrial site it is an accident (rule 3), alone it follows the document (rules 6 to 8).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "cause_cues.json"
CAUSES = ("violence", "disaster", "accident", "disease", "crime", "unknown")
NONVIOLENT = ("disaster", "accident", "disease", "crime")
VIOLENCE_CUES = ("armed_group", "armed_person", "war_weapon", "violent_act")
_ARMED_TYPES = frozenset({"armed_force"})
_POLITICAL_TYPES = frozenset({"armed_force", "state", "government", "de_facto_authority", "organisation"})
_AGENT_DEPS = frozenset({"nsubj", "compound", "amod", "poss", "nmod"})
TOPIC_MIN = 2          # a document topic needs at least this many hits ...
TOPIC_RATIO = 3        # ... and this many times the document's violence cues


# --------------------------------------------------------------------------- cue lexicon
@dataclass(frozen=True)
class CueLexicon:
    phrases: dict[tuple[str, ...], str]      # lemma tuple -> category
    max_len: int
    blockers: dict[str, frozenset[str]]      # cue word -> head/modifier lemmas that cancel it
    noun_only: frozenset[str]
    noun_readings: dict[str, str]            # cue word -> its category when it is a noun ('strike')
    harm_words: frozenset[str]
    death_words: frozenset[str]              # intransitive verbs whose subject is a victim
    agent_only: frozenset[str]               # categories that count only for an agent
    resultative_verbs: frozenset[str] = frozenset()   # "leave" of "left 30 dead"
    harm_outcomes: frozenset[str] = frozenset()       # "dead", "injured" of that complement
    first_len: Mapping[str, int] = field(default_factory=dict)   # first word -> longest phrase it starts


@dataclass(frozen=True)
class CueHit:
    category: str
    phrase: str
    start: int          # token index in the doc
    end: int            # exclusive


def load_cues(path: Path | str | None = None) -> CueLexicon:
    return _load(str(path or CUES_PATH))


@lru_cache(maxsize=8)
def _load(path: str) -> CueLexicon:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    phrases: dict[tuple[str, ...], str] = {}
    for cat, words in raw["categories"].items():
        for w in words:
            phrases[tuple(w.lower().split())] = cat
    low = lambda key: frozenset(w.lower() for w in raw.get(key, []))  # noqa: E731
    first_len: dict[str, int] = {}
    for key in phrases:
        first_len[key[0]] = max(first_len.get(key[0], 0), len(key))
    return CueLexicon(
        phrases=phrases, max_len=max(len(k) for k in phrases),
        blockers={k.lower(): frozenset(w.lower() for w in v) for k, v in raw.get("blockers", {}).items()},
        noun_only=low("noun_only"), noun_readings={k.lower(): v for k, v in raw.get("noun_readings", {}).items()},
        harm_words=low("harm_words"), death_words=low("death_words"), agent_only=low("agent_only"),
        resultative_verbs=low("resultative_verbs"), harm_outcomes=low("harm_outcomes"), first_len=first_len)


def _forms(t) -> tuple[str, ...]:
    lem = t.lemma_.lower()
    return tuple(dict.fromkeys([lem, t.lower_])) if lem else (t.lower_,)


def _blocked(t, word: str, lex: CueLexicon) -> bool:
    """A one-word cue cancelled by its context: wrong part of speech, or a blocker lemma as its
    head (through a preposition: "came under fire"), as one of its children ("heart attack") or as
    the object of one of its prepositions ("the outbreak of the war")."""
    if word in lex.noun_only and t.pos_ not in ("NOUN", "PROPN"):
        return True
    block = lex.blockers.get(word)
    if not block:
        return False
    near = [t.head, *t.children, *(g for c in t.children if c.dep_ == "prep" for g in c.children)]
    if t.head.dep_ == "prep":
        near.append(t.head.head)
    return any(set(_forms(n)) & block for n in near if n is not t)


def find_cues(tokens: Iterable[Any], lex: CueLexicon | None = None) -> list[CueHit]:
    """Cue phrases in a token sequence (a Span, a Doc or a list of tokens), longest match first;
    a token belongs to at most one hit."""
    lex = lex or load_cues()
    toks = list(tokens)
    forms = [_forms(t) for t in toks]
    hits, i = [], 0
    while i < len(toks):
        hit = _match_at(toks, i, lex, forms)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i += hit.end - hit.start
    return hits


def _match_at(toks: list, i: int, lex: CueLexicon, forms: list) -> CueHit | None:
    """The longest cue phrase starting at toks[i] (``forms``: each token's ``_forms``).  Only the
    lengths of phrases that one of the token's forms starts are tried (and one word for a noun
    reading): the same hits as trying every length, without building the products of the others."""
    longest = max((lex.first_len.get(f, 0) for f in forms[i]), default=0)
    if not longest and not (toks[i].pos_ in ("NOUN", "PROPN") and any(f in lex.noun_readings for f in forms[i])):
        return None
    for n in range(min(max(longest, 1), len(toks) - i), 0, -1):
        for key in product(*forms[i:i + n]):
            cat = lex.phrases.get(key)
            if n == 1 and toks[i].pos_ in ("NOUN", "PROPN"):
                cat = lex.noun_readings.get(key[0], cat)
            if cat is None or (n == 1 and _blocked(toks[i], key[0], lex)):
                continue
            return CueHit(cat, " ".join(key), toks[i].i, toks[i].i + n)
    return None


def document_topic(doc: Iterable[Any], lex: CueLexicon | None = None) -> dict[str, int]:
    """Cue category -> number of hits over the whole document (raw: no agent check)."""
    return dict(Counter(h.category for h in find_cues(doc, lex)))


# --------------------------------------------------------------------------- features
@dataclass(frozen=True)
class CauseFeatures:
    cues: frozenset[str] = frozenset()          # cue categories of the sentence, + 'armed_agent', 'force_victim'
    political_actor: bool = False               # a state/government/armed/organisation entity (not a place)
    doc_topic: Mapping[str, int] = field(default_factory=dict)   # document_topic() of the document
    agent_cause: str | None = None              # a non-violent cause that is the killer ("the quake killed")


def _is_agent(t, lex: CueLexicon) -> bool:
    """The token (or the noun it modifies) is the agent of a harm word: subject of a harm verb,
    object of the passive 'by', possessor or modifier of a harm noun."""
    if t.dep_ == "pobj" and t.head.dep_ == "agent":
        return bool(set(_forms(t.head.head)) & lex.harm_words)
    if t.dep_ == "conj":
        return _is_agent(t.head, lex)
    if t.dep_ == "nsubj" and _headline_passive(t.head):
        return False   # "25 soldiers killed": the headline's passive, the soldiers are victims
    return t.dep_ in _AGENT_DEPS and bool(set(_forms(t.head)) & lex.harm_words)


def _headline_passive(v) -> bool:
    """A past participle with a subject, no auxiliary and no object ("as 25 soldiers killed"):
    headline English for the passive."""
    return v.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in v.children)


def _is_victim(t, lex: CueLexicon) -> bool:
    """Object or passive subject of a harm word, or subject of a death word ("soldiers died"),
    also through a quantity ("one of its troops was shot")."""
    if t.dep_ == "conj" or t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.i != t.head.i:
        return _is_victim(t.head if t.dep_ == "conj" else t.head.head, lex)
    head = set(_forms(t.head))
    return (t.dep_ in ("nsubjpass", "dobj") and bool(head & lex.harm_words)
            or t.dep_ == "nsubj" and bool(head & lex.death_words)
            or t.dep_ == "nsubj" and _headline_passive(t.head) and bool(head & lex.harm_words))


def _role_category(t, lex: CueLexicon) -> str | None:
    """'armed_agent' for a force that is the agent of a harm, 'force_victim' for one that suffers it."""
    return "armed_agent" if _is_agent(t, lex) else "force_victim" if _is_victim(t, lex) else None


_CAUSE_PREPS = frozenset({"in", "by", "from"})
_HOLDING = frozenset({"hold", "held", "control", "controlled", "occupy", "occupied", "run", "besiege", "besieged",
                      "dominate", "dominated", "infest", "infested", "affect", "affected"})


def _holds_a_place(t) -> bool:
    """An armed group named as who holds a place: "rebel-held", "militant-controlled",
    "jihadist-occupied" (the group modifies a participle that modifies a noun)."""
    h = t.head
    return t.dep_ in ("npadvmod", "compound", "amod", "nmod") and h.i != t.i and (
        h.lower_ in _HOLDING or h.lemma_.lower() in _HOLDING) and h.dep_ in ("amod", "compound", "acl")


def _killers(t) -> list:
    """The agents of a harm or death word: its active subject, the object of its passive "by",
    the object of "in"/"from" ("killed in the earthquake", "died from cholera"), or the noun a
    relative clause ("the quake, which has killed ...") hangs on."""
    out = []
    for c in t.children:
        if c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "who"):
            out.append(c)
        elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in _CAUSE_PREPS):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    if t.dep_ == "relcl" and t.head.i != t.i:
        out.append(t.head)
    if t.dep_ == "advcl" and t.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
        # "a landslide buried the village, killing 23": the participle's killer is the main subject
        out.extend(c for c in t.head.children if c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "who"))
    return out


def _resultative(t, forms, lex: CueLexicon) -> bool:
    """``t`` reports harm through its outcome complement: "left 30 dead", "left dozens injured"."""
    return bool(forms & lex.resultative_verbs) and any(
        c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and c.lower_ in lex.harm_outcomes for c in t.children)


def _agent_cause(sent, lex: CueLexicon) -> str | None:
    """A disaster, accident or disease cue in the killer's phrase of a harm word with victims of
    its own: "the earthquake, which has killed 1,700", "floods killed 40", "the storm that left
    30 dead" (a resultative verb with a harm outcome counts as a harm word).  The deaths are that cause's
    whatever else the sentence names (armed groups suspending hostilities after the quake)."""
    for t in sent:
        forms = set(_forms(t))
        if not (forms & (lex.harm_words | lex.death_words) or _resultative(t, forms, lex)):
            continue
        victims = {"nsubjpass", "dobj"} | ({"nsubj"} if forms & lex.death_words else set())
        if not any(c.dep_ in victims for c in t.children):
            continue  # "a village hit by the quake": no victims of its own
        for k in _killers(t):
            phrase = [x for x in k.subtree if x.i <= k.i]  # the killer and its modifiers before it
            cats = {h.category for h in find_cues(phrase, lex)}
            found = [c for c in NONVIOLENT if c in cats and c != "crime"]
            if found and not cats & {"war_weapon", "armed_group", "armed_person", "violent_act"}:
                return found[0]
    return None


def _entity_cues(sent, entities, lex: CueLexicon) -> tuple[set[str | None], bool]:
    cats, political = set(), False
    for e in entities or ():
        if not (sent.start_char <= e.start_char < sent.end_char) or e.role == "place":
            continue
        political |= (e.actor_type in _POLITICAL_TYPES)
        span = sent.doc.char_span(e.start_char, e.end_char, alignment_mode="expand")
        if span is not None and e.actor_type in _ARMED_TYPES:
            cats.add(_role_category(span.root, lex))
    return cats, political


def cause_features(sent, doc_topic: Mapping[str, int] | None = None, entities=None,
                   lex: CueLexicon | None = None) -> CauseFeatures:
    """Features of one sentence (a spaCy Span with lemmas).  ``doc_topic``: document_topic() of its
    document, computed once per document (computed here from sent.doc when None).  ``entities``:
    resolved entities (pipeline.lib.entities.Entity or anything with start_char, end_char,
    actor_type, role)."""
    lex = lex or load_cues()
    cats: set[str | None] = set()
    for h in find_cues(sent, lex):
        if h.category == "armed_group" and _holds_a_place(sent.doc[h.end - 1]):
            continue   # "the rebel-held north": who holds the place, not who did the deed
        if h.category in lex.agent_only:
            cats.add(_role_category(sent.doc[h.end - 1], lex))
        else:
            cats.add(h.category)
    if "armed_group" in cats:
        cats.add("armed_agent")
    ent_cats, political = _entity_cues(sent, entities, lex)
    topic = document_topic(sent.doc, lex) if doc_topic is None else doc_topic
    cats = (cats | ent_cats) - {None}
    return CauseFeatures(frozenset(cats), political or "armed_agent" in cats, dict(topic),
                         _agent_cause(sent, lex))


# --------------------------------------------------------------------------- the decision
def topic_cause(topic: Mapping[str, int]) -> str | None:
    """The non-violent cause a document is about, when it clearly dominates: at least TOPIC_MIN
    hits, more than any other non-violent cause, and TOPIC_RATIO times the document's violence
    cues.  Explosions count as accident cues in a document that names industrial sites more often
    than weapons of war (a port warehouse story that once mentions a bombing elsewhere)."""
    score = {c: topic.get(c, 0) for c in NONVIOLENT}
    if topic.get("industrial_site", 0) > topic.get("war_weapon", 0):
        score["accident"] += topic.get("explosion", 0)
    violence = sum(topic.get(c, 0) for c in VIOLENCE_CUES)
    best = max(score, key=lambda c: score[c])
    n = score[best]
    if n < TOPIC_MIN or sum(v == n for v in score.values()) > 1 or n < TOPIC_RATIO * violence:
        return None
    return best


def _violent_document(topic: Mapping[str, int]) -> bool:
    """At least TOPIC_MIN violence cues, and more than the hits of any non-violent cause."""
    violence = sum(topic.get(c, 0) for c in VIOLENCE_CUES)
    return violence >= TOPIC_MIN and violence > max(topic.get(c, 0) for c in NONVIOLENT)


def _leans_violent(topic: Mapping[str, int]) -> bool:
    """Violence cues, and more of them than the hits of any one non-violent cause (a fuel-theft
    blast story that speaks of a "war on theft" once does not lean violent)."""
    violence = sum(topic.get(c, 0) for c in VIOLENCE_CUES)
    return violence > 0 and violence > max(topic.get(c, 0) for c in NONVIOLENT)


def _has(*cats: str) -> Callable[[CauseFeatures], bool]:
    return lambda f: bool(f.cues & set(cats))


_RULES: tuple[tuple[str, Callable[[CauseFeatures], bool], Callable[[CauseFeatures], str | None]], ...] = (
    ("a disaster, accident or disease is the killer", lambda f: f.agent_cause is not None,
     lambda f: f.agent_cause),
    ("armed agent or weapon of war", _has("armed_agent", "war_weapon"), lambda f: "violence"),
    ("disaster cue", _has("disaster"), lambda f: "disaster"),
    ("accident cue or explosion at a site",
     lambda f: "accident" in f.cues or {"explosion", "industrial_site"} <= f.cues, lambda f: "accident"),
    ("disease cue", _has("disease"), lambda f: "disease"),
    ("crime cue, no political actor", lambda f: "crime" in f.cues and not f.political_actor, lambda f: "crime"),
    ("document topic", lambda f: True, lambda f: topic_cause(f.doc_topic)),
    ("violent act, armed person, force victims, explosion in a violent document",
     lambda f: bool(f.cues & {"violent_act", "armed_person", "force_victim"})
     or "explosion" in f.cues and _leans_violent(f.doc_topic), lambda f: "violence"),
    ("a document about violence", lambda f: _violent_document(f.doc_topic), lambda f: "violence"),
)


def decide_cause(f: CauseFeatures) -> str:
    """The cause of the deaths of one casualty sentence.  Precedence (first rule that decides wins):

    1. a disaster, accident or disease cue is the killer (the subject of the harm word, its
       passive agent, the object of its "in"/"from", or the noun its relative clause hangs on:
       "the earthquake, which has killed 1,700, prompted armed groups to pause", "airstrikes
       went on after 1,600 were killed in the earthquake") -> that cause;
    2. an armed agent (armed group, or state/armed force as agent) or a weapon of war -> violence
       (a car bomb explosion; militants ambushed soldiers);
    3. a disaster cue in the sentence -> disaster (a disaster in a war zone is still a disaster);
    4. an accident cue, or an explosion with an industrial site -> accident (a gas-depot explosion);
    5. a disease cue -> disease;
    6. a crime cue and no political actor -> crime (a robbery, a domestic murder);
    7. the document topic, when one non-violent cause clearly dominates (topic_cause) -> it
       ("the toll rose to 40" in a flood story);
    8. a violent act (attack, ambush, clash...), an armed person (gunmen), state forces among the
       victims, or an explosion in a document whose violence cues outnumber the hits of each
       non-violent cause -> violence;
    9. a document about violence (at least TOPIC_MIN violence cues, more than any non-violent
       cause's hits) -> violence ("the toll rose to 40" in a story of clashes);
    10. otherwise 'unknown'.
    """
    for _name, when, then in _RULES:
        if when(f):
            cause = then(f)
            if cause is not None:
                return cause
    return "unknown"
