"""Entity resolution: every ``doc.ents`` span -> an :class:`Entity` with a canonical name and a role.

Resolution order for one span:

1. the entity ruler's id (the gazetteer canonical name the ruler matched);
2. gazetteer alias lookup of the surface form (case-insensitive; leading "the", possessive "'s"
   and titles such as "Mr." stripped);
3. in-document resolution: a lone surname ("Blinken", "Mr. Blinken") takes the full name of a
   person found in the same document (nearest earlier mention, else the first later one), even
   when the gazetteer maps the surname to someone else; an acronym takes the entity it abbreviates
   in this document ("the Artsakh Defense Army (ADA)", or an earlier name whose initials match);
4. otherwise the normalised surface form (PERSON, ORG, GPE, LOC, FAC; generic or lower-case ORG
   phrases such as "defense ministry" stay unresolved), or None for the other labels.

Role: persons, organisations, armed groups and demonyms are ``'actor'``; pure places are
``'place'``; states, de facto authorities and capitals are decided from the dependency parse
(subject, possessor, agent, object of an agentive verb, compound modifier of an actor noun ->
actor; object of a locative preposition, dateline, compound of a place noun -> place).  A capital
acting as its government ("Baku said", "Moscow-brokered", "Washington's goal") resolves to the
state it ``governs`` (actor_type ``government``); as a place ("talks in Washington") it stays the
city.  Mentions the model missed are added when in-document resolution identifies them
(surnames of full names in the document, acronyms defined in it).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.lib.gazetteer import Gazetteer, GazetteerEntry, fold, normalize_key


@dataclass
class Entity:
    start_char: int
    end_char: int
    text: str
    label: str
    canonical_name: str | None
    actor_type: str | None
    country_code: str | None
    role: str | None            # 'actor' | 'place' | None
    resolved_by: str | None = None   # 'ruler' | 'alias' | 'person_in_doc' | 'acronym' | 'surface' | None

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- lexicons
_WORDS_PATH = Path(__file__).resolve().parent.parent / "data" / "entity_words.json"


@lru_cache(maxsize=1)
def _word_classes() -> dict[str, frozenset[str]]:
    raw = json.loads(_WORDS_PATH.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


def _words(category: str) -> frozenset[str]:
    """A closed word class of ``pipeline/data/entity_words.json``."""
    return _word_classes()[category]


TITLES = _words("titles")
NON_PERSON_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
NORMALISED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
GENERIC_ORG = _words("generic_org")
GOV_NOUNS = _words("gov_nouns")
ARMED_NOUNS = _words("armed_nouns")
# verbs whose (direct object / passive subject) is where something happens
PLACE_OBJ_VERBS = _words("place_obj_verbs")
# verbs whose active subject is (usually) a location
PLACE_SUBJ_VERBS_STRICT = _words("place_subj_verbs_strict")
ATTACK_NOUNS = _words("attack_nouns")
MOTION = _words("motion")
LEAVE_FOR = _words("leave_for")
ACTOR_PREPS = _words("actor_preps")
PLACE_PREPS = _words("place_preps")
ACTOR_HEAD_NOUNS = _words("actor_head_nouns")
PLACE_NOUNS = _words("place_nouns")
# places of care: casualties are counted there, never caused ("Medina Hospital received 73 bodies")
CARE_NOUNS = _words("care_nouns")


# --------------------------------------------------------------------------- helpers
def _strip_titles(tokens: list[Token]) -> list[Token]:
    out = list(tokens)
    while len(out) > 1 and out[0].lower_.rstrip(".") in TITLES:
        out = out[1:]
    while out and (out[-1].lower_ in ("'s", "’s", "'", "’") or out[-1].is_punct):
        out = out[:-1]
    while out and (out[0].lower_ == "the" or out[0].is_punct):
        out = out[1:]
    return out


def _clean_surface(text: str) -> str:
    t = text.replace("\u2019", "'").replace("\n", " ")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^(the|The|THE)\s+", "", t)
    t = re.sub(r"('s|')$", "", t).strip()
    t = t.strip(" ,;:-—–\"'()[]")
    return t


def _normalise_surface(text: str, label: str) -> str | None:
    t = _clean_surface(text)
    if not t:
        return None
    if label == "PERSON":
        words = t.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
            words = words[1:]
        t = " ".join(words)
    if t.isupper() and len(t) > 6 and " " in t:   # SHOUTED HEADLINE NAME -> Title Case
        t = t.title()
    if label == "ORG":
        if not any(c.isupper() for c in t):
            return None                            # "defense ministry": not a name
        if t.lower() in GENERIC_ORG:
            return None
    return t


def _last_token_key(tokens: list[Token]) -> str | None:
    toks = _strip_titles(tokens)
    if not toks:
        return None
    return fold(toks[-1].text).lower()


def _is_line_start(tok: Token) -> bool:
    if tok.i == 0:
        return True
    prev = tok.doc[tok.i - 1]
    return "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)


_DASHES = ("—", "–", "--", "-", ":")


def _capitals_colon(doc, start: int, j: int) -> bool:
    """A colon right after a line-opening name in capitals: "NEW DELHI: ..." (a dateline)."""
    return doc[j].text == ":" and all(doc[k].is_upper and doc[k].is_alpha for k in range(start, j))


def _in_dateline(tok: Token) -> bool:
    """Inside a dateline: a line opening with a place name in capitals (or followed by a dash),
    up to the dash within the first few words ("PORT SUDAN, Sudan (AP) —", "Kyiv — "), or up to
    a colon right after a name in capitals ("NEW DELHI: ...")."""
    doc = tok.doc
    start = tok.i
    while start > 0 and not _is_line_start(doc[start]) and tok.i - start < 10:
        start -= 1
    if not _is_line_start(doc[start]):
        return False
    end = None
    for j in range(start, min(len(doc), start + 12)):
        if doc[j].text in _DASHES and j > start and (doc[j - 1].whitespace_ or _capitals_colon(doc, start, j)):
            end = j
            break
        if "\n" in doc[j].whitespace_ or (doc[j].is_space and j > start):
            break
    if end is None or tok.i >= end:
        return False
    first = doc[start]
    return first.is_upper or end == start + 1 or (end <= start + 3 and tok.i == start)


def _initials(tokens: list[Token]) -> str:
    out = []
    for t in tokens:
        if t.is_punct or t.lower_ in _words("initials_skip_words"):
            continue
        if t.text[:1].isupper():
            out.append(t.text[0])
    return "".join(out)


def _abbreviates(acr: str, tokens: list[Token]) -> bool:
    """"ADA" abbreviates "Artsakh Defense Army"; "FARDC" abbreviates "Forces Armées de la
    République Démocratique du Congo" (letters in order, same first letter); "AP" does not
    abbreviate "Sudan" (a dateline "Sudan (AP)")."""
    letters = re.sub(r"[^A-Za-z]", "", acr).upper()
    words = [t for t in tokens if not t.is_punct]
    if not letters or not words:
        return False
    if _initials(words).upper() == letters:
        return True
    text = fold(" ".join(t.text for t in words)).upper()
    if not text or text[0] != letters[0]:
        return False
    pos = 0
    for ch in letters:
        pos = text.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return len(words) >= 2


_ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z0-9&\-]{1,9}$")


def _looks_acronym(text: str) -> bool:
    """"ADA", "RSF", "M23", "DoD": two or more capitals, no spaces, not a Title-case word."""
    return bool(_ACRONYM_RE.match(text)) and sum(c.isupper() for c in text) >= 2 and \
        not text.istitle()


# --------------------------------------------------------------------------- role decision
def _governor_lemma(tok: Token) -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def syntactic_role(tok: Token, depth: int = 0) -> str | None:
    """'actor', 'place' or None (undecided) for the root token of a name, from the parse."""
    if depth > 4:
        return None
    if _in_dateline(tok):
        return "place"                             # dateline: "YEREVAN —", "KYIV, Ukraine (AP) —"
    dep, head = tok.dep_, tok.head
    hl = _governor_lemma(head)
    if dep in ("nsubj", "csubj", "expl"):
        if hl in PLACE_SUBJ_VERBS_STRICT:
            return "place"
        if hl == "come" and any(c.dep_ == "prep" and c.lower_ == "under" for c in head.children):
            return "place"                         # "Kyiv came under fire"
        return "actor"
    if dep == "nsubjpass":
        return "place" if hl in PLACE_OBJ_VERBS else "actor"
    if dep == "agent":
        return "actor"
    if dep == "poss":
        return "place" if hl in PLACE_NOUNS else "actor"
    if dep == "dobj":
        return "place" if hl in PLACE_OBJ_VERBS else "actor"
    if dep == "pobj":
        prep = head.lower_
        gov = head.head
        gl = _governor_lemma(gov)
        if head.dep_ == "agent" or prep in ACTOR_PREPS:
            return "actor"
        if prep == "on" or prep == "upon":
            return "place" if gl in ATTACK_NOUNS or gl in PLACE_OBJ_VERBS else "actor"
        if prep == "to":
            return "place" if gl in MOTION else "actor"
        if prep == "from":
            return "place" if gl in MOTION or gl in PLACE_OBJ_VERBS else "actor"
        if prep == "for":
            return "place" if gl in LEAVE_FOR else "actor"
        if prep == "of":
            if gl in ATTACK_NOUNS or gl in _words("place_part_nouns"):
                return "place"
            if gl in ACTOR_HEAD_NOUNS:
                return "actor"
            if gl in PLACE_NOUNS:
                return "place"
            return None
        if prep in PLACE_PREPS:
            return "place"
        return None
    if dep in ("compound", "npadvmod", "amod", "nmod", "nn"):
        if hl in PLACE_NOUNS or hl in _words("place_compound_heads"):
            return "place"
        if head.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"):
            return "actor"
        return None
    if dep in ("appos", "conj") and head is not tok:
        return syntactic_role(head, depth + 1)
    return None


def _span_role(span: Span) -> str | None:
    return syntactic_role(span.root)


# --------------------------------------------------------------------------- main
@dataclass
class _Res:
    entry: GazetteerEntry | None
    canonical: str | None
    how: str | None


def _lookup_span(span: Span, gz: Gazetteer) -> GazetteerEntry | None:
    e = gz.lookup(span.text)
    if e is not None:
        return e
    toks = _strip_titles(list(span))
    if toks and (toks[0].i != span.start or toks[-1].i != span.end - 1):
        e = gz.lookup(span.doc[toks[0].i: toks[-1].i + 1].text)
    return e


def resolve_entities(doc: Doc, gazetteer: Gazetteer) -> list[Entity]:
    """Resolve every entity span of ``doc`` (see module docstring)."""
    gz = gazetteer
    ents = list(doc.ents)

    # ---- pass 1: direct resolution (ruler id, alias lookup)
    first: list[_Res] = []
    for span in ents:
        if span.label_ in NON_PERSON_LABELS:
            first.append(_Res(None, None, None))
            continue
        entry, how = None, None
        if span.ent_id_:
            entry = gz.get(span.ent_id_)
            how = "ruler" if entry is not None else None
        if entry is None:
            entry = _lookup_span(span, gz)
            how = "alias" if entry is not None else None
        first.append(_Res(entry, entry.canonical_name if entry else None, how))

    # ---- full names of people in the document: last word -> [(start_char, canonical, entry)]
    people: dict[str, list[tuple[int, str, GazetteerEntry | None]]] = {}
    for span, r in zip(ents, first):
        is_person = (r.entry is not None and r.entry.actor_type == "person") or (
            r.entry is None and span.label_ == "PERSON")
        if not is_person:
            continue
        toks = _strip_titles(list(span))
        if len(toks) < 2 or not all(t.text[:1].isupper() or t.is_punct or t.lower_ in
                                    ("al", "el", "bin", "ibn", "de", "van", "von", "der", "da",
                                     "al-", "ag", "abu", "of", "du", "la", "le")
                                    for t in toks):
            continue
        canon = r.canonical or _normalise_surface(doc[toks[0].i: toks[-1].i + 1].text, "PERSON")
        if canon:
            key = fold(toks[-1].text).lower()
            people.setdefault(key, []).append((span.start_char, canon, r.entry))

    def person_for(key: str | None, pos: int) -> tuple[str, GazetteerEntry | None] | None:
        if not key or key not in people:
            return None
        cands = people[key]
        before = [c for c in cands if c[0] < pos]
        c = max(before, key=lambda c: c[0]) if before else min(cands, key=lambda c: c[0])
        return c[1], c[2]

    # ---- acronyms defined in the document: "Artsakh Defense Army (ADA)"
    acronyms: dict[str, tuple[str, GazetteerEntry | None]] = {}
    ent_by_end = {span.end: (span, r) for span, r in zip(ents, first)}
    for tok in doc:
        if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
            continue
        acr = doc[tok.i + 1].text
        if not _looks_acronym(acr):
            continue
        hit = ent_by_end.get(tok.i)
        if hit is not None and _abbreviates(acr, list(hit[0])):
            span, r = hit
            canon = r.canonical or _normalise_surface(span.text, span.label_)
            if canon:
                acronyms[acr] = (canon, r.entry)
            continue
        # no entity before the parenthesis: take the capitalised words whose initials match
        j = tok.i - 1
        words: list[Token] = []
        while j >= 0 and len(words) < 12 and (doc[j].text[:1].isupper() or doc[j].lower_ in
                                              ("of", "the", "and", "for", "de", "al", "-")):
            words.insert(0, doc[j])
            j -= 1
        while words and words[0].lower_ in _words("leading_filler_words"):
            words = words[1:]
        for k in range(len(words)):
            if not words[k].text[:1].isupper():
                continue
            if _initials(words[k:]).upper() == re.sub(r"[^A-Za-z]", "", acr).upper():
                text = doc[words[k].i: words[-1].i + 1].text
                e = gz.lookup(text)
                acronyms[acr] = (e.canonical_name if e else _clean_surface(text), e)
                break

    def acronym_for(text: str, pos: int) -> tuple[str, GazetteerEntry | None] | None:
        t = _clean_surface(text)
        if t in acronyms:
            return acronyms[t]
        if not _looks_acronym(t):
            return None
        for span, r in zip(ents, first):           # an earlier name with these initials
            if span.start_char >= pos or span.label_ not in ("ORG", "GPE", "NORP", "FAC", "LOC"):
                continue
            toks = [x for x in span if not x.is_punct]
            if len(toks) >= 2 and _initials(toks).upper() == re.sub(r"[^A-Za-z]", "", t).upper():
                return (r.canonical or _normalise_surface(span.text, span.label_)), r.entry
        return None

    # ---- pass 2: in-document resolution and roles
    out: list[Entity] = []
    covered: set[int] = set()
    for span, r in zip(ents, first):
        covered.update(range(span.start, span.end))
        label = span.label_
        if label in NON_PERSON_LABELS:
            out.append(Entity(span.start_char, span.end_char, span.text, label, None, None, None,
                              None, None))
            continue
        entry, canon, how = r.entry, r.canonical, r.how
        toks = _strip_titles(list(span))
        single = len(toks) == 1
        # lone surname -> the full name used in this document (overrides a gazetteer surname)
        if single and (entry is None or entry.actor_type == "person"):
            hit = person_for(_last_token_key(list(span)), span.start_char)
            if hit is not None and hit[0] != canon:
                canon, entry, how, label = hit[0], hit[1], "person_in_doc", "PERSON"
        if entry is None and canon is None:
            hit = acronym_for(span.text, span.start_char)
            if hit is not None and hit[0]:
                canon, entry, how = hit[0], hit[1], "acronym"
        out.append(_make_entity(span, label, entry, canon, how, gz))

    # ---- mentions the model missed: surnames of people in the doc, acronyms defined in the doc
    for tok in doc:
        if tok.i in covered or tok.is_space or tok.is_punct:
            continue
        key = fold(tok.text).lower()
        if key in people and tok.pos_ == "PROPN" and tok.text[:1].isupper():
            hit = person_for(key, tok.idx)
            if hit is not None:
                e = hit[1]
                out.append(Entity(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON", hit[0],
                                  "person", e.country_code if e else None, "actor", "person_in_doc"))
                continue
        if tok.text in acronyms and not (tok.i > 0 and doc[tok.i - 1].text == "(" and
                                         tok.i + 1 < len(doc) and doc[tok.i + 1].text == ")"):
            canon, e = acronyms[tok.text]
            out.append(Entity(tok.idx, tok.idx + len(tok.text), tok.text,
                              e.label if e else "ORG", canon, e.actor_type if e else None,
                              e.country_code if e else None, _static_role(e) or "actor", "acronym"))
    out.sort(key=lambda e: (e.start_char, e.end_char))
    return out


def _static_role(entry: GazetteerEntry | None) -> str | None:
    if entry is None:
        return None
    if entry.actor_type == "place":
        return "place" if not entry.governs else None
    if entry.actor_type in ("person", "organisation", "armed_force"):
        return "actor"
    if entry.actor_type == "government" and not entry.is_place:
        return "actor"
    return None                                     # state / de facto / seat with coordinates


def _make_entity(span: Span, label: str, entry: GazetteerEntry | None, canon: str | None,
                 how: str | None, gz: Gazetteer) -> Entity:
    text = span.text
    if entry is None:
        if canon is None and label in NORMALISED_LABELS:
            canon = _normalise_surface(text, label)
            how = "surface" if canon else None
        role: str | None
        actor_type = country = None
        if label in ("PERSON", "ORG", "NORP"):
            role = "actor" if canon or label == "NORP" else None
            if label == "PERSON" and canon:
                actor_type = "person"
        elif label == "GPE":
            role = _span_role(span) or "place"
        elif label in ("LOC", "FAC"):
            role = "place"
        else:
            role = None
        if label == "ORG" and canon:
            actor_type, country = _org_owner(span, gz)
        return Entity(span.start_char, span.end_char, text, label, canon, actor_type, country, role,
                      how)

    # resolved to a gazetteer entry
    if gz.is_demonym(text, entry) or (label == "NORP" and entry.actor_type in (
            "state", "de_facto_authority")):
        return Entity(span.start_char, span.end_char, text, "NORP", entry.canonical_name,
                      entry.actor_type, entry.country_code, "actor", how)
    out_label = entry.label if how != "person_in_doc" else "PERSON"
    role = _static_role(entry)
    if entry.governs:                               # capital / seat: metonymy
        role = _span_role(span) or "place"
        gov = gz.governed(entry)
        if role == "actor" and gov is not None:
            return Entity(span.start_char, span.end_char, text, out_label, gov.canonical_name,
                          "government", gov.country_code, "actor", (how or "alias") + "+metonymy")
        return Entity(span.start_char, span.end_char, text, out_label, entry.canonical_name,
                      "place", entry.country_code, "place", how)
    if role is None:                                # state / de facto authority / seat
        role = _span_role(span) or "actor"
    return Entity(span.start_char, span.end_char, text, out_label, canon or entry.canonical_name,
                  entry.actor_type, entry.country_code, role, how)


def _org_owner(span: Span, gz: Gazetteer) -> tuple[str | None, str | None]:
    """actor_type/country of an unresolved ORG from a leading state name or demonym
    ("Sudan's foreign ministry", "the Malian army")."""
    toks = [t for t in span if t.lower_ != "the"]
    if not toks:
        return None, None
    country = None
    for n in (3, 2, 1):
        if len(toks) > n:
            e = gz.lookup(span.doc[toks[0].i: toks[n - 1].i + 1].text)
            if e is not None and e.actor_type in ("state", "de_facto_authority"):
                country = e.country_code
                break
    words = {t.lemma_.lower() for t in toks} | {t.lower_ for t in toks}
    if words & ARMED_NOUNS and not words & _words("ministry_nouns"):
        return "armed_force", country
    if words & GOV_NOUNS:
        return ("government" if country else None), country
    return None, country


# --------------------------------------------------------------------------- tables
def actors_table(gazetteer: Gazetteer) -> list[dict]:
    """Rows for ``actors(canonical_name, actor_type, country_code, aliases)``: every entry that
    can act (all but pure places; capitals appear in places)."""
    rows = []
    for e in gazetteer.entries:
        if e.actor_type == "place":
            continue
        aliases = [a for a in dict.fromkeys([*e.aliases, *e.demonyms, *e.lookup_only])
                   if a != e.canonical_name]
        rows.append({"canonical_name": e.canonical_name, "actor_type": e.actor_type,
                     "country_code": e.country_code, "aliases": aliases})
    return rows


def places_table(gazetteer: Gazetteer) -> list[dict]:
    """Rows for ``places(canonical_name, country_code, lat, lon)``: every entry with coordinates
    (places, capitals, states' centroids, de facto territories)."""
    return [{"canonical_name": e.canonical_name, "country_code": e.country_code, "lat": e.lat,
             "lon": e.lon} for e in gazetteer.entries if e.is_place]


__all__ = ["Entity", "resolve_entities", "actors_table", "places_table", "syntactic_role",
           "normalize_key"]
