"""The pipeline's stages as plain functions over the warehouse (no Dagster here).

Every stage follows one pattern: read its inputs with a short-lived connection, compute with
no connection open (spaCy and friends run here), then write its outputs in one transaction.
So the expensive part of two batches can run in parallel processes, and only the writes take
DuckDB's single-writer lock, for a short time each.

``db`` is a callable returning a context manager that yields a DuckDB connection (the Dagster
``WarehouseResource.connect`` or :func:`pipeline.lib.warehouse.connect` bound to a path).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, ContextManager

import duckdb
import numpy as np
import polars as pl

from pipeline.lib import warehouse as wh
from pipeline.lib.gazetteer import SIDE_ACTOR_TYPES

Db = Callable[[], ContextManager[duckdb.DuckDBPyConnection]]
log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _progress(logger: logging.Logger, stage: str, done: int, total: int, every: int) -> None:
    if total and (done == total or done % every == 0):
        logger.info("%s: %d/%d documents (%.0f%%)", stage, done, total, 100.0 * done / total)


# --------------------------------------------------------------------------- ingest
def ingest(db: Db, input_dir: str | Path, batch_id: str, logger: logging.Logger = log,
           max_file_bytes: int | None = None, only_files: list[str] | None = None) -> dict:
    """Read new and changed files of ``input_dir`` into ``documents`` (body filled by dedup).

    A changed file replaces every row of its old documents in every table (no orphans).
    Unchanged files are skipped, so a second run over the same folder changes nothing.
    ``only_files`` restricts the batch to these relative paths (the sensor's batch).
    """
    from pipeline.lib import dates, ingest as ing

    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist or is not a folder")
    with db() as con:
        known = dict(con.execute("SELECT source_file, file_hash FROM source_files").fetchall())
    files = ing.scan_input(input_dir, only=set(only_files) if only_files is not None else None)
    changed = [f for f in files if known.get(f.rel) != f.sha256]
    logger.info("ingest: %d files in %s, %d new or changed", len(files), input_dir, len(changed))
    kwargs = {"max_file_bytes": max_file_bytes} if max_file_bytes else {}
    result = ing.read_documents(input_dir, files=[f.rel for f in changed], **kwargs) if changed else \
        ing.IngestResult(documents=[], rejected=[], warnings=[])
    now = _now()
    doc_rows = []
    for d in result.documents:
        published, basis = d.published_date, d.published_date_basis
        if published is None:
            published, basis = dates.infer_published_date(d.text)
        elif basis is None:
            basis = "manifest"
        doc_rows.append({
            "doc_id": d.doc_id, "source_file": d.source_file, "record_no": d.record_no,
            "title": d.title, "outlet": d.outlet, "url": d.url, "published_date": published,
            "published_date_basis": basis or "unknown", "language": d.language, "body": None,
            "raw_text": d.text, "n_words": len(d.text.split()), "content_hash": d.content_hash,
            "duplicate_of": None, "batch_id": batch_id, "ingested_at": now,
        })
    rejected_rows = [{"source_file": r.source_file, "record_no": r.record_no, "reason": r.reason,
                      "batch_id": batch_id, "rejected_at": now} for r in result.rejected]
    for r in result.rejected:
        logger.warning("rejected %s%s: %s", r.source_file,
                       f" record {r.record_no}" if r.record_no else "", r.reason)
    for w in result.warnings:
        logger.warning("ingest: %s", w)
    per_file_docs: dict[str, int] = {}
    per_file_rej: dict[str, int] = {}
    for r in doc_rows:
        per_file_docs[r["source_file"]] = per_file_docs.get(r["source_file"], 0) + 1
    for r in rejected_rows:
        per_file_rej[r["source_file"]] = per_file_rej.get(r["source_file"], 0) + 1
    file_rows = [{"source_file": f.rel, "file_hash": f.sha256, "size_bytes": f.size,
                  "n_documents": per_file_docs.get(f.rel, 0), "n_rejected": per_file_rej.get(f.rel, 0),
                  "batch_id": batch_id, "ingested_at": now} for f in changed]
    changed_rel = [f.rel for f in changed]

    def write(con):
        if changed_rel:
            old = wh_doc_ids_of_files(con, changed_rel)
            wh.delete_documents(con, old)
            wh.delete_where_in(con, "rejected_documents", "source_file", changed_rel)
            wh.delete_where_in(con, "source_files", "source_file", changed_rel)
        wh.insert_rows(con, "documents", doc_rows)
        wh.insert_rows(con, "rejected_documents", rejected_rows)
        wh.insert_rows(con, "source_files", file_rows)
        wh.insert_rows(con, "ingest_warnings",
                       [{"batch_id": batch_id, "message": w, "logged_at": now} for w in result.warnings])

    wh.write(db, "ingest", write, logger)
    stats = {"files_scanned": len(files), "files_new_or_changed": len(changed),
             "documents": len(doc_rows), "rejected": len(rejected_rows),
             "warnings": len(result.warnings)}
    logger.info("ingest: %s", stats)
    return stats


def wh_doc_ids_of_files(con: duckdb.DuckDBPyConnection, files: list[str]) -> list[str]:
    con.register("_files", pl.DataFrame({"f": files}, schema={"f": pl.String}).to_arrow())
    try:
        return [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE source_file IN (SELECT f FROM _files)").fetchall()]
    finally:
        con.unregister("_files")


# --------------------------------------------------------------------------- dedup
def dedup(db: Db, batch_id: str, cfg=None, logger: logging.Logger = log) -> dict:
    """Clean each document of the batch, then mark copies of stored or batch documents."""
    from pipeline.lib import cleaning, dedup as dd

    cfg = cfg or dd.DedupConfig()
    stored_sql = ("SELECT s.doc_id, s.n_words, s.published_date, s.signature, d.body FROM doc_signatures s "
                  "JOIN documents d USING (doc_id) WHERE d.batch_id IS DISTINCT FROM ? "
                  "AND d.duplicate_of IS NULL ORDER BY s.doc_id")
    with db() as con:
        batch = con.execute(
            "SELECT doc_id, raw_text, title, published_date FROM documents WHERE batch_id = ? "
            "ORDER BY doc_id", [batch_id]).fetchall()
        stored_rows = con.execute(stored_sql, [batch_id]).fetchall()
    cleaned, removed, new_docs = [], [], []
    for i, (doc_id, raw, title, published) in enumerate(batch, 1):
        res = cleaning.clean_document(raw, title)
        n_words = len(res.body.split())
        cleaned.append({"doc_id": doc_id, "title": res.title, "body": res.body, "n_words": n_words})
        removed += [{"doc_id": doc_id, "line_no": r.line_no, "text": r.text, "reason": r.reason}
                    for r in res.removed]
        new_docs.append(dd.DedupDoc(doc_id=doc_id, body=res.body, published_date=published,
                                    n_words=n_words))
        _progress(logger, "dedup/clean", i, len(batch), 1000)
    pub = {d.doc_id: d.published_date for d in new_docs}
    nw = {c["doc_id"]: c["n_words"] for c in cleaned}
    ids = [c["doc_id"] for c in cleaned]

    def compare(rows):
        stored = [(dd.DedupDoc(doc_id=r[0], body=r[4] or "", published_date=r[2], n_words=r[1]),
                   np.frombuffer(r[3], dtype=np.uint64)) for r in rows]
        result = dd.find_duplicates(new_docs, stored=stored, cfg=cfg)
        dup_of = {p.doc_id: p.duplicate_of for p in result.pairs}
        for c in cleaned:
            c["duplicate_of"] = dup_of.get(c["doc_id"])
        sig_rows = [{"doc_id": k, "n_words": nw[k], "published_date": pub[k],
                     "signature": np.asarray(v, dtype=np.uint64).tobytes()}
                    for k, v in result.signatures.items() if k in pub]
        pairs = [{"doc_id": p.doc_id, "duplicate_of": p.duplicate_of,
                  "similarity": float(p.similarity), "method": p.method} for p in result.pairs]
        return {"stored_ids": [r[0] for r in rows], "n_stored": len(stored), "sig_rows": sig_rows,
                "pairs": pairs}

    computed = compare(stored_rows)

    def write(con):
        # Another batch may have committed documents since the read above (concurrent batches on
        # a DuckLake warehouse): compare with those too, inside this transaction, so that two
        # batches holding copies of each other find them as they would one after the other.
        nonlocal computed
        now_ids = [r[0] for r in con.execute(
            "SELECT s.doc_id FROM doc_signatures s JOIN documents d USING (doc_id) "
            "WHERE d.batch_id IS DISTINCT FROM ? AND d.duplicate_of IS NULL ORDER BY s.doc_id",
            [batch_id]).fetchall()]
        if now_ids != computed["stored_ids"]:
            logger.info("dedup: %d documents stored meanwhile by other batches; comparing again",
                        len(set(now_ids) - set(computed["stored_ids"])))
            computed = compare(con.execute(stored_sql, [batch_id]).fetchall())
        wh.update_from(con, "documents", pl.DataFrame(cleaned, schema={
            "doc_id": pl.String, "title": pl.String, "body": pl.String, "n_words": pl.Int32,
            "duplicate_of": pl.String}), "doc_id")
        wh.replace_rows(con, "removed_lines", removed, "doc_id", ids)
        wh.replace_rows(con, "dedup_pairs", computed["pairs"], "doc_id", ids)
        wh.replace_rows(con, "doc_signatures", computed["sig_rows"], "doc_id", ids)

    wh.write(db, "dedup", write, logger)
    pairs, stored = computed["pairs"], range(computed["n_stored"])
    stats = {"documents": len(cleaned), "duplicates": len(pairs), "removed_lines": len(removed),
             "compared_with_stored": len(stored)}
    logger.info("dedup: %s", stats)
    return stats


# --------------------------------------------------------------------------- entities
#: documents the entities stage holds in memory at a time (results are spilled to Parquet files
#: every CHUNK_DOCS documents and inserted in one transaction at the end); PIPELINE_CHUNK_DOCS
#: overrides it
CHUNK_DOCS = 500

_PL_TYPES = {"VARCHAR": pl.String, "INTEGER": pl.Int32, "BIGINT": pl.Int64, "DATE": pl.Date,
             "BOOLEAN": pl.Boolean, "BLOB": pl.Binary, "DOUBLE": pl.Float64,
             "TIMESTAMP": pl.Datetime("us")}


def table_schema(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """The table's columns as a Polars schema (in table order)."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()
    return {name: _PL_TYPES[typ] for name, typ in rows}


class Spill:
    """Rows of several tables written to Parquet files chunk by chunk (bounded memory), then
    inserted with one ``INSERT ... SELECT * FROM read_parquet([...])`` per table inside the
    caller's transaction (bulk, through Arrow/Parquet, no row-by-row insert)."""

    def __init__(self, schemas: dict[str, dict]):
        import tempfile

        self.dir = Path(tempfile.mkdtemp(prefix="pipeline-spill-"))
        self.schemas = schemas
        self.files: dict[str, list[str]] = {t: [] for t in schemas}
        self.rows: dict[str, int] = {t: 0 for t in schemas}

    def add(self, table: str, rows: list[dict] | dict[str, list]) -> None:
        if not rows:
            return
        df = pl.DataFrame(rows, schema=self.schemas[table])
        if df.height == 0:
            return
        path = self.dir / f"{table}-{len(self.files[table]):05d}.parquet"
        df.write_parquet(path, compression="lz4", statistics=False)
        self.files[table].append(str(path))
        self.rows[table] += df.height

    def insert_into(self, con: duckdb.DuckDBPyConnection, table: str, source: str | None = None) -> int:
        files = self.files[source or table]
        if files:
            con.execute(f"INSERT INTO {wh._ident(table)} SELECT * FROM read_parquet(?)", [files])
        return self.rows[source or table]

    def close(self) -> None:
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)


def _batch_documents(db: Db, batch_id: str, spill_dir: Path, chunk: int):
    """(doc_id, body, published, outlet, content_hash) of the batch's kept documents, streamed
    from a Parquet copy (the connection is open only for the copy) ``chunk`` rows at a time."""
    import pyarrow.parquet as pq

    path = spill_dir / "input.parquet"
    with db() as con:
        n = con.execute("SELECT count(*) FROM documents WHERE batch_id = ? AND duplicate_of IS NULL "
                        "AND body IS NOT NULL", [batch_id]).fetchone()[0]
        con.execute(
            "COPY (SELECT doc_id, body, published_date, outlet, content_hash FROM documents "
            "WHERE batch_id = ? AND duplicate_of IS NULL AND body IS NOT NULL ORDER BY doc_id) "
            f"TO '{path}' (FORMAT parquet)", [batch_id])

    def rows():
        for rb in pq.ParquetFile(path).iter_batches(batch_size=chunk):
            cols = rb.to_pydict()
            yield from zip(cols["doc_id"], cols["body"], cols["published_date"], cols["outlet"],
                           cols["content_hash"])
    return n, rows()


def entities(db: Db, batch_id: str, nlp, gazetteer, batch_size: int = 64,
             n_process: int | Callable[[int], int] = 1, logger: logging.Logger = log,
             store_parses: bool = True, chunk_docs: int | None = None) -> dict:
    """Run spaCy once over the batch's kept documents and, in the same worker processes, resolve
    entities and extract events (:mod:`pipeline.lib.parsing`). Writes ``entities``, the parses
    (``nlp_docs``, unless ``store_parses`` is off) and the extracted events to the staging tables
    (``staged_events``, ``event_staging``) that the events stage publishes. Streams: at most
    ``chunk_docs`` documents' results are held at a time (spilled to Parquet, inserted in one
    transaction at the end)."""
    import os

    from pipeline.lib import parsing

    chunk_docs = chunk_docs or int(os.environ.get("PIPELINE_CHUNK_DOCS") or CHUNK_DOCS)
    model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    with db() as con:
        schemas = {t: table_schema(con, t) for t in ("entities", "nlp_docs", "staged_events",
                                                      "event_staging")}
    spill = Spill(schemas)
    try:
        n_docs, docs = _batch_documents(db, batch_id, spill.dir, chunk_docs)
        procs = n_process(n_docs) if callable(n_process) else n_process
        logger.info("entities: %d documents, spaCy + rules in %d process(es)", n_docs, procs)
        hashes: dict[str, str] = {}
        words = 0

        def items():
            nonlocal words
            for doc_id, body, published, outlet, chash in docs:
                hashes[doc_id] = chash
                words += len(body.split())
                yield doc_id, body, published, outlet

        ent_rows: list[dict] = []
        nlp_rows: list[dict] = []
        ev_rows: list[dict] = []
        staged: list[dict] = []
        ids: list[str] = []
        resolved = 0
        timings = parsing.Timings()

        def flush() -> None:
            spill.add("entities", ent_rows)
            spill.add("nlp_docs", nlp_rows)
            spill.add("staged_events", ev_rows)
            spill.add("event_staging", staged)
            for buf in (ent_rows, nlp_rows, ev_rows, staged):
                buf.clear()

        for i, r in enumerate(parsing.process_documents(
                nlp, gazetteer, items(), batch_size=batch_size, n_process=procs,
                store_parses=store_parses, timings=timings), 1):
            ids.append(r.doc_id)
            for e in r.entities:
                ent_rows.append({"doc_id": r.doc_id, **dict(zip(parsing.ENTITY_FIELDS, e))})
                resolved += 1 if e[4] else 0
            if r.docbin is not None:
                nlp_rows.append({"doc_id": r.doc_id, "content_hash": hashes.pop(r.doc_id, None),
                                 "model": model, "docbin": r.docbin})
            else:
                hashes.pop(r.doc_id, None)
            ev_rows += r.events
            staged.append({"doc_id": r.doc_id, "n_events": len(r.events)})
            if i % chunk_docs == 0:
                flush()
            _progress(logger, "entities", i, n_docs, 200)
        flush()
        def _write(con):
            for t in ("entities", "nlp_docs", "staged_events", "event_staging"):
                wh.delete_where_in(con, t, "doc_id", ids)
            for t in ("entities", "nlp_docs", "staged_events", "event_staging"):
                spill.insert_into(con, t)

        wh.write(db, "entities", _write, logger)
    finally:
        spill.close()
    stats = {"documents": len(ids), "words": words, "entities": spill.rows["entities"],
             "resolved": resolved, "events_extracted": spill.rows["staged_events"],
             **{f"worker_{k}": v for k, v in timings.as_dict().items() if k != "docs"}}
    logger.info("entities: %s", stats)
    return stats


def gazetteer_tables(db: Db, gazetteer) -> dict:
    from pipeline.lib import entities as ent

    actors = ent.actors_table(gazetteer)
    places = ent.places_table(gazetteer)
    def _write(con):
        con.execute("DELETE FROM actors")
        con.execute("DELETE FROM places")
        wh.insert_rows(con, "actors", actors)
        wh.insert_rows(con, "places", places)

    wh.write(db, "gazetteer", _write, None)
    return {"actors": len(actors), "places": len(places)}


# --------------------------------------------------------------------------- events
def events(db: Db, batch_id: str, nlp, gazetteer, logger: logging.Logger = log) -> dict:
    """``nlp``: the spaCy pipeline, or a zero-argument callable loading it (called only when a
    stored parse must be read)."""
    """Publish the events the entities stage extracted for the batch's kept documents (moved from
    ``staged_events`` to ``events`` in one transaction, with ``event_status``). A kept document
    with nothing staged (staged by an older version, or its staging lost) is extracted here from
    its stored parse, as before: the rules re-run without re-parsing."""
    from spacy.tokens import DocBin

    from pipeline.lib import parsing

    with db() as con:
        kept = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE batch_id = ? AND duplicate_of IS NULL "
            "AND body IS NOT NULL ORDER BY doc_id", [batch_id]).fetchall()]
        staged = dict(con.execute(
            "SELECT s.doc_id, s.n_events FROM event_staging s JOIN documents d USING (doc_id) "
            "WHERE d.batch_id = ? AND d.duplicate_of IS NULL", [batch_id]).fetchall())
        todo = con.execute(
            "SELECT n.doc_id, n.docbin, d.published_date, d.outlet FROM nlp_docs n "
            "JOIN documents d USING (doc_id) WHERE d.batch_id = ? AND d.duplicate_of IS NULL "
            "AND n.doc_id NOT IN (SELECT doc_id FROM event_staging) ORDER BY n.doc_id",
            [batch_id]).fetchall()
    out: list[dict] = []
    n_of = dict(staged)
    if todo and callable(nlp) and not hasattr(nlp, "pipe"):
        nlp = nlp()  # a loader: the model is loaded only when a parse must be re-read
    for i, (doc_id, blob, published, outlet) in enumerate(todo, 1):
        doc = next(iter(DocBin().from_bytes(blob).get_docs(nlp.vocab)))
        r = parsing.doc_outputs(doc, gazetteer, doc_id, published, outlet, store_parse=False)
        out += r.events
        n_of[doc_id] = len(r.events)
        _progress(logger, "events (from stored parses)", i, len(todo), 500)
    now = _now()
    ids = [d for d in kept if d in n_of]
    missing = len(kept) - len(ids)
    if missing:
        logger.warning("events: %d kept documents have neither staged events nor a stored parse "
                       "(re-run the entities stage for them)", missing)
    status = pl.DataFrame({"doc_id": ids, "n_events": [n_of[d] for d in ids],
                           "processed_at": [now] * len(ids)},
                          schema={"doc_id": pl.String, "n_events": pl.Int32,
                                  "processed_at": pl.Datetime("us")})
    staged_ids = [d for d in ids if d in staged]
    def _write(con):
        wh.delete_where_in(con, "events", "doc_id", ids)
        if staged_ids:
            con.register("_staged_ids", pl.DataFrame({"k": staged_ids}).to_arrow())
            try:
                cols = ", ".join(wh._ident(c) for c in wh.table_columns(con, "events"))
                con.execute(f"INSERT INTO events ({cols}) SELECT {cols} FROM staged_events "
                            "WHERE doc_id IN (SELECT k FROM _staged_ids)")
            finally:
                con.unregister("_staged_ids")
        wh.insert_rows(con, "events", out)
        wh.replace_rows(con, "event_status", status, "doc_id", ids)
        wh.delete_where_in(con, "staged_events", "doc_id", staged_ids)
        wh.delete_where_in(con, "event_staging", "doc_id", staged_ids)
        n_events, n_cas = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE coalesce(killed, 0) > 0 OR coalesce(wounded, 0) > 0) "
            "FROM events WHERE doc_id IN (SELECT doc_id FROM documents WHERE batch_id = ?)",
            [batch_id]).fetchone()
        return n_events, n_cas

    n_events, n_cas = wh.write(db, "events", _write, logger)
    stats = {"documents": len(ids), "events": n_events, "with_casualties": n_cas,
             "from_stored_parses": len(todo)}
    logger.info("events: %s", stats)
    return stats


# --------------------------------------------------------------------------- incidents
def incidents(db: Db, logger: logging.Logger = log, gazetteer=None, incremental: bool = False,
              full_share: float = 0.5) -> dict:
    """Merge the events of kept documents into incidents, with every reported figure and the
    counted-toll decision in ``incident_tolls``. Episodes are on (``MergeConfig.episode_days =
    EPISODE_DAYS``); generic-scope events get no incident.

    Incremental (``incremental=True``; off by default, because on the 10k benchmark warehouse it
    differs from a full re-merge in about 0.6% of incidents, see bench/README.md): only the new
    events (no incident yet) and the events of the stored incidents they can join (``incidents.affected_incidents``: same region,
    nearby days), plus incidents that lost reports (a changed file), are re-merged; every other
    incident stays as stored. A full re-merge runs on an empty incidents table, when the new
    events are more than ``full_share`` of all, or with ``incremental=False``."""
    from pipeline.lib import incidents as inc

    config = inc.MergeConfig(episode_days=inc.EPISODE_DAYS)
    if gazetteer is not None:
        from pipeline.lib.layouts import state_force_names

        parents, open_places = inc.place_hierarchy_from_gazetteer(gazetteer.entries)
        sides = inc.actor_states_from_gazetteer(gazetteer.entries, state_force_names())
        known = [e.canonical_name for e in gazetteer.entries if e.actor_type in SIDE_ACTOR_TYPES]
        config = inc.MergeConfig(place_parents=parents, open_places=open_places, actor_states=sides,
                                 known_sides=known, episode_days=inc.EPISODE_DAYS)
    kept = "FROM events e JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL"
    with db() as con:
        n_incidents = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        n_events, n_new = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE e.incident_id IS NULL AND "
            f"e.scope IS DISTINCT FROM 'generic') {kept}").fetchone()
        if incremental and n_incidents and n_new <= full_share * n_events:
            broken = {r[0] for r in con.execute(f"""
                SELECT i.incident_id FROM incidents i LEFT JOIN (
                    SELECT e.incident_id, count(*) AS n {kept} AND e.incident_id IS NOT NULL
                    GROUP BY 1) c USING (incident_id)
                WHERE c.n IS NULL OR c.n <> i.n_reports""").fetchall()}
            new_rows = con.sql(f"SELECT e.* EXCLUDE (incident_id) {kept} AND e.incident_id IS NULL "
                               "AND e.scope IS DISTINCT FROM 'generic'").pl().to_dicts()
            stored = con.sql(f"SELECT e.incident_id, e.doc_id, e.event_date, e.event_end_date, e.date_precision, "
                             f"e.location, e.scope {kept} AND e.incident_id IS NOT NULL").pl().to_dicts()
            affected = inc.affected_incidents(stored, new_rows, config) | broken
            del stored
            con.register("_affected", pl.DataFrame({"k": sorted(affected)},
                                                   schema={"k": pl.String}).to_arrow())
            try:
                old_rows = con.sql(f"SELECT e.* EXCLUDE (incident_id) {kept} AND e.incident_id IN "
                                   "(SELECT k FROM _affected)").pl().to_dicts()
            finally:
                con.unregister("_affected")
            event_rows = new_rows + old_rows
            ids = pl.DataFrame({"k": sorted({r["doc_id"] for r in event_rows})}, schema={"k": pl.String})
            con.register("_docs", ids.to_arrow())
            try:
                published = dict(con.execute("SELECT doc_id, published_date FROM documents "
                                             "WHERE doc_id IN (SELECT k FROM _docs)").fetchall())
            finally:
                con.unregister("_docs")
            mode = "incremental"
        else:
            ev_df = con.sql(f"SELECT e.* EXCLUDE (incident_id) {kept} "
                            "ORDER BY e.event_date, e.doc_id, e.start_char").pl()
            published = dict(con.execute("SELECT doc_id, published_date FROM documents").fetchall())
            event_rows = ev_df.to_dicts()
            del ev_df
            affected = None
            mode = "full"
    rows, mapping = inc.merge_incidents(event_rows, published, config) if event_rows else ([], {})
    tolls = inc.incident_tolls(event_rows, mapping, published) if event_rows else []
    map_df = pl.DataFrame({"event_id": list(mapping.keys()), "incident_id": list(mapping.values())},
                          schema={"event_id": pl.String, "incident_id": pl.String})
    def _write(con):
        if affected is None:
            con.execute("DELETE FROM incidents")
            con.execute("DELETE FROM incident_tolls")
            con.execute("UPDATE events SET incident_id = NULL")
        else:
            wh.delete_where_in(con, "incidents", "incident_id", sorted(affected))
            wh.delete_where_in(con, "incident_tolls", "incident_id", sorted(affected))
            con.register("_affected", pl.DataFrame({"k": sorted(affected)},
                                                   schema={"k": pl.String}).to_arrow())
            try:
                con.execute("UPDATE events SET incident_id = NULL "
                            "WHERE incident_id IN (SELECT k FROM _affected)")
            finally:
                con.unregister("_affected")
        wh.insert_rows(con, "incidents", rows)
        wh.insert_rows(con, "incident_tolls", tolls)
        if map_df.height:
            wh.update_from(con, "events", map_df, "event_id")
        total = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        return total

    total = wh.write(db, "incidents", _write, logger)
    stats = {"mode": mode, "events": n_events, "events_merged": len(event_rows),
             "incidents": total, "incidents_merged": len(rows),
             "incidents_replaced": len(affected) if affected is not None else None,
             "tolls": len(tolls),
             "casualty_incidents": sum(1 for r in rows if (r.get("killed") or r.get("wounded")))}
    logger.info("incidents: %s", stats)
    return stats


# --------------------------------------------------------------------------- summary
def run_summary(con: duckdb.DuckDBPyConnection) -> dict:
    """The short summary the CLI prints at the end of a run."""
    def one(sql: str) -> int:
        return con.execute(sql).fetchone()[0]
    days = con.execute("SELECT min(day), max(day), count(*) FROM daily_casualties").fetchone() \
        if _exists(con, "daily_casualties") else (None, None, 0)
    return {
        "documents_read": one("SELECT count(*) FROM documents"),
        "rejected": one("SELECT count(*) FROM rejected_documents"),
        "duplicates": one("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
        "events": one("SELECT count(*) FROM events"),
        "incidents": one("SELECT count(*) FROM incidents"),
        "casualty_days": days[2],
        "first_day": str(days[0]) if days[0] else None,
        "last_day": str(days[1]) if days[1] else None,
    }


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                            [name]).fetchone()[0])


# --------------------------------------------------------------------------- batches
def pending_files(db: Db, input_dir: str | Path) -> list:
    """Files of the input folder that are new or changed since they were last ingested."""
    from pipeline.lib import ingest as ing

    with db() as con:
        known = dict(con.execute("SELECT source_file, file_hash FROM source_files").fetchall())
    return [f for f in ing.scan_input(Path(input_dir)) if known.get(f.rel) != f.sha256]


def incomplete_batches(db: Db) -> list[str]:
    """Batches whose documents did not make it through every per-document stage (a crash, a
    failed step): re-running their partition completes them."""
    with db() as con:
        rows = con.execute("""
            SELECT DISTINCT d.batch_id FROM documents d
            LEFT JOIN event_status s USING (doc_id)
            WHERE d.body IS NULL OR (d.duplicate_of IS NULL AND s.doc_id IS NULL)
            ORDER BY 1""").fetchall()
    return [r[0] for r in rows if r[0]]


def batch_key(fingerprints: list[str], when: datetime | None = None) -> str:
    """A partition key for a batch: its UTC time and a hash of its files' fingerprints."""
    import hashlib

    when = when or _now()
    digest = hashlib.sha1("\n".join(sorted(fingerprints)).encode()).hexdigest()[:8]
    return f"{when:%Y%m%dT%H%M%S}-{digest}"
