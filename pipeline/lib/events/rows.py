"""Pass 9, rows: the ``events`` table rows of a sentence, and the narrative memory.

Reads every field of ``events[*]``; writes ``SentenceRecord.rows`` (one dict per event with the
columns of ``EVENT_COLUMNS``; an event counted n times ("two claims of violations") gives n rows
without casualty figures).  ``remember`` then updates the ``DocContext``: the last dated
incident (its date, paragraph and violent place), the last actor and the last claimant.
"""
from __future__ import annotations

from pipeline.lib.events.record import LEAD_SENTENCES, VIOLENT, DocContext, EventRecord, LastDate, SentenceRecord

_COUNT_COLUMNS = ("killed", "killed_low", "killed_high", "wounded", "wounded_low", "wounded_high")


def event_row(ev: EventRecord, rec: SentenceRecord, ctx: DocContext) -> dict:
    sent = rec.sent
    return {
        "event_id": None,
        "doc_id": ctx.doc_id,
        "event_type": ev.event_type,
        "event_mode": ev.event_mode,
        "acled_type": ev.acled_type,
        "actor1": ev.actor1,
        "actor2": ev.actor2,
        "location": ev.location,
        "event_date": ev.event_date,
        "date_precision": ev.date_precision,
        "date_text": ev.date_text,
        "killed": ev.killed, "killed_low": ev.killed_low, "killed_high": ev.killed_high,
        "wounded": ev.wounded, "wounded_low": ev.wounded_low, "wounded_high": ev.wounded_high,
        "victim_side": ev.victim_side,
        "claimed_by": ev.claimant,
        "disputed": ev.disputed,
        "scope": ev.scope,
        "evidence": ctx.text[sent.start_char:sent.end_char],
        "start_char": sent.start_char,
        "end_char": sent.end_char,
        "event_end_date": ev.event_end_date,
        "cause": ev.cause,
        "acled_sub_type": ev.acled_sub_type,
        "disorder_type": ev.disorder_type,
    }


def rows_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    rows = []
    for ev in rec.events:
        row = event_row(ev, rec, ctx)
        for _ in range(max(1, ev.multiplicity)):
            r = dict(row)
            if ev.multiplicity > 1:
                r.update(dict.fromkeys(_COUNT_COLUMNS))
            r["event_id"] = f"{ctx.doc_id}:{rec.sent.start_char}:{len(rows)}"
            rows.append(r)
    rec.rows = rows


def remember(rec: SentenceRecord, ctx: DocContext) -> None:
    """Narrative memory for the next sentences.  A day stated in the lead by a sentence with no
    event of its own ("Yesterday brought grief to the parish of Saint Anne") is the lead's day
    (``DocContext.lead_day``): the undated lead sentences after it report that day."""
    if (rec.index < LEAD_SENTENCES and not rec.events and ctx.lead_day is None and ctx.published is not None):
        ctx.lead_day = next((m.value for m in rec.date_mentions if m.precision == "day" and m.value is not None
                             and m.value <= ctx.published and not getattr(m, "is_period", False)), None)
    for ev in rec.events:
        if ev.date_text and ev.event_date is not None and ev.scope == "incident" and not ev.trigger.future:
            ctx.last_date = LastDate(ev.event_date, ev.date_precision, ev.date_text, rec.sent.start_char,
                                     ev.location if ev.event_type in VIOLENT else None)
            if ev.event_type in VIOLENT:
                ctx.last_attack = ctx.last_date
    ctx.last_actor = next((r["actor1"] for r in rec.rows if r["actor1"]), ctx.last_actor)
    for r in rec.rows:
        if r["claimed_by"]:
            ctx.last_claimant = r["claimed_by"]
