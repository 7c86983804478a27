-- Killed and wounded per day: one row per day with any casualty booked on it. Each incident
-- counts once, however many outlets reported it (the incident carries its counted toll: per side
-- the latest figure, an all-sides total replacing the per-side figures it covers, never the sum
-- of reports; see `incident_tolls`). Only political violence reaches it (stg_incidents). A
-- multi-day episode's toll is booked on its days by the day rule: spread evenly over
-- start_date..end_date, whole numbers, the remainder on the first day (ACLED's practice;
-- pipeline.lib.incidents.book_days), so the days still sum to the incidents' totals. `incidents`
-- and `reports` (documents behind them) count an episode on each day it has casualties booked;
-- disputed incidents are counted and flagged in `disputed_incidents`.
with casualty_incidents as (
    select *, cast(date_diff('day', start_date, end_date) + 1 as integer) as n_days
    from stg_incidents
    where coalesce(killed, 0) > 0 or coalesce(wounded, 0) > 0
),
incident_days as (
    select *, unnest(range(n_days)) as i
    from casualty_incidents
),
booked as (
    select
        start_date + cast(i as integer) as day,
        coalesce(killed, 0) // n_days + case when i = 0 then coalesce(killed, 0) % n_days else 0 end as killed,
        coalesce(wounded, 0) // n_days + case when i = 0 then coalesce(wounded, 0) % n_days else 0 end as wounded,
        n_documents,
        disputed
    from incident_days
)
select
    day,
    cast(sum(killed) as integer) as killed,
    cast(sum(wounded) as integer) as wounded,
    cast(count(*) as integer) as incidents,
    cast(sum(n_documents) as integer) as reports,
    cast(count(*) filter (where disputed) as integer) as disputed_incidents
from booked
where killed > 0 or wounded > 0
group by day
order by day
