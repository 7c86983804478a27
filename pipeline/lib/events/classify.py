"""Pass 2, typing: which triggers are the sentence's events, their PLOVER type and ACLED type.

Reads ``triggers``, ``denials``, ``denial_scope``, ``casualties``; writes ``events`` (one
``EventRecord`` each, in row order) with ``event_type``, ``event_mode``, ``acled_type``,
``multiplicity`` and ``casualties`` (the sentence's mentions, for violent events only).

Rules, in order:
* no event from denied content, if/unless clauses, opinions ("analysts believe"), "is
  recognised as" (SUPPORT without an agent) or anaphoric nouns (they enrich the earlier event);
* one violent event per sentence; other types once per type;
* an allegation of conflict with no casualty and another party as subject is an accusation
  (DISAPPROVE, mode 'accuse');
* "two claims of ceasefire violations" gives two events (2..20);
* "X said four soldiers were killed": the casualty report is the violent event, first when it is
  the main clause; with casualties, violent events of the main clause come first;
* force against protesters is repression (COERCE), but when it kills or wounds ("police killed
  eight protesters") the casualty report is an ASSAULT carrying the figures, beside the COERCE
  event: the dead of a crackdown reach the day's count and merge with other outlets' reports of
  the same killings (one type family).
"""
from __future__ import annotations

from pipeline.lib import casualties as cas_mod
from pipeline.lib.events.lexicon import words
from pipeline.lib.events.plover import clause_typer, weapon_classes
from pipeline.lib.events.record import (ACLED_BATTLES, ACLED_PROTESTS, ACLED_REMOTE, ACLED_RIOTS,
                                        ACLED_STRATEGIC, ACLED_VAC, CASUALTY_KEY, VIOLENT,
                                        DocContext, EventRecord, SentenceRecord, Trigger)
from pipeline.lib.events.syntax import _agent, _is_headline, _is_verbal, _lem, _passive_subject, _span_tokens, _subject


def _under_cognition(tr: Trigger, lex) -> bool:
    """'Many fear X will be ...', 'analysts believe ...': opinions are not events."""
    return any(_lem(a) in lex.cognition_verbs and _is_verbal(a) and a.i != tr.token.i
               for a in tr.token.ancestors)


def _hypothetical(tr: Trigger, lex) -> bool:
    """Triggers inside an if/unless clause are hypothetical (PLOVER context), not events."""
    for a in [tr.token] + list(tr.token.ancestors):
        if a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in lex.hypothetical_marks for c in a.children):
            return True
        if a.i == tr.token.sent.root.i:
            break
    return False


def _excluded(tr: Trigger, rec: SentenceRecord, lex) -> bool:
    denial_verbs = {d.verb.i for d in rec.denials}
    if tr.token.i in rec.denial_scope and tr.token.i not in denial_verbs:
        return True   # the denied content is not an event
    if _hypothetical(tr, lex) or _under_cognition(tr, lex):
        return True
    if tr.event_type == "SUPPORT" and _passive_subject(tr.head) is not None and _agent(tr.head) is None:
        return True   # "is internationally recognized as": a state, not an act
    return tr.anaphoric


def _accusation(tr: Trigger, rec: SentenceRecord, ctx: DocContext) -> bool:
    """An alleged act of conflict by another party, with no casualty: an accusation."""
    et = tr.event_type
    if not (tr.allegation and et in ctx.lex.conflict and et not in ("DISAPPROVE", "REJECT", "DEMAND", "THREATEN")
            and not rec.casualties and tr.reporter is not None):
        return False
    speaker = _subject(tr.reporter)
    csub = _subject(tr.head) if _is_verbal(tr.head) else None
    ents = ctx.entities
    if csub is None or speaker is None or (csub.lower_ not in words("speaker_pronouns")
                                           and ents.actor_in(csub) != ents.actor_in(speaker)):
        return _lem(tr.token) not in words("concrete_violence_verbs")
    return False


def multiplicity(tr: Trigger, lex) -> int:
    """'two claims ... of ceasefire violations' -> 2 events; capped for safety.  Sets
    ``tr.claim_noun`` ("claims by X of ..." names the claimant)."""
    tok = tr.token
    cands = [tok]
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        for anc in list(tok.head.ancestors)[:4]:
            if _lem(anc) in lex.claim_nouns and anc.pos_ == "NOUN":
                cands.append(anc)
                tr.claim_noun = anc
                break
    for c in cands:
        if c.pos_ not in ("NOUN",) or c.tag_ not in ("NNS",):
            continue
        for n in c.children:
            if n.dep_ == "nummod" and n.like_num:
                q = cas_mod.parse_quantity(n.text)
                val = q.best if q is not None else None
                if val and 1 < val <= 20:
                    return val
    return 1


def _chosen(rec: SentenceRecord, ctx: DocContext) -> tuple[list[tuple[Trigger, int]], bool]:
    events: list[tuple[Trigger, int]] = []
    violent_done = False
    kinds_seen: set[str] = set()
    for tr in rec.triggers:
        if _excluded(tr, rec, ctx.lex):
            continue
        et = tr.event_type
        if et in VIOLENT:
            if violent_done:
                continue
            violent_done = True
        if _accusation(tr, rec, ctx):
            tr.base_type, tr.event_type, tr.mode = et, "DISAPPROVE", "accuse"
            et = "DISAPPROVE"
        if et in kinds_seen and et not in VIOLENT:
            continue
        kinds_seen.add(et)
        n = multiplicity(tr, ctx.lex)
        if n > 1 and et in VIOLENT and any(m.kind in ("killed", "wounded") for m in rec.casualties):
            n = 1   # "two attacks killed five": one row keeps the toll rather than losing it
        events.append((tr, n))
    return events, violent_done


def _victims_described_in_another_act(cue, mention, sent, rec: SentenceRecord, typer) -> bool:
    """The killing is a clause describing the victims ("relatives of the 35 villagers killed by
    gunmen gathered on Saturday", "attended the funeral of the journalist who was shot dead"),
    inside a sentence whose main verb is another act: not violence, not a report of it, not
    'there were' and not an anniversary's tribute (the date pass reads the tribute's day).  The
    killing is then that clause, not the main verb (whose day is the gathering's).  A clause on
    anything but the victims ("explosions that killed 38", "the quake, which killed 1,700
    people") is not this."""
    root = sent.root
    if not (_is_verbal(cue) and cue.dep_ in ("acl", "relcl") and _is_verbal(root) and root.i != cue.i):
        return False
    if cue.head.lower_ not in (mention.victim_text or "").lower().split() or root.lemma_.lower() == "be":
        return False
    if any(rx.search(sent.text) for rx in cas_mod.load_lexicon().regexes["remembrance_patterns"]):
        return False
    if typer.is_reporting(root) or any(t.head.i == root.i and t.event_type in VIOLENT for t in rec.triggers):
        return False
    return not _is_headline(sent)


def _casualty_trigger(rec: SentenceRecord, ctx: DocContext) -> tuple[Trigger, bool]:
    """The casualty report as the violent event ("X said four soldiers were killed"), and
    whether it is the main clause."""
    sent, typer = rec.sent, clause_typer()
    lethal = [m for m in rec.casualties if m.kind in ("killed", "wounded")] or rec.casualties
    span = ctx.doc.char_span(lethal[0].start_char, lethal[0].end_char, alignment_mode="expand")
    tok = span.root if span is not None else sent.root
    cue = next((t for t in span if t.text == lethal[0].trigger), None) if span is not None else None
    described = cue is not None and _victims_described_in_another_act(cue, lethal[0], sent, rec, typer)
    if described:
        tok = cue
    head = tok
    while not _is_verbal(head) and head.head.i != head.i:
        head = head.head
    verbal = _is_verbal(head)
    et = typer.violence_type("ASSAULT", "kill", head if verbal else sent.root, head)
    rep = next((a for a in [head] + list(head.ancestors) if typer.is_reporting(a) and a.i != head.i), None)
    tr = Trigger(head if verbal else tok, head, et, CASUALTY_KEY, reporter=rep,
                 allegation=rep is not None and _lem(rep) in ctx.lex.allegation_verbs, described=described)
    main = head.i == sent.root.i or (head.dep_ in ("ccomp", "conj", "parataxis") and head.head.i == sent.root.i)
    return tr, main


def _rank(sent, tr: Trigger) -> int:
    """Violent events of the main clause first when the sentence carries casualties."""
    if tr.event_type not in VIOLENT:
        return 1
    h = tr.head
    return 0 if (h.i == sent.root.i or h.head.i == sent.root.i or tr.key == CASUALTY_KEY) else 2


def acled_type(tr: Trigger, sent, cas, doc, lex) -> str | None:
    """ACLED event type: battles for territory taken; remote violence for heavy weapons or
    explosives; violence against civilians for one-sided violence on civilians; battles for armed
    clashes."""
    et = tr.event_type
    if et in VIOLENT and tr.key in words("territory_capture_keys") and clause_typer().takes_territory(tr.head):
        return ACLED_BATTLES    # territory taken ("seized the town"): ACLED codes it a battle
    if et in VIOLENT:
        wc = weapon_classes(sent, lex)
        if "heavy" in wc or "explosive" in wc:
            return ACLED_REMOTE
        victims = {_lem(t) for m in cas for t in _span_tokens(doc, m.start_char, m.end_char)}
        victims |= {_lem(t) for t in sent if t.dep_ in ("dobj", "nsubjpass") and t.head.i == tr.head.i}
        civil = bool(victims & lex.civilian_nouns) and not (victims & lex.military_nouns)
        if et == "ASSAULT" and civil:
            return ACLED_VAC
        if et == "FIGHT" or "battle" in wc or "firearm" in wc or victims & lex.military_nouns:
            return ACLED_BATTLES
        return ACLED_VAC if civil else None
    if et == "PROTEST":
        return ACLED_RIOTS if _lem(tr.token) in words("riot_words") else ACLED_PROTESTS
    if et in ("COERCE", "MOBILIZE", "AGREE", "RETREAT", "SANCTION"):
        return ACLED_STRATEGIC
    return None


def _own_casualties(rec: SentenceRecord) -> tuple[list, bool]:
    """The mentions a violent event of the sentence carries, and whether its toll is only
    another incident's told at a distance with no day: the mentions of another incident ("a week
    after an ambush killed eight") are left out when the sentence has a toll of its own; when it
    has none, they are the event's, flagged displaced when none names its day (its scope is then
    historical; one that names its day is dated there by the date pass)."""
    if not rec.displaced:
        return rec.casualties, False
    own = [m for m in rec.casualties if (m.start_char, m.end_char) not in rec.displaced]
    if any(m.kind in ("killed", "wounded") for m in own):
        return own, False
    lethal = [m for m in rec.casualties if m.kind in ("killed", "wounded")]
    return rec.casualties, bool(lethal) and not any(rec.displaced.get((m.start_char, m.end_char)) for m in lethal)


def _record(tr: Trigger, n: int, rec: SentenceRecord, ctx: DocContext) -> EventRecord:
    et = tr.event_type
    cas, displaced = _own_casualties(rec) if et in VIOLENT else ([], False)
    deny = et == "REJECT" and _lem(tr.token) in ctx.lex.denial_verbs
    return EventRecord(trigger=tr, multiplicity=n, event_type=et, casualties=cas, displaced=displaced,
                       event_mode=tr.mode or ("deny" if deny else None),
                       acled_type=acled_type(tr, rec.sent, cas, ctx.doc, ctx.lex))


def typing_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    events, violent_done = _chosen(rec, ctx)
    if rec.casualties and not violent_done:
        tr, main = _casualty_trigger(rec, ctx)
        if tr.event_type == "COERCE" and any(m.kind in ("killed", "wounded") for m in rec.casualties):
            # force against protesters that kills or wounds: the repression stays COERCE, its
            # dead and wounded are an assault's (they reach the day's count like any violence)
            tr.event_type = "ASSAULT"
        if tr.event_type in VIOLENT or tr.event_type == "COERCE":
            events.insert(0 if main else len(events), (tr, 1))
    if rec.casualties:
        events.sort(key=lambda x: _rank(rec.sent, x[0]))
    rec.events = [_record(tr, n, rec, ctx) for tr, n in events]
