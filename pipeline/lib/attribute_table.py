"""An exact, table-driven stand-in for spaCy's ``attribute_ruler``.

The English models map each fine-grained tag to its coarse part of speech and morphology with an
``attribute_ruler`` of about 180 one- and two-token Matcher patterns. spaCy's Matcher tries every
pattern on every token, which costs about a sixth of the model's CPU (``bench/profile_components.py``)
for what is, for almost every token, one dictionary look-up. This component gives the same
annotations by looking the rules up instead of matching them.

Rules (they are spaCy's, restated so the table can be checked against them):

1. A rule is one entry of the ruler: one or more token patterns, the attributes it sets, and the
   index of the token in a match that receives them. A rule's order is its position in the ruler.
2. Every match is found on the document as it comes in (before any rule has set anything); then
   the matches are applied in rule order, so a later rule's attribute wins over an earlier one's
   on the same token. Each match is applied with spaCy's own ``set_token_attrs``.
3. A token condition reads only ``TAG``, ``LOWER``, ``DEP`` and ``IS_SPACE``, with a value that is
   a string or boolean (equality) or a dict of ``IN``, ``NOT_IN`` or ``REGEX`` (``re.search``).
   So the rules a token meets alone depend only on those four values: they are computed once per
   distinct combination and kept in a table.
4. Patterns of two or more tokens are tried where their first token's condition holds.
5. A ruler with anything else (an ``OP`` quantifier, another attribute or predicate) cannot be
   restated: :func:`compile_rules` raises :class:`UnsupportedPattern` and the model keeps spaCy's
   own ruler (``nlp.replace_attribute_ruler`` does this).

``tests/test_attribute_table.py`` checks, token by token, that tag, part of speech, morphology,
dependency and lemma come out identical to spaCy's own ruler on real and generated texts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

_READS = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}


class UnsupportedPattern(ValueError):
    """A ruler pattern this table cannot restate exactly."""


def _predicate(spec: dict) -> Callable[[Token], bool]:
    """One token condition of a Matcher pattern as a Python test (rule 3)."""
    tests: list[Callable[[Token], bool]] = []
    for attr, want in spec.items():
        read = _READS.get(attr)
        if read is None:
            raise UnsupportedPattern(f"token attribute {attr!r}")
        if isinstance(want, (str, bool)):
            tests.append(lambda t, r=read, w=want: r(t) == w)
        elif isinstance(want, dict) and len(want) == 1:
            (op, arg), = want.items()
            if op == "IN":
                tests.append(lambda t, r=read, s=frozenset(arg): r(t) in s)
            elif op == "NOT_IN":
                tests.append(lambda t, r=read, s=frozenset(arg): r(t) not in s)
            elif op == "REGEX":
                tests.append(lambda t, r=read, rx=re.compile(arg): bool(rx.search(r(t))))
            else:
                raise UnsupportedPattern(f"predicate {op!r} on {attr}")
        else:
            raise UnsupportedPattern(f"value {want!r} of {attr}")
    return lambda t: all(test(t) for test in tests)


@dataclass(frozen=True)
class Rule:
    order: int
    tokens: tuple[Callable[[Token], bool], ...]
    index: int
    attrs: dict


def compile_rules(ruler: Any) -> tuple[list[Rule], list[Rule]]:
    """The ruler's patterns as (one-token rules, longer rules), each in rule order (rules 1, 5)."""
    single, multi = [], []
    for order, entry in enumerate(ruler.patterns):
        attrs = ruler.attrs[order]
        for pattern in entry["patterns"]:
            if any("OP" in spec for spec in pattern):
                raise UnsupportedPattern("quantifier OP")
            rule = Rule(order, tuple(_predicate(spec) for spec in pattern), entry["index"], attrs)
            (single if len(pattern) == 1 else multi).append(rule)
    return single, multi


class AttributeTable:
    """The component: rule 3's table of one-token outcomes, rule 4's scan for longer patterns."""

    def __init__(self, single: list[Rule], multi: list[Rule]):
        self.single = single
        self.multi = multi
        self._table: dict[tuple, tuple[tuple[int, dict], ...]] = {}
        self._starts: dict[tuple, tuple[Rule, ...]] = {}

    def _key(self, tok: Token) -> tuple:
        return (tok.tag, tok.lower, tok.dep, tok.is_space)

    def _alone(self, tok: Token, key: tuple) -> tuple[tuple[int, dict], ...]:
        got = self._table.get(key)
        if got is None:
            got = tuple((r.order, r.attrs) for r in self.single if r.tokens[0](tok))
            self._table[key] = got
        return got

    def _starting(self, tok: Token, key: tuple) -> tuple[Rule, ...]:
        got = self._starts.get(key)
        if got is None:
            got = tuple(r for r in self.multi if r.tokens[0](tok))
            self._starts[key] = got
        return got

    def __call__(self, doc: Doc) -> Doc:
        keys = [self._key(t) for t in doc]
        extra: dict[int, list[tuple[int, dict]]] = {}
        if self.multi:
            n = len(doc)
            for i, tok in enumerate(doc):
                for rule in self._starting(tok, keys[i]):
                    end = i + len(rule.tokens)
                    if end > n or not all(test(doc[j]) for j, test in
                                          zip(range(i + 1, end), rule.tokens[1:])):
                        continue
                    target = (i if rule.index >= 0 else end) + rule.index
                    if i <= target < end:
                        extra.setdefault(target, []).append((rule.order, rule.attrs))
        todo = [(i, self._alone(tok, keys[i])) for i, tok in enumerate(doc)]
        for i, found in todo:
            if i in extra:
                found = tuple(sorted(found + tuple(extra[i]), key=lambda x: x[0]))
            tok = doc[i]
            for _order, attrs in found:
                set_token_attrs(tok, attrs)
        return doc


def replace_attribute_ruler(nlp: Language) -> bool:
    """Put an :class:`AttributeTable` where the model's ``attribute_ruler`` is and disable the
    ruler (it stays in the model, so its patterns can still be read). False (the model is left as
    it is) when the model has no ruler or its patterns cannot be restated (rule 5)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    try:
        single, multi = compile_rules(nlp.get_pipe("attribute_ruler"))
    except UnsupportedPattern:
        return False
    nlp.add_pipe("attribute_table", after="attribute_ruler")
    nlp.get_pipe("attribute_table").load(single, multi)
    nlp.disable_pipe("attribute_ruler")  # kept (disabled): its patterns stay readable
    return True


class _Slot(AttributeTable):
    """The registered factory's object: empty until :func:`replace_attribute_ruler` loads it."""

    def __init__(self) -> None:
        super().__init__([], [])

    def load(self, single: list[Rule], multi: list[Rule]) -> None:
        self.single, self.multi = single, multi
        self._table.clear()
        self._starts.clear()


@Language.factory("attribute_table")
def _make_attribute_table(nlp: Language, name: str) -> _Slot:
    return _Slot()
