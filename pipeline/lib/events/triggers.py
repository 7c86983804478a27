"""Pass 1, triggers: read a sentence once.

Writes on the ``SentenceRecord``: ``triggers`` (every event word the PLOVER clause typer finds,
main one first), ``denials`` (denial and counter-blame verbs; who denies is the claims pass's),
``denial_scope`` (tokens of denied content: no events, no casualties), ``casualties`` (casualty
mentions outside denied content), ``date_mentions`` (``dates.find_dates`` with the last stated
date as reference) and ``Trigger.anaphoric`` ("the clashes" after an earlier clash).
"""
from __future__ import annotations

from pipeline.lib import casualties as cas_mod
from pipeline.lib import dates as dates_mod
from pipeline.lib.events.lexicon import Lexicon, words
from pipeline.lib.events.plover import sentence_triggers
from pipeline.lib.events.record import VIOLENT, Denial, DocContext, SentenceRecord
from pipeline.lib.events.scope import displaced_mentions
from pipeline.lib.events.syntax import _has_det, _is_verbal, _lem, _span_tokens


def _claimish(t, lex: Lexicon) -> bool:
    """A denial verb whose object is a claim ("denied the claims", "a charge Yerevan denies",
    "denied striking civilian areas"), not "denied access"."""
    lem = _lem(t)
    objs = [c for c in t.children if c.dep_ in ("dobj", "ccomp", "xcomp", "pcomp")]
    claim_words = lex.claim_nouns | lex.denial_objects | words("claimed_figures")
    claimish = False
    for o in objs:
        if o.dep_ in ("ccomp", "xcomp", "pcomp") or _is_verbal(o):
            claimish = lem in words("content_denial_verbs")
        elif _lem(o) in claim_words:
            claimish = True
    if t.dep_ == "relcl" and _lem(t.head) in claim_words | words("charge_nouns"):
        claimish = True
    if t.dep_ in ("advcl", "acl") and lem in words("contradiction_verbs"):
        claimish = True
    if lem == "deny" and t.dep_ in ("ROOT", "conj", "ccomp", "advcl"):
        if not any(_lem(o) in words("denied_permissions") for o in objs):
            claimish = True
    return claimish


def _counter_blame(t) -> bool:
    """'while Moscow blamed Ukraine for the attack': counter-blame in the same sentence."""
    return _lem(t) in words("counter_blame_verbs") and t.dep_ in ("advcl", "conj") and any(
        c.dep_ == "mark" and c.lower_ in words("contrast_marks") for c in t.children)


def find_denials(sent, lex: Lexicon) -> list[Denial]:
    out = []
    for t in sent:
        if _lem(t) in lex.denial_verbs and _is_verbal(t) and _claimish(t, lex):
            out.append(Denial(t))
        if _counter_blame(t):
            out.append(Denial(t, counter_blame=True))
    return out


def _denial_scope(denials: list[Denial]) -> set[int]:
    scope: set[int] = set()
    for d in denials:
        for c in d.verb.children:
            if c.dep_ in ("ccomp", "xcomp", "pcomp", "dobj"):
                scope |= {x.i for x in c.subtree}
    return scope


def _refers_to_earlier(tr, ctx: DocContext) -> bool:
    """'the clashes', 'the talks' (no number, not 'new') when an earlier sentence has such an event."""
    tok = tr.token
    if tok.pos_ not in ("NOUN", "PROPN") or not _has_det(tok, ctx.lex.anaphoric_determiners):
        return False
    if any(c.dep_ == "nummod" for c in tok.children) or any(
            c.dep_ in ("amod",) and c.lower_ in words("new_event_modifiers") for c in tok.children):
        return False
    fam = VIOLENT if tr.event_type in VIOLENT else {tr.event_type}
    return any(r["event_type"] in fam for rows in ctx.prev_rows for r in rows)


def triggers_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    sent = rec.sent
    rec.triggers = sentence_triggers(sent)
    rec.denials = find_denials(sent, ctx.lex)
    rec.denial_scope = _denial_scope(rec.denials)
    rec.casualties = [m for m in cas_mod.extract_casualties(sent)
                      if not any(t.i in rec.denial_scope for t in _span_tokens(ctx.doc, m.start_char, m.end_char))]
    last = ctx.last_date.value if ctx.last_date is not None else None
    rec.date_mentions = dates_mod.find_dates(sent.text, ctx.published, last)
    rec.displaced = (displaced_mentions(sent, rec.casualties, rec.date_mentions, rec.triggers)
                     if rec.casualties else {})
    if not rec.casualties:
        for tr in rec.triggers:
            if _refers_to_earlier(tr, ctx):
                tr.anaphoric = True
