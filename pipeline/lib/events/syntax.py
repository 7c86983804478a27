"""Token helpers every pass shares.  Reads the parse only; imports no pass."""
from __future__ import annotations

import re
from typing import Iterable

from pipeline.lib.events.lexicon import words


def _lem(t) -> str:
    lem = t.lemma_.lower()
    return lem if lem and lem != "-pron-" else t.lower_


def _kids(t, deps: Iterable[str]) -> list:
    deps = set(deps)
    return [c for c in t.children if c.dep_ in deps]


def _is_verbal(t) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")


def _modifier_keys(n, h: str) -> list[str]:
    mods = [c for c in n.lefts if c.dep_ in ("compound", "amod", "nmod") and c.pos_ != "DET"]
    out: list[str] = []
    if len(mods) >= 2:
        out.append(" ".join(_lem(m) for m in mods[-2:]) + " " + h)
    for m in reversed(mods):
        # hyphenated modifiers: "cease - fire violation" parses as compounds with a HYPH token
        out.append(f"{_lem(m)} {h}")
        out.append(f"{m.lower_} {h}")
    # "state of emergency", "state of siege"
    for p in _kids(n, ["prep"]):
        if p.lower_ == "of":
            for po in _kids(p, ["pobj"]):
                out.append(f"{h} of {_lem(po)}")
    out.append(h)
    return out


def _noun_lemmas(n) -> list[str]:
    """Candidate noun keys, most specific first: 'mod1 mod2 head', 'mod head', 'head'."""
    out: list[str] = []
    for h in dict.fromkeys([_lem(n), n.lower_]):
        out.extend(_modifier_keys(n, h))
    # hyphenated compounds split by the tokenizer: "cease-fire" -> cease - fire
    span_text = n.doc[n.left_edge.i:n.i + 1].text.lower()
    out.append(span_text)
    m = re.search(r"([a-z]+-[a-z]+)$", span_text.replace(" - ", "-"))
    if m:
        out.append(m.group(1))
    return list(dict.fromkeys(out))


def _subject(v):
    for c in v.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    if v.dep_ in ("conj", "xcomp", "advcl", "acl") and v.head is not v and _is_verbal(v.head):
        return _subject(v.head) if v.dep_ != "acl" else None
    return None


def _passive_subject(v):
    for c in v.children:
        if c.dep_ == "nsubjpass":
            return c
    return None


def _agent(tok):
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            for po in c.children:
                if po.dep_ == "pobj":
                    return po
    return None


def _prep_objs(tok, preps: Iterable[str]):
    preps = set(preps)
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in preps:
            out.extend(po for po in c.children if po.dep_ in ("pobj",))
    return out


def _conjuncts(tok):
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    return out


def _is_past(v) -> bool:
    if v.tag_ == "VBD":
        return True
    if v.tag_ == "VBN":
        aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
        return bool(aux & words("perfect_or_passive_aux")) or not aux
    return False


def _is_headline(sent) -> bool:
    if sent.start != 0 and not (sent.start > 0 and "\n\n" in sent.doc[sent.start - 1].text_with_ws):
        return False
    txt = sent.text.strip()
    first_line = txt.split("\n", 1)[0].strip()
    return (sent.start == 0 and bool(first_line) and first_line[-1] not in ".!?\"”'’:"
            and len(first_line.split()) >= 3)


def _dateline_tokens(sent) -> list[int]:
    """'KYIV, March 3 (Reuters) - ...', 'YEREVAN — ...': the dateline before the first dash;
    'NEW DELHI: ...': a name in capitals before a colon."""
    toks = list(sent)[:12]
    for j, t in enumerate(toks):
        if t.text == ":" and 0 < j <= 4 and all(x.is_upper and x.is_alpha for x in toks[:j]):
            return [x.i for x in toks[:j]]
        if t.text in ("-", "\u2014", "\u2013", "--") and j > 0:
            head = toks[:j]
            if any(x.text.isupper() and len(x.text) > 2 for x in head) or any(x.text == "(" for x in head):
                return [x.i for x in head]
            return []
    return []


def _has_det(tok, dets: frozenset[str]) -> bool:
    """The token has a determiner child among ``dets`` ("the clashes", "this strike")."""
    return any(c.dep_ == "det" and c.lower_ in dets for c in tok.children)


def _span_tokens(doc, start_char: int, end_char: int) -> list:
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    return list(span) if span is not None else []


def past_perfect(v) -> bool:
    """The verb is in the past perfect ("had been injured", "had died"): in reported speech, a
    deed before the day it was told, or a running total backshifted ("he said 300 had died")."""
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in v.children)
