"""Pass 7, codes: the cause of a toll and the event's ACLED codes.

Reads ``event_type``, ``event_mode``, ``actor1``/``actor2`` (actors pass), the counts (counts
pass) and the document topic on the ``DocContext``; writes ``cause``, ``acled_type``,
``acled_sub_type`` and ``disorder_type``.  The decisions themselves are the rule tables of
``pipeline.lib.cause`` (one function, ``decide_cause``) and ``pipeline.lib.acled`` (one
function, ``acled_codes``); this pass only gathers their features.

Rules of the pass, in order:

1. ``cause`` is decided for events that carry a killed or wounded figure, and only for them
   (an event without a toll has no cause: NULL).
2. A toll whose cause is not ``violence`` or ``unknown`` is not political violence: its ACLED
   codes are emptied (an earthquake is no ACLED event), whatever the PLOVER type says.
3. Otherwise the ACLED table decides type, sub-type and disorder type; when it has no answer
   (``None``: a verbal or a non-ACLED PLOVER type) the typing pass's ``acled_type`` stays and the
   sub-type and disorder type stay empty.
"""
from __future__ import annotations

from pipeline.lib import acled, cause
from pipeline.lib.events.context import gazetteer_entry
from pipeline.lib.events.record import DocContext, EventRecord, SentenceRecord


def actor_type(name: str | None) -> str | None:
    """The gazetteer's actor type of a canonical actor name (None when unknown)."""
    entry = gazetteer_entry(name)
    return entry.actor_type if entry is not None else None


def _has_toll(ev: EventRecord) -> bool:
    return any(v for v in (ev.killed, ev.killed_low, ev.wounded, ev.wounded_low))


def event_cause(ev: EventRecord, rec: SentenceRecord, ctx: DocContext) -> str | None:
    if not _has_toll(ev):
        return None
    return cause.decide_cause(cause.cause_features(rec.sent, ctx.topic, ctx.raw_entities))


def event_codes(ev: EventRecord, rec: SentenceRecord) -> acled.AcledCode | None:
    feats = acled.acled_features(rec.sent, ev.event_type, ev.event_mode,
                                 actor_type(ev.actor1), actor_type(ev.actor2))
    return acled.acled_codes(feats)


def codes_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    for ev in rec.events:
        ev.cause = event_cause(ev, rec, ctx)
        if ev.cause in cause.NONVIOLENT:
            ev.acled_type = ev.acled_sub_type = ev.disorder_type = None
            continue
        code = event_codes(ev, rec)
        if code is not None:
            ev.acled_type, ev.acled_sub_type, ev.disorder_type = (code.event_type, code.sub_event_type,
                                                                  code.disorder_type)
