"""Pass 8, scope: does a row count as one incident?

Reads ``events[*].trigger``, ``casualties``, ``date_mentions``; writes ``scope``: 'generic'
(an undated statement of habit, ``generic_statement``), 'incident' (one day or night),
'aggregate' (a toll over a period, several incidents, multi-day fighting, a war's toll) or
'historical' (totals of past wars, years well before publication).  Events without casualties
are 'incident' here unless generic; the date pass then makes an event dated more than a year
before publication, to a precision coarser than a day, 'historical' (``scope_by_date``).
The cause of a toll is the codes pass's (``codes.py``), decided before this one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from pipeline.lib import casualties as cas
from pipeline.lib.events.plover import clause_typer
from pipeline.lib.events.record import VIOLENT, DocContext, EventRecord, SentenceRecord
from pipeline.lib.events.syntax import _is_headline, past_perfect as _past_perfect

_CUE_KINDS = ("killed", "wounded", "missing", "captured")
_YEAR_WRITTEN = re.compile(r"\b(?:1[89]|20)\d\d\b")


@dataclass
class ScopeFacts:
    """What ``classify_scope``'s rules look at, read once from the sentence."""
    published: date | None
    mentions: list                       # casualty mentions of the kinds that make a toll
    perfect: bool                        # "have been killed": a running total
    day_anchor: bool                     # a day-level date or day cue attached to the figure
    old_year: bool                       # a year two or more before publication attached to it
    war_linked: bool                     # a war noun attached to the figure
    historical_cue: bool                 # "since the war began", "in the 1990s" ...
    past_cue: bool                       # the figure's cue verb is in the simple past
    root_war_past: bool                  # "The war killed ...": a war noun argument of a past root
    period: bool                         # an attached period date ("between May and July")
    period_cue: bool                     # "over the past week", "so far this year" ...
    several: bool                        # multi-day or plural-incident wording
    big_figure: bool                     # a figure at least ``aggregate_min_perfect_figure``
    war_clause: bool = False             # the figure sits in a clause describing a war ("a conflict
                                         # that left ... dead") or, perfect, an episode ("riots that
                                         # have left nine dead")
    campaign_total: bool = False         # perfect, a war or an episode its subject ("the campaign
                                         # has killed ...")
    war_agent: bool = False              # a war is the subject of the harm, in any tense ("civil war
                                         # kills 9,000", "the conflict killed thousands")
    whole_years: list[int] = field(default_factory=list)   # "in 2022", "this year"
    remembrance: bool = False            # the sentence marks an anniversary or a commemoration
    tribute: bool = False                # the sentence honours or mourns the dead ("paid tribute to the
                                         # victims of the 2016 attack")
    vague_mass: bool = False             # every figure is a vague mass ("tens of thousands")
    episode_toll: bool = False           # the figure is the risen toll of an episode of days
                                         # ("the toll of the protests rose to 40")
    episode_linked: bool = False         # an episode of days is attached to the figure ("died in
                                         # the protests", "killed during the unrest")
    past_perfect: bool = False           # "had died", "had been killed": a running total told in
                                         # reported speech ("he said 11 had died in the rioting")


# (name, rule, scope): the first rule that holds decides; none holds -> 'incident'.
_RULES: tuple[tuple[str, Callable[[ScopeFacts], bool], str], ...] = (
    ("a toll recalled at its anniversary or commemoration",
     lambda f: bool(f.mentions) and f.remembrance, "historical"),
    ("a tribute to the dead of an earlier year",
     lambda f: bool(f.mentions) and f.tribute and f.old_year, "historical"),
    ("old year, not a running total",
     lambda f: bool(f.mentions) and not f.perfect and f.old_year and not f.day_anchor, "historical"),
    ("a war's toll told in the past",
     lambda f: bool(f.mentions) and not f.perfect and f.war_linked and not f.day_anchor
     and (f.historical_cue or f.old_year or f.past_cue), "historical"),
    ("a past war as subject, no figure",
     lambda f: not f.mentions and f.war_linked and f.old_year and not f.perfect and not f.day_anchor
     and f.root_war_past, "historical"),
    ("a war's toll in the clause describing it",
     lambda f: bool(f.mentions) and f.war_clause, "aggregate"),
    ("a campaign's running total",
     lambda f: bool(f.mentions) and f.campaign_total and not f.day_anchor, "aggregate"),
    ("a war as the agent of the deaths",
     lambda f: bool(f.mentions) and f.war_agent and not f.day_anchor, "aggregate"),
    ("an attached period date", lambda f: f.period, "aggregate"),
    ("a period cue", lambda f: f.period_cue, "aggregate"),
    ("several days or incidents", lambda f: f.several, "aggregate"),
    ("a running total of a war",
     lambda f: bool(f.mentions) and (f.perfect or f.past_perfect) and f.war_linked, "aggregate"),
    ("a running total of an episode",
     lambda f: bool(f.mentions) and (f.perfect or f.past_perfect) and f.episode_linked and not f.day_anchor,
     "aggregate"),
    ("a large running total",
     lambda f: bool(f.mentions) and f.perfect and not f.day_anchor and f.big_figure, "aggregate"),
    ("a whole year's toll",
     lambda f: bool(f.mentions) and not f.day_anchor and f.published is not None and bool(f.whole_years)
     and all(f.published.year - 1 <= y <= f.published.year for y in f.whole_years), "aggregate"),
    ("a vague mass toll", lambda f: f.vague_mass and not f.day_anchor, "aggregate"),
    ("an episode's risen toll", lambda f: bool(f.mentions) and f.episode_toll and not f.day_anchor, "aggregate"),
)


def classify_scope(sent, dates, published: date | None, mentions=None) -> str:
    """'historical', 'aggregate' or 'incident' for a casualty sentence: the first rule of
    ``_RULES`` that holds, in this written precedence:

    1. historical: the sentence marks an anniversary or a commemoration ("mourners marked the
       second anniversary of the siege, in which 25 died"): the toll is an earlier incident's;
    2. historical: the sentence honours or mourns the dead ("paid tribute to the victims of the
       2016 attack that killed 20") and names a year two or more before publication: a day in it
       is the tribute's, the toll the earlier year's;
    3. historical: a year two or more before publication is attached to the figure (not a running
       total "have been killed", no day-level date);
    4. historical: a war noun is attached to the figure and the toll is told as past (a historical
       cue, an old year, or a simple-past cue verb), with no day-level date;
    5. historical: no figure, but a past war is the subject/object of a past-tense root, with an
       old year and no day-level date;
    6. aggregate: the figure sits in a relative clause describing a war ("a war that cost some
       300,000 lives"), or, in the perfect, an episode ("riots that have left nine dead") or
       several acts ("air raids that have killed hundreds at markets and schools"), and
       the clause names no day of its own (a day elsewhere in the sentence is another event's);
    7. aggregate: a running total whose subject is a war or an episode ("the campaign has killed
       ...", or in reported speech "had killed"), with no day-level date;
    8. aggregate: a war is the subject of the harm in any tense ("a civil war kills more than 9,000",
       "the insurgency killed thousands"), with no day-level date: a war kills over its whole
       length, never on one day (a day of fighting has a day: "the war killed 12 on Monday");
    9. aggregate: a period date ("from May to July") is attached to the figure;
    10. aggregate: a period cue ("over the past week") outside its listed exceptions;
    11. aggregate: multi-day or plural-incident wording ("in two days of fighting", "in attacks",
       "in more than ten days");
    12. aggregate: a running total linked to a war ("have been killed in the war", or in reported
        speech "he said 300 had been killed in the war");
    13. aggregate: a running total (perfect, or past perfect in reported speech) linked to an
        episode of days, with no day-level date ("eleven people had died in the rioting", "have
        been killed during the protests"): the episode's total so far, not one day's dead;
    14. aggregate: a large running total with no day-level date ("More than 40,000 ... have been killed");
    15. aggregate: a whole year's toll, the year of publication or the one before ("in 2022");
    16. aggregate: every figure is a vague mass of thousands or more ("killing tens of thousands"),
        with no day-level date: no single day's report counts its dead that way;
    17. aggregate: a toll that rose or was brought up, in a sentence naming an episode of days
        ("the death toll from the week's protests rose to 40"), with no day-level date: the
        episode's running total, not one day's dead ("the toll from the bombing rose" is not);
    else incident.

    ``mentions``: the casualty mentions whose toll is judged (default: all of the sentence's).
    """
    if not hasattr(sent, "start"):
        sent = sent[:]
    facts = scope_facts(sent, dates, published, mentions)
    for _name, rule, scope in _RULES:
        if rule(facts):
            return scope
    return "incident"


# ---------------------------------------------------------------- reading the facts
class _Reader:
    """The cue machinery classify_scope's facts share: the figures' clauses (focus) and the
    regex cues attached to them."""

    def __init__(self, sent, lex, mentions=None):
        self.sent, self.lex = sent, lex
        self.text = sent.text            # a Span rebuilds its text from the tokens on every access
        self.mentions = [m for m in (cas.extract_casualties(sent) if mentions is None else mentions)
                         if m.kind in _CUE_KINDS]
        # a mention with no figure ("the number killed since ...") says nothing of a figure's scope
        figured = [m for m in self.mentions if (m.quantity.best, m.quantity.low, m.quantity.high) != (None, None, None)]
        if figured:
            self.mentions = figured
        self.focus = cas._focus(sent, self.mentions, lex)
        self.cue_tokens = []
        for m in self.mentions:
            span = sent.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                self.cue_tokens.extend(tok for tok in span if tok.text == m.trigger)
        # a new one of a series ("the third attack in a week") names no period either
        self.exceptions = [m.span() for key in ("period_cue_exceptions", "series_incident_patterns")
                           for m in self.regex_hits(key)]
        for m in re.finditer(r"\bsince\b", self.text, re.IGNORECASE):      # "has since stabilized"
            toks = cas._span_tokens(sent, m.start(), m.end())
            if toks and toks[0].dep_ == "advmod" and not list(toks[0].children):
                self.exceptions.append(m.span())

    def regex_hits(self, key):
        for rx in self.lex.regexes.get(key, []):
            yield from rx.finditer(self.text)

    def comparison(self, toks) -> bool:
        """'the deadliest attack this year', 'the worst fighting in two years', 'the bloodiest day
        since the coup': a comparison, not a span (the phrase hangs on a superlative noun, or
        directly follows one when the parser hangs it on the verb)."""
        sup = self.lex["superlative_words"]

        def superlative(t) -> bool:
            return t.pos_ in ("NOUN", "PROPN", "ADJ") and (t.tag_ == "JJS" or t.lower_ in sup or any(
                c.tag_ in ("JJS", "RBS") or c.lower_ in sup for c in t.children))

        if toks and toks[0].i > self.sent.start and superlative(self.sent.doc[toks[0].i - 1]):
            return True
        for tok in toks[:1]:
            cur = tok
            for _ in range(6):
                if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
                    break
                cur = cur.head
                if superlative(cur):
                    return True
        return False

    def attached_hits(self, key) -> list:
        out = []
        for m in self.regex_hits(key):
            toks = cas._span_tokens(self.sent, m.start(), m.end())
            if cas._attached(self.sent, toks, self.focus) and not self.comparison(toks):
                out.append(m)
        return out

    def excepted(self, m) -> bool:
        return any(s <= m.start() < e for s, e in self.exceptions)


def _date_facts(r: _Reader, dates, published):
    """(years attached to the figure, whole-year mentions, day anchor, attached period)."""
    sent, lex = r.sent, r.lex
    years, whole_years, day_anchor, period = [], [], False, False
    for dm in dates or []:
        toks = cas._locate(sent, dm)
        if toks is None:
            continue                      # a date of another sentence
        attached = cas._attached(sent, toks, r.focus) if toks else True
        val, prec = getattr(dm, "value", None), getattr(dm, "precision", None)
        is_period = getattr(dm, "is_period", False) or long_span(dm)
        if is_period and attached and not r.comparison(toks):
            dtext = getattr(dm, "text", "") or ""
            if not any(rx.search(dtext) for rx in lex.regexes["incident_period_patterns"]) and not any(
                    s <= (r.text.find(dtext)) < e for s, e in r.exceptions):
                period = True
        ongoing = bool(is_period) and (getattr(dm, "end_value", None) is None or published is None
                                       or (published - dm.end_value).days < 365)
        if val is not None and attached and not ongoing:
            years.append(val.year)
            if prec == "year":
                whole_years.append(val.year)
        if val is not None and prec == "day" and attached and not long_span(dm):
            # a day near publication, or a day with its year written out ("on 14 April 2014":
            # a restated incident keeps its own day, however old)
            if published is None or abs((published - val).days) <= 400 or _YEAR_WRITTEN.search(
                    getattr(dm, "text", "") or ""):
                day_anchor = True
    return years, whole_years, day_anchor, period


#: a stated span of days longer than this is a period, not an episode ("between January 1 and
#: July 23": a half-year's toll); an episode of a few days ("March 3-4") stays one incident
LONG_SPAN_DAYS = 7


def long_span(dm) -> bool:
    """The date mention states a span of more than ``LONG_SPAN_DAYS`` days."""
    start, end = getattr(dm, "value", None), getattr(dm, "end_value", None)
    return start is not None and end is not None and (end - start).days > LONG_SPAN_DAYS


def _text_years(r: _Reader, years: list[int], whole_years: list[int]) -> None:
    """Years written in the text ("in 2020", "the 1990s war") attached to the figure."""
    sent, doc = r.sent, r.sent.doc
    for m in cas._YEAR_RE.finditer(r.text):
        toks = cas._span_tokens(sent, m.start(), m.end())
        prev_word = doc[toks[0].i - 1].lower_ if toks and toks[0].i > sent.start else ""
        told = bool(toks) and _told_of(r, toks[0])
        if prev_word == "since" and not told:
            continue                      # the start of an ongoing period, not a past date
        if toks and (toks[0].ent_type_ == "DATE" or m.group(2) or prev_word in cas._YEAR_PRECEDERS
                     or (toks[0].dep_ in ("nummod", "compound") and cas._lemma(toks[0].head) in r.lex["war_nouns"])):
            if told or cas._attached(sent, toks, r.focus):
                years.append(int(m.group(1)))
                if prev_word == "in" and not m.group(2):
                    whole_years.append(int(m.group(1)))


def _told_of(r: _Reader, tok) -> bool:
    """A figure's cue word sits in a relative clause of ``tok`` ("the worst since 2015, when
    gunmen killed 148": the clause tells what happened then, so 2015 is the figure's year)."""
    return any(a.dep_ == "relcl" and a.head.i == tok.i for c in r.cue_tokens for a in [c, *c.ancestors])


def _noun_linked(r: _Reader, nouns) -> bool:
    """One of ``nouns`` (not as a compound modifier) is attached to the figure's clause, or
    governs one of its cue words."""
    for tok in r.sent:
        if (cas._lemma(tok) in nouns or tok.lower_ in nouns) and tok.dep_ != "compound":
            if cas._attached(r.sent, [tok], r.focus) or any(tok.i in {a.i for a in c.ancestors} for c in r.cue_tokens):
                return True
    return False


def _war_linked(r: _Reader) -> bool:
    return _noun_linked(r, r.lex["war_nouns"])


def _root_war_past(r: _Reader) -> bool:
    root = r.sent.root
    return root.tag_ == "VBD" and any(cas._lemma(x) in r.lex["war_nouns"] for c in root.children
                                      if c.dep_ in ("nsubj", "dobj", "nsubjpass") for x in c.subtree)


def _describing_clause(tok, sent):
    """The noun a relative or adjectival clause containing ``tok`` describes, or None."""
    for a in [tok, *tok.ancestors]:
        if a.i < sent.start or a.i >= sent.end:
            break
        if a.dep_ in ("relcl", "acl") and a.head.pos_ in ("NOUN", "PROPN"):
            return a.head
    return None


def _war_clause(r: _Reader, perfect: bool) -> bool:
    """The figure sits in a clause describing a war (or, perfect, an episode, or several acts:
    "air raids that have killed hundreds at markets and schools"), and that clause names no day
    of its own ("a war that cost some 300,000 lives", but not "the clashes that killed nine on
    Monday")."""
    wars, episodes = r.lex["war_nouns"], r.lex["episode_nouns"]
    for t in r.cue_tokens:
        noun = _describing_clause(t, r.sent)
        if noun is not None and (cas._lemma(noun) in wars or (perfect and cas._lemma(noun) in episodes)
                                 or (perfect and noun.tag_ == "NNS" and clause_typer().noun_type(noun)[0])):
            clause = next(a for a in [t, *t.ancestors] if a.dep_ in ("relcl", "acl"))
            if not any(x.ent_type_ in ("DATE", "TIME") for x in clause.subtree):
                return True
    return False


def _episode_linked(r: _Reader) -> bool:
    """An episode of days (``episode_toll_nouns``: protests, unrest, rioting, a crackdown) is
    attached to the figure's clause, as a war is for ``_war_linked``."""
    return _noun_linked(r, r.lex["episode_toll_nouns"])


def _campaign_total(r: _Reader, perfect: bool) -> bool:
    if not perfect:
        return False
    nouns = r.lex["war_nouns"] | r.lex["episode_nouns"]
    return any(cas._lemma(c) in nouns for t in r.cue_tokens for c in t.children if c.dep_ == "nsubj")


def _war_agent(r: _Reader) -> bool:
    """A war noun (``war_nouns``) is the subject of a cue word of the figure, in any tense."""
    wars = r.lex["war_nouns"]
    return any(cas._lemma(c) in wars for t in r.cue_tokens for c in t.children if c.dep_ == "nsubj")


def _episode_toll(r: _Reader) -> bool:
    """A toll that rose or was brought up ("the death toll ... rose to 40", "bringing the toll to
    40") in a sentence naming an episode of days (``episode_toll_nouns``: protests, unrest, an
    uprising, a campaign): the running total of the episode, not one day's dead.  A single
    attack's toll ("the toll from the bombing rose to 45") is not."""
    lex = r.lex
    if not cas.names_episode(r.sent, lex):
        return False
    verbs = lex["toll_intransitive_verbs"] | lex["toll_transitive_verbs"]
    return any(cas._lemma(t) in lex["toll_nouns"] and cas._lemma(t.head) in verbs and cas._lemma(t.head) != "be"
               for t in r.sent)


def _big_figure(mentions, lex) -> bool:
    """A figure of at least ``aggregate_min_perfect_figure``, or figures of one kind that add up
    to it ("780 rebel fighters and more than 610 soldiers have died")."""
    floor = lex["aggregate_min_perfect_figure"]
    by_kind: dict[str, int] = {}
    for m in {(m.start_char, m.end_char): m for m in mentions}.values():
        if m.quantity.best is not None:
            by_kind[m.kind] = by_kind.get(m.kind, 0) + m.quantity.best
    return any(total >= floor for total in by_kind.values())


def _vague_mass(mentions, lex) -> bool:
    """Every figure is written as a vague quantity of at least ``vague_mass_minimum`` ("thousands",
    "tens of thousands"), no digit."""
    floor = lex["vague_mass_minimum"]

    def mass(m) -> bool:
        text = m.quantity.text.lower()
        if any(ch.isdigit() for ch in text):
            return False
        values = [v["value"] for k, v in lex["vague_quantities"].items() if k in text and v.get("value")]
        return bool(values) and max(values) >= floor

    return bool(mentions) and all(mass(m) for m in mentions)


def scope_facts(sent, dates, published: date | None, mentions=None) -> ScopeFacts:
    lex = cas.load_lexicon()
    r = _Reader(sent, lex, mentions)
    years, whole_years, day_anchor, period = _date_facts(r, dates, published)
    _text_years(r, years, whole_years)
    if list(r.attached_hits("day_cue_patterns")):
        day_anchor = True
    cue = r.cue_tokens
    perfect = any(cas._is_perfect(t) for t in cue) if cue else cas._is_perfect(sent.root)
    # "had died", "had been killed": in reported speech the backshifted perfect ("he said 300
    # had been killed in the war" reports "300 have been killed")
    past_perfect = any(_past_perfect(t) for t in cue)
    return ScopeFacts(
        published=published, mentions=r.mentions,
        perfect=perfect,
        war_clause=_war_clause(r, perfect),
        campaign_total=_campaign_total(r, perfect or past_perfect),
        war_agent=_war_agent(r),
        day_anchor=day_anchor,
        old_year=published is not None and any(y <= published.year - 2 for y in years),
        war_linked=_war_linked(r),
        historical_cue=bool(r.attached_hits("historical_cue_patterns")),
        past_cue=any(t.tag_ in ("VBD",) or any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in t.children)
                     for t in cue),
        root_war_past=_root_war_past(r),
        period=period,
        period_cue=any(not r.excepted(m) for m in r.attached_hits("period_cue_patterns")),
        several=any(not r.excepted(m) for key in ("multi_day_patterns", "plural_incident_patterns")
                    for m in r.attached_hits(key)),
        big_figure=_big_figure(r.mentions, lex),
        whole_years=whole_years,
        remembrance=any(True for _ in r.regex_hits("remembrance_patterns")),
        tribute=any(True for _ in r.regex_hits("tribute_patterns")),
        vague_mass=_vague_mass(r.mentions, lex),
        episode_toll=_episode_toll(r),
        episode_linked=_episode_linked(r),
        past_perfect=past_perfect,
    )


# ---------------------------------------------------------------- an earlier incident at a distance
def _distance(tok, lex) -> bool:
    """A distance in days, weeks, months or years on an 'after'/'before' word, on the clause it
    leads or on the verb it hangs from ("a week after", "weeks after", "two days before", "coming
    a month after"); hours are not a distance here (a second incident of the same day is still
    that day's)."""
    units = lex["displacement_units"]
    cands = list(tok.children)
    if tok.dep_ in ("mark", "prep"):
        # the parser may hang the distance on the verb the word leads from: "coming a month after
        # a raid that killed 71", "the attack comes weeks after"
        cands += [c for c in tok.head.children if c.i < tok.i]
    return any(c.dep_ == "npadvmod" and cas._lemma(c) in units for c in cands)


def _after_a_deed_of_another_act(tok, triggers) -> bool:
    """'after' or 'before' + a noun phrase, hung on a main verb that is neither violence nor a
    report of it ("agreed a ceasefire on May 1 after the violence that killed 55", "arrested ten
    men after clashes that killed three"): the toll in that phrase is of an earlier deed, whose
    day the main verb's date is not."""
    if tok.dep_ != "prep" or not any(c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN") for c in tok.children):
        return False
    head = tok.head
    if head.pos_ not in ("VERB", "AUX") or head.i != head.sent.root.i or _is_headline(head.sent):
        return False   # a headline's "X declares mourning after 20 soldiers killed" is the news
    if clause_typer().is_reporting(head) or cas._lemma(head) in cas.load_lexicon()["killed_verbs"]:
        return False
    return not any(t.head.i == head.i and t.event_type in VIOLENT for t in triggers)


def displaced_mentions(sent, mentions, dates, triggers=()) -> dict[tuple[int, int], bool]:
    """(start_char, end_char) -> dated, for the casualty mentions told as another incident at a
    stated distance from the sentence's own: in a phrase or clause led by 'after' or 'before'
    that carries a distance ("three police officers were killed on Saturday, a week after an
    ambush killed eight soldiers"; "the raid came weeks after bombers killed 52"), or in an
    'after'/'before' phrase of a main verb that is another act ("agreed a ceasefire on May 1
    after the violence that killed 55": ``_after_a_deed_of_another_act``).  Such a toll
    is never the sentence's day's.  ``dated``: the phrase names a day of its own ("a week after
    an ambush on March 1 killed eight"); without one the toll is an earlier (or later) incident
    with no day to book it on (docs/codebook.md, ``restated_undated``).  A figure whose verb
    the parser hangs on the main clause right after the phrase ("... a week after an ambush in
    the area killed eight", 'killed' a conjunct with no subject of its own) is in it too.
    ``triggers``: the sentence's event triggers (the triggers pass's), which tell a violent
    main verb."""
    lex = cas.load_lexicon()
    regions = []
    for tok in sent:
        if tok.lower_ not in lex["displacement_marks"] or tok.dep_ not in ("prep", "mark"):
            continue
        if not (_distance(tok, lex) or _after_a_deed_of_another_act(tok, triggers)):
            continue
        region = {t.i for t in (tok.head.subtree if tok.dep_ == "mark" else tok.subtree)}
        own_day = any(getattr(dm, "precision", None) == "day" and (toks := cas._locate(sent, dm))
                      and any(t.i in region for t in toks) for dm in dates or [])
        regions.append((region, own_day))
    if not regions:
        return {}
    out: dict[tuple[int, int], bool] = {}
    for m in mentions:
        span = sent.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        cue = next((t for t in span if t.text == m.trigger), None) if span is not None else None
        if cue is None:
            continue
        run_on = cue.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
        inside = [dated for r, dated in regions if cue.i in r or (run_on and cue.i - 1 in r)]
        if inside:
            out[(m.start_char, m.end_char)] = any(inside)
    return out


# ---------------------------------------------------------------- generic statements
def _habitual(v, lex) -> bool:
    """An adverb of habit on the verb ("periodically", "repeatedly", "twice")."""
    return any(c.dep_ in ("advmod", "npadvmod") and c.lower_ in lex["habitual_adverbs"] for c in v.children)


def _counted_wars(v, lex) -> bool:
    """A counted plural war as the verb's object or its subject's complement: "fought two wars"."""
    return any(c.dep_ in ("dobj", "attr", "pobj") and c.tag_ in ("NNS", "NNPS") and cas._lemma(c) in lex["war_nouns"]
               and any(n.dep_ == "nummod" for n in c.children) for c in v.children)


def generic_statement(ev: EventRecord, rec: SentenceRecord) -> bool:
    """An undated statement of habit or general fact: no day-level date in the sentence, and the
    event's verb carries an adverb of habit or counts wars ("have gone to war twice", "has
    periodically justified the blockade", "fought two wars")."""
    if any(m.precision == "day" for m in rec.date_mentions):
        return False
    lex = cas.load_lexicon()
    v = ev.trigger.head if ev.trigger.head is not None else ev.trigger.token
    return _habitual(v, lex) or _counted_wars(v, lex)


def counted_mentions(ev: EventRecord, rec: SentenceRecord) -> list | None:
    """The mentions the counts pass counted (``EventRecord.counted``): without another
    incident's at a distance, and, in a sentence naming an episode of days, without the
    episode's running toll beside the day's figure ("killing nine on Tuesday, bringing to 64 the
    number killed since the protests began": the scope is the nine's), and without a victim
    named among the dead ("among the 60 dead is a journalist shot on Saturday": Saturday is the
    journalist's).  None when they are all the sentence's."""
    if not rec.displaced and len(ev.counted) == len(ev.casualties):
        return None
    return ev.counted


def _carried_scope(ev: EventRecord, rec: SentenceRecord, ctx: DocContext) -> str | None:
    """A toll with no day of its own right after a period's toll (the sentence before it is a
    toll of scope 'aggregate' or 'historical', or one dated only to a month or a year) continues
    it, and takes its scope ('aggregate' for the month's or year's toll) when

    * it opens with an additive connective ("In addition, 600 fighters have died"), or
    * that toll is a period's ('aggregate', or dated to a month or a year) and it is no larger:
      a share of it ("141 rebels have been killed this year. The most, 139, were killed in the
      southern district.").  A share of a past war's toll is not carried: an earlier misreading
      of the war sentence would carry to the day's own tolls after it.
    """
    lex = cas.load_lexicon()
    text = rec.sent.text
    if any(m.precision == "day" for m in rec.date_mentions) or any(
            rx.search(text) for rx in lex.regexes["day_cue_patterns"]):
        return None
    before = ctx.prev_rows[-1] if ctx.prev_rows else []
    tolls = [r for r in before if r.get("killed") or r.get("wounded")]
    if not tolls:
        return None
    scopes = {r["scope"] if r["scope"] != "incident" or r["date_precision"] not in ("month", "year")
              else "aggregate" for r in tolls}
    if len(scopes) != 1 or not scopes <= {"aggregate", "historical"}:
        return None
    if any(rx.search(text) for rx in lex.regexes["additive_opener_patterns"]):
        return scopes.pop()
    own = max((v for v in (ev.killed, ev.wounded) if v), default=None)
    whole = max(v for r in tolls for v in (r.get("killed"), r.get("wounded")) if v)
    if scopes == {"aggregate"} and own is not None and own <= whole:
        return "aggregate"
    return None


# ---------------------------------------------------------------- the pass
def scope_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    """Rules: an undated statement of habit is 'generic' (never an incident); a casualty event
    takes ``classify_scope``'s answer on its own mentions, except that a toll which is only
    another incident's, told at a distance ("the raid came weeks after bombers killed 52",
    ``displaced_mentions``), is never an 'incident': 'historical' (an earlier incident with no
    day, docs/codebook.md section 5) where ``classify_scope`` would say so; any other event is an
    'incident' here (the date pass may make it historical by its date's age)."""
    for ev in rec.events:
        if generic_statement(ev, rec):
            ev.scope = "generic"
        elif ev.casualties:
            own = counted_mentions(ev, rec)
            ev.scope = classify_scope(rec.sent, rec.date_mentions, ctx.published, own)
            if ev.displaced and ev.scope == "incident":
                ev.scope = "historical"
            elif ev.scope == "incident" and (carried := _carried_scope(ev, rec, ctx)) is not None:
                ev.scope = carried
        else:
            ev.scope = "incident"


def scope_by_date(ev: EventRecord, published: date | None) -> str:
    """An incident dated by a mention more than a year before publication is historical, unless
    the mention names its day: a restated incident keeps its own day ("on 14 April 2014 gunmen
    abducted ...") and is that day's incident (docs/codebook.md section 1), counted once however
    many later articles restate it."""
    if (ev.scope == "incident" and ev.date_mention is not None and ev.event_date is not None
            and ev.date_precision != "day"
            and published is not None and (published - ev.event_date).days > 366):
        return "historical"
    return ev.scope
