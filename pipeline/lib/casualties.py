"""Casualty figures in news sentences: quantities, who was killed/wounded, and the scope of a figure.

Three functions (see docs/architecture.md):

* ``parse_quantity(text)``: the first count expression in ``text`` as a ``Quantity`` (best, low, high),
  ACLED-conservative: "at least 3" -> 3 (low 3), "more than 6,500" -> 6500 (low 6500),
  "up to 10" -> 10 (high 10), "3 to 5" -> 3 (low 3, high 5), "dozens" -> 12 (low 12),
  "tens of thousands" -> 10000, "a soldier" -> 1, "no one" -> 0, "many" -> best None.
* ``extract_casualties(sent)``: casualty mentions of a spaCy sentence, found from the dependency
  parse: a casualty cue (verb, noun or adjective from the lexicon) and the victim noun phrase that
  carries the number ("four of its servicemen were killed", "killing 12 civilians",
  "claimed more than 6,500 lives", "left 3 dead and 5 wounded", "the death toll rose to 15").
* ``classify_scope(sent, dates, published)``: 'incident' | 'aggregate' | 'historical'.

``summarize_casualties(mentions)`` folds the mentions of one sentence into the killed/wounded
columns of an event row (sums distinct victim groups; a cumulative toll only counts when the
sentence gives no other figure of that kind).

All cue words live in ``pipeline/data/casualty_lexicon.json``; this module holds the grammar only.
No Dagster import here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "casualty_lexicon.json"

KINDS = ("killed", "wounded", "missing", "captured")


# --------------------------------------------------------------------------------------------
# data classes
# --------------------------------------------------------------------------------------------
@dataclass
class Quantity:
    best: int | None
    low: int | None
    high: int | None
    text: str


@dataclass
class CasualtyMention:
    kind: str                      # 'killed' | 'wounded' | 'missing' | 'captured'
    quantity: Quantity
    victim_text: str               # the victim noun phrase without the number ("Armenian servicemen")
    victim_side_hint: str | None   # nationality adjective / possessor / reporting subject for "its"
    start_char: int                # offsets in the Doc the sentence belongs to
    end_char: int
    is_toll: bool = False          # a cumulative figure ("the death toll rose to 15")
    trigger: str = ""              # the cue word ("killed", "lives", "dead", ...)
    contested: bool = False        # inside a claim that the sentence denies ("rejecting claims that dozens died")


# --------------------------------------------------------------------------------------------
# lexicon
# --------------------------------------------------------------------------------------------
@dataclass
class _Lexicon:
    raw: dict
    sets: dict = field(default_factory=dict)
    regexes: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.sets[key]


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> _Lexicon:
    raw = json.loads(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    lex = _Lexicon(raw=raw)
    for key, value in raw.items():
        if key.startswith("_"):
            continue
        if isinstance(value, list) and (key.endswith("_patterns") or key.endswith("_exceptions")):
            lex.regexes[key] = [re.compile(p, re.IGNORECASE) for p in value]
        elif isinstance(value, list):
            lex.sets[key] = frozenset(v.lower() for v in value)
        elif isinstance(value, (int, float)):
            lex.sets[key] = value
    lex.sets["vague_quantities"] = {k.lower(): v for k, v in raw["vague_quantities"].items()}
    lex.sets["vague_multipliers"] = {k.lower(): v for k, v in raw["vague_multipliers"].items()}
    # modifier phrases as token tuples, longest first, looked up by their first word
    for key in ("lower_bound_modifiers", "upper_bound_modifiers", "approximate_modifiers", "zero_phrases"):
        lex.sets[key + "_tuples"] = _by_first_word(tuple(p.lower().split()) for p in raw[key])
    lex.sets["vague_tuples"] = _by_first_word(tuple(p.split()) for p in lex.sets["vague_quantities"])
    lex.sets["multiplier_tuples"] = _by_first_word(tuple(p.split()) for p in lex.sets["vague_multipliers"])
    return lex


def _by_first_word(phrases) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases (token tuples) grouped by their first word, longest first within a group: the
    phrase matcher then tries only the phrases that can start at a word (it runs on every word
    of every candidate sentence)."""
    out: dict[str, list] = {}
    for t in sorted(phrases, key=len, reverse=True):
        if t:
            out.setdefault(t[0], []).append(t)
    return {w: tuple(ts) for w, ts in out.items()}


# --------------------------------------------------------------------------------------------
# parse_quantity
# --------------------------------------------------------------------------------------------
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_DOZEN = {"dozen": 12}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
           "nov", "dec"}
_YEAR_PRECEDERS = {"in", "since", "of", "the", "by", "until", "till", "from", "during", "before", "after",
                   "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter"} | _MONTHS

_TOKEN_RE = re.compile(r"\$?\d[\d,]*(?:\.\d+)?(?:-[A-Za-z][\w-]*)?%?|[A-Za-z]+(?:[-'’][A-Za-z]+)*|[–—-]|\S")


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _word_value(word: str) -> int | None:
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    if "-" in word:
        parts = word.split("-")
        if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS and 0 < _UNITS[parts[1]] < 10:
            return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def _is_number_word(word: str) -> bool:
    return _word_value(word) is not None or word in _SCALES or word in _DOZEN


def _read_number(words: list[str], i: int) -> tuple[int, int] | None:
    """Read a cardinal number starting at words[i]; return (value, next index) or None."""
    n = len(words)
    if i >= n:
        return None
    w = words[i]
    # digits
    if w[:1].isdigit() or (w.startswith("$")):
        if w.startswith("$") or w.endswith("%") or re.search(r"\d-[a-z]", w):
            return None  # money, percentage, "12-year-old", "6.5-month-old"
        if "." in w and not (i + 1 < n and words[i + 1] in _SCALES):
            return None  # 6.5 is not a head count
        try:
            value = float(w.replace(",", ""))
        except ValueError:
            return None
        j = i + 1
        if (j < n and words[j] in ("per", "percent")) or (j < n and words[j] == "%"):
            return None
        # a bare year ("in 2020", "the 2020 war")
        if "," not in w and "." not in w and 1900 <= value <= 2100 and i > 0 and words[i - 1] in _YEAR_PRECEDERS:
            return None
        while j < n and (words[j] in _SCALES or words[j] in _DOZEN):
            value *= _SCALES.get(words[j], 12)
            j += 1
        return int(round(value)), j
    # "half a dozen", "half a million"
    if w == "half" and i + 2 < n and words[i + 1] in ("a", "an") and (words[i + 2] in _SCALES or words[i + 2] in _DOZEN):
        scale = _SCALES.get(words[i + 2], 12)
        return scale // 2, i + 3
    # "a hundred", "a dozen", "a thousand"
    if w in ("a", "an", "one") and i + 1 < n and (words[i + 1] in _SCALES or words[i + 1] in _DOZEN):
        value, j = 1, i
        w = "one"
        words = words[:i] + ["one"] + words[i + 1:]
    if _word_value(w) is None:
        return None
    total, current, j, seen = 0, 0, i, False
    while j < n:
        word = words[j]
        v = _word_value(word)
        if v is not None:
            current += v
            seen = True
        elif word == "hundred" and seen:
            current = max(current, 1) * 100
        elif word in ("thousand", "million", "billion") and seen:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word == "dozen" and seen:
            current = max(current, 1) * 12
        elif word == "and" and seen and j + 1 < n and _word_value(words[j + 1]) is not None and (total or current >= 100):
            pass
        else:
            break
        j += 1
    if not seen:
        return None
    return total + current, j


def _match_phrase(words: list[str], i: int, tuples: Mapping[str, tuple]) -> tuple | None:
    """The longest phrase of ``tuples`` (``_by_first_word``) starting at word i, or None."""
    for t in tuples.get(words[i], ()):
        if tuple(words[i:i + len(t)]) == t:
            return t
    return None


def _read_core(words: list[str], i: int, lex: _Lexicon):
    """A number, a range or a vague quantity at i. Returns (best, low, high, floor, next) or None."""
    n = len(words)
    # "between 3 and 5", "from 3 to 5"
    if words[i] in ("between", "from") and i + 1 < n:
        a = _read_number(words, i + 1)
        if a and a[1] + 1 < n and words[a[1]] in ("and", "to", "-", "–"):
            b = _read_number(words, a[1] + 1)
            if b and b[0] >= a[0]:
                return a[0], a[0], b[0], False, b[1]
        return None
    # vague multiplier + scale: "several hundred", "a few dozen"
    mult = _match_phrase(words, i, lex["multiplier_tuples"])
    if mult:
        j = i + len(mult)
        if j < n and (words[j] in _SCALES or words[j] in _DOZEN):
            scale = _SCALES.get(words[j], 12)
            value = lex["vague_multipliers"][" ".join(mult)] * scale
            return value, value, None, True, j + 1
    num = _read_number(words, i)
    if num:
        value, j = num
        # ranges: "3 to 5", "3-5", "two or three"
        if j + 1 < n and words[j] in ("to", "-", "–", "or"):
            b = _read_number(words, j + 1)
            if b and b[0] > value:
                return value, value, b[0], False, b[1]
        return value, None, None, False, j
    vague = _match_phrase(words, i, lex["vague_tuples"])
    if vague:
        entry = lex["vague_quantities"][" ".join(vague)]
        value = entry["value"]
        return value, (value if entry.get("floor") else None), None, bool(entry.get("floor")), i + len(vague)
    return None


def parse_quantity(text: str) -> Quantity | None:
    """First count expression in ``text`` (see module docstring); None when there is none."""
    if not text:
        return None
    lex = load_lexicon()
    toks = _tokenize(text)
    words = [t[0].lower().replace("’", "'") for t in toks]
    n = len(words)
    i = 0
    while i < n:
        start = i
        mode = None
        # modifiers (possibly chained: "at least another 10")
        while i < n:
            m = None
            for key, name in (("lower_bound_modifiers_tuples", "lower"), ("upper_bound_modifiers_tuples", "upper"),
                              ("approximate_modifiers_tuples", "approx")):
                m = _match_phrase(words, i, lex[key])
                if m:
                    break
            if not m:
                break
            # "over" / "under" / "some" / "above" are modifiers only when a quantity follows
            nxt = i + len(m)
            if nxt >= n:
                m = None
                break
            if name != "approx" or mode is None:
                mode = name if (mode is None or mode == "approx") else mode
            i = nxt
        if mode is not None and i < n:
            core = _read_core(words, i, lex)
            if core is not None:
                return _make_quantity(core, mode, text, toks, start)
            if words[start] in ("another", "a", "an") and words[i][:1].isalpha():
                # "another soldier", "a further soldier", "an additional officer"
                return Quantity(1, None, None, text[toks[start][1]:toks[i - 1][2]])
            i = start  # modifiers not followed by a quantity: rescan from here as plain words
        # zero
        z = _match_phrase(words, i, lex["zero_phrases_tuples"])
        if z:
            j = i + len(z)
            if z != ("no",) or (j < n and words[j].isalpha() and not _is_number_word(words[j])
                                and words[j] not in ("more", "fewer", "less", "longer", "doubt", "sooner")):
                return Quantity(0, None, None, text[toks[i][1]:toks[j - 1][2]])
        core = _read_core(words, i, lex)
        if core is not None:
            return _make_quantity(core, None, text, toks, i)
        # indefinite article / "one" / "another" before a noun -> 1
        if (words[i] in ("a", "an", "another", "single") and i + 1 < n and words[i + 1][:1].isalpha()) or (
                words[i] in ("a", "an") and i + 1 < n and re.match(r"\d", words[i + 1]) and re.search(r"\d-[a-z]", words[i + 1])):
            return Quantity(1, None, None, toks[i][0])
        i = start + 1
    return None


def _make_quantity(core, mode, text, toks, start) -> Quantity:
    best, low, high, floor, end = core
    qtext = text[toks[start][1]:toks[end - 1][2]]
    if best is None:
        return Quantity(None, None, None, qtext)
    if high is not None and low is not None and high != low:      # a range
        return Quantity(low, low, high, qtext)
    if mode == "lower":
        return Quantity(best, best, None, qtext)
    if mode == "upper":
        return Quantity(best, None, best, qtext)
    return Quantity(best, best if floor else low, high, qtext)


# --------------------------------------------------------------------------------------------
# extract_casualties
# --------------------------------------------------------------------------------------------
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
_REL_PRONOUNS = {"who", "that", "which", "whom"}


def _lemma(tok) -> str:
    return tok.lemma_.lower()


def names_episode(sent, lex=None) -> bool:
    """The sentence names an episode of days (``episode_toll_nouns``: protests, unrest, an
    uprising, a campaign), whose tolls are running totals."""
    nouns = (lex or load_lexicon())["episode_toll_nouns"]
    return any(_lemma(t) in nouns for t in sent)


def _is_quantity_token(tok, lex) -> bool:
    return tok.pos_ == "NUM" or tok.like_num or tok.lower_ in lex["quantity_nouns"] or _lemma(tok) in (
        "dozen", "hundred", "thousand", "million", "score", "ten")


def _is_person(tok, lex) -> bool:
    if tok.lower_ in lex["person_nouns"] or _lemma(tok) in lex["person_nouns"]:
        return True
    comps = [c for c in tok.lefts if c.dep_ == "compound"]
    if comps:                                     # hyphenated nouns: "passer-by"
        joined = tok.doc[comps[0].i:tok.i + 1].text.replace(" ", "").lower()
        if joined in lex["person_nouns"]:
            return True
    if tok.lower_ in ("old", "olds") and any(_lemma(c) in ("year", "month") for c in tok.children):
        return True                                   # "a 17-year-old", "two 12-year-olds"
    if tok.ent_type_ in ("PERSON", "NORP"):
        return True
    return False


def _has_child(tok, deps: Iterable[str]) -> list:
    deps = set(deps)
    return [c for c in tok.children if c.dep_ in deps]


def _of_pobj(tok):
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


_SPECULATIVE_MODALS = frozenset({"could", "might", "may"})


def _speculative_toll(t) -> bool:
    """A toll noun whose verb carries a modal of possibility ("the death toll could be 2,000",
    "the toll may rise to 50"): a guess or a fear, not a count."""
    verb = t.head if t.dep_ in ("nsubj", "nsubjpass") else None
    return verb is not None and any(c.dep_ == "aux" and c.lower_ in _SPECULATIVE_MODALS for c in verb.children)


def _is_irrealis(t, lex) -> bool:
    for c in t.children:
        if c.dep_ == "aux" and c.tag_ == "MD":
            return True
        if c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest"):
            return True
    head = t.head
    if t.dep_ in ("xcomp", "ccomp", "advcl", "acl", "pcomp", "relcl") and head.i != t.i:
        if _lemma(head) in lex["irrealis_head_verbs"] or _lemma(head) in lex["irrealis_head_nouns"]:
            return True
        # "aimed at killing": t <- at <- aimed
        if head.dep_ == "prep" and (_lemma(head.head) in lex["irrealis_head_verbs"] or _lemma(head.head) in lex["irrealis_head_nouns"]):
            return True
    return False


def _trigger(tok, lex) -> tuple[str, str] | None:
    """(kind, role) when tok is a casualty cue."""
    lem, low = _lemma(tok), tok.lower_
    pos = tok.pos_
    if pos in ("VERB", "AUX") or (pos == "ADJ" and tok.tag_ == "VBN"):
        if lem == "gun":
            return ("killed", "verb") if any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children) else None
        if lem in lex["killed_verbs"]:
            return "killed", "verb"
        if lem in lex["killed_verbs_person_only"]:
            return "killed", "verb_person"
        if lem in lex["death_verbs"]:
            return "killed", "die"
        if lem in lex["life_verbs"] or lem in lex["loss_verbs"]:
            if _lives_of(tok, lex):
                return "killed", "life"
            if lem in lex["loss_verbs"]:
                return "killed", "loss"
        if lem in lex["ambiguous_shooting_verbs"]:
            if any(c.lower_ in ("down", "up") and c.dep_ in ("prt", "advmod") for c in tok.children):
                return None
            return "wounded", "shoot"
        if lem in lex["wounded_verbs"] or low in lex["wounded_adjectives"]:
            return "wounded", "verb"
        if lem in lex["captured_verbs"]:
            return "captured", "verb_person"
        if lem in lex["captive_verbs"]:
            for c in tok.children:
                if c.dep_ in ("oprd", "xcomp", "dobj", "advmod", "acomp", "npadvmod", "attr") and _lemma(c) in lex["captive_nouns"]:
                    return "captured", "captive"
        if lem in lex["missing_words"] or low in lex["missing_words"]:
            return "missing", "die"
    if low in lex["killed_adjectives"] or lem in lex["killed_adjectives"]:
        return "killed", "adj"
    if low in lex["missing_words"]:
        return "missing", "adj"
    if pos == "ADJ" and low in lex["wounded_adjectives"]:
        return "wounded", "adj"
    if pos in ("NOUN", "PROPN"):
        if lem in lex["toll_nouns"]:
            return "killed", "toll"
        if lem in lex["killed_nouns"] or low in lex["killed_nouns"]:
            return "killed", "noun"
        if lem in lex["wounded_nouns"]:
            return "wounded", "noun"
        if lem in lex["ambiguous_casualty_nouns"] or low.rstrip("s") in lex["ambiguous_casualty_nouns"] or low == "casualties":
            return "casualties", "casualty"
        if low in lex["wounded_adjectives"]:          # "the wounded", "12 wounded" tagged as noun
            return "wounded", "adj"
    return None


def _lives_of(verb, lex) -> list:
    """'claimed 6,500 lives', 'claimed the lives of 12', 'claimed between 80,000 and 100,000 lives'."""
    out = []
    for c in verb.children:
        if c.dep_ == "dobj" and (_lemma(c) in lex["life_nouns"] or c.lower_ in lex["life_nouns"]):
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in ("between", "from"):
            out.extend(p for p in c.children if p.dep_ == "pobj" and (_lemma(p) in lex["life_nouns"] or p.lower_ in lex["life_nouns"]))
    return out


def _negated_noun(t) -> bool:
    """'no deaths', 'without casualties', 'no damage or injuries' (the 'no' of the first conjunct)."""
    first = t
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    for x in {t.i: t, first.i: first}.values():
        if any(c.dep_ == "det" and c.lower_ == "no" for c in x.children):
            return True
        if x.dep_ == "pobj" and x.head.lower_ == "without":
            return True
    return False


def _subject_of(verb):
    subs = _has_child(verb, ("nsubjpass",)) or _has_child(verb, ("nsubj",))
    return subs


def _resolve_relative(v):
    """'who'/'that' in a relative clause -> the noun the clause modifies."""
    if v.lower_ in _REL_PRONOUNS:
        cur = v.head
        while cur.dep_ not in ("relcl", "acl") and cur.head.i != cur.i:
            cur = cur.head
        if cur.dep_ in ("relcl", "acl"):
            return cur.head
    return v


def _triggers_between(sent_doc, a: int, b: int, lex) -> bool:
    lo, hi = sorted((a, b))
    return any(_trigger(sent_doc[k], lex) for k in range(lo + 1, hi))


def _surface_left(t, lex, sent):
    """'... and 12 wounded', 'three soldiers wounded': a quantity phrase just before the cue."""
    k = t.i - 1
    skip_pos = {"AUX", "ADV", "PART"}
    while k >= sent.start and (sent.doc[k].pos_ in skip_pos or sent.doc[k].dep_ in ("aux", "auxpass", "neg", "advmod")):
        if sent.doc[k].lower_ in ("and", "or", "but", ","):
            break
        k -= 1
    if k < sent.start:
        return None
    tok = sent.doc[k]
    if tok.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and (
            _is_quantity_token(tok, lex) or _is_person(tok, lex)):
        return tok
    return None


def _surface_right(t, lex, sent):
    """'killing at least 12', 'injured nearly 600': a quantity phrase just after an active cue."""
    k = t.i + 1
    end = sent.end
    while k < end and sent.doc[k].pos_ in ("ADV", "DET", "ADJ", "ADP") and sent.doc[k].lower_ not in ("in", "on", "at", "by", "during", "after", "when", "and", "or"):
        k += 1
    if k < end and sent.doc[k].pos_ in ("NUM", "NOUN", "PROPN") and (
            _is_quantity_token(sent.doc[k], lex) or _is_person(sent.doc[k], lex)):
        tok = sent.doc[k]
        # climb to the head of the noun phrase ("12" -> "civilians")
        while tok.dep_ in ("nummod", "quantmod", "compound", "amod") and tok.head.i > tok.i and tok.head.i < end:
            tok = tok.head
        return tok
    return None


def _victims(t, role, lex, sent, depth=0) -> list:
    """Victim head tokens for a cue token (dependency first, then local surface patterns)."""
    if depth > 3:
        return []
    out: list = []
    doc = sent.doc
    if t.dep_ == "pobj" and t.head.lower_ == "of" and _lemma(t.head.head) in lex["count_nouns"]:
        return [t]                 # "the number of wounded had risen to 340"
    if role in ("verb", "verb_person", "shoot", "captive"):
        out = _has_child(t, ("nsubjpass",))
        if not out:
            out = _has_child(t, ("dobj",))
            out = [o for o in out if not (role == "captive" and _lemma(o) in lex["captive_nouns"])]
            listed = [o for o in out if _own_harm(o, t, lex)]
            if listed:
                # a headline's list: the subject is the cue's own victim ("Policeman killed, ...")
                out = [x for x in _has_child(t, ("nsubj",)) if x.i < t.i and _is_person(x, lex)]
        if not out and t.tag_ == "VBN" and not any(c.dep_ == "aux" and _lemma(c) == "have" for c in t.children):
            out = [s for s in _has_child(t, ("nsubj",))]
        if not out and t.tag_ in ("VBD", "VBN") and not _has_child(t, ("dobj",)):
            out = [s for s in _has_child(t, ("nsubj",)) if _is_quantity_token(s, lex) or any(
                c.dep_ == "nummod" for c in s.children)]
        if not out and t.dep_ in ("acl", "amod") and t.head.pos_ in _NOMINAL:
            if role != "verb_person" or t.dep_ == "acl":
                out = [t.head]
    elif role == "die":
        out = _has_child(t, ("nsubj", "nsubjpass"))
        if not out and t.dep_ in ("acl", "amod", "relcl") and t.head.pos_ in _NOMINAL:
            out = [t.head]
    elif role == "loss":
        out = [o for o in _has_child(t, ("dobj",)) if _is_person(o, lex) or _is_quantity_token(o, lex)]
        out = [o for o in out if _quantity_of(o, lex) is not None]
        return out
    elif role == "life":
        lives = _lives_of(t, lex)
        if _lemma(t) in lex["loss_verbs"]:
            out = _has_child(t, ("nsubj", "nsubjpass"))
        else:
            for lv in lives:
                p = _of_pobj(lv)
                out.append(p if p is not None else lv)
    elif role == "adj":
        # "15 dead", "the dead" with a number
        if any(c.dep_ in ("nummod", "quantmod") for c in t.children) or (t.pos_ == "NOUN" and _quantity_of(t, lex)):
            return [t]
        h = t.head
        if t.dep_ == "conj":
            pass                   # "dead or missing": inherited below
        elif t.dep_ in ("amod",) and h.pos_ in _NOMINAL and h.i != t.i:
            out = [h]
        elif t.dep_ in ("acomp", "oprd", "xcomp", "advmod", "attr", "ccomp", "conj", "dobj", "npadvmod") and h.i != t.i:
            if _lemma(h) in ("leave", "find", "report", "declare", "confirm", "pronounce", "feared") or (h.dep_ != "ROOT" and _lemma(h) == "leave"):
                objs = [o for o in _has_child(h, ("dobj",)) if o.i < t.i and not _triggers_between(doc, o.i, t.i, lex)]
                if not objs and _lemma(h) != "leave":
                    # the passive: "at least 70 people have been confirmed dead", "were found dead"
                    objs = [o for o in _has_child(h, ("nsubjpass",)) if o.i < t.i]
                out = objs
            elif _lemma(h) in ("be", "remain", "lie", "go", "become", "fall", "seem", "appear", "feel"):
                out = _has_child(h, ("nsubj", "nsubjpass"))
            elif _trigger(h, lex):
                return []          # "shot dead": the verb carries the mention
        if not out and t.dep_ in ("amod",) and h.pos_ == "NUM":
            out = [h]
    elif role == "noun":
        if any(c.dep_ in ("nummod", "quantmod") for c in t.children) or (t.tag_ == "NNS" and _negated_noun(t)):
            return [t]
        p = _of_pobj(t)
        if p is not None and _plausible_victim(p, lex):
            return [p]
        if t.head.dep_ == "prep" and t.head.lower_ == "to" and _lemma(t) == "death":
            return []          # "beaten to death": the verb carries it
        return []
    elif role == "toll":
        return _toll_number(t, lex)
    elif role == "casualty":
        return [t] if _negated_noun(t) else []

    out = [_resolve_relative(v) for v in out]
    # xcomp / conj without own victim: inherit ("are believed to have died", "killed or went missing")
    if not out:
        h = t.head
        if t.dep_ == "xcomp" and h.i != t.i:
            out = _subject_of(h)
        elif t.dep_ == "conj" and h.i != t.i:
            ht = _trigger(h, lex)
            if ht:
                out = _victims(h, ht[1], lex, sent, depth + 1)
            elif h.pos_ in ("VERB", "AUX"):
                out = _subject_of(h)
                if not out and h.dep_ == "conj" and _trigger(h.head, lex):
                    hh = h.head
                    out = _victims(hh, _trigger(hh, lex)[1], lex, sent, depth + 1)
        if not out and role == "adj" and t.head.dep_ == "conj" and _lemma(t.head) in ("go", "remain", "be"):
            h2 = t.head.head
            ht = _trigger(h2, lex)
            if ht:
                out = _victims(h2, ht[1], lex, sent, depth + 1)
    if not out and role in ("verb", "verb_person", "shoot", "die", "adj", "captive"):
        left = _surface_left(t, lex, sent)
        if left is not None and (t.tag_ == "VBN" or role in ("adj", "die")):
            out = [left]
        elif t.tag_ in ("VBD", "VBG", "VBZ", "VBP", "VB") or role == "verb":
            right = _surface_right(t, lex, sent)
            if right is not None and not _own_harm(right, t, lex):
                out = [right]
    out = [_resolve_relative(v) for v in out]
    out = [v for v in out if _plausible_victim(v, lex) or role == "life"]
    if role in ("verb_person", "captive", "shoot"):
        out = [v for v in out if _is_person(_victim_noun(v, lex), lex) or (
            _is_quantity_token(v, lex) and _victim_noun(v, lex).i == v.i)]
    return out


def _own_harm(v, t, lex) -> bool:
    """The noun the parser made the cue's object carries a harm participle of its own ("Policeman
    killed, more than 80 students abducted in attack": the students are the abducted, the list of
    a headline, not the killed)."""
    return any(c.dep_ in ("acl", "relcl") and c.tag_ == "VBN" and c.i != t.i and _lemma(c) != _lemma(t)
               and _trigger(c, lex) is not None for c in v.children)


def _plausible_victim(v, lex) -> bool:
    """A person noun, a quantity word, or a noun carrying an explicit number ('12 Hamas operatives')."""
    noun = _victim_noun(v, lex)
    if _is_person(noun, lex) or _is_quantity_token(v, lex):
        return True
    return any(c.dep_ in ("nummod", "quantmod") and (c.like_num or c.pos_ == "NUM") for c in noun.children)


def _toll_number(t, lex) -> list:
    """The figure a toll noun or its verb gives: "the toll rose to 40", "a toll of 40", "the toll
    reached 40 people" (a person noun counted by a number stands for its number)."""
    def counted(tok):
        nxt = tok.doc[tok.i + 1:tok.i + 3]
        if any(x.lower_ in ("fold", "-fold", "times", "percent", "%") for x in nxt):
            return None   # "jumped seven-fold", "rose five times": a ratio, no figure of people
        if _is_quantity_token(tok, lex):
            return tok
        if _is_person(tok, lex):
            return next((c for c in tok.children if c.dep_ == "nummod" and _is_quantity_token(c, lex)), None)
        return None

    def num_in(tok):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "at", "of", "past", "above", "beyond"):
                for p in c.children:
                    if p.dep_ == "pobj" and counted(p) is not None:
                        return counted(p)
            if c.dep_ in ("dobj", "attr", "npadvmod", "nummod") and c.i != t.i and counted(c) is not None:
                return counted(c)
        return None

    n = num_in(t)
    if n is not None:
        return [n]
    h = t.head
    if t.dep_ in ("nsubj", "nsubjpass") and (_lemma(h) in lex["toll_intransitive_verbs"]):
        n = num_in(h)
    elif t.dep_ == "dobj" and _lemma(h) in lex["toll_transitive_verbs"]:
        n = num_in(h)
    return [n] if n is not None else []


def _victim_noun(v, lex):
    """For partitives ('four of its servicemen', 'dozens of civilians') the noun after 'of'."""
    if _is_quantity_token(v, lex) or _lemma(v) in lex["collective_person_nouns"]:
        p = _of_pobj(v)
        if p is not None:
            return p
    return v


# units and currencies: a number on one of them measures something, it counts no people
_MEASURE_WORDS = frozenset({
    "ft", "feet", "foot", "metre", "metres", "meter", "meters", "km", "kilometre", "kilometres",
    "kilometer", "kilometers", "mile", "miles", "kg", "kilogram", "kilograms", "tonne", "tonnes", "ton",
    "tons", "mph", "kph", "%", "percent", "rubles", "roubles", "dollars", "euros", "pounds", "naira",
    "shillings", "rupees", "dinars", "pesos", "francs", "yuan", "$", "€", "£"})
_YEARLIKE = re.compile(r"(?:19|20)\d\d")


def _quantity_of(v, lex) -> Quantity | None:
    doc = v.doc
    if v.dep_ == "casualty":
        return None
    if _is_quantity_token(v, lex):
        # the quantity words themselves: "Tens of thousands (of people)", "four (of its servicemen)",
        # "a total of 53 people", "a couple of soldiers"
        left = v.left_edge.i
        p = _of_pobj(v)
        q = parse_quantity(doc[left:(p.i if p is not None else v.i) + 1].text)
        if q is None or (q.best is None and not v.lower_ in lex["quantity_nouns"]):
            p = _of_pobj(v)
            if p is not None:
                q2 = _quantity_of(p, lex)
                if q2 is not None:
                    return q2
        return q
    # collective noun with a number after "of": "a family of five", "a group of 20 soldiers"
    if _lemma(v) in lex["collective_person_nouns"]:
        p = _of_pobj(v)
        if p is not None:
            q = _quantity_of(p, lex) if p.pos_ != "NUM" else parse_quantity(doc[p.left_edge.i:p.i + 1].text)
            if q is not None and q.best is not None:
                return q
    start = v.left_edge.i
    if v.dep_ == "pobj" and v.head.lower_ in ("between", "from"):
        start = v.head.i              # "between 80,000 and 100,000 lives"
    if v.tag_ == "NNS" and _negated_noun(v) and not any(c.dep_ == "nummod" for c in v.children):
        return Quantity(0, None, None, "no")
    if any(t.lower_ in _MEASURE_WORDS for t in doc[start:v.i + 1]):
        return None                   # "a 650ft ravine", "200,000 rubles": a measure, not people
    if v.i - start >= 1 and _YEARLIKE.fullmatch(doc[start].text) and doc[start + 1].like_num:
        start += 1                    # "in 2003 61 prisoners were killed": the year is no count
    q = parse_quantity(doc[start:v.i + 1].text)   # "Four Armenian servicemen", "no one", "Nobody"
    if q is not None:
        return q
    if v.lower_ in ("another", "one", "someone", "somebody"):
        return Quantity(1, None, None, v.text)
    # "the dead", "the wounded": the group, not one person (no figure)
    if v.lower_ in lex["killed_adjectives"] or v.lower_ in lex["wounded_adjectives"]:
        return None
    # a singular person ("the soldier", "his son", "journalist X") counts one
    if (v.tag_ in ("NN", "NNP") and _is_person(v, lex) and not _lemma(v) in lex["collective_person_nouns"]
            and v.lower_ not in ("people", "police", "staff", "personnel", "crew", "militia", "other", "one")):
        return Quantity(1, None, None, v.text)
    if v.tag_ == "NNP" and v.ent_type_ == "PERSON":
        return Quantity(1, None, None, v.text)
    if v.pos_ == "PRON" and v.lower_ in ("he", "she", "him", "her", "someone", "somebody"):
        return Quantity(1, None, None, v.text)
    if v.lower_ in ("no one", "nobody", "none"):
        return Quantity(0, None, None, v.text)
    return None


def _victim_text(v, lex) -> str:
    noun = _victim_noun(v, lex)
    if noun.i == v.i and _is_quantity_token(v, lex) and v.pos_ == "NUM":
        return ""
    doc = v.doc
    keep = []
    for c in noun.lefts:
        if c.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod") and not _is_quantity_token(c, lex):
            keep.extend(tok for tok in c.subtree if not (tok.pos_ == "NUM" or tok.dep_ in ("quantmod", "nummod")))
    keep.append(noun)
    if _lemma(noun) in lex["partitive_heads"]:
        for c in noun.rights:
            if c.dep_ == "prep" and c.lower_ == "of":
                keep.extend(c.subtree)
    keep = sorted(set(keep), key=lambda x: x.i)
    return "".join(tok.text_with_ws for tok in keep).strip()


def _entity_phrase(tok) -> str:
    """Text of the entity / compound phrase a modifier token belongs to."""
    if tok.ent_type_ and tok.ent_iob_ in ("B", "I"):
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent.text
    parts = [c for c in tok.lefts if c.dep_ == "compound"] + [tok]
    return " ".join(p.text for p in sorted(parts, key=lambda x: x.i))


def _looks_like_side(tok, sent) -> bool:
    if tok.ent_type_ in ("NORP", "GPE", "ORG"):
        return True
    if tok.pos_ in ("PROPN", "ADJ") and tok.text[:1].isupper() and tok.i != sent.start:
        return True
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        return True
    return False


def _reporting_subject(t, lex):
    cur = t
    for _ in range(8):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if _lemma(cur) in lex["report_verbs"]:
            subs = _has_child(cur, ("nsubj",))
            if subs:
                return subs[0]
    # "..., the Indian army said" where the cue clause is the root
    root = t.sent.root
    for c in root.children:
        if c.dep_ in ("parataxis", "ccomp") and _lemma(c) in lex["report_verbs"]:
            subs = _has_child(c, ("nsubj",))
            if subs:
                return subs[0]
    return None


def _np_text(tok) -> str:
    toks = [x for x in tok.subtree if x.dep_ not in ("relcl", "acl", "appos", "punct")]
    drop = set()
    for x in tok.subtree:
        if x.dep_ in ("relcl", "acl", "appos"):
            drop.update(y.i for y in x.subtree)
    toks = [x for x in tok.subtree if x.i not in drop and not (x.dep_ == "punct" and x.tag_ != "HYPH")]
    while toks and toks[0].dep_ == "det":
        toks = toks[1:]
    return "".join(x.text_with_ws for x in toks).strip()


def _side_hint(v, t, lex, sent) -> str | None:
    noun = _victim_noun(v, lex)
    if noun.ent_type_ in ("NORP",) or (noun.pos_ == "PROPN" and noun.ent_type_ in ("ORG", "GPE", "NORP")):
        return noun.text
    for c in noun.children:
        if c.dep_ == "poss":
            if c.pos_ == "PRON":
                if c.lower_ in ("its", "their", "our"):
                    subj = _reporting_subject(t, lex)
                    if subj is not None and subj.lower_ not in ("it", "they", "we", "he", "she"):
                        return _np_text(subj)
                return None
            return _entity_phrase(c)
    for c in noun.lefts:
        if c.dep_ in ("amod", "compound", "nmod") and _looks_like_side(c, sent) and not c.like_num:
            return _entity_phrase(c)
    p = _of_pobj(noun)
    if p is not None and (p.ent_type_ in ("ORG", "GPE", "NORP") or p.pos_ == "PROPN"):
        return _entity_phrase(p)
    return None


def _coordinated(a, b) -> str | None:
    """'and' / 'or' when a and b are conjuncts (directly or through an auxiliary verb)."""
    def conj_chain(x):
        chain = [x]
        while x.dep_ == "conj" and x.head.i != x.i:
            x = x.head
            chain.append(x)
        return chain

    for x, y in ((a, b), (b, a)):
        if y in conj_chain(x) or y.head in conj_chain(x) or (x.head in conj_chain(y) and x.head.dep_ == "conj"):
            ccs = [c.lower_ for c in list(x.children) + list(y.children) + list(x.head.children) if c.dep_ == "cc"]
            return "or" if "or" in ccs else "and"
    return None


def _listed_with_other_harms(t, lex) -> bool:
    """The cue opens a list of harms joined by 'or' ("were killed, injured or unaccounted for"):
    one figure for all of them, no figure of any one kind (as "killed or injured")."""
    doc, i = t.doc, t.i
    if i + 2 >= len(doc) or doc[i + 1].text != ",":
        return False
    nxt = doc[i + 2]
    harms = lex["wounded_verbs"] | lex["wounded_adjectives"] | lex["missing_words"] | lex["killed_verbs"]
    if _lemma(nxt) not in harms and nxt.lower_ not in harms:
        return False
    return any(doc[k].lower_ == "or" for k in range(i + 3, min(i + 6, len(doc))))


def _contested(t, lex) -> bool:
    """Is the cue inside a claim that a contest verb governs ('denied that ...', 'contradicting claims that ...')?"""
    steps = 0
    for a in t.ancestors:
        steps += 1
        if steps > 5:
            break
        if _lemma(a) in lex["contest_verbs"]:
            return True
        if _lemma(a) in lex["claim_nouns"] and _lemma(a.head) in lex["contest_verbs"]:
            return True
    return False


def extract_casualties(sent) -> list[CasualtyMention]:
    """Casualty mentions in one spaCy sentence (a Span; a Doc is taken as one sentence)."""
    lex = load_lexicon()
    if not hasattr(sent, "start"):          # a Doc
        sent = sent[:]
    doc = sent.doc
    raw = []  # (kind, role, cue token, victim token)
    for t in sent:
        trig = _trigger(t, lex)
        if not trig:
            continue
        kind, role = trig
        if role not in ("toll", "casualty", "noun") and _is_irrealis(t, lex):
            continue
        if role == "toll" and _speculative_toll(t):
            continue          # "the death toll could be 2,000": a guess, no count
        to_death = any(c.dep_ == "prep" and c.lower_ == "to" and any(_lemma(p) in lex["to_death_nouns"] for p in c.children)
                       for c in t.children)
        if role == "shoot" and (to_death or any(_lemma(c) in lex["killed_adjectives"] for c in t.children)):
            kind = "killed"                               # "shot dead", "shot to death"
        elif role not in ("toll", "casualty", "noun", "adj") and to_death:
            kind = "killed"                               # "beaten / stabbed to death"
        for v in _victims(t, role, lex, sent):
            if v is None:
                continue
            raw.append((kind, role, t, v))
            # conjoined victims: "two militants and a soldier", "1,200 in Lebanon and 160 in Israel",
            # "the governor and his bodyguard"
            v_person = _is_person(_victim_noun(v, lex), lex)
            for c in v.conjuncts:
                if c.i > v.i and c.pos_ in _NOMINAL and not _trigger(c, lex) and (
                        _is_person(c, lex) or _is_quantity_token(c, lex) or (
                        v_person and c.pos_ == "NOUN" and any(x.dep_ in ("det", "poss", "nummod") for x in c.children))):
                    raw.append((kind, role, t, c))
        # gapping: "Ten people were killed in Sunday's attack and 12 in a separate attack"
        if raw and raw[-1][2].i == t.i and role in ("verb", "die") and _quantity_of(raw[-1][3], lex) is not None:
            taken = {x.i for item in raw for x in item[3].subtree}
            for x in t.subtree:
                if (x.pos_ == "NUM" and x.dep_ == "conj" and x.i not in taken and x.i > t.i
                        and x.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")
                        and not _is_quantity_token(x.head, lex) and not _trigger(x.head, lex)
                        and not any(a.pos_ in ("VERB", "AUX") and a.i != t.i and a.i in {y.i for y in t.subtree}
                                    for a in x.ancestors if a.i > t.i)):
                    raw.append((kind, role, t, x))
    # any verb + "to death" ("hacked to death", "burned to death")
    for t in sent:
        if _lemma(t) in lex["to_death_nouns"] and t.dep_ == "pobj" and t.head.lower_ == "to":
            verb = t.head.head
            if (verb.pos_ == "VERB" and not _trigger(verb, lex) and not _is_irrealis(verb, lex)
                    and _lemma(verb) not in lex["penalty_verbs"]):      # "sentenced to death": a verdict
                for v in _victims(verb, "verb", lex, sent):
                    raw.append(("killed", "verb", verb, v))

    # conflicts: one victim claimed by different kinds
    by_victim: dict[int, list] = {}
    for item in raw:
        by_victim.setdefault(item[3].i, []).append(item)
    keep = []
    for vi, items in by_victim.items():
        kinds = {k for k, _, _, _ in items}
        if len(kinds) > 1:
            trig_tokens = [x[2] for x in items]
            has_or = any(_coordinated(a, b) == "or" for a in trig_tokens for b in trig_tokens if a.i != b.i)
            shoot = any(_lemma(x[2]) in lex["ambiguous_shooting_verbs"] for x in items)
            if has_or:
                continue
            if kinds == {"killed", "wounded"} and shoot:
                items = [x for x in items if x[0] == "killed"]
            elif "killed" in kinds and ("wounded" in kinds or "missing" in kinds):
                continue
        seen = set()
        for it in items:
            if it[0] not in seen and not _listed_with_other_harms(it[2], lex):
                seen.add(it[0])
                keep.append(it)

    mentions: list[CasualtyMention] = []
    for kind, role, t, v in sorted(keep, key=lambda x: (x[3].i, x[2].i)):
        if role == "casualty":
            for k in ("killed", "wounded"):
                mentions.append(CasualtyMention(k, Quantity(0, None, None, v.text), "", None,
                                                min(t.idx, v.idx), max(t.idx + len(t), v.idx + len(v)),
                                                False, t.text))
            continue
        q = _quantity_of(v, lex)
        is_toll = role == "toll"
        if q is None and v.dep_ == "pobj" and v.head.lower_ == "of" and _lemma(v.head.head) in lex["count_nouns"]:
            nums = _toll_number(v.head.head, lex)
            if nums:
                q, is_toll = _quantity_of(nums[0], lex), True
        if q is None:
            if any(c.dep_ == "neg" for c in t.children):
                q = Quantity(0, None, None, "not")
            else:
                q = Quantity(None, None, None, "")
        if q.best is None and role == "toll":
            continue
        if q.best is None and role in ("verb_person", "loss", "captive"):
            continue
        noun = _victim_noun(v, lex)
        span_toks = [t, v] + [x for x in v.lefts]
        start = min(x.idx for x in span_toks)
        end = max(x.idx + len(x) for x in span_toks)
        mentions.append(CasualtyMention(
            kind=kind,
            quantity=q,
            victim_text=_victim_text(v, lex) if role != "toll" else "",
            victim_side_hint=_side_hint(v, t, lex, sent) if role != "toll" else None,
            start_char=start,
            end_char=end,
            is_toll=is_toll,
            trigger=t.text,
            contested=_contested(t, lex),
        ))
    return mentions


def summarize_casualties(mentions: list[CasualtyMention]) -> dict:
    """killed/killed_low/killed_high/wounded/... of one sentence.

    Distinct victim groups are summed ("two militants and a soldier" -> 3); a cumulative toll
    counts only when the sentence has no other figure of that kind. low/high are given only when
    some figure carries a bound (ranges, "at least", vague quantities); an open bound stays None.
    """
    out: dict = {}
    for kind in ("killed", "wounded"):
        ms = [m for m in mentions if m.kind == kind and m.quantity.best is not None]
        uncontested = [m for m in ms if not m.contested]
        if uncontested:
            ms = uncontested
        plain = [m for m in ms if not m.is_toll]
        if plain:
            ms = plain
        elif ms:
            ms = [max(ms, key=lambda m: m.quantity.best)]
        if not ms:
            out.update({kind: None, f"{kind}_low": None, f"{kind}_high": None})
            continue
        best = sum(m.quantity.best for m in ms)
        any_low = any(m.quantity.low is not None for m in ms)
        any_high = any(m.quantity.high is not None for m in ms)
        open_up = any(m.quantity.low is not None and m.quantity.high is None for m in ms)
        low = sum(m.quantity.low if m.quantity.low is not None else m.quantity.best for m in ms) if any_low else None
        high = (sum(m.quantity.high if m.quantity.high is not None else m.quantity.best for m in ms)
                if any_high and not open_up else None)
        out.update({kind: best, f"{kind}_low": low, f"{kind}_high": high})
    return out


# --------------------------------------------------------------------------------------------
# classify_scope
# --------------------------------------------------------------------------------------------
_YEAR_RE = re.compile(r"(?<![\d,.$])((?:1[89]|20)\d\d)(s?)(?!\d|,\d)")


def _span_tokens(sent, start: int, end: int):
    span = sent.doc.char_span(sent.start_char + start, sent.start_char + end, alignment_mode="expand")
    return list(span) if span is not None else []


def _locate(sent, dm) -> list | None:
    """Tokens of a DateMention in this sentence, whether its offsets refer to the sentence text or
    to the whole document; None when the mention lies outside the sentence."""
    text = getattr(dm, "text", "") or ""
    s, e = getattr(dm, "start", None), getattr(dm, "end", None)
    if s is not None and e is not None:
        if sent.start_char <= s and e <= sent.end_char and \
                sent.text[s - sent.start_char:e - sent.start_char] == text:
            span = sent.doc.char_span(s, e, alignment_mode="expand")
            return list(span) if span is not None else None
        if e <= len(sent.text) and sent.text[s:e] == text:
            return _span_tokens(sent, s, e)
        return None
    if text:
        k = sent.text.find(text)
        if k >= 0:
            return _span_tokens(sent, k, k + len(text))
    return None


def _focus(sent, mentions, lex) -> set[int]:
    """Token indices of the clauses that carry the casualty figures (cue -> root path), or the root."""
    heads = []
    for m in mentions:
        span = sent.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if tok.text == m.trigger:
                heads.append(tok)
                break
    if not heads:
        root = sent.root
        heads = [root]
        if _lemma(root) in lex["report_verbs"]:
            heads += [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
    focus: set[int] = set()
    for h in list(heads):
        heads += [c for c in h.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    for h in heads:
        cur = h
        focus.add(cur.i)
        while cur.head.i != cur.i:
            cur = cur.head
            focus.add(cur.i)
        # nominal cues: the verb they hang on
    return focus


def _clause_head(tok):
    cur = tok
    while cur.head.i != cur.i and cur.pos_ not in ("VERB", "AUX"):
        cur = cur.head
    return cur


def _attached(sent, toks, focus) -> bool:
    """Is a cue (tokens) attached to a focus clause (directly, not through another clause)?"""
    if not toks:
        return False
    tok_ids = {t.i for t in toks}
    for tok in toks:
        cur, prev = tok, None
        for _ in range(12):
            if cur.i in focus:
                return True
            if cur.head.i == cur.i:
                break
            if cur.dep_ in ("advcl", "ccomp", "xcomp", "relcl", "acl", "conj", "parataxis") and cur.pos_ in ("VERB", "AUX"):
                # the cue sits in another clause, unless that clause is itself a focus clause or the
                # cue is the clause's own subordinator ("since Russia launched ...")
                if not (prev is not None and prev.dep_ == "mark" and prev.i in tok_ids):
                    if cur.i not in focus:
                        break
                    return True
            prev, cur = cur, cur.head
    return False


def _is_perfect(tok) -> bool:
    verb = tok
    if verb.pos_ not in ("VERB", "AUX"):
        verb = _clause_head(tok)
    for c in verb.children:
        if c.dep_ == "aux" and _lemma(c) == "have" and c.tag_ in ("VBZ", "VBP", "VB"):
            return True
    if verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i:
        return any(c.dep_ == "aux" and _lemma(c) == "have" and c.tag_ in ("VBZ", "VBP") for c in verb.head.children)
    return False


def classify_scope(sent, dates, published: date | None) -> str:
    """'historical', 'aggregate' or 'incident': see ``pipeline.lib.events.scope.classify_scope``
    (the ordered rule table lives with the scope pass; this name is kept for callers)."""
    from pipeline.lib.events.scope import classify_scope as decide   # the scope pass imports this module

    return decide(sent, dates, published)
