-- Incidents per day and PLOVER event type (ASSAULT, FIGHT, CONSULT, COERCE, ...), each real-world
-- incident counted once; `reports` counts the documents that reported them.
select
    day,
    event_type,
    cast(count(*) as integer) as incidents,
    cast(sum(n_documents) as integer) as reports,
    cast(sum(coalesce(killed, 0)) as integer) as killed,
    cast(sum(coalesce(wounded, 0)) as integer) as wounded
from stg_incidents
group by day, event_type
order by day, event_type
