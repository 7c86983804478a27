"""The records the passes read and fill.

* ``Trigger``: one event word of a sentence, as the PLOVER clause typer found it.
* ``EventRecord``: one event of a sentence; each pass fills its own fields (see docs/architecture.md).
* ``SentenceRecord``: one sentence: what was read from it once (triggers, denial cues, casualty
  and date mentions) and its events.
* ``DocContext``: document-level state the passes share, passed in explicitly: the entity view,
  the narrative memory (last actor, last claimant, last dated event) and the rows of earlier
  sentences.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.lib.events.lexicon import Lexicon

VIOLENT = frozenset({"ASSAULT", "FIGHT"})

ACLED_BATTLES = "Battles"
ACLED_REMOTE = "Explosions/Remote violence"
ACLED_VAC = "Violence against civilians"
ACLED_STRATEGIC = "Strategic developments"
ACLED_PROTESTS = "Protests"
ACLED_RIOTS = "Riots"

CASUALTY_KEY = "casualties"     # Trigger.key of the event made from a casualty report

EVENT_COLUMNS = [
    "event_id", "doc_id", "event_type", "event_mode", "acled_type", "actor1", "actor2", "location",
    "event_date", "date_precision", "date_text", "killed", "killed_low", "killed_high", "wounded",
    "wounded_low", "wounded_high", "victim_side", "claimed_by", "disputed", "scope", "evidence",
    "start_char", "end_char", "event_end_date", "cause", "acled_sub_type", "disorder_type",
]


@dataclass
class Trigger:
    token: Any                      # the token carrying the event (verb or event noun)
    head: Any                       # the clause verb the trigger belongs to
    event_type: str
    key: str                        # lexicon key that matched (for debugging / evidence)
    base_type: str | None = None    # type before modality rewrote it (e.g. FIGHT under THREATEN)
    mode: str | None = None         # 'accuse', 'future', 'negated', ...
    negated: bool = False
    future: bool = False
    reporter: Any = None            # reporting verb token the trigger is reported under
    allegation: bool = False        # reported with an allegation verb (claim/allege)
    comp: Any = None                # complement token a governing verb governs
    count: int | None = None        # "two claims of ceasefire violations" -> 2
    claim_noun: Any = None          # "claims by X of violations" -> the 'claims' token
    anaphoric: bool = False         # "the clashes", "the talks": refers back
    described: bool = False         # the killing is a clause describing victims inside another act
                                    # ("relatives of the villagers killed by gunmen gathered")


@dataclass(frozen=True)
class OfficialSpeaker:
    """An unnamed official as speaker ("the army said", "officials said"): ``words`` are the
    speaker's own words ("army", "regional governor"); the claims pass decides the side."""
    words: str



@dataclass
class Denial:
    """A denial or counter-blame in a sentence: its verb token, and (claims pass) who denies."""
    verb: Any
    counter_blame: bool = False     # "while Moscow blamed Ukraine": the speaker blames back
    denier: str | None = None
    official: bool = False          # the denier is an unnamed official


@dataclass
class VictimClue:
    """Whose the victims of one casualty mention are, as its words say (actors pass): a named
    side, or 'its/their/our' (the speaker's own side, settled by the claims pass); the same read
    from the casualty layer's hint."""
    named: str | None = None
    speakers_own: bool = False
    hint_named: str | None = None
    hint_own: bool = False


@dataclass
class EventRecord:
    trigger: Trigger
    multiplicity: int = 1                     # triggers pass: "two claims of violations" -> 2
    event_type: str | None = None             # typing pass (PLOVER)
    event_mode: str | None = None             # typing pass
    acled_type: str | None = None             # typing pass (ACLED)
    casualties: list = field(default_factory=list)   # the sentence's mentions, violent events only
    displaced: bool = False                   # typing pass: its toll is only another incident's, told
                                              # at a distance ("weeks after bombers killed 52")
    counted: list = field(default_factory=list)   # counts pass: the mentions it counted (without a
                                                  # running toll beside the day's figure or a victim
                                                  # named among the dead)
    named_actors: tuple = (None, None)        # actors pass: actors named by the clause
    actor1: str | None = None                 # actors pass (+ perpetrator fallback)
    actor2: str | None = None
    other_clause_actors: list = field(default_factory=list)   # actors of the other violent clauses
    victims: list[VictimClue] | None = None   # actors pass (None: no casualty mention)
    location: str | None = None               # place pass (date pass: the last violent place)
    killed: int | None = None                 # counts pass
    killed_low: int | None = None
    killed_high: int | None = None
    wounded: int | None = None
    wounded_low: int | None = None
    wounded_high: int | None = None
    claimant: str | None = None               # claims pass
    victim_side: str | None = None            # claims pass
    disputed: bool = False                    # claims pass (later sentences may set it on the row)
    scope: str = "incident"                   # scope pass
    cause: str | None = None                  # codes pass (None: no toll)
    acled_sub_type: str | None = None         # codes pass
    disorder_type: str | None = None          # codes pass
    date_mention: Any = None                  # date pass
    event_date: date | None = None
    date_precision: str = "unknown"
    date_text: str | None = None
    event_end_date: date | None = None        # date pass: last day of a stated span


@dataclass
class SentenceRecord:
    index: int                                # position among the document's sentences
    sent: Any
    triggers: list[Trigger] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    denial_scope: set[int] = field(default_factory=set)
    casualties: list = field(default_factory=list)
    date_mentions: list = field(default_factory=list)
    displaced: dict = field(default_factory=dict)  # (start, end) -> dated, of mentions of another
                                                   # incident at a stated distance (scope.displaced_mentions)
    events: list[EventRecord] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


@dataclass
class LastDate:
    """The last dated incident of the narrative: later undated sentences may continue it."""
    value: date
    precision: str | None
    text: str | None
    pos: int                                  # start_char of its sentence
    violent_location: str | None              # its place when it was violent


# The lead of a story: its first sentences (headline included), where an undated report is fresh news.
LEAD_SENTENCES = 3


@dataclass
class DocContext:
    doc: Any
    text: str
    doc_id: str
    published: date | None
    lex: Lexicon
    entities: Any                             # context.DocEntities
    paragraph_breaks: list[int]               # char offsets of the newlines in the text
    last_actor: str | None = None
    last_claimant: str | None = None
    last_date: LastDate | None = None
    lead_day: Any = None                      # a day the lead states in a sentence with no event
    lead_anniversary: bool = False            # the lead marks an anniversary (a piece recalling an incident)
    last_attack: LastDate | None = None      # the last dated violent incident ("the attack" refers to it)
    prev_rows: list[list[dict]] = field(default_factory=list)
    topic: dict[str, int] = field(default_factory=dict)   # cause.document_topic of the document
    raw_entities: list = field(default_factory=list)      # the resolved entities, as passed in

    def same_paragraph(self, start: int, end: int) -> bool:
        """No paragraph break between char offsets ``start`` and ``end``."""
        i = bisect.bisect_left(self.paragraph_breaks, start)
        return i >= len(self.paragraph_breaks) or self.paragraph_breaks[i] >= end
