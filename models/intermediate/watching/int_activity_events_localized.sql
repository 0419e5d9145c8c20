{#-
  Every export event (int_export_events_unioned) with its time in the account's local clock
  (int_account_time_zones_resolved): the local timestamp, day, ISO weekday and hour every
  watching and posting mart groups by. DST-correct (macro utc_to_local).
  Grain: one row per event, as int_export_events_unioned.
-#}

with

events as (
    select * from {{ ref('int_export_events_unioned') }}
),

time_zones as (
    select * from {{ ref('int_account_time_zones_resolved') }}
),

localized as (
    select
        events.event_id,
        events.account_id,
        events.video_id,
        events.event_kind,
        events.event_at,
        {{ utc_to_local('events.event_at', 'time_zones.time_zone') }} as event_local_at,
        time_zones.time_zone,
        time_zones.time_zone_source
    from events
    inner join time_zones
        on events.account_id = time_zones.account_id
),

final as (
    select
        ---------- ids
        event_id,
        account_id,
        video_id,
        ---------- attributes
        event_kind,
        time_zone,
        time_zone_source,
        ---------- timestamps
        event_at,
        event_local_at,
        cast(event_local_at as date) as event_local_date,
        {{ day_of_week('event_local_at') }} as local_weekday_number,
        {{ hour_of_day('event_local_at') }} as local_hour_of_day
    from localized
)

select * from final
