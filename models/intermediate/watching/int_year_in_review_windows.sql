{#-
  The year in review's window per account, in local days (macro year_in_review_window): var
  year_in_review_year, else vars year_in_review_start_date / _end_date, else the 12 months up to
  the account's last local day with any export event.
  Grain: one row per account with export events.
-#}
{%- set window = year_in_review_window('last_event_date') -%}

with

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

accounts as (
    select
        account_id,
        max(time_zone) as time_zone,
        max(time_zone_source) as time_zone_source,
        max(event_local_date) as last_event_date
    from events
    -- (Spark's dateadd fails on a null date)
    where event_local_date is not null
    group by account_id
),

final as (
    select
        ---------- ids
        account_id,
        ---------- attributes
        time_zone,
        time_zone_source,
        '{{ window[2] }}' as window_source,
        {{ window[0] }} as window_start_date,
        {{ window[1] }} as window_end_date
    from accounts
)

select * from final
