"""Shared by the per-pass tests (tests/test_events_<pass>.py): parse a text once and run the
event passes over it, so a test reads the fields its pass wrote on the records."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from pipeline.lib import events as ev
from pipeline.lib.entities import resolve_entities

PUBLISHED = date(2024, 3, 10)   # a Sunday


@lru_cache(maxsize=1)
def _nlp_gaz():
    from pipeline.lib.gazetteer import load_gazetteer
    from pipeline.lib.nlp import load_nlp

    gaz = load_gazetteer()
    return load_nlp(gazetteer=gaz), gaz


@lru_cache(maxsize=256)
def parse(text: str):
    nlp, gaz = _nlp_gaz()
    doc = nlp(text)
    return doc, resolve_entities(doc, gaz)


def records(text: str, published: date | None = PUBLISHED) -> list:
    """The SentenceRecord of every sentence, as ``extract_events`` builds them (each pass's
    fields are read by that pass's test module)."""
    doc, ents = parse(text)
    ctx = ev.doc_context(doc, ents, "t", published)
    out = []
    for i, sent in enumerate(doc.sents):
        if sent.text.strip():
            rec = ev.extract_sentence(i, sent, ctx)
            ctx.prev_rows.append(rec.rows)
            out.append(rec)
    return out


def events(text: str, published: date | None = PUBLISHED) -> list:
    """Every EventRecord of the text, in order."""
    return [e for rec in records(text, published=published) for e in rec.events]


def rows(text: str, published: date | None = PUBLISHED) -> list[dict]:
    doc, ents = parse(text)
    return ev.extract_events(doc, ents, "t", published)
