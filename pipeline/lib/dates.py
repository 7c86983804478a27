"""Date mentions in English news text, resolved against the publication date.

Public API (see docs/architecture.md)::

    find_dates(text, published, event_reference=None) -> list[DateMention]   # sorted by start
    infer_published_date(text, *, default_year=None) -> (date | None, basis) # 'dateline' | 'text' | 'unknown'

What is resolved
----------------
* explicit dates: "June 28", "28 June 2023", "the 28th of June", "Tuesday, June 27", "Sept. 5, 2022",
  "2023-06-28", "28/06/2023"; month-year ("June 2023", "mid-June 2023"); bare months after a
  trigger word ("in April", "late May", "last December", "since December");
* years ("in 2020", "the 2020 war", "early 2023", "in 1992-94"), decades ("the 1990s"), seasons
  ("autumn 2020");
* ranges: "13-14 September", "between 13 and 15 June", "27-29 June 2023", "June 27 to July 2",
  "from April to June", "between 2019 and 2021";
* weekdays ("on Tuesday", "in the early hours of Wednesday morning", "said Thursday", "last Friday");
* relative to publication: "today", "yesterday", "last night", "two days ago", "last week",
  "this week", "earlier this month", "last month", "last year", "the weekend";
* relative to an event (``kind='relative_to_event'``, anchored on ``event_reference`` when given,
  else on publication): "the day prior", "the previous day", "a day earlier", "the day before",
  "the next day", "later that day", "two days later", "the following week", ...;
* periods (``is_period=True``): "since X", "over the past month", "in the past two weeks",
  "in recent months", "for months", decades.

Rules: ``value`` is the day (day precision) or the first day of the week (Monday) / month / year;
``end_value`` is set for ranges, periods and decades only and is clipped to the publication date.
Nothing resolves after the publication date: a month-day without a year or a weekday takes the
latest such day on or before publication (same day included); a bare month later in the year than
the publication month is last year's; an explicit date/year after publication, "next week",
"tomorrow" etc. stay unresolved (``precision='unknown'``, ``value=None``). When the clause before
a weekday / year-less date / bare month carries a future cue ("will", "scheduled", "slated to",
"due to", ...) and the rolled-back date would not be the publication day itself, it stays
unresolved rather than being moved a week or a year into the past. Without a publication date
only absolute dates (with a year) resolve.

Hand-written parts and why
--------------------------
* The span finder (precompiled regexes) and the anchoring arithmetic (``datetime`` only) are
  hand-written instead of ``dateparser.search.search_dates``. Measured here (dateparser 1.5):
  ``search_dates`` ~3.5 ms per sentence and one ``dateparser.parse`` ~1 ms, while this module
  needs ~40 us CPU per typical sentence (~1 ms per 3-5k-character article); it runs on every
  sentence of 100k articles. dateparser also returns no precision, range, period or
  relative-to-event information, finds neither "late May" nor "the day prior", and its past
  preference is unreliable for weekdays: with PREFER_DATES_FROM='past' today's weekday resolves
  to a week ago (scrapinghub/dateparser#1031; we need same day included) and weekdays near the
  start of a month resolved into the future (scrapinghub/dateparser#1262, #1249). The calendar
  arithmetic is a handful of lines on ``datetime.date``.
* For speed every pattern is a *core* starting with a literal token (month/weekday name, digit,
  unit word) plus a *prefix* ("in", "since", "late", "between", a number ...) matched backwards
  from the core with a ``$``-anchored regex; cheap word gates skip patterns that cannot match a
  sentence, and long texts are scanned sentence by sentence.
* dateparser *is* used where it is reliable and the call is rare: ``infer_published_date`` hands
  short header lines that carry a year but no date our patterns know ("28-Jun-2023", non-English
  month names) to ``dateparser.parse`` with REQUIRE_PARTS day/month/year (cached). The tests
  also use dateparser as an independent oracle for explicit dates.

Heuristics worth knowing: an all-numeric date whose day and month can be swapped takes the reading
closest to (not after) publication; vague amounts ("for months", "in recent weeks", "a few days")
count as 3 units ("recent days" as one week); periods start at the start of their unit ("over the
past month" published 2023-06-28 -> 2023-05-01..2023-06-28); a weekday preceded by a capitalised
word is a name ("Bloody Sunday"); a bare month needs a trigger word ("in", "since", "late", ...)
so "Theresa May" and "march" are not dates; "2,000 troops"-like counts are not years. Year-less
datelines ("YEREVAN, JUNE 28, ARMENPRESS") take ``default_year`` if given, else the year of the
latest full date in the text, else the latest year mentioned.

Known limits: English only; tense is judged only by a few future cues in the clause before the
expression; "overnight", "recently", "the eve of X" are not resolved; "the day before <noun>" and
"two days prior to <noun>" are anchored on another event and returned unresolved.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.easter import easter

__all__ = ["DateMention", "find_dates", "infer_published_date"]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str                 # char offsets in the text passed in
    value: date | None        # the day (day precision) or the first day of week/month/year
    end_value: date | None    # last day for ranges / periods
    precision: str            # 'day' | 'week' | 'month' | 'year' | 'unknown'
    kind: str                 # 'explicit' | 'weekday' | 'feast' | 'relative' | 'relative_to_event' | 'year' | 'range' | 'since' | 'period'
    is_period: bool           # 'since December', 'over the past month', 'in recent months'


# --------------------------------------------------------------------------- vocabulary

_MONTHS_FULL = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_MONTHS_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
                "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
_MONTH_NUM = {m.lower(): i for i, m in enumerate(_MONTHS_FULL, 1)}
_MONTH_NUM.update({a.lower(): n for a, n in _MONTHS_ABBR.items()})
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY_NUM = {w.lower(): i for i, w in enumerate(_WEEKDAYS)}
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "several": 3, "a number of": 3,
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}


def _alt(words) -> str:
    """Longest-first alternation of literal words; inner spaces match any whitespace."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


def _title_upper(words) -> list[str]:
    return [v for w in words for v in (w, w.upper())]


def _lower_cap(words) -> list[str]:
    """'last night' -> 'last night', 'Last night' (sentence start). A flat literal alternation
    is much faster than (?i:...) as the first element of a pattern."""
    return [v for w in words for v in (w, w[:1].upper() + w[1:])]


# Month and weekday names are matched case-sensitively (Title or UPPER case): lower-case "may",
# "march" are verbs. Abbreviations only where a day number follows or precedes.
_M_FULL = rf"(?:{_alt(_title_upper(_MONTHS_FULL))})(?![A-Za-z])"
_M_ANY = ("(?:" + "|".join(sorted([re.escape(m) for m in _title_upper(_MONTHS_FULL)]
                                   + [re.escape(a) + r"\.?" for a in _title_upper(_MONTHS_ABBR)],
                                   key=len, reverse=True)) + r")(?![A-Za-z])")
_WD = rf"(?:{_alt(_title_upper(_WEEKDAYS))})(?![A-Za-z])"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d(?![\d%])(?![.,]\d)"
_YEAR_TAIL = rf"(?:,?[ \t]+(?P<y>{_YEAR}))?"
_NUM = rf"(?:\d{{1,3}}|{_alt(_NUM_WORDS)})"
_APPROX = (r"(?:nearly|almost|about|around|some|roughly|approximately|more\s+than|less\s+than|"
           r"over|under|at\s+least|just\s+over|just\s+under|up\s+to)")
_MOD = r"(?:(?:the\s+)?(?:end|start|beginning|middle|turn)\s+of|early|late|mid)"
_COUNT_NOUNS = (r"(?:people|persons|civilians|troops|soldiers|servicemen|fighters|militants|men|women|"
                r"children|families|homes|houses|buildings|km|kilometres|kilometers|miles|metres|"
                r"meters|tonnes|tons|dollars|euros|rounds|shells|rockets|missiles|drones|refugees|"
                r"prisoners|residents|households|hectares|members|votes|cases|deaths|dead|"
                r"casualties|killed|wounded|injured|victims|strikes|attacks|feet|hours|minutes)")
_CONN = r"(?:[-\u2013\u2014/]|(?i:to|and|until|till|through|thru|&))"

# --------------------------------------------------------------------------- patterns
#
# Every pattern is split in two: a *core* that starts with a literal token (a month or weekday
# name, a digit, a unit word), so that Python's regex engine can skip ahead to candidate
# positions, and an optional *prefix* ("in", "since", "late", "the", "between", a number...)
# matched backwards from the core start with a ``$``-anchored regex on a short window. A leading
# look-behind or optional group would make the engine try the whole pattern at every character
# (measured ~10x slower). The left word boundary of the core is checked in code (``_LEFT``).

_W = r"(?<![A-Za-z])"         # word start inside prefixes

# explicit dates
_P_ISO = re.compile(r"(?P<y>(?:1[89]|20)\d\d)[-/](?P<m>[01]?\d)[-/](?P<d>[0-3]?\d)(?!\d)")
_P_NUMERIC = re.compile(r"(?P<a>\d\d?)(?P<sep>[/.])(?P<b>\d\d?)(?P=sep)"
                        r"(?P<y>(?:1[89]|20)\d\d|\d\d)(?![\w/]|\.\d)")
_P_DAY_MONTH = re.compile(rf"(?P<d>\d\d?){_ORD}(?:\s+(?i:of))?\s+(?P<m>{_M_ANY}){_YEAR_TAIL}")
_X_DAY_MONTH = re.compile(rf"(?:{_W}(?P<wd>{_WD}),?\s+)?(?:{_W}(?i:the)\s+)?$")
_P_MONTH_DAY = re.compile(rf"(?P<m>{_M_ANY})\s*(?P<d>\d\d?){_ORD}(?![\d:]|[.,]\d)(?![A-Za-z]){_YEAR_TAIL}")
_X_MONTH_DAY = re.compile(rf"(?:{_W}(?P<wd>{_WD}),?\s+)?$")
_P_DAY_RANGE = re.compile(rf"(?P<d1>\d\d?){_ORD}\s*(?P<conn>{_CONN})\s*(?:(?i:the)\s+)?(?P<d2>\d\d?){_ORD}"
                          rf"(?:\s+(?i:of))?\s+(?P<m>{_M_ANY}){_YEAR_TAIL}")
_X_RANGE = re.compile(rf"(?:{_W}(?P<pre>(?i:between|from))\s+)?(?:{_W}(?i:the)\s+)?$")
_P_MONTH_DAY_RANGE = re.compile(rf"(?P<m>{_M_ANY})\s*(?P<d1>\d\d?){_ORD}\s*(?P<conn>{_CONN})\s*"
                                rf"(?P<d2>\d\d?){_ORD}(?!\d)(?![A-Za-z])(?!\s+(?i:{_COUNT_NOUNS})\b){_YEAR_TAIL}")
_P_MONTH_YEAR = re.compile(rf"(?P<m>{_M_ANY}),?\s+(?:(?i:of)\s+)?(?P<y>{_YEAR})")
_X_MOD = re.compile(rf"(?:{_W}(?P<mod>(?i:{_MOD}))[\s-]+)?$")
_P_BARE_MONTH = re.compile(rf"(?P<m>{_M_FULL})")
_BARE_TRIG = (r"(?:in|since|last|this|next|until|till|by|from|during|of|between|through|throughout|"
              r"before|after|around|the)")
_X_BARE_MONTH = re.compile(rf"(?:{_W}(?P<trig>(?i:{_BARE_TRIG}))\s+)?(?:{_W}(?P<mod>(?i:{_MOD}))[\s-]+)?$")
_P_YEAR = re.compile(rf"(?P<y>{_YEAR})(?:\s*[-\u2013]\s*(?P<y2>(?:1[89]|20)?\d\d)(?![\d%]))?"
                     rf"(?!\s*(?i:{_COUNT_NOUNS})\b)")
_YEAR_TRIG = (r"(?:in|since|until|till|by|from|during|of|between|through|throughout|before|after|"
              r"around|the|a|year|circa)")
_X_YEAR = re.compile(rf"(?:{_W}(?P<trig>(?i:{_YEAR_TRIG}))\s+(?:(?i:the\s+year)\s+)?)?"
                     rf"(?:{_W}(?P<mod>(?i:{_MOD}))[\s-]+)?$")
_P_DECADE = re.compile(r"(?P<dec>1[89]\d0|20\d0|'\d0|\u2019\d0)['\u2019]?s(?![A-Za-z])")
_X_DECADE = re.compile(rf"(?:{_W}(?i:the)\s+)?(?:{_W}(?P<mod>(?i:early|mid|late))[\s-]+)?$")
_SEASON_WORDS = ["spring", "summer", "autumn", "winter"]
_P_SEASON = re.compile(rf"(?P<s>{_alt(_lower_cap(_SEASON_WORDS))})\s+(?:(?i:of)\s+)?(?P<y>{_YEAR})")
_P_SEASON_REL = re.compile(rf"(?P<rel>{_alt(_lower_cap(['last', 'this', 'past']))})\s+"
                           r"(?P<s>(?i:spring|summer|autumn|winter))(?![A-Za-z])")

# weekdays
_WD_PRE = (r"(?:in\s+the\s+(?:early|small|wee|late)\s+hours\s+of|early\s+on|late\s+on|"
           r"(?:on\s+)?the\s+(?:morning|afternoon|evening|night)\s+of|overnight\s+(?:into|on|to)|"
           r"this\s+past|last|this|past|next|coming|early|late)")
_P_WEEKDAY = re.compile(rf"(?P<wd>{_WD})(?:\s+(?P<tod>(?i:morning|afternoon|evening|night)))?")
_X_WEEKDAY = re.compile(rf"(?:{_W}(?P<pre>(?i:{_WD_PRE}))\s+)?$")

# relative to publication
_TODAY_WORDS = ["the day before yesterday", "the day after tomorrow", "yesterday morning",
                "yesterday afternoon", "yesterday evening", "yesterday", "last night", "earlier today",
                "later today", "today", "tonight", "this morning", "this afternoon", "this evening",
                "tomorrow"]
# named days of the calendar: movable Christian feasts (from Easter) and fixed ones
_P_FEAST = re.compile(r"(?P<f>Easter (?:Sunday|Monday)|Easter|Good Friday|Holy Saturday|Maundy Thursday|"
                      r"Palm Sunday|Pentecost(?: Sunday)?|Whit (?:Sunday|Monday)|Christmas (?:Day|Eve)|"
                      r"New Year['\u2019]s (?:Day|Eve))(?![A-Za-z])"
                      r"(?!\s+(?:[A-Z]|(?i:agreements?|accords?|deal|offensive|rising|uprising|truce|ceasefire)\b))")
_FEAST_RECENT_DAYS = 60
_P_TODAY = re.compile(rf"(?P<w>{_alt(_lower_cap(_TODAY_WORDS))})(?![A-Za-z])")
_UNITS = r"(?:hours?|days?|weeks?|fortnights?|months?|years?|decades?)"
_P_AGO = re.compile(rf"(?P<u>{_UNITS})\s+"
                    r"(?P<dir>ago|earlier|later|before|after|afterwards|prior|previously)(?![A-Za-z])")
_X_NUM = re.compile(rf"(?<![\w-])(?:(?P<approx>(?i:{_APPROX}))\s+)?(?P<n>(?i:{_NUM}))\s+$")
_P_REL_UNIT = re.compile(r"(?P<u>week|weekend|month|year|fortnight)(?![A-Za-z])")
_X_REL_UNIT = re.compile(rf"(?:{_W}(?P<mod>(?i:earlier|later|early|late|mid|so\s+far|"
                         r"(?:at\s+)?the\s+(?:end|start|beginning|middle|turn)\s+of))[\s-]+)?"
                         rf"{_W}(?P<rel>(?i:this\s+past|last|this|next|coming|past|the))\s+$")
_P_WEEKEND = re.compile(r"weekend(?![A-Za-z])")
_X_WEEKEND = re.compile(rf"{_W}(?i:over|during|at|on)\s+(?i:the)\s+$")
# "a weekend attack", "the weekend raid", "the weekend Russian missile strike": the weekend as the
# event noun's modifier (up to three words between)
_P_WEEKEND_EVT = re.compile(r"(?P<wk>weekend)\s+(?:(?!(?:and|or|of|but|was|were|is|are|to|with)\b)[A-Za-z][\w'-]*\s+){0,3}?(?:attacks?|assaults?|raids?|massacres?|killings?|bombings?|clashes|"
                            r"violence|fighting|shootings?|strikes?|ambush(?:es)?)(?![A-Za-z])")
_X_A_THE = re.compile(r"(?<![\w-])(?i:a|the)\s+$")

# relative to the event
_EVT_UNIT = r"(?:day|night|evening|morning|afternoon|week|month|year|weekend)"
_P_EVT_BEFORE = re.compile(rf"(?P<u>{_EVT_UNIT})\s+(?P<dir>before|prior|after|earlier|later)(?![A-Za-z])")
_X_THE = re.compile(r"(?<![\w-])(?i:the)\s+$")
_P_EVT_PREV = re.compile(rf"(?P<dir>previous|preceding|prior|next|following|same|subsequent)\s+"
                         rf"(?P<u>{_EVT_UNIT})(?![\w-])")
_P_EVT_THAT = re.compile(rf"(?P<u>{_EVT_UNIT})(?![\w-])")
_X_EVT_THAT = re.compile(r"(?:(?<![\w-])(?P<dir>(?i:later|earlier))\s+(?i:that|the\s+same|in\s+the)|"
                         r"(?<![\w-])(?i:that)(?:\s+(?i:same))?)\s+$")

# periods
_P_SPAN_UNIT = re.compile(rf"(?P<u>{_UNITS})(?![\w-])(?!\s+(?i:of\b|to\s+come\b))")
_X_PAST_N = re.compile(rf"(?:{_W}(?P<prep>(?i:over|in|during|for|within|throughout|across|through))\s+)?"
                       rf"{_W}(?i:the)\s+(?P<rel>(?i:past|last|previous|preceding))\s+"
                       rf"(?:(?P<approx>(?i:{_APPROX}))\s+)?(?:(?P<n>(?i:{_NUM}))\s+)?$")
_P_RECENT = re.compile(r"(?P<u>days|weeks|months|years|decades)(?![\w-])")
_X_RECENT = re.compile(rf"(?:{_W}(?P<prep>(?i:in|over|during|throughout))\s+)?{_W}(?i:recent)\s+$")
_X_FOR = re.compile(rf"{_W}(?i:for)\s+(?:(?P<approx>(?i:{_APPROX}))\s+)?(?:(?P<n>(?i:{_NUM}))\s+)?$")

# context probes
_FUTURE_CUE = re.compile(
    r"(?i)(?:\b(?:will|shall|would|due\s+to|is\s+due|are\s+due|slated|scheduled|expected\s+to|"
    r"set\s+to|plans?\s+to|planned|planning|intends?\s+to|upcoming|is\s+to|are\s+to|to\s+be\s+held)\b|'ll\b)")
_DATE_WORD = re.compile(rf"{_M_FULL}|{_WD}")
_CLAUSE_BREAK = re.compile(r"[.;!?,:()\u2014\u2013\n\"\u201c\u201d]")
_SINCE_BEFORE = re.compile(r"(?i)\b(?:ever\s+)?since\s+(?:(?:at\s+least|as\s+early\s+as)\s+)?(?:the\s+|an?\s+)?$")
_RANGE_PREFIX = re.compile(r"(?i)\b(?P<w>from|between)\s+(?:the\s+)?$")
_RANGE_GAP = re.compile(rf"\s*(?P<c>{_CONN})\s*")
_CONT_MONTH = re.compile(rf"\s*(?:,|(?i:and|or|to|through|until|till)|[-\u2013\u2014])\s*(?:(?i:early|late|mid)[\s-]+)?"
                 rf"(?P<m>{_M_FULL})(?!\s*\d)")
_CONT_YEAR = re.compile(rf"\s*(?:,|(?i:and|or|to|through|until|till)|[-\u2013\u2014])\s*(?:(?i:early|late|mid)[\s-]+)?"
                rf"(?P<y>{_YEAR})(?!\s*(?i:{_COUNT_NOUNS})\b)")
_NOUN_AFTER = re.compile(r"\s+(?!(?:and|but|when|while|as|or|he|she|they|it|we|I|officials?|"
                         r"the\s+(?:ministry|army|government|military|group|police))\b)[A-Za-z]")
_NAMED_DAY_BEFORE = re.compile(
    r"\b(?!(?:On|By|Since|Until|Till|From|Before|After|And|Or|But|Of|Through|Each|Every|"
    r"Late|Early|Last|This|Next|Past|Coming|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"[A-Z][a-z]+ $")
_NOT_ANCHORED = re.compile(r"\s+(?i:to|than)\b")
# cheap gates: a pattern runs only when the words it needs occur in the sentence (most sentences
# carry no date at all); measured to save about a quarter of the scanning time
_HAS_DIGIT = re.compile(r"\d")
_HAS_MONTH = re.compile(_alt(_title_upper(_MONTHS_FULL + list(_MONTHS_ABBR))))
_HAS_WEEKDAY = re.compile(_alt(_title_upper(_WEEKDAYS)))
_GATE_WORDS = {
    "unit": ("hour", "day", "week", "fortnight", "month", "year", "decade"),
    "today": ("today", "yesterday", "tonight", "tomorrow", "last night", "this morning",
              "this afternoon", "this evening"),
    "dir": ("ago", "earlier", "later", "before", "after", "prior", "previously"),
    "rel": ("last", "this", "next", "coming", "past", "of the"),
    "evt": ("previous", "preceding", "prior", "next", "following", "same", "subsequent"),
    "span": ("past", "last", "previous", "preceding"),
    "season": ("spring", "summer", "autumn", "winter"),
    "recent": ("recent",), "weekend": ("weekend",), "that": ("that",), "for": ("for",),
    "feast": ("easter", "pentecost", "whit", "palm sunday", "good friday", "christmas", "new year"),
}


# --------------------------------------------------------------------------- calendar helpers

def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month_start(d: date, shift: int = 0) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + shift, 12)
    return date(y, m + 1, 1)


def _unit_end(v: date, precision: str) -> date:
    if precision == "week":
        return v + timedelta(days=6)
    if precision == "month":
        return date(v.year, v.month, calendar.monthrange(v.year, v.month)[1])
    if precision == "year":
        return date(v.year, 12, 31)
    return v


def _shift(base: date, n: int, unit: str) -> tuple[date, str]:
    """base moved by n units (n may be negative), normalised to the unit's start; returns (value, precision)."""
    if unit in ("hour",):
        return base + timedelta(days=int(n / 24)), "day"
    if unit == "day":
        return base + timedelta(days=n), "day"
    if unit in ("week", "fortnight", "weekend"):
        k = 2 if unit == "fortnight" else 1
        return _monday(base + timedelta(weeks=n * k)), "week"
    if unit == "month":
        return _month_start(base, n), "month"
    if unit == "decade":
        return date(base.year + 10 * n, 1, 1), "year"
    return date(base.year + n, 1, 1), "year"


def _unit_of(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") else w


def _num(word: str | None, default: int = 1) -> int:
    if not word:
        return default
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    return _NUM_WORDS.get(w, default)


def _year2(y1: int, y2s: str) -> int:
    if len(y2s) == 4:
        return int(y2s)
    y2 = y1 // 100 * 100 + int(y2s)
    return y2 if y2 >= y1 else y2 + 100


def _latest_md(m: int, d: int, pub: date) -> date | None:
    """Latest date with month m, day d on or before pub (within ~a year; Feb 29 up to 4 years)."""
    for y in range(pub.year, pub.year - 5, -1):
        v = _safe_date(y, m, d)
        if v is not None and v <= pub:
            return v
    return None


# --------------------------------------------------------------------------- candidates

class _Cand:
    __slots__ = ("start", "end", "value", "end_value", "precision", "kind", "is_period", "prio", "meta")

    def __init__(self, start, end, value, precision, kind, *, end_value=None, is_period=False,
                 prio=5, meta=None):
        if value is None:
            precision = "unknown"
            end_value = None
        self.start, self.end, self.value, self.precision, self.kind = start, end, value, precision, kind
        self.end_value, self.is_period, self.prio, self.meta = end_value, is_period, prio, meta

    def clip(self, pub: date | None) -> "_Cand":
        if pub is not None:
            if self.value is not None and self.value > pub:
                # keep the unclipped reading for range merging ("from 2014 to 2030")
                self.meta = dict(self.meta or (), raw=(self.value, self.precision))
                self.value, self.end_value, self.precision = None, None, "unknown"
            elif self.end_value is not None and self.end_value > pub:
                self.end_value = pub
        return self


class _Ctx:
    __slots__ = ("text", "pub", "ref")

    def __init__(self, text, pub, ref):
        self.text, self.pub, self.ref = text, pub, ref

    def future_cue(self, start: int) -> bool:
        """A future cue ("will", "scheduled", "due to") in the clause just before ``start``.

        The window stops at clause punctuation and at an earlier weekday/month name (a cue governs
        the first date after it: "talks slated to run until Thursday began on Tuesday")."""
        window = self.text[max(0, start - 80):start]
        cut = 0
        for m in _CLAUSE_BREAK.finditer(window):
            cut = m.end()
        for m in _DATE_WORD.finditer(window, cut):
            cut = m.end()
        return _FUTURE_CUE.search(window, cut) is not None


class _Hit:
    """A core match plus its (possibly empty) prefix match, read like one ``re.Match``."""
    __slots__ = ("m", "p")

    def __init__(self, m: re.Match, p: re.Match | None):
        self.m, self.p = m, p

    def __getitem__(self, name: str):
        if name in self.m.re.groupindex:
            return self.m[name]
        if self.p is not None and name in self.p.re.groupindex:
            return self.p[name]
        return None

    def start(self, name: str | None = None) -> int:
        if name is None:
            p = self.p
            return p.start() if p is not None and p.end() > p.start() else self.m.start()
        if name in self.m.re.groupindex:
            return self.m.start(name)
        return self.p.start(name)

    def end(self) -> int:
        return self.m.end()


def _span_start(m: _Hit, *groups: str) -> int:
    for g in groups:
        if m[g]:
            return m.start(g)
    return m.m.start()


# ---- explicit

def _explicit_md(ctx: _Ctx, start: int, end: int, mo: int, d: int, y: int | None, prio: int) -> _Cand | None:
    if not 1 <= d <= 31:
        return None
    meta = {"y": y, "m": mo, "d": d}
    if y is not None:
        v = _safe_date(y, mo, d)
        if v is None:
            return None
        return _Cand(start, end, v, "day", "explicit", prio=prio, meta=meta).clip(ctx.pub)
    if _safe_date(2000, mo, d) is None:        # e.g. "June 31"
        return None
    if ctx.pub is None:
        return _Cand(start, end, None, "unknown", "explicit", prio=prio, meta=meta)
    v = _latest_md(mo, d, ctx.pub)
    if v is not None and v.year < ctx.pub.year and ctx.future_cue(start):
        v = None                   # "talks scheduled for October 5": next October, not last year's
    return _Cand(start, end, v, "day", "explicit", prio=prio, meta=meta)


def _h_iso(m, ctx):
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not 1 <= mo <= 12:
        return None
    return _explicit_md(ctx, m.start(), m.end(), mo, d, y, 1)


def _h_numeric(m, ctx):
    a, b, ys = int(m["a"]), int(m["b"]), m["y"]
    if len(ys) == 2:
        if m["sep"] != "/":
            return None
        y = 2000 + int(ys)
        if ctx.pub is not None and y > ctx.pub.year:
            y -= 100
    else:
        y = int(ys)
    options = []
    for mo, d in ((b, a), (a, b)):                       # day-month first, then month-day
        v = _safe_date(y, mo, d) if 1 <= mo <= 12 else None
        if v is not None and v not in options:
            options.append(v)
    if not options:
        return None
    if len(options) > 1:
        past = [v for v in options if ctx.pub is None or v <= ctx.pub]
        if ctx.pub is None or not past:
            return _Cand(m.start(), m.end(), None, "unknown", "explicit", prio=2)
        v = max(past)                                    # the reading closest to publication
    else:
        v = options[0]
    return _Cand(m.start(), m.end(), v, "day", "explicit", prio=2,
                 meta={"y": v.year, "m": v.month, "d": v.day}).clip(ctx.pub)


def _h_day_month(m, ctx):
    y = int(m["y"]) if m["y"] else None
    return _explicit_md(ctx, m.start(), m.end(), _MONTH_NUM[m["m"].rstrip(".").lower()], int(m["d"]), y, 2)


_h_month_day = _h_day_month


def _h_range(m, ctx):
    conn = m["conn"].lower()
    if conn == "and" and (m["pre"] or "").lower() != "between":
        return None
    d1, d2 = int(m["d1"]), int(m["d2"])
    if not (1 <= d1 < d2 <= 31):
        return None
    mo = _MONTH_NUM[m["m"].rstrip(".").lower()]
    y = int(m["y"]) if m["y"] else None
    start = m.start()
    if y is None:
        if ctx.pub is None:
            return _Cand(start, m.end(), None, "unknown", "range", prio=1)
        first = _latest_md(mo, d1, ctx.pub)
        if first is None:
            return None
        y = first.year
    v1, v2 = _safe_date(y, mo, d1), _safe_date(y, mo, d2)
    if v1 is None or v2 is None:
        return None
    return _Cand(start, m.end(), v1, "day", "range", end_value=v2, prio=1).clip(ctx.pub)


def _h_month_year(m, ctx):
    mo = _MONTH_NUM[m["m"].rstrip(".").lower()]
    v = date(int(m["y"]), mo, 1)
    return _Cand(_span_start(m, "mod", "m"), m.end(), v, "month", "explicit", prio=3,
                 meta={"y": v.year, "m": mo, "month": True}).clip(ctx.pub)


def _resolve_bare_month(ctx: _Ctx, mo: int, rel: str | None, start: int) -> date | None:
    pub = ctx.pub
    if pub is None or rel == "next":
        return None
    if rel == "last":
        y = pub.year if mo < pub.month else pub.year - 1
    elif rel == "this":
        if mo > pub.month:
            return None
        y = pub.year
    else:
        y = pub.year if mo <= pub.month else pub.year - 1
        if mo != pub.month and ctx.future_cue(start):
            return None
    return date(y, mo, 1)


def _h_bare_month(m, ctx):
    trig = (m["trig"] or "").lower()
    if not trig and not m["mod"]:
        return None
    rel = trig if trig in ("last", "this", "next") else None
    start = m.start("trig") if rel else _span_start(m, "mod", "m")
    mo = _MONTH_NUM[m["m"].lower()]
    v = _resolve_bare_month(ctx, mo, rel, start)
    return _Cand(start, m.end(), v, "month", "explicit", prio=4, meta={"m": mo, "month": True, "bare": True})


def _h_year(m, ctx):
    if not m["trig"] and not m["mod"]:
        return None
    y = int(m["y"])
    start = _span_start(m, "mod", "y")
    if m["y2"]:
        y2 = _year2(y, m["y2"])
        if not y < y2 <= y + 30:
            return None
        return _Cand(start, m.end(), date(y, 1, 1), "year", "range", end_value=date(y2, 12, 31),
                     prio=3).clip(ctx.pub)
    return _Cand(start, m.end(), date(y, 1, 1), "year", "year", prio=4, meta={"year": y}).clip(ctx.pub)


def _h_decade(m, ctx):
    if m["dec"][0].isdigit():
        y0 = int(m["dec"])
    else:
        dd = int(m["dec"][1:])
        y0 = 1900 + dd
        if ctx.pub is not None and 2000 + dd <= ctx.pub.year:
            y0 = 2000 + dd if dd < 30 else y0
    mod = (m["mod"] or "").lower()
    lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(mod, (0, 9))
    return _Cand(m.start(), m.end(), date(y0 + lo, 1, 1), "year", "period",
                 end_value=date(y0 + hi, 12, 31), is_period=True, prio=2).clip(ctx.pub)


def _h_season(m, ctx):
    s, y = m["s"].lower(), int(m["y"])
    if s == "winter":
        return _Cand(m.start(), m.end(), date(y, 1, 1), "year", "year", prio=2).clip(ctx.pub)
    a, b = _SEASONS[s]
    return _Cand(m.start(), m.end(), date(y, a, 1), "month", "range",
                 end_value=_unit_end(date(y, b, 1), "month"), prio=2).clip(ctx.pub)


def _h_season_rel(m, ctx):
    """'this spring', 'last summer': the season's months, in the latest year that fits."""
    pub, s, rel = ctx.pub, m["s"].lower(), m["rel"].lower()
    if pub is None:
        return _Cand(m.start(), m.end(), None, "unknown", "range", prio=2)
    a, b = _SEASONS.get(s, (12, 14))           # winter: December to February
    first = date(pub.year, a, 1) if a <= 12 else None
    if first is None or first > pub:
        first = date(pub.year - 1, a, 1)
    if s == "winter" and pub.month <= 2:
        first = date(pub.year - 1, 12, 1)
    last = _unit_end(_month_start(first, b - a), "month")
    if rel in ("last", "past") and last >= pub:     # the season is not over: the one before
        first, last = date(first.year - 1, first.month, 1), _unit_end(_month_start(first, b - a - 12), "month")
    return _Cand(m.start(), m.end(), first, "month", "range", end_value=last, prio=2).clip(pub)


# ---- weekdays

_PART_OF_DAY_AFTER = re.compile(r"\s+(?:morning|afternoon|evening|night)\b", re.IGNORECASE)
_PLACE_PREP_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|from)\s+(?:the\s+(?:capital|city|town|village|province|state|region|"
    r"district)\s+)?$", re.IGNORECASE)


def _named_day(text: str, start: int, end: int) -> bool:
    """A capitalised word right before a weekday names a day ("Bloody Sunday", "Super Tuesday"),
    unless the weekday has a part of the day after it ("in eastern Congo Sunday morning") or the
    word is a place after a preposition ("in Kabul Sunday", "in the capital Kabul Friday"): wire
    copy drops the "on"."""
    hit = _NAMED_DAY_BEFORE.search(text, max(0, start - 30), start)
    if hit is None:
        return False
    if _PART_OF_DAY_AFTER.match(text, end):
        return False
    return not _PLACE_PREP_BEFORE.search(text, max(0, hit.start() - 40), hit.start())


def _h_weekday(m, ctx):
    pre = " ".join((m["pre"] or "").lower().split())
    wd = _WEEKDAY_NUM[m["wd"].lower()]
    start = m.start("pre") if pre else m.start("wd")
    if not pre and _named_day(ctx.text, start, m.start("wd") + len(m["wd"])):
        return None                            # "Bloody Sunday", "Good Friday", "Super Tuesday"
    pub = ctx.pub
    if pub is None or pre in ("next", "coming"):
        return _Cand(start, m.end(), None, "unknown", "weekday", prio=5, meta={"wd": wd})
    delta = (pub.weekday() - wd) % 7
    if pre in ("last", "past", "this past") and delta == 0:
        delta = 7
    if delta and pre not in ("last", "past", "this past") and ctx.future_cue(start):
        return _Cand(start, m.end(), None, "unknown", "weekday", prio=5, meta={"wd": wd})
    return _Cand(start, m.end(), pub - timedelta(days=delta), "day", "weekday", prio=5, meta={"wd": wd})


# ---- named days

_FEAST_FROM_EASTER = {"easter": 0, "easter sunday": 0, "easter monday": 1, "good friday": -2,
                      "holy saturday": -1, "maundy thursday": -3, "palm sunday": -7, "pentecost": 49,
                      "pentecost sunday": 49, "whit sunday": 49, "whit monday": 50}
_FEAST_FIXED = {"christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
                "new year's eve": (12, 31)}


def _feast_day(name: str, year: int) -> date:
    if name in _FEAST_FIXED:
        return date(year, *_FEAST_FIXED[name])
    return easter(year) + timedelta(days=_FEAST_FROM_EASTER[name])


def _h_feast(m, ctx):
    """A named day ("Easter Sunday", "Pentecost", "Christmas Day"): its last occurrence on or before
    publication (``dateutil.easter`` for the movable feasts), when that is within
    ``_FEAST_RECENT_DAYS``; an older one without a year is some earlier year's (unknown).  A name
    the day gives to something else ("the Good Friday Agreement", "the Easter Rising") is no date."""
    name = " ".join(m["f"].lower().replace("\u2019", "'").split())
    pub = ctx.pub
    day = None
    if pub is not None:
        day = _feast_day(name, pub.year)
        if day > pub:
            day = _feast_day(name, pub.year - 1)
        if (pub - day).days > _FEAST_RECENT_DAYS:
            day = None
    return _Cand(m.start(), m.end(), day, "day", "feast", prio=4)


# ---- relative to publication

def _h_today(m, ctx):
    w = " ".join(m["w"].lower().split())
    if m["w"] == "Today":      # "USA Today", "Russia Today": a name, not a date
        before = ctx.text[max(0, m.start() - 20):m.start()].rstrip()
        if before and before.split()[-1][:1].isupper() and not before.endswith((".", ":", "\n")):
            return None
    if w.startswith("the day before yesterday"):
        off = -2
    elif w.startswith(("yesterday", "last night")):
        off = -1
    elif "tomorrow" in w:
        off = 1
    else:
        off = 0
    v = ctx.pub + timedelta(days=off) if ctx.pub else None
    return _Cand(m.start(), m.end(), v, "day", "relative", prio=3).clip(ctx.pub)


_ANAPHORIC_THAT = re.compile(r"\s+(?:that|this|then)(?![A-Za-z])(?!\s+[a-z]+\s+(?:of|in|on|at))", re.I)


def _anchored_elsewhere(ctx: _Ctx, end: int, dirword: str) -> bool:
    """'two days before the vote', 'prior to the talks': anchored on another event."""
    rest = ctx.text[end:end + 40]
    if _ANAPHORIC_THAT.match(rest):
        return False   # "the day before that," / "a day after this": the event just told
    if dirword in ("before", "after"):
        return _NOUN_AFTER.match(rest) is not None
    if dirword in ("prior", "earlier", "later"):
        return _NOT_ANCHORED.match(rest) is not None
    return False


def _h_ago(m, ctx):
    unit = _unit_of(m["u"])
    n = _num(m["n"])
    d = m["dir"].lower()
    sign = 1 if d in ("later", "after", "afterwards") else -1
    if d == "ago":
        base, kind = ctx.pub, "relative"
    else:
        base, kind = (ctx.ref or ctx.pub), "relative_to_event"
        if _anchored_elsewhere(ctx, m.end(), d):
            base = None
    if base is None:
        return _Cand(m.start(), m.end(), None, "unknown", kind, prio=3)
    v, prec = _shift(base, sign * n, unit)
    return _Cand(m.start(), m.end(), v, prec, kind, prio=3).clip(ctx.pub)


def _weekend(ctx: _Ctx, start: int, end: int, last: bool) -> _Cand:
    pub = ctx.pub
    if pub is None:
        return _Cand(start, end, None, "unknown", "relative", prio=4)
    sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
    if last and pub.weekday() >= 5:
        sat -= timedelta(days=7)
    return _Cand(start, end, sat, "day", "relative", end_value=sat + timedelta(days=1), prio=4).clip(pub)


def _h_weekend(m, ctx):
    return _weekend(ctx, m.start(), m.end(), last=False)


def _h_weekend_evt(m, ctx):
    return _weekend(ctx, m.start(), m.start("wk") + len("weekend"), last=False)


def _h_rel_unit(m, ctx):
    rel = " ".join(m["rel"].lower().split())
    unit = m["u"].lower()
    start = m.start()
    if rel == "the":                           # only "the start of the year", "the end of the month"
        if not m["mod"] or not m["mod"].lower().endswith("of"):
            return None
        rel = "this"
    if rel in ("next", "coming") or ctx.pub is None:
        return _Cand(start, m.end(), None, "unknown", "relative", prio=3)
    if unit == "weekend":
        return _weekend(ctx, start, m.end(), last=rel != "this")
    if rel == "past":                          # "(the) past year": the twelve months up to publication
        return _period(ctx, start, m.end(), 1, unit)
    n = 0 if rel == "this" else -1
    v, prec = _shift(ctx.pub, n, unit)
    return _Cand(start, m.end(), v, prec, "relative", prio=3).clip(ctx.pub)


# ---- relative to the event

def _evt(ctx, start, end, off, unit, anchored_elsewhere=False):
    base = ctx.ref or ctx.pub
    if base is None or anchored_elsewhere:
        return _Cand(start, end, None, "unknown", "relative_to_event", prio=3)
    if unit in ("night", "evening", "morning", "afternoon"):
        unit = "day"
    if unit == "weekend":
        unit = "week"
    v, prec = _shift(base, off, unit)
    return _Cand(start, end, v, prec, "relative_to_event", prio=3).clip(ctx.pub)


def _h_evt_before(m, ctx):
    d = m["dir"].lower()
    off = 1 if d in ("after", "later") else -1
    return _evt(ctx, m.start(), m.end(), off, m["u"].lower(), _anchored_elsewhere(ctx, m.end(), d))


def _h_evt_prev(m, ctx):
    d = m["dir"].lower()
    off = {"previous": -1, "preceding": -1, "prior": -1, "same": 0}.get(d, 1)
    return _evt(ctx, m.start(), m.end(), off, m["u"].lower())


def _h_evt_that(m, ctx):
    return _evt(ctx, m.start(), m.end(), 0, m["u"].lower())


# ---- periods

_RECENT_N = {"days": (7, "day"), "weeks": (3, "week"), "months": (3, "month"), "years": (3, "year"),
             "decades": (3, "decade")}


def _period(ctx, start, end, n, unit, base=None, kind="period"):
    base = base or ctx.pub
    if base is None:
        return _Cand(start, end, None, "unknown", kind, is_period=True, prio=3)
    if unit == "hour":
        v, prec = base - timedelta(days=max(1, -(-n // 24))), "day"
    else:
        v, prec = _shift(base, -n, unit)
    return _Cand(start, end, v, prec, kind, end_value=base, is_period=True, prio=3).clip(ctx.pub)


def _h_past_n(m, ctx):
    unit = _unit_of(m["u"])
    plural = m["u"].lower().endswith("s")
    if not m["n"] and not plural and not m["prep"]:
        return None
    n = _num(m["n"], 3 if plural else 1)
    base = ctx.pub
    if m["rel"].lower() in ("previous", "preceding"):
        base = ctx.ref or ctx.pub
    return _period(ctx, m.start(), m.end(), n, unit, base)


def _h_recent(m, ctx):
    n, unit = _RECENT_N[m["u"].lower()]
    if unit == "day":
        return _period(ctx, m.start(), m.end(), 1, "week")
    return _period(ctx, m.start(), m.end(), n, unit)


def _h_for(m, ctx):
    unit = _unit_of(m["u"])
    plural = m["u"].lower().endswith("s")
    if not m["n"] and not plural:
        return None
    n = _num(m["n"], 3 if plural else 1)
    if ctx.future_cue(m.start()):
        return _Cand(m.start(), m.end(), None, "unknown", "period", is_period=True, prio=3)
    return _period(ctx, m.start(), m.end(), n, unit)


# --------------------------------------------------------------------------- scanning

def _left_alpha(ch: str) -> bool:
    return ch.isalpha()


def _left_num(ch: str) -> bool:        # "x2020", "1.2020", "3,2020", "12/2020", "_2020"
    return ch.isalnum() or ch in "_.,/"


def _left_numh(ch: str) -> bool:       # also "13-14 June": the "14 June" inside a range
    return ch.isalnum() or ch in "_.,/-"


# (core, prefix or None, prefix required, rejects the char left of the core, handler, gates)
_PATTERNS = (
    (_P_ISO, None, False, _left_numh, _h_iso, ("digit",)),
    (_P_NUMERIC, None, False, _left_numh, _h_numeric, ("digit",)),
    (_P_DAY_RANGE, _X_RANGE, False, _left_numh, _h_range, ("digit", "month")),
    (_P_MONTH_DAY_RANGE, _X_RANGE, False, _left_alpha, _h_range, ("digit", "month")),
    (_P_DAY_MONTH, _X_DAY_MONTH, False, _left_numh, _h_day_month, ("digit", "month")),
    (_P_MONTH_DAY, _X_MONTH_DAY, False, _left_alpha, _h_month_day, ("digit", "month")),
    (_P_MONTH_YEAR, _X_MOD, False, _left_alpha, _h_month_year, ("digit", "month")),
    (_P_BARE_MONTH, _X_BARE_MONTH, False, _left_alpha, _h_bare_month, ("month",)),
    (_P_YEAR, _X_YEAR, False, _left_num, _h_year, ("digit",)),
    (_P_DECADE, _X_DECADE, False, _left_num, _h_decade, ("digit",)),
    (_P_SEASON, None, False, _left_alpha, _h_season, ("digit", "season")),
    (_P_SEASON_REL, None, False, _left_alpha, _h_season_rel, ("season", "rel")),
    (_P_WEEKDAY, _X_WEEKDAY, False, _left_alpha, _h_weekday, ("weekday",)),
    (_P_FEAST, None, False, _left_alpha, _h_feast, ("feast",)),
    (_P_TODAY, None, False, _left_alpha, _h_today, ("today",)),
    (_P_AGO, _X_NUM, True, _left_alpha, _h_ago, ("unit", "dir")),
    (_P_REL_UNIT, _X_REL_UNIT, True, _left_alpha, _h_rel_unit, ("unit", "rel")),
    (_P_WEEKEND, _X_WEEKEND, True, _left_alpha, _h_weekend, ("weekend",)),
    (_P_WEEKEND_EVT, _X_A_THE, True, _left_alpha, _h_weekend_evt, ("weekend",)),
    (_P_EVT_BEFORE, _X_THE, True, _left_alpha, _h_evt_before, ("unit", "dir")),
    (_P_EVT_PREV, _X_THE, True, _left_alpha, _h_evt_prev, ("unit", "evt")),
    (_P_EVT_THAT, _X_EVT_THAT, True, _left_alpha, _h_evt_that, ("unit", "that")),
    (_P_SPAN_UNIT, _X_PAST_N, True, _left_alpha, _h_past_n, ("unit", "span")),
    (_P_RECENT, _X_RECENT, True, _left_alpha, _h_recent, ("recent",)),
    (_P_SPAN_UNIT, _X_FOR, True, _left_alpha, _h_for, ("unit", "for")),
)
_PREFIX_WINDOW = 60


_GATE_RX = re.compile(_alt({w for words in _GATE_WORDS.values() for w in words}))
_GATE_FEATS = {w: frozenset(f for f, words in _GATE_WORDS.items() if any(x in w for x in words))
               for words in _GATE_WORDS.values() for w in words}


def _features(text: str) -> set[str]:
    feats: set[str] = set()
    for w in set(_GATE_RX.findall(text.lower())):
        feats |= _GATE_FEATS[" ".join(w.split())]
    if _HAS_DIGIT.search(text):
        feats.add("digit")
    if _HAS_MONTH.search(text):
        feats.add("month")
    if _HAS_WEEKDAY.search(text):
        feats.add("weekday")
    return feats


# Long texts are scanned sentence by sentence so that the gates work per sentence. A split needs
# sentence punctuation followed by a capital, so "Sept. 5" or "8 a.m. on Monday" stay whole.
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z])|\n+")


def _chunks(text: str):
    if len(text) <= 300:
        yield 0, len(text)
        return
    start = 0
    for m in _SENT_SPLIT.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _scan(text: str, pub: date | None, ref: date | None) -> list[_Cand]:
    if not text:
        return []
    ctx = _Ctx(text, pub, ref)
    cands: list[_Cand] = []
    for cs, ce in _chunks(text):
        feats = _features(text[cs:ce])
        if not feats:
            continue
        for core, prefix, need_prefix, bad_left, handler, needs in _PATTERNS:
            if not feats.issuperset(needs):
                continue
            for m in core.finditer(text, cs, ce):
                i = m.start()
                if i > 0 and bad_left(text[i - 1]):
                    continue
                p = None
                if prefix is not None:
                    p = prefix.search(text, max(cs, i - _PREFIX_WINDOW), i)
                    if need_prefix and (p is None or p.end() == p.start()):
                        continue
                c = handler(_Hit(m, p), ctx)
                if c is not None:
                    cands.append(c)
    if not cands:
        return []
    # overlaps: earliest start, then longest span, then pattern priority
    cands.sort(key=lambda c: (c.start, c.start - c.end, c.prio))
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    kept = _continue_lists(kept, ctx)
    kept = _merge_ranges(kept, ctx)
    _wrap_since(kept, ctx)
    return kept


def _continue_lists(kept: list[_Cand], ctx: _Ctx) -> list[_Cand]:
    """'in April and May', 'in 2008, 2014 and 2022': the trigger word covers the whole list."""
    out: list[_Cand] = []
    text = ctx.text
    for i, c in enumerate(kept):
        out.append(c)
        nxt_start = kept[i + 1].start if i + 1 < len(kept) else len(text)
        cur = c
        while cur.meta:
            if cur.meta.get("bare") or (cur.meta.get("month") and "y" not in cur.meta):
                m = _CONT_MONTH.match(text, cur.end)
                if m is None or m.end() > nxt_start:
                    break
                mo = _MONTH_NUM[m["m"].lower()]
                v = _resolve_bare_month(ctx, mo, None, m.start("m"))
                cur = _Cand(m.start("m"), m.end(), v, "month", "explicit", prio=4,
                            meta={"m": mo, "month": True, "bare": True})
            elif "year" in cur.meta:
                m = _CONT_YEAR.match(text, cur.end)
                if m is None or m.end() > nxt_start:
                    break
                y = int(m["y"])
                cur = _Cand(m.start("y"), m.end(), date(y, 1, 1), "year", "year", prio=4,
                            meta={"year": y}).clip(ctx.pub)
            else:
                break
            out.append(cur)
    return out


_MERGEABLE = {"explicit", "year", "weekday"}


def _merge_ranges(kept: list[_Cand], ctx: _Ctx) -> list[_Cand]:
    """'June 27 to July 2', 'from April to June', 'between 2019 and 2021', 'from Monday to Wednesday'."""
    if len(kept) < 2:
        return kept
    text = ctx.text
    out: list[_Cand] = []
    i = 0
    while i < len(kept):
        a = kept[i]
        b = kept[i + 1] if i + 1 < len(kept) else None
        merged = None
        if (b is not None and a.kind in _MERGEABLE and b.kind in _MERGEABLE
                and (a.kind == "weekday") == (b.kind == "weekday")):
            g = _RANGE_GAP.fullmatch(text, a.end, b.start)
            if g is not None:
                pre = _RANGE_PREFIX.search(text, max(0, a.start - 15), a.start)
                conn = g["c"].lower()
                if conn == "and":
                    ok = pre is not None and pre["w"].lower() == "between"
                elif conn == "/":
                    ok = False
                else:
                    ok = True
                if ok:
                    merged = _merge_pair(a, b, pre.start() if pre is not None else a.start, ctx)
        if merged is not None:
            out.append(merged)
            i += 2
        else:
            out.append(a)
            i += 1
    return out


def _merge_pair(a: _Cand, b: _Cand, start: int, ctx: _Ctx) -> _Cand | None:
    am, bm = a.meta or {}, b.meta or {}
    a_prec = a.precision if a.value is not None else am.get("raw", (None, "unknown"))[1]
    b_prec = b.precision if b.value is not None else bm.get("raw", (None, "unknown"))[1]
    a_lo = a.value if a.value is not None else am.get("raw", (None,))[0]
    b_lo = b.value if b.value is not None else bm.get("raw", (None,))[0]
    a_yearless = am.get("y") is None and ("d" in am or am.get("bare"))
    b_yearless = bm.get("y") is None and ("d" in bm or bm.get("bare"))
    # a year-less first part takes the year of the second: "27 June - 2 July 2023", "April to June 2022"
    if a_yearless and bm.get("y") is not None:
        a_lo = _safe_date(bm["y"], am["m"], am.get("d", 1))
    if a_lo is None or b_lo is None or a.kind == "weekday" and a.value is None:
        return None
    b_hi = _unit_end(b_lo, b_prec)
    if a_lo > b_hi:
        if a.kind == "weekday":
            a_lo -= timedelta(days=7)
        elif b_yearless and _safe_date(b_lo.year + 1, b_lo.month, b_lo.day) and \
                a_lo <= _unit_end(b_lo.replace(year=b_lo.year + 1), b_prec):
            b_hi = _unit_end(b_lo.replace(year=b_lo.year + 1), b_prec)   # "December 28 to January 3"
        elif a_yearless and _safe_date(a_lo.year - 1, a_lo.month, a_lo.day):
            a_lo = a_lo.replace(year=a_lo.year - 1)
        else:
            return None
    if a_lo > b_hi:
        return None
    if a_prec == "unknown" or b_prec == "unknown":
        return None
    # precision describes ``value`` (the start); the end keeps its own unit via end_value
    return _Cand(start, b.end, a_lo, a_prec, "range", end_value=b_hi, prio=1).clip(ctx.pub)


def _wrap_since(kept: list[_Cand], ctx: _Ctx) -> None:
    text = ctx.text
    for c in kept:
        if c.kind in ("relative_to_event", "period"):
            continue
        m = _SINCE_BEFORE.search(text, max(0, c.start - 30), c.start)
        if m is None:
            continue
        c.start = m.start()
        c.kind = "since"
        c.is_period = True
        if c.value is not None:
            c.end_value = ctx.pub


# --------------------------------------------------------------------------- public API

def find_dates(text: str, published: date | None, event_reference: date | None = None) -> list[DateMention]:
    """All date mentions in ``text`` (sorted by start), resolved against ``published``.

    Relative-to-event phrases ("the day prior", "the next day", "later that day") resolve against
    ``event_reference`` when given, else against ``published``. No value or end_value lies after
    ``published``.
    """
    if isinstance(published, datetime):
        published = published.date()
    if isinstance(event_reference, datetime):
        event_reference = event_reference.date()
    out = []
    for c in _scan(text or "", published, event_reference):
        out.append(DateMention(c.start, c.end, text[c.start:c.end], c.value, c.end_value,
                               c.precision, c.kind, c.is_period))
    out.sort(key=lambda d: (d.start, d.end))
    return _weekdays_of_feasts(out)


_FEAST_NEAR_CHARS = 200


def _weekdays_of_feasts(mentions: list[DateMention]) -> list[DateMention]:
    """A bare weekday near a named day of that weekday is that day: in "that tragic Sunday,
    meant to be Pentecost Sunday", both are Pentecost, not the last Sunday before publication."""
    feasts = [m for m in mentions if m.kind == "feast" and m.value is not None]
    if not feasts:
        return mentions
    out = []
    for m in mentions:
        if m.kind == "weekday" and m.value is not None:
            same = [f for f in feasts if f.value.weekday() == m.value.weekday()
                    and min(abs(f.start - m.end), abs(m.start - f.end)) <= _FEAST_NEAR_CHARS]
            if same:
                m = replace(m, value=same[0].value)
        out.append(m)
    return out


# ---- publication date

_DL_LABEL = re.compile(r"^\W*(?i:(?:first\s+|last\s+)?(?:published|updated|posted|modified|released|dated?)\b"
                       r"(?:\s+on)?)\s*[:|\-\u2013\u2014]?\s*$")
_DL_BYLINE = re.compile(r"^\s*(?i:by)\s+[^\n]{1,60}?[|\u2022\u00b7,\u2013\u2014-]\s*$")
_CITY_WORD = r"[A-Z][\w.'\u2019-]*"
_DL_CITY = re.compile(rf"^\s*{_CITY_WORD}(?:\s+{_CITY_WORD}){{0,3}}"
                      rf"(?:\s*,\s*{_CITY_WORD}(?:\s+{_CITY_WORD}){{0,3}})?\s*"
                      r"(?:\([\w .&-]{1,25}\))?\s*[,\-\u2013\u2014:]\s*$")
_DL_SUFFIX = re.compile(r"^\s*(?:$|[-\u2013\u2014:|\u2022\u00b7(]|,\s*[A-Z]{2,}|,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}"
                        r"|,?\s*\d{1,2}\s*(?i:am|pm|a\.m\.|p\.m\.))")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4096)
def _dateparser_line(line: str) -> date | None:
    import dateparser  # imported lazily: slow to import, needed only for odd header lines

    try:
        dt = dateparser.parse(line, settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                              "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return dt.date() if dt is not None else None


def _text_year(cands: list[_Cand]) -> int | None:
    full = [c.value for c in cands if c.value is not None and c.precision == "day" and c.kind == "explicit"]
    if full:
        return max(full).year
    years = [c.value.year for c in cands if c.value is not None and c.precision in ("month", "year")]
    return max(years) if years else None


def _looks_like_dateline(line: str, c: _Cand) -> bool:
    prefix, suffix = line[:c.start], line[c.end:]
    if _DL_SUFFIX.match(suffix) and (not prefix.strip() or _DL_LABEL.match(prefix)
                                     or _DL_BYLINE.match(prefix) or _DL_CITY.match(prefix)):
        return True
    # a short header line that is mostly the date: "Politico Europe | 28 June 2023"
    rest = prefix + " " + suffix
    return (c.meta or {}).get("y") is not None and len(line) <= 100 and len(_WORD.findall(rest)) <= 5


def infer_published_date(text: str, *, default_year: int | None = None) -> tuple[date | None, str]:
    """Publication date from a dateline in the first lines, else the latest full date in the text.

    Returns ``(date, 'dateline')``, ``(date, 'text')`` or ``(None, 'unknown')``. A dateline without
    a year ("YEREVAN, JUNE 28, ARMENPRESS") takes ``default_year`` if given, else the year of the
    latest full date in the text, else the latest year mentioned.
    """
    if not text:
        return None, "unknown"
    whole: list[_Cand] | None = None          # scan of the whole text, computed at most once
    lines = [ln for ln in text[:1200].split("\n") if ln.strip()][:6]
    for i, line in enumerate(lines):
        c = next((c for c in _scan(line, None, None)
                  if c.kind == "explicit" and (c.meta or {}).get("d") is not None), None)
        if c is not None and c.start < 120 and _looks_like_dateline(line, c):
            y = c.meta.get("y") or default_year
            if y is None:
                whole = _scan(text, None, None) if whole is None else whole
                y = _text_year(whole)
            if y:
                v = _safe_date(y, c.meta["m"], c.meta["d"])
                if v is not None:
                    return v, "dateline"
        elif c is None and i < 3 and len(line) <= 80 and _HAS_YEAR.search(line):
            v = _dateparser_line(line.strip())
            if v is not None:
                return v, "dateline"
    whole = _scan(text, None, None) if whole is None else whole
    full = [c.value for c in whole if c.value is not None and c.precision == "day" and c.kind == "explicit"]
    if full:
        return max(full), "text"
    return None, "unknown"
