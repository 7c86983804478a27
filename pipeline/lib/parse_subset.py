"""Dependency parse only where the rules can use it (``PIPELINE_PARSE=events``).

The rule: a sentence is *parsed* (spaCy's dependency parser) when one of its words can be an
**event candidate word** (:func:`candidate_words`): a word of a typed key of the event lexicon
(verbs, nouns, governing verbs; a multi-word key by one of its words), an intent adjective, a
denial word, an obligation modal ("must"; "has to"/"need to" by their "to"), or a casualty cue of
the casualty lexicon. The test runs where the parser sits (after ``senter``, before the
attribute_ruler, whose patterns read the parse), so it does not know the lemmas yet: a word
counts when the word itself or any lemma spaCy's rule lemmatizer could give it is a candidate
(:class:`FormTest`). With ``context=1`` (the default; ``PIPELINE_PARSE_CONTEXT``) the sentence
before a parsed sentence is parsed too (pronoun antecedents read the subjects of the previous
sentence). Every other sentence keeps the boundaries of ``senter`` + ``line_sentences`` and gets
a flat tree (:func:`flat_heads`). Nothing the event passes look for can be found in such a
sentence, so the extractor skips it (:func:`unparsed_sentence`).

Everything else still runs on every sentence: tok2vec, tagger, attribute_ruler, lemmatizer, the
gazetteer ruler and ``ner``. The parser reads only the shared ``tok2vec`` output
(``doc.tensor``), so the chosen sentences are copied into one short Doc per document with their
tensor rows, parsed there with their first tokens preset as sentence starts, and the heads and
labels are copied back.

What differs from a full parse: sentence boundaries of unparsed sentences come from ``senter``
(not the parser); the parser sees a parsed sentence without the unparsed ones around it; in an
unparsed sentence the attribute_ruler's parse-dependent POS rules do not apply (an auxiliary
stays as its tag maps it) and the syntactic ``role`` of an entity falls back to its default
(:func:`pipeline.lib.entities.syntactic_role` finds no subject or object there).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

import numpy as np
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

ENV_VAR = "PIPELINE_PARSE"
MODES = ("all", "events")
DEFAULT_MODE = "all"
CONTEXT_ENV_VAR = "PIPELINE_PARSE_CONTEXT"

_SPLIT = re.compile(r"[\s\-]+")


def resolve_mode(setting: str | None = None) -> str:
    """``setting``, else ``PIPELINE_PARSE``, else :data:`DEFAULT_MODE`; must be one of
    :data:`MODES`."""
    import os

    mode = (setting or os.environ.get(ENV_VAR) or DEFAULT_MODE).strip().lower()
    if mode not in MODES:
        raise ValueError(f"{ENV_VAR}={mode!r}: expected one of {', '.join(MODES)}")
    return mode


#: parts of multi-word keys too common to witness them (a key is found by another part)
_FUNCTION_WORDS = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "with", "up", "down",
                             "out", "off", "over", "by", "at", "from", "into", "back", "away",
                             "and", "or"})


def resolve_context(setting: int | None = None) -> int:
    """Sentences parsed before each candidate sentence: ``setting``, else
    ``PIPELINE_PARSE_CONTEXT``, else 1."""
    import os

    if setting is not None:
        return max(0, int(setting))
    return max(0, int(os.environ.get(CONTEXT_ENV_VAR) or 1))


def _key_words(keys: Iterable[str]) -> set[str]:
    """The words that witness lexicon keys: a one-word key itself; for a multi-word key its last
    part that is not a function word (every part of a multi-word key must be in the sentence for
    the rules to match it, so one part is enough: "reach deal" by "deal", "car bomb" by "bomb",
    "sit-in" by "sit"), plus the key written solid ("ceasefire" for "cease-fire")."""
    out: set[str] = set()
    for key in keys:
        key = key.lower()
        parts = [p for p in _SPLIT.split(key) if p]
        if len(parts) <= 1:
            out.add(key)
            continue
        content = [p for p in parts if p not in _FUNCTION_WORDS] or parts
        out.add(content[-1])
        out.add("".join(parts))
    return out


@lru_cache(maxsize=1)
def candidate_words() -> frozenset[str]:
    """Every word whose presence makes a sentence worth parsing (lower case)."""
    from pipeline.lib import casualties as cas
    from pipeline.lib.events.lexicon import load_lexicon

    lex = load_lexicon()
    keys: set[str] = {k for k, v in lex.verbs.items() if v} | {k for k, v in lex.nouns.items() if v}
    keys |= set(lex.governing) | lex.intent_adjectives | lex.strong_intent
    keys |= lex.denial_verbs | lex.denial_nouns
    clex = cas.load_lexicon()
    for cat in ("killed_verbs", "killed_verbs_person_only", "death_verbs", "life_verbs",
                "loss_verbs", "ambiguous_shooting_verbs", "wounded_verbs", "wounded_adjectives",
                "captured_verbs", "captive_verbs", "missing_words", "killed_adjectives",
                "toll_nouns", "killed_nouns", "wounded_nouns", "ambiguous_casualty_nouns"):
        keys |= {str(w) for w in clex[cat]}
    keys |= {"gun", "casualties", "casualty"}
    keys |= words_of("obligation_modals")       # "X said the world must act": a demand
    return frozenset(_key_words(keys))


def words_of(category: str) -> frozenset[str]:
    from pipeline.lib.events.lexicon import words

    return words(category)


class FormTest:
    """Is a lower-case word form an event candidate word? Runs before the attribute_ruler and
    the lemmatizer, so it guesses the lemmas: the form itself, every exception of the lemmatizer's
    ``lemma_exc`` table (any part of speech) and every suffix rule of ``lemma_rules`` applied to
    it, plus the lemmas the attribute_ruler forces on a word (``forced``: "been" -> "be"). That
    is a superset of what spaCy's rule lemmatizer can return, whatever the POS tag. Answers are
    cached per form."""

    def __init__(self, words: frozenset[str], lookups=None, forced: dict[str, set[str]] | None = None):
        self.words = words
        self.forced = forced or {}
        self.exc = dict(lookups.get_table("lemma_exc")) if lookups is not None and lookups.has_table("lemma_exc") else {}
        self.rules = dict(lookups.get_table("lemma_rules")) if lookups is not None and lookups.has_table("lemma_rules") else {}
        self._cache: dict[str, bool] = {}
        self._oblig: dict[str, bool] = {}
        self.obligation = frozenset(words_of("obligation_verbs"))

    def guesses(self, form: str) -> set[str]:
        out = {form} | self.forced.get(form, set())
        for table in self.exc.values():
            out.update(table.get(form, ()))
        for rules in self.rules.values():
            for old, new in rules:
                if form.endswith(old) and len(form) > len(old):
                    out.add(form[:len(form) - len(old)] + new)
        return out

    def __call__(self, form: str) -> bool:
        hit = self._cache.get(form)
        if hit is None:
            hit = self._cache[form] = not self.words.isdisjoint(self.guesses(form))
            if len(self._cache) > 500_000:     # a long-lived process: stay bounded
                self._cache.clear()
        return hit

    def obligation_verb(self, form: str) -> bool:
        hit = self._oblig.get(form)
        if hit is None:
            hit = self._oblig[form] = not self.obligation.isdisjoint(self.guesses(form))
        return hit


def forced_lemmas(ruler) -> dict[str, set[str]]:
    """Lemmas an attribute_ruler sets on given words (its patterns on ``LOWER``)."""
    out: dict[str, set[str]] = {}
    for p in getattr(ruler, "patterns", []):
        lemma = p.get("attrs", {}).get("LEMMA")
        if not lemma:
            continue
        for pattern in p.get("patterns", []):
            for tok in pattern:
                low = tok.get("LOWER") if isinstance(tok, dict) else None
                forms = [low] if isinstance(low, str) else (low.get("IN", []) if isinstance(low, dict) else [])
                for f in forms:
                    out.setdefault(f, set()).add(lemma.lower())
    return out


def sentence_has_candidate(doc: Doc, start: int, end: int, test: FormTest) -> bool:
    """A token of ``doc[start:end]`` is a candidate word, or an obligation verb followed by "to"
    ("has to", "need to")."""
    for i in range(start, end):
        low = doc[i].lower_
        if test(low):
            return True
        if i + 1 < len(doc) and doc[i + 1].lower_ == "to" and test.obligation_verb(low):
            return True
    return False


def chosen_sentences(doc: Doc, test: FormTest, context: int = 1) -> list[tuple[int, int]]:
    """(start, end) token ranges of the sentences to parse, in order (see module docstring)."""
    sents = [(s.start, s.end) for s in doc.sents]
    hit = [sentence_has_candidate(doc, a, b, test) for a, b in sents]
    keep = list(hit)
    for k, h in enumerate(hit):
        if h:
            for j in range(max(0, k - context), k):
                keep[j] = True
    return [s for s, k in zip(sents, keep) if k]


def sub_doc(doc: Doc, ranges: list[tuple[int, int]]) -> tuple[Doc, np.ndarray]:
    """One Doc of the chosen sentences (words, spaces, the tok2vec tensor rows, each first token
    preset as a sentence start) and the index in ``doc`` of each of its tokens."""
    index = np.concatenate([np.arange(a, b) for a, b in ranges]).astype(np.int64)
    firsts = {a for a, _ in ranges}
    words = [doc[i].text for i in index]
    spaces = [bool(doc[i].whitespace_) for i in index]
    starts = [True if int(i) in firsts else None for i in index]
    sub = Doc(doc.vocab, words=words, spaces=spaces, sent_starts=starts)
    if doc.tensor is not None and doc.tensor.size:
        sub.tensor = doc.tensor[index]
    return sub, index


#: ``Doc.user_data`` key: token indices of the first tokens of the sentences left unparsed
UNPARSED_KEY = "conflict_events_unparsed"


def unparsed_starts_of(doc: Doc, index: np.ndarray) -> frozenset[int]:
    """First tokens of ``doc``'s sentences (as ``senter`` set them) that are not in ``index``."""
    chosen = set(index.tolist())
    return frozenset(s.start for s in doc.sents if s.start not in chosen)


def unparsed_sentence(sent) -> bool:
    """True for a sentence ``event_sentence_parser`` left unparsed (it holds no candidate word,
    so the event passes can find nothing in it). Parses read back from a DocBin carry no mark:
    False, and the passes run over the flat tree (with the same, empty, result)."""
    return sent.start in sent.doc.user_data.get(UNPARSED_KEY, ())


def flat_heads(doc: Doc, parsed: Doc, index: np.ndarray) -> np.ndarray:
    """HEAD (relative) and DEP columns for ``doc``: the parse of ``parsed`` at ``index``, a flat
    tree over every other sentence (first token ``ROOT``, the others hang from it as ``dep``, or
    as ``det`` when tagged DT/WDT: the attribute_ruler, which runs next, then leaves their POS
    DET as it would without a parse, instead of reading an unknown relation as a pronoun)."""
    n = len(doc)
    arr = np.zeros((n, 2), dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    if len(parsed):
        sub = parsed.to_array([HEAD, DEP]).astype(np.int64)
        heads_abs = index[np.arange(len(parsed)) + sub[:, 0]]
        arr[index, 0] = heads_abs - index
        arr[index, 1] = sub[:, 1]
        done[index] = True
    root, dep, det = (doc.vocab.strings.add(x) for x in ("ROOT", "dep", "det"))
    for s in doc.sents:
        if done[s.start]:
            continue
        arr[s.start:s.end, 0] = s.start - np.arange(s.start, s.end)
        arr[s.start:s.end, 1] = dep
        for t in s:
            if t.tag_ in ("DT", "WDT"):
                arr[t.i, 1] = det
        arr[s.start, 1] = root
    return arr.astype(np.uint64)


class EventSentenceParser:
    """The pipeline component of ``PIPELINE_PARSE=events`` (factory ``event_sentence_parser``):
    runs the (disabled) ``parser`` component of the same pipeline over each document's chosen
    sentences only."""

    def __init__(self, nlp: Language, name: str, parser_name: str = "parser", context: int = 1):
        self.nlp, self.name, self.parser_name, self.context = nlp, name, parser_name, context
        self._test: FormTest | None = None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def form_test(self) -> FormTest:
        if self._test is None:
            names = self.nlp.component_names
            lem = self.nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
            ruler = self.nlp.get_pipe("attribute_ruler") if "attribute_ruler" in names else None
            self._test = FormTest(candidate_words(), getattr(lem, "lookups", None),
                                  forced_lemmas(ruler) if ruler is not None else None)
        return self._test

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        parser = self.nlp.get_pipe(self.parser_name)
        test = self.form_test()
        for batch in minibatch(docs, size=batch_size):
            subs = []
            for doc in batch:
                ranges = chosen_sentences(doc, test, self.context) if len(doc) else []
                subs.append(sub_doc(doc, ranges) if ranges else (Doc(doc.vocab, words=[]), np.zeros(0, np.int64)))
            parsed = list(parser.pipe([s for s, _ in subs], batch_size=batch_size))
            for doc, p, (_, index) in zip(batch, parsed, subs):
                if len(doc):
                    doc.user_data[UNPARSED_KEY] = unparsed_starts_of(doc, index)
                    doc.from_array([HEAD, DEP], flat_heads(doc, p, index))
            yield from batch


@Language.factory("event_sentence_parser", default_config={"parser_name": "parser", "context": 1})
def make_event_sentence_parser(nlp: Language, name: str, parser_name: str, context: int):
    return EventSentenceParser(nlp, name, parser_name, context)
