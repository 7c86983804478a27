"""Pass 5, counts: killed and wounded of an event.

Reads ``events[*].casualties`` (violent events only carry them); writes ``killed``,
``killed_low``, ``killed_high``, ``wounded``, ``wounded_low``, ``wounded_high``.

Rules: one mention keeps its own figure and range; several mentions of a kind are summed
(best figures; a mention without a low/high adds its best figure to that bound; a bound is
None when no mention states it); a mention repeated at the same characters counts once.
"""
from __future__ import annotations

from pipeline.lib.events.record import DocContext, SentenceRecord


def sum_quantities(ms) -> tuple[int | None, int | None, int | None]:
    """(best, low, high) of casualty mentions of one kind."""
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
        lo += q.low if q.low is not None else (b or 0)
        hi += q.high if q.high is not None else (b or 0)
        any_lo = any_lo or q.low is not None
        any_hi = any_hi or q.high is not None
    if len(seen) == 1:
        q = ms[0].quantity
        return q.best, q.low, q.high
    return best, (lo if any_lo else None), (hi if any_hi else None)


def counts_pass(rec: SentenceRecord, ctx: DocContext) -> None:
    for ev in rec.events:
        killed = [m for m in ev.casualties if m.kind == "killed"]
        wounded = [m for m in ev.casualties if m.kind == "wounded"]
        if killed:
            ev.killed, ev.killed_low, ev.killed_high = sum_quantities(killed)
        if wounded:
            ev.wounded, ev.wounded_low, ev.wounded_high = sum_quantities(wounded)
