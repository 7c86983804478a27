"""PLOVER typing of a clause: the rules that find a sentence's event words and their type.

How typing works (all vocabulary lives in pipeline/data/event_lexicon.json and event_words.json):

* The dependency parse is walked from the sentence root.  Reporting verbs ("said", "reported",
  "claimed", "according to") are not events: their subject becomes the claimant and their
  content clause is analysed instead.
* Complement-taking verbs govern their complement ("threatened to cut off" -> THREATEN, "refused
  to meet" -> REJECT, "demanded that ..." -> DEMAND, "offered / vowed / is ready to X" -> AGREE
  for a cooperative X and THREATEN for a conflictual X, as PLOVER codes intentions).
* Other verbs are looked up as "lemma particle object", "lemma object", "lemma particle",
  "lemma"; light verbs ("hold talks", "carry out strikes", "stage a demonstration") and aspectual
  verbs ("talks began", "clashes erupted") take their type from the event noun they govern.
* Future/conditional modality and negation follow PLOVER: future cooperative -> AGREE, future
  conflictual -> THREATEN, negated cooperative -> REJECT, negated conflictual -> no event.
* "X must / should do Y" inside reported speech -> DEMAND.
* ASSAULT vs FIGHT (PLOVER 0.5 gold): one-sided, unconventional violence (bombs, IEDs,
  abductions, torture, assassinations, killings of civilians with no heavy weapon or battle
  named) is ASSAULT; conventional force (armed clashes, shelling, artillery, air/drone strikes,
  wars) is FIGHT; force against protesters is COERCE.
* Territory taken by force ("seized the town of X", "took control of the village") is FIGHT
  (ACLED Battles); seizing property or taking control of a road (a blockade) stays COERCE.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.lib.events.lexicon import LEXICON_PATH, Lexicon, _load_lexicon, words
from pipeline.lib.events.record import VIOLENT, Trigger
from pipeline.lib.events.syntax import _is_verbal, _kids, _lem, _noun_lemmas

_NO_NOUN: tuple[str | None, str, Any] = (None, "", None)


def weapon_classes(span, lex: Lexicon) -> set[str]:
    """Weapon / combat classes mentioned in a span: 'heavy', 'explosive', 'firearm', 'primitive', 'battle'."""
    toks = [t.lower_ for t in span]
    lems = [_lem(t) for t in span]
    bag = set(toks) | set(lems)
    bigrams = {f"{a} {b}" for a, b in zip(lems, lems[1:])} | {f"{a} {b}" for a, b in zip(toks, toks[1:])}
    trigrams = {f"{a} {b} {c}" for a, b, c in zip(lems, lems[1:], lems[2:])}
    found = {cls for cls, vocab in lex.weapons.items() if vocab & bag or vocab & bigrams}
    if lex.battle_cues & (bag | bigrams | trigrams):
        found.add("battle")
    # a military "strike" counts as heavy only when not a labour strike
    if "strike" in bag and "heavy" in found and not ((lex.weapons["heavy"] - {"strike"}) & (bag | bigrams)):
        if lex.strike_protest_cues & bag:
            found.discard("heavy")
    return found


class ClauseTyper:
    """The clause walk.  Holds only the lexicon; every method reads the parse and returns."""

    def __init__(self, lex: Lexicon):
        self.lex = lex

    # ------------------------------------------------------------------ nouns
    def noun_type(self, n, depth: int = 0) -> tuple[str | None, str, Any]:
        """Return (type, key, token) for an event noun, following light nouns."""
        lex = self.lex
        if n is None or depth > 3:
            return _NO_NOUN
        if n.pos_ not in ("NOUN", "PROPN", "X") and not (n.pos_ == "VERB" and n.tag_ == "VBG"):
            return _NO_NOUN
        for key in _noun_lemmas(n):
            if key in lex.nouns:
                return self._keyed_noun(n, key, depth)
        return self._light_noun_fallback(n, depth)

    def _keyed_noun(self, n, key: str, depth: int) -> tuple[str | None, str, Any]:
        et = self.lex.nouns[key]
        if et is None:
            return self._light_noun_fallback(n, depth)
        if key == "strike" or (key.endswith(" strike") and key not in words("labour_strike_keys")):
            et = self._strike_type(n, et)
        if _lem(n) == "protest" and key == "protest":
            et = "PROTEST"
        # light noun heads ("round of talks") prefer their complement
        if _lem(n) in self.lex.light_nouns:
            sub = self._of_complement(n, depth)
            if sub[0]:
                return sub
        return et, key, n

    def _light_noun_fallback(self, n, depth: int) -> tuple[str | None, str, Any]:
        """A noun with no event entry of its own: a light noun's complement or modifier can be one."""
        lex = self.lex
        if _lem(n) in lex.light_nouns:
            sub = self._of_complement(n, depth)
            if sub[0]:
                return sub
            for m in n.lefts:
                if m.dep_ in ("compound", "nmod", "amod") and _lem(m) in lex.nouns and lex.nouns[_lem(m)]:
                    return lex.nouns[_lem(m)], _lem(m), n
        return _NO_NOUN

    def _of_complement(self, n, depth):
        preps = _kids(n, ["prep"])
        # "claims by X of violations": the parser often hangs the of-PP on the inner noun
        preps += [p for p in n.subtree if p.dep_ == "prep" and p.lower_ == "of" and p.head.i != n.i
                  and p.head.head.head.i == n.i]
        for p in preps:
            if p.lower_ not in ("of", "on"):
                continue
            for po in _kids(p, ["pobj", "pcomp"]):
                if po.pos_ == "VERB":
                    vt = self.verb_type(po)
                    if vt[0]:
                        return vt[0], vt[1], po
                t = self.noun_type(po, depth + 1)
                if t[0]:
                    return t
        return _NO_NOUN

    def _strike_type(self, n, default: str) -> str:
        lex = self.lex
        ctx = {_lem(c) for c in n.subtree} | {c.lower_ for c in n.subtree}
        head = n.head
        ctx |= {_lem(head)} | {_lem(c) for c in head.children if c.dep_ in ("prt", "prep", "nsubj")}
        # subject nouns of the governing verb: "workers began a strike"
        for s in _kids(head, ["nsubj", "nsubjpass"]):
            ctx |= {_lem(x) for x in s.subtree}
        if ctx & lex.strike_military_cues:
            return "FIGHT"
        if (ctx & lex.strike_protest_cues) or (ctx & lex.protest_actor_nouns) or ("on" in ctx and _lem(head) == "go"):
            return "PROTEST"
        return default

    # ------------------------------------------------------------------ verbs
    def _verb_parts_objects(self, v) -> tuple[list[str], list[str]]:
        parts = [_lem(c) for c in v.children if c.dep_ == "prt"]
        parts += [c.lower_ for c in v.children if c.dep_ in ("prep", "advmod") and c.lower_ in words("verb_particles")]
        parts += [c.lower_ for c in v.children if c.dep_ in ("advmod", "acomp", "oprd") and c.pos_ in ("ADV", "ADJ")]
        objs: list[str] = []
        for o in _kids(v, ["dobj", "attr", "oprd", "acomp"]):
            objs.extend([_lem(o), o.lower_])
            objs.extend(k for k in _noun_lemmas(o) if " " in k)
            objs.extend(_lem(m) for m in o.lefts if m.dep_ in ("compound", "amod"))
        for p in _kids(v, ["prep", "prt"]):
            for po in _kids(p, ["pobj"]):
                objs.extend([_lem(po), po.lower_])
        return parts, objs

    def verb_type(self, v) -> tuple[str | None, str]:
        verbs = self.lex.verbs
        lem = _lem(v)
        parts, objs = self._verb_parts_objects(v)
        keys = [f"{lem} {p} {o}" for p in parts for o in objs]
        keys += [f"{lem} {o}" for o in objs] + [f"{lem} {p}" for p in parts]
        for k in keys:
            if k in verbs:
                return verbs[k], k
        if lem in verbs:
            if lem == "strike":
                return None, lem  # "strike" as a verb: decided by its object/subject below
            return verbs[lem], lem
        return None, ""

    # ------------------------------------------------------------------ modality
    def _aux(self, v) -> set[str]:
        return {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass") or c.dep_ == "neg"}

    def negated(self, v) -> bool:
        return any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in words("negation_words"))
                   for c in v.children)

    def future(self, v) -> bool:
        # "is going to", "plans to" handled by governing verbs
        return bool(self._aux(v) & self.lex.future_aux)

    def conditional_unless(self, v) -> bool:
        return any(c.dep_ == "mark" and c.lower_ == "unless" for c in v.subtree)

    def obligation(self, v) -> bool:
        if self._aux(v) & words("obligation_modals"):
            return True
        return any(c.dep_ == "aux" and c.lower_ == "to" and _lem(v.head) in words("obligation_verbs")
                   and v.dep_ == "xcomp" for c in v.children)

    def polarity(self, et: str | None) -> str | None:
        if et is None:
            return None
        if et in self.lex.cooperative:
            return "coop"
        if et in self.lex.conflict:
            return "conf"
        return None

    # ------------------------------------------------------------------ clause walk
    def subject(self, v):
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl"):
                return c
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head is not v:
            return self.subject(v.head)
        return None

    def is_reporting(self, v) -> bool:
        lex = self.lex
        lem = _lem(v)
        if not (lem in lex.reporting_verbs or lem in lex.allegation_verbs or lem in lex.cognition_verbs):
            return False
        # "claimed more than 6,500 lives": a plain noun object is no reported speech
        for o in _kids(v, ["dobj"]):
            if _lem(o) in lex.reporting_nouns or _lem(o) in lex.denial_objects:
                continue
            if _kids(o, ["acl", "relcl"]) and lem in lex.reporting_verbs:
                continue   # "reported civilians getting shot"
            return False
        return True

    def is_claim_verb(self, v) -> bool:
        lem = _lem(v)
        return lem in self.lex.reporting_verbs or lem in self.lex.allegation_verbs

    def clause(self, v, depth: int = 0, seen: set | None = None) -> list[Trigger]:
        """Triggers of the clause headed by v (main one first), then of its conjuncts."""
        if seen is None:
            seen = set()
        if v is None or v.i in seen or depth > 6:
            return []
        seen.add(v.i)
        out = self._clause_own(v, depth, seen)
        for c in v.children:
            if c.dep_ == "conj" and c.i not in seen and (_is_verbal(c) or c.pos_ == "ADJ"):
                out.extend(self.clause(c, depth + 1, seen))
        return out

    def _clause_own(self, v, depth, seen) -> list[Trigger]:
        lem = _lem(v)
        if v.pos_ in ("NOUN", "PROPN") and v.dep_ in ("ROOT",):
            return self._noun_root(v, depth, seen)
        if self.is_reporting(v) and not self._reporting_is_event(v):
            return self._reported(v, depth, seen)      # the content clause carries the event
        if (lem == "be" and v.pos_ == "AUX") or (lem == "be" and not _kids(v, ["dobj"])):
            return self._be_clause(v, depth, seen)
        gov = self._governing_type(v)
        if gov and not self._own_phrase_wins(v, gov):
            return self._governed(v, gov, depth, seen)
        return self._ordinary(v, depth, seen)

    def _noun_root(self, v, depth, seen) -> list[Trigger]:
        """A verbless sentence ("Clashes in X"): the noun, then its clauses not under another verb."""
        et, key, tok = self.noun_type(v)
        trs = [Trigger(tok, v, et, key)] if et else []
        for c in v.subtree:
            if c.dep_ in ("acl", "relcl", "appos") and _is_verbal(c) and c.i not in seen:
                h, nested = c.head, False
                while h.i != v.i:
                    if _is_verbal(h):
                        nested = True
                        break
                    h = h.head
                if not nested:
                    trs.extend(self.clause(c, depth + 1, seen))
        return trs

    def _be_clause(self, v, depth, seen) -> list[Trigger]:
        """'be': the predicate (acomp / attr) carries the event."""
        for c in v.children:
            if c.dep_ in ("acomp",) and c.i not in seen:
                trs = self._adjective(c, v, depth, seen)
                if trs:
                    return trs
            if c.dep_ in ("attr",):
                subj = next((x for x in v.children if x.dep_ in ("nsubj", "expl")), None)
                if subj is not None and subj.pos_ in ("PRON", "DET"):
                    continue   # "This is the first meeting ...": a comment, not an occurrence
                et, key, tok = self.noun_type(c)
                if et:
                    return [self._modal(Trigger(tok, v, et, key), v)]
        trs = []
        for c in v.children:
            if c.dep_ in ("ccomp", "xcomp", "advcl") and c.i not in seen:
                trs.extend(self.clause(c, depth + 1, seen))
        return trs if trs else self._arg_nouns(v)

    def _own_phrase_wins(self, v, gov: str) -> bool:
        """A multi-word lexicon phrase of the verb itself overrides its governing reading
        ("call off", but not "call for" under DEMAND)."""
        et, key = self.verb_type(v)
        if not et or " " not in key:
            return False
        if gov == "DEMAND":
            return key not in words("demand_call_keys")
        return key.split()[0] == _lem(v)

    def _ordinary_type(self, v) -> tuple[str | None, str, Any]:
        """Type of an ordinary verb: its own entry, or the event noun a light / aspectual /
        motion verb governs."""
        lex = self.lex
        lem = _lem(v)
        et, key = self.verb_type(v)
        tok = v
        if lem in lex.light_verbs or lem in lex.aspectual_verbs or et is None or lem in ("strike",):
            nt = self._light_object(v)
            keep_own = lem in lex.light_verb_keep_own
            if nt[0] and (et is None
                          or (" " not in key and lem in lex.light_verbs and not keep_own)
                          or (keep_own and nt[0] != et and et in (None, "COERCE", "SANCTION"))
                          or lem in lex.aspectual_verbs):
                et, key, tok = nt
            elif lem in lex.aspectual_verbs and et is None:
                st = self._subject_noun(v)
                if st[0]:
                    et, key, tok = st
        if lem in lex.motion_verbs:
            for po in (po for p in _kids(v, ["prep"]) if p.lower_ == "for" for po in _kids(p, ["pobj"])):
                nt = self.noun_type(po)
                if nt[0]:
                    et, key, tok = nt
        if lem == "strike" and et is None:
            et, key = "FIGHT", "strike"
        return et, key, tok

    def _ordinary(self, v, depth, seen) -> list[Trigger]:
        et, key, tok = self._ordinary_type(v)
        if et is None:
            return self._descend(v, depth, seen)
        et = self._refine(et, key, v, tok)
        tr = self._modal(Trigger(tok, v, et, key), v)
        out = [tr] if tr.event_type else []
        for c in v.children:
            if c.dep_ == "advcl" and c.i not in seen:
                if out and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    continue   # "blocked a highway to demand ...": the motive, not another event
                out.extend(self.clause(c, depth + 1, seen))
        return out

    def _descend(self, v, depth, seen) -> list[Trigger]:
        """A verb that is no event: "is expected to build", "were due to hold talks"."""
        trs: list[Trigger] = []
        for c in v.children:
            if c.dep_ in ("xcomp", "ccomp") and c.i not in seen:
                sub = self.clause(c, depth + 1, seen)
                for t in sub:
                    self._inherit_modality(t, v)
                trs.extend(sub)
        if not trs:
            trs = self._arg_nouns(v)
        for c in v.children:
            if c.dep_ == "advcl" and c.i not in seen:
                trs.extend(self.clause(c, depth + 1, seen))
        return trs

    def _dobj_words(self, v) -> set[str]:
        return {_lem(x) for o in _kids(v, ["dobj"]) for x in o.subtree}

    def _refine(self, et: str, key: str, v, tok) -> str:
        """Subject-dependent readings: protesters blocking roads protest; governments coerce."""
        lex = self.lex
        if et in ("COERCE",) and key.split()[0] in words("blocking_verbs"):
            subj = self.subject(v)
            if subj is not None and ((_lem(subj) in lex.protest_actor_nouns and subj.ent_type_ not in ("GPE", "ORG"))
                                     or (subj.ent_type_ == "NORP" and subj.tag_ in ("NNPS", "NNS"))):
                return "PROTEST"
        if et == "PROTEST" and key == "protest":
            subj = self.subject(v)
            if subj is not None and (subj.ent_type_ in ("ORG", "GPE", "PERSON")
                                     or _lem(subj) in words("institution_subjects")):
                if not any(c.dep_ in ("dobj",) for c in v.children):
                    return "DISAPPROVE"
        if et == "COERCE" and key in words("territory_taking_keys") and self.takes_territory(v):
            et = "FIGHT"    # territory taken by force is a battle (PLOVER FIGHT, ACLED Battles)
        if et in VIOLENT:
            et = self.violence_type(et, key, v, tok)
        if et == "RETREAT" and key.startswith("withdraw"):
            if self._dobj_words(v) & words("withdrawn_support_objects"):
                return "SANCTION"
        if et == "CONCEDE" and key == "lift":
            if self._dobj_words(v) & words("siege_objects"):
                return "RETREAT"
        return et

    def takes_territory(self, v) -> bool:
        """'seized the town of Mellit', 'took control of the village', 'seized Bara': the object
        (or what 'control' is of) is a settlement, territory or military position, not a road
        (a blockade stays COERCE) or property ('seized his passport')."""
        objs = _kids(v, ["dobj"])
        objs += [po for o in list(objs) if _lem(o) in words("control_nouns")
                 for p in _kids(o, ["prep"]) if p.lower_ in ("of", "over") for po in _kids(p, ["pobj"])]
        objs += [po for p in _kids(v, ["prep"]) if p.lower_ in ("of", "over") for po in _kids(p, ["pobj"])]
        return any(_lem(o) in words("territory_nouns") or o.ent_type_ in ("GPE", "LOC") for o in objs)

    def _victim_words(self, v, tok) -> set[str]:
        victims = set()
        for c in v.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                victims |= {_lem(x) for x in c.subtree}
            if c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "into"):
                victims |= {_lem(x) for x in c.subtree}
        for c in tok.children if tok is not v else []:
            if c.dep_ == "prep" and c.lower_ in ("on", "against"):
                victims |= {_lem(x) for x in c.subtree}
        return victims

    def violence_type(self, et: str, key: str, v, tok) -> str:
        """ASSAULT (one-sided, unconventional: bombs, killings of civilians or notable persons,
        abductions, torture) vs FIGHT (conventional force: armed clashes, shelling, air strikes,
        wars); violence against protesters is COERCE (repression).  First rule that holds wins."""
        lex = self.lex
        sent = v.sent
        lem = key.split()[0] if key else _lem(tok)
        wc = weapon_classes(sent, lex)
        victims = self._victim_words(v, tok)
        if victims & lex.repression_victim_nouns:
            return "COERCE"      # force against protesters is repression
        if lem in words("bombing_words") and "heavy" in wc:
            return "FIGHT"       # aircraft bombing = air strike
        if key in lex.one_sided_violence or lem in lex.one_sided_violence:
            return "ASSAULT"
        if et == "FIGHT" and lem not in lex.generic_violence:
            return "FIGHT"
        if "explosive" in wc or "primitive" in wc:
            return "ASSAULT"
        if "heavy" in wc or "battle" in wc:
            return "FIGHT"
        if ({_lem(t) for t in sent} | {t.lower_ for t in sent}) & lex.war_cues:
            return "FIGHT"
        if victims & lex.notable_victim_nouns and not victims & lex.military_nouns:
            return "ASSAULT"
        if victims & lex.civilian_nouns and not victims & lex.military_nouns:
            return "ASSAULT"
        return "FIGHT"

    def _reporting_is_event(self, v) -> bool:
        # "announced a suspension of air links", "declared a ceasefire": event-noun object
        lem = _lem(v)
        if lem in words("plain_reporting_verbs"):
            return False
        accusing = lem in words("accusation_verbs")
        if lem in self.lex.allegation_verbs and not accusing:
            return False
        if accusing and _kids(v, ["dobj"]) and not _kids(v, ["ccomp"]):
            return True
        if any(self.noun_type(o)[0] for o in _kids(v, ["dobj"])):
            return True
        return lem in self.lex.verbs and not _kids(v, ["ccomp", "xcomp", "parataxis"])

    def _reported_contents(self, v, speaker, seen) -> list:
        contents = [c for c in v.children if c.dep_ in ("ccomp", "parataxis", "xcomp") and c.i not in seen]
        for p in _kids(v, ["prep"]):
            if p.lower_ == "as":
                contents.extend(c for c in _kids(p, ["pcomp"]) if c.i not in seen)
        if not contents:
            contents = [c for c in v.children if c.dep_ in ("advcl",) and c.i not in seen]
        if not contents:
            for o in _kids(v, ["dobj"]):
                contents.extend(a for a in _kids(o, ["acl", "relcl"]) if a.i not in seen)
        if not contents and speaker is not None:
            # parser attached the reported clause to the subject ("youths resorted to ..., officials
            # said"; "an attack on a checkpoint killed 33 soldiers, officials said" with "killed"
            # hung on "checkpoint"): the verbal modifiers inside that subject carry the event
            for c in v.children:
                if c.dep_ in ("nsubj",) and c.i != speaker.i:
                    contents.extend(a for a in c.subtree if a.dep_ in ("acl", "relcl") and a.i not in seen
                                    and _is_verbal(a))
        return contents

    def _reported(self, v, depth, seen) -> list[Trigger]:
        trs: list[Trigger] = []
        subs = _kids(v, ["nsubj", "nsubjpass"])
        speaker = min(subs, key=lambda x: abs(x.i - v.i)) if subs else self.subject(v)
        for c in self._reported_contents(v, speaker, seen):
            sub = self.clause(c, depth + 1, seen)
            if c.pos_ in ("VERB", "AUX") and self.obligation(c):
                csub = self.subject(c)
                if csub is None or speaker is None or (_lem(csub) not in words("first_person")
                                                       and csub.i != speaker.i):
                    first = sub[0] if sub else None
                    trs.append(Trigger(c, c, "DEMAND", "must", base_type=first.event_type if first else None))
                    continue
            for t in sub:
                if t.reporter is None and self.is_claim_verb(v):
                    t.reporter = v
                    t.allegation = _lem(v) in self.lex.allegation_verbs
            trs.extend(sub)
        if not trs:
            for o in _kids(v, ["dobj"]):
                et, key, tok = self.noun_type(o)
                if et:
                    trs.append(Trigger(tok, v, et, key))
        return trs

    def _intent_adjective(self, a, v, depth, seen) -> list[Trigger]:
        """'ready to X', 'determined to X': AGREE or THREATEN by the polarity of X."""
        lem = _lem(a)
        comps = [c for c in a.children if c.dep_ in ("xcomp", "ccomp")]
        for c in comps:
            sub = self.clause(c, depth + 1, seen)
            if sub:
                base = sub[0]
                et = "THREATEN" if self.polarity(base.base_type or base.event_type) == "conf" else "AGREE"
                return [Trigger(a, v, et, lem, base_type=base.event_type, comp=base.token, future=True)]
        if comps and lem in self.lex.strong_intent and not self.negated(v):
            return [Trigger(a, v, "AGREE", lem, comp=comps[0], future=True)]
        return []

    def _adjective(self, a, v, depth, seen) -> list[Trigger]:
        lex = self.lex
        lem = _lem(a)
        if lem in lex.intent_adjectives:
            return self._intent_adjective(a, v, depth, seen)
        # "opposed to", "guilty of violating"
        if lem in lex.verbs and lex.verbs.get(lem):
            return [self._modal(Trigger(a, v, lex.verbs[lem], lem), v)]
        trs = []
        for p in _kids(a, ["prep"]):
            for pc in _kids(p, ["pcomp", "pobj"]):
                if _is_verbal(pc):
                    trs.extend(self.clause(pc, depth + 1, seen))
                else:
                    et, key, tok = self.noun_type(pc)
                    if et:
                        trs.append(Trigger(tok, v, et, key))
        for c in a.children:
            if c.dep_ in ("xcomp", "ccomp") and c.i not in seen:
                trs.extend(self.clause(c, depth + 1, seen))
        return trs

    def _governing_type(self, v) -> str | None:
        lem = _lem(v)
        g = self.lex.governing.get(lem)
        if g is None:
            return None
        has_comp = any(c.dep_ in ("xcomp", "ccomp") for c in v.children)
        if lem == "call":
            preps = {c.lower_ for c in v.children if c.dep_ in ("prep", "prt")}
            return "DEMAND" if preps & words("call_demand_particles") else None
        if g == "DISAPPROVE":
            return g
        if lem in words("governing_needs_complement") and not has_comp:
            return None
        if lem in words("demand_verbs"):
            return g
        if lem == "force" and not has_comp:
            return None
        if lem == "warn" and not has_comp:
            return "THREATEN"
        if not has_comp and not _kids(v, ["dobj"]) and g not in ("AGREE", "REJECT", "THREATEN"):
            return None
        if g in ("INTENT", "PASS") and not has_comp:
            return None
        return g

    def _object_complement(self, v, depth, seen) -> Trigger | None:
        """'called for sanctions', 'demanded the withdrawal of', 'rejected the proposal', 'accused X of Y'."""
        for c in v.children:
            cands = [c] if c.dep_ in ("dobj",) else []
            if c.dep_ in ("prep", "prt"):
                cands.extend(_kids(c, ["pobj", "pcomp"]))
            for n in cands:
                if _is_verbal(n):
                    sub = self.clause(n, depth + 1, seen)
                    if sub:
                        return sub[0]
                et, key, tok = self.noun_type(n)
                if et:
                    return Trigger(tok, v, et, key)
        return None

    def _complement(self, v, depth, seen) -> tuple[Trigger | None, list]:
        """The event a governing verb governs, and its clausal complements."""
        comps = [c for c in v.children if c.dep_ in ("xcomp", "ccomp")]
        for c in comps:
            sub = self.clause(c, depth + 1, seen)
            if sub:
                return sub[0], comps
        return self._object_complement(v, depth, seen), comps

    def _intent(self, v, comp_tr: Trigger | None, neg: bool) -> list[Trigger]:
        """'vowed / plans / is ready to X': AGREE for a cooperative X, THREATEN for a conflictual X,
        REJECT when negated ("does not intend to meet")."""
        lem = _lem(v)
        pol = self.polarity((comp_tr.base_type or comp_tr.event_type) if comp_tr else None)
        if neg:
            et = "REJECT" if pol != "conf" else None
        elif comp_tr is not None and comp_tr.negated and pol == "coop":
            et = "REJECT"
        else:
            et = "THREATEN" if pol == "conf" else "AGREE"
        if (pol is None and lem not in self.lex.strong_intent) or et is None:
            return []
        if lem in ("expect",) and comp_tr is not None:
            return [comp_tr]    # "talks are expected to build on ..." -> the complement event itself
        return [Trigger(v, v, et, lem, base_type=comp_tr.event_type if comp_tr else None,
                        comp=comp_tr.token if comp_tr else None, future=True)]

    def _demand_type(self, v, comp_tr: Trigger | None) -> str:
        """'called for sanctions against X', 'urged Arabs to mobilize against X': disapproval of X."""
        scope = list(comp_tr.token.subtree) if comp_tr is not None else []
        scope += [t for c in v.children if c.dep_ in ("prep", "xcomp", "ccomp", "advcl") for t in c.subtree]
        if _lem(v) in words("appeal_verbs") and any(t.lower_ == "against" for t in scope):
            return "DISAPPROVE"
        return "DEMAND"

    def _governed_type(self, v, gov: str, comp_tr, neg: bool) -> tuple[str | None, str | None]:
        """(event type, mode) of a governing verb; type None: no event."""
        if gov == "AGREE":
            return ("REJECT" if neg else "AGREE"), None
        if gov == "REJECT":
            return (None if neg else "REJECT"), None
        if gov == "DEMAND":
            return self._demand_type(v, comp_tr), None
        if gov == "DISAPPROVE":
            return "DISAPPROVE", ("accuse" if _lem(v) in words("blame_verbs") else None)
        if gov == "CONCEDE":
            return ("REJECT" if neg else "CONCEDE"), None
        return gov, None    # THREATEN, PROTEST and the rest name their type

    def _governed(self, v, gov: str, depth, seen) -> list[Trigger]:
        comp_tr, comps = self._complement(v, depth, seen)
        neg = self.negated(v)
        if _lem(v) == "warn" and comp_tr is None and comps:
            return []
        if gov == "PASS":
            if comp_tr is None:
                return []
            self._inherit_modality(comp_tr, v)
            return [comp_tr]
        if gov == "INTENT":
            return self._intent(v, comp_tr, neg)
        et, mode = self._governed_type(v, gov, comp_tr, neg)
        if et is None or (gov == "DISAPPROVE" and neg):
            return []
        tr = Trigger(v, v, et, _lem(v), base_type=comp_tr.event_type if comp_tr else None, mode=mode,
                     comp=comp_tr.token if comp_tr else None, negated=neg)
        if gov in ("AGREE", "DEMAND", "DISAPPROVE", "CONCEDE") and self.future(v) and not neg:
            tr.future = True    # "will agree" stays AGREE; a future demand is still a demand
        out = [tr]
        for c in v.children:
            if c.dep_ == "advcl" and c.i not in seen:
                out.extend(self.clause(c, depth + 1, seen))
        return out

    def _inherit_modality(self, t: Trigger, v) -> None:
        """A complement under a future/negated verb ('would not meet') takes that modality."""
        if t.event_type is None:
            return
        if self.future(v) and not t.future:
            self._apply_future(t, unless=self.conditional_unless(v))
        if self.negated(v) and not t.negated:
            self._apply_negation(t)

    def _apply_future(self, t: Trigger, unless: bool = False) -> None:
        pol = self.polarity(t.base_type or t.event_type)
        t.future = True
        if t.event_type in ("AGREE", "THREATEN", "DEMAND", "REJECT", "DISAPPROVE"):
            return
        t.base_type = t.base_type or t.event_type
        if unless or pol == "conf":
            t.event_type = "THREATEN"
        elif pol == "coop":
            t.event_type = "REJECT" if t.negated else "AGREE"

    def _apply_negation(self, t: Trigger) -> None:
        pol = self.polarity(t.base_type or t.event_type)
        t.negated = True
        t.base_type = t.base_type or t.event_type
        if t.event_type in ("REJECT", "THREATEN"):
            return
        if pol == "coop" or t.event_type in ("AGREE",):
            t.event_type = "REJECT"
        else:
            t.event_type = None  # "did not attack": no event

    def _modal(self, t: Trigger, v) -> Trigger:
        neg = self.negated(v)
        fut = self.future(v)
        if neg:
            self._apply_negation(t)
        if fut and t.event_type is not None:
            self._apply_future(t, unless=self.conditional_unless(v))
        return t

    def _light_object(self, v) -> tuple[str | None, str, Any]:
        for c in v.children:
            if c.dep_ in ("dobj", "attr", "oprd"):
                r = self.noun_type(c)
                if r[0]:
                    return r
        for c in v.children:
            if c.dep_ in ("prep", "prt", "agent") and c.lower_ in ("in", "into", "under", "to", "for", "of", "on", "with"):
                for po in _kids(c, ["pobj", "pcomp"]):
                    r = self.verb_type(po) + (po,) if po.pos_ == "VERB" else self.noun_type(po)
                    if r[0]:
                        return r
        # "issued a declaration demanding that ..."
        for c in v.children:
            if c.dep_ in ("dobj",) and _lem(c) in self.lex.reporting_nouns:
                for a in _kids(c, ["acl"]):
                    sub = self.clause(a, 1, set())
                    if sub:
                        return sub[0].event_type, sub[0].key, sub[0].token
        return _NO_NOUN

    def _subject_noun(self, v) -> tuple[str | None, str, Any]:
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                r = self.noun_type(c)
                if r[0]:
                    return r
        return _NO_NOUN

    def _arg_nouns(self, v) -> list[Trigger]:
        """Event nouns among the arguments of a non-event verb."""
        cand = []
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd"):
                cand.append(c)
            elif c.dep_ in ("prep", "agent"):
                cand.extend(_kids(c, ["pobj"]))
        trs = []
        for n in cand:
            et, key, tok = self.noun_type(n)
            if et and key not in self.lex.noun_needs_context:
                trs.append(self._modal(Trigger(tok, v, et, key), v))
        return [t for t in trs if t.event_type]


@lru_cache(maxsize=4)
def _typer(path: str) -> ClauseTyper:
    return ClauseTyper(_load_lexicon(path))


def clause_typer(lexicon_path: Path | None = None) -> ClauseTyper:
    return _typer(str(lexicon_path or LEXICON_PATH))


def sentence_triggers(sent, lexicon_path: Path | None = None) -> list[Trigger]:
    """All triggers of a sentence, the main (root-most) one first."""
    trs = [t for t in clause_typer(lexicon_path).clause(sent.root) if t.event_type]
    seen, out = set(), []
    for t in trs:
        k = (t.token.i, t.event_type)
        if k not in seen:
            seen.add(k)
            out.append(t)
    return out


def classify_sentence(sent, lexicon_path: Path | None = None) -> Trigger | None:
    """The main event of one sentence (what PLOVER gold records code)."""
    trs = sentence_triggers(sent, lexicon_path)
    return trs[0] if trs else None
