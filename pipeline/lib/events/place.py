"""Pass 4, place: where the event happened.

Reads ``events[*].trigger`` and ``named_actors``; writes ``location`` (the place entity
most closely attached to the trigger by a locative preposition, preferring places that are not
the clause's own actors).  After the rows: an anaphoric event noun with a place of its own
("Held in Tbilisi, the talks ...") gives that place to the earlier row it refers to.
(The date pass may still give an undated "the attack" sentence the last violent place.)
"""
from __future__ import annotations

from pipeline.lib.events.context import DocEntities, care_place
from pipeline.lib.events.lexicon import Lexicon, words
from pipeline.lib.events.plover import clause_typer
from pipeline.lib.events.record import VIOLENT, DocContext, SentenceRecord, Trigger
from pipeline.lib.events.syntax import _has_det, _is_verbal, _lem


def _climb(t, anchors: set[int], lex: Lexicon) -> tuple[int, bool, bool] | None:
    """Walk from a place token up the tree: (score, locative, anchored), None when the place
    belongs to something else ("amid the Lachin dispute", another event noun)."""
    score, h, steps, locative = 10, t, 0, False
    typer = clause_typer()
    while h.head.i != h.i and steps < 8:
        if h.dep_ == "pobj" and h.head.lower_ in words("locative_preps"):
            score -= 3
            locative = True
        elif h.dep_ == "pobj" and h.head.lower_ == "of" and _lem(h.head.head) in lex.place_nouns:
            pass    # "the city of Kharkiv": keep climbing to "in the city"
        elif h.dep_ == "pobj" and not locative:
            return score, locative, False   # "amid the Lachin dispute", "since the war"
        elif h.dep_ == "pobj" and h.head.lower_ in words("circumstance_preps"):
            # the place of a circumstance, not of the act: "amid a ceremony of the government
            # in the capital, gunmen struck in the hills"
            return score, False, False
        if h.head.i in anchors:
            return score - 4, locative, True
        if h.head.pos_ == "NOUN" and typer.noun_type(h.head)[0] and h.head.i not in anchors:
            return score, locative, False   # a place of another event noun
        h = h.head
        steps += 1
    return score, locative, False


_FUNCTION_ENDINGS = frozenset({"of", "the", "and", "in", "at", "de", "for"})


def _cut_name(name: str) -> bool:
    """A place name the tagger cut short ("Our Lady of", "South-West of"): it ends in a
    function word, so it names no place."""
    words = name.split()
    return bool(words) and words[-1].lower() in _FUNCTION_ENDINGS


_ORIGIN_PARTICIPLES = frozenset({"based", "backed", "led", "born", "made", "owned", "funded", "run",
                                 "registered", "headquartered", "allied", "aligned", "trained"})


def _origin_modifier(ent, doc) -> bool:
    """The place only qualifies a name ("the Britain-based observatory", "US-backed forces"):
    it is followed by a hyphen and a participle of origin or support, so it is not where the
    event happened."""
    span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
    if span is None or span.end + 1 >= len(doc):
        return False
    return doc[span.end].text == "-" and doc[span.end + 1].lower_ in _ORIGIN_PARTICIPLES


def location(tr: Trigger, sent, used: set[str], ents: DocEntities, lex: Lexicon) -> str | None:
    cands = []
    anchors = {tr.token.i, tr.head.i}
    for t in sent:
        e = ents.ent_of(t)
        if (e is None or e.role != "place" or care_place(e, sent.doc) or _cut_name(e.canonical)
                or _origin_modifier(e, sent.doc)):
            continue
        if t.i > 0 and ents.ent_of(t.doc[t.i - 1]) is e and t.doc[t.i - 1].i >= sent.start:
            continue  # score an entity once (first token)
        score, locative, anchored = _climb(t, anchors, lex)
        if not (anchored or (locative and t.sent.root.i in anchors)) and not locative:
            continue
        if t.dep_ in ("nsubj", "poss") or any(a.dep_ in ("poss",) for a in t.ancestors
                                              if a.i in range(sent.start, sent.end)):
            score += 3
        if e.canonical in used:
            score += 2
        cands.append((score, e))
    if not cands:
        return None
    cands.sort(key=lambda x: (x[0], x[1].start))
    return cands[0][1].canonical


def place_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    for ev in rec.events:
        used = {a for a in ev.named_actors if a}
        ev.location = location(ev.trigger, rec.sent, used, ctx.entities, ctx.lex)


def _anaphor_place(noun, sent, ents: DocEntities) -> str | None:
    """A place said of the anaphoric event noun itself: 'Held in Tbilisi, the talks ...',
    'the talks in Geneva' -- not 'the clashes come as talks began in Washington'."""
    for t in sent:
        e = ents.ent_of(t)
        if e is None or e.role != "place":
            continue
        t2 = t
        while t2.dep_ in ("appos", "compound", "nmod", "amod", "flat") and t2.head.i != t2.i:
            t2 = t2.head
        if t2.dep_ != "pobj" or t2.head.lower_ not in ("in", "at", "near", "on"):
            continue
        x = t2.head.head
        if x.i == noun.i:
            return e.canonical
        if _is_verbal(x):
            subj = next((c for c in x.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and x.dep_ in ("advcl", "acl") and x.tag_ == "VBN":
                subj = noun if x.head.i == noun.i else next(
                    (c for c in x.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.i == noun.i:
                return e.canonical
    return None


def _enrich_antecedent(tr: Trigger, sent, ctx: DocContext) -> None:
    loc = _anaphor_place(tr.token, sent, ctx.entities)
    for rows in reversed(ctx.prev_rows[-3:]):
        for r in rows:
            if r["event_type"] == tr.event_type or (r["event_type"] in VIOLENT and tr.event_type in VIOLENT):
                if r["location"] is None and loc:
                    r["location"] = loc
                return


def enrich_earlier_places(rec: SentenceRecord, ctx: DocContext) -> None:
    """Anaphoric event nouns ("the talks", "the clashes") give their place to the earlier row."""
    done = set()
    for tr in rec.triggers:
        if tr.anaphoric:
            _enrich_antecedent(tr, rec.sent, ctx)
            done.add(tr.token.i)
    typer = clause_typer()
    for t in rec.sent:
        if t.i in done or t.pos_ != "NOUN" or not _has_det(t, ctx.lex.anaphoric_determiners):
            continue
        et, key, tok = typer.noun_type(t)
        if et and tok is t and t.dep_ in ("nsubj", "nsubjpass"):
            _enrich_antecedent(Trigger(t, t.head, et, key), rec.sent, ctx)
