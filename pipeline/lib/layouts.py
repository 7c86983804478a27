"""The warehouse's incidents in ACLED's and UCDP GED's column layouts (docs/layouts.md).

``acled_frame(con)``: one row per incident that ACLED would code (violent incidents, the
strategic developments, meetings); ``ucdp_frame(con)``: one row per lethal violence incident.
Every value comes from a warehouse column or a codebook rule applied to one; a field the
warehouse cannot fill is left empty (NULL), never guessed: ``iso`` (numeric ISO code), ``region``,
``admin1``, ``assoc_actor_*``, ``source_scale`` in ACLED, ``region`` in UCDP, and any value whose
input is missing (an incident without a named place has no country or coordinates).

Columns a warehouse built before them may lack are used when present: ``incidents.cause``
(only violence is exported as violence), ``incidents.acled_sub_type`` and ``disorder_type``,
``incidents.start_date``/``end_date`` (UCDP date ranges). No Dagster here.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.lib.explain import columns

ACTOR_TYPES_PATH = Path(__file__).resolve().parent.parent / "data" / "acled_actor_types.json"

ACLED_SCHEMA: dict[str, pl.DataType] = {
    "event_id_cnty": pl.String, "event_date": pl.Date, "year": pl.Int32, "time_precision": pl.Int32,
    "disorder_type": pl.String, "event_type": pl.String, "sub_event_type": pl.String,
    "actor1": pl.String, "assoc_actor_1": pl.String, "inter1": pl.Int32,
    "actor2": pl.String, "assoc_actor_2": pl.String, "inter2": pl.Int32, "interaction": pl.Int32,
    "civilian_targeting": pl.String, "iso": pl.Int32, "region": pl.String, "country": pl.String,
    "admin1": pl.String, "location": pl.String, "latitude": pl.Float64, "longitude": pl.Float64,
    "geo_precision": pl.Int32, "source": pl.String, "source_scale": pl.String, "notes": pl.String,
    "fatalities": pl.Int32, "tags": pl.String, "timestamp": pl.Int64,
}

UCDP_SCHEMA: dict[str, pl.DataType] = {
    "type_of_violence": pl.Int32, "side_a": pl.String, "side_b": pl.String,
    "date_start": pl.Date, "date_end": pl.Date, "date_prec": pl.Int32, "where_prec": pl.Int32,
    "latitude": pl.Float64, "longitude": pl.Float64, "country": pl.String, "region": pl.String,
    "deaths_a": pl.Int32, "deaths_b": pl.Int32, "deaths_civilians": pl.Int32, "deaths_unknown": pl.Int32,
    "best": pl.Int32, "low": pl.Int32, "high": pl.Int32, "source_article": pl.String, "source_date": pl.String,
}

# ACLED codebook values (for the export and its tests).
ACLED_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
ACLED_DISORDER = {"Political violence", "Demonstrations", "Strategic developments",
                  "Political violence; Demonstrations"}
_DISORDER_OF_TYPE = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
                     "Violence against civilians": "Political violence", "Protests": "Demonstrations",
                     "Strategic developments": "Strategic developments"}
_DISORDER_OF_SUB = {"Violent demonstration": "Demonstrations", "Mob violence": "Political violence"}
_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# PLOVER types without an ACLED type that ACLED still codes: a meeting is a strategic development
# of sub-event type Other ("a significant development that fits no other sub-event type").
_PLOVER_TO_ACLED = {"CONSULT": ("Strategic developments", "Other")}

# How the place was named -> precision. ACLED geo_precision 1-3, UCDP where_prec 1-7.
_GEO = {"town": 1, "near": 2, "district": 2, "area": 2, "region": 3, "country": 3, "water": 3}
_WHERE = {"town": 1, "near": 2, "district": 3, "region": 4, "area": 5, "country": 6, "water": 7}
_RANK = ["town", "near", "district", "region", "area", "country", "water"]
_NEAR = re.compile(r"\b(near|outside|outskirts of|around|close to|(north|south|east|west)(-?(east|west))? of|"
                   r"\d+\s*(km|kilometres|kilometers|miles) from)\s+(the\s+)?((town|city|village) of\s+)?$", re.I)
_TOWN = re.compile(r"\b(town|city|village|hamlet) of\s+$", re.I)
_REGION_BEFORE = re.compile(r"\b(region|province|state|governorate|oblast) of\s+$", re.I)
_REGION_AFTER = re.compile(r"^['’]?s?\s*(state|province|region|governorate|oblast|prefecture)\b", re.I)
_DISTRICT_AFTER = re.compile(r"^\s*(district|county|municipality|locality)\b", re.I)
_WATER = re.compile(r"\b(Sea|Gulf|Ocean|Strait|Bay)\b")


@dataclass
class _Gaz:
    entries: dict[str, Any]
    states: dict[str, str]
    state_forces: set[str]
    rebels: set[str]


def _gazetteer(gazetteer=None) -> _Gaz:
    if gazetteer is None:
        from pipeline.lib.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    entries = {e.canonical_name: e for e in gazetteer.entries}
    states = {}
    for e in entries.values():
        if e.actor_type == "state" and e.country_code:
            states.setdefault(e.country_code, e.canonical_name)
    return _Gaz(entries, states, state_force_names(), set(_actor_kinds().get("rebel_groups", [])))


@lru_cache(maxsize=1)
def _actor_kinds() -> dict:
    """pipeline/data/acled_actor_types.json, read once."""
    return json.loads(ACTOR_TYPES_PATH.read_text(encoding="utf-8"))


def state_force_names() -> set[str]:
    """Armed forces of the gazetteer known to act for their state (``state_forces`` in
    pipeline/data/acled_actor_types.json)."""
    return set(_actor_kinds().get("state_forces", []))


def inter_code(actor: str | None, event_cc: str | None, gz: _Gaz, violent: bool = True) -> int | None:
    """ACLED inter code from the actor's kind in the gazetteer: 1 state forces (states,
    governments, listed state armed forces), 8 external forces (state forces in a violent event
    outside their country, or a listed state armed force outside it), 2 listed rebel groups,
    7 civilians; None when the kind does not tell (persons, organisations, de facto authorities,
    armed forces not listed in pipeline/data/acled_actor_types.json)."""
    if actor is None:
        return None
    if actor == "civilians" or actor.startswith("Civilians"):
        return 7
    e = gz.entries.get(actor)
    if e is None:
        return None
    forces = e.actor_type == "armed_force" and actor in gz.state_forces
    if e.actor_type in ("state", "government") or forces:
        abroad = bool(event_cc and e.country_code and e.country_code != event_cc)
        return 8 if abroad and (violent or forces) else 1
    if e.actor_type == "armed_force" and actor in gz.rebels:
        return 2
    return None


def interaction(i1: int | None, i2: int | None, has_actor2: bool) -> int | None:
    """Both codes, lower first (13, 17, 78); a sole actor is coded inter1 * 10 (10, 20)."""
    if i1 is not None and i2 is not None:
        a, b = sorted((i1, i2))
        return a * 10 + b
    if i1 is not None and not has_actor2:
        return i1 * 10
    return None


def place_naming(name: str | None, contexts: list[tuple[str, str]], gz: _Gaz) -> str | None:
    """How the place was named, from its gazetteer entry and the words around its mentions in the
    reports (``contexts``: (text before, text after) each mention): town, near (a town),
    district, region, area (a corridor, a border area), country, water; the finest over mentions."""
    if not name:
        return None
    e = gz.entries.get(name)
    if e is None:
        return None
    if e.actor_type == "state":
        return "country"
    if _WATER.search(name):
        return "water"
    found = []
    for before, after in contexts or [("", "")]:
        if _NEAR.search(before):
            found.append("near")
        elif _DISTRICT_AFTER.search(after):
            found.append("district")
        elif _REGION_AFTER.search(after) or _REGION_BEFORE.search(before) or e.actor_type == "de_facto_authority":
            found.append("region")
        elif e.label == "LOC":
            found.append("area")
        else:
            found.append("town")
    return min(found, key=_RANK.index)


# --------------------------------------------------------------------------- reading


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _incidents(con) -> list[dict]:
    ic = columns(con, "incidents")
    extra = ", ".join(f"{'i.' + c if c in ic else 'NULL'} AS {c}_"
                      for c in ("cause", "acled_sub_type", "disorder_type", "start_date", "end_date"))
    rows = _rows(con, f"""
        SELECT i.*, {extra},
               (s.incident_id IS NOT NULL AND (coalesce(s.killed, 0) > 0 OR coalesce(s.wounded, 0) > 0)) AS in_daily
        FROM incidents i LEFT JOIN stg_incidents s USING (incident_id)
        WHERE i.scope = 'incident' AND i.event_date IS NOT NULL
        ORDER BY i.event_date, i.incident_id""")
    for r in rows:
        for c in ("cause", "acled_sub_type", "disorder_type", "start_date", "end_date"):
            r[c] = r.pop(c + "_")
    return rows


def _reports(con) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in _rows(con, """
            SELECT e.incident_id, e.doc_id, e.claimed_by, e.disputed, d.outlet, d.url, d.title,
                   d.published_date, d.ingested_at
            FROM events e JOIN documents d USING (doc_id)
            WHERE e.incident_id IS NOT NULL AND d.duplicate_of IS NULL
            ORDER BY d.published_date, e.doc_id, e.start_char"""):
        out.setdefault(r["incident_id"], []).append(r)
    return out


def _place_contexts(con) -> dict[str, list[tuple[str, str]]]:
    """incident_id -> (40 characters before, 40 after) each mention of its place in its reports."""
    out: dict[str, list[tuple[str, str]]] = {}
    for inc, before, after in con.execute("""
            SELECT e.incident_id,
                   substr(d.body, greatest(n.start_char - 40, 0) + 1, n.start_char - greatest(n.start_char - 40, 0)),
                   substr(d.body, n.end_char + 1, 40)
            FROM events e
            JOIN incidents i ON i.incident_id = e.incident_id
            JOIN entities n ON n.doc_id = e.doc_id AND n.canonical_name = i.location
                           AND n.start_char >= e.start_char AND n.end_char <= e.end_char
            JOIN documents d ON d.doc_id = e.doc_id
            WHERE d.duplicate_of IS NULL""").fetchall():
        out.setdefault(inc, []).append((before or "", after or ""))
    return out


def _source_name(r: dict) -> str:
    if r.get("outlet"):
        return r["outlet"]
    if r.get("url"):
        m = re.match(r"https?://(?:www\.)?([^/]+)", r["url"])
        if m:
            return m.group(1)
    return f"document {r['doc_id']}"


def _sources(reports: list[dict]) -> list[str]:
    seen: list[str] = []
    for r in reports:
        s = _source_name(r)
        if s not in seen:
            seen.append(s)
    return seen


# --------------------------------------------------------------------------- ACLED

_VERBS = {"FIGHT": "clashed with", "ASSAULT": "attacked", "CONSULT": "met", "COERCE": "imposed restrictions on",
          "AGREE": "reached an agreement with", "MOBILIZE": "mobilised against", "RETREAT": "withdrew from",
          "PROTEST": "protested against", "THREATEN": "threatened"}


_SOLE_VERBS = {"CONSULT": "held talks", "AGREE": "reached an agreement"}
_ACLED_VERBS = {"Battles": "clashed with", "Explosions/Remote violence": "struck",
                "Violence against civilians": "attacked"}


def _acled_type(inc: dict) -> tuple[str | None, str | None]:
    et = inc.get("acled_type")
    sub = inc.get("acled_sub_type")
    if et is None and inc.get("event_type") in _PLOVER_TO_ACLED:
        et, sub0 = _PLOVER_TO_ACLED[inc["event_type"]]
        sub = sub or sub0
    if sub is not None and et is not None and sub not in ACLED_EVENT_TYPES.get(et, set()):
        sub = None  # never export a sub-event type the codebook does not pair with the type
    return et, sub


def _notes(inc: dict, d: date, et: str | None, actor2: str | None, sources: list[str], claimed: list[str]) -> str:
    a1 = inc.get("actor1") or "unidentified actors"
    verb = _ACLED_VERBS.get(et or "") or _VERBS.get(inc.get("event_type") or "", "were involved in an event with")
    sole = _SOLE_VERBS.get(inc.get("event_type") or "")
    if actor2:
        who = f"{a1} {verb} {actor2}"
    elif sole:
        who = f"{a1} {sole}"
    else:
        who = f"{a1}: {(et or inc.get('event_type') or 'event').lower()}"
    where = f" in {inc['location']}" if inc.get("location") else ""
    s = f"On {d.day} {d:%B %Y}, {who}{where}"
    figs = []
    if inc.get("killed") is not None:
        figs.append(f"{inc['killed']} killed")
    if inc.get("wounded") is not None:
        figs.append(f"{inc['wounded']} wounded")
    if figs:
        s += ": " + ", ".join(figs)
        if claimed:
            s += " according to " + (", ".join(claimed) if len(claimed) <= 3 else ", ".join(claimed[:3]) + " and others")
    if inc.get("disputed"):
        s += " (disputed by another party)"
    return s + ". Source: " + "; ".join(sources) + "."


def _frame_inputs(con: duckdb.DuckDBPyConnection, gazetteer=None):
    """What both exports read: the gazetteer view, reports per incident, place contexts."""
    return _gazetteer(gazetteer), _reports(con), _place_contexts(con)


def acled_frame(con: duckdb.DuckDBPyConnection, gazetteer=None) -> pl.DataFrame:
    gz, reports, contexts = _frame_inputs(con, gazetteer)
    rows = []
    for inc in _incidents(con):
        prec = inc.get("date_precision")
        cause = inc.get("cause")
        if cause is not None and cause != "violence" and not inc["in_daily"]:
            continue
        et, sub = _acled_type(inc)
        if not inc["in_daily"] and (et is None or prec not in ("day", "week", "month")):
            continue
        loc = inc.get("location")
        entry = gz.entries.get(loc) if loc else None
        cc = entry.country_code if entry else None
        country = gz.states.get(cc) if cc else None
        actor1, actor2 = inc.get("actor1"), inc.get("actor2")
        if actor2 is None and inc.get("victim_side") == "civilians":
            actor2 = f"Civilians ({country})" if country else "Civilians"
        i1, i2 = inter_code(actor1, cc, gz, et in _VIOLENT), inter_code(actor2, cc, gz, et in _VIOLENT)
        naming = place_naming(loc, contexts.get(inc["incident_id"], []), gz)
        reps = reports.get(inc["incident_id"], [])
        sources = _sources(reps)
        claimed = sorted({r["claimed_by"] for r in reps if r.get("claimed_by")})
        disorder = inc.get("disorder_type") or _DISORDER_OF_SUB.get(sub or "") or _DISORDER_OF_TYPE.get(et or "")
        d = inc["event_date"]
        stamp = max((r["ingested_at"] for r in reps if r.get("ingested_at")), default=None)
        civ = (inc.get("victim_side") == "civilians" or et == "Violence against civilians")
        rows.append({
            "event_id_cnty": f"{cc or ''}{int(inc['incident_id'][4:12], 16)}",
            "event_date": d, "year": d.year,
            "time_precision": {"day": 1, "week": 2, "month": 3}.get(prec),
            "disorder_type": disorder, "event_type": et, "sub_event_type": sub,
            "actor1": actor1, "assoc_actor_1": None, "inter1": i1,
            "actor2": actor2, "assoc_actor_2": None, "inter2": i2,
            "interaction": interaction(i1, i2, actor2 is not None),
            "civilian_targeting": "Civilian targeting" if civ else None,
            "iso": None, "region": None, "country": country, "admin1": None,
            "location": loc,
            "latitude": entry.lat if entry else None, "longitude": entry.lon if entry else None,
            "geo_precision": _GEO.get(naming) if naming else None,
            "source": "; ".join(sources) or None, "source_scale": None,
            "notes": _notes(inc, d, et, actor2, sources, claimed),
            "fatalities": int(inc.get("killed") or 0),
            "tags": "disputed" if inc.get("disputed") else None,
            "timestamp": int(_epoch(stamp)) if stamp else None,
        })
    return pl.DataFrame(rows, schema=ACLED_SCHEMA, orient="row") if rows else pl.DataFrame(schema=ACLED_SCHEMA)


def _epoch(ts) -> float:
    if isinstance(ts, datetime):
        return (ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)).timestamp()
    return float(ts)


# --------------------------------------------------------------------------- UCDP


def _span(inc: dict) -> tuple[date, date, int]:
    """(date_start, date_end, date_prec): 1 the day, 2 a span of 2-6 days, 3 the week, 4 the
    month, 5 the year."""
    d, prec = inc["event_date"], inc.get("date_precision")
    s, e = inc.get("start_date"), inc.get("end_date")
    if s and e and s != e:
        n = (e - s).days
        return s, e, 2 if n <= 6 else (3 if n <= 7 else (4 if n <= 31 else 5))
    if prec == "week":
        return d, d + timedelta(days=6), 3
    if prec == "month":
        return d, d.replace(day=calendar.monthrange(d.year, d.month)[1]), 4
    if prec == "year":
        return d, date(d.year, 12, 31), 5
    return d, d, 1


def ucdp_frame(con: duckdb.DuckDBPyConnection, gazetteer=None) -> pl.DataFrame:
    gz, reports, contexts = _frame_inputs(con, gazetteer)
    rows = []
    for inc in _incidents(con):
        killed = inc.get("killed")
        cause = inc.get("cause")
        et = inc.get("acled_type")
        if not killed or killed <= 0:
            continue
        if cause is not None and cause != "violence":
            continue
        if cause is None and et not in _VIOLENT:
            continue
        loc = inc.get("location")
        entry = gz.entries.get(loc) if loc else None
        cc = entry.country_code if entry else None
        a1, a2 = inc.get("actor1"), inc.get("actor2")
        i1, i2 = inter_code(a1, cc, gz), inter_code(a2, cc, gz)
        victim = inc.get("victim_side")
        if victim == "civilians" or et == "Violence against civilians":
            tov, side_a, side_b = 3, a1, "Civilians"
        elif i1 in (1, 8) or i2 in (1, 8):
            tov = 1
            side_a, side_b = (a1, a2) if i1 in (1, 8) else (a2, a1)
        elif i1 == 2 and i2 == 2:
            tov, side_a, side_b = 2, a1, a2
        else:
            tov, side_a, side_b = None, a1, a2
        best = int(killed)
        low = min(int(inc["killed_low"]) if inc.get("killed_low") is not None else best, best)
        high = max(int(inc["killed_high"]) if inc.get("killed_high") is not None else best, best)
        deaths = {"a": 0, "b": 0, "civ": 0, "unk": 0}
        if victim == "civilians":
            deaths["civ"] = best
        elif victim and victim == side_a:
            deaths["a"] = best
        elif victim and victim == side_b:
            deaths["b"] = best
        else:
            deaths["unk"] = best
        start, end, dprec = _span(inc)
        naming = place_naming(loc, contexts.get(inc["incident_id"], []), gz)
        reps = reports.get(inc["incident_id"], [])
        seen, arts, dates = set(), [], []
        for r in reps:
            if r["doc_id"] in seen:
                continue
            seen.add(r["doc_id"])
            pub = r["published_date"].isoformat() if r.get("published_date") else "date unknown"
            title = f' "{r["title"]}"' if r.get("title") else ""
            arts.append(f"{_source_name(r)}, {pub},{title} ({r['url'] or r['doc_id']})")
            dates.append(pub)
        rows.append({
            "type_of_violence": tov, "side_a": side_a, "side_b": side_b,
            "date_start": start, "date_end": end, "date_prec": dprec,
            "where_prec": _WHERE.get(naming) if naming else None,
            "latitude": entry.lat if entry else None, "longitude": entry.lon if entry else None,
            "country": gz.states.get(cc) if cc else None, "region": None,
            "deaths_a": deaths["a"], "deaths_b": deaths["b"], "deaths_civilians": deaths["civ"],
            "deaths_unknown": deaths["unk"], "best": best, "low": low, "high": high,
            "source_article": "; ".join(arts) or None, "source_date": "; ".join(dates) or None,
        })
    return pl.DataFrame(rows, schema=UCDP_SCHEMA, orient="row") if rows else pl.DataFrame(schema=UCDP_SCHEMA)


# --------------------------------------------------------------------------- writing

LAYOUTS = {"acled": acled_frame, "ucdp": ucdp_frame}


def export_layout(warehouse: str | Path, layout: str, fmt: str, out: str | Path, gazetteer=None) -> Path:
    """Write the layout to ``out`` (a file; a folder gets ``<layout>.<fmt>``). Returns the path."""
    from pipeline.lib import warehouse as wh

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}: use acled or ucdp")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out.mkdir(parents=True, exist_ok=True)
        out = out / f"{layout}.{fmt}"
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
    with wh.connect(warehouse, read_only=True) as con:
        df = LAYOUTS[layout](con, gazetteer)
    if fmt == "parquet":
        df.write_parquet(out)
    else:
        df.write_csv(out)
    return out
