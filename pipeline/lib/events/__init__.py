"""Event extraction: sentences -> PLOVER-coded event rows, as named passes over a record.

Public API
----------
``extract_events(doc, entities, doc_id, published) -> list[dict]``
    One dict per event with the columns of the ``events`` table (see docs/architecture.md)
    except ``incident_id``.
``classify_sentence(sent) -> Trigger | None``
    The main event of one sentence (what PLOVER gold records code); used by
    tests/test_plover.py and by the triggers pass.
``sentence_triggers(sent) -> list[Trigger]``
    Every trigger clause of a sentence, main one first.

The passes, in order (one module each; each reads what earlier passes wrote on the
``SentenceRecord`` / ``EventRecord`` and writes only its own fields):

1. ``triggers``  triggers, denial cues, casualty and date mentions of the sentence
2. ``classify``  the sentence's events, PLOVER and ACLED type (rules of the clause walk: ``plover``)
3. ``actors``    actor1/actor2, the perpetrator named elsewhere, the victims' words
4. ``place``     location
5. ``counts``    killed / wounded figures
6. ``claims``    claimant ("who claimed it"), victim side, disputes
7. ``codes``     cause of a toll (violence, disaster, ...) and ACLED type, sub-type, disorder type
8. ``scope``     incident / aggregate / historical / generic
9. ``dating``    event date (then scope by the date's age)
10. ``rows``     the table rows and the narrative memory

Document-level state (last stated date, last violent place, paragraph breaks, earlier rows, last
actor and claimant) is the ``DocContext`` passed to every pass.
"""
from __future__ import annotations

from datetime import date

from pipeline.lib.cause import document_topic
from pipeline.lib.parse_subset import unparsed_sentence

from pipeline.lib.events.actors import actors_pass
from pipeline.lib.events.claims import claims_pass, mark_earlier_disputes
from pipeline.lib.events.classify import typing_pass
from pipeline.lib.events.codes import codes_pass
from pipeline.lib.events.context import DocEntities, side_of
from pipeline.lib.events.counts import counts_pass
from pipeline.lib.events.dating import date_pass
from pipeline.lib.events.lexicon import LEXICON_PATH, Lexicon, load_lexicon
from pipeline.lib.events.place import enrich_earlier_places, place_pass
from pipeline.lib.events.plover import classify_sentence, sentence_triggers, weapon_classes
from pipeline.lib.events.record import (ACLED_BATTLES, ACLED_PROTESTS, ACLED_REMOTE, ACLED_RIOTS,
                                        ACLED_STRATEGIC, ACLED_VAC, EVENT_COLUMNS, VIOLENT, DocContext,
                                        EventRecord, SentenceRecord, Trigger)
from pipeline.lib.events.rows import remember, rows_pass
from pipeline.lib.events.syntax import _is_headline
from pipeline.lib.events.scope import classify_scope, scope_pass
from pipeline.lib.events.triggers import triggers_pass

# The passes over one sentence, in order.
PASSES = (triggers_pass, typing_pass, actors_pass, place_pass, counts_pass, claims_pass, codes_pass,
          scope_pass, date_pass, rows_pass)


def doc_context(doc, entities, doc_id: str, published: date | None, lex: Lexicon | None = None) -> DocContext:
    text = doc.text  # spaCy rebuilds Doc.text from the tokens on every access: keep it once
    return DocContext(doc=doc, text=text, doc_id=doc_id, published=published, lex=lex or load_lexicon(),
                      entities=DocEntities(doc, entities),
                      paragraph_breaks=[i for i, ch in enumerate(text) if ch == "\n"],
                      topic=document_topic(doc), raw_entities=list(entities))


def extract_sentence(index: int, sent, ctx: DocContext) -> SentenceRecord:
    """Run the passes over one sentence, then the after-row steps that reach back into earlier
    rows (an anaphor's place, a denial's dispute) and the narrative memory."""
    rec = SentenceRecord(index=index, sent=sent)
    for run in PASSES:
        run(rec, ctx)
    enrich_earlier_places(rec, ctx)
    remember(rec, ctx)
    mark_earlier_disputes(rec, ctx)
    return rec


def extract_events(doc, entities, doc_id: str, published: date | None) -> list[dict]:
    """Event rows (columns of the ``events`` table except ``incident_id``) for one parsed document.

    ``entities`` are the resolved entities of ``doc`` (``pipeline.lib.entities.resolve_entities``);
    objects with ``start_char``, ``end_char``, ``text``, ``canonical_name``, ``actor_type``, ``role``.
    A sentence that ``PIPELINE_PARSE=events`` left unparsed (no event candidate word) is skipped:
    it yields no row and leaves the document context as it was.
    """
    ctx = doc_context(doc, entities, doc_id, published)
    out: list[dict] = []
    headline_end = None
    for i, sent in enumerate(doc.sents):
        if not sent.text.strip():
            continue
        if unparsed_sentence(sent):
            ctx.prev_rows.append([])
            continue
        if i == 0 and _is_headline(sent):
            headline_end = sent.end_char
        rec = extract_sentence(i, sent, ctx)
        ctx.prev_rows.append(rec.rows)
        out.extend(rec.rows)
    if headline_end is not None:
        headline_follows_the_story(out, headline_end)
    return out


_TOLD_BY_THE_STORY = ("event_date", "date_precision", "date_text", "event_end_date", "scope")


def headline_follows_the_story(rows: list[dict], headline_end: int) -> None:
    """A headline's toll with no day of its own ("Army says 40 militants killed") is the toll the
    story tells below it: it takes the day and scope (and the cause, when its own is unknown) of
    the first later row of a violent type with the same figures ("... killed 40 militants in an
    operation over the past week" is a week's aggregate, not a toll of the publication day), when
    that row says something of its
    own: a stated day, or a scope other than 'incident'.  A headline that names its day, or whose
    figures no later row repeats that way, keeps its own reading."""
    for h in rows:
        if h["start_char"] >= headline_end:
            break
        if h["date_text"] or h["event_type"] not in VIOLENT or not (h["killed"] or h["wounded"]):
            continue
        body = next((r for r in rows if r["start_char"] >= headline_end and r["event_type"] in VIOLENT
                     and (r["killed"] or r["wounded"])
                     and all(h[c] is None or h[c] == r[c] for c in ("killed", "wounded"))), None)
        if body is not None and (body["date_text"] or body["scope"] != "incident"):
            h.update({c: body[c] for c in _TOLD_BY_THE_STORY})
            if h["cause"] in (None, "unknown"):
                h["cause"] = body["cause"]


__all__ = ["extract_events", "classify_sentence", "sentence_triggers", "weapon_classes", "Trigger",
           "EVENT_COLUMNS", "VIOLENT", "Lexicon", "load_lexicon", "LEXICON_PATH", "side_of",
           "classify_scope", "DocContext", "SentenceRecord", "EventRecord", "PASSES", "extract_sentence",
           "doc_context", "ACLED_BATTLES", "ACLED_PROTESTS", "ACLED_REMOTE", "ACLED_RIOTS",
           "ACLED_STRATEGIC", "ACLED_VAC"]
