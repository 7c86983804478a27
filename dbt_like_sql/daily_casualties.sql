-- Killed and wounded per day: one row per day with any casualty. Each incident counts once,
-- however many outlets reported it (the incident carries the best-supported figure, never the
-- sum of reports). `reports` counts the documents behind the day's incidents; disputed
-- incidents are counted and flagged in `disputed_incidents`.
with casualty_incidents as (
    select *
    from stg_incidents
    where coalesce(killed, 0) > 0 or coalesce(wounded, 0) > 0
)
select
    day,
    cast(sum(coalesce(killed, 0)) as integer) as killed,
    cast(sum(coalesce(wounded, 0)) as integer) as wounded,
    cast(count(*) as integer) as incidents,
    cast(sum(n_documents) as integer) as reports,
    cast(count(*) filter (where disputed) as integer) as disputed_incidents
from casualty_incidents
group by day
order by day
