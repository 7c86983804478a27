-- Staging view over `events`: every extracted event with the publication date and outlet of
-- the document that reported it. Events of documents marked as copies (duplicate_of not NULL)
-- are excluded, so a story re-run by several sites counts once. `cause` (violence, disaster,
-- accident, disease, crime, unknown; NULL without casualties), `acled_sub_type`, `disorder_type`
-- and `event_end_date` (last day of a stated span) come last.
select
    e.event_id,
    e.incident_id,
    e.doc_id,
    d.outlet,
    d.published_date,
    e.event_type,
    e.event_mode,
    e.acled_type,
    e.actor1,
    e.actor2,
    e.location,
    e.event_date,
    e.date_precision,
    e.killed,
    e.killed_low,
    e.killed_high,
    e.wounded,
    e.wounded_low,
    e.wounded_high,
    e.victim_side,
    e.claimed_by,
    e.disputed,
    e.scope,
    e.evidence,
    e.start_char,
    e.end_char,
    e.event_end_date,
    e.cause,
    e.acled_sub_type,
    e.disorder_type
from events as e
join documents as d on d.doc_id = e.doc_id
where d.duplicate_of is null
