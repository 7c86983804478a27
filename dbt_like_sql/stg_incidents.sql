-- Staging view over `incidents`: one row per real-world incident that the daily tables count:
-- incidents that happened on known days (scope = 'incident', date_precision = 'day') and are
-- political violence (cause = 'violence'; a NULL cause, as on incidents without casualties or
-- from an extractor that does not code cause yet, is read as violence). Aggregates over a period,
-- historical totals ("6,500 killed in the 2020 war"), generic statements (they form no incident)
-- and deaths of disasters, accidents, disease or ordinary crime never pass this view, so they can
-- never reach the daily tables; they stay queryable in `incidents` (column `cause`). `day` is the
-- first day; a multi-day episode runs from `start_date` to `end_date` (both = `day` otherwise).
select
    incident_id,
    event_date as day,
    event_type,
    acled_type,
    location,
    actor1,
    actor2,
    victim_side,
    killed,
    wounded,
    n_reports,
    n_documents,
    disputed,
    coalesce(start_date, event_date) as start_date,
    greatest(coalesce(end_date, event_date), coalesce(start_date, event_date)) as end_date,
    cause,
    acled_sub_type,
    disorder_type
from incidents
where scope = 'incident'
  and date_precision = 'day'
  and event_date is not null
  and (cause = 'violence' or cause is null)
