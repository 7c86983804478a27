"""Pass 6, claims and denials: who claimed it, whose losses, and who disputes it.

This is the one place where "who claimed it" is decided.

Reads ``events[*]`` (trigger, actors, victims, casualties) and ``denials``; writes
``Denial.denier``, ``claimant``, ``victim_side``, ``disputed``, and completes the actors of a
violent event once the victims' side is known (actor2 = the victims' side; actor1 from another
violent clause of the sentence).  After the rows, a denial also disputes the nearest earlier claim
by another party (``mark_earlier_disputes``).

Rules:
* claimant: the speaker of the reporting verb / "according to" / "claims by X".  Institutions
  speak for their side: a ministry, army, capital or government resolves to the state (or de
  facto authority) named in it ("Azerbaijan's defense ministry" -> "Azerbaijan", "Baku" ->
  "Azerbaijan"); persons and organisations keep their canonical name; a pronoun is its antecedent
  (else the last claimant, else the last actor).  An unnamed official (``OfficialSpeaker``:
  "the army said", "officials said") takes, for a violent, COERCE or PROTEST event, the one
  state taking part (military speakers) or the country of the place (civil officials), else
  their own words ("army", "regional governor").  None when the text gives no source (the asset
  then fills in the outlet).
* victim_side: the nationality / possessor of the victims ("its servicemen" -> the claimant); the
  country of the place when the attacker is someone else; a state party reporting losses
  inflicted by the other side reports its own losses.
* disputed: another party denies, dismisses or contradicts the claim in the same sentence ("a
  charge that Yerevan denies", "a claim Israel dismissed", "while Moscow blamed ...") or in one
  of the two following sentences ("Karabakh Armenian officials deny the claims").
"""
from __future__ import annotations

from pipeline.lib import casualties as cas

from pipeline.lib.events.context import STATE_TYPES, _gazetteer, side_of
from pipeline.lib.events.lexicon import words
from pipeline.lib.events.record import (VIOLENT, Denial, DocContext, EventRecord, OfficialSpeaker,
                                        SentenceRecord, Trigger, VictimClue)
from pipeline.lib.events.syntax import _agent, _lem, _prep_objs, _subject

Speaker = str | OfficialSpeaker | None


def _generic_text(tok) -> str:
    """The official's own words: 'regional governor', 'army'."""
    mods = [c for c in tok.children
            if (c.dep_ in ("amod", "compound") or (c.dep_ == "poss" and c.pos_ == "NOUN"))
            and c.i < tok.i and c.lower_ not in words("unspecific_speaker_modifiers")]
    return " ".join([m.lower_ for m in mods] + [tok.lower_])


def _named_group_before(tok, ctx: DocContext) -> str | None:
    """'the group said': the armed group / organisation named before."""
    for e in reversed(ctx.entities.ents):
        if e.start < tok.idx and e.actor_type in ("armed_force", "organisation") and e.role != "place":
            return e.canonical
    return None


def claimant_of_phrase(tok, ctx: DocContext) -> Speaker:
    """The speaker a noun phrase names."""
    ents = ctx.entities
    if tok is None:
        return None
    if tok.lower_ in words("pronouns"):
        return ents.antecedent(tok) or ctx.last_claimant or ctx.last_actor
    a = ents.actor_in(tok)
    if a:
        return ents.side_name(a)
    if any(_lem(t) in words("region_nouns") for t in tok.subtree):
        # "officials in the breakaway region": the nearest region/authority named before
        r = ents.region_before(tok.idx)
        if r:
            return r
    head = _lem(tok)
    if head in ctx.lex.title_nouns:
        # "a spokesman for the provincial police" -> the police
        for po in _prep_objs(tok, ["for", "of"]):
            r = claimant_of_phrase(po, ctx)
            if r:
                return r
    if head in words("group_nouns"):
        r = _named_group_before(tok, ctx)
        if r:
            return r
    if head in words("generic_officials") or tok.lower_ in words("generic_officials"):
        return OfficialSpeaker(_generic_text(tok))
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    return _generic_text(tok) or None


def _according_to(sent):
    """The object of 'according to X' in the sentence, else None."""
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            objs = ([c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"]
                    or [c for c in t.children if c.dep_ == "pobj"])
            if not objs:
                objs = [po for c in t.children if c.dep_ == "prep" for po in c.children if po.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def claimed_by(tr: Trigger, sent, ctx: DocContext) -> Speaker:
    rep = tr.reporter
    if rep is not None:
        subs = [c for c in rep.children if c.dep_ in ("nsubj",)]
        if _lem(rep) in ("quote",):
            subs = [c for c in rep.children if c.dep_ == "nsubjpass"] or subs
        ag = _agent(rep)
        if ag is not None:
            subs = [ag]
        if subs:
            return claimant_of_phrase(min(subs, key=lambda x: abs(x.i - rep.i)), ctx)
    obj = _according_to(sent)
    if obj is not None:
        return claimant_of_phrase(obj, ctx)
    if tr.claim_noun is not None:       # "claims by X of ..."
        ag = _agent(tr.claim_noun)
        if ag is not None:
            return claimant_of_phrase(ag, ctx)
    return None


def _party_states(ev: EventRecord, victim: str | None, ctx: DocContext) -> set[str]:
    """The states among the event's actors and victims (not de facto authorities)."""
    parts = {x for x in (ev.actor1, ev.actor2, victim) if x}
    sides = set()
    gaz = _gazetteer()
    for e in ctx.entities.ents:
        if e.canonical in parts and e.actor_type in ("state", "government", "armed_force"):
            sd = ctx.entities.side_name(e.canonical)
            ge = gaz.get(sd) if gaz is not None else None
            if ge is None or ge.actor_type in ("state",):
                sides.add(sd)
    return sides


def official_side(ev: EventRecord, speaker: OfficialSpeaker, sent, ctx: DocContext) -> str | None:
    """The state an unnamed official speaks for: military speakers for the one state taking part,
    civil officials (governors, administrations, police) for the country of the place."""
    victim = victim_side(ev.victims, None, ev.actor1, sent, ctx) if ev.casualties else None
    sides = _party_states(ev, victim, ctx)
    said = speaker.words.split()
    military = bool(said) and said[-1] in words("military_speakers")
    place = ctx.entities.place_country(sent)
    if military and len(sides) == 1:
        return next(iter(sides))
    if place:
        return place
    return next(iter(sides)) if len(sides) == 1 else None


def _named_victims(clues: list[VictimClue], claimant: str | None) -> str | None:
    for c in clues:
        side = c.named if c.named else (claimant if c.speakers_own else None)
        if side is None:
            side = c.hint_named or (claimant if c.hint_own else None)
        if side:
            return side
    return None


def _a_person(name: str, ctx: DocContext) -> bool:
    e = ctx.entities.by_name.get(name)
    return e is not None and e.actor_type == "person"


def _claimant_is_party(name: str, ctx: DocContext) -> bool:
    e = ctx.entities.by_name.get(name)
    return e is not None and e.actor_type in STATE_TYPES


def _loose_same_side(side: str, claimant: str, ctx: DocContext) -> bool:
    """'Armenian' servicemen reported by the de facto authority: the claimant speaks for them
    unless the victims' nationality is itself a state party named as such in the document."""
    s, c = ctx.entities.last_by_name.get(side), ctx.entities.last_by_name.get(claimant)
    if s is None or c is None:
        return True
    return c.actor_type == "de_facto_authority" or s.actor_type not in STATE_TYPES


ALL_SIDES = "all"


def _all_sides(sent) -> bool:
    """The figure counts the dead of every side ("from both sides", "a combined toll")."""
    return any(rx.search(sent.text) for rx in cas.load_lexicon().regexes.get("all_sides_patterns", []))


def victim_side(clues, claimant: str | None, actor1: str | None, sent, ctx: DocContext) -> str | None:
    """Whose victims: 'all' for a figure of every side; else the side the victims' own words
    name, the place's country, or the claimant's side when it is a party.  A person is a victim,
    never a side ("Deborah Samuel was killed": no side, as for "a student was killed")."""
    if _all_sides(sent):
        return ALL_SIDES
    side = _named_victims(clues, claimant or None)
    if side is not None and _a_person(side, ctx):
        side = None
    if side is None and actor1 is not None:
        country = ctx.entities.place_country(sent)
        if country and country != actor1 and country != side_of(actor1):
            side = country
    if claimant and actor1 and claimant != actor1 and _claimant_is_party(claimant, ctx):
        if side is None or side != actor1:
            side = claimant if side is None or _loose_same_side(side, claimant, ctx) else side
    return side


def _fill_denier(d: Denial, ctx: DocContext) -> None:
    t = d.verb
    if d.counter_blame:
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
    else:
        subj = None
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                subj = c
        if subj is None and t.dep_ in ("conj",):
            subj = _subject(t.head)
    who = claimant_of_phrase(subj, ctx) if subj is not None else None
    if isinstance(who, OfficialSpeaker):
        d.official = d.counter_blame        # an unnamed official denying names no party
    else:
        d.denier = who


def _disputed_here(ev: EventRecord, denials: list[Denial]) -> bool:
    tr = ev.trigger
    for d in denials:
        dv = d.verb
        if dv.i == tr.token.i or tr.event_type == "REJECT":
            continue
        if dv.dep_ == "conj" and (dv.head.i == tr.head.i or dv.head.i == tr.token.i):
            continue   # "said its forces hit X and denied Y": the same speaker
        attached = dv.dep_ in ("relcl", "acl", "advcl")   # "a claim Israel dismissed", "contradicting ..."
        if d.official or (d.denier is not None and d.denier != ev.claimant) or (d.denier is None and attached):
            return True
    return False


def _complete_actors(ev: EventRecord) -> None:
    """Violent events: the victims' side is the target; a missing attacker is the actor of
    another violent clause of the sentence ("killed after Azerbaijan carried out strikes")."""
    if (ev.event_type in VIOLENT and ev.victim_side and ev.victim_side != ALL_SIDES and ev.actor2 is None
            and ev.victim_side != ev.actor1):
        ev.actor2 = ev.victim_side
    if ev.event_type in VIOLENT and ev.actor1 is None:
        for a1 in ev.other_clause_actors:
            if a1 and a1 != ev.victim_side:
                ev.actor1 = a1
                ev.actor2 = None if ev.actor2 == a1 else ev.actor2
                break


def claims_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    for d in rec.denials:
        _fill_denier(d, ctx)
    for ev in rec.events:
        said = claimed_by(ev.trigger, rec.sent, ctx)
        if isinstance(said, OfficialSpeaker):
            side = official_side(ev, said, rec.sent, ctx) if ev.event_type in VIOLENT | {"COERCE", "PROTEST"} else None
            said = side or said.words
        ev.claimant = said
        ev.victim_side = victim_side(ev.victims, said, ev.actor1, rec.sent, ctx) if ev.casualties else None
        ev.disputed = _disputed_here(ev, rec.denials)
        _complete_actors(ev)


def mark_earlier_disputes(rec: SentenceRecord, ctx: DocContext) -> None:
    """A denial disputes the nearest earlier claim by another party (previous two sentences);
    denials attached to a claim noun of this sentence were handled in ``claims_pass``."""
    for d in rec.denials:
        if d.verb.dep_ in ("relcl", "acl", "advcl"):
            continue
        for cand in reversed(ctx.prev_rows[-2:]):
            hit = False
            for r in cand:
                if r["event_type"] == "REJECT":
                    continue
                other = r["claimed_by"] and (d.official or r["claimed_by"] != d.denier)
                if other or (d.denier and r["actor1"] == d.denier):
                    r["disputed"] = True
                    hit = True
            if hit:
                break
