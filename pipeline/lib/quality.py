"""Data-quality rules over the warehouse, as SQL returning the offending rows (no Dagster here).

Each rule is (name, description, SQL). A rule passes when its SQL returns no row; the Dagster
layer turns them into asset checks (blocking ones stop downstream assets on broken data).
"""

from __future__ import annotations

BLOCKING = {
    "events": [
        ("event_has_document_and_evidence",
         "Every event belongs to a stored document and its evidence is the body's text at start_char..end_char.",
         """SELECT e.event_id FROM events e LEFT JOIN documents d USING (doc_id)
            WHERE d.doc_id IS NULL OR e.evidence IS NULL OR e.start_char < 0
               OR e.end_char > length(d.body)
               OR substr(d.body, e.start_char + 1, e.end_char - e.start_char) <> e.evidence"""),
        ("counts_consistent",
         "Counts are non-negative and low <= best <= high for killed and wounded.",
         """SELECT event_id FROM events WHERE
              coalesce(killed, 0) < 0 OR coalesce(wounded, 0) < 0
           OR coalesce(killed_low, 0) < 0 OR coalesce(wounded_low, 0) < 0
           OR (killed_low IS NOT NULL AND killed IS NOT NULL AND killed_low > killed)
           OR (killed_high IS NOT NULL AND killed IS NOT NULL AND killed > killed_high)
           OR (wounded_low IS NOT NULL AND wounded IS NOT NULL AND wounded_low > wounded)
           OR (wounded_high IS NOT NULL AND wounded IS NOT NULL AND wounded > wounded_high)"""),
    ],
    "incidents": [
        ("incident_has_events",
         "Every incident is backed by at least one event (and every event of a kept document has an "
         "incident, except generic statements, which never form one).",
         """SELECT i.incident_id FROM incidents i WHERE NOT EXISTS
              (SELECT 1 FROM events e WHERE e.incident_id = i.incident_id)
            UNION ALL
            SELECT e.event_id FROM events e JOIN documents d USING (doc_id)
            WHERE d.duplicate_of IS NULL AND e.incident_id IS NULL
              AND e.scope IS DISTINCT FROM 'generic'"""),
    ],
    "daily_casualties": [
        ("daily_sums_equal_incident_sums",
         "Killed and wounded summed over the days equal the sums over the counted incidents (each "
         "counted once; political violence of known days); every day of a one-day incident has its "
         "row, and every row's day lies within a counted incident's days (episodes are spread over theirs).",
         """WITH inc AS (
              SELECT event_date, coalesce(start_date, event_date) AS s,
                     greatest(coalesce(end_date, event_date), coalesce(start_date, event_date)) AS e,
                     coalesce(killed, 0) AS k, coalesce(wounded, 0) AS w
              FROM incidents WHERE scope = 'incident' AND date_precision = 'day' AND event_date IS NOT NULL
                AND (cause = 'violence' OR cause IS NULL)
                AND (coalesce(killed, 0) > 0 OR coalesce(wounded, 0) > 0)),
            tot AS (SELECT (SELECT coalesce(sum(k), 0) FROM inc) AS ik, (SELECT coalesce(sum(w), 0) FROM inc) AS iw,
                           (SELECT coalesce(sum(killed), 0) FROM daily_casualties) AS dk,
                           (SELECT coalesce(sum(wounded), 0) FROM daily_casualties) AS dw)
            SELECT NULL AS day FROM tot WHERE ik <> dk OR iw <> dw
            UNION ALL
            SELECT dc.day FROM daily_casualties dc
            WHERE NOT EXISTS (SELECT 1 FROM inc WHERE dc.day BETWEEN inc.s AND inc.e)
            UNION ALL
            SELECT inc.s FROM inc WHERE inc.s = inc.e
              AND NOT EXISTS (SELECT 1 FROM daily_casualties dc WHERE dc.day = inc.s)"""),
        ("only_incident_scope_in_daily",
         "Nothing but scope = 'incident' (aggregates over periods, historical war totals) reaches the daily tables.",
         """SELECT s.incident_id FROM stg_incidents s JOIN incidents i USING (incident_id)
            WHERE i.scope <> 'incident' OR i.date_precision <> 'day'"""),
    ],
    "ingested_documents": [
        ("doc_id_unique", "doc_id is unique in documents.",
         "SELECT doc_id FROM documents GROUP BY doc_id HAVING count(*) > 1"),
    ],
}

WARNINGS = {
    "ingested_documents": [
        ("documents_without_publication_date",
         "Documents whose publication date is unknown (relative dates cannot be resolved).",
         "SELECT doc_id FROM documents WHERE published_date IS NULL"),
        ("rejected_share_below_20_percent",
         "More than a fifth of the input files were rejected.",
         """SELECT 1 FROM (SELECT count(*) FILTER (WHERE n_documents = 0) AS bad, count(*) AS n
            FROM source_files) WHERE n > 0 AND bad > 0.2 * n"""),
    ],
    "events": [
        ("events_without_date", "Events whose date could not be resolved.",
         "SELECT event_id FROM events WHERE event_date IS NULL"),
    ],
}


def failures(con, sql: str, limit: int = 20) -> tuple[int, list]:
    """(number of offending rows, the first ``limit`` of them)."""
    rows = con.execute(f"SELECT * FROM ({sql}) LIMIT {int(limit)}").fetchall()
    n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] if len(rows) == limit else len(rows)
    return n, rows
