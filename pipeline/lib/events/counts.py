"""Pass 5, counts: killed and wounded of an event.

Reads ``events[*].casualties`` (violent events only carry them); writes ``killed``,
``killed_low``, ``killed_high``, ``wounded``, ``wounded_low``, ``wounded_high``.

Rules (``combine_mentions``), for the mentions of one kind in one sentence, a mention repeated at
the same characters counting once:

1. one mention keeps its own figure and range;
2. two figures joined as a range ("between 25 and 50", "25 to 50") are one figure: best and low
   the first, high the second;
3. several mentions whose victims are told apart, each by its own words ("three soldiers and two
   civilians"; a word that names no group, ``generic_victim_words``: "people", "dead", "bodies",
   tells nothing apart: "35 people killed ... 15 dead" are two counts of one toll) are summed (best figures; a mention without a low/high adds its best figure to
   that bound; a bound is None when no mention states it);
4. otherwise they are restatements of one toll ("17 died ... later 27 died", "16 deaths ... 26
   dead"): the largest figure counts, with its own range.  Never their sum.

A figure told as an earlier one that a later figure replaced ("the army had previously said 95",
"the first reports were of 9 dead": ``superseded``) is never counted.

A figure named as one among another ("among the 60 dead is a journalist who was shot dead", "60
were killed, among them a journalist ...": ``named_among``) is part of it and is left out first.

Before these rules: in a sentence naming an episode of days (``episode_toll_nouns``: protests,
unrest, an uprising), a running toll ("bringing the toll to 14") next to a figure of the day's
dead ("nine more were killed today") is the episode's total, not the day's: only the day's
figure is read.  So is a running toll told in an 'as'/'while' clause of its own beside the day's
figure in any sentence ("bombings killed 11 on Sunday, as the death toll from the previous day's
attacks rose past 60").  For a single attack the running toll stays ("six further bodies were
pulled out, raising the toll to 41": the attack's toll is 41).

After the date pass (``recount_for_the_day``, called by it): a figure whose own phrase names
another day than the event's ("30 were killed on Thursday, with four further deaths recorded
on Friday") is left out and the event is counted again: figures of different days are never added.
"""
from __future__ import annotations

import re

from pipeline.lib import casualties as cas
from pipeline.lib.events.record import DocContext, SentenceRecord
from pipeline.lib.events.syntax import _span_tokens

_RANGE_GAP = re.compile(r"^\s*(?:and|to|or|-|–|—)\s*$", re.IGNORECASE)
_RANGE_LEAD = re.compile(r"\b(?:between|from)\s*$", re.IGNORECASE)


def sum_quantities(ms) -> tuple[int | None, int | None, int | None]:
    """(best, low, high) of casualty mentions of one kind, added up (rule 3)."""
    best = lo = hi = 0
    any_lo = any_hi = False
    seen = set()
    for m in ms:
        q = m.quantity
        key = (m.start_char, m.end_char)
        if key in seen:
            continue
        seen.add(key)
        b = q.best if q.best is not None else (q.low if q.low is not None else q.high)
        best += b or 0
        lo += q.low if q.low is not None else (b or 0)
        hi += q.high if q.high is not None else (b or 0)
        any_lo = any_lo or q.low is not None
        any_hi = any_hi or q.high is not None
    if len(seen) == 1:
        q = ms[0].quantity
        return q.best, q.low, q.high
    return best, (lo if any_lo else None), (hi if any_hi else None)


def _unique(ms) -> list:
    seen, out = set(), []
    for m in ms:
        if (m.start_char, m.end_char) not in seen:
            seen.add((m.start_char, m.end_char))
            out.append(m)
    return sorted(out, key=lambda m: m.start_char)


def _victim_words(m) -> str:
    return " ".join((m.victim_text or "").lower().split())


def combine_mentions(ms, text: str = "", offset: int = 0) -> tuple[int | None, int | None, int | None]:
    """(best, low, high) of the mentions of one kind in one sentence, by the module's rules.
    ``text`` is the sentence and ``offset`` its first character in the document."""
    ms = _unique(ms)
    if len(ms) == 1:
        q = ms[0].quantity
        return q.best, q.low, q.high
    if len(ms) == 2 and text:
        a, b = ms
        gap = text[a.end_char - offset:b.start_char - offset]
        if _RANGE_GAP.match(gap) and _RANGE_LEAD.search(text[:a.start_char - offset]):
            return a.quantity.best, a.quantity.best, b.quantity.best
    victims = [_victim_words(m) for m in ms]
    generic = cas.load_lexicon()["generic_victim_words"]
    if (all(victims) and len(set(victims)) == len(victims)
            and not any(set(v.split()) <= generic for v in victims)):
        return sum_quantities(ms)
    top = max(ms, key=lambda m: m.quantity.best or m.quantity.low or m.quantity.high or 0)
    return top.quantity.best, top.quantity.low, top.quantity.high


def day_figures(ms: list, episode: bool, sent=None) -> list:
    """The mentions that count for the day: in an episode's sentence, the day's figures without
    the running toll beside them; and in any sentence, without a running toll told in a clause
    of its own beside the day's figure ("bombings killed 11 on Sunday, as the death toll from
    the previous day's attacks rose past 60": ``_toll_beside``); otherwise all."""
    if any(m.is_toll for m in ms) and not all(m.is_toll for m in ms):
        if episode:
            return [m for m in ms if not m.is_toll]
        if sent is not None:
            beside = [m for m in ms if m.is_toll and _toll_beside(sent, m)]
            if beside:
                return [m for m in ms if m not in beside]
    return ms


def _toll_beside(sent, m) -> bool:
    """The toll mention sits in an adverbial clause led by 'as' or 'while' ("..., as the death
    toll from ... rose past 60"): a running toll told beside the sentence's own news."""
    cue = next((t for t in _span_tokens(sent.doc, m.start_char, m.end_char) if t.text == m.trigger), None)
    if cue is None:
        return False
    for a in [cue, *cue.ancestors]:
        if a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("as", "while") for c in a.children):
            return True
        if a.i == sent.root.i:
            return False
    return False


def named_among(sent, ms: list) -> set:
    """(start, end) of the mentions named as one among another figure:
    "among the more than 60 dead is a journalist who was shot dead", "60 were killed, among them
    a journalist who was shot dead": the journalist is one of the 60, never added to them."""
    doc = sent.doc
    spans = {(m.start_char, m.end_char): {t.i for t in _span_tokens(doc, m.start_char, m.end_char)} for m in ms}
    parts: set = set()
    for tok in sent:
        if tok.lower_ != "among":
            continue
        objs = [c for c in tok.children if c.dep_ == "pobj"]
        if any(o.pos_ == "PRON" for o in objs):     # "..., among them X": X is one of them
            before = [k for k, toks in spans.items() if max(toks) < tok.i]
            if before:
                parts |= {k for k, toks in spans.items() if min(toks) >= tok.i or (tok.i in toks and k not in before)}
            continue
        wholes = [k for k, toks in spans.items() if any(o.i in toks for o in objs)]
        if wholes:            # "among the 60 dead is X": every other figure is one of them
            parts |= {k for k in spans if k not in wholes}
    return parts if len(parts) < len(spans) else set()


def superseded(text: str, offset: int, ms: list) -> set:
    """(start, end) of the mentions told as an earlier figure that a later one replaced: "the
    army had previously said the toll was 95", "the first reports were of 9 dead", "a spokesman
    earlier said 14 had been killed" (``superseded_figure_patterns``).  Such a figure is what was
    said before; the current toll is told elsewhere, so it is never counted, even when it is the
    higher ("95, later said to be wrong").  In a sentence that also tells the
    correction ("initially said 20, but later raised it to 31", ``correction_patterns``) only
    the figures before the correction are the earlier ones."""
    lex = cas.load_lexicon()
    cues = [m for rx in lex.regexes["superseded_figure_patterns"] for m in rx.finditer(text)]
    if not cues:
        return set()
    first = min(m.start() for m in cues)
    fixes = [m.start() for rx in lex.regexes["correction_patterns"] for m in rx.finditer(text)
             if m.start() > first]
    cut = min(fixes) if fixes else len(text)
    return {(m.start_char, m.end_char) for m in ms if m.start_char - offset < cut}


def _count(ev, rec: SentenceRecord, ctx: DocContext) -> None:
    text, offset = ctx.text[rec.sent.start_char:rec.sent.end_char], rec.sent.start_char
    episode = cas.names_episode(rec.sent)
    parts = named_among(rec.sent, ev.casualties) if len(ev.casualties) > 1 else set()
    parts |= superseded(text, offset, ev.casualties)
    figures = [m for m in ev.casualties if (m.start_char, m.end_char) not in parts]
    killed = day_figures([m for m in figures if m.kind == "killed"], episode, rec.sent)
    wounded = day_figures([m for m in figures if m.kind == "wounded"], episode, rec.sent)
    ev.counted = killed + wounded + [m for m in figures if m.kind not in ("killed", "wounded")]
    ev.killed = ev.killed_low = ev.killed_high = ev.wounded = ev.wounded_low = ev.wounded_high = None
    if killed:
        ev.killed, ev.killed_low, ev.killed_high = combine_mentions(killed, text, offset)
    if wounded:
        ev.wounded, ev.wounded_low, ev.wounded_high = combine_mentions(wounded, text, offset)


def counts_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    for ev in rec.events:
        _count(ev, rec, ctx)


def _own_days(m, others, sent, day_tokens) -> set:
    """The days of the date mentions that belong to mention ``m``: inside the subtree of its cue
    word, but not inside another mention's cue word nested there."""
    cue = _cue(sent.doc, m)
    if cue is None:
        return set()
    own = {t.i for t in cue.subtree}
    for o in others:
        oc = _cue(sent.doc, o)
        if oc is not None and oc.i != cue.i and oc.i in own:
            own -= {t.i for t in oc.subtree}
    return {value for value, toks in day_tokens if toks & own}


def _cue(doc, m):
    """The cue word of a casualty mention ("killed", "deaths") as a token, or None."""
    return next((t for t in _span_tokens(doc, m.start_char, m.end_char) if t.text == m.trigger), None)


def recount_for_the_day(ev, rec: SentenceRecord, ctx: DocContext) -> None:
    """Once the event is dated: a figure whose own phrase names another day ("30 were killed on
    Thursday, with four further deaths recorded on Friday") is not the event's day's and is not
    added to it.  Figures with no day of their own, or with the event's, all stay; so does a
    figure with nothing of its kind to be added to, and a kind never loses all its figures."""
    if ev.event_date is None or ev.date_precision != "day" or len(ev.casualties) < 2:
        return
    sent, base = rec.sent, rec.sent.start_char
    day_tokens = [(dm.value, {t.i for t in _span_tokens(sent.doc, base + dm.start, base + dm.end)})
                  for dm in rec.date_mentions if dm.precision == "day" and dm.value is not None]
    if len({v for v, _ in day_tokens}) < 2:
        return
    keep = []
    for m in ev.casualties:
        same_kind = [o for o in ev.casualties if o is not m and o.kind == m.kind]
        if not same_kind:
            keep.append(m)              # nothing of its kind to be added to
            continue
        days = _own_days(m, [o for o in ev.casualties if o is not m], sent, day_tokens)
        if not days or ev.event_date in days:
            keep.append(m)
    if len(keep) < len(ev.casualties) and {m.kind for m in keep} == {m.kind for m in ev.casualties}:
        # every kind keeps a figure: a kind whose figures are all of other days keeps them all
        ev.casualties = keep
        _count(ev, rec, ctx)
