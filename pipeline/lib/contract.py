"""The column contract: one description for every column of every warehouse table and SQL model.

One source for three readers: the Dagster column schema of each asset
(``dagster/column_schema`` carries these descriptions), the README's table reference
(``python -m pipeline docs`` rewrites the section between the markers) and the test that every
column of a warehouse after a run has a description (tests/test_contract.py) -- so a column
added to ``warehouse.SCHEMA`` or to a SQL file must be described here too; the test names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Table:
    one_row_per: str
    columns: dict[str, str] = field(default_factory=dict)
    kind: str = "table"  # 'table' | 'view'


# Descriptions shared by several tables.
_DOC_ID = "Document identifier: the file's path relative to the input folder without extension, plus ':<record_no>' for multi-record files (jsonl, json, csv)."
_SOURCE_FILE = "Path of the input file, relative to the input folder (POSIX separators)."
_BATCH = "Batch (dynamic partition of `batches`) that read the file: every new or changed file of one run is one batch."
_RECORD_NO = "Record number inside a multi-record file (jsonl line, json array item, csv row); NULL for single-document files."
_CANONICAL = "Canonical name from the gazetteer (pipeline/data/gazetteer), the form written to every table."
_COUNTRY = "ISO 3166-1 alpha-3 country code from the gazetteer (a place: the state it lies in de jure; a person: their state); NULL for international bodies."
_ACTOR_TYPE = "Kind of actor in the gazetteer: state, government, armed_force, de_facto_authority, organisation, person or place."
_EVENT_TYPE = "PLOVER event type (ASSAULT, FIGHT, CONSULT, COERCE, DISAPPROVE, REJECT, AGREE, ...)."
_ACLED_TYPE = "ACLED event type where one fits: Battles, Explosions/Remote violence, Violence against civilians, Strategic developments, Protests, Riots; NULL otherwise."
_ACLED_SUB = "ACLED sub-event type (e.g. Armed clash, Shelling/artillery/missile attack, Attack); NULL when none fits."
_DISORDER = "ACLED disorder type: Political violence, Demonstrations or Strategic developments; NULL when none fits."
_CAUSE = "Cause of the deaths or injuries: violence, disaster, accident, disease, crime or unknown; NULL for rows without casualties. Only violence reaches the daily tables."
_ACTOR1 = "First actor (the one who acts: subject or passive agent), canonical name; NULL when not named."
_ACTOR2 = "Second actor (the one acted on or met), canonical name; NULL when not named."
_LOCATION = "Place where it happened, canonical name of a gazetteer place or state; NULL when not named."
_EVENT_DATE = "Day the event happened (relative dates resolved against the publication date); for week/month/year precision the first day of the period; NULL when unknown."
_DATE_PREC = "Precision of the date: day, week, month, year or unknown."
_KILLED = "People killed, the best figure (\"dozens\" 12, \"tens\" 10, \"hundreds\" 100 as ACLED codes them); NULL when the text states no number."
_KILLED_LOW = "Lower bound of killed (\"at least 3\" -> 3; a range's low end); NULL when not stated."
_KILLED_HIGH = "Upper bound of killed (\"up to 5\", a range's high end); NULL when not stated."
_WOUNDED = "People wounded, the best figure; NULL when the text states no number."
_WOUNDED_LOW = "Lower bound of wounded; NULL when not stated."
_WOUNDED_HIGH = "Upper bound of wounded; NULL when not stated."
_COUNTS = {"killed": _KILLED, "killed_low": _KILLED_LOW, "killed_high": _KILLED_HIGH,
           "wounded": _WOUNDED, "wounded_low": _WOUNDED_LOW, "wounded_high": _WOUNDED_HIGH}
_VICTIM_SIDE = "Side the dead or wounded belong to (canonical actor or 'civilians'); NULL when not stated."
_CLAIMED_BY = "Who states the figure or the event (speaker of a reporting verb, canonical name; the outlet when nobody is named)."
_DISPUTED = "True when another party denies the claim (in the same or the next sentences); disputed figures are counted and flagged."
_SCOPE = "incident (one incident on one day), aggregate (a toll over a period), historical (total of a past war), generic (a general statement); only incident reaches the daily tables."
_INCIDENT_ID = "Incident the row belongs to: 'inc-' + 16 hex of sha1 of its first report's event_id (stable when later reports join)."
_N_DOCS = "Distinct documents behind it."
_PUBLISHED = "Publication date of the document (manifest, record metadata, dateline or text: see documents.published_date_basis)."
_OUTLET = "Outlet (news organisation or site) that published the document; NULL when unknown."
_EVIDENCE = "The sentence that states the event, exactly documents.body[start_char:end_char]."
_START = "Offset of the first character of the sentence in documents.body."
_END = "Offset after the last character of the sentence in documents.body."

TABLES: dict[str, Table] = {
    "source_files": Table("input file ingested", {
        "source_file": _SOURCE_FILE,
        "file_hash": "sha256 of the file's bytes: a changed hash makes the next run re-read the file and replace its rows.",
        "size_bytes": "Size of the file in bytes.",
        "n_documents": "Documents read from the file.",
        "n_rejected": "Records of the file that were rejected (see rejected_documents).",
        "batch_id": _BATCH,
        "ingested_at": "When the file was read (UTC).",
    }),
    "documents": Table("document read", {
        "doc_id": _DOC_ID,
        "source_file": _SOURCE_FILE,
        "record_no": _RECORD_NO,
        "title": "Title: the first non-empty line (txt/md), the page title (html) or the record's title field.",
        "outlet": _OUTLET,
        "url": "URL of the article (manifest, record or page metadata); NULL when unknown.",
        "published_date": _PUBLISHED,
        "published_date_basis": "Where published_date comes from: manifest, record, dateline, text or unknown.",
        "language": "ISO 639-1 language detected by py3langid (documents in other languages than English are rejected).",
        "body": "Cleaned text that extraction reads: title once as the first line, repeated lines, page chrome and a restating standfirst removed (see removed_lines).",
        "raw_text": "Text as read, newlines normalised, before cleaning.",
        "n_words": "Words in body.",
        "content_hash": "sha256 of the raw text.",
        "duplicate_of": "NULL when the document is kept; else the doc_id of the kept copy it duplicates (its events never reach the daily tables).",
        "batch_id": _BATCH,
        "ingested_at": "When the document was read (UTC).",
    }),
    "rejected_documents": Table("rejected file or record", {
        "source_file": _SOURCE_FILE,
        "record_no": _RECORD_NO,
        "reason": "Why it was rejected, in words (empty file, binary content, unsupported language, invalid JSON on line 2, ...).",
        "batch_id": _BATCH,
        "rejected_at": "When it was rejected (UTC).",
    }),
    "ingest_warnings": Table("warning", {
        "batch_id": _BATCH,
        "message": "The warning: manifest rows naming missing files, malformed or future dates, manifest vs record conflicts.",
        "logged_at": "When it was logged (UTC).",
    }),
    "removed_lines": Table("line removed inside a document", {
        "doc_id": _DOC_ID,
        "line_no": "Line number in the raw text (1-based).",
        "text": "The removed line.",
        "reason": "Why: repeated_headline, repeated_line, chrome_pattern, chrome_short_line, standfirst_restates_lead, photo_caption, ...",
    }),
    "dedup_pairs": Table("copy found across documents", {
        "doc_id": "The copy (its documents.duplicate_of is set).",
        "duplicate_of": "The kept document it copies: the earliest published, then the most complete.",
        "similarity": "Exact Jaccard or containment of the shingle sets (1.0 for exact copies).",
        "method": "exact, minhash_jaccard or containment.",
    }),
    "doc_signatures": Table("kept document (dedup cache)", {
        "doc_id": _DOC_ID,
        "n_words": "Words in the body the signature was computed on.",
        "published_date": _PUBLISHED,
        "signature": "MinHash signature (128 values) plus anchor shingles, binary: new documents are checked against these.",
    }),
    "nlp_docs": Table("parsed document (spaCy cache)", {
        "doc_id": _DOC_ID,
        "content_hash": "Hash of the body that was parsed: a changed body is parsed again.",
        "model": "spaCy model package and version that parsed it.",
        "docbin": "The parse as a spaCy DocBin (binary), read by the events stage.",
    }),
    "entities": Table("entity mention", {
        "doc_id": _DOC_ID,
        "start_char": "Offset of the mention's first character in documents.body.",
        "end_char": "Offset after the mention's last character in documents.body.",
        "text": "The mention as written.",
        "label": "spaCy entity label (GPE, ORG, PERSON, LOC, NORP, FAC, ...).",
        "canonical_name": "Canonical actor or place the mention resolves to; NULL when unresolved.",
        "actor_type": _ACTOR_TYPE,
        "country_code": _COUNTRY,
        "role": "actor or place (a capital acting as its government is an actor: 'Baku said'); NULL when neither.",
    }),
    "actors": Table("gazetteer entry", {
        "canonical_name": _CANONICAL,
        "actor_type": _ACTOR_TYPE,
        "country_code": _COUNTRY,
        "aliases": "Other surface forms that resolve to it (spellings, short forms, misspellings).",
    }),
    "places": Table("gazetteer place (or state with its centroid)", {
        "canonical_name": _CANONICAL,
        "country_code": _COUNTRY,
        "lat": "Latitude, WGS84 decimal degrees (GeoNames; states: centroid).",
        "lon": "Longitude, WGS84 decimal degrees (GeoNames; states: centroid).",
    }),
    "events": Table("event stated in a sentence", {
        "event_id": "Event identifier: '<doc_id>:<start_char>:<k>', k the event's number in its sentence.",
        "doc_id": _DOC_ID,
        "event_type": _EVENT_TYPE,
        "event_mode": "Mode of the event where it matters: accuse (DISAPPROVE), deny (REJECT), ...; NULL otherwise.",
        "acled_type": _ACLED_TYPE,
        "acled_sub_type": _ACLED_SUB,
        "disorder_type": _DISORDER,
        "actor1": _ACTOR1,
        "actor2": _ACTOR2,
        "location": _LOCATION,
        "event_date": _EVENT_DATE,
        "event_end_date": "Last day of a stated span ('March 3-4', 'the two-day fighting'); NULL for one day.",
        "date_precision": _DATE_PREC,
        "date_text": "The words that gave the date ('the day prior', 'Wednesday'); empty when the publication date was used.",
        **_COUNTS,
        "victim_side": _VICTIM_SIDE,
        "claimed_by": _CLAIMED_BY,
        "disputed": _DISPUTED,
        "scope": _SCOPE,
        "cause": _CAUSE,
        "incident_id": _INCIDENT_ID,
        "evidence": _EVIDENCE,
        "start_char": _START,
        "end_char": _END,
    }),
    "event_status": Table("document the events stage processed", {
        "doc_id": _DOC_ID,
        "n_events": "Events extracted from it (0 is a valid result: the document is not read again).",
        "processed_at": "When its events were extracted (UTC).",
    }),
    "incidents": Table("real-world incident (reports merged)", {
        "incident_id": _INCIDENT_ID,
        "event_date": "Day of the incident: the modal stated day of its reports (ties: the day most reports carry, then the earliest); first day of the period for coarser precision.",
        "date_precision": "Finest precision among its reports: day, week, month, year or unknown.",
        "start_date": "First day the incident may have happened (a span of 2-6 days for episodes); NULL when not computed.",
        "end_date": "Last day the incident may have happened; NULL when not computed.",
        "event_type": _EVENT_TYPE,
        "acled_type": _ACLED_TYPE,
        "acled_sub_type": _ACLED_SUB,
        "disorder_type": _DISORDER,
        "cause": _CAUSE,
        "location": _LOCATION,
        "actor1": _ACTOR1,
        "actor2": _ACTOR2,
        "victim_side": _VICTIM_SIDE,
        "killed": "Killed, the conservative merged figure: the latest-published report's figure (then the higher), never the sum of reports.",
        "killed_low": "Lower bound of killed from the report whose figure counted (low <= killed).",
        "killed_high": "Upper bound of killed from the report whose figure counted (killed <= high).",
        "wounded": "Wounded, merged like killed (latest report, then the higher; never summed).",
        "wounded_low": "Lower bound of wounded from the report whose figure counted.",
        "wounded_high": "Upper bound of wounded from the report whose figure counted.",
        "n_reports": "Events (reports) merged into it.",
        "n_documents": _N_DOCS,
        "disputed": "True when any of its reports is disputed (counted and flagged).",
        "scope": "incident, aggregate, historical or generic (scopes never merge); only incident at day precision reaches the daily tables.",
    }),
    "incident_tolls": Table("figure one report gives for one incident", {
        "incident_id": _INCIDENT_ID,
        "event_id": "The event (report) stating the figure.",
        "doc_id": _DOC_ID,
        "published_date": _PUBLISHED,
        "side": "Side the figure is about (canonical actor, civilians, or NULL for all).",
        **_COUNTS,
        "claimed_by": _CLAIMED_BY,
        "disputed": _DISPUTED,
        "counted": "True for the figure the incident carries.",
        "rule": "The merge rule that chose (or passed over) this figure.",
    }),
    "stg_events": Table("event of a kept document (view)", {
        "event_id": "events.event_id.",
        "incident_id": "events.incident_id.",
        "doc_id": _DOC_ID,
        "outlet": "documents.outlet of the reporting document.",
        "published_date": "documents.published_date of the reporting document.",
        "event_type": _EVENT_TYPE,
        "event_mode": "events.event_mode.",
        "acled_type": _ACLED_TYPE,
        "acled_sub_type": _ACLED_SUB,
        "disorder_type": _DISORDER,
        "cause": _CAUSE,
        "actor1": _ACTOR1, "actor2": _ACTOR2, "location": _LOCATION,
        "event_date": _EVENT_DATE, "date_precision": _DATE_PREC,
        "event_end_date": "events.event_end_date: last day of a stated span.",
        **_COUNTS,
        "victim_side": _VICTIM_SIDE, "claimed_by": _CLAIMED_BY, "disputed": _DISPUTED, "scope": _SCOPE,
        "evidence": _EVIDENCE, "start_char": _START, "end_char": _END,
    }, kind="view"),
    "stg_incidents": Table("incident of one known day, scope incident (view)", {
        "incident_id": _INCIDENT_ID,
        "day": "incidents.event_date (day precision only).",
        "start_date": "incidents.start_date: an episode's first day (the day rule books its toll from here).",
        "end_date": "incidents.end_date: an episode's last day.",
        "event_type": _EVENT_TYPE,
        "acled_type": _ACLED_TYPE,
        "acled_sub_type": _ACLED_SUB,
        "disorder_type": _DISORDER,
        "cause": _CAUSE,
        "location": _LOCATION, "actor1": _ACTOR1, "actor2": _ACTOR2, "victim_side": _VICTIM_SIDE,
        "killed": "incidents.killed (merged, never summed).",
        "wounded": "incidents.wounded (merged, never summed).",
        "n_reports": "Events merged into the incident.",
        "n_documents": _N_DOCS,
        "disputed": "True when any report is disputed.",
    }, kind="view"),
    "daily_casualties": Table("day with any casualty", {
        "day": "The day (incidents of day precision and scope incident only).",
        "killed": "Sum over the day's incidents of incidents.killed (each incident once, however many outlets reported it).",
        "wounded": "Sum over the day's incidents of incidents.wounded.",
        "incidents": "Incidents with any killed or wounded that day.",
        "reports": "Documents behind those incidents (sum of n_documents).",
        "disputed_incidents": "Of those incidents, the disputed ones (counted, flagged here).",
    }),
    "daily_incidents": Table("day and event type", {
        "day": "The day (incidents of day precision and scope incident only).",
        "event_type": _EVENT_TYPE,
        "incidents": "Incidents of that type that day, each counted once.",
        "reports": "Documents behind them (sum of n_documents).",
        "killed": "Sum of incidents.killed.",
        "wounded": "Sum of incidents.wounded.",
    }),
}

# Worker output waiting for the events stage (issue 13): the same columns as `events`.
TABLES["staged_events"] = Table(
    "event a spaCy worker extracted, waiting for the events stage to publish it into events",
    dict(TABLES["events"].columns))
TABLES["event_staging"] = Table("document whose events a spaCy worker extracted (staged)", {
    "doc_id": _DOC_ID,
    "n_events": "Events the worker extracted from it (0 is a valid result).",
})


def describe(table: str, column: str) -> str:
    """The column's description ('' when the contract has none: the contract test fails on it)."""
    t = TABLES.get(table)
    return t.columns.get(column, "") if t else ""


def missing(columns_by_table: dict[str, list[str]]) -> list[str]:
    """'table.column' for every column without a description."""
    return [f"{t}.{c}" for t, cols in columns_by_table.items() for c in cols if not describe(t, c)]


# --------------------------------------------------------------------------- README

BEGIN = "<!-- BEGIN table-reference: generated by `python -m pipeline docs` from pipeline/lib/contract.py -->"
END = "<!-- END table-reference -->"


def reference_markdown(columns_by_table: dict[str, list[str]] | None = None) -> str:
    """The README's table reference: one section per table, every column with its description.
    ``columns_by_table`` (from a warehouse) lists the columns as built, in table order; without it
    the contract's own order is used."""
    out = []
    for name, t in TABLES.items():
        cols = (columns_by_table or {}).get(name) or list(t.columns)
        if columns_by_table is not None and name not in columns_by_table:
            continue  # announced, not in this warehouse yet
        out.append(f"#### `{name}`{' (view)' if t.kind == 'view' else ''}: one row per {t.one_row_per}\n")
        out.append("| column | description |\n|---|---|")
        for c in cols:
            d = describe(name, c).replace("|", "/").replace("<", "&lt;").replace(">", "&gt;")
            out.append(f"| `{c}` | {d} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def rewrite_readme(readme: Path, columns_by_table: dict[str, list[str]] | None = None) -> bool:
    """Replace the section between the markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise ValueError(f"{readme}: markers {BEGIN!r} ... {END!r} not found")
    new = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END),
                 lambda _m: BEGIN + "\n\n" + reference_markdown(columns_by_table) + "\n" + END,
                 text, flags=re.S)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        return True
    return False


def built_columns(sql_dir: str | Path | None = None) -> dict[str, list[str]]:
    """Columns of every table and SQL model as the code builds them today: the warehouse schema
    created in memory, then every SQL model materialised over it (no data needed)."""
    import duckdb

    from pipeline.lib import sqlmodels
    from pipeline.lib import warehouse as wh

    con = duckdb.connect(":memory:")
    try:
        wh.ensure_schema(con)
        models = sqlmodels.load_models(sql_dir)
        for name in sqlmodels.run_order(models):
            sqlmodels.materialize(con, models[name])
        return warehouse_columns(con)
    finally:
        con.close()


def warehouse_columns(con) -> dict[str, list[str]]:
    """Columns of every table and view of a warehouse connection, in table order."""
    out: dict[str, list[str]] = {}
    for t, c in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
            "ORDER BY table_name, ordinal_position").fetchall():
        out.setdefault(t, []).append(c)
    return out
