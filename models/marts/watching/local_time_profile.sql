{#-
  When an account watches and posts, by ISO weekday and hour in its local time (the hour x
  weekday heatmap). Posts: published posts, kept or later deleted. Every one of the 7 x 24 slots
  is present (0 where nothing happened) for each activity the account has.
  Grain: one row per (account_id, activity, weekday_number, hour_of_day).
-#}

with

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

activity_events as (
    select
        account_id,
        case when event_kind = 'watched' then 'watched' else 'posted' end as activity,
        time_zone,
        time_zone_source,
        event_local_date,
        local_weekday_number,
        local_hour_of_day
    from events
    where event_kind in ('watched', 'posted', 'deleted')
),

activities as (
    select
        account_id,
        activity,
        max(time_zone) as time_zone,
        max(time_zone_source) as time_zone_source,
        min(event_local_date) as first_event_date,
        max(event_local_date) as last_event_date,
        count(*) as activity_event_count
    from activity_events
    group by account_id, activity
),

weekdays as (
    {{ integer_rows('weekday_number', 1, 7) }}
),

hours as (
    {{ integer_rows('hour_of_day', 0, 23) }}
),

slot_counts as (
    select
        account_id,
        activity,
        local_weekday_number as weekday_number,
        local_hour_of_day as hour_of_day,
        count(*) as event_count
    from activity_events
    group by account_id, activity, local_weekday_number, local_hour_of_day
),

final as (
    select
        ---------- ids
        activities.account_id,
        activities.activity,
        cast(weekdays.weekday_number as bigint) as weekday_number,
        cast(hours.hour_of_day as bigint) as hour_of_day,
        ---------- attributes
        activities.time_zone,
        activities.time_zone_source,
        ---------- coverage
        activities.first_event_date,
        activities.last_event_date,
        ---------- measures
        cast(coalesce(slot_counts.event_count, 0) as bigint) as event_count,
        coalesce(slot_counts.event_count, 0) / cast(activities.activity_event_count as double) as event_share
    from activities
    cross join weekdays
    cross join hours
    left join slot_counts
        on
            activities.account_id = slot_counts.account_id
            and activities.activity = slot_counts.activity
            and weekdays.weekday_number = slot_counts.weekday_number
            and hours.hour_of_day = slot_counts.hour_of_day
)

select * from final
