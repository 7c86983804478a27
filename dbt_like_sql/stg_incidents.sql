-- Staging view over `incidents`: one row per real-world incident, restricted to incidents that
-- happened on one known day (scope = 'incident', date_precision = 'day'). Aggregates over a
-- period and historical totals ("6,500 killed in the 2020 war") never pass this view, so they
-- can never reach the daily tables.
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
    disputed
from incidents
where scope = 'incident'
  and date_precision = 'day'
  and event_date is not null
