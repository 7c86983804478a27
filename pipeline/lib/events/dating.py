"""Pass 8, date: when the event happened.

Reads ``date_mentions``, ``events[*]`` (trigger, scope, location), ``DocContext.last_date`` and ``last_attack``;
writes ``date_mention``, ``event_date``, ``date_precision``, ``date_text`` (and ``location``
from the last violent event for "the attack" sentences), then settles ``scope`` by the date
(``scope.scope_by_date``).

Rules: the date mention of the trigger clause (``dates.find_dates`` with the last event date as
reference, so "the day prior" follows the narrative); never a "since ..." start or a "by
<deadline>"; never the day of a statement about it ("according to a statement on Sunday", ``_told_day``); never the day a toll was revised ("the toll rose to 45 on Wednesday": the event
is then undated, unless the toll's own phrase dates it) or bodies were recovered or buried; never after publication; a historical toll without its own mention takes the
oldest date of the sentence; an event noun's own date ("a car bomb attack on Wednesday that
killed 40", "Friday's earthquake, which has killed 1,700") before the date of the clause it sits
in; no date from a verb of saying for a deed told in the past perfect ("told reporters on
Tuesday that 40 had been killed": before that day); no date from the main verb when the deed is
told in a relative clause below another act,
neither violent nor of saying ("refused to bury the victims of a bombing which killed 84":
``_embedded_in_another_act``); an event noun in an 'after'/'before' phrase with a distance in
days takes the clause's day shifted by it ("buried their dead Friday, two days after the
massacre": the Wednesday, ``_dated_by_distance``).  A sentence without a mention gets, in this order (``_UNDATED``):
nothing for a background toll; the publication day for a headline; nothing for a future event
or a historical toll; nothing, and scope 'historical', for a past-tense toll in the lead of a piece
whose lead marks an anniversary or looks back over years ("it has been ten years since ...":
``_recalled_in_anniversary_lead``); the last event date of the same paragraph (narrative continuation,
date_text None); the last violent event's date (and place) for "the attack" in any paragraph;
a risen toll or a body count with no day ("the toll has jumped to 56") takes the last violent
incident's date when the story has one (it revises an earlier incident's toll); the publication
day for a past-tense report in the lead (first three sentences) or with
"overnight"/"today" (the lead's own day instead when a lead sentence without an event stated one:
"Yesterday brought grief to the parish of Saint Anne"), unless the toll is of a war's scale (1,000
or more: ``_war_scale``); else None ('unknown').  A toll recalled at its Nth anniversary is dated N
years before the commemoration day and counts as that day's incident (``_date_anniversary``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable

from pipeline.lib import casualties as cas
from pipeline.lib.events.lexicon import words
from pipeline.lib.events.counts import recount_for_the_day
from pipeline.lib.events.plover import clause_typer
from pipeline.lib.events.record import (CASUALTY_KEY, LEAD_SENTENCES, VIOLENT, DocContext, EventRecord,
                                        SentenceRecord, Trigger)
from pipeline.lib.events.scope import counted_mentions, long_span, scope_by_date
from pipeline.lib.events.syntax import _has_det, _is_headline, _is_past, _is_verbal, past_perfect


def main_clause(tr: Trigger, sent) -> bool:
    h = tr.head
    root = sent.root
    if h.i == root.i:
        return True
    for a in [h] + list(h.ancestors):
        if a.i == root.i:
            return True
        if a.dep_ not in ("ccomp", "conj", "parataxis", "xcomp", "advcl") and a.i != h.i:
            return False
        if a.dep_ in ("relcl", "acl", "pcomp", "pobj"):
            return False
    return False


def _under_since(m, toks, head) -> bool:
    """The mention sits in a 'since ...' phrase of the clause ("the first time since the 2020 war")."""
    for t in toks(m):
        for a in t.ancestors:
            if a.lower_ == "since" and a.dep_ in ("prep", "mark"):
                return True
            if a.i == head.i:
                break
    return False


def _usable(mentions, sent, lex) -> list:
    """Mentions that can date an event: valued, no 'since' start, no period, no deadline, and not
    the dateline when the sentence states another date."""
    text = sent.text

    def deadline(m):
        before = text[:m.start].rstrip().rsplit(None, 1)
        return bool(before) and before[-1].lower() in lex.deadline_words

    good = [m for m in mentions if m.value is not None and m.kind != "since" and not m.is_period and not long_span(m)
            and not deadline(m)]
    if len(good) > 1 and good[0].start < 60 and text[good[0].end:good[0].end + 4].lstrip()[:1] in ("—", "–", "-", "("):
        good = good[1:]   # "KRAMATORSK, January 8, 2023 — A drone attack ... on Saturday"
    return good


def _argument(verb, verbs: str, deps: tuple[str, ...], nouns: str):
    """The child of ``verb`` in one of ``deps`` whose lemma is in the casualty lexicon's class
    ``nouns``, when the verb's lemma is in its class ``verbs``; else None."""
    lex = cas.load_lexicon()
    if cas._lemma(verb) not in lex[verbs]:
        return None
    return next((c for c in verb.children if c.dep_ in deps and cas._lemma(c) in lex[nouns]), None)


def toll_revision_subject(verb):
    """The toll noun of a toll revision ("the death toll ... rose to 45", "the tally climbed",
    "officials raised the toll to 290"): the subject of a toll verb (``toll_intransitive_verbs``
    of the casualty lexicon, but not "be") that is a toll noun, or the object of a transitive one
    (``toll_transitive_verbs``) whose subject is no event; else None."""
    if cas._lemma(verb) == "be":
        return None
    found = _argument(verb, "toll_intransitive_verbs", ("nsubj", "nsubjpass"), "toll_nouns")
    if found is None:
        # someone revising it: "the government raised the death toll from the bombings to 290";
        # not an event bringing it up ("the attack on Monday raised the toll to 30": the attack's)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None or clause_typer().noun_type(subj)[0] is None:
            found = _argument(verb, "toll_transitive_verbs", ("dobj",), "toll_nouns")
    return found


def body_count_noun(verb):
    """The body noun of a count of bodies recovered, buried or brought in ("127 bodies had been
    buried", "rescuers recovered 30 bodies"): the passive subject or object of a recovery verb
    (``recovery_verbs``) that is a body noun (``body_nouns``); else None."""
    return _argument(verb, "recovery_verbs", ("nsubjpass", "dobj"), "body_nouns")


def _revision_of(t):
    """The toll revision or body count whose figures ``t`` belongs to: ``t`` itself, or the first
    such verb above it, reached without passing a clause with a subject of its own that is not a
    figure ("the toll rose to 40 dead with 90 wounded": yes; "the toll rose after gunmen killed
    five": no, the killing is an event of its own).  Returns (verb, its toll or body noun) or None."""
    x = t
    while True:
        subject = toll_revision_subject(x)
        if subject is None:
            subject = body_count_noun(x)
        if subject is not None:
            return x, subject
        if x.head.i == x.i or any(c.dep_ in ("nsubj", "nsubjpass") and not c.like_num and c.pos_ != "NUM"
                              for c in x.children):
            return None
        x = x.head


def _not_revision_dates(token, mentions, toks) -> list:
    """Only the toll's own phrase dates a toll revision: in "the death toll from the bombing
    rose to 45 on Wednesday, police said Thursday" Wednesday is when the toll was revised and
    Thursday when it was told, not when the bombing happened; "the toll from Monday's
    bombing" is dated Monday.  Likewise a count of bodies recovered or buried ("127 bodies had
    been buried ... on Monday"): the day is the recovery's.  This holds for every figure of the
    revision ("rose to 40 dead with 90 wounded"): see ``_revision_of``.  Other clauses' events
    keep their own dates."""
    found = _revision_of(token)
    if found is None:
        return mentions
    subject = found[1]
    inside = {t.i for t in subject.subtree}
    if token.pos_ == "NOUN" and token.i != found[0].i:
        inside |= {t.i for t in token.subtree}   # the event noun's own date: "from Sunday's bombings"
    return [m for m in mentions if any(t.i in inside for t in toks(m))]


def _told_day(m, toks, head) -> bool:
    """The mention dates a statement, not the deed: it hangs on a noun of saying
    (``telling_nouns``: "according to comments by the minister on Sunday", "in a statement on
    Sunday").  The deed happened on or before that day, which is no stated day of it.  A day on
    a verb of saying ("officials said Friday") stays the event's day: in fresh wire copy it is
    the best estimate, and measured on the development corpus, dropping it lost more windows
    than it mended."""
    span = {t.i for t in toks(m)}
    for t in toks(m):
        if t.head.i in span or t.head.i == t.i:
            continue
        gov = _governor(t)
        lemma = gov.lemma_.lower()
        return gov.pos_ in ("NOUN", "PROPN") and lemma in words("telling_nouns")
    return False


def _governor(t):
    """The word a date's token hangs on, through its prepositions ("said on Sunday" -> said)."""
    gov = t.head
    while gov.pos_ == "ADP" and gov.head.i != gov.i:
        gov = gov.head
    return gov


def _told_by_a_reporting_verb(m, toks) -> bool:
    """The mention hangs on a verb of saying ("officials said on Saturday ...")."""
    typer = clause_typer()
    return any(typer.is_reporting(_governor(t)) for t in toks(m))


@lru_cache(maxsize=1)
def _harm_lemmas() -> frozenset:
    lex = cas.load_lexicon()
    return frozenset(lex["killed_verbs"] | lex["wounded_verbs"] | lex["death_verbs"])


def _describes_a_party(m, toks, head) -> bool:
    """The mention sits in a relative clause on a noun that is no event ("the junta that seized
    power in 2021", "the group, which was founded in 2009"): it dates that party's story, not the
    deed; so does a participle of saying on a party ("a rebel group telling reporters on Sunday":
    the statement's day).  A clause on an event noun ("an attack that took place on Monday")
    dates the event; any other participle ("police guarding vaccinators on Tuesday") tells what
    they were doing when it happened, and dates it too."""
    typer = clause_typer()
    harm = _harm_lemmas()
    for t in toks(m)[:1]:
        for a in [t, *t.ancestors]:
            if a.i == head.i:
                return False
            if ((a.dep_ == "relcl" or (a.dep_ == "acl" and cas._lemma(a) in typer.lex.reporting_verbs))
                    and a.head.pos_ in ("NOUN", "PROPN") and typer.noun_type(a.head)[0] is None
                    and cas._lemma(a) not in harm):
                return True   # (a clause of killing on its victims, "the people killed on Tuesday", dates the toll)
    return False


def _clause_host(head):
    """The noun whose relative or adjectival clause holds ``head`` ("an attack ... that killed
    40", "the earthquake, which has killed 1,700"), or None."""
    if head.dep_ in ("relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head
    return None


def _embedded_in_another_act(tr: Trigger, sent) -> bool:
    """The deed is told in a relative or adjectival clause below the main verb of another act,
    one neither violent nor of saying ("thousands refused to bury the victims of a bombing which
    killed 84", "funerals were held on Tuesday at the church where 100 worshippers were killed"):
    the main verb's day is that act's (the refusal, the funerals), not the deed's."""
    root = sent.root
    if not _is_verbal(root) or root.lemma_.lower() == "be" or _is_headline(sent):
        return False
    typer = clause_typer()
    if typer.is_reporting(root) or cas._lemma(root) in _harm_lemmas() or typer.verb_type(root)[0] in VIOLENT:
        return False
    h = tr.head
    if h.i == root.i:
        return False
    for a in [h, *h.ancestors]:
        if a.i == root.i or (a.i != h.i and typer.is_reporting(a)):
            return False   # (a report inside: "with a rebel group telling reporters seven were killed")
        if a.dep_ in ("relcl", "acl"):
            return True
    return False


def _days_apart(prep) -> int | None:
    """The distance in days an 'after'/'before' word carries ("two days after", "a day before",
    "the day after"): 1 to 14, else None (weeks and hours are not read here)."""
    for c in prep.children:
        if c.dep_ == "npadvmod" and c.lemma_.lower() == "day":
            num = next((x for x in c.children if x.dep_ in ("nummod", "det")), None)
            if num is None or num.lower_ in ("a", "one", "the"):
                n = 1
            else:
                n = cas._UNITS.get(num.lower_) or (int(num.text) if num.text.isdigit() else None)
            return n if n is not None and 1 <= n <= 14 else None
    return None


def _dated_by_distance(tr: Trigger, good, toks):
    """An event noun in an 'after'/'before' phrase with a distance in days ("the families buried
    their dead Friday, two days after the massacre"): the deed lies that many days before (after)
    the day of the clause the phrase hangs on.  A mention with the shifted day, or None."""
    noun = tr.token
    if noun.pos_ != "NOUN":
        noun = _clause_host(tr.head)   # "a day after the bombing that killed 12"
    if noun is None or noun.dep_ != "pobj" or noun.head.lower_ not in ("after", "before"):
        return None
    prep = noun.head
    n = _days_apart(prep)
    if n is None:
        return None
    phrase = {t.i for t in prep.subtree}
    clause = {t.i for t in prep.head.subtree} - phrase
    anchors = [m for m in good if m.precision == "day" and m.value is not None and not m.is_period
               and any(t.i in clause for t in toks(m)) and not any(t.i in phrase for t in toks(m))]
    if not anchors:
        return None
    shift = timedelta(days=-n if prep.lower_ == "after" else n)
    return replace(anchors[0], value=anchors[0].value + shift, end_value=None, kind="relative_to_event")


def pick_date(tr: Trigger | None, sent, mentions, lex) -> Any:
    """The mention dating the event: inside the trigger clause first; never a 'since' period."""
    good = _usable(mentions or [], sent, lex)
    if not good:
        return None
    if tr is None:
        return good[0]
    base = sent.start_char

    def toks(m):
        span = sent.doc.char_span(base + m.start, base + m.end, alignment_mode="expand")
        return list(span) if span is not None else []

    head = tr.head
    good = _not_revision_dates(tr.token, good, toks)
    if not good:
        return None
    shifted = _dated_by_distance(tr, good, toks)
    if shifted is not None:
        return shifted
    def within(span: set[int], party: bool = True) -> list:
        """The usable mentions inside ``span``: no 'since' start, no day of a statement, and
        (with ``party``) none dating a party's story."""
        return [m for m in good if any(t.i in span for t in toks(m)) and not _under_since(m, toks, head)
                and not _told_day(m, toks, head) and not (party and _describes_a_party(m, toks, head))]

    if tr.token.pos_ == "NOUN" and tr.token.i != head.i:
        # an event noun's own date ("a car bomb attack on Wednesday", "Wednesday's attack") before
        # the date of the clause it sits in ("the march on Saturday followed ...")
        dated = within({t.i for t in tr.token.subtree})
        if dated:
            return dated[0]
    own = within({t.i for t in head.subtree})
    if own:
        return own[0]
    host = _clause_host(head)
    if host is not None:
        # the toll in a clause on a noun ("a car bomb attack on Wednesday that killed 40",
        # "Friday's earthquake, which has killed 1,700"): the noun's own date (outside the
        # clause) is the deed's, before any date of the sentence's main clause (the march on
        # Saturday)
        hosted = within({t.i for t in host.subtree} - {t.i for t in head.subtree}, party=False)
        if hosted:
            return hosted[0]
    rest = [m for m in good if not _under_since(m, toks, head) and not _describes_a_party(m, toks, head)]
    if tr.key == CASUALTY_KEY and not main_clause(tr, sent) and len(rest) != 1:
        return None   # a background toll ("in the wake of the execution of X") keeps no date
    if ((tr.described or _embedded_in_another_act(tr, sent))
            and not any(_told_by_a_reporting_verb(m, toks) for m in rest)):
        return None   # victims described in another event ("relatives of the 35 villagers killed
                      # by gunmen gathered on Saturday"): its day is the gathering's
    rest = [m for m in rest if not _told_day(m, toks, head)]
    if rest and past_perfect(head) and all(_on_a_verb_of_saying(m, toks) for m in rest):
        return None   # "told reporters on Tuesday that 500 people had been injured": told before
    return rest[0] if rest else None


def _on_a_verb_of_saying(m, toks) -> bool:
    """The mention hangs on a verb of saying, whatever its object ("told reporters on Tuesday")."""
    verbs = clause_typer().lex.reporting_verbs
    return any(cas._lemma(_governor(t)) in verbs for t in toks(m))


def _past_or_present(tr: Trigger) -> bool:
    v = tr.head if _is_verbal(tr.head) else tr.token
    return _is_verbal(v) and not tr.future


def _refers_back(sent, lex) -> bool:
    """The sentence names a violent event with a definite determiner ("the attack", "this
    strike") and no marker of a new one ("a new attack", "another strike")."""
    typer = clause_typer()
    for t in sent:
        if t.pos_ != "NOUN" or not _has_det(t, lex.anaphoric_determiners):
            continue
        if any(c.lower_ in words("distinct_event_modifiers") for c in t.children):
            continue
        if typer.noun_type(t)[0] in VIOLENT:
            return True
    return False


def _fresh(tr: Trigger, sent, index: int, lex) -> bool:
    """A past-tense / present-perfect report of a fresh incident (wire style), in the lead of the
    story or with a freshness adverb ("overnight", "today")."""
    v = tr.head if _is_verbal(tr.head) else tr.token
    if not (_is_past(v) or any(_is_past(x) for x in sent if x.dep_ in ("ROOT", "ccomp"))):
        return False
    return bool({t.lower_ for t in sent} & lex.fresh_incident_adverbs) or index < LEAD_SENTENCES


def _continues_paragraph(ev, rec, ctx) -> bool:
    last = ctx.last_date
    return (last is not None and ctx.same_paragraph(last.pos, rec.sent.start_char)
            and _past_or_present(ev.trigger))


def _refers_to_last_attack(ev, rec, ctx) -> bool:
    """"the attack" names the last dated violent incident, not the last dated event of any kind
    (a warning "10 days earlier" told between them does not date the attack)."""
    return (ctx.last_attack is not None and ev.event_type in VIOLENT and _refers_back(rec.sent, ctx.lex)
            and _past_or_present(ev.trigger))


def _told_of_the_last_attack(ev, rec, ctx, mention) -> bool:
    """The only day is the statement's, outside the deed's clause ("officials said Saturday that
    another 105 people were wounded in the bombing"), and the deed is "the bombing" of an earlier
    day the story has stated: the deed keeps that day, not the day it was told."""
    last = ctx.last_attack
    if last is None or last.precision != "day" or mention.precision != "day" or mention.value is None \
            or last.value >= mention.value or not _refers_to_last_attack(ev, rec, ctx):
        return False
    base = rec.sent.start_char
    span = rec.sent.doc.char_span(base + mention.start, base + mention.end, alignment_mode="expand")
    clause = {t.i for t in ev.trigger.head.subtree}
    return span is not None and not any(t.i in clause for t in span)


def _war_scale(ev: EventRecord) -> bool:
    """A death toll of a war's scale (``aggregate_min_perfect_figure``, 1,000 dead): never
    inferred to be the publication day's from the lead alone ("More than 3,000 people were killed
    when the army retook the city, rights groups say"); a report of so many dead in one day
    names its day.  (Thousands wounded in one blast are not rare: the wounded do not count here.)"""
    return (ev.killed or 0) >= cas.load_lexicon()["aggregate_min_perfect_figure"]


def _set_none(ev, rec, ctx):
    ev.event_date, ev.date_precision = None, "unknown"


def _set_published(ev, rec, ctx):
    ev.event_date, ev.date_precision = ctx.published, "day" if ctx.published else "unknown"


def _set_lead_day(ev, rec, ctx):
    """A report in the lead: the day its scene-setting sentence stated, else (and for a later
    sentence made fresh by "overnight" or "today") the publication day."""
    if ctx.lead_day is None or rec.index >= LEAD_SENTENCES:
        _set_published(ev, rec, ctx)
    else:
        ev.event_date, ev.date_precision = ctx.lead_day, "day"


def _recalled_in_anniversary_lead(ev, rec, ctx) -> bool:
    """A toll told undated in the simple past in the lead of a piece whose lead marks an
    anniversary or looks back over years ("On the first anniversary of the blast, ... It killed
    214 people", "It has been ten years since gunmen stormed the hotel. ... 48 people were
    killed") is the recalled incident's toll, not news of the publication day.  (Beyond the lead
    such a piece may tell fresh news of the commemoration: "police fired tear gas at the
    marchers".)"""
    if not (ctx.lead_anniversary and ev.casualties and rec.index < LEAD_SENTENCES):
        return False
    v = ev.trigger.head if _is_verbal(ev.trigger.head) else ev.trigger.token
    return _is_past(v) and not cas._is_perfect(v)


def _set_recalled(ev, rec, ctx):
    _set_none(ev, rec, ctx)
    ev.scope = "historical"


def _take(ev, last) -> None:
    ev.event_date, ev.date_precision = last.value, last.precision or "day"


def _set_last(ev, rec, ctx):
    _take(ev, ctx.last_date)


def _set_last_attack(ev, rec, ctx):
    _take(ev, ctx.last_attack)
    if ev.location is None:
        ev.location = ctx.last_attack.violent_location


# (rule, action) for an event without a usable mention: the first rule that holds decides.
_UNDATED: tuple[tuple[Callable, Callable], ...] = (
    (lambda ev, rec, ctx: ev.trigger.key == CASUALTY_KEY and not main_clause(ev.trigger, rec.sent), _set_none),
    (lambda ev, rec, ctx: _is_headline(rec.sent) and not ev.trigger.future, _set_published),
    (lambda ev, rec, ctx: ev.trigger.future or ev.scope == "historical", _set_none),
    (_recalled_in_anniversary_lead, _set_recalled),
    (_continues_paragraph, _set_last),
    (_refers_to_last_attack, _set_last_attack),
    (lambda ev, rec, ctx: bool(ev.casualties) and ctx.last_attack is not None
     and _revision_of(ev.trigger.token) is not None, _set_last_attack),
    (lambda ev, rec, ctx: ctx.published is not None and _fresh(ev.trigger, rec.sent, rec.index, ctx.lex)
     and not _war_scale(ev), _set_lead_day),
)


def _not_the_uncounted(ev: EventRecord, rec: SentenceRecord) -> list:
    """The sentence's date mentions without those inside the phrase of a figure the event does
    not count ("bringing to 64 the number killed since the protests began in January": January
    dates the running toll, not the day's nine; "a week after an ambush on March 1 killed
    eight": March 1 is the other incident's)."""
    kept = counted_mentions(ev, rec)
    if kept is None or not rec.date_mentions:
        return rec.date_mentions
    kept_keys = {(m.start_char, m.end_char) for m in kept}
    doc = rec.sent.doc

    def cue(m):
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        return next((t for t in span if t.text == m.trigger), None) if span is not None else None

    keep_cues = [c for c in (cue(m) for m in kept) if c is not None]
    fenced: set[int] = set()
    for m in rec.casualties:
        c = cue(m) if (m.start_char, m.end_char) not in kept_keys else None
        if c is not None and not any(k.i in {t.i for t in c.subtree} for k in keep_cues):
            fenced |= {t.i for t in c.subtree}
    if not fenced:
        return rec.date_mentions
    base = rec.sent.start_char
    out = []
    for dm in rec.date_mentions:
        span = doc.char_span(base + dm.start, base + dm.end, alignment_mode="expand")
        if span is None or not any(t.i in fenced for t in span):
            out.append(dm)
    return out


def date_event(ev: EventRecord, rec: SentenceRecord, ctx: DocContext) -> None:
    mention = pick_date(ev.trigger, rec.sent, _not_the_uncounted(ev, rec) if ev.casualties else rec.date_mentions,
                        ctx.lex)
    if mention is None and ev.scope == "historical":
        # a war toll is dated by the war ("the conflict in 2020, which cost 6,500 lives")
        olds = sorted((m for m in rec.date_mentions if m.value is not None), key=lambda m: m.value)
        mention = olds[0] if olds else None
    ev.date_mention = mention
    if mention is not None and _told_of_the_last_attack(ev, rec, ctx, mention):
        ev.date_mention = None
        _set_last_attack(ev, rec, ctx)
    elif mention is not None:
        ev.event_date, ev.date_precision, ev.date_text = mention.value, mention.precision, mention.text
    else:
        for rule, action in _UNDATED:
            if rule(ev, rec, ctx):
                action(ev, rec, ctx)
                break
    if ev.event_date is not None and ctx.published is not None and ev.event_date > ctx.published:
        ev.event_date, ev.date_precision = None, "unknown"
    if ev.event_date is None:
        ev.date_precision = "unknown"


_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)}
_ANNIVERSARY = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
    r"|(?P<nth>\d{1,2})(?:st|nd|rd|th)"
    r"|(?P<num>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)[- ]years?)[- ]anniversary\b",
    re.IGNORECASE)


_YEARS_SINCE = re.compile(
    r"\b(?:it(?:'s|\u2019s| has| had) been|marks?|marked|marking) (?:(?:more than|nearly|almost|over|about|some"
    r"|exactly) )?(?:\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty)"
    r" (?:years?|decades?) since\b"
    r"|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty) (?:years?|decades?) on\b",
    re.IGNORECASE)


def recalls_years_back(text: str) -> bool:
    """The text looks back over years at an earlier event, as a retrospective piece opens: "it
    has been ten years since gunmen stormed the hotel", "twenty years on, the survivors ..."."""
    return bool(_YEARS_SINCE.search(text))


def anniversary_years(text: str) -> int | None:
    """How many years back an anniversary marked in ``text`` points: "the first anniversary of
    the attack" 1, "the 10th anniversary" 10, "the two-year anniversary" 2; None when the text
    marks none, or anniversaries of different ages."""
    found = set()
    for m in _ANNIVERSARY.finditer(text):
        if m.group("ord"):
            found.add(_ORDINALS[m.group("ord").lower()])
        elif m.group("nth"):
            found.add(int(m.group("nth")))
        else:
            n = m.group("num").lower()
            found.add(cas._UNITS.get(n) or int(n))
    return found.pop() if len(found) == 1 else None


_THIS_DAY = re.compile(
    r"\bthis (?:very )?day,? in (?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<ago>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten) years ago (?:today|this day)\b",
    re.IGNORECASE)


def this_day_years(text: str, published: date) -> int | None:
    """How many years back "this day" points in a piece published on ``published``: "on this day
    in 2016" (published 2020: 4), "five years ago today" 5; None when the text says neither, or
    points to different years."""
    found = set()
    for m in _THIS_DAY.finditer(text):
        if m.group("year"):
            found.add(published.year - int(m.group("year")))
        else:
            n = m.group("ago").lower()
            found.add(cas._UNITS.get(n) or int(n))
    found.discard(0)
    return found.pop() if len(found) == 1 and min(found) > 0 else None


def _years_back(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _war_or_running_total(ev: EventRecord, rec: SentenceRecord) -> bool:
    """The toll is a war's, or told in the perfect ("had killed ... since"): a total, not one day."""
    lex = cas.load_lexicon()
    verb = ev.trigger.head if ev.trigger.head is not None else ev.trigger.token
    return cas._is_perfect(verb) or any(cas._lemma(t) in lex["war_nouns"] for t in rec.sent)


def _date_anniversary(ev: EventRecord, rec: SentenceRecord, ctx: DocContext) -> None:
    """A toll recalled at its Nth anniversary is the earlier incident's, on the day N years
    before the commemoration ("on Friday, the first anniversary of the bombing that killed 40"):
    that incident's own day (docs/codebook.md: a restated incident keeps its own day and is
    counted once), not the commemoration's.  Only a day-precision commemoration day gives one;
    29 February falls back to 28 February.  "On this day in 2016" and "five years ago today"
    name the publication day that many years back."""
    if not ev.casualties:
        return
    back = this_day_years(rec.sent.text, ctx.published) if ctx.published is not None else None
    if back and ev.scope in ("historical", "incident") and not _war_or_running_total(ev, rec):
        ev.event_date, ev.date_precision = _years_back(ctx.published, back), "day"
        ev.scope = "incident"
        return
    if ev.scope != "historical" or ev.event_date is None or ev.date_precision != "day":
        return
    years = anniversary_years(rec.sent.text)
    if not years:
        return
    ev.event_date = _years_back(ev.event_date, years)
    ev.scope = "incident"


def date_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    if rec.index < LEAD_SENTENCES and (anniversary_years(rec.sent.text) or recalls_years_back(rec.sent.text)):
        ctx.lead_anniversary = True
    for ev in rec.events:
        date_event(ev, rec, ctx)
        recount_for_the_day(ev, rec, ctx)
        ev.scope = scope_by_date(ev, ctx.published)
        _date_anniversary(ev, rec, ctx)
