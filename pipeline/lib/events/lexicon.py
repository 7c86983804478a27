"""The event vocabulary, loaded once: ``event_lexicon.json`` (what words mean as events) and
``event_words.json`` (the small closed word classes the extraction rules name by category).

Code asks for a category (``words("pronouns")``), never spells a word list itself."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
LEXICON_PATH = DATA / "event_lexicon.json"
WORDS_PATH = DATA / "event_words.json"


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


_SET_KEYS = ("noun_needs_context", "light_verbs", "light_verb_keep_own", "aspectual_verbs",
             "light_nouns", "reporting_verbs", "allegation_verbs", "reporting_nouns",
             "intent_adjectives", "future_aux", "obligation_aux", "negators", "condition_marks",
             "protest_actor_nouns", "strike_protest_cues", "strike_military_cues", "civilian_nouns",
             "military_nouns", "claim_nouns", "anaphoric_determiners", "fresh_incident_adverbs",
             "title_nouns", "strong_intent", "cognition_verbs", "deadline_words",
             "hypothetical_marks", "generic_violence", "one_sided_violence", "notable_victim_nouns",
             "repression_victim_nouns", "war_cues", "place_nouns", "motion_verbs", "battle_cues")


def _lower_set(values) -> frozenset[str]:
    return frozenset(w.lower() for w in values)


def load_lexicon(path: Path | None = None) -> Lexicon:
    return _load_lexicon(str(path or LEXICON_PATH))


@lru_cache(maxsize=4)
def _load_lexicon(path: str) -> Lexicon:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    den = raw.get("denial", {})
    return Lexicon(
        verbs={k.lower(): v for k, v in raw["verbs"].items()},
        nouns={k.lower(): v for k, v in raw["nouns"].items()},
        governing={k.lower(): v for k, v in raw["governing"].items()},
        cooperative=frozenset(raw["cooperative_types"]) if raw.get("cooperative_types") else frozenset(),
        conflict=frozenset(raw["conflict_types"]),
        weapons={k: _lower_set(v) for k, v in raw["weapons"].items()},
        denial_verbs=_lower_set(den.get("verbs", [])),
        denial_objects=_lower_set(den.get("objects", [])),
        denial_nouns=_lower_set(den.get("nouns", [])),
        denial_phrases=_lower_set(den.get("phrases", [])),
        **{k: _lower_set(raw.get(k, [])) for k in _SET_KEYS},
    )


@lru_cache(maxsize=1)
def _word_classes() -> dict[str, frozenset[str]]:
    raw = json.loads(WORDS_PATH.read_text(encoding="utf-8"))
    return {k: _lower_set(v) for k, v in raw.items() if not k.startswith("_")}


def words(category: str) -> frozenset[str]:
    """The closed word class ``category`` of ``event_words.json`` (lower case)."""
    return _word_classes()[category]
