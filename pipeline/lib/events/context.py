"""The document's resolved entities as the passes see them: entity by token, the actor a phrase
names, pronoun antecedents, and the side (state or de facto authority) an actor belongs to."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.lib.events.lexicon import words
from pipeline.lib.events.syntax import _dateline_tokens
from pipeline.lib.entities import CARE_NOUNS
from pipeline.lib.gazetteer import SIDE_ACTOR_TYPES as STATE_TYPES
from pipeline.lib.gazetteer import load_gazetteer

SIDE_TYPES = frozenset({"state", "de_facto_authority"})
_NON_ACTOR_LABELS = frozenset({"CARDINAL", "ORDINAL", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT"})


def care_place(ent, doc) -> bool:
    """The entity names a place of care (its last word is a hospital/clinic/morgue noun, or
    the noun follows it after at most three capitalised words: "Medina Hospital", "Madina
    hospital", "Mosul General Hospital"): the casualties of a violent event are counted
    there; it is neither the event's place nor a side."""
    span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    if span[-1].lower_ in CARE_NOUNS:
        return True
    # the name goes on in capitalised words up to the noun: "Mosul General Hospital"
    for t in doc[span.end:span.end + 4]:
        if t.lower_ in CARE_NOUNS:
            return True
        if not t.is_title:
            return False
    return False


@dataclass
class _Ent:
    start: int
    end: int
    canonical: str
    actor_type: str | None
    role: str | None
    label: str | None
    country_code: str | None
    text: str


def _wrap_entities(entities) -> list[_Ent]:
    out = []
    for e in entities or []:
        canon = getattr(e, "canonical_name", None)
        if not canon or getattr(e, "label", None) in _NON_ACTOR_LABELS:
            continue
        out.append(_Ent(int(e.start_char), int(e.end_char), canon, getattr(e, "actor_type", None),
                        getattr(e, "role", None), getattr(e, "label", None),
                        getattr(e, "country_code", None), getattr(e, "text", "")))
    out.sort(key=lambda x: (x.start, -x.end))
    return out


@lru_cache(maxsize=1)
def _gazetteer():
    try:
        return load_gazetteer()
    except Exception:  # pragma: no cover - no gazetteer data: sides stay the entity names
        return None


def gazetteer_entry(name: str | None):
    """The gazetteer entry of a canonical name (None when unknown or without a gazetteer)."""
    gaz = _gazetteer()
    return gaz.get(name) if (gaz is not None and name) else None


def side_of(name: str | None, surface: str | None = None) -> str | None:
    """The side (state or de facto authority) an actor belongs to, read from its surface form:
    "Azerbaijan's defense ministry" -> Azerbaijan, "Karabakh's armed forces" -> Nagorno-Karabakh,
    "Russian peacekeepers" -> Russia.  Persons and organisations without such a word keep their name."""
    if not name:
        return name
    gaz = _gazetteer()
    if gaz is None:
        return name
    entry = gaz.get(name)
    if entry is not None and entry.actor_type in SIDE_TYPES:
        return name
    if entry is not None and entry.governs:
        return entry.governs
    found = re.findall(r"[\w\-]+", (surface or "").replace("\u2019", "'"))
    for n in (2, 1):
        for i in range(len(found) - n + 1):
            e = gaz.lookup(" ".join(found[i:i + n]))
            if e is not None and e.actor_type in SIDE_TYPES:
                return e.canonical_name
            if e is not None and e.governs and e.actor_type == "government":
                return e.governs
    return name


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    """ISO3 -> canonical name of the state, from the shipped gazetteer (empty if unavailable)."""
    gaz = _gazetteer()
    out: dict[str, str] = {}
    for e in gaz.entries if gaz is not None else []:
        if e.actor_type == "state" and e.country_code and e.country_code not in out:
            out[e.country_code] = e.canonical_name
    return out


def _blocks_path(h, tok) -> bool:
    """A clause or verb-headed modifier between an entity token and the phrase head."""
    return ((h.dep_ in ("relcl", "acl", "advcl", "ccomp", "appos", "conj") and h.head.i != tok.i)
            or (h.pos_ == "VERB" and h.dep_ in ("amod",)) or h.dep_ == "relcl")


def _path_score(t, tok) -> int | None:
    """Distance from t up to tok (a non-'of' preposition costs 2), None when blocked."""
    depth, h, penalty = 0, t, 0
    while h.i != tok.i:
        if _blocks_path(h, tok):
            return None
        if h.dep_ == "pobj" and h.head.lower_ not in ("of",):
            penalty += 2
        h = h.head
        depth += 1
        if depth > 6:
            return None
    return depth + penalty


class DocEntities:
    """Entity lookup of one document (built once; read-only afterwards)."""

    def __init__(self, doc, entities):
        self.doc = doc
        self.ents = _wrap_entities(entities)
        self.tok_ent: dict[int, _Ent] = {}
        for e in self.ents:
            span = doc.char_span(e.start, e.end, alignment_mode="expand")
            for t in span if span is not None else []:
                cur = self.tok_ent.get(t.i)
                if cur is None or (cur.end - cur.start) < (e.end - e.start):
                    self.tok_ent[t.i] = e
        for sent in doc.sents:
            for i in _dateline_tokens(sent):
                self.tok_ent.pop(i, None)
        self.by_name: dict[str, _Ent] = {}          # first mention of each name
        for e in self.ents:
            self.by_name.setdefault(e.canonical, e)
        self.last_by_name = {e.canonical: e for e in self.ents}   # last mention of each name

    def ent_of(self, tok) -> _Ent | None:
        return self.tok_ent.get(tok.i)

    def actor_in(self, tok, allow_place: bool = False) -> str | None:
        """Canonical actor named by the phrase headed by tok (closest entity in the tree)."""
        if tok is None:
            return None
        best, best_score = None, None
        sub = {x.i for x in tok.subtree}
        for t in tok.subtree:
            e = self.ent_of(t)
            if e is None or (not allow_place and e.role == "place"):
                continue
            score = _path_score(t, tok)
            if score is None:
                continue
            # a verb-headed modifier ("Armenian-backed") names someone else
            if any(a.pos_ == "VERB" and a.i != tok.i and a.i in sub for a in t.ancestors if a.i in sub):
                continue
            if best_score is None or score < best_score:
                best, best_score = e, score
        return best.canonical if best is not None else None

    def antecedent(self, tok) -> str | None:
        """he/she -> the last person named before; it/they/its -> the last non-person actor."""
        person = tok.lower_ in words("person_pronouns")
        cands = []
        for e in reversed(self.ents):
            if e.start >= tok.idx:
                continue
            if e.role == "place" and e.actor_type not in STATE_TYPES:
                continue
            if person == (e.actor_type == "person"):
                cands.append(e)
        if not cands:
            return None
        # salience: the most recent subject among the mentions of the last two sentences
        sent_start = tok.sent.start_char
        prev_start = self.doc[tok.sent.start - 1].sent.start_char if tok.sent.start > 0 else sent_start
        for e in cands:
            if e.start < prev_start:
                break
            span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                return e.canonical
        return cands[0].canonical

    def region_before(self, idx: int) -> str | None:
        best = None
        for e in self.ents:
            if e.start >= idx:
                break
            if e.actor_type == "de_facto_authority" or (e.role == "place" and e.actor_type not in ("state",)):
                best = e.canonical
        return best

    def side_name(self, canonical: str) -> str:
        """Institutions (ministries, armies, capitals) speak for their side; persons and
        organisations keep their own name."""
        e = self.by_name.get(canonical)
        if e is None:
            return canonical
        if e.actor_type == "government":
            names = _state_names()
            if e.country_code and e.country_code in names:
                return names[e.country_code]
            return side_of(canonical, e.text) or canonical
        if e.actor_type == "armed_force":
            return side_of(canonical, e.text) or canonical
        return canonical

    def place_country(self, sent) -> str | None:
        """The one country the sentence's places lie in ("the regional governor said" after a
        strike on a Ukrainian city), else None."""
        names = _state_names()
        countries = set()
        for t in sent:
            e = self.ent_of(t)
            if e is None or e.role != "place":
                continue
            if e.actor_type == "state":
                countries.add(e.canonical)
            elif e.country_code and e.country_code in names:
                countries.add(names[e.country_code])
        return next(iter(countries)) if len(countries) == 1 else None
