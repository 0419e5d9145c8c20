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

zoned as (
    select
        events.event_id,
        events.account_id,
        events.video_id,
        events.event_kind,
        events.event_at,
        {{ dbt.date_trunc('hour', 'events.event_at') }} as utc_hour,
        time_zones.time_zone,
        time_zones.time_zone_source
    from events
    inner join time_zones
        on events.account_id = time_zones.account_id
),

-- Each zone's offset from UTC at the start and at the end of every UTC hour that has events:
-- where they agree the clock did not change within the hour (zones change at most once in an
-- hour), so each event's local time is its UTC time plus that offset. An hour with a change is
-- converted event by event. One time-zone lookup per hour instead of per event, which is most
-- of this model's cost on millions of events.
zone_hours as (
    select distinct
        time_zone,
        utc_hour,
        {{ dbt.dateadd('hour', 1, 'utc_hour') }} as next_utc_hour
    from zoned
    where utc_hour is not null
),

hour_offsets as (
    select
        time_zone,
        utc_hour,
        {{ dbt.datediff('utc_hour', utc_to_local('utc_hour', 'time_zone'), 'second') }}
            as offset_seconds,
        {{ dbt.datediff('next_utc_hour', utc_to_local('next_utc_hour', 'time_zone'), 'second') }}
            as next_offset_seconds
    from zone_hours
),

localized as (
    select
        zoned.event_id,
        zoned.account_id,
        zoned.video_id,
        zoned.event_kind,
        zoned.event_at,
        case
            when hour_offsets.offset_seconds = hour_offsets.next_offset_seconds
                then {{ add_seconds('zoned.event_at', 'hour_offsets.offset_seconds') }}
            else {{ utc_to_local('zoned.event_at', 'zoned.time_zone') }}
        end as event_local_at,
        zoned.time_zone,
        zoned.time_zone_source
    from zoned
    left join hour_offsets
        on
            zoned.time_zone = hour_offsets.time_zone
            and zoned.utc_hour = hour_offsets.utc_hour
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
