"""Pass 3, actors: who acted on whom, and whose the victims are by the casualty words.

Reads ``events[*].trigger`` and ``casualties``; writes ``named_actors`` (the actors the clause
names), ``actor1``/``actor2`` (with the perpetrator named elsewhere in the sentence for a violent
event without a subject), ``other_clause_actors`` (actor1 of the sentence's other violent
clauses, a later fallback) and ``victims`` (per casualty mention: the side named in the victims'
words, or 'its/their/our': the speaker's own side, which the claims pass settles).
"""
from __future__ import annotations

from pipeline.lib.events.context import DocEntities, _gazetteer, care_place, gazetteer_entry, side_of
from pipeline.lib.events.lexicon import Lexicon, words
from pipeline.lib.events.plover import clause_typer, sentence_triggers
from pipeline.lib.events.record import VIOLENT, DocContext, EventRecord, SentenceRecord, Trigger, VictimClue
from pipeline.lib.events.syntax import (_agent, _conjuncts, _is_verbal, _lem, _passive_subject, _prep_objs,
                                        _span_tokens, _subject)

_ARMED_TYPES = ("government", "armed_force")


def _weapon_owner(ents: DocEntities, tok):
    """'Russian missiles', 'firing from Karabakhi Armenian positions' -> nationality of the modifier."""
    for t in tok.subtree:
        e = ents.ent_of(t)
        if e is not None and e.role != "place":
            return e.canonical
    return None


def _subject_names(ents: DocEntities, subj, possessor_side: bool = False) -> list[str]:
    """Actors named by a subject and its conjuncts; a pronoun: its antecedent."""
    if subj.lower_ in words("pronouns"):
        names = [ents.antecedent(subj)]
    else:
        names = [ents.actor_in(x) or _weapon_owner(ents, x) for x in _conjuncts(subj)]
        if possessor_side and not any(names):
            poss = next((c for c in subj.children if c.dep_ == "poss" and c.lower_ in words("pronouns")), None)
            if poss is not None:
                names = [ents.side_name(x) if x else x for x in [ents.antecedent(poss)]]
    return [n for n in names if n]


def _noun_actors(tr: Trigger, ents: DocEntities) -> tuple[str | None, str | None]:
    """Noun trigger: possessor / nationality modifier / 'by X' / 'between A and B' / subject."""
    tok, head = tr.token, tr.head
    a1 = a2 = None
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
            a1 = ents.actor_in(c) or a1
    ag = _agent(tok)
    if ag is not None and a1 is None:
        a1 = ents.actor_in(ag)
    for po in _prep_objs(tok, ["between"]):
        sides = [s for s in (ents.actor_in(x) for x in _conjuncts(po)) if s]
        if sides:
            a1 = a1 or sides[0]
            if len(sides) > 1:
                a2 = sides[1]
    for po in _prep_objs(tok, ["with", "against", "on", "of"]):
        x = ents.actor_in(po) if a2 is None else None
        if x and x != a1:
            a2 = x
    if a1 is None and _is_verbal(head) and tok.dep_ not in ("nsubj", "nsubjpass"):
        subj = _subject(head)
        names = _subject_names(ents, subj) if subj is not None else []
        if names:
            a1 = names[0]
            if len(names) > 1 and a2 is None:
                a2 = names[1]
    return a1, a2


def _first_other(ents: DocEntities, toks, a1):
    for o in toks:
        x = ents.actor_in(o)
        if x and x != a1:
            return x
    return None


def _verb_target(tr: Trigger, v, ents: DocEntities, a1):
    """The object / 'with X' / 'against X' of an active verb, else the complement's subject or object."""
    a2 = _first_other(ents, [c for c in v.children if c.dep_ in ("dobj", "dative")], a1)
    if a2 is None:
        a2 = _first_other(ents, _prep_objs(v, words("target_preps")), a1)
    if a2 is None and tr.comp is not None:
        cs = _subject(tr.comp) if _is_verbal(tr.comp) else None
        a2 = _first_other(ents, ([cs] if cs is not None else []) +
                          [c for c in tr.comp.children if c.dep_ in ("dobj",)], a1)
    return a2


def _verb_actors(tr: Trigger, ents: DocEntities) -> tuple[str | None, str | None]:
    tok, head = tr.token, tr.head
    a1 = a2 = None
    v = tok if _is_verbal(tok) or tok.pos_ == "ADJ" else head
    if tr.event_type in ("THREATEN", "AGREE", "DEMAND", "DISAPPROVE", "REJECT") and tok is not head:
        v = head
    ag = _agent(v)
    if ag is not None:
        a1 = ents.actor_in(ag) or _weapon_owner(ents, ag)
        ps = _passive_subject(v)
        if ps is not None:
            a2 = ents.actor_in(ps)
    else:
        subj = _subject(v)
        if subj is None and v.dep_ in ("xcomp",):
            subj = _subject(v.head)
        names = _subject_names(ents, subj, possessor_side=True) if subj is not None else []
        if names:
            a1 = names[0]
            if len(names) > 1:
                a2 = names[1]
        if a2 is None:
            a2 = _verb_target(tr, v, ents, a1)
    # noun object of a light verb: "carried out strikes", "held talks with X"
    if tok is not head and tok.pos_ in ("NOUN", "PROPN"):
        for po in _prep_objs(tok, ["with", "against", "on", "between"]):
            x = ents.actor_in(po)
            if x and x != a1 and a2 is None:
                a2 = x
    return a1, a2


def _reporter_person(tr: Trigger, ents: DocEntities, lex: Lexicon):
    """The person subject of a reporting verb within the next two sentences."""
    doc, sent = tr.token.doc, tr.token.sent
    n_sents = 0
    for t in doc[sent.end:min(len(doc), sent.end + 120)]:
        if t.is_sent_start:
            n_sents += 1
            if n_sents > 2:
                break
        if _lem(t) in lex.reporting_verbs and _is_verbal(t):
            for x in (x for c in t.children if c.dep_ == "nsubj" for x in c.subtree):
                e = ents.ent_of(x)
                if e is not None and e.actor_type == "person":
                    return e.canonical
    return None


def _title_holder(tr: Trigger, ents: DocEntities, lex: Lexicon):
    """'Azerbaijan's defense minister talked tough ...' followed by '..., Zakir Hasanov told CBC':
    a title without a name is the person quoted next (within two sentences)."""
    head = tr.head if _is_verbal(tr.head) else None
    subj = _subject(head) if head is not None else None
    if subj is None or _lem(subj) not in lex.title_nouns or subj.tag_ in ("NNS", "NNPS"):
        return None
    if not any(ents.ent_of(c) is not None for c in subj.children if c.dep_ in ("poss", "compound", "amod", "nmod")):
        return None
    for t in subj.subtree:
        e = ents.ent_of(t)
        if e is not None and e.actor_type == "person":
            return e.canonical
    return _reporter_person(tr, ents, lex)


def clause_actors(tr: Trigger, ents: DocEntities, lex: Lexicon) -> tuple[str | None, str | None]:
    """(actor1, actor2) the trigger's clause names."""
    if tr.token.pos_ in ("NOUN", "PROPN") and tr.token is not tr.head:
        a1, a2 = _noun_actors(tr, ents)
    else:
        a1, a2 = _verb_actors(tr, ents)
    a1 = _title_holder(tr, ents, lex) or a1
    if a1 is not None and a1 == a2:
        a2 = None
    return a1, a2


def _subject_of_other_attack(tr: Trigger, sent, ents: DocEntities, victim_toks: set[int]):
    for other in sentence_triggers(sent):
        if other is not tr and other.event_type in VIOLENT:
            v = other.head if _is_verbal(other.head) else other.token
            subj = _subject(v)
            if subj is not None and subj.i not in victim_toks:
                x = ents.actor_in(subj)
                if x:
                    return x
    return None


def _attack_owner(t, ents: DocEntities, skip: set[int]):
    """'Azerbaijani attack', "Azerbaijan's attack", 'attack by X', 'firing from X positions';
    not a conflict's name ('the Nagorno-Karabakh conflict')."""
    own = [c for c in t.children if c.dep_ in ("amod", "poss", "compound", "nmod")]
    for p in t.children:
        if p.dep_ in ("prep", "agent") and p.lower_ in ("by", "from"):
            own.extend(p.subtree)
    for c in own:
        e = ents.ent_of(c) if c.i not in skip else None
        if e is None or e.role == "place":
            continue
        via_by = c.dep_ not in ("amod", "poss", "compound", "nmod") or c.head.i != t.i
        if e.label == "NORP" or c.dep_ == "poss" or via_by:
            return side_of(e.canonical, e.text) if e.actor_type in _ARMED_TYPES else e.canonical
    return None


def perpetrator_fallback(tr: Trigger, sent, cas, ents: DocEntities, lex: Lexicon):
    """'killed after Azerbaijan carried out strikes', 'in a major Azerbaijani attack', 'by firing
    from Karabakhi positions': the side named with the attack, outside the victims' words."""
    victim_toks = {t.i for m in cas for t in _span_tokens(sent.doc, m.start_char, m.end_char)}
    rep = tr.reporter
    speaker_toks = ({t.i for c in rep.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
                    if rep is not None else set())
    x = _subject_of_other_attack(tr, sent, ents, victim_toks)
    if x:
        return x
    weapons = set().union(*lex.weapons.values())
    typer = clause_typer()
    for t in sent:
        if t.i in victim_toks or t.i in speaker_toks:
            continue
        nt = typer.noun_type(t)[0] if t.pos_ == "NOUN" else None
        if nt in VIOLENT or _lem(t) in weapons or t.lower_ in weapons:
            owner = _attack_owner(t, ents, victim_toks | speaker_toks)
            if owner:
                return owner
    return None


def _names_the_attacker(t) -> bool:
    """The name modifies a noun of violence ("the toll of the Russian missile strike", "a Houthi
    drone attack"): it says whose the attack was, not whose the dead were."""
    head = t
    while head.dep_ in ("compound", "amod", "nmod", "poss") and head.head.i != head.i:
        head = head.head
        if head.pos_ in ("NOUN", "PROPN") and clause_typer().noun_type(head)[0] in VIOLENT:
            return True
    return False


def victim_clues(cas, ents: DocEntities) -> list[VictimClue]:
    """Per casualty mention: the side its words name ('Russian soldiers', 'its servicemen')."""
    out = []
    own = words("possessive_pronouns_own")
    for m in cas:
        clue = VictimClue()
        for t in _span_tokens(ents.doc, m.start_char, m.end_char):
            e = ents.ent_of(t)
            if e is not None and e.role != "place" and not _names_the_attacker(t):
                clue.named = side_of(e.canonical, e.text) if e.actor_type in _ARMED_TYPES else e.canonical
                break
            if t.lower_ in own and t.dep_ == "poss":
                clue.speakers_own = True
                break
        hint = m.victim_side_hint
        if hint:
            clue.hint_named = next((e.canonical for e in ents.ents if e.text.lower() == str(hint).lower()
                                    or e.canonical.lower() == str(hint).lower()), None)
            clue.hint_own = hint.lower() in own
        out.append(clue)
    return out


def _other_clause_actors(ev: EventRecord, rec: SentenceRecord, ctx: DocContext) -> list[str | None]:
    return [clause_actors(o, ctx.entities, ctx.lex)[0] for o in rec.triggers
            if o is not ev.trigger and o.event_type in VIOLENT]


def unknown_person(name: str | None, ents: DocEntities) -> bool:
    """A name the NER tagged as a person that the gazetteer does not know (a witness, a
    spokesman, a doctor): no side of a fight."""
    e = ents.by_name.get(name) if name else None
    if e is None or e.actor_type != "person":
        return False
    return _gazetteer() is not None and gazetteer_entry(name) is None


def _care_actor(name: str | None, doc, ents: DocEntities) -> bool:
    """A hospital, clinic or morgue named in an actor slot ("Medina Hospital confirmed it had
    received 73 bodies") reports the casualties: no side of a violent event."""
    e = ents.by_name.get(name) if name else None
    return e is not None and care_place(e, doc)


def actors_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    """Rules: the clause's named actors; a violent event's unknown person (a witness or a
    spokesman the parse put in an actor slot) or place of care (a hospital) is no actor; a violent event without an actor1
    takes the perpetrator named elsewhere in the sentence, else the other violent clauses'."""
    for ev in rec.events:
        a1, a2 = clause_actors(ev.trigger, ctx.entities, ctx.lex)
        if ev.event_type in VIOLENT:
            a1, a2 = (None if unknown_person(a, ctx.entities) or _care_actor(a, rec.sent.doc, ctx.entities)
                      else a for a in (a1, a2))
        ev.named_actors = (a1, a2)
        ev.actor1, ev.actor2 = ev.named_actors
        if ev.event_type in VIOLENT and ev.actor1 is None:
            ev.actor1 = perpetrator_fallback(ev.trigger, rec.sent, ev.casualties, ctx.entities, ctx.lex)
        if ev.event_type in VIOLENT and ev.actor1 is None:
            ev.other_clause_actors = _other_clause_actors(ev, rec, ctx)
        ev.victims = victim_clues(ev.casualties, ctx.entities) if ev.casualties else None
