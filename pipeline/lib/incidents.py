"""Incident merging: reports of one real incident become one incident row.

Contract (docs/architecture.md)::

    merge_incidents(events, published) -> (incidents, event_to_incident)

``events`` are event rows (dicts with the columns of the ``events`` table),
``published`` maps ``doc_id`` to the publication date of the document (or None).
The result is one row per incident (columns of the ``incidents`` table) and the
mapping ``event_id -> incident_id`` covering every input event exactly once,
except events of ``scope = 'generic'`` (undated habitual or general statements:
"the two countries have fought two wars"): they never form an incident, are
left out of the mapping and keep ``incident_id`` NULL in the warehouse.
An optional third argument ``config: MergeConfig`` tunes the rules.

Columns the extractor may not fill yet are optional (missing keys read as NULL):
``cause``, ``acled_sub_type``, ``disorder_type``, ``event_end_date``.

Merge rules
-----------
A report (or a cluster of reports) and an incident under construction are
*compatible* when

* **scope** is the same ('incident' | 'aggregate' | 'historical'): scopes never mix;
* **type family** is the same: ASSAULT and FIGHT form one family, every other
  PLOVER type (CONSULT, ACCUSE, ...) is its own family, None is its own family;
* **date**: both day precision and the span of all day dates of the incident plus
  the candidate is at most ``max_day_gap`` (1) day -- complete link on the date,
  so an incident never stretches over more than two consecutive days;
* **place**: the same canonical location, or one of them is None; besides, two
  different locations are compatible when the articles put them together in one
  place phrase ("the town of Mellit in Sudan's North Darfur state", "Mellit,
  North Darfur"; a mere mention in the same sentence does not count), when one
  is an ancestor of the other
  (``MergeConfig.place_parents``), or weakly when one is a country and the other
  a place the hierarchy does not know (``MergeConfig.open_places``;
  ``place_hierarchy_from_gazetteer`` builds both).  A landmark the gazetteer
  lacks (a name ending in a landmark noun: "Liberty Square", "Saint Mark Cathedral";
  ``MergeConfig.landmark_nouns``) lies inside its document's own place (the
  finest known place its reports name most often); an unknown town does not.
  Complete link: the candidate must be compatible with every location of the
  incident;
* **sides**: the side sets of {actor1, actor2} overlap, or one of them is empty
  (complete link: the candidate must share an actor with every report of the
  incident that names actors); ``victim_side`` equal or one None; and the
  direction of a one-sided act is not reversed (the perpetrator of one report is
  not the target or victim of the other, unless both reports are of a symmetric
  type: FIGHT, CONSULT, AGREE, COOPERATE).  A side set leaves out a state or
  region that is the report's own place or its ancestor (the "Somalia" of
  "Somalia: bomb kills 90 in Mogadishu" says where, not who) and adds the state
  an actor acts for (``MergeConfig.actor_states``: "Russian Armed Forces" also
  stands for "Russia"); the incident's actor columns keep the reported names.
  With ``MergeConfig.known_sides`` (the pipeline passes the gazetteer's states,
  governments, armed forces and groups, de facto authorities) only known sides
  take part in this complete link: "gunmen", a witness or a church in an actor
  slot never keeps two reports apart (a shared name is still evidence).

* **cause**: two reports whose known causes differ (violence, disaster, accident,
  disease, crime; 'unknown' and NULL are compatible with anything) never merge.

Episodes (``MergeConfig.episode_days`` > 0; the pipeline stage uses
``EPISODE_DAYS`` = 7; the default 0 keeps the two-day complete link above).  A
report's own date may be a span: ``date_precision`` 'range' (or 'day') with
``event_end_date`` after ``event_date`` ("March 3-4", "the two-day fighting").
Beyond the two-day window a report joins an incident only when its days overlap
or touch the incident's (no day between), the whole stays within
``episode_days`` days, and

* one of them holds a stated span, with evidence (shared actor or same/related
  place); or
* it is a *running toll*: same or related place and a shared actor, both carry
  a figure, and the report's figures are not lower than the incident's highest
  (a smaller figure the next day is new fighting, not a revision).

Stage B2: an incident holding an explicit all-sides figure (victim side 'all',
'both sides') absorbs the compatible incidents of its block nearby (the per-side
incidents whose figures the total sums up; stage B found it ambiguous between
them).  Inside an episode with a stated span or with such a total, per-side
figures of different victim sides share the incident, provided every victim side is one of the incident's
actors (side A's dead and side B's dead of one battle); elsewhere the victim
side stays a complete-link condition.  An incident is an *episode* when a report
states a span or its stated days run further apart than ``max_day_gap``; its
``start_date``/``end_date`` are its first and last day and ``event_date`` is
``start_date``.  Any other incident has ``start_date = end_date = event_date``
(two adjacent stated days alone are reports disagreeing about the day, and the
day rule below picks one); a coarse incident has its period (month: first and
last day), an undated one NULL.  A victim side of 'all'/'both sides' is
compatible with any side.

Identical figure-less rows of one sentence (the extractor writes "two claims of
ceasefire violations" as two rows) are distinct occurrences and never share an
incident.

*Evidence* is a shared or related location or a shared actor.  A candidate
without evidence (compatible only because its fields are None) joins an
incident only when exactly one is compatible; a tie between equally good
candidates that are not interchangeable is ambiguous and the report stays its
own incident.

Stages (each deterministic; events are first sorted by date, doc_id,
start_char, event_id, so the result does not depend on the input order):

A. inside one document, day-precision events are clustered in text order (the
   headline, standfirst and lead of one story become one local cluster; an event
   without evidence joins the nearest compatible cluster in the text, preferring
   the one before it).  An event with no stated date (empty ``date_text``)
   whose day is the publication date is *soft* (unless it calls itself a new one of a
   series: "the second attack in three days", ``series_incident_patterns``): it is placed after the others
   and may join a compatible cluster of its document from the previous week (a
   headline in Thursday's paper restating Tuesday's strike); soft days neither
   widen a cluster nor set its date.  The repeated rows of one sentence stay
   apart, each its own cluster;
B. local clusters are merged across documents by comparing each with the
   *representative* of the incidents built so far (locations, actor slots and
   actor sets, victim side, day span) -- never single link, so A~B and B~C does
   not pull A and C together.  A document's local clusters kept apart in stage A
   are not re-joined (the document itself told them apart).  Repeated rows are
   placed last, so that they never seed an incident the reports with figures
   then join;
B3. incidents of one block from documents stage A did not keep apart, on days at most
   ``max_day_gap`` apart, in one country, with no conflicting cause, that tell the same toll
   precisely (a killed and a wounded figure both report, one of them at least ``SAME_TOLL_MIN``:
   5 killed or 10 wounded; or one shared figure of at least ``SAME_TOLL_ALONE``: 25 killed or 50
   wounded; a figure counts as shared when any report of each states it, so a restated older
   figure ties a later report to the earlier) become one incident (``_unite_by_same_toll``): such a toll on the same days is
   stronger evidence than a place named at another grain or a noisy actor slot, which kept
   them apart in stage B;
C. a week- or month-precision report is attached to a day-precision incident of
   the same period when exactly one compatible incident with evidence exists and
   that incident holds no report of the same document (a document that pins the
   day elsewhere speaks of something else);
D. the remaining coarse reports (week/month/year) merge with reports of the same
   precision and period when they share evidence;
E. undated reports join a compatible incident of their own document (best score,
   then nearest in the text), else they stay alone; in a document whose incidents of that
   kind lie on several days (a roundup), only with evidence (a shared place or actor):
   nothing else says which day's incident an undated figure belongs to.
F. an incident all of whose dated reports are dated only by publication (a later article's
   headline and lead restating a toll, with the undated sentences of its story) joins the one
   incident of the previous ``soft_date_window`` days, with a stated day, evidence and no
   higher figure, that it restates (``_join_restatements``).

Counts (killed, wounded) come from counted_toll() (rules in its docstring): per
side the latest conservative figure (latest publication date, then the higher,
then text order: a rising toll replaces the earlier ones); a positive figure
wins over 0; NULL never overrides a number; the latest all-sides total (a
figure with victim side 'all'/'both sides' or none) replaces the per-side
figures it covers and is never added to; figures of different sides not
covered by a total add up.  Reports are never summed.  low/high come from the
counted figures, repaired so that low <= best <= high.  incident_tolls() lists
every figure with the rule that decided it.  ``disputed`` is true when any
report is disputed; ``cause`` is the most frequent known cause of the reports
('unknown' when only that, NULL when none codes one); ``acled_sub_type`` and
``disorder_type`` the most frequent among reports of the incident's type.
``victim_side`` is 'all' when the reports name several sides.
The incident date is the modal stated day (ties: the day most reports carry, then the earliest), its precision
the finest of its reports; ``incident_id`` is ``'inc-'`` + the first 16 hex of
sha1 of the event_id of its first report in sort order (stable when later
reports join).

Complexity
----------
Sorting is O(n log n).  The place-phrase table reads each distinct sentence
once (n-grams up to the longest location name: O(total words)).  Stage A is
O(sum over documents of m_d * k_d), m_d events and k_d local clusters in a
document (both small).  Stage B blocks by (scope, type family) and keeps per
block only the incidents of a sliding two-day window (a deque retired in date
order); candidates are looked up through indexes by location (and related
locations) and by actor, plus at most two evidence-free incidents (early exit).
Stages C and D use the same indexes per (scope, family, month) and per
(scope, family, precision, period).  Overall O(n log n + n * c), c the number of
incidents that share a place or an actor with a report inside its block and
two-day window -- a small constant in practice -- instead of O(n^2); memory
O(n).  About 10 s per 100k events on one core.

This module must not import dagster.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from collections import Counter, deque
from difflib import SequenceMatcher
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping, NamedTuple

from pipeline.lib.casualties import load_lexicon as load_casualty_lexicon

__all__ = [
    "INCIDENT_COLUMNS",
    "MergeConfig",
    "type_family",
    "merge_counts",
    "counted_toll",
    "toll_side",
    "book_days",
    "incident_tolls",
    "place_hierarchy_from_gazetteer",
    "merge_incidents",
]

_COUNT_COLUMNS = ("killed", "killed_low", "killed_high", "wounded", "wounded_low", "wounded_high")

INCIDENT_COLUMNS = [
    "incident_id",
    "event_date",
    "date_precision",
    "event_type",
    "acled_type",
    "location",
    "actor1",
    "actor2",
    "victim_side",
    *_COUNT_COLUMNS,
    "n_reports",
    "n_documents",
    "disputed",
    "scope",
    "start_date",
    "end_date",
    "cause",
    "acled_sub_type",
    "disorder_type",
]

# Columns of the ``incident_tolls`` table (see incident_tolls()).
TOLL_COLUMNS = [
    "incident_id",
    "event_id",
    "doc_id",
    "published_date",
    "side",
    *_COUNT_COLUMNS,
    "claimed_by",
    "disputed",
    "counted",
    "rule",
]

CAUSES = ("violence", "disaster", "accident", "disease", "crime", "unknown")
# victim_side values that name every side of an incident ("at least 170 on both sides")
ALL_SIDES = frozenset({"all", "all sides", "both", "both sides", "total"})

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_FAMILIES = {"ASSAULT": "VIOLENCE", "FIGHT": "VIOLENCE"}
# Types whose two actor slots are interchangeable ("A and B clashed", "A met B").
# For every other type a report whose perpetrator is the other's target or victim
# is a different event (retaliation, counter-accusation).
_SYMMETRIC_TYPES = frozenset({"FIGHT", "CONSULT", "AGREE", "COOPERATE"})
_DATE_MAX = date.max
_DATE_MIN = date.min
_FAR = 1 << 40
_ALIKE_MIN = 6       # names shorter than this are never taken for spelling variants
_ALIKE_RATIO = 0.9   # difflib ratio of two spellings of one name


@dataclass
class MergeConfig:
    """Tunables; the defaults implement the documented rules."""

    max_day_gap: int = 1
    # child canonical location -> parent canonical location (town -> region -> country).
    # A location and one of its ancestors are compatible; the finer one is reported.
    place_parents: Mapping[str, str | None] | None = None
    # Country-level names (e.g. every state of the gazetteer).  Such a location is
    # compatible (weakly: not evidence) with a place that neither place_parents
    # nor open_places know, e.g. the "Sudan" of a headline and a town the
    # gazetteer lacks.  See place_hierarchy_from_gazetteer().
    open_places: Iterable[str] | None = None
    # Two locations named together in a report's sentence are compatible.
    co_mention: bool = True
    # Attach week/month-precision reports to a unique day-precision incident.
    attach_coarse: bool = True
    # A day-precision event without a stated date (empty date_text) dated on the
    # publication day of its document is "soft": inside its document it may join
    # an incident of the preceding soft_date_window days.
    soft_date_window: int = 7
    # When True, reports of different documents merge only with evidence
    # (shared or related location, shared actor), never on None alone.
    require_evidence_across_documents: bool = False
    # Episodes (0 = off: the two-day complete link above is the only date rule).
    # When > 0, an incident may cover up to ``episode_days`` consecutive days:
    # a report whose own date is a span (event_end_date after event_date) joins
    # the incident whose days it overlaps or touches, and a running toll (a
    # figure not lower than the incident's, same place, a shared actor, no
    # conflicting victim side) on the day after the incident's last day extends
    # it.  The pipeline stage sets EPISODE_DAYS.
    episode_days: int = 0
    # Side affiliations: an actor key -> the state it acts for (a state's armed forces or
    # government -> the state), so "the Russian army" and "Russia" count as one side.
    # See actor_states_from_gazetteer().
    actor_states: Mapping[str, str] | None = None
    # Names of the sides the gazetteer knows (states, governments, armed forces and groups, de
    # facto authorities).  Only they can keep two reports apart in the complete link on sides:
    # a witness, a church or "gunmen" in an actor slot is no evidence against a merge (it is
    # still evidence for one when both name it).  None: every name counts (the default).
    known_sides: Iterable[str] | None = None
    # A landmark the gazetteer does not know (its name ends in one of these nouns: "Liberty
    # Square", "Saint Mark Cathedral") lies, for comparison, inside the place its document is
    # about (the finest known place its reports name most often): see
    # _anchor_unknown_places().  None reads the ``landmark_nouns`` of
    # pipeline/data/entity_words.json; an empty set turns anchoring off.
    landmark_nouns: Iterable[str] | None = None


# What the pipeline stage passes as MergeConfig.episode_days.
EPISODE_DAYS = 7


# --------------------------------------------------------------------------- helpers


def type_family(event_type: str | None) -> str:
    """ASSAULT/FIGHT -> 'VIOLENCE'; any other type is its own family; None -> ''."""
    if event_type is None:
        return ""
    t = str(event_type).strip().upper()
    return _FAMILIES.get(t, t)


def _key(s: Any) -> str | None:
    """Comparison key of a name: casefolded, whitespace collapsed; '' -> None."""
    if s is None:
        return None
    if isinstance(s, float) and math.isnan(s):
        return None
    k = " ".join(str(s).split()).casefold()
    return k or None


_NON_WORD = re.compile(r"[^\w\s-]+")
_NON_WORD_BUT_COMMA = re.compile(r"[^\w\s,-]+")


def _mention_form(s: str) -> str:
    """Form used to find a name in a sentence: punctuation to spaces, casefolded."""
    return " ".join(_NON_WORD.sub(" ", s.casefold()).split())


def _as_date(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:  # ISO strings, numpy.datetime64 and the like
        return date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        return None


def _as_count(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    if math.isnan(f) or math.isinf(f) or f < 0:
        return None
    return int(round(f))


def _precision(ev: Mapping[str, Any], d: date | None) -> str:
    p = ev.get("date_precision")
    p = str(p).strip().lower() if p is not None else "unknown"
    if p == "range":  # a stated span of days: day precision, the span in event_end_date
        p = "day"
    if p not in _PRECISION_RANK or d is None:
        return "unknown"
    return p


def _period(d: date, precision: str) -> tuple[date, date]:
    """First and last day covered by a coarse date."""
    if precision == "week":
        return d, d + timedelta(days=6)
    if precision == "month":
        first = d.replace(day=1)
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1)
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return d, d


def _months(a: date, b: date) -> list[tuple[int, int]]:
    out = []
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.append((y, m))
        y, m = y + (m == 12), m % 12 + 1
    return out


def _ancestors(loc: str, parents: Mapping[str, str | None] | None) -> tuple[str, ...]:
    """Comparison keys of the ancestors of a location key (nearest first)."""
    if not parents:
        return ()
    out: list[str] = []
    cur = loc
    seen = {loc}
    for _ in range(32):
        pk = parents.get(cur)
        if pk is None or pk in seen:
            break
        out.append(pk)
        seen.add(pk)
        cur = pk
    return tuple(out)


def _mode(values: list):
    """Most frequent value; ties -> the first one in the given order."""
    if not values:
        return None
    cnt = Counter(values)
    top = max(cnt.values())
    for v in values:
        if cnt[v] == top:
            return v
    return None  # pragma: no cover


def _field(e, k):
    """A gazetteer entry's field, from a mapping or an object (duck-typed entries)."""
    return e.get(k) if isinstance(e, Mapping) else getattr(e, k, None)


def _states_by_code(entries: list) -> dict[str, str]:
    """country code -> canonical name of the gazetteer's state with that code (the first)."""
    states: dict[str, str] = {}
    for e in entries:
        if _field(e, "actor_type") == "state" and _field(e, "country_code") and _field(e, "canonical_name"):
            states.setdefault(str(_field(e, "country_code")), str(_field(e, "canonical_name")))
    return states


def place_hierarchy_from_gazetteer(entries: Iterable[Any]) -> tuple[dict[str, str], set[str]]:
    """(place_parents, open_places) for MergeConfig, from gazetteer entries.

    ``entries``: objects or dicts with ``canonical_name``, ``actor_type`` and
    ``country_code`` (pipeline.lib.gazetteer.GazetteerEntry fits; an optional
    ``parent`` / ``admin1`` naming a region is used too).  Every place or de facto
    authority with a country code gets its state (or its region, whose parent is
    then the state) as parent; the states are the open places.  Duck-typed, so
    this module needs no import of the gazetteer module.
    """

    get = _field
    entries = list(entries)
    states = _states_by_code(entries)
    parents: dict[str, str] = {}
    for e in entries:
        name, cc = get(e, "canonical_name"), get(e, "country_code")
        if not name or get(e, "actor_type") not in ("place", "de_facto_authority"):
            continue
        state = states.get(str(cc)) if cc else None
        region = get(e, "parent") or get(e, "admin1")
        if isinstance(region, str) and region.strip() and region != name:
            parents.setdefault(str(name), region)
            if state and region != state:
                parents.setdefault(region, state)
        elif state and state != name:
            parents.setdefault(str(name), state)
    return parents, set(states.values())


def actor_states_from_gazetteer(entries: Iterable[Any], state_forces: Iterable[str] = ()) -> dict[str, str]:
    """actor canonical name -> canonical name of the state it acts for, for MergeConfig.actor_states.

    A ``government`` entry with a country code acts for that country's state; an
    ``armed_force`` entry does only when it is listed in ``state_forces`` (the gazetteer
    gives rebels and state armies the same type: "Wagner Group" or the "Freedom of
    Russia Legion" carry a country code without acting for its state).  Duck-typed like
    place_hierarchy_from_gazetteer().
    """

    get = _field
    entries = list(entries)
    forces = set(state_forces)
    states = _states_by_code(entries)
    out: dict[str, str] = {}
    for e in entries:
        name, cc, kind = get(e, "canonical_name"), get(e, "country_code"), get(e, "actor_type")
        state = states.get(str(cc)) if cc else None
        if not name or not state or name == state:
            continue
        if kind == "government" or (kind == "armed_force" and name in forces):
            out[str(name)] = state
    return out


# --------------------------------------------------------------------------- events


class _Loc(NamedTuple):
    key: str
    raw: Any
    anc: tuple[str, ...]  # keys of known ancestors
    kind: str  # 'open' (in open_places) | 'known' (in place_parents) | 'unknown'


@dataclass(slots=True)
class _Ev:
    event_id: str
    doc_id: str
    start: int
    day: date | None  # event date (any precision)
    precision: str
    scope: str
    family: str
    etype: str | None
    acled: str | None
    loc: _Loc | None
    a1: str | None
    a2: str | None
    a1_raw: Any
    a2_raw: Any
    victim: str | None
    victim_raw: Any
    row: Mapping[str, Any]
    soft: bool = False  # day defaulted to the publication date (no date stated)
    actors: frozenset = frozenset()
    locs: tuple = ()
    copy_key: tuple | None = None  # figure-less events: (doc, sentence, attributes)
    multi: bool = False  # several rows share copy_key ("two claims of ...")
    figs: frozenset = frozenset()  # {('killed', n), ('wounded', n)}
    end_day: date | None = None  # last day of a stated span (day precision), else == day
    cause: str | None = None  # violence | disaster | accident | disease | crime | unknown | None
    all_sides: bool = False  # victim_side names every side ('all', 'both sides')
    affil: Mapping | None = None  # actor key -> key of the state it acts for (MergeConfig.actor_states)
    known: frozenset = frozenset()  # the sides of ``actors`` that MergeConfig.known_sides knows

    @property
    def span(self) -> bool:
        """The report's own date is a span of days ("March 3-4")."""
        return self.end_day is not None and self.day is not None and self.end_day > self.day

    def __post_init__(self) -> None:
        self.actors = frozenset(a for a in (self.a1, self.a2) if a is not None)
        self.locs = (self.loc,) if self.loc is not None else ()
        row = self.row
        self.figs = frozenset(
            (k, n) for k in ("killed", "wounded") if (n := _as_count(row.get(k))) is not None
        )
        if all(_as_count(row.get(k)) is None for k in _COUNT_COLUMNS):
            self.copy_key = (
                self.doc_id, self.start, self.etype, self.a1, self.a2,
                self.loc.key if self.loc else None, self.victim, self.day, self.precision, self.scope,
            )


def _sides(actors: Iterable[str | None], locs: Iterable[_Loc]) -> frozenset:
    """The sides an actor pair stands for, for comparing reports: a state or region that is
    the report's own place or one of its known ancestors is where it happened, not a side
    ("Somalia: truck bomb kills 90 in Mogadishu", the target state of a strike on one of its
    towns), so it is left out.  (An actor acting for a state meets that state in
    ``_sets_meet``.)"""
    placed = set()
    for L in locs:
        placed.add(L.key)
        placed.update(L.anc)
    out = set()
    for a in actors:
        if a is None or a in placed:
            continue
        out.add(a)
    return frozenset(out)


def _one_of_a_series(evidence: Any) -> bool:
    """The report says its incident is a new one of a series ("the second attack in three
    days"): it is not a restatement of the earlier incident its document also dates."""
    return bool(evidence) and any(rx.search(str(evidence))
                                  for rx in load_casualty_lexicon().regexes["series_incident_patterns"])


@lru_cache(maxsize=1)
def _landmark_nouns() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "entity_words.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8")).get("landmark_nouns", ()))


def _anchor_unknown_places(evs: list[_Ev], landmarks: frozenset[str]) -> None:
    """Give each landmark the gazetteer does not know the ancestors of its document's place.

    A document's place is the finest known (gazetteer) place its reports are coded at
    (no ancestor of another one of them), the most often, then the first in the text.
    A landmark is a place whose name ends in a landmark noun (square, mosque, cathedral,
    market, checkpoint, district ...): a square or a church the gazetteer lacks is then
    compared as a place inside the document's place ("Liberty Square" and "Baghdad" are
    related), two such landmarks of one city are still different places.  An unknown
    *town* gets no anchor: a report may name a town outside the place its document is
    about.  In place; a document with no known place leaves its places as they are.
    """
    by_doc: dict[str, list[_Ev]] = {}
    for e in evs:
        by_doc.setdefault(e.doc_id, []).append(e)
    for doc_evs in by_doc.values():
        known = [e for e in sorted(doc_evs, key=lambda e: (e.start, e.event_id))
                 if e.loc is not None and e.loc.kind == "known"]
        if not known:
            continue
        ancestors = {a for e in known for a in e.loc.anc}
        fine = [e.loc for e in known if e.loc.key not in ancestors]
        counts = Counter(L.key for L in fine)
        top = max(counts.values())
        home = next(L for L in fine if counts[L.key] == top)
        anc = (home.key, *home.anc)
        for e in doc_evs:
            if (e.loc is not None and e.loc.kind == "unknown" and e.loc.key not in anc
                    and e.loc.key.rsplit(" ", 1)[-1] in landmarks):
                e.loc = e.loc._replace(anc=anc)
                e.locs = (e.loc,)


# --------------------------------------------------------------------------- clusters


@dataclass(slots=True)
class _Cluster:
    cid: int
    scope: str
    family: str
    precision: str  # finest precision among the members
    min_day: date | None = None  # span of the (stated) day-precision dates
    max_day: date | None = None
    loc_map: dict = field(default_factory=dict)  # key -> _Loc, distinct locations in order
    loc_counts: Counter = field(default_factory=Counter)
    a1: str | None = None
    a2: str | None = None
    a1_raw: Any = None
    a2_raw: Any = None
    victim: str | None = None
    victim_raw: Any = None
    actors: frozenset = frozenset()  # {a1, a2} without None
    types: set = field(default_factory=set)
    actor_sets: set = field(default_factory=set)  # distinct non-empty member actor sets
    known_sets: set = field(default_factory=set)  # distinct non-empty member known-side sets
    docs: set = field(default_factory=set)
    block_docs: set = field(default_factory=set)  # docs whose stage-A clusters may not meet again
    copy_keys: set = field(default_factory=set)
    figs: set = field(default_factory=set)
    sealed: bool = False  # a repeated row of a sentence
    members: list = field(default_factory=list)
    victims: set = field(default_factory=set)  # distinct victim sides (several only in an episode)
    causes: set = field(default_factory=set)  # known causes (not 'unknown'); at most one
    has_span: bool = False  # a member's own date is a span of days
    has_total: bool = False  # a member states an explicit all-sides figure ('all', 'both sides')
    merged: bool = False  # absorbed by the all-sides pass (stage B2)
    max_figs: dict = field(default_factory=dict)  # 'killed'/'wounded' -> highest figure reported
    affil: Mapping | None = None  # as _Ev.affil

    @property
    def locs(self):
        return self.loc_map.values()

    @classmethod
    def from_event(cls, cid: int, ev: _Ev) -> "_Cluster":
        c = cls(cid=cid, scope=ev.scope, family=ev.family, precision=ev.precision, affil=ev.affil)
        c.absorb(ev)
        return c

    def _absorb_attrs(self, o: "_Ev | _Cluster") -> None:
        for L in o.locs:
            if L.key not in self.loc_map:
                self.loc_map[L.key] = L
        if isinstance(o, _Ev):
            if o.loc is not None:
                self.loc_counts[o.loc.key] += 1
        else:
            self.loc_counts.update(o.loc_counts)
        # actor slots: first seen wins; an empty slot is filled from the same slot
        # of the newcomer, else from its other slot
        for slot, k, raw in ((1, o.a1, o.a1_raw), (2, o.a2, o.a2_raw)):
            if k is None or k == self.a1 or k == self.a2:
                continue
            if slot == 1 and self.a1 is None:
                self.a1, self.a1_raw = k, raw
            elif self.a2 is None:
                self.a2, self.a2_raw = k, raw
            elif self.a1 is None:
                self.a1, self.a1_raw = k, raw
        self.actors = _sides((self.a1, self.a2), self.loc_map.values())
        if self.victim is None and o.victim is not None:
            self.victim, self.victim_raw = o.victim, o.victim_raw
        if isinstance(o, _Ev):
            if o.victim is not None:
                self.victims.add(o.victim)
            if o.cause is not None and o.cause != "unknown":
                self.causes.add(o.cause)
            self.has_span |= o.span
            self.has_total |= o.all_sides and bool(o.figs)
            for k, n in o.figs:
                if n > self.max_figs.get(k, -1):
                    self.max_figs[k] = n
        else:
            self.victims |= o.victims
            self.causes |= o.causes
            self.has_span |= o.has_span
            self.has_total |= o.has_total
            for k, n in o.max_figs.items():
                if n > self.max_figs.get(k, -1):
                    self.max_figs[k] = n
        if isinstance(o, _Ev):
            if o.etype:
                self.types.add(o.etype)
            if o.actors:
                self.actor_sets.add(o.actors)
            if o.known:
                self.known_sets.add(o.known)
            if o.copy_key is not None:
                self.copy_keys.add(o.copy_key)
        else:
            self.types |= o.types
            self.actor_sets |= o.actor_sets
            self.known_sets |= o.known_sets
            self.copy_keys |= o.copy_keys
        if o.figs:
            self.figs |= o.figs

    def absorb(self, o: "_Ev | _Cluster") -> None:
        if isinstance(o, _Ev):
            if o.precision == "day" and o.day is not None and not (o.soft and self.min_day is not None):
                end = o.end_day or o.day
                self.min_day = o.day if self.min_day is None else min(self.min_day, o.day)
                self.max_day = end if self.max_day is None else max(self.max_day, end)
            self.members.append(o)
            self.docs.add(o.doc_id)
        else:
            if o.min_day is not None:
                self.min_day = o.min_day if self.min_day is None else min(self.min_day, o.min_day)
                self.max_day = o.max_day if self.max_day is None else max(self.max_day, o.max_day)
            self.members.extend(o.members)
            self.docs |= o.docs
            self.block_docs |= o.block_docs
        if _PRECISION_RANK[o.precision] < _PRECISION_RANK[self.precision]:
            self.precision = o.precision
        self._absorb_attrs(o)

    def is_episode(self, cfg: "MergeConfig") -> bool:
        """A multi-day episode: a report states a span of days, or the stated days
        run further apart than ``max_day_gap`` (only the episode link allows it).
        Two adjacent stated days alone are reports disagreeing about the day."""
        if self.min_day is None:
            return False
        return self.has_span or (self.max_day - self.min_day).days > cfg.max_day_gap

    def location(self, finer: Counter | None = None):
        """The reported location: the finest (no ancestor of another, no country
        when a finer place is known, most often named as the finer of a place
        phrase), then the most reported, then the first."""
        locs = list(self.loc_map.values())
        if not locs:
            return None
        anc = {a for L in locs for a in L.anc}
        cands = [L for L in locs if L.key not in anc] or locs
        cands = [L for L in cands if L.kind != "open"] or cands
        finer = finer or Counter()

        def rank(L):
            fine = sum(finer[(L.key, M.key)] - finer[(M.key, L.key)] for M in cands if M is not L)
            return (fine, self.loc_counts[L.key])

        top = max(rank(L) for L in cands)
        return next(L for L in cands if rank(L) == top).raw


@lru_cache(maxsize=1 << 16)
def _alike(a: str, b: str) -> bool:
    """One name in two spellings: equal, or both at least ``_ALIKE_MIN`` letters long, the same
    first letter and a similarity ratio of at least ``_ALIKE_RATIO`` (difflib): "Mareba" and
    "Mareeba", "Kramatorsk" and "Kramatorks"; never "Iran" and "Iraq" (too short)."""
    if a == b:
        return True
    if len(a) < _ALIKE_MIN or len(b) < _ALIKE_MIN or a[0] != b[0]:
        return False
    return SequenceMatcher(None, a, b).ratio() >= _ALIKE_RATIO


def _skeleton(key: str) -> str:
    """First letter and the consonants and digits after it, repeats collapsed ("yelwata",
    "yelewata" -> "ylwt"): the index key under which spelling variants meet (``_alike``
    decides); names shorter than ``_ALIKE_MIN`` are never variants, so they get their own key."""
    if len(key) < _ALIKE_MIN:
        return key
    out = key[:1]
    for ch in key[1:]:
        if ch.isalnum() and ch not in "aeiouy" and ch != out[-1]:
            out += ch
    return out


def _sets_meet(s1: frozenset, s2: frozenset, affil: Mapping | None = None) -> bool:
    """Two side sets share a side, allowing for spelling variants (``_alike``) and for an
    actor acting for the other's state (``_same_side``)."""
    if not s1.isdisjoint(s2):
        return True
    return any(_alike(*sorted((a, b))) or _same_side(a, b, affil) for a in s1 for b in s2)


def _pair_relation(a: _Loc, b: _Loc, near: Mapping[str, frozenset]) -> int:
    """4 same (or one name in two spellings, both unknown to the gazetteer), 3 named together,
    2 known ancestor, 1 country vs unknown place, -1 conflict.

    Two places the hierarchy puts under different parents are never related."""
    if a.key == b.key or (a.kind == b.kind == "unknown" and _alike(*sorted((a.key, b.key)))):
        return 4
    if a.key in b.anc or b.key in a.anc:
        return 2
    if b.key in near.get(a.key, ()) and not (a.anc and b.anc and a.anc[0] != b.anc[0]):
        return 3
    if (a.kind == "open" and b.kind == "unknown") or (b.kind == "open" and a.kind == "unknown"):
        return 1
    return -1


def _loc_relation(c, o, near) -> int:
    """Complete link over the locations of both sides; 0 when one side has none."""
    best = 0
    for a in c.locs:
        for b in o.locs:
            r = _pair_relation(a, b, near)
            if r < 0:
                return -1
            if r > best:
                best = r
    return best


def _same_side(a: str, b: str, affil: Mapping | None) -> bool:
    """One actor, or one acting for the other's state, or both for one state."""
    if a == b:
        return True
    if not affil:
        return False
    sa, sb = affil.get(a), affil.get(b)
    return sa == b or sb == a or (sa is not None and sa == sb)


def _direction_conflict(c, o, placed: frozenset | set = frozenset()) -> bool:
    """True when the perpetrator of one is the target or victim of the other.  Actors in
    ``placed`` (a state containing either one's place) say where, not who: ignored."""
    ct = c.types
    ot = {o.etype} if isinstance(o, _Ev) and o.etype else (set() if isinstance(o, _Ev) else o.types)
    if ct and ot and ct <= _SYMMETRIC_TYPES and ot <= _SYMMETRIC_TYPES:
        return False
    ca1, oa1 = (None if a in placed else a for a in (c.a1, o.a1))
    if ca1 is not None and oa1 is not None and not _same_side(ca1, oa1, c.affil):
        if oa1 in (c.a2, c.victim) or ca1 in (o.a2, o.victim):
            return True
    if ca1 is not None and o.victim is not None and o.victim == ca1 and oa1 != ca1:
        return True
    if oa1 is not None and c.victim is not None and c.victim == oa1 and ca1 != oa1:
        return True
    return False


def _compat(c: _Cluster, o, cfg: MergeConfig, near, check_days: bool = True) -> tuple[bool, int, bool]:
    """Compatibility of incident c with unit o (event or cluster).

    Returns (compatible, score, has_evidence).  Blocking (scope, family, period)
    is the caller's; the complete-link day span is checked here unless
    check_days is False (the caller checked a looser window).
    """
    if isinstance(o, _Ev):
        o_min = o.day if o.precision == "day" else None
        o_max = (o.end_day or o.day) if o_min is not None else None
        o_victims = {o.victim} if o.victim is not None else set()
        o_causes = {o.cause} if o.cause is not None and o.cause != "unknown" else set()
    else:
        o_min, o_max = o.min_day, o.max_day
        o_victims, o_causes = o.victims, o.causes
    if c.causes and o_causes and c.causes != o_causes:
        return False, 0, False  # a flood and a shelling are two incidents
    same_day = c.min_day is not None and o_min is not None and c.min_day <= o_min <= c.max_day
    episode_link = False
    if check_days and c.min_day is not None and o_min is not None:
        if (max(c.max_day, o_max) - min(c.min_day, o_min)).days > cfg.max_day_gap:
            if not _episode_days_ok(c, o, o_min, o_max, cfg):
                return False, 0, False
            episode_link = True  # decided below, once the evidence is known
    rel = _loc_relation(c, o, near)
    if rel < 0:
        return False, 0, False
    # identical figure-less rows of one sentence are distinct occurrences
    if c.copy_keys:
        if isinstance(o, _Ev):
            if o.copy_key is not None and o.copy_key in c.copy_keys:
                return False, 0, False
        elif o.copy_keys and not c.copy_keys.isdisjoint(o.copy_keys):
            return False, 0, False
    shared = c.actors & o.actors
    placed = {k for L in (*c.locs, *o.locs) for k in (L.key, *L.anc)}
    if rel == 0 and placed & {c.a1, c.a2, o.a1, o.a2}:
        rel = 2  # one has no place and names as a side the state (or region) the other is in
    # Under an all-sides total, one side's own dead (its only named actor is that victim side)
    # and the other side's are two halves of one fight, not two sides that fail to overlap.
    total = c.has_total or (o.all_sides and bool(o.figs) if isinstance(o, _Ev) else o.has_total)
    victim_sides = c.victims | o_victims
    if c.known_sets and (o.known if isinstance(o, _Ev) else o.known_sets):
        # complete link on the sides: every report of one must share a known side
        # with every report of the other (no chaining through actors); a state
        # containing either one's place says where, not who (see _sides)
        o_sets = (o.known,) if isinstance(o, _Ev) else o.known_sets
        for s1 in c.known_sets:
            for s2 in o_sets:
                if (not _sets_meet(s1, s2, c.affil) and (s1 - placed) and (s2 - placed)
                        and not (cfg.episode_days > 0 and total and (s1 | s2) <= victim_sides)):
                    return False, 0, False
    if c.victims and o_victims and len(c.victims | o_victims) > 1:
        # per-side figures of several sides share an incident only inside an
        # episode, and only for sides of the fight itself
        if isinstance(o, _Ev):
            episode = c.has_span or c.has_total or o.span or (o.all_sides and bool(o.figs))
        else:
            episode = c.has_span or c.has_total or o.has_span or o.has_total
        if not (cfg.episode_days > 0 and episode and (c.victims | o_victims) <= (c.actors | o.actors)):
            return False, 0, False
    if _direction_conflict(c, o, placed):
        return False, 0, False
    # a side's own figure under the all-sides total of its fight: the only actors named are
    # victim sides (the side whose dead the figure counts)
    halves = (cfg.episode_days > 0 and total and bool(c.actors | o.actors)
              and (c.actors | o.actors) <= victim_sides)
    evidence = rel >= 2 or bool(shared) or halves
    if episode_link and not _episode_evidence_ok(c, o, rel, shared):
        return False, 0, False
    score = rel + 3 * len(shared)
    if c.victim is not None and c.victim == o.victim:
        score += 1
    if isinstance(o, _Ev):
        if o.etype in c.types:
            score += 1
    elif c.types & o.types:
        score += 1
    if same_day:
        score += 1
    if o.figs and not c.figs.isdisjoint(o.figs):
        score += 2  # the same toll is reported
    return True, score, evidence


def _episode_days_ok(c: _Cluster, o, o_min: date, o_max: date, cfg: MergeConfig) -> bool:
    """Days allow the episode link: episodes on, the days of o overlap or touch the
    incident's (no gap day), and the whole stays within ``episode_days`` days."""
    if cfg.episode_days <= 0:
        return False
    lo, hi = min(c.min_day, o_min), max(c.max_day, o_max)
    if (hi - lo).days + 1 > cfg.episode_days:
        return False
    one = timedelta(days=1)
    return o_min <= c.max_day + one and o_max >= c.min_day - one


def _episode_evidence_ok(c: _Cluster, o, rel: int, shared: frozenset) -> bool:
    """What a link beyond the two-day window needs besides the days.

    * a stated span (either side holds a report whose own date is a span):
      a shared actor or a same/related place;
    * otherwise a running toll: the same or a related place (not None) and a
      shared actor, both carry a figure of one kind, and o's figures are not
      lower than the highest the incident holds (a running toll never falls; a
      smaller figure the next day is new fighting, its own incident).
    """
    o_span = o.span if isinstance(o, _Ev) else o.has_span
    if c.has_span or o_span:
        return rel >= 2 or bool(shared)
    if rel < 2 or not shared:
        return False
    o_figs = dict(o.figs) if isinstance(o, _Ev) else o.max_figs
    common = set(o_figs) & set(c.max_figs)
    if not common:
        return False
    return all(o_figs[k] >= c.max_figs[k] for k in common)


def _unite_by_totals(clusters: list[_Cluster], cfg: MergeConfig, near) -> list[_Cluster]:
    """Stage B2 (episodes on).  A report of an explicit all-sides figure ("at least 170
    on both sides") compatible with the incidents of each side's own figures is often
    ambiguous in stage B (it fits both) and stays alone, so the sides' figures and
    the total would all count.  Here every incident holding such a total absorbs,
    in date order, the incidents of its block that are compatible with it under the
    usual complete-link rules (days, place, sides; victim sides must be actors of
    the fight), that share evidence with it, and whose documents stage A did not
    keep apart from it.  A figure without a victim side never unites incidents."""
    by_block: dict[tuple[str, str], list[_Cluster]] = {}
    for g in clusters:
        by_block.setdefault((g.scope, g.family), []).append(g)
    width = timedelta(days=cfg.episode_days)
    for block in by_block.values():
        block.sort(key=lambda g: (g.min_day or _DATE_MAX, g.cid))
        mins = [g.min_day or _DATE_MAX for g in block]
        for g in block:
            if g.merged or not g.has_total or g.min_day is None:
                continue
            lo, hi = g.min_day - width, g.max_day + width
            # an incident spans at most episode_days: its first day is >= lo - width
            for j in range(bisect_left(mins, lo - width), len(block)):
                h = block[j]
                if h.min_day is None or h.min_day > hi:
                    break
                if h is g or h.merged or h.max_day < lo:
                    continue
                if not g.block_docs.isdisjoint(h.block_docs):
                    continue
                ok, _, evid = _compat(g, h, cfg, near)
                if ok and evid:
                    g.absorb(h)
                    h.merged = True
    return [g for g in clusters if not g.merged]


# Stage B3: the same toll on nearby days in one country is one incident (see _unite_by_same_toll).
SAME_TOLL_MIN = {"killed": 5, "wounded": 10}      # when both kinds are reported and equal
SAME_TOLL_ALONE = {"killed": 25, "wounded": 50}   # when only one kind is reported by both


def _countries(c: _Cluster) -> set[str]:
    """The countries of an incident's known places (a place's top ancestor, or the place)."""
    return {L.anc[-1] if L.anc else L.key for L in c.locs if L.kind != "unknown"}


def _same_toll(g: _Cluster, h: _Cluster) -> bool:
    """The same toll, told precisely enough that a coincidence is unlikely: a figure one of
    them reports is also reported by the other (outlets restate each other's figures, and a
    later report keeps the earlier figure beside the new one), either for both kinds
    (a shared killed and a shared wounded figure, one of them at least SAME_TOLL_MIN) or for
    one kind with a shared figure at least SAME_TOLL_ALONE."""
    shared: dict[str, int] = {}      # kind -> the highest figure both report
    for k, n in g.figs & h.figs:
        if n > 0 and k in SAME_TOLL_MIN:
            shared[k] = max(n, shared.get(k, 0))
    if len(shared) == len(SAME_TOLL_MIN) and any(shared[k] >= SAME_TOLL_MIN[k] for k in shared):
        return True
    return any(n >= SAME_TOLL_ALONE[k] for k, n in shared.items())


def _unite_by_same_toll(clusters: list[_Cluster], cfg: MergeConfig) -> list[_Cluster]:
    """Stage B3.  Two incidents of one block (scope 'incident', same type family), from
    documents stage A did not keep apart, on days at most ``max_day_gap`` apart, in one country,
    with no conflicting cause, that tell the same toll precisely (``_same_toll``) are one
    incident told by different outlets: outlets name the place at different
    grains ("Reasi" and "Jammu and Kashmir"), and a dateline or a noisy actor slot keeps stage B's
    complete link apart, but the same toll on the same days is the stronger evidence.  The later
    absorbs into the earlier, in date order; an incident that absorbed one keeps absorbing."""
    by_block: dict[tuple[str, str], list[_Cluster]] = {}
    for g in clusters:
        if g.scope == "incident" and g.min_day is not None and g.figs:
            by_block.setdefault((g.scope, g.family), []).append(g)
    gap = timedelta(days=cfg.max_day_gap)
    for block in by_block.values():
        block.sort(key=lambda g: (g.min_day, g.cid))
        for i, g in enumerate(block):
            if g.merged:
                continue
            for h in block[i + 1:]:
                if h.min_day > g.max_day + gap:
                    break
                if (h.merged or not g.block_docs.isdisjoint(h.block_docs) or not _same_toll(g, h)
                        or (g.causes and h.causes and g.causes != h.causes)
                        or _countries(g).isdisjoint(_countries(h))):
                    continue
                g.absorb(h)
                h.merged = True
    return [g for g in clusters if not g.merged]


def _soft_only(g: _Cluster) -> bool:
    """Every dated report of ``g`` is dated only by its publication (the others undated)."""
    dated = [m for m in g.members if m.precision != "unknown"]
    return bool(dated) and all(m.precision == "day" and m.soft for m in dated)


def _join_restatements(clusters: list[_Cluster], cfg: MergeConfig, compat) -> list[_Cluster]:
    """Stage F.  An incident all of whose dated reports are dated only by their publication (no day
    stated: typically a later article's headline and lead, "the death toll from the air strike
    on the village has risen to 171") restates an earlier incident when exactly one incident of
    its block with a stated day lies within the ``soft_date_window`` days before it and is
    compatible on everything but the days, with evidence (a shared or related place, or a
    shared actor), and none of its figures is higher than the restatement's (a risen or
    repeated toll; a smaller figure is other fighting).  It then joins that incident, whose
    days it does not move (soft days set no date)."""
    window = timedelta(days=cfg.soft_date_window)
    # the incidents with a stated day, per block, by first day: a restatement looks only at the
    # window before its own day
    blocks: dict[tuple[str, str], list[_Cluster]] = {}
    for c in clusters:
        if c.min_day is not None and c.figs and not _soft_only(c):
            blocks.setdefault((c.scope, c.family), []).append(c)
    for block in blocks.values():
        block.sort(key=lambda c: c.min_day)
    firsts = {key: [c.min_day for c in block] for key, block in blocks.items()}
    for g in clusters:
        if g.merged or not _soft_only(g) or g.min_day is None or not g.figs:
            continue
        block = blocks.get((g.scope, g.family), [])
        days = firsts.get((g.scope, g.family), [])
        found = []
        for c in block[bisect_left(days, g.min_day - window):bisect_left(days, g.min_day)]:
            if c.merged or c.max_day >= g.min_day or not c.block_docs.isdisjoint(g.block_docs):
                continue
            ok, _score, evid = compat(c, g, check_days=False)
            common = set(c.max_figs) & set(g.max_figs)
            if ok and evid and common and all(g.max_figs[k] >= c.max_figs[k] for k in common):
                found.append(c)
        if len(found) == 1:
            found[0].absorb(g)
            g.merged = True
    return [g for g in clusters if not g.merged]


def _text_distance(c: _Cluster, e: _Ev) -> int:
    """Distance in the text from e to the nearest member of c in e's document;
    a member after e counts double (a sentence usually continues the one before)."""
    best = _FAR
    for m in c.members:
        if m.doc_id == e.doc_id:
            d = e.start - m.start if m.start <= e.start else 2 * (m.start - e.start)
            if d < best:
                best = d
    return best


def _signature(c: _Cluster) -> tuple:
    return (frozenset(c.loc_map), c.actors, c.victim, c.min_day, c.max_day, frozenset(c.types))


def _interchangeable(clusters: list[_Cluster]) -> bool:
    """True when the incidents cannot be told apart (e.g. the repeated rows of
    "two claims of ceasefire violations"): joining the first is then no guess."""
    sig = _signature(clusters[0])
    return all(_signature(c) == sig for c in clusters[1:])


# --------------------------------------------------------------------------- index


def _known_of(o) -> bool:
    """o (a report or an incident) names a side that can keep it apart from another."""
    return bool(o.known) if isinstance(o, _Ev) else bool(o.known_sets)


class _Index:
    """Incidents of one block, indexed by location and by actor."""

    def __init__(self, near: Mapping[str, frozenset]) -> None:
        self.near = near
        self.clusters: dict[int, _Cluster] = {}
        self.order: deque[_Cluster] = deque()
        self.loc_exact: dict[str, dict[int, None]] = {}
        self.loc_under: dict[str, dict[int, None]] = {}
        self.actor: dict[str, dict[int, None]] = {}
        self.noloc: dict[int, None] = {}
        self.noactor: dict[int, None] = {}
        self.open_loc: dict[int, None] = {}
        self.unknown_loc: dict[int, None] = {}
        self.loc_skeleton: dict[str, dict[int, None]] = {}  # unknown places by _skeleton
        self._keys: dict[int, tuple] = {}

    def add(self, c: _Cluster) -> None:
        self.clusters[c.cid] = c
        self.order.append(c)
        self._index(c)

    def _index(self, c: _Cluster) -> None:
        locs = tuple(c.locs)
        self._keys[c.cid] = (locs, c.actors, bool(c.known_sets))
        if not locs:
            self.noloc[c.cid] = None
        for L in locs:
            self.loc_exact.setdefault(L.key, {})[c.cid] = None
            for k in (L.key, *L.anc):
                self.loc_under.setdefault(k, {})[c.cid] = None
            if L.kind == "open":
                self.open_loc[c.cid] = None
            elif L.kind == "unknown":
                self.unknown_loc[c.cid] = None
                self.loc_skeleton.setdefault(_skeleton(L.key), {})[c.cid] = None
        if not c.known_sets:  # no side that could keep a report apart
            self.noactor[c.cid] = None
        for a in c.actors:
            self.actor.setdefault(a, {})[c.cid] = None

    def _unindex(self, c: _Cluster) -> None:
        locs, actors, _ = self._keys.pop(c.cid)
        for d in (self.noloc, self.noactor, self.open_loc, self.unknown_loc):
            d.pop(c.cid, None)
        for L in locs:
            if L.kind == "unknown":
                self.loc_skeleton.get(_skeleton(L.key), {}).pop(c.cid, None)
            self.loc_exact.get(L.key, {}).pop(c.cid, None)
            for k in (L.key, *L.anc):
                self.loc_under.get(k, {}).pop(c.cid, None)
        for a in actors:
            self.actor.get(a, {}).pop(c.cid, None)

    def update(self, c: _Cluster) -> None:
        if self._keys.get(c.cid) != (tuple(c.locs), c.actors, bool(c.known_sets)):
            self._unindex(c)
            self._index(c)

    def retire_before(self, min_day: date) -> None:
        # by the last day: an episode stays a candidate while its last day is in the window
        while self.order and self.order[0].max_day is not None and self.order[0].max_day < min_day:
            c = self.order.popleft()
            if self.clusters.pop(c.cid, None) is not None:
                self._unindex(c)

    def evidence_candidates(self, o) -> list[_Cluster]:
        """Incidents sharing an actor or a same/related location with o."""
        ids: dict[int, None] = {}
        for L in o.locs:
            ids.update(self.loc_under.get(L.key, {}))
            for a in L.anc:
                ids.update(self.loc_exact.get(a, {}))
            for n in self.near.get(L.key, ()):
                ids.update(self.loc_exact.get(n, {}))
            if L.kind == "unknown":  # the same place spelt another way
                ids.update(self.loc_skeleton.get(_skeleton(L.key), {}))
        for a in o.actors:
            ids.update(self.actor.get(a, {}))
        if not o.locs:
            for a in (o.a1, o.a2):  # a state named as a side may be where the others are
                if a is not None:
                    ids.update(self.loc_under.get(a, {}))
        return [self.clusters[i] for i in sorted(ids)]

    def evidence_free_pool(self, o) -> Iterable[_Cluster]:
        """Incidents that could be compatible with o without sharing place or actor."""
        locs = tuple(o.locs)
        if locs:
            base: Iterable[int] = self.noloc
            kinds = {L.kind for L in locs}
            extra: dict[int, None] = {}
            if "open" in kinds:
                extra.update(self.unknown_loc)
            if "unknown" in kinds:
                extra.update(self.open_loc)
            if extra:
                base = sorted({**self.noloc, **extra})
            ids = (i for i in base if i in self.noactor) if _known_of(o) else iter(base)
        elif _known_of(o):
            ids = iter(self.noactor)
        else:
            ids = iter(self.clusters)
        return (self.clusters[i] for i in ids)


def _choose(o, index: _Index, cfg: MergeConfig, near, extra_ok=None) -> _Cluster | None:
    """The incident unit o joins, or None (new incident: nothing fits, or ambiguous)."""
    best: list[tuple[int, _Cluster]] = []
    for c in index.evidence_candidates(o):
        if extra_ok is not None and not extra_ok(c):
            continue
        ok, score, evid = _compat(c, o, cfg, near)
        if ok and evid:
            best.append((score, c))
    if best:
        top = max(s for s, _ in best)
        tops = [c for s, c in best if s == top]
        if len(tops) == 1 or _interchangeable(tops):
            return tops[0]
        return None  # ambiguous
    if cfg.require_evidence_across_documents:
        return None
    found: list[_Cluster] = []
    for c in index.evidence_free_pool(o):
        if extra_ok is not None and not extra_ok(c):
            continue
        ok, _, _ = _compat(c, o, cfg, near)
        if ok:
            found.append(c)
            if not _interchangeable(found):
                return None  # ambiguous: more than one compatible
    return found[0] if found else None


# --------------------------------------------------------------------------- counts


def _repair_bounds(best, lo, hi) -> tuple:
    """(best, low, high) with low <= high swapped into order and best inside [low, high]."""
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    if best is not None:
        if lo is not None and lo > best:
            lo = best
        if hi is not None and hi < best:
            hi = best
    return best, lo, hi


def merge_counts(
    reports: Iterable[tuple[Any, Any, Any, date | None]],
) -> tuple[int | None, int | None, int | None]:
    """Merge (best, low, high, published) reports of one incident into one triple.

    Never sums.  Preference: reports with a positive best figure, then a 0 best,
    then reports with only low/high.  Among them the latest publication date
    wins (None is oldest), then the higher figure.  Returns (best, low, high)
    with low <= best <= high whenever they are not None.
    """
    pos, zero, bounds = [], [], []
    for i, (b, lo, hi, pub) in enumerate(reports):
        b, lo, hi = _as_count(b), _as_count(lo), _as_count(hi)
        p = pub or _DATE_MIN
        if b is not None:
            (pos if b > 0 else zero).append(((p, b, -i), (b, lo, hi)))
        elif lo is not None or hi is not None:
            fig = lo if lo is not None else hi
            bounds.append(((p, fig, -i), (None, lo, hi)))
    for group in (pos, zero, bounds):
        if group:
            _, (b, lo, hi) = max(group, key=lambda t: t[0])
            break
    else:
        return None, None, None
    return _repair_bounds(b, lo, hi)


# --------------------------------------------------------------------------- tolls


class TollDecision(NamedTuple):
    """What counted_toll decided for one figure (per kind; None: no figure of that kind)."""

    killed: bool | None
    wounded: bool | None
    rule: str  # the rule that decided ("killed: ...; wounded: ..." when the kinds differ)

    @property
    def counted(self) -> bool:
        return bool(self.killed) or bool(self.wounded)


def toll_side(victim_side: Any) -> str:
    """The side a figure speaks for: the victim side's key, or 'all'.

    'all' for an explicit all-sides figure (victim_side 'all', 'both sides', ...)
    and for a figure with no victim side: such a figure may cover every side,
    so reading it as one more side could count the same dead twice.
    """
    k = _key(victim_side)
    return "all" if k is None or k in ALL_SIDES else " ".join(str(victim_side).split())


def _tier(b, lo, hi) -> int:
    """2 a positive best figure, 1 a best of 0, 0 bounds only, -1 no figure."""
    if b is not None:
        return 2 if b > 0 else 1
    return 0 if (lo is not None or hi is not None) else -1


def _counted_kind(figures: list[Mapping[str, Any]], kind: str):
    """(best, low, high) counted for one kind, and per figure (counted | None, rule)."""
    vals = [(_as_count(f.get(kind)), _as_count(f.get(f"{kind}_low")), _as_count(f.get(f"{kind}_high")))
            for f in figures]
    tiers = [_tier(*v) for v in vals]
    decisions: list[tuple[bool | None, str]] = [(None, "no_figure")] * len(figures)
    top = max(tiers, default=-1)
    if top < 0:
        return (None, None, None), decisions

    def cons(i: int) -> int:  # the conservative figure: best, else the low, else the high bound
        b, lo, hi = vals[i]
        return b if b is not None else lo if lo is not None else hi

    def pub(i: int) -> date:
        return _as_date(figures[i].get("published_date")) or _DATE_MIN

    def floor(i: int) -> bool:  # "at least 12", "dozens": a lower bound, no upper one
        b, lo, hi = vals[i]
        return b is not None and lo == b and hi is None

    def latest(idx: list[int]) -> int:
        # latest publication, then the higher, then a plain figure before a lower bound of the
        # same value (so that the text order of two equal figures never decides whether the
        # floor rule looks further back), then later in text
        return max(idx, key=lambda i: (pub(i), cons(i), not floor(i), i))

    def latest_standing(idx: list[int]) -> int:
        # a later lower bound does not contradict a higher figure reported before it
        keep = latest(idx)
        while floor(keep):
            higher = [i for i in idx if cons(i) > cons(keep)]
            if not higher:
                break
            keep = latest(higher)
        return keep

    live = []
    for i, t in enumerate(tiers):
        if t < 0:
            continue
        if t < top:
            decisions[i] = (False, "outranked_by_a_firmer_figure")
        else:
            live.append(i)
    sides: dict[str, list[int]] = {}
    for i in live:
        sides.setdefault(toll_side(figures[i].get("side")).casefold(), []).append(i)
    total = latest_standing(sides["all"]) if "all" in sides else None
    if total is not None:
        for i in sides.pop("all"):
            if i != total:
                decisions[i] = (False, "older_all_sides_total")
    latest_of_side: list[int] = []
    for side in sorted(sides):
        idx = sides[side]
        if total is not None:
            # covered: published before the total, or the same day and not above it
            tk = (pub(total), cons(total))
            covered = [i for i in idx if (pub(i), cons(i)) <= tk]
            for i in covered:
                decisions[i] = (False, "covered_by_all_sides_total")
            idx = [i for i in idx if (pub(i), cons(i)) > tk]
        if idx:
            keep = latest_standing(idx)
            latest_of_side.append(keep)
            for i in idx:
                if i != keep:
                    decisions[i] = (False, "superseded_by_later_figure_of_side")
    side_sum = sum(cons(i) for i in latest_of_side)
    if total is not None and cons(total) >= side_sum:
        counted = [total]
        decisions[total] = (True, "all_sides_total")
        for i in latest_of_side:
            decisions[i] = (False, "within_earlier_all_sides_total")
    else:
        counted = latest_of_side
        rule = "latest_figure_of_side" if len(counted) == 1 else "sum_of_sides_latest_figures"
        for i in counted:
            decisions[i] = (True, rule)
        if total is not None:
            decisions[total] = (False, "all_sides_total_below_later_side_figures")

    bests = [vals[i][0] for i in counted]
    best = sum(bests) if all(b is not None for b in bests) else None
    lows = [vals[i][1] if vals[i][1] is not None else vals[i][0] for i in counted]
    highs = [vals[i][2] if vals[i][2] is not None else vals[i][0] for i in counted]
    lo = sum(lows) if any(vals[i][1] is not None for i in counted) and None not in lows else None
    hi = sum(highs) if any(vals[i][2] is not None for i in counted) and None not in highs else None
    return _repair_bounds(best, lo, hi), decisions


def _counted_triples(figures: list[Mapping[str, Any]]):
    k, kd = _counted_kind(figures, "killed")
    w, wd = _counted_kind(figures, "wounded")
    decisions = []
    for (kc, kr), (wc, wr) in zip(kd, wd):
        if kc is None:
            rule = wr
        elif wc is None or kr == wr:
            rule = kr
        else:
            rule = f"killed: {kr}; wounded: {wr}"
        decisions.append(TollDecision(kc, wc, rule))
    return k, w, decisions


def counted_toll(figures: Iterable[Mapping[str, Any]]) -> tuple[int | None, int | None, list[TollDecision]]:
    """The counted killed and wounded of one incident from every figure reported for it.

    ``figures``: one mapping per report, in text order (the caller sorts by
    publication, document, position), with ``side`` (the victim side; 'all',
    'both sides' or None for an all-sides figure, see toll_side), ``killed``,
    ``killed_low``, ``killed_high``, ``wounded``, ``wounded_low``,
    ``wounded_high`` and ``published_date``.  Returns (killed, wounded,
    decisions), one TollDecision per figure naming the rule that decided it.

    Rules, for killed and for wounded apart (a report without a figure of a
    kind takes no part for that kind):

    1. Firmness: if any figure has a positive best, only those count; else a
       best of 0 ("no one was hurt"); else bounds only ("up to 50", the low
       bound, else the high, is then the conservative figure).
    2. Latest: among figures of one side, the one published last counts; on the
       same publication day the higher (reports of one day differ in
       completeness), then the later in the text.  A running toll 5 -> 9 -> 11
       counts 11.  The extractor's best is already the conservative reading
       ("at least 12" -> 12).  A lower bound ("at least 12", "dozens": low =
       best, no high) published later than a higher figure does not replace it
       (both hold; the higher says more): "40 injured", then "dozens injured"
       counts 40; a later exact figure below an earlier one is a correction and
       counts.
    3. All-sides total: the latest all-sides figure replaces every per-side
       figure published before it, or on its day and not above it (it covers
       them: a same-day side figure above the "total" shows it incomplete),
       and per-side figures
       are never added to it: 100 + 50, then "at least 170 on both sides" ->
       170, never 320; a total lower than the covered sides' sum still replaces
       them (the later, overall count wins, as a later figure of one side does).
    4. Sides add up: the latest figures of different sides are added when no
       all-sides total covers them (100 of side A + 50 of side B -> 150).
    5. A side figure the total does not cover: if the sum of those
       later side figures exceeds the total, the total is stale and the sum
       counts; otherwise the total counts (the later figure may be inside it).
       Never total + side.

    What holds (tested by properties): the counted figure is at most the sum
    over sides ('all' one of them) of each side's highest figure; it is at
    least the figure of the latest report of the firmest tier; adding a copy of
    a report already there changes nothing; with one side only, it is one of
    the reported figures (as merge_counts).
    """
    figs = [dict(f) for f in figures]
    (k, _, _), (w, _, _), decisions = _counted_triples(figs)
    return k, w, decisions


def _figures(members: list[_Ev], pubs: Mapping[str, date | None]) -> list[dict]:
    """Figures of an incident's reports in sort order, for counted_toll."""
    out = []
    for e in members:
        f = {c: e.row.get(c) for c in _COUNT_COLUMNS}
        f["side"] = "all" if e.all_sides else e.victim_raw
        f["published_date"] = pubs.get(e.doc_id)
        out.append(f)
    return out


def incident_tolls(
    events: Iterable[Mapping[str, Any]],
    mapping: Mapping[str, str],
    published: Mapping[str, date | None] | None,
) -> list[dict]:
    """Rows of the ``incident_tolls`` table: every reported figure with its incident.

    One row per event that states a killed or wounded figure and belongs to an
    incident (``mapping`` from merge_incidents), with its side ('all' or the
    victim side), the counts, the claimant, ``counted`` (whether counted_toll
    counts it for killed or wounded) and ``rule`` (the rule that decided).
    The incident's killed/wounded are what counted_toll makes of these rows.
    """
    published = published or {}
    groups: dict[str, list[Mapping[str, Any]]] = {}
    seen: set[str] = set()
    for row in events:
        eid = row.get("event_id")
        eid = str(eid) if eid is not None else None
        if eid is None or eid in seen or eid not in mapping:
            continue
        seen.add(eid)
        groups.setdefault(mapping[eid], []).append(row)
    out: list[dict] = []
    for iid in sorted(groups):
        rows = groups[iid]
        # the order _incident_row uses: day, document, position, id
        rows.sort(key=lambda r: (_as_date(r.get("event_date")) or _DATE_MAX, str(r.get("doc_id") or ""),
                                 _as_count(r.get("start_char")) or 0, str(r.get("event_id"))))
        figs = []
        for r in rows:
            f = {c: r.get(c) for c in _COUNT_COLUMNS}
            f["side"] = toll_side(r.get("victim_side"))
            f["published_date"] = _as_date(published.get(str(r.get("doc_id"))))
            figs.append(f)
        _, _, decisions = _counted_triples(figs)
        for r, f, d in zip(rows, figs, decisions):
            if d.killed is None and d.wounded is None:
                continue  # no figure
            out.append({
                "incident_id": iid,
                "event_id": str(r.get("event_id")),
                "doc_id": r.get("doc_id"),
                "published_date": f["published_date"],
                "side": f["side"],
                **{c: _as_count(r.get(c)) for c in _COUNT_COLUMNS},
                "claimed_by": r.get("claimed_by"),
                "disputed": bool(r.get("disputed")),
                "counted": d.counted,
                "rule": d.rule,
            })
    return out


def book_days(start: date, end: date | None, killed: int | None, wounded: int | None) -> list[tuple[date, int, int]]:
    """(day, killed, wounded) booked on each day of an incident from ``start`` to ``end``.

    The day rule (ACLED's practice for a total over several days): a figure is
    spread evenly over the days it covers, whole numbers, the remainder on the
    first day; NULL counts as 0.  One day (end None or == start) gets the whole
    figure.  The shares sum to the figure, so the daily table still equals the
    incidents' sums.  dbt_like_sql/daily_casualties.sql applies the same rule.
    """
    end = end if end is not None and end > start else start
    n = (end - start).days + 1
    k, w = killed or 0, wounded or 0
    out = []
    for i in range(n):
        day = start + timedelta(days=i)
        out.append((day, k // n + (k % n if i == 0 else 0), w // n + (w % n if i == 0 else 0)))
    return out


# --------------------------------------------------------------------------- preparation


def _norm_parents(parents: Mapping[str, str | None] | None) -> dict[str, str] | None:
    if not parents:
        return None
    out: dict[str, str] = {}
    for k, v in parents.items():
        kk, vk = _key(k), _key(v)
        if kk is not None and vk is not None and kk != vk:
            out[kk] = vk
    return out


def _make_event(i: int, row: Mapping[str, Any], parents, open_places: frozenset, published) -> _Ev:
    d = _as_date(row.get("event_date"))
    prec = _precision(row, d)
    date_text = row.get("date_text")
    stated = isinstance(date_text, str) and date_text.strip() != ""
    et = row.get("event_type")
    et = str(et).strip().upper() if et is not None and str(et).strip() else None
    lk = _key(row.get("location"))
    loc = None
    if lk is not None:
        kind = "open" if lk in open_places else "known" if parents and lk in parents else "unknown"
        loc = _Loc(lk, row.get("location"), _ancestors(lk, parents), kind)
    a1, a2 = _key(row.get("actor1")), _key(row.get("actor2"))
    a1_raw, a2_raw = row.get("actor1"), row.get("actor2")
    if a1 is not None and a1 == a2:
        a2, a2_raw = None, None
    victim = _key(row.get("victim_side"))
    all_sides = victim in ALL_SIDES
    if all_sides:  # an all-sides figure is compatible with any side
        victim = None
    end_day = d if prec == "day" else None
    if prec == "day":
        e = _as_date(row.get("event_end_date"))
        if e is not None and e > d:
            end_day = e
    cause = _key(row.get("cause"))
    cause = cause if cause in CAUSES else None
    scope = row.get("scope")
    scope = str(scope).strip().lower() if scope else "incident"
    try:
        start = int(row.get("start_char") or 0)
    except (TypeError, ValueError):
        start = 0
    doc_id = str(row.get("doc_id") if row.get("doc_id") is not None else "")
    event_id = row.get("event_id")
    event_id = str(event_id) if event_id is not None else f"{doc_id}:{start}:{i}"
    return _Ev(
        event_id=event_id,
        doc_id=doc_id,
        start=start,
        day=d,
        precision=prec,
        scope=scope,
        family=type_family(et),
        etype=et,
        acled=row.get("acled_type") or None,
        loc=loc,
        a1=a1,
        a2=a2,
        a1_raw=a1_raw if a1 is not None else None,
        a2_raw=a2_raw if a2 is not None else None,
        victim=victim,
        victim_raw=row.get("victim_side") if victim is not None else None,
        row=row,
        soft=(prec == "day" and not stated and d == _as_date(published.get(doc_id))
              and not _one_of_a_series(row.get("evidence"))),
        end_day=end_day,
        cause=cause,
        all_sides=all_sides,
    )


# words that may join place names into one place phrase: "the town of Mellit in
# Sudan's North Darfur state", "El Fasher, the capital of North Darfur"; at least
# one of _CONTAINMENT must be among them (a bare comma also makes lists:
# "Kharkiv, Sumy and Odesa")
_CONNECTORS = frozenset(
    "in of s the near outside north south east west northern southern eastern western central "
    "province state region district county governorate oblast town city village area capital "
    "suburb neighbourhood neighborhood".split()
)
_CONTAINMENT = frozenset("in of s near outside capital".split())


def _co_mentions(evs: list[_Ev], known: frozenset = frozenset()) -> tuple[dict[str, frozenset], Counter]:
    """Locations the articles put together.

    Place names (of locations some report is coded at) that follow each other in
    one sentence, joined only by connector words ("Mellit, in Sudan's North
    Darfur state"), form a place phrase: its locations are *near*, i.e.
    compatible.  Names merely in one sentence ("after Mellit, a drone also hit
    Kosti") are not.  A comma joins a place the gazetteer lacks to a known one
    that follows it ("Liberty Square, central Baghdad"): the first lies in the
    second; between two known places a comma is a list ("Kabul, Kandahar").  Also
    returns votes (a, b) -> n: a is named as the finer place of the two (the
    first of "a in b", the second of "b's a").  ``known``: keys of the places the
    hierarchy knows.
    """
    forms: dict[str, str] = {}
    for e in evs:
        if e.loc is not None:
            f = _mention_form(str(e.loc.raw))
            if f:
                forms.setdefault(f, e.loc.key)
    near: dict[str, set[str]] = {}
    finer: Counter = Counter()
    if len(forms) < 2:
        return {}, finer
    max_n = max(len(f.split()) for f in forms)
    first_words = {f.split()[0] for f in forms}
    seen_text: set[str] = set()
    for e in evs:
        text = e.row.get("evidence")
        if not isinstance(text, str) or not text or text in seen_text:
            continue
        seen_text.add(text)
        orig = _NON_WORD_BUT_COMMA.sub(" ", text.replace(",", " , ")).split()
        words = [w.casefold() for w in orig]
        mentions: list[tuple[str, int, int]] = []
        j = 0
        while j < len(words):
            if words[j] not in first_words:
                j += 1
                continue
            for n in range(min(max_n, len(words) - j), 0, -1):
                k = forms.get(" ".join(words[j:j + n]))
                if k is not None:
                    mentions.append((k, j, j + n))
                    j += n
                    break
            else:
                j += 1
        phrase: list[tuple[str, int, int]] = []
        for m in mentions + [("", 1 << 30, 1 << 30)]:
            if phrase and m[1] - phrase[-1][2] <= 5:
                a, b = phrase[-1][2], m[1]
                between = words[a:b]
                # connectors, and at most two capitalised words (an uncoded
                # place: "Mellit in Sudan's North Darfur")
                proper = sum(1 for w in orig[a:b] if w not in _CONNECTORS and w[:1].isupper())
                apposed = (between[:1] == [","] and phrase[-1][0] not in known and m[0] in known
                           and all(w in _CONNECTORS for w in between[1:]))
                pairs = [(w, o) for w, o in zip(between, orig[a:b]) if w != ","]
                between = [w for w, _ in pairs]
                linked = apposed or (
                    any(w in _CONTAINMENT for w in between)
                    and proper <= 2
                    and all(w in _CONNECTORS or o[:1].isupper() for w, o in pairs)
                )
            else:
                linked = False
            if linked:
                prev = phrase[-1][0]
                if prev != m[0]:
                    # "Sudan's North Darfur": the second is the finer; "Mellit in ...": the first
                    fine, coarse = (m[0], prev) if between[:1] == ["s"] else (prev, m[0])
                    finer[(fine, coarse)] += 1
                phrase.append(m)
                continue
            keys = {k for k, _, _ in phrase}
            if len(keys) > 1:
                for a in keys:
                    near.setdefault(a, set()).update(keys - {a})
            phrase = [m]
    return {k: frozenset(v) for k, v in near.items()}, finer


# --------------------------------------------------------------------------- main


def merge_incidents(
    events: list[dict],
    published: Mapping[str, date | None] | None,
    config: MergeConfig | None = None,
) -> tuple[list[dict], dict[str, str]]:
    """Merge event rows into incidents; see the module docstring for the rules."""
    cfg = config or MergeConfig()
    published = published or {}
    parents = _norm_parents(cfg.place_parents)
    open_places = frozenset(k for k in (_key(p) for p in (cfg.open_places or ())) if k is not None)

    # ---- normalise, drop duplicate event ids (first occurrence wins), sort
    evs: list[_Ev] = []
    seen_ids: set[str] = set()
    for i, row in enumerate(events):
        ev = _make_event(i, row, parents, open_places, published)
        if ev.scope == "generic":
            continue  # habitual or general statements never form incidents (no mapping)
        if ev.event_id in seen_ids:
            continue
        seen_ids.add(ev.event_id)
        evs.append(ev)
    evs.sort(key=lambda e: (e.day or _DATE_MAX, e.doc_id, e.start, e.event_id))
    copies = Counter(e.copy_key for e in evs if e.copy_key is not None)
    for e in evs:
        e.multi = e.copy_key is not None and copies[e.copy_key] > 1
    landmarks = frozenset(cfg.landmark_nouns) if cfg.landmark_nouns is not None else _landmark_nouns()
    if landmarks:
        _anchor_unknown_places(evs, landmarks)
    affil = {k: v for k, v in ((_key(a), _key(b)) for a, b in (cfg.actor_states or {}).items())
             if k is not None and v is not None}
    known = (None if cfg.known_sides is None
             else {k for k in map(_key, cfg.known_sides) if k is not None} | set(affil.values()))
    for e in evs:
        e.affil = affil
        e.actors = _sides((e.a1, e.a2), e.locs)
        e.known = e.actors if known is None else frozenset(a for a in e.actors if a in known)
    hierarchy = frozenset(parents or ()) | frozenset((parents or {}).values()) | open_places
    near, finer = _co_mentions(evs, hierarchy) if cfg.co_mention else ({}, Counter())

    next_id = 0

    def new_cluster(ev: _Ev) -> _Cluster:
        nonlocal next_id
        c = _Cluster.from_event(next_id, ev)
        next_id += 1
        return c

    def compat(c, o, check_days=True):
        return _compat(c, o, cfg, near, check_days)

    day_evs = [e for e in evs if e.precision == "day"]
    coarse_evs = [e for e in evs if e.precision in ("week", "month", "year")]
    undated = [e for e in evs if e.precision == "unknown"]

    # ---- stage A: inside each document, in text order
    by_doc: dict[str, list[_Ev]] = {}
    for e in day_evs:
        by_doc.setdefault(e.doc_id, []).append(e)
    local_clusters: list[_Cluster] = []
    for doc_id in sorted(by_doc):
        # events with a stated day first, then those whose day only defaulted to
        # the publication date (typically the headline), each in text order
        doc_events = sorted(by_doc[doc_id], key=lambda e: (e.soft, e.start, e.event_id))
        doc_clusters: list[_Cluster] = []
        for e in doc_events:
            scored = []
            if not e.multi:  # repeated rows are separate occurrences
                for c in doc_clusters:
                    if c.sealed or c.scope != e.scope or c.family != e.family:
                        continue
                    if e.soft:
                        # dated only by publication: may restate any incident of
                        # its document from the past week
                        if c.max_day > e.day or (e.day - c.min_day).days > cfg.soft_date_window:
                            continue
                        ok, score, evid = compat(c, e, check_days=False)
                    else:
                        ok, score, evid = compat(c, e)
                    if ok:
                        scored.append((evid, score, -_text_distance(c, e), -c.cid, c))
            if scored:
                max(scored, key=lambda t: t[:4])[4].absorb(e)
            else:
                c = new_cluster(e)
                c.sealed = e.multi
                if not e.multi:
                    c.block_docs.add(e.doc_id)
                doc_clusters.append(c)
        local_clusters.extend(doc_clusters)

    # ---- stage B: across documents, per block (scope, family), two-day window
    def lc_key(c: _Cluster):
        first = min(c.members, key=lambda e: (e.start, e.event_id))
        # on one first day, a report stating a span comes first: the per-side
        # figures of its days then join the episode it opens
        return (c.min_day, not c.has_span, first.doc_id, first.start, first.event_id)

    local_clusters.sort(key=lc_key)
    global_clusters: list[_Cluster] = []

    def place(lc: _Cluster, idx: _Index) -> None:
        if lc.sealed:
            # a repeated row may join another outlet's report, never an incident
            # holding its own document (stage A kept it apart on purpose)
            doc = lc.members[0].doc_id
            target = _choose(lc, idx, cfg, near, extra_ok=lambda c: doc not in c.docs)
        else:
            docs = lc.block_docs
            target = _choose(lc, idx, cfg, near, extra_ok=lambda c: c.block_docs.isdisjoint(docs))
        if target is None:
            g = _Cluster(cid=lc.cid, scope=lc.scope, family=lc.family, precision=lc.precision,
                         affil=lc.affil)
            g.absorb(lc)
            idx.add(g)
            global_clusters.append(g)
        else:
            target.absorb(lc)
            idx.update(target)

    gap = timedelta(days=cfg.max_day_gap)
    blocks: dict[tuple[str, str], _Index] = {}
    for lc in local_clusters:  # pass 1: ordinary local clusters
        if lc.sealed:
            continue
        idx = blocks.setdefault((lc.scope, lc.family), _Index(near))
        idx.retire_before(lc.min_day - gap)
        place(lc, idx)
    sealed = [lc for lc in local_clusters if lc.sealed]
    if sealed:  # pass 2: repeated rows; pass-1 incidents enter the window in date order
        existing = sorted(global_clusters, key=lambda g: (g.min_day, g.cid))
        pos = 0
        blocks = {}
        for lc in sealed:
            while pos < len(existing) and existing[pos].min_day <= lc.max_day + gap:
                g = existing[pos]
                blocks.setdefault((g.scope, g.family), _Index(near)).add(g)
                pos += 1
            idx = blocks.setdefault((lc.scope, lc.family), _Index(near))
            idx.retire_before(lc.min_day - gap)
            place(lc, idx)

    # ---- stage B2: an explicit all-sides total unites the per-side incidents it sums up
    if cfg.episode_days > 0 and any(g.has_total for g in global_clusters):
        global_clusters = _unite_by_totals(global_clusters, cfg, near)

    # ---- stage B3: the same toll on nearby days in one country is one incident
    global_clusters = _unite_by_same_toll(global_clusters, cfg)


    all_clusters: list[_Cluster] = list(global_clusters)

    # ---- stage C: attach week/month reports to a unique day incident of the period
    leftovers: list[_Ev] = []
    if cfg.attach_coarse and coarse_evs:
        month_idx: dict[tuple, _Index] = {}
        for g in global_clusters:
            for ym in _months(g.min_day, g.max_day):
                month_idx.setdefault((g.scope, g.family, *ym), _Index(near)).add(g)
        attachments: list[tuple[_Ev, _Cluster]] = []
        for e in coarse_evs:
            if e.precision not in ("week", "month"):
                leftovers.append(e)
                continue
            lo, hi = _period(e.day, e.precision)
            found: dict[int, _Cluster] = {}
            ambiguous = False
            for ym in _months(lo, hi):
                mi = month_idx.get((e.scope, e.family, *ym))
                if mi is None:
                    continue
                for c in mi.evidence_candidates(e):
                    if c.cid in found or e.doc_id in c.docs or c.max_day < lo or c.min_day > hi:
                        continue
                    ok, _, evid = compat(c, e)
                    if ok and evid:
                        found[c.cid] = c
                        if not _interchangeable(list(found.values())):
                            ambiguous = True
                            break
                if ambiguous:
                    break
            if found and not ambiguous:
                attachments.append((e, found[min(found)]))
            else:
                leftovers.append(e)
        # decided on the frozen day incidents; applied in order, re-checked
        # against the updated incident (two coarse reports naming different
        # places must not both join an incident without a place)
        for e, c in attachments:
            if compat(c, e)[0]:
                c.absorb(e)
            else:
                leftovers.append(e)
        leftovers.sort(key=lambda e: (e.day or _DATE_MAX, e.doc_id, e.start, e.event_id))
    else:
        leftovers = list(coarse_evs)

    # ---- stage D: coarse reports among themselves, same precision and period, with evidence
    groups: dict[tuple, _Index] = {}
    for e in leftovers:
        gk = (e.scope, e.family, e.precision, _period(e.day, e.precision)[0])
        idx = groups.setdefault(gk, _Index(near))
        best: list[tuple[int, _Cluster]] = []
        for c in idx.evidence_candidates(e):
            ok, score, evid = compat(c, e)
            if ok and evid:
                best.append((score, c))
        target = None
        if best:
            top = max(s for s, _ in best)
            tops = [c for s, c in best if s == top]
            if len(tops) == 1 or _interchangeable(tops):
                target = tops[0]
        if target is None:
            g = new_cluster(e)
            idx.add(g)
            all_clusters.append(g)
        else:
            target.absorb(e)
            idx.update(target)

    # ---- stage E: undated reports, inside their own document only
    doc_index: dict[tuple[str, str, str], list[_Cluster]] = {}
    for c in all_clusters:
        for d in sorted(c.docs):
            doc_index.setdefault((c.scope, c.family, d), []).append(c)
    undated.sort(key=lambda e: (e.doc_id, e.start, e.event_id))
    for e in undated:
        cands = doc_index.setdefault((e.scope, e.family, e.doc_id), [])
        scored = []
        if not e.multi:
            for c in cands:
                if c.sealed:
                    continue
                ok, score, evid = compat(c, e)
                if not ok or (c.precision == "unknown" and not evid):
                    continue  # undated reports merge with each other only with evidence
                scored.append((evid, score, -_text_distance(c, e), -c.cid, c))
        if scored and not any(t[0] for t in scored) and len(
                {(c.min_day, c.max_day) for c in cands if c.min_day is not None}) > 1:
            scored = []   # a roundup of incidents on several days: no evidence says which one
        if scored:
            max(scored, key=lambda t: t[:4])[4].absorb(e)
        else:
            c = new_cluster(e)
            c.sealed = e.multi
            cands.append(c)
            all_clusters.append(c)

    # ---- stage F: a restatement dated only by its publication joins the incident it restates
    # (after E, so that the undated sentences of its own story lend it their places)
    all_clusters = _join_restatements(all_clusters, cfg, compat)

    # ---- rows, in order of their first report
    incidents: list[dict] = []
    mapping: dict[str, str] = {}
    finished = []
    for c in all_clusters:
        members = sorted(c.members, key=lambda e: (e.day or _DATE_MAX, e.doc_id, e.start, e.event_id))
        finished.append((members, c))
    finished.sort(key=lambda t: (t[0][0].day or _DATE_MAX, t[0][0].doc_id, t[0][0].start, t[0][0].event_id))
    for members, c in finished:
        row = _incident_row(members, c, published, finer, cfg)
        incidents.append(row)
        for m in members:
            mapping[m.event_id] = row["incident_id"]
    return incidents, mapping


def _incident_row(
    members: list[_Ev], c: _Cluster, published: Mapping[str, Any], finer: Counter, cfg: MergeConfig,
) -> dict:
    incident_id = "inc-" + hashlib.sha1(members[0].event_id.encode("utf-8")).hexdigest()[:16]

    # date: modal stated date among the finest precision present; ties -> most reports, then earliest
    finest = min(members, key=lambda e: _PRECISION_RANK[e.precision]).precision
    every = Counter(e.day for e in members if e.precision == finest and e.day is not None)
    stated = Counter(e.day for e in members if e.precision == finest and e.day is not None and not e.soft)
    # modal stated day; a tie goes to the day more reports carry in all (stated or not), then the earliest
    pool = stated or every
    event_date = min(pool, key=lambda d: (-pool[d], -every[d], d)) if pool else None
    precision = finest if event_date is not None else "unknown"
    # days covered: an episode runs from its first to its last stated day (event_date
    # is then its first day); any other incident covers its one day, or its period
    if precision == "day" and c.is_episode(cfg):
        start_date, end_date = c.min_day, c.max_day
        event_date = start_date
    elif event_date is not None:
        start_date, end_date = _period(event_date, precision)
    else:
        start_date = end_date = None

    event_type = _mode([e.etype for e in members if e.etype])

    def typed(col: str):
        same = [e.row.get(col) for e in members if e.row.get(col) and e.etype == event_type]
        return _mode(same or [e.row.get(col) for e in members if e.row.get(col)])

    acled_type = typed("acled_type")

    causes = [e.cause for e in members if e.cause is not None]
    known = [x for x in causes if x != "unknown"]
    cause = _mode(known) if known else ("unknown" if causes else None)

    pubs = {e.doc_id: _as_date(published.get(e.doc_id)) for e in members}
    k_triple, w_triple, _ = _counted_triples(_figures(members, pubs))

    return {
        "incident_id": incident_id,
        "event_date": event_date,
        "date_precision": precision,
        "event_type": event_type,
        "acled_type": acled_type,
        "location": c.location(finer),
        "actor1": c.a1_raw,
        "actor2": c.a2_raw,
        "victim_side": "all" if len(c.victims) > 1 else c.victim_raw,
        "killed": k_triple[0],
        "killed_low": k_triple[1],
        "killed_high": k_triple[2],
        "wounded": w_triple[0],
        "wounded_low": w_triple[1],
        "wounded_high": w_triple[2],
        "n_reports": len(members),
        "n_documents": len({e.doc_id for e in members}),
        "disputed": any(bool(e.row.get("disputed")) for e in members),
        "scope": c.scope,
        "start_date": start_date,
        "end_date": end_date,
        "cause": cause,
        "acled_sub_type": typed("acled_sub_type"),
        "disorder_type": typed("disorder_type"),
    }


# --------------------------------------------------------------------------- incremental re-merge


def _event_span(row: Mapping[str, Any]) -> tuple[date, date] | None:
    """First and last day an event row can speak of (its day or stated span, a coarse date's
    period); None when undated (an undated report joins only incidents of its own document)."""
    d = _as_date(row.get("event_date"))
    p = _precision(row, d)
    if p == "unknown":
        return None
    lo, hi = _period(d, p)
    end = _as_date(row.get("event_end_date"))
    if end is not None and end > hi:
        hi = end
    return lo, hi


def affected_incidents(
    stored: Iterable[Mapping[str, Any]],
    new: Iterable[Mapping[str, Any]],
    config: MergeConfig | None = None,
) -> set[str]:
    """The stored incidents a batch's new events can join or change, for an incremental re-merge
    (the caller re-merges the new events with every event of these incidents and leaves the other
    incidents as they are; ``merge_incidents`` itself is unchanged).

    ``stored``: rows of events that already have an incident (``incident_id``, ``doc_id``, ``event_date``,
    ``event_end_date``, ``date_precision``, ``location``, ``scope``); ``new``: the new events'
    rows. A stored event is affected when it has the scope of a new event, its days (day, stated
    span or coarse period) come within ``max(max_day_gap, episode_days, soft_date_window) + 1``
    days of the new event's, and the two are in the same region: the top ancestor of the place
    in ``config.place_parents``; a place the hierarchy does not know and a missing place are in
    every region (they are compatible with anything). Its whole incident is returned, and, for a
    document with undated reports (they join an incident of their own document), every incident
    of that document (repeated until nothing is added).
    """
    cfg = config or MergeConfig()
    parents = _norm_parents(cfg.place_parents) or {}
    known_roots = set(parents.values())
    margin = timedelta(days=max(cfg.max_day_gap, cfg.episode_days, cfg.soft_date_window) + 1)

    def region(loc: Any) -> str | None:
        k = _key(loc)
        if k is None:
            return None
        anc = _ancestors(k, parents)
        if anc:
            return anc[-1]
        return k if k in known_roots else None

    covered: dict[tuple[str, str | None], set[int]] = {}
    for row in new:
        span = _event_span(row)
        if span is None:
            continue
        scope = str(row.get("scope") or "incident")
        days = covered.setdefault((scope, region(row.get("location"))), set())
        lo, hi = (span[0] - margin).toordinal(), (span[1] + margin).toordinal()
        days.update(range(lo, hi + 1))
    any_region: dict[str, set[int]] = {}
    every_region: dict[str, set[int]] = {}
    for (scope, reg), days in covered.items():
        every_region.setdefault(scope, set()).update(days)
        if reg is None:
            any_region.setdefault(scope, set()).update(days)
    out: set[str] = set()
    docs_of: dict[str, set[str]] = {}          # incident -> its documents
    undated_of: dict[str, set[str]] = {}       # document -> incidents holding its undated reports
    stored = list(stored)
    for row in stored:
        inc, doc = row.get("incident_id"), row.get("doc_id")
        if inc is not None and doc is not None:
            docs_of.setdefault(inc, set()).add(doc)
            if _event_span(row) is None:
                undated_of.setdefault(doc, set()).add(inc)
    for row in stored:
        inc = row.get("incident_id")
        if inc is None or inc in out:
            continue
        span = _event_span(row)
        if span is None:
            continue
        scope = str(row.get("scope") or "incident")
        if scope not in every_region:
            continue
        reg = region(row.get("location"))
        if reg is None:
            days = every_region[scope]
            hit = any(d in days for d in range(span[0].toordinal(), span[1].toordinal() + 1))
        else:
            a, b = covered.get((scope, reg), ()), any_region.get(scope, ())
            hit = any(d in a or d in b for d in range(span[0].toordinal(), span[1].toordinal() + 1))
        if hit:
            out.add(inc)
    # an undated report joins an incident of its own document (stage E): the incidents holding
    # the undated reports of a document with a report in an affected incident are re-merged too
    # (one step, not transitively: see bench/README.md, incremental incidents)
    for inc in list(out):
        for doc in docs_of.get(inc, ()):
            out.update(undated_of.get(doc, ()))
    return out
