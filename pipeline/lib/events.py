"""Event extraction: sentences -> PLOVER-coded event rows.

Public API
----------
``extract_events(doc, entities, doc_id, published) -> list[dict]``
    One dict per event with the columns of the ``events`` table (see
    docs/architecture.md) except ``incident_id``.
``classify_sentence(sent) -> Trigger | None``
    The main event of one sentence (what PLOVER gold records code); used by
    tests/test_plover.py and reused by ``extract_events``.
``sentence_triggers(sent) -> list[Trigger]``
    Every trigger clause of a sentence, main one first.

How typing works (all vocabulary lives in pipeline/data/event_lexicon.json):

* The dependency parse is walked from the sentence root.  Reporting verbs
  ("said", "reported", "claimed", "according to") are not events: their subject
  becomes ``claimed_by`` and their content clause is analysed instead.
* Complement-taking verbs govern their complement ("threatened to cut off" ->
  THREATEN, "refused to meet" -> REJECT, "demanded that ..." -> DEMAND,
  "offered / vowed / is ready to X" -> AGREE for a cooperative X and THREATEN for
  a conflictual X, as PLOVER codes intentions).
* Other verbs are looked up as "lemma particle object", "lemma object",
  "lemma particle", "lemma"; light verbs ("hold talks", "carry out strikes",
  "stage a demonstration") and aspectual verbs ("talks began", "clashes
  erupted") take their type from the event noun they govern.
* Future/conditional modality and negation follow PLOVER: future cooperative ->
  AGREE, future conflictual -> THREATEN, negated cooperative -> REJECT, negated
  conflictual -> no event.
* "X must / should do Y" inside reported speech -> DEMAND.
* ASSAULT vs FIGHT (PLOVER 0.5 gold): one-sided, unconventional violence (bombs, IEDs,
  abductions, torture, assassinations, killings of civilians with no heavy weapon or battle
  named) is ASSAULT; conventional force (armed clashes, shelling, artillery, air/drone strikes,
  wars) is FIGHT; force against protesters is COERCE.  Blockades, closures, "shut off access"
  are COERCE; meetings and talks CONSULT; accusations DISAPPROVE (event_mode 'accuse');
  rejections and denials REJECT (event_mode 'deny' for a denial of a claim).

Decisions for the rows
----------------------
* One violent event per sentence (the casualty report is that event even when the only verb
  is "killed" under "X said"); other types one per type and clause.  Triggers inside
  if/unless clauses, under opinion verbs ("fear", "believe") and the content of a denial are no
  events.  "two claims ... of ceasefire violations" gives two rows (counts 2..20).
* claimed_by: the speaker of the reporting verb / "according to" / "claims by X".  Institutions
  speak for their side: a ministry, army, capital or government resolves to the state (or de
  facto authority) named in it ("Azerbaijan's defense ministry" -> "Azerbaijan", "Baku" ->
  "Azerbaijan", "Karabakh's armed forces" -> "Nagorno-Karabakh"); persons and organisations
  keep their canonical name ("Antony Blinken", "United Nations"); unnamed officials of a
  violent incident take the one state taking part (military speakers) or the country of the
  place (civil officials), else their own words ("army", "regional governor").  None when the
  text gives no source (the asset then fills in the outlet).
* disputed: another party denies, dismisses or contradicts the claim in the same sentence
  ("a charge that Yerevan denies", "a claim Israel dismissed", "while Moscow blamed ...") or in
  one of the two following sentences ("Karabakh Armenian officials deny the claims").
* event_date: the date mention of the trigger clause (find_dates with the last event date as
  reference, so "the day prior" follows the narrative); never a "since ..." start or a "by
  <deadline>"; never after publication.  A sentence without a mention gets, in this order:
  the publication day for a headline; nothing for a future event or a historical toll; the
  last event date of the same paragraph (narrative continuation, date_text None); the
  publication day for a past-tense report in the lead (first three sentences) or with
  "overnight"/"today"; else None ('unknown').
* scope: casualty reports use casualties.classify_scope; other events are 'historical' when
  dated more than a year before publication, else 'incident'.
* victim_side: the nationality / possessor of the victims ("its servicemen" -> the speaker);
  a party reporting losses inflicted by the other side reports its own losses; else the
  country of the place when the attacker is someone else.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "event_lexicon.json"
VIOLENT = frozenset({"ASSAULT", "FIGHT"})
VIOLENT_T = VIOLENT

ACLED_BATTLES = "Battles"
ACLED_REMOTE = "Explosions/Remote violence"
ACLED_VAC = "Violence against civilians"
ACLED_STRATEGIC = "Strategic developments"
ACLED_PROTESTS = "Protests"
ACLED_RIOTS = "Riots"


# --------------------------------------------------------------------------- lexicon
@dataclass
class Lexicon:
    verbs: dict[str, str | None]
    nouns: dict[str, str | None]
    noun_needs_context: frozenset[str]
    light_verbs: frozenset[str]
    light_verb_keep_own: frozenset[str]
    aspectual_verbs: frozenset[str]
    light_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    allegation_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    governing: dict[str, str]
    intent_adjectives: frozenset[str]
    future_aux: frozenset[str]
    obligation_aux: frozenset[str]
    negators: frozenset[str]
    condition_marks: frozenset[str]
    cooperative: frozenset[str]
    conflict: frozenset[str]
    protest_actor_nouns: frozenset[str]
    strike_protest_cues: frozenset[str]
    strike_military_cues: frozenset[str]
    weapons: dict[str, frozenset[str]]
    civilian_nouns: frozenset[str]
    military_nouns: frozenset[str]
    denial_verbs: frozenset[str]
    denial_objects: frozenset[str]
    denial_nouns: frozenset[str]
    denial_phrases: frozenset[str]
    claim_nouns: frozenset[str]
    anaphoric_determiners: frozenset[str]
    fresh_incident_adverbs: frozenset[str]
    title_nouns: frozenset[str]
    strong_intent: frozenset[str]
    cognition_verbs: frozenset[str]
    deadline_words: frozenset[str]
    hypothetical_marks: frozenset[str]
    generic_violence: frozenset[str]
    one_sided_violence: frozenset[str]
    notable_victim_nouns: frozenset[str]
    repression_victim_nouns: frozenset[str]
    war_cues: frozenset[str]
    place_nouns: frozenset[str]
    motion_verbs: frozenset[str]
    battle_cues: frozenset[str]


def load_lexicon(path: Path | None = None) -> Lexicon:
    return _load_lexicon(str(path or LEXICON_PATH))


@lru_cache(maxsize=4)
def _load_lexicon(path: str) -> Lexicon:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    fs = lambda key: frozenset(w.lower() for w in raw.get(key, []))  # noqa: E731
    den = raw.get("denial", {})
    return Lexicon(
        verbs={k.lower(): v for k, v in raw["verbs"].items()},
        nouns={k.lower(): v for k, v in raw["nouns"].items()},
        noun_needs_context=fs("noun_needs_context"),
        light_verbs=fs("light_verbs"),
        light_verb_keep_own=fs("light_verb_keep_own"),
        aspectual_verbs=fs("aspectual_verbs"),
        light_nouns=fs("light_nouns"),
        reporting_verbs=fs("reporting_verbs"),
        allegation_verbs=fs("allegation_verbs"),
        reporting_nouns=fs("reporting_nouns"),
        governing={k.lower(): v for k, v in raw["governing"].items()},
        intent_adjectives=fs("intent_adjectives"),
        future_aux=fs("future_aux"),
        obligation_aux=fs("obligation_aux"),
        negators=fs("negators"),
        condition_marks=fs("condition_marks"),
        cooperative=fs("cooperative_types") and frozenset(raw["cooperative_types"]),
        conflict=frozenset(raw["conflict_types"]),
        protest_actor_nouns=fs("protest_actor_nouns"),
        strike_protest_cues=fs("strike_protest_cues"),
        strike_military_cues=fs("strike_military_cues"),
        weapons={k: frozenset(w.lower() for w in v) for k, v in raw["weapons"].items()},
        civilian_nouns=fs("civilian_nouns"),
        military_nouns=fs("military_nouns"),
        denial_verbs=frozenset(w.lower() for w in den.get("verbs", [])),
        denial_objects=frozenset(w.lower() for w in den.get("objects", [])),
        denial_nouns=frozenset(w.lower() for w in den.get("nouns", [])),
        denial_phrases=frozenset(w.lower() for w in den.get("phrases", [])),
        claim_nouns=fs("claim_nouns"),
        anaphoric_determiners=fs("anaphoric_determiners"),
        fresh_incident_adverbs=fs("fresh_incident_adverbs"),
        title_nouns=fs("title_nouns"),
        strong_intent=fs("strong_intent"),
        cognition_verbs=fs("cognition_verbs"),
        deadline_words=fs("deadline_words"),
        hypothetical_marks=fs("hypothetical_marks"),
        generic_violence=fs("generic_violence"),
        one_sided_violence=fs("one_sided_violence"),
        notable_victim_nouns=fs("notable_victim_nouns"),
        repression_victim_nouns=fs("repression_victim_nouns"),
        war_cues=fs("war_cues"),
        place_nouns=fs("place_nouns"),
        motion_verbs=fs("motion_verbs"),
        battle_cues=fs("battle_cues"),
    )


# --------------------------------------------------------------------------- triggers
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


def _lem(t) -> str:
    lem = t.lemma_.lower()
    return lem if lem and lem != "-pron-" else t.lower_


def _kids(t, deps: Iterable[str]) -> list:
    deps = set(deps)
    return [c for c in t.children if c.dep_ in deps]


def _is_verbal(t) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")


def _noun_lemmas(n) -> list[str]:
    """Candidate noun keys, most specific first: 'mod1 mod2 head', 'mod head', 'head'."""
    lem, txt = _lem(n), n.lower_
    mods = [c for c in n.lefts if c.dep_ in ("compound", "amod", "nmod") and c.pos_ != "DET"]
    out: list[str] = []
    for h in dict.fromkeys([lem, txt]):
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
    # hyphenated compounds split by the tokenizer: "cease-fire" -> cease - fire
    span_text = n.doc[n.left_edge.i:n.i + 1].text.lower()
    out.append(span_text)
    m = re.search(r"([a-z]+-[a-z]+)$", span_text.replace(" - ", "-"))
    if m:
        out.append(m.group(1))
    return list(dict.fromkeys(out))


class _Typer:
    def __init__(self, lex: Lexicon):
        self.lex = lex

    # ------------------------------------------------------------------ nouns
    def noun_type(self, n, depth: int = 0) -> tuple[str | None, str, Any]:
        """Return (type, key, token) for an event noun, following light nouns."""
        lex = self.lex
        if n is None or depth > 3:
            return None, "", None
        if n.pos_ not in ("NOUN", "PROPN", "X") and not (n.pos_ == "VERB" and n.tag_ == "VBG"):
            return None, "", None
        # hyphenated compounds whose last part is the head noun ("cease - fire")
        for key in _noun_lemmas(n):
            if key in lex.nouns:
                et = lex.nouns[key]
                if et is None:
                    break
                if key == "strike" or key.endswith(" strike") and key not in ("hunger strike", "general strike"):
                    et = self._strike_type(n, et)
                if _lem(n) == "protest" and key == "protest":
                    et = "PROTEST"
                # light noun heads ("round of talks") prefer their complement
                if _lem(n) in lex.light_nouns:
                    sub = self._of_complement(n, depth)
                    if sub[0]:
                        return sub
                return et, key, n
        if _lem(n) in lex.light_nouns:
            sub = self._of_complement(n, depth)
            if sub[0]:
                return sub
            for m in n.lefts:
                if m.dep_ in ("compound", "nmod", "amod") and _lem(m) in lex.nouns and lex.nouns[_lem(m)]:
                    return lex.nouns[_lem(m)], _lem(m), n
        return None, "", None

    def _of_complement(self, n, depth):
        preps = _kids(n, ["prep"])
        # "claims by X of violations": the parser often hangs the of-PP on the inner noun
        preps += [p for p in n.subtree if p.dep_ == "prep" and p.lower_ == "of" and p.head.i != n.i
                  and p.head.head.head.i == n.i]
        for p in preps:
            if p.lower_ in ("of", "on"):
                for po in _kids(p, ["pobj", "pcomp"]):
                    if po.pos_ == "VERB":
                        vt = self.verb_type(po)
                        if vt[0]:
                            return vt[0], vt[1], po
                    t = self.noun_type(po, depth + 1)
                    if t[0]:
                        return t
        return None, "", None

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
        if ctx & lex.strike_protest_cues or (ctx & lex.protest_actor_nouns) or "on" in ctx and _lem(head) == "go":
            return "PROTEST"
        return default

    # ------------------------------------------------------------------ verbs
    def verb_type(self, v) -> tuple[str | None, str]:
        lex = self.lex
        lem = _lem(v)
        parts = [_lem(c) for c in v.children if c.dep_ == "prt"]
        parts += [c.lower_ for c in v.children if c.dep_ in ("prep", "advmod") and c.lower_ in
                  ("on", "for", "off", "up", "down", "out", "back", "into", "over", "in", "away")]
        parts += [c.lower_ for c in v.children if c.dep_ in ("advmod", "acomp", "oprd") and c.pos_ in ("ADV", "ADJ")]
        objs: list[str] = []
        for o in _kids(v, ["dobj", "attr", "oprd", "acomp"]):
            objs.extend([_lem(o), o.lower_])
            objs.extend(k for k in _noun_lemmas(o) if " " in k)
            objs.extend(_lem(m) for m in o.lefts if m.dep_ in ("compound", "amod"))
        for p in _kids(v, ["prep", "prt"]):
            for po in _kids(p, ["pobj"]):
                objs.extend([_lem(po), po.lower_])
        for p in parts:
            for o in objs:
                k = f"{lem} {p} {o}"
                if k in lex.verbs:
                    return lex.verbs[k], k
        for o in objs:
            k = f"{lem} {o}"
            if k in lex.verbs:
                return lex.verbs[k], k
        for p in parts:
            k = f"{lem} {p}"
            if k in lex.verbs:
                return lex.verbs[k], k
        if lem in lex.verbs:
            et = lex.verbs[lem]
            if lem == "strike":
                return None, lem  # "strike" as a verb: decided by its object/subject below
            return et, lem
        return None, ""

    # ------------------------------------------------------------------ modality
    def _aux(self, v) -> set[str]:
        out = set()
        for c in v.children:
            if c.dep_ in ("aux", "auxpass") or (c.dep_ == "neg"):
                out.add(c.lower_)
        return out

    def negated(self, v) -> bool:
        for c in v.children:
            if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in ("never", "no")):
                return True
        return False

    def future(self, v) -> bool:
        aux = self._aux(v)
        if aux & self.lex.future_aux:
            return True
        # "is going to", "plans to" handled by governing verbs
        return False

    def conditional_unless(self, v) -> bool:
        for c in v.subtree:
            if c.dep_ == "mark" and c.lower_ == "unless":
                return True
        return False

    def obligation(self, v) -> bool:
        aux = self._aux(v)
        if aux & {"must", "should", "ought"}:
            return True
        for c in v.children:
            if c.dep_ == "aux" and c.lower_ == "to" and _lem(v.head) in ("have", "need") and v.dep_ == "xcomp":
                return True
        return False

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
        lem = _lem(v)
        if lem in self.lex.reporting_verbs or lem in self.lex.allegation_verbs or lem in self.lex.cognition_verbs:
            # "claimed more than 6,500 lives": a plain noun object is no reported speech
            for o in _kids(v, ["dobj"]):
                if _lem(o) in self.lex.reporting_nouns or _lem(o) in self.lex.denial_objects:
                    continue
                if _kids(o, ["acl", "relcl"]) and lem in self.lex.reporting_verbs:
                    continue   # "reported civilians getting shot"
                return False
            return True
        return False

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
        lex = self.lex
        lem = _lem(v)
        if v.pos_ in ("NOUN", "PROPN") and v.dep_ in ("ROOT",):
            et, key, tok = self.noun_type(v)
            trs = [Trigger(tok, v, et, key)] if et else []
            for c in v.subtree:
                if c.dep_ in ("acl", "relcl", "appos") and _is_verbal(c) and c.i not in seen:
                    # only clauses not nested under another verb
                    h, nested = c.head, False
                    while h.i != v.i:
                        if _is_verbal(h):
                            nested = True
                            break
                        h = h.head
                    if not nested:
                        trs.extend(self.clause(c, depth + 1, seen))
            return trs

        # ---- reporting verbs: content clause carries the event
        if self.is_reporting(v) and not self._reporting_is_event(v):
            return self._reported(v, depth, seen)

        # ---- "be": look at the predicate (acomp / attr)
        if lem == "be" and v.pos_ == "AUX" or (lem == "be" and not _kids(v, ["dobj"])):
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
            if trs:
                return trs
            return self._arg_nouns(v)

        # ---- governing verbs
        gov = self._governing_type(v)
        vt = self.verb_type(v)
        if gov and vt[0] and " " in vt[1] and vt[1].split()[0] == lem and gov != "DEMAND" or \
                gov == "DEMAND" and vt[0] and " " in vt[1] and vt[1] not in ("call on", "call for", "call upon"):
            gov = None
        if gov:
            return self._governed(v, gov, depth, seen)

        # ---- ordinary verbs
        et, key = self.verb_type(v)
        tok = v
        noun_trs: list[Trigger] = []
        if lem in lex.light_verbs or lem in lex.aspectual_verbs or et is None or lem in ("strike",):
            nt = self._light_object(v)
            if nt[0] and (et is None or " " not in key and lem in lex.light_verbs and lem not in lex.light_verb_keep_own
                          or lem in lex.light_verb_keep_own and nt[0] != et and et in (None, "COERCE", "SANCTION")
                          or lem in lex.aspectual_verbs):
                et, key, tok = nt
            elif lem in lex.aspectual_verbs and et is None:
                st = self._subject_noun(v)
                if st[0]:
                    et, key, tok = st
        if lem in lex.motion_verbs:
            for p in _kids(v, ["prep"]):
                if p.lower_ == "for":
                    for po in _kids(p, ["pobj"]):
                        nt = self.noun_type(po)
                        if nt[0]:
                            et, key, tok = nt
        if lem == "strike" and et is None:
            et, key = "FIGHT", "strike"
        if et is None:
            # descend: "is expected to build", "were due to hold talks"
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
        et = self._refine(et, key, v, tok)
        tr = self._modal(Trigger(tok, v, et, key), v)
        out = [tr] if tr.event_type else []
        for c in v.children:
            if c.dep_ == "advcl" and c.i not in seen:
                if out and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    continue   # "blocked a highway to demand ...": the motive, not another event
                out.extend(self.clause(c, depth + 1, seen))
        return out

    def _refine(self, et: str, key: str, v, tok) -> str:
        """Subject-dependent readings: protesters blocking roads protest; governments coerce."""
        lex = self.lex
        if et in ("COERCE",) and key.split()[0] in ("block", "blockade", "close", "shut"):
            subj = self.subject(v)
            if subj is not None and (_lem(subj) in lex.protest_actor_nouns and subj.ent_type_ not in ("GPE", "ORG")
                                     or subj.ent_type_ == "NORP" and subj.tag_ in ("NNPS", "NNS")):
                return "PROTEST"
        if et == "PROTEST" and key == "protest":
            subj = self.subject(v)
            if subj is not None and (subj.ent_type_ in ("ORG", "GPE", "PERSON") or _lem(subj) in ("group", "government", "ministry")):
                if not any(c.dep_ in ("dobj",) for c in v.children):
                    return "DISAPPROVE"
        if et in VIOLENT_T:
            et = self.violence_type(et, key, v, tok)
        if et == "RETREAT" and key.startswith("withdraw"):
            objs = {_lem(x) for o in _kids(v, ["dobj"]) for x in o.subtree}
            if objs & {"aid", "inspector", "worker", "ambassador", "diplomat", "observer", "peacekeeping", "peacekeeper", "support", "mediation"}:
                return "SANCTION"
        if et == "CONCEDE" and key == "lift":
            objs = {_lem(x) for o in _kids(v, ["dobj"]) for x in o.subtree}
            if objs & {"blockade", "siege"}:
                return "RETREAT"
        return et

    def violence_type(self, et: str, key: str, v, tok) -> str:
        """ASSAULT (one-sided, unconventional: bombs, killings of civilians or notable persons,
        abductions, torture) vs FIGHT (conventional force: armed clashes, shelling, air strikes,
        wars); violence against protesters is COERCE (repression)."""
        lex = self.lex
        sent = v.sent
        lem = key.split()[0] if key else _lem(tok)
        wc = weapon_classes(sent, lex)
        victims = set()
        for c in v.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                victims |= {_lem(x) for x in c.subtree}
            if c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "into"):
                victims |= {_lem(x) for x in c.subtree}
        for c in tok.children if tok is not v else []:
            if c.dep_ == "prep" and c.lower_ in ("on", "against"):
                victims |= {_lem(x) for x in c.subtree}
        if victims & lex.repression_victim_nouns:
            return "COERCE"      # force against protesters is repression
        if lem in ("bomb", "bombing") and "heavy" in wc:
            return "FIGHT"       # aircraft bombing = air strike
        if key in lex.one_sided_violence or lem in lex.one_sided_violence:
            return "ASSAULT"
        if et == "FIGHT" and lem not in lex.generic_violence:
            return "FIGHT"
        if "explosive" in wc or "primitive" in wc:
            return "ASSAULT"
        if "heavy" in wc or "battle" in wc:
            return "FIGHT"
        words = {_lem(t) for t in sent} | {t.lower_ for t in sent}
        if words & lex.war_cues:
            return "FIGHT"
        if victims & lex.notable_victim_nouns and not victims & lex.military_nouns:
            return "ASSAULT"
        if victims & lex.civilian_nouns and not victims & lex.military_nouns:
            return "ASSAULT"
        return "FIGHT"

    def _reporting_is_event(self, v) -> bool:
        # "announced a suspension of air links", "declared a ceasefire": event-noun object
        lem = _lem(v)
        if lem in ("say", "tell", "report", "add", "write", "claim", "allege", "quote", "think", "believe"):
            return False
        if lem in self.lex.allegation_verbs and lem not in ("accuse", "charge"):
            return False
        if lem in ("accuse", "charge") and _kids(v, ["dobj"]) and not _kids(v, ["ccomp"]):
            return True
        for o in _kids(v, ["dobj"]):
            if self.noun_type(o)[0]:
                return True
        if lem in self.lex.verbs and not _kids(v, ["ccomp", "xcomp", "parataxis"]):
            return True
        return False

    def _reported(self, v, depth, seen) -> list[Trigger]:
        lex = self.lex
        trs: list[Trigger] = []
        subs = _kids(v, ["nsubj", "nsubjpass"])
        speaker = min(subs, key=lambda x: abs(x.i - v.i)) if subs else self.subject(v)
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
            # parser attached the reported clause to the subject ("youths resorted to ..., officials said")
            for c in v.children:
                if c.dep_ in ("nsubj",) and c is not speaker:
                    contents.extend(a for a in _kids(c, ["acl", "relcl"]) if a.i not in seen)
        for c in contents:
            sub = self.clause(c, depth + 1, seen)
            if c.pos_ in ("VERB", "AUX") and self.obligation(c):
                csub = self.subject(c)
                if csub is None or speaker is None or _lem(csub) not in ("we", "i") and csub.i != speaker.i:
                    first = sub[0] if sub else None
                    trs.append(Trigger(c, c, "DEMAND", "must", base_type=first.event_type if first else None))
                    continue
            for t in sub:
                if t.reporter is None and self.is_claim_verb(v):
                    t.reporter = v
                    t.allegation = _lem(v) in lex.allegation_verbs
            trs.extend(sub)
        if not trs:
            for o in _kids(v, ["dobj"]):
                et, key, tok = self.noun_type(o)
                if et:
                    trs.append(Trigger(tok, v, et, key))
        return trs

    def _adjective(self, a, v, depth, seen) -> list[Trigger]:
        lex = self.lex
        lem = _lem(a)
        if lem in lex.intent_adjectives:
            comps = [c for c in a.children if c.dep_ in ("xcomp", "ccomp")]
            for c in comps:
                sub = self.clause(c, depth + 1, seen)
                if sub:
                    base = sub[0]
                    et = "THREATEN" if self.polarity(base.base_type or base.event_type) == "conf" else "AGREE"
                    return [Trigger(a, v, et, lem, base_type=base.event_type, comp=base.token, future=True)]
            if comps and lem in lex.strong_intent and not self.negated(v):
                return [Trigger(a, v, "AGREE", lem, comp=comps[0], future=True)]
            return []
        # "opposed to", "guilty of violating"
        et, key = (lex.verbs.get(lem), lem) if lem in lex.verbs else (None, "")
        if et:
            return [self._modal(Trigger(a, v, et, key), v)]
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
        preps = {c.lower_: c for c in v.children if c.dep_ in ("prep", "prt")}
        if lem == "call":
            if "on" in preps or "for" in preps or "upon" in preps:
                return "DEMAND"
            return None
        if g == "DISAPPROVE":
            return g
        if lem in ("protest", "allow", "permit", "tolerate") and not has_comp:
            return None
        if lem in ("demand", "urge", "order", "insist", "press", "push", "pressure", "ask", "appeal"):
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

    def _governed(self, v, gov: str, depth, seen) -> list[Trigger]:
        lex = self.lex
        lem = _lem(v)
        comp_tr: Trigger | None = None
        comp_tok = None
        comps = [c for c in v.children if c.dep_ in ("xcomp", "ccomp")]
        for c in comps:
            sub = self.clause(c, depth + 1, seen)
            if sub:
                comp_tr = sub[0]
                comp_tok = c
                break
            comp_tok = comp_tok or c
        if comp_tr is None:
            # "called for sanctions", "demanded the withdrawal of", "rejected the proposal", "accused X of Y"
            for c in v.children:
                cands = []
                if c.dep_ in ("dobj",):
                    cands.append(c)
                if c.dep_ in ("prep", "prt"):
                    cands.extend(_kids(c, ["pobj", "pcomp"]))
                for n in cands:
                    if _is_verbal(n):
                        sub = self.clause(n, depth + 1, seen)
                        if sub:
                            comp_tr = sub[0]
                            break
                    et, key, tok = self.noun_type(n)
                    if et:
                        comp_tr = Trigger(tok, v, et, key)
                        break
                if comp_tr:
                    break
        neg = self.negated(v)
        base = comp_tr.event_type if comp_tr else None
        base0 = (comp_tr.base_type or comp_tr.event_type) if comp_tr else None
        mode = None
        if lem == "warn" and comp_tr is None and comps:
            return []
        if gov == "PASS":
            if comp_tr is None:
                return []
            self._inherit_modality(comp_tr, v)
            return [comp_tr]
        if gov == "INTENT":
            pol = self.polarity(base0)
            if neg:
                et = "REJECT" if pol != "conf" else None
            elif comp_tr is not None and comp_tr.negated and pol == "coop":
                et = "REJECT"
            else:
                et = "THREATEN" if pol == "conf" else "AGREE"
            if pol is None and lem not in self.lex.strong_intent:
                return []
            if et is None:
                return []
            if lem in ("expect",) and comp_tr is not None:
                # "talks are expected to build on ..." -> the complement event itself
                return [comp_tr]
            return [Trigger(v, v, et, lem, base_type=base, comp=comp_tr.token if comp_tr else None, future=True)]
        if gov == "AGREE":
            et = "REJECT" if neg else "AGREE"
        elif gov == "REJECT":
            et = "REJECT"
            if neg:
                return []
        elif gov == "THREATEN":
            et = "THREATEN"
        elif gov == "DEMAND":
            et = "DEMAND"
            # "called for sanctions against X", "urged Arabs to mobilize against X": disapproval of X
            scope = list(comp_tr.token.subtree) if comp_tr is not None else []
            scope += [t for c in v.children if c.dep_ in ("prep", "xcomp", "ccomp", "advcl") for t in c.subtree]
            if lem in ("call", "urge", "appeal") and any(t.lower_ == "against" for t in scope):
                et = "DISAPPROVE"
        elif gov == "DISAPPROVE":
            et = "DISAPPROVE"
            if lem in ("accuse", "blame", "charge"):
                mode = "accuse"
        elif gov == "CONCEDE":
            et = "REJECT" if neg else "CONCEDE"
        elif gov == "PROTEST":
            et = "PROTEST"
        else:
            et = gov
        tr = Trigger(v, v, et, lem, base_type=base, mode=mode, comp=comp_tr.token if comp_tr else None, negated=neg)
        if gov in ("AGREE", "DEMAND", "DISAPPROVE", "CONCEDE") and self.future(v) and not neg:
            # "will agree" stays AGREE; a future demand is still a demand
            tr.future = True
        if gov == "DISAPPROVE" and self.negated(v):
            return []
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
                    if po.pos_ == "VERB":
                        vt = self.verb_type(po)
                        if vt[0]:
                            return vt[0], vt[1], po
                        continue
                    r = self.noun_type(po)
                    if r[0]:
                        return r
        # "issued a declaration demanding that ..."
        for c in v.children:
            if c.dep_ in ("dobj",) and _lem(c) in self.lex.reporting_nouns:
                for a in _kids(c, ["acl"]):
                    sub = self.clause(a, 1, set())
                    if sub:
                        return sub[0].event_type, sub[0].key, sub[0].token
        return None, "", None

    def _subject_noun(self, v) -> tuple[str | None, str, Any]:
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                r = self.noun_type(c)
                if r[0]:
                    return r
        return None, "", None

    def _arg_nouns(self, v) -> list[Trigger]:
        """Event nouns among the arguments of a non-event verb."""
        trs = []
        cand = []
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd"):
                cand.append(c)
            elif c.dep_ in ("prep", "agent"):
                cand.extend(_kids(c, ["pobj"]))
        for n in cand:
            et, key, tok = self.noun_type(n)
            if et and key not in self.lex.noun_needs_context:
                trs.append(self._modal(Trigger(tok, v, et, key), v))
        return [t for t in trs if t.event_type]


def weapon_classes(span, lex: Lexicon) -> set[str]:
    """Weapon / combat classes mentioned in a span: 'heavy', 'explosive', 'firearm', 'primitive', 'battle'."""
    words = [t.lower_ for t in span]
    lems = [_lem(t) for t in span]
    bag = set(words) | set(lems)
    bigrams = {f"{a} {b}" for a, b in zip(lems, lems[1:])} | {f"{a} {b}" for a, b in zip(words, words[1:])}
    trigrams = {f"{a} {b} {c}" for a, b, c in zip(lems, lems[1:], lems[2:])}
    found = set()
    for cls, vocab in lex.weapons.items():
        if vocab & bag or vocab & bigrams:
            found.add(cls)
    if lex.battle_cues & (bag | bigrams | trigrams):
        found.add("battle")
    # a military "strike" counts as heavy only when not a labour strike
    if "strike" in bag and "heavy" in found and not (vocab_hit := (lex.weapons["heavy"] - {"strike"}) & (bag | bigrams)):
        if lex.strike_protest_cues & bag:
            found.discard("heavy")
    return found


@lru_cache(maxsize=4)
def _typer(path: str) -> _Typer:
    return _Typer(_load_lexicon(path))


def sentence_triggers(sent, lexicon_path: Path | None = None) -> list[Trigger]:
    """All triggers of a sentence, the main (root-most) one first."""
    typer = _typer(str(lexicon_path or LEXICON_PATH))
    root = sent.root
    trs = [t for t in typer.clause(root) if t.event_type]
    # dedupe by trigger token
    seen, out = set(), []
    for t in trs:
        k = (t.token.i, t.event_type)
        if k not in seen:
            seen.add(k)
            out.append(t)
    return out


def classify_sentence(sent, lexicon_path: Path | None = None) -> Trigger | None:
    trs = sentence_triggers(sent, lexicon_path)
    return trs[0] if trs else None


# =========================================================================== extraction
EVENT_COLUMNS = [
    "event_id", "doc_id", "event_type", "event_mode", "acled_type", "actor1", "actor2", "location",
    "event_date", "date_precision", "date_text", "killed", "killed_low", "killed_high", "wounded",
    "wounded_low", "wounded_high", "victim_side", "claimed_by", "disputed", "scope", "evidence",
    "start_char", "end_char",
]

_PRONOUNS = frozenset({"it", "its", "they", "their", "them", "he", "his", "she", "her", "we", "our", "i"})
_GENERIC_OFFICIAL = frozenset({
    "official", "officials", "authority", "authorities", "government", "ministry", "army", "military",
    "governor", "administration", "police", "spokesman", "spokeswoman", "spokesperson", "staff",
    "command", "forces", "force", "mission", "office", "minister", "president", "commander",
    "president", "leadership", "council", "parliament", "junta", "cabinet", "prosecutor",
})
_REGION_NOUNS = frozenset({"region", "territory", "enclave", "republic", "province", "area", "state"})
_STATE_TYPES = frozenset({"state", "government", "armed_force", "de_facto_authority"})


@dataclass
class _Ent:
    start: int
    end: int
    canonical: str
    actor_type: str | None
    role: str | None
    label: str | None
    country_code: str | None
    text: str


def _wrap_entities(entities) -> list[_Ent]:
    out = []
    for e in entities or []:
        canon = getattr(e, "canonical_name", None)
        if not canon or getattr(e, "label", None) in ("CARDINAL", "ORDINAL", "DATE", "TIME", "MONEY",
                                                       "QUANTITY", "PERCENT"):
            continue
        out.append(_Ent(int(e.start_char), int(e.end_char), canon, getattr(e, "actor_type", None),
                        getattr(e, "role", None), getattr(e, "label", None), getattr(e, "country_code", None),
                        getattr(e, "text", "")))
    out.sort(key=lambda x: (x.start, -x.end))
    return out


@lru_cache(maxsize=1)
def _gazetteer():
    try:
        from pipeline.lib.gazetteer import load_gazetteer
        return load_gazetteer()
    except Exception:  # pragma: no cover - no gazetteer data: sides stay the entity names
        return None


_SIDE_TYPES = frozenset({"state", "de_facto_authority"})


def side_of(name: str | None, surface: str | None = None) -> str | None:
    """The side (state or de facto authority) an actor belongs to, read from its surface form:
    "Azerbaijan's defense ministry" -> Azerbaijan, "Karabakh's armed forces" -> Nagorno-Karabakh,
    "Russian peacekeepers" -> Russia.  Persons and organisations without such a word keep their name."""
    if not name:
        return name
    gaz = _gazetteer()
    if gaz is None:
        return name
    entry = gaz.get(name)
    if entry is not None and entry.actor_type in _SIDE_TYPES:
        return name
    if entry is not None and entry.governs:
        return entry.governs
    words = re.findall(r"[\w\-]+", (surface or "").replace("\u2019", "'"))
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            e = gaz.lookup(" ".join(words[i:i + n]))
            if e is not None and e.actor_type in _SIDE_TYPES:
                return e.canonical_name
            if e is not None and e.governs and e.actor_type == "government":
                return e.governs
    return name


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    """ISO3 -> canonical name of the state, from the shipped gazetteer (empty if unavailable)."""
    try:
        from pipeline.lib.gazetteer import load_gazetteer
        gaz = load_gazetteer()
    except Exception:  # pragma: no cover - gazetteer missing or broken: no country fallback
        return {}
    out: dict[str, str] = {}
    for e in gaz.entries:
        if e.actor_type == "state" and e.country_code and e.country_code not in out:
            out[e.country_code] = e.canonical_name
    return out


class _DocCtx:
    """Per-document helpers: entity lookup by token, coreference memory."""

    def __init__(self, doc, entities, lex: Lexicon):
        self.doc = doc
        self.lex = lex
        self.ents = _wrap_entities(entities)
        self.tok_ent: dict[int, _Ent] = {}
        for e in self.ents:
            span = doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                cur = self.tok_ent.get(t.i)
                if cur is None or (cur.end - cur.start) < (e.end - e.start):
                    self.tok_ent[t.i] = e
        for sent in doc.sents:
            for i in _dateline_tokens(sent):
                self.tok_ent.pop(i, None)
        self.last_actor: str | None = None
        self.last_claimant: str | None = None
        self.last_region: str | None = None

    # -------------------------------------------------------------- entities
    def ent_of(self, tok) -> _Ent | None:
        return self.tok_ent.get(tok.i)

    def actor_in(self, tok, allow_place: bool = False) -> str | None:
        """Canonical actor named by the phrase headed by tok (closest entity in the tree)."""
        if tok is None:
            return None
        best, best_score = None, None
        for t in tok.subtree:
            e = self.ent_of(t)
            if e is None:
                continue
            if not allow_place and e.role == "place":
                continue
            # path from t up to tok
            depth, h, penalty = 0, t, 0
            ok = True
            while h.i != tok.i:
                if h.dep_ in ("relcl", "acl", "advcl", "ccomp", "appos", "conj") and h.head.i != tok.i or \
                        h.pos_ == "VERB" and h.dep_ in ("amod",) or h.dep_ == "relcl":
                    ok = False
                    break
                if h.dep_ == "pobj" and h.head.lower_ not in ("of",):
                    penalty += 2
                h = h.head
                depth += 1
                if depth > 6:
                    ok = False
                    break
            if not ok:
                continue
            # a verb-headed modifier ("Armenian-backed") names someone else
            if any(a.pos_ == "VERB" and a.i != tok.i and a.i in {x.i for x in tok.subtree} for a in t.ancestors
                   if a.i in {x.i for x in tok.subtree}):
                continue
            score = depth + penalty
            if best_score is None or score < best_score:
                best, best_score = e, score
        if best is not None:
            return best.canonical
        return None

    def antecedent(self, tok) -> str | None:
        """he/she -> the last person named before; it/they/its -> the last non-person actor."""
        person = tok.lower_ in ("he", "she", "his", "her")
        cands = []
        for e in reversed(self.ents):
            if e.start >= tok.idx:
                continue
            if e.role == "place" and e.actor_type not in _STATE_TYPES:
                continue
            if person == (e.actor_type == "person"):
                cands.append(e)
        if not cands:
            return None
        # salience: the most recent subject among the mentions of the last two sentences
        sent_start = tok.sent.start_char
        prev_start = self.doc[tok.sent.start - 1].sent.start_char if tok.sent.start > 0 else sent_start
        for e in cands:
            if e.start < prev_start:
                break
            span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                return e.canonical
        return cands[0].canonical

    def region_before(self, idx: int) -> str | None:
        best = None
        for e in self.ents:
            if e.start >= idx:
                break
            if e.actor_type == "de_facto_authority" or (e.role == "place" and e.actor_type not in ("state",)):
                best = e.canonical
        return best



# ---------------------------------------------------------------- small parse helpers
def _dateline_tokens(sent) -> list[int]:
    """'KYIV, March 3 (Reuters) - ...', 'YEREVAN — ...': the dateline before the first dash."""
    toks = list(sent)[:12]
    for j, t in enumerate(toks):
        if t.text in ("-", "\u2014", "\u2013", "--") and j > 0:
            head = toks[:j]
            if any(x.text.isupper() and len(x.text) > 2 for x in head) or any(x.text == "(" for x in head):
                return [x.i for x in head]
            return []
    return []


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
        return bool(aux & {"has", "have", "had", "was", "were", "been"}) or not aux
    return False


def _is_headline(sent) -> bool:
    if sent.start != 0 and not (sent.start > 0 and "\n\n" in sent.doc[sent.start - 1].text_with_ws):
        return False
    txt = sent.text.strip()
    first_line = txt.split("\n", 1)[0].strip()
    return sent.start == 0 and bool(first_line) and first_line[-1] not in ".!?\"”'’:" and len(first_line.split()) >= 3


# ---------------------------------------------------------------- the extractor
class _Extractor:
    def __init__(self, doc, entities, doc_id: str, published: date | None, lex: Lexicon):
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds Doc.text from the tokens on every access: keep it once
        self.doc_id = doc_id
        self.published = published
        self.lex = lex
        self.typer = _typer(str(LEXICON_PATH))
        self.ctx = _DocCtx(doc, entities, lex)
        self.rows: list[dict] = []
        self.last_date: date | None = None
        self.last_precision: str | None = None
        self.last_date_text: str | None = None
        self.sent_rows: list[list[dict]] = []

    # -------------------------------------------------------------- lazy imports of sibling modules
    @staticmethod
    def _dates_mod():
        from pipeline.lib import dates
        return dates

    @staticmethod
    def _cas_mod():
        from pipeline.lib import casualties
        return casualties

    # -------------------------------------------------------------- claimant
    def side_name(self, canonical: str) -> str:
        """Institutions (ministries, armies, capitals) speak for their side; persons and
        organisations keep their own name."""
        for e in self.ctx.ents:
            if e.canonical == canonical:
                if e.actor_type == "government":
                    names = _state_names()
                    if e.country_code and e.country_code in names:
                        return names[e.country_code]
                    return side_of(canonical, e.text) or canonical
                if e.actor_type == "armed_force":
                    return side_of(canonical, e.text) or canonical
                return canonical
        return canonical

    def claimant_of_phrase(self, tok) -> str | None:
        ctx = self.ctx
        if tok is None:
            return None
        if tok.lower_ in _PRONOUNS:
            return ctx.antecedent(tok) or ctx.last_claimant or ctx.last_actor
        a = ctx.actor_in(tok)
        if a:
            return self.side_name(a)
        # "officials in the breakaway region": the nearest region/authority named before
        for t in tok.subtree:
            if _lem(t) in _REGION_NOUNS:
                r = ctx.region_before(tok.idx)
                if r:
                    return r
        head = _lem(tok)
        # "a spokesman for the provincial police" -> the police
        if head in self.lex.title_nouns:
            for po in _prep_objs(tok, ["for", "of"]):
                r = self.claimant_of_phrase(po)
                if r:
                    return r
        # "the group said": the armed group / organisation named before
        if head in ("group", "movement", "organisation", "organization", "militia", "outfit", "faction"):
            for e in reversed(ctx.ents):
                if e.start < tok.idx and e.actor_type in ("armed_force", "organisation") and e.role != "place":
                    return e.canonical
        if head in _GENERIC_OFFICIAL or tok.lower_ in _GENERIC_OFFICIAL:
            self._generic_claimant = self._generic_text(tok)
            return "__official__"
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        return self._generic_text(tok) or None

    def _generic_text(self, tok) -> str:
        mods = [c for c in tok.children if (c.dep_ in ("amod", "compound") or c.dep_ == "poss" and c.pos_ == "NOUN")
                and c.i < tok.i
                and c.lower_ not in ("local", "senior", "several", "some", "many", "other", "top", "two", "unnamed",
                                     "anonymous", "a", "the")]
        return " ".join([m.lower_ for m in mods] + [tok.lower_])

    def claimed_by(self, tr: Trigger, sent) -> str | None:
        rep = tr.reporter
        if rep is not None:
            subs = [c for c in rep.children if c.dep_ in ("nsubj",)]
            if _lem(rep) in ("quote",):
                subs = [c for c in rep.children if c.dep_ == "nsubjpass"] or subs
            ag = _agent(rep)
            if ag is not None:
                subs = [ag]
            if subs:
                subj = min(subs, key=lambda x: abs(x.i - rep.i))
                return self.claimant_of_phrase(subj)
        # "according to X"
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                objs = [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"] or \
                       [c for c in t.children if c.dep_ == "pobj"]
                if not objs:
                    for c in t.children:
                        if c.dep_ == "prep":
                            objs.extend(po for po in c.children if po.dep_ == "pobj")
                if objs:
                    return self.claimant_of_phrase(objs[0])
        # "In a statement, X said": reporting noun heads handled via reporter; "claims by X of ..."
        if tr.claim_noun is not None:
            ag = _agent(tr.claim_noun)
            if ag is not None:
                return self.claimant_of_phrase(ag)
        return None

    # -------------------------------------------------------------- actors
    def actors(self, tr: Trigger, sent) -> tuple[str | None, str | None]:
        ctx = self.ctx
        tok, head = tr.token, tr.head
        a1 = a2 = None
        if tok.pos_ in ("NOUN", "PROPN") and tok is not head:
            # noun trigger: possessor / nationality modifier / "by X" / "between A and B"
            for c in tok.children:
                if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
                    e = ctx.actor_in(c)
                    if e:
                        a1 = e
            ag = _agent(tok)
            if ag is not None and a1 is None:
                a1 = ctx.actor_in(ag)
            for po in _prep_objs(tok, ["between"]):
                sides = [ctx.actor_in(x) for x in _conjuncts(po)]
                sides = [s for s in sides if s]
                if sides:
                    a1 = a1 or sides[0]
                    if len(sides) > 1:
                        a2 = sides[1]
            for po in _prep_objs(tok, ["with", "against", "on", "of"]):
                if a2 is None:
                    x = ctx.actor_in(po)
                    if x and x != a1:
                        a2 = x
            if a1 is None and _is_verbal(head) and tok.dep_ not in ("nsubj", "nsubjpass"):
                subj = _subject(head)
                if subj is not None:
                    names = [ctx.actor_in(x) or self._weapon_owner(x) for x in _conjuncts(subj)]
                    if subj.lower_ in _PRONOUNS:
                        names = [ctx.antecedent(subj)]
                    names = [n for n in names if n]
                    if names:
                        a1 = names[0]
                        if len(names) > 1 and a2 is None:
                            a2 = names[1]
        else:
            v = tok if _is_verbal(tok) or tok.pos_ == "ADJ" else head
            if tr.event_type in ("THREATEN", "AGREE", "DEMAND", "DISAPPROVE", "REJECT") and tok is not head:
                v = head
            ag = _agent(v)
            if ag is not None:
                a1 = ctx.actor_in(ag) or self._weapon_owner(ag)
                ps = _passive_subject(v)
                if ps is not None:
                    a2 = ctx.actor_in(ps)
            else:
                subj = _subject(v)
                if subj is None and v.dep_ in ("xcomp",):
                    subj = _subject(v.head)
                if subj is not None:
                    subs = _conjuncts(subj)
                    names = [ctx.actor_in(s) or self._weapon_owner(s) for s in subs]
                    if subj.lower_ in _PRONOUNS:
                        names = [ctx.antecedent(subj)]
                    elif not any(names):
                        poss = next((c for c in subj.children if c.dep_ == "poss" and c.lower_ in _PRONOUNS), None)
                        if poss is not None:
                            names = [self.side_name(x) if x else x for x in [ctx.antecedent(poss)]]
                    names = [n for n in names if n]
                    if names:
                        a1 = names[0]
                        if len(names) > 1:
                            a2 = names[1]
                    ps = _passive_subject(v)
                for o in [c for c in v.children if c.dep_ in ("dobj", "dative")]:
                    if a2 is None:
                        x = ctx.actor_in(o)
                        if x and x != a1:
                            a2 = x
                if a2 is None:
                    for po in _prep_objs(v, ["with", "against", "on", "to", "between", "from", "at", "toward", "towards", "into"]):
                        x = ctx.actor_in(po)
                        if x and x != a1:
                            a2 = x
                            break
                if a2 is None and tr.comp is not None:
                    cs = _subject(tr.comp) if _is_verbal(tr.comp) else None
                    for o in ([cs] if cs is not None else []) + [c for c in tr.comp.children if c.dep_ in ("dobj",)]:
                        x = ctx.actor_in(o)
                        if x and x != a1:
                            a2 = x
                            break
            # noun object of a light verb: "carried out strikes", "held talks with X"
            if tok is not head and tok.pos_ in ("NOUN", "PROPN"):
                for po in _prep_objs(tok, ["with", "against", "on", "between"]):
                    x = ctx.actor_in(po)
                    if x and x != a1 and a2 is None:
                        a2 = x
        a1 = self._title_holder(tr, a1) or a1
        if a1 is not None and a1 == a2:
            a2 = None
        return a1, a2

    def _title_holder(self, tr: Trigger, a1):
        """'Azerbaijan's defense minister talked tough ...' followed by '..., Zakir Hasanov told CBC':
        a title without a name is the person quoted next (within two sentences)."""
        head = tr.head if _is_verbal(tr.head) else None
        subj = _subject(head) if head is not None else None
        if subj is None or _lem(subj) not in self.lex.title_nouns or subj.tag_ in ("NNS", "NNPS"):
            return None
        if not any(self.ctx.ent_of(c) is not None for c in subj.children if c.dep_ in ("poss", "compound", "amod", "nmod")):
            return None
        for t in subj.subtree:
            e = self.ctx.ent_of(t)
            if e is not None and e.actor_type == "person":
                return e.canonical
        sent = tr.token.sent
        doc = self.doc
        nxt = doc[sent.end:min(len(doc), sent.end + 120)]
        n_sents = 0
        for t in nxt:
            if t.is_sent_start:
                n_sents += 1
                if n_sents > 2:
                    break
            if _lem(t) in self.lex.reporting_verbs and _is_verbal(t):
                for c in t.children:
                    if c.dep_ == "nsubj":
                        for x in c.subtree:
                            e = self.ctx.ent_of(x)
                            if e is not None and e.actor_type == "person":
                                return e.canonical
        return None

    def _perpetrator_fallback(self, tr: Trigger, sent, cas):
        """'killed after Azerbaijan carried out strikes', 'in a major Azerbaijani attack', 'by firing
        from Karabakhi positions': the side named with the attack, outside the victims' words."""
        ctx = self.ctx
        victim_toks: set[int] = set()
        for m in cas:
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                victim_toks |= {t.i for t in span}
        rep = tr.reporter
        speaker_toks = {t.i for c in rep.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree} if rep is not None else set()
        for other in sentence_triggers(sent):
            if other is not tr and other.event_type in VIOLENT:
                v = other.head if _is_verbal(other.head) else other.token
                subj = _subject(v)
                if subj is not None and subj.i not in victim_toks:
                    x = ctx.actor_in(subj)
                    if x:
                        return x
        weapons = set().union(*self.lex.weapons.values())
        for t in sent:
            if t.i in victim_toks or t.i in speaker_toks:
                continue
            nt = self.typer.noun_type(t)[0] if t.pos_ == "NOUN" else None
            if nt in VIOLENT or _lem(t) in weapons or t.lower_ in weapons:
                own = [c for c in t.children if c.dep_ in ("amod", "poss", "compound", "nmod")]
                for p in t.children:
                    if p.dep_ in ("prep", "agent") and p.lower_ in ("by", "from"):
                        own.extend(p.subtree)
                for c in own:
                    if c.i in victim_toks or c.i in speaker_toks:
                        continue
                    e = ctx.ent_of(c)
                    if e is None or e.role == "place":
                        continue
                    # "Azerbaijani attack", "Azerbaijan's attack", "attack by X", "firing from X positions";
                    # not a conflict's name ("the Nagorno-Karabakh conflict")
                    via_by = c.dep_ not in ("amod", "poss", "compound", "nmod") or c.head.i != t.i
                    if e.label == "NORP" or c.dep_ == "poss" or via_by:
                        return side_of(e.canonical, e.text) if e.actor_type in ("government", "armed_force") else e.canonical
        return None

    def _weapon_owner(self, tok):
        """'Russian missiles', 'firing from Karabakhi Armenian positions' -> nationality of the modifier."""
        for t in tok.subtree:
            e = self.ctx.ent_of(t)
            if e is not None and e.role != "place":
                return e.canonical
        return None

    # -------------------------------------------------------------- location
    def location(self, tr: Trigger, sent, used: set[str]) -> str | None:
        ctx = self.ctx
        cands: list[tuple[int, _Ent]] = []
        tok, head = tr.token, tr.head
        anchors = {tok.i, head.i}
        for t in sent:
            e = ctx.ent_of(t)
            if e is None or e.role != "place":
                continue
            if t.i > 0 and ctx.ent_of(t.doc[t.i - 1]) is e and t.doc[t.i - 1].i >= sent.start:
                continue  # score an entity once (first token)
            score = 10
            h = t
            steps = 0
            locative = False
            anchored = False
            while h.head.i != h.i and steps < 8:
                if h.dep_ == "pobj" and h.head.lower_ in ("in", "near", "at", "around", "outside", "inside", "across", "along", "on", "into", "to", "from", "over"):
                    score -= 3
                    locative = True
                elif h.dep_ == "pobj" and h.head.lower_ == "of" and _lem(h.head.head) in self.lex.place_nouns:
                    pass    # "the city of Kharkiv": keep climbing to "in the city"
                elif h.dep_ == "pobj" and not locative:
                    break   # "amid the Lachin dispute", "since the war": not where it happened
                if h.head.i in anchors:
                    score -= 4
                    anchored = True
                    break
                if h.head.pos_ == "NOUN" and self.typer.noun_type(h.head)[0] and h.head.i not in anchors:
                    break   # a place of another event noun ("the war for control of the region")
                h = h.head
                steps += 1
            if not (anchored or (locative and t.sent.root.i in anchors)):
                if not locative:
                    continue
            if t.dep_ in ("nsubj", "poss") or any(a.dep_ in ("poss",) for a in t.ancestors if a.i in range(sent.start, sent.end)):
                score += 3
            if e.canonical in used:
                score += 2
            cands.append((score, e))
        if not cands:
            return None
        cands.sort(key=lambda x: (x[0], x[1].start))
        return cands[0][1].canonical

    # -------------------------------------------------------------- dates
    @staticmethod
    def _main_clause(tr: Trigger, sent) -> bool:
        h = tr.head
        root = sent.root
        if h.i == root.i:
            return True
        chain = [h] + list(h.ancestors)
        for a in chain:
            if a.i == root.i:
                return True
            if a.dep_ not in ("ccomp", "conj", "parataxis", "xcomp", "advcl") and a.i != h.i:
                return False
            if a.dep_ in ("relcl", "acl", "pcomp", "pobj"):
                return False
        return False

    def pick_date(self, tr: Trigger | None, sent, mentions) -> Any:
        """The mention dating the event: inside the trigger clause first; never a 'since' period."""
        if not mentions:
            return None
        base = sent.start_char
        def toks(m):
            span = self.doc.char_span(base + m.start, base + m.end, alignment_mode="expand")
            return list(span) if span is not None else []
        text = sent.text
        def deadline(m):
            before = text[:m.start].rstrip().rsplit(None, 1)
            return bool(before) and before[-1].lower() in self.lex.deadline_words
        def dateline(m):
            # "KRAMATORSK, January 8, 2023 — A drone attack ... on Saturday": the dateline dates the
            # report, not the event, whenever the sentence states another date
            return m.start < 60 and text[m.end:m.end + 4].lstrip()[:1] in ("—", "–", "-", "(")
        good = [m for m in mentions if m.value is not None and m.kind != "since" and not m.is_period and not deadline(m)]
        if len(good) > 1 and dateline(good[0]):
            good = good[1:]
        if not good:
            return None
        if tr is not None:
            head = tr.head
            clause = {t.i for t in head.subtree}
            own = [m for m in good if any(t.i in clause for t in toks(m))]
            # exclude mentions inside "since ..." PPs ("the first time since the 2020 war")
            def under_since(m):
                for t in toks(m):
                    for a in t.ancestors:
                        if a.lower_ == "since" and a.dep_ in ("prep", "mark"):
                            return True
                        if a.i == head.i:
                            break
                return False
            own = [m for m in own if not under_since(m)]
            if own:
                return own[0]
            rest = [m for m in good if not under_since(m)]
            if tr.key == "casualties" and not self._main_clause(tr, sent) and len(rest) != 1:
                return None   # a background toll ("in the wake of the execution of X") keeps no date
            return rest[0] if rest else None
        return good[0]

    # -------------------------------------------------------------- casualties
    def casualties(self, sent, denial_scope: set[int]):
        try:
            cas = self._cas_mod().extract_casualties(sent)
        except ImportError:
            return []
        out = []
        for m in cas:
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None and any(t.i in denial_scope for t in span):
                continue
            out.append(m)
        return out

    def victim_side(self, mentions, claimant, actor1, sent) -> str | None:
        ctx = self.ctx
        side = None
        for m in mentions:
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                for t in span:
                    e = ctx.ent_of(t)
                    if e is not None and e.role != "place":
                        side = side_of(e.canonical, e.text) if e.actor_type in ("government", "armed_force") else e.canonical
                        break
                    if t.lower_ in ("its", "their", "our") and t.dep_ == "poss":
                        side = claimant if claimant and not claimant.startswith("__") else None
                        break
            if side is None and m.victim_side_hint:
                hint = m.victim_side_hint
                for e in ctx.ents:
                    if e.text.lower() == str(hint).lower() or e.canonical.lower() == str(hint).lower():
                        side = e.canonical
                        break
                if side is None and hint.lower() in ("its", "their", "our"):
                    side = claimant if claimant and not claimant.startswith("__") else None
            if side:
                break
        if side and claimant and side == claimant:
            pass
        # a party reporting losses inflicted by the other side reports its own losses
        if side is None and actor1 is not None:
            country = self._place_country(sent)
            if country and country != actor1 and country != side_of(actor1):
                side = country
        if claimant and not claimant.startswith("__") and actor1 and claimant != actor1 and \
                self._claimant_is_party(claimant):
            if side is None or side != actor1:
                side = claimant if side is None or self._loose_same_side(side, claimant) else side
        return side

    def _claimant_is_party(self, name: str) -> bool:
        for e in self.ctx.ents:
            if e.canonical == name:
                return e.actor_type in _STATE_TYPES
        return False

    def _loose_same_side(self, side: str, claimant: str) -> bool:
        """'Armenian' servicemen reported by the de facto authority: the claimant speaks for them
        unless the victims' nationality is itself a state party named as such in the document."""
        ents = {e.canonical: e for e in self.ctx.ents}
        s, c = ents.get(side), ents.get(claimant)
        if s is None or c is None:
            return True
        return c.actor_type == "de_facto_authority" or s.actor_type not in _STATE_TYPES

    # -------------------------------------------------------------- denials and disputes
    def denials(self, sent) -> list[tuple[Any, str | None]]:
        """(denial verb token, denier) for every denial of a claim in the sentence."""
        lex = self.lex
        out = []
        for t in sent:
            lem = _lem(t)
            if lem in lex.denial_verbs and _is_verbal(t):
                objs = [c for c in t.children if c.dep_ in ("dobj", "ccomp", "xcomp", "pcomp")]
                claimish = False
                for o in objs:
                    if o.dep_ in ("ccomp", "xcomp", "pcomp") or _is_verbal(o):
                        claimish = lem in ("deny", "dispute", "contradict", "refute")
                    elif _lem(o) in lex.denial_objects or _lem(o) in lex.claim_nouns or _lem(o) in ("figure", "toll", "number"):
                        claimish = True
                if t.dep_ == "relcl" and (_lem(t.head) in lex.claim_nouns or _lem(t.head) in lex.denial_objects
                                          or _lem(t.head) in ("figure", "toll", "number", "charge")):
                    claimish = True
                if t.dep_ in ("advcl", "acl") and lem in ("contradict", "dispute"):
                    claimish = True
                if lem == "deny" and t.dep_ in ("ROOT", "conj", "ccomp", "advcl"):
                    # "denied striking civilian areas", "denied the claims"; not "denied access / entry"
                    if not any(_lem(o) in ("access", "entry", "permission", "visa", "request", "application",
                                           "passage", "bail", "asylum", "allocation", "land", "admission")
                               for o in objs):
                        claimish = True
                if not claimish:
                    continue
                subj = None
                for c in t.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        subj = c
                if subj is None and t.dep_ in ("conj",):
                    subj = _subject(t.head)
                denier = self.claimant_of_phrase(subj) if subj is not None else None
                if denier == "__official__":
                    denier = None
                out.append((t, denier))
            # "while Moscow blamed Ukraine for the attack": counter-blame in the same sentence
            if lem in ("blame",) and t.dep_ in ("advcl", "conj") and any(
                    c.dep_ == "mark" and c.lower_ in ("while", "whereas", "but") for c in t.children):
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                out.append((t, self.claimant_of_phrase(subj) if subj is not None else None))
        return out

    # -------------------------------------------------------------- one sentence
    def sentence(self, si: int, sent, prev_rows: list[list[dict]]) -> list[dict]:
        lex = self.lex
        ctx = self.ctx
        trs = sentence_triggers(sent)
        denials = self.denials(sent)
        denial_verbs = {d[0].i for d in denials}
        denial_scope: set[int] = set()
        for dv, _ in denials:
            for c in dv.children:
                if c.dep_ in ("ccomp", "xcomp", "pcomp", "dobj"):
                    denial_scope |= {x.i for x in c.subtree}
        cas = self.casualties(sent, denial_scope)

        # mentions and dates
        try:
            mentions = self._dates_mod().find_dates(sent.text, self.published, self.last_date)
        except ImportError:
            mentions = []

        # ---- anaphoric event nouns ("the clashes", "the talks") refer back to an earlier event
        for tr in trs:
            tok = tr.token
            if tok.pos_ in ("NOUN", "PROPN") and not cas and any(
                    c.dep_ == "det" and c.lower_ in lex.anaphoric_determiners for c in tok.children) and \
                    not any(c.dep_ == "nummod" for c in tok.children) and not any(
                    c.dep_ in ("amod",) and c.lower_ in ("new", "fresh", "latest", "renewed", "first") for c in tok.children):
                fam = VIOLENT if tr.event_type in VIOLENT else {tr.event_type}
                if any(r["event_type"] in fam for rows_ in prev_rows for r in rows_):
                    tr.anaphoric = True

        # ---- choose the events of this sentence
        events: list[tuple[Trigger, int]] = []   # (trigger, count)
        violent_done = False
        kinds_seen: set[str] = set()
        for tr in trs:
            if tr.token.i in denial_scope and tr.token.i not in denial_verbs:
                continue  # the denied content is not an event
            if self._hypothetical(tr) or self._under_cognition(tr):
                continue
            if tr.event_type == "SUPPORT" and _passive_subject(tr.head) is not None and _agent(tr.head) is None:
                continue  # "is internationally recognized as": a state, not an act
            et = tr.event_type
            if tr.anaphoric:
                continue
            if et in VIOLENT:
                if violent_done:
                    continue
                violent_done = True
            # allegations without a concrete incident are accusations
            if tr.allegation and et in lex.conflict and et not in ("DISAPPROVE", "REJECT", "DEMAND", "THREATEN") \
                    and not cas and tr.reporter is not None:
                speaker = _subject(tr.reporter)
                csub = _subject(tr.head) if _is_verbal(tr.head) else None
                if csub is None or speaker is None or csub.lower_ not in ("it", "we", "they") and \
                        ctx.actor_in(csub) != ctx.actor_in(speaker):
                    if _lem(tr.token) not in ("shoot", "wound", "kill", "attack", "shell", "fire", "injure", "strike"):
                        tr.base_type, tr.event_type, tr.mode = et, "DISAPPROVE", "accuse"
                        et = "DISAPPROVE"
            if et in kinds_seen and et not in VIOLENT:
                continue
            kinds_seen.add(et)
            n = self._count(tr)
            if n > 1 and et in VIOLENT and any(m.kind in ("killed", "wounded") for m in cas):
                n = 1   # "two attacks killed five": one row keeps the toll rather than losing it
            events.append((tr, n))
        if cas and not violent_done:
            # "X said four soldiers were killed": the casualty report is the violent event
            lethal = [m for m in cas if m.kind in ("killed", "wounded")] or cas
            span = self.doc.char_span(lethal[0].start_char, lethal[0].end_char, alignment_mode="expand")
            tok = span.root if span is not None else sent.root
            head = tok
            while not _is_verbal(head) and head.head.i != head.i:
                head = head.head
            et = self.typer.violence_type("ASSAULT", "kill", head if _is_verbal(head) else sent.root, head)
            rep = None
            for a in [head] + list(head.ancestors):
                if self.typer.is_reporting(a) and a.i != head.i:
                    rep = a
                    break
            tr = Trigger(head if _is_verbal(head) else tok, head, et, "casualties", reporter=rep,
                         allegation=rep is not None and _lem(rep) in lex.allegation_verbs)
            main_clause = head.i == sent.root.i or (head.dep_ in ("ccomp", "conj", "parataxis") and
                                                    head.head.i == sent.root.i)
            if et in VIOLENT or et == "COERCE":
                events.insert(0 if main_clause else len(events), (tr, 1))
            violent_done = True
        # violent events first when they carry casualties of the main clause
        if cas:
            def _rank(x):
                t = x[0]
                if t.event_type not in VIOLENT:
                    return 1
                h = t.head
                return 0 if (h.i == sent.root.i or h.head.i == sent.root.i or t.key == "casualties") else 2
            events.sort(key=_rank)

        rows: list[dict] = []
        k = 0
        for tr, count in events:
            row = self.make_row(si, sent, tr, cas if tr.event_type in VIOLENT else [], mentions, denials)
            if row is None:
                continue
            if tr.event_type in VIOLENT and row["actor1"] is None:
                # "four servicemen were killed after Azerbaijan carried out strikes": the perpetrator
                # is named by another violent clause of the sentence
                for other in trs:
                    if other is not tr and other.event_type in VIOLENT:
                        a1, _ = self.actors(other, sent)
                        if a1 and a1 != row["victim_side"]:
                            row["actor1"] = a1
                            if row["actor2"] == a1:
                                row["actor2"] = None
                            break
            for _ in range(max(1, count)):
                r = dict(row)
                if count > 1:
                    for c in ("killed", "killed_low", "killed_high", "wounded", "wounded_low", "wounded_high"):
                        r[c] = None
                r["event_id"] = f"{self.doc_id}:{sent.start_char}:{k}"
                k += 1
                rows.append(r)
        # anaphoric mentions enrich the earlier event they refer to ("Held in Tbilisi, the talks ...")
        done = set()
        for tr in trs:
            if tr.anaphoric:
                self._enrich_antecedent(tr, sent, prev_rows)
                done.add(tr.token.i)
        for t in sent:
            if t.i in done or t.pos_ != "NOUN" or not any(
                    c.dep_ == "det" and c.lower_ in lex.anaphoric_determiners for c in t.children):
                continue
            et, key, tok = self.typer.noun_type(t)
            if et and tok is t and t.dep_ in ("nsubj", "nsubjpass"):
                self._enrich_antecedent(Trigger(t, t.head, et, key), sent, prev_rows)
        # update the narrative memory
        for r in rows:
            if r["date_text"] and r["event_date"] is not None and r["scope"] == "incident" and not r.get("_future"):
                self.last_date, self.last_precision, self.last_date_text = r["event_date"], r["date_precision"], r["date_text"]
                self.last_date_pos = sent.start_char
                self.last_violent_location = r["location"] if r["event_type"] in VIOLENT else None
        for r in rows:
            if r["actor1"]:
                ctx.last_actor = r["actor1"]
                break
        for r in rows:
            if r["claimed_by"]:
                ctx.last_claimant = r["claimed_by"]
        for t in sent:
            e = ctx.ent_of(t)
            if e is not None and e.actor_type in ("de_facto_authority", "place") and e.role == "place" or \
                    e is not None and e.actor_type == "de_facto_authority":
                ctx.last_region = e.canonical
        # disputes raised here against earlier claims
        for dv, denier in denials:
            self._mark_disputed(dv, denier, rows, prev_rows)
        return rows

    def _under_cognition(self, tr: Trigger) -> bool:
        """'Many fear X will be ...', 'analysts believe ...': opinions are not events."""
        for a in tr.token.ancestors:
            if _lem(a) in self.lex.cognition_verbs and _is_verbal(a) and a.i != tr.token.i:
                return True
        return False

    def _hypothetical(self, tr: Trigger) -> bool:
        """Triggers inside an if/unless clause are hypothetical (PLOVER context), not events."""
        for a in [tr.token] + list(tr.token.ancestors):
            if a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.lex.hypothetical_marks for c in a.children):
                return True
            if a.i == tr.token.sent.root.i:
                break
        return False

    def _count(self, tr: Trigger) -> int:
        """'two claims ... of ceasefire violations' -> 2 events; capped for safety."""
        tok = tr.token
        cands = [tok]
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            for anc in list(tok.head.ancestors)[:4]:
                if _lem(anc) in self.lex.claim_nouns and anc.pos_ == "NOUN":
                    cands.append(anc)
                    tr.claim_noun = anc
                    break
        for c in cands:
            if c.pos_ not in ("NOUN",) or c.tag_ not in ("NNS",):
                continue
            for n in c.children:
                if n.dep_ == "nummod" and n.like_num:
                    try:
                        from pipeline.lib.casualties import parse_quantity
                        q = parse_quantity(n.text)
                        val = q.best if q is not None else None
                    except ImportError:
                        val = int(n.text) if n.text.isdigit() else None
                    if val and 1 < val <= 20:
                        return val
        return 1

    def make_row(self, si, sent, tr: Trigger, cas, mentions, denials) -> dict | None:
        lex = self.lex
        ctx = self.ctx
        et = tr.event_type
        a1, a2 = self.actors(tr, sent)
        claimant = self.claimed_by(tr, sent)
        if claimant == "__official__":
            # "the army said", "officials said": the country of the place when the sentence names
            # exactly one; else the speaker's own words ("army", "provincial governor")
            claimant = "__official__"
        loc = self.location(tr, sent, {a for a in (a1, a2) if a})
        # ---- casualties
        killed = wounded = None
        kl = kh = wl = wh = None
        kill_m = [m for m in cas if m.kind == "killed"]
        wound_m = [m for m in cas if m.kind == "wounded"]
        if kill_m:
            killed, kl, kh = self._sum_q(kill_m)
        if wound_m:
            wounded, wl, wh = self._sum_q(wound_m)
        if et in VIOLENT and a1 is None:
            a1 = self._perpetrator_fallback(tr, sent, cas)
        if claimant == "__official__":
            v0 = self.victim_side(cas, None, a1, sent) if cas else None
            side = self._official_side(tr, sent, a1, a2, v0) if et in VIOLENT or et in ("COERCE", "PROTEST") else None
            claimant = side or getattr(self, "_generic_claimant", None)
        victim = self.victim_side(cas, claimant, a1, sent) if cas else None
        if et in VIOLENT and victim and a2 is None and victim != a1:
            a2 = victim
        # ---- scope: the casualty layer decides for casualty reports; otherwise the event's own date
        scope = "incident"
        if cas:
            try:
                scope = self._cas_mod().classify_scope(sent, mentions, self.published)
            except ImportError:
                pass
        # ---- date
        mention = self.pick_date(tr, sent, mentions)
        ev_date, prec, dtext = None, "unknown", None
        if mention is None and scope == "historical":
            # a war toll is dated by the war ("the conflict in 2020, which cost 6,500 lives")
            olds = sorted((m for m in mentions if m.value is not None), key=lambda m: m.value)
            mention = olds[0] if olds else None
        background = tr.key == "casualties" and not self._main_clause(tr, sent)
        if mention is not None:
            ev_date, prec, dtext = mention.value, mention.precision, mention.text
        elif background:
            ev_date, prec = None, "unknown"
        elif _is_headline(sent) and not tr.future:
            ev_date, prec = self.published, "day" if self.published else "unknown"
        elif tr.future or scope == "historical":
            ev_date, prec = None, "unknown"
        elif self.last_date is not None and self._same_paragraph(sent) and self._past_or_present(tr):
            # narrative continuation: an undated sentence in the paragraph of a dated one
            ev_date, prec, dtext = self.last_date, self.last_precision or "day", None
        elif self.last_date is not None and et in VIOLENT and self._refers_back(sent) and self._past_or_present(tr):
            # "Twenty-three people were wounded in the attack": a definite event noun points back to
            # the last dated violent event, in any paragraph; it takes that event's day and place
            ev_date, prec, dtext = self.last_date, self.last_precision or "day", None
            if loc is None:
                loc = getattr(self, "last_violent_location", None)
        elif self.published is not None and self._fresh(tr, sent, cas, si):
            # wire style: "X killed four soldiers overnight" in the lead -> the publication day
            ev_date, prec = self.published, "day"
        if ev_date is not None and self.published is not None and ev_date > self.published:
            ev_date, prec = None, "unknown"
        if scope == "incident" and mention is not None and ev_date is not None and self.published is not None \
                and (self.published - ev_date).days > 366:
            scope = "historical"
        # ---- disputed in the same sentence: another party denies / blames back
        disputed = False
        for dv, denier in denials:
            if dv.i == tr.token.i or tr.event_type == "REJECT":
                continue
            if dv.dep_ == "conj" and (dv.head.i == tr.head.i or dv.head.i == tr.token.i):
                continue   # "said its forces hit X and denied Y": the same speaker
            attached = dv.dep_ in ("relcl", "acl", "advcl")   # "a claim Israel dismissed", "contradicting ..."
            if (denier is not None and denier != claimant) or (denier is None and attached):
                disputed = True
        return {
            "event_id": None,
            "doc_id": self.doc_id,
            "event_type": et,
            "event_mode": tr.mode or ("deny" if et == "REJECT" and _lem(tr.token) in lex.denial_verbs else None),
            "acled_type": self.acled(tr, sent, cas, victim),
            "actor1": a1,
            "actor2": a2,
            "location": loc,
            "event_date": ev_date,
            "date_precision": prec if ev_date is not None else "unknown",
            "date_text": dtext,
            "killed": killed, "killed_low": kl, "killed_high": kh,
            "wounded": wounded, "wounded_low": wl, "wounded_high": wh,
            "victim_side": victim,
            "claimed_by": claimant,
            "disputed": disputed,
            "scope": scope,
            "evidence": self.text[sent.start_char:sent.end_char],
            "start_char": sent.start_char,
            "end_char": sent.end_char,
            "_future": tr.future,
        }

    @staticmethod
    def _sum_q(ms):
        best = lo = hi = 0
        any_lo = any_hi = False
        seen = set()
        for m in ms:
            q = m.quantity
            key = (m.start_char, m.end_char)
            if key in seen:
                continue
            seen.add(key)
            b = q.best if q.best is not None else (q.low if q.low is not None else q.high)
            best += b or 0
            if q.low is not None:
                lo += q.low
                any_lo = True
            else:
                lo += b or 0
            if q.high is not None:
                hi += q.high
                any_hi = True
            else:
                hi += b or 0
        if len(seen) == 1:
            q = ms[0].quantity
            return q.best, q.low, q.high
        return best, (lo if any_lo else None), (hi if any_hi else None)

    def _official_side(self, tr, sent, a1, a2, victim=None):
        """The state an unnamed official speaks for: military speakers for the one state taking part,
        civil officials (governors, administrations, police) for the country of the place."""
        parts = {x for x in (a1, a2, victim) if x}
        sides = set()
        for e in self.ctx.ents:
            if e.canonical in parts and e.actor_type in ("state", "government", "armed_force"):
                sd = self.side_name(e.canonical)
                g = _gazetteer()
                ge = g.get(sd) if g is not None else None
                if ge is None or ge.actor_type in ("state",):
                    sides.add(sd)
        speaker = (getattr(self, "_generic_claimant", "") or "").split()
        military = bool(speaker) and speaker[-1] in ("army", "military", "forces", "force", "command", "staff")
        place = self._place_country(sent)
        if military and len(sides) == 1:
            return next(iter(sides))
        if place:
            return place
        if len(sides) == 1:
            return next(iter(sides))
        return None

    def _place_country(self, sent):
        # the place's country: "the regional governor said" after a strike on a Ukrainian city
        names = _state_names()
        countries, states = set(), set()
        for t in sent:
            e = self.ctx.ent_of(t)
            if e is None:
                continue
            if e.role == "place":
                if e.actor_type == "state":
                    countries.add(e.canonical)
                elif e.country_code and e.country_code in names:
                    countries.add(names[e.country_code])
            elif e.actor_type in _SIDE_TYPES:
                states.add(e.canonical)
        if len(countries) == 1:
            return next(iter(countries))
        return None

    def _refers_back(self, sent) -> bool:
        """The sentence names a violent event with a definite determiner ("the attack", "this
        strike") and no marker of a new one ("a new attack", "another strike")."""
        for t in sent:
            if t.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in self.lex.anaphoric_determiners
                                           for c in t.children):
                continue
            if any(c.lower_ in ("new", "fresh", "another", "separate", "latest", "first", "second")
                   for c in t.children):
                continue
            et, _key, _tok = self.typer.noun_type(t)
            if et in VIOLENT:
                return True
        return False

    def _same_paragraph(self, sent) -> bool:
        pos = getattr(self, "last_date_pos", None)
        if pos is None:
            return False
        return "\n" not in self.text[pos:sent.start_char]

    def _past_or_present(self, tr: Trigger) -> bool:
        v = tr.head if _is_verbal(tr.head) else tr.token
        return _is_verbal(v) and not tr.future

    def _fresh(self, tr: Trigger, sent, cas, si: int) -> bool:
        """A past-tense / present-perfect report of a fresh incident (wire style), in the lead of the
        story or with a freshness adverb ("overnight", "today")."""
        v = tr.head if _is_verbal(tr.head) else tr.token
        if not (_is_past(v) or any(_is_past(x) for x in sent if x.dep_ in ("ROOT", "ccomp"))):
            return False
        words = {t.lower_ for t in sent}
        return bool(words & self.lex.fresh_incident_adverbs) or si < 3

    def acled(self, tr: Trigger, sent, cas, victim) -> str | None:
        et = tr.event_type
        lex = self.lex
        if et in VIOLENT:
            wc = weapon_classes(sent, lex)
            if "heavy" in wc or "explosive" in wc:
                return ACLED_REMOTE
            victims = {(_lem(t)) for m in cas for t in (self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand") or [])}
            victims |= {_lem(t) for t in sent if t.dep_ in ("dobj", "nsubjpass") and t.head.i == tr.head.i}
            civil = bool(victims & lex.civilian_nouns) and not (victims & lex.military_nouns)
            if et == "ASSAULT" and civil:
                return ACLED_VAC
            if et == "FIGHT" or "battle" in wc or "firearm" in wc or victims & lex.military_nouns:
                return ACLED_BATTLES
            return ACLED_VAC if civil else None
        if et == "PROTEST":
            return ACLED_RIOTS if _lem(tr.token) in ("riot",) else ACLED_PROTESTS
        if et in ("COERCE", "MOBILIZE", "AGREE", "RETREAT", "SANCTION"):
            return ACLED_STRATEGIC
        return None

    def _anaphor_place(self, noun, sent) -> str | None:
        """A place said of the anaphoric event noun itself: 'Held in Tbilisi, the talks ...',
        'the talks in Geneva' -- not 'the clashes come as talks began in Washington'."""
        for t in sent:
            e = self.ctx.ent_of(t)
            if e is None or e.role != "place":
                continue
            t2 = t
            while t2.dep_ in ("appos", "compound", "nmod", "amod", "flat") and t2.head.i != t2.i:
                t2 = t2.head
            if t2.dep_ != "pobj":
                continue
            prep = t2.head
            if prep.lower_ not in ("in", "at", "near", "on"):
                continue
            x = prep.head
            if x.i == noun.i:
                return e.canonical
            if _is_verbal(x):
                subj = next((c for c in x.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is None and x.dep_ in ("advcl", "acl") and x.tag_ == "VBN":
                    subj = noun if x.head.i == noun.i else next(
                        (c for c in x.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and subj.i == noun.i:
                    return e.canonical
        return None

    def _enrich_antecedent(self, tr: Trigger, sent, prev_rows):
        loc = self._anaphor_place(tr.token, sent)
        for rows in reversed(prev_rows[-3:]):
            for r in rows:
                if r["event_type"] == tr.event_type or (r["event_type"] in VIOLENT and tr.event_type in VIOLENT):
                    if r["location"] is None and loc:
                        r["location"] = loc
                    return

    def _mark_disputed(self, dv, denier, rows, prev_rows):
        """A denial disputes the nearest earlier claim by another party (same or previous sentences)."""
        # (denials inside the sentence itself are handled in make_row)
        if dv.dep_ in ("relcl", "acl", "advcl"):
            return   # attached to a claim noun of this sentence
        for cand in reversed(prev_rows[-2:]):
            hit = False
            for r in cand:
                if r["event_type"] == "REJECT":
                    continue
                if (r["claimed_by"] and r["claimed_by"] != denier) or (denier and r["actor1"] == denier):
                    r["disputed"] = True
                    hit = True
            if hit:
                return

    def run(self) -> list[dict]:
        prev: list[list[dict]] = []
        out: list[dict] = []
        for si, sent in enumerate(self.doc.sents):
            if not sent.text.strip():
                continue
            rows = self.sentence(si, sent, prev)
            prev.append(rows)
            out.extend(rows)
        for r in out:
            r.pop("_future", None)
        return out


def extract_events(doc, entities, doc_id: str, published: date | None) -> list[dict]:
    """Event rows (columns of the ``events`` table except ``incident_id``) for one parsed document.

    ``entities`` are the resolved entities of ``doc`` (``pipeline.lib.entities.resolve_entities``);
    objects with ``start_char``, ``end_char``, ``text``, ``canonical_name``, ``actor_type``, ``role``.
    """
    lex = load_lexicon()
    return _Extractor(doc, entities, doc_id, published, lex).run()
