"""Every daily number taken apart: the incidents of a day, the reports behind each, the figure
that counted and the rule that chose it, and the figures of that day that were kept out, and why.

Reads the warehouse only (no Dagster here). A warehouse built before a column existed and opened
read-only (so not migrated) may lack it; each of these is used when the table has it:

* ``incident_tolls`` (``counted``, ``rule``): which report's figure counted and by which rule;
  without it the rule is the merge rule of :mod:`pipeline.lib.incidents` (latest conservative
  figure: the report published last, then the higher figure, never the sum) and the counted
  report is found by applying that rule to the incident's reports;
* ``events.cause``: a casualty figure whose cause is not violence is kept out;
* ``events.scope = 'generic'``: a general statement, kept out like aggregates and historical tolls.

``explain_day(con, day)`` and ``explain_incident(con, incident_id)`` return plain dicts (the JSON
output); ``render_text`` and ``render_markdown`` format them for a terminal and for Dagster.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import duckdb

from pipeline.lib import warehouse as wh

RULE_FALLBACK = (
    "latest conservative figure: the figure of the report published last wins, then the higher "
    "figure; a positive figure wins over 0; figures are never summed (merge rules in "
    "pipeline/lib/incidents.py)"
)

SCOPE_REASONS = {
    "aggregate": "aggregate: a toll over a period (several incidents), not one day's incident",
    "historical": "historical: the total of a past war or period, not an incident of that day",
    "generic": "generic: a general statement, not a specific incident",
}

_DATE_MIN = date(1, 1, 1)


# --------------------------------------------------------------------------- schema probing


def columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The columns the table has in this warehouse (empty set when the table does not exist)."""
    return set(wh.table_columns(con, table))


def _opt(cols: set[str], alias: str, name: str) -> str:
    return f"{alias}.{name}" if name in cols else "NULL"


# --------------------------------------------------------------------------- figure marking

_TOKEN = re.compile(r"\S+")


def figure_span(sentence: str, values: list[int | None]) -> tuple[int, int] | None:
    """Offsets (in ``sentence``) of the phrase stating one of ``values`` ("Four", "more than 6,500",
    "Tens of thousands"), read with the casualty parser; the longest such phrase, then the first.
    None when the figure is implied ("an Azerbaijani soldier") or not found."""
    from pipeline.lib.casualties import parse_quantity

    want = {v for v in values if v is not None}
    if not want or not sentence:
        return None
    toks = list(_TOKEN.finditer(sentence))
    best: tuple[int, int] | None = None
    for i, t in enumerate(toks):
        end_tok = toks[min(i + 3, len(toks) - 1)]
        window = sentence[t.start():end_tok.end()]
        q = parse_quantity(window)
        if q is None or not ({q.best, q.low, q.high} & want):
            continue
        text = q.text.rstrip(",.;:")
        k = window.find(text)
        if k < 0 or not text:
            continue
        s, e = t.start() + k, t.start() + k + len(text)
        if s != t.start():
            continue  # found from an earlier window start already, or starts later
        if best is None or (e - s) > (best[1] - best[0]):
            best = (s, e)
    return best


def mark(sentence: str, span: tuple[int, int] | None, left: str = "[[", right: str = "]]") -> str:
    if not span:
        return sentence
    s, e = span
    return sentence[:s] + left + sentence[s:e] + right + sentence[e:]


# --------------------------------------------------------------------------- queries


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _iso(d: Any) -> str | None:
    return d.isoformat() if isinstance(d, date) else (str(d) if d is not None else None)


def _event_select(con) -> str:
    ec = columns(con, "events")
    return f"""
        SELECT e.event_id, e.doc_id, e.incident_id, e.event_type, e.event_date, e.date_precision,
               e.killed, e.killed_low, e.killed_high, e.wounded, e.wounded_low, e.wounded_high,
               e.victim_side, e.claimed_by, e.disputed, e.scope, e.evidence, e.start_char, e.end_char,
               {_opt(ec, 'e', 'cause')} AS cause,
               d.outlet, d.url, d.title, d.published_date, d.duplicate_of,
               substr(d.body, e.start_char + 1, e.end_char - e.start_char) AS body_sentence
        FROM events e JOIN documents d USING (doc_id)"""


def _tolls(con, incident_ids: list[str]) -> dict[str, list[dict]]:
    """incident_tolls rows by incident (empty when the table does not exist yet)."""
    tc = columns(con, "incident_tolls")
    if not tc or not incident_ids:
        return {}
    out: dict[str, list[dict]] = {}
    for r in _rows(con, "SELECT * FROM incident_tolls WHERE incident_id IN (SELECT unnest(?))", [incident_ids]):
        out.setdefault(r["incident_id"], []).append(r)
    return out


def _has_figure(ev: dict) -> bool:
    return any(ev.get(k) is not None for k in ("killed", "killed_low", "killed_high",
                                                "wounded", "wounded_low", "wounded_high"))


def _figure_values(ev: dict) -> list[int | None]:
    return [ev.get("killed"), ev.get("killed_low"), ev.get("killed_high"),
            ev.get("wounded"), ev.get("wounded_low"), ev.get("wounded_high")]


def _chosen(reports: list[dict], kind: str) -> str | None:
    """event_id whose ``kind`` figure the merge rule keeps (same preference as
    incidents.merge_counts: positive, then 0, then low/high only; latest publication, then the
    higher figure, then the first report)."""
    pos, zero, bounds = [], [], []
    for i, r in enumerate(reports):
        b, lo, hi = r.get(kind), r.get(f"{kind}_low"), r.get(f"{kind}_high")
        p = r.get("published_date") or _DATE_MIN
        if b is not None:
            (pos if b > 0 else zero).append(((p, b, -i), r["event_id"]))
        elif lo is not None or hi is not None:
            bounds.append(((p, lo if lo is not None else hi, -i), r["event_id"]))
    for group in (pos, zero, bounds):
        if group:
            return max(group, key=lambda t: t[0])[1]
    return None


def _report(ev: dict, counted: dict[str, str]) -> dict:
    sentence = ev.get("evidence") or ev.get("body_sentence") or ""
    span = figure_span(sentence, _figure_values(ev))
    return {
        "event_id": ev["event_id"],
        "doc_id": ev["doc_id"],
        "outlet": ev.get("outlet"),
        "url": ev.get("url"),
        "published_date": _iso(ev.get("published_date")),
        "event_date": _iso(ev.get("event_date")),
        "date_precision": ev.get("date_precision"),
        "killed": ev.get("killed"), "killed_low": ev.get("killed_low"), "killed_high": ev.get("killed_high"),
        "wounded": ev.get("wounded"), "wounded_low": ev.get("wounded_low"),
        "wounded_high": ev.get("wounded_high"),
        "claimed_by": ev.get("claimed_by"),
        "disputed": bool(ev.get("disputed")),
        "scope": ev.get("scope"),
        "cause": ev.get("cause"),
        "duplicate_of": ev.get("duplicate_of"),
        "sentence": sentence.strip(),
        "start_char": ev.get("start_char"), "end_char": ev.get("end_char"),
        "figure_text": sentence[span[0]:span[1]] if span else None,
        "figure_start": (ev["start_char"] + span[0]) if span and ev.get("start_char") is not None else None,
        "figure_end": (ev["start_char"] + span[1]) if span and ev.get("start_char") is not None else None,
        "marked": mark(sentence.strip(), _shift(sentence, span)),
        "counted_for": sorted(k for k, eid in counted.items() if eid == ev["event_id"]),
    }


def _shift(sentence: str, span):
    if not span:
        return None
    lead = len(sentence) - len(sentence.lstrip())
    return span[0] - lead, span[1] - lead


def _incident_events(con, incident_ids: list[str], event_sql: str) -> dict[str, list[dict]]:
    """The reports of each incident, in publication and text order: one query for all of them."""
    out: dict[str, list[dict]] = {i: [] for i in incident_ids}
    if incident_ids:
        for r in _rows(con, event_sql + " WHERE e.incident_id IN (SELECT unnest(?)) "
                       "ORDER BY d.published_date, e.doc_id, e.start_char, e.event_id", [incident_ids]):
            out[r["incident_id"]].append(r)
    return out


def _incident(con, inc: dict, tolls: dict[str, list[dict]], event_sql: str,
              evs: list[dict] | None = None) -> dict:
    if evs is None:
        evs = _incident_events(con, [inc["incident_id"]], event_sql)[inc["incident_id"]]
    kept = [e for e in evs if e.get("duplicate_of") is None]
    counted: dict[str, str] = {}
    rules: dict[str, str] = {}
    trows = tolls.get(inc["incident_id"], [])
    if trows:
        for t in trows:
            if t.get("counted"):
                for kind in ("killed", "wounded"):
                    if t.get(kind) is not None or t.get(f"{kind}_low") is not None:
                        counted.setdefault(kind, t.get("event_id"))
                        rules.setdefault(kind, t.get("rule") or RULE_FALLBACK)
        rule_source = "incident_tolls.rule"
    else:
        rule_source = "merge rules of pipeline/lib/incidents.py (incident_tolls not in this warehouse)"
    for kind in ("killed", "wounded"):
        if kind not in counted and inc.get(kind) is not None:
            eid = _chosen(kept or evs, kind)
            if eid:
                counted[kind] = eid
                rules[kind] = RULE_FALLBACK
    reports = [_report(e, counted) for e in evs]
    docs = sorted({r["doc_id"] for r in reports if r["duplicate_of"] is None})
    return {
        "incident_id": inc["incident_id"],
        "event_date": _iso(inc.get("event_date")),
        "date_precision": inc.get("date_precision"),
        "start_date": _iso(inc.get("start_date")), "end_date": _iso(inc.get("end_date")),
        "event_type": inc.get("event_type"), "acled_type": inc.get("acled_type"),
        "cause": inc.get("cause"),
        "location": inc.get("location"), "actor1": inc.get("actor1"), "actor2": inc.get("actor2"),
        "victim_side": inc.get("victim_side"),
        "killed": inc.get("killed"), "killed_low": inc.get("killed_low"), "killed_high": inc.get("killed_high"),
        "wounded": inc.get("wounded"), "wounded_low": inc.get("wounded_low"),
        "wounded_high": inc.get("wounded_high"),
        "disputed": bool(inc.get("disputed")),
        "scope": inc.get("scope"),
        "n_reports": inc.get("n_reports"), "n_documents": inc.get("n_documents"),
        "documents": docs,
        "counted": {k: {"event_id": counted[k], "rule": rules[k]} for k in counted},
        "rule_source": rule_source,
        "reports": reports,
    }


def _incident_select(con) -> str:
    ic = columns(con, "incidents")
    extra = ", ".join(f"{_opt(ic, 'i', c)} AS {c}" for c in ("start_date", "end_date", "cause"))
    return f"SELECT i.*, {extra} FROM incidents i" if extra else "SELECT i.* FROM incidents i"


def _counts_on_day(inc: dict) -> bool:
    return (inc.get("scope") == "incident" and inc.get("date_precision") == "day"
            and inc.get("event_date") is not None)


def _left_out_reason(ev: dict, day: date, inc_by_id: dict[str, dict]) -> tuple[str, str] | None:
    """(kind, reason) when the figure does not count on ``day``; None when it does."""
    scope = ev.get("scope")
    if ev.get("duplicate_of"):
        return "copy", f"the document is a copy of {ev['duplicate_of']}; its figures count through that one"
    if scope in SCOPE_REASONS:
        return scope, SCOPE_REASONS[scope]
    if scope and scope != "incident":
        return scope, f"scope {scope}: not an incident of one day"
    cause = ev.get("cause")
    if cause is not None and cause != "violence":
        return "cause", f"cause {cause}: not violence, so not a conflict casualty"
    inc = inc_by_id.get(ev.get("incident_id") or "")
    if inc is None:
        return "no_incident", "not merged into any incident"
    if inc.get("cause") is not None and inc.get("cause") != "violence":
        return "cause", f"incident cause {inc['cause']}: not violence"
    if inc.get("date_precision") != "day" or inc.get("event_date") is None:
        return "imprecise_date", (f"the incident's date is known only to the {inc.get('date_precision')}"
                                  " and the daily tables take day-precision incidents only")
    if inc["event_date"] != day:
        return "other_day", f"counts on {inc['event_date'].isoformat()} (the day the incident happened), not on this day"
    return None


def explain_day(con: duckdb.DuckDBPyConnection, day: date) -> dict:
    """The explanation of one day: its daily_casualties row, the incidents that count on it with
    every report behind them, the day's other incidents, what was left out and why, disputed
    figures that count."""
    event_sql = _event_select(con)
    daily = _rows(con, "SELECT * FROM daily_casualties WHERE day = ?", [day]) if columns(con, "daily_casualties") else []
    inc_sql = _incident_select(con)
    day_incs = _rows(con, inc_sql + " WHERE i.scope = 'incident' AND i.date_precision = 'day' AND i.event_date = ? "
                     "ORDER BY i.killed DESC NULLS LAST, i.wounded DESC NULLS LAST, i.incident_id", [day])
    casualty = [i for i in day_incs if (i.get("killed") or 0) > 0 or (i.get("wounded") or 0) > 0]
    other = [i for i in day_incs if i not in casualty]
    ids = [i["incident_id"] for i in casualty]
    tolls = _tolls(con, ids)
    reports = _incident_events(con, ids, event_sql)
    incidents = [_incident(con, i, tolls, event_sql, reports[i["incident_id"]]) for i in casualty]

    # figures dated that day or stated in reports published that day
    cands = _rows(con, event_sql + " WHERE (e.event_date = ? OR d.published_date = ?) "
                  "ORDER BY d.published_date, e.doc_id, e.start_char", [day, day])
    cands = [c for c in cands if _has_figure(c)]
    inc_ids = sorted({c["incident_id"] for c in cands if c.get("incident_id")})
    inc_by_id = {r["incident_id"]: r for r in _rows(
        con, inc_sql + " WHERE i.incident_id IN (SELECT unnest(?))", [inc_ids])} if inc_ids else {}
    left_out = []
    for c in cands:
        why = _left_out_reason(c, day, inc_by_id)
        if why is None:
            continue
        r = _report(c, {})
        r["kind"], r["reason"] = why
        left_out.append(r)
    elsewhere = [r for r in left_out if r["kind"] == "other_day"]
    left_out = [r for r in left_out if r["kind"] != "other_day"]
    disputed = [{"incident_id": i["incident_id"], "killed": i["killed"], "wounded": i["wounded"],
                 "claimed_by": sorted({r["claimed_by"] for r in i["reports"] if r["claimed_by"]}),
                 "note": "disputed by another party; counted, flagged in daily_casualties.disputed_incidents"}
                for i in incidents if i["disputed"]]
    row = daily[0] if daily else None
    return {
        "day": day.isoformat(),
        "daily_casualties": ({k: (_iso(v) if isinstance(v, date) else v) for k, v in row.items()}
                             if row else None),
        "incidents": incidents,
        "other_incidents": [{"incident_id": i["incident_id"], "event_type": i.get("event_type"),
                             "location": i.get("location"), "actor1": i.get("actor1"),
                             "actor2": i.get("actor2"), "n_documents": i.get("n_documents")} for i in other],
        "left_out": left_out,
        "counted_on_other_day": elsewhere,
        "disputed_counted": disputed,
        "notes": _schema_notes(con),
    }


def explain_incident(con: duckdb.DuckDBPyConnection, incident_id: str) -> dict:
    rows = _rows(con, _incident_select(con) + " WHERE i.incident_id = ?", [incident_id])
    if not rows:
        raise KeyError(f"no incident {incident_id!r} in the warehouse")
    out = _incident(con, rows[0], _tolls(con, [incident_id]), _event_select(con))
    out["counts_in_daily_tables"] = _counts_on_day(rows[0])
    out["notes"] = _schema_notes(con)
    return out


def _schema_notes(con) -> list[str]:
    notes = []
    if not columns(con, "incident_tolls"):
        notes.append("incident_tolls is not in this warehouse: the counted figure and its rule come from "
                     "the merge rules of pipeline/lib/incidents.py")
    if "cause" not in columns(con, "events"):
        notes.append("events.cause is not in this warehouse: causes (violence, disaster, ...) are not shown")
    return notes


# --------------------------------------------------------------------------- rendering


def _fig(r: dict, kind: str) -> str | None:
    b, lo, hi = r.get(kind), r.get(f"{kind}_low"), r.get(f"{kind}_high")
    if b is None and lo is None and hi is None:
        return None
    s = str(b) if b is not None else "?"
    if lo is not None and hi is not None and (lo != b or hi != b):
        s += f" ({lo}-{hi})"
    elif lo is not None and lo != b:
        s += f" (at least {lo})"
    elif lo is not None and b == lo and hi is None:
        s += " (at least)"
    elif hi is not None and hi != b:
        s += f" (at most {hi})"
    return f"{kind} {s}"


def _figs(r: dict) -> str:
    return ", ".join(f for f in (_fig(r, "killed"), _fig(r, "wounded")) if f) or "no figure"


def _incident_lines(i: dict, md: bool = False) -> list[str]:
    who = " vs ".join(a for a in (i.get("actor1"), i.get("actor2")) if a) or "actors not named"
    head = (f"Incident {i['incident_id']}: {i.get('event_type')} ({i.get('acled_type') or 'no ACLED type'}) "
            f"at {i.get('location') or 'an unnamed place'}, {who}; victims: {i.get('victim_side') or 'not stated'}")
    out = (["", "### " + head, ""] if md else [head])
    flag = "  DISPUTED (counted, flagged)" if i["disputed"] else ""
    out.append(f"{'- ' if md else '  '}counted: {_figs(i)}{flag}; {len(i['documents'])} document(s), "
               f"{len(i['reports'])} report(s)")
    for kind, c in i["counted"].items():
        out.append(f"{'- ' if md else '  '}{kind}: the figure of {c['event_id']} counted; rule: {c['rule']}")
    for n, r in enumerate(i["reports"], 1):
        tag = []
        if r["counted_for"]:
            tag.append("COUNTED " + "+".join(r["counted_for"]))
        if r["disputed"]:
            tag.append("disputed")
        if r["duplicate_of"]:
            tag.append(f"copy of {r['duplicate_of']}")
        tags = f" [{'; '.join(tag)}]" if tag else ""
        src = f"{r.get('outlet') or 'unknown outlet'}, published {r.get('published_date') or 'unknown'}"
        if md:
            sent = mark(r["sentence"], _find(r), "**", "**")
            out.append(f"{n}. {src} (`{r['doc_id']}`): reported {_figs(r)}; claimed by "
                       f"{r.get('claimed_by') or 'not stated'}{tags}  \n   > {sent}")
        else:
            out.append(f"  {n}. {src} ({r['doc_id']}): reported {_figs(r)}; claimed by "
                       f"{r.get('claimed_by') or 'not stated'}{tags}")
            out.append(f"     \"{r['marked']}\"")
    return out


def _find(r: dict):
    if r.get("figure_text") is None:
        return None
    k = r["sentence"].find(r["figure_text"])
    return (k, k + len(r["figure_text"])) if k >= 0 else None


def render_text(x: dict) -> str:
    if "day" not in x:  # one incident
        lines = _incident_lines(x)
        lines.append("  counts in the daily tables: " + ("yes" if x.get("counts_in_daily_tables") else
                                                         "no (not a day-precision incident)"))
        return "\n".join(lines + [f"note: {n}" for n in x.get("notes", [])])
    d = x["daily_casualties"]
    lines = [f"{x['day']}: " + (f"{d['killed']} killed, {d['wounded']} wounded in {d['incidents']} incident(s) "
                                f"from {d['reports']} report(s) (daily_casualties)" if d else
                                "no row in daily_casualties (no casualty incident counts on this day)")]
    lines.append("")
    lines.append(f"Incidents that count ({len(x['incidents'])}); figures marked [[like this]]:")
    for i in x["incidents"]:
        lines += _incident_lines(i)
        lines.append("")
    if not x["incidents"]:
        lines.append("  none")
        lines.append("")
    if x["other_incidents"]:
        lines.append(f"Other incidents that day, without casualty figures: {len(x['other_incidents'])} "
                     f"({', '.join(sorted({str(o['event_type']) for o in x['other_incidents']}))})")
        lines.append("")
    lines.append(f"Left out ({len(x['left_out'])}): figures dated {x['day']} or stated in reports published "
                 "that day that do not count on it")
    for r in x["left_out"]:
        lines.append(f"  - {_figs(r)} ({r.get('outlet') or 'unknown outlet'}, published "
                     f"{r.get('published_date')}, {r['doc_id']}): {r['reason']}")
        lines.append(f"     \"{r['marked']}\"")
    if not x["left_out"]:
        lines.append("  none")
    if x.get("counted_on_other_day"):
        lines.append("")
        lines.append(f"Stated in reports published that day, counted on another day ({len(x['counted_on_other_day'])}):")
        for r in x["counted_on_other_day"]:
            lines.append(f"  - {_figs(r)} ({r.get('outlet') or 'unknown outlet'}, {r['doc_id']}): {r['reason']}")
    lines.append("")
    lines.append(f"Disputed figures that count ({len(x['disputed_counted'])}):")
    for dsp in x["disputed_counted"]:
        lines.append(f"  - {dsp['incident_id']}: killed {dsp['killed']}, wounded {dsp['wounded']}, claimed by "
                     f"{', '.join(dsp['claimed_by']) or 'not stated'}: {dsp['note']}")
    if not x["disputed_counted"]:
        lines.append("  none")
    for n in x.get("notes", []):
        lines.append(f"note: {n}")
    return "\n".join(lines)


def render_markdown(x: dict) -> str:
    d = x["daily_casualties"]
    out = [f"## {x['day']}: " + (f"{d['killed']} killed, {d['wounded']} wounded, {d['incidents']} incident(s)"
                                 if d else "no casualty incident")]
    for i in x["incidents"]:
        out += _incident_lines(i, md=True)
    if x["left_out"]:
        out.append("")
        out.append("**Left out**")
        out.append("")
        for r in x["left_out"]:
            out.append(f"- {_figs(r)} ({r.get('outlet') or 'unknown outlet'}, {r.get('published_date')}): "
                       f"{r['reason']}  \n  > {mark(r['sentence'], _find(r), '**', '**')}")
    if x["disputed_counted"]:
        out.append("")
        out.append("**Disputed, counted and flagged:** " + ", ".join(
            f"`{dd['incident_id']}`" for dd in x["disputed_counted"]))
    return "\n".join(out)


# --------------------------------------------------------------------------- the last run


def last_run_days(con: duckdb.DuckDBPyConnection, limit: int = 31) -> list[date]:
    """Days the last ingested batch touched: days of daily_casualties with a report from a document
    of that batch, and the publication days of its documents (where kept-out figures are told);
    at most ``limit`` (the latest)."""
    if not columns(con, "daily_casualties"):
        return []
    batch = con.execute("SELECT batch_id FROM documents WHERE batch_id IS NOT NULL "
                        "ORDER BY ingested_at DESC NULLS LAST LIMIT 1").fetchone()
    if not batch:
        return []
    rows = con.execute("""
        SELECT day FROM (
            SELECT dc.day FROM daily_casualties dc
            WHERE dc.day IN (SELECT i.event_date FROM incidents i JOIN events e USING (incident_id)
                             JOIN documents d USING (doc_id) WHERE d.batch_id = ?)
            UNION
            SELECT published_date FROM documents WHERE batch_id = ? AND published_date IS NOT NULL)
        ORDER BY day DESC LIMIT ?""", [batch[0], batch[0], limit]).fetchall()
    return sorted(r[0] for r in rows)


def last_run_markdown(con: duckdb.DuckDBPyConnection, limit: int = 31) -> str:
    days = last_run_days(con, limit)
    if not days:
        return "_(no day in the last run)_"
    parts = [render_markdown(explain_day(con, d)) for d in days]
    head = (f"The days of the last batch ({len(days)}: its casualty days and its publication days); "
            "`python -m pipeline explain --day DAY` prints the same in a terminal.")
    return head + "\n\n" + "\n\n".join(parts)
