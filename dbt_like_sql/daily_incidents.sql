-- Incidents per day and PLOVER event type (ASSAULT, FIGHT, CONSULT, COERCE, ...), each real-world
-- incident counted once per day it covers (political violence and incidents without casualties:
-- stg_incidents); `reports` counts the documents that reported them. A multi-day episode counts on
-- each of its days, its killed and wounded booked by the same day rule as daily_casualties
-- (spread evenly, remainder on the first day).
with incident_days as (
    select *, unnest(range(cast(date_diff('day', start_date, end_date) + 1 as integer))) as i,
           cast(date_diff('day', start_date, end_date) + 1 as integer) as n_days
    from stg_incidents
)
select
    start_date + cast(i as integer) as day,
    event_type,
    cast(count(*) as integer) as incidents,
    cast(sum(n_documents) as integer) as reports,
    cast(sum(coalesce(killed, 0) // n_days + case when i = 0 then coalesce(killed, 0) % n_days else 0 end) as integer) as killed,
    cast(sum(coalesce(wounded, 0) // n_days + case when i = 0 then coalesce(wounded, 0) % n_days else 0 end) as integer) as wounded
from incident_days
group by all
order by day, event_type
