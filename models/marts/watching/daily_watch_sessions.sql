{#-
  Watching per account and local day. Videos count on the day they were watched; a session (with
  its minutes) counts on the day it started, so a session across midnight counts once. The band:
  the lowest and highest value over the session gaps (watch_session_gaps(), default 5 and 30
  minutes at the ends), since watch history has no durations to decide between them.
  Grain: one row per (account_id, watch_date) with at least one watch.
-#}
{%- set primary_gap = watch_session_primary_gap() -%}
{%- set gaps = watch_session_gaps() -%}

with

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

sessions as (
    select * from {{ ref('watch_sessions') }}
),

gaps as (
    {{ watch_session_gaps_sql() }}
),

watch_days as (
    select
        account_id,
        event_local_date as watch_date,
        max(time_zone) as time_zone,
        count(*) as video_count,
        count(case when {{ is_night_hour('local_hour_of_day') }} then 1 end) as night_video_count
    from events
    where event_kind = 'watched'
    group by account_id, event_local_date
),

session_days as (
    select
        account_id,
        gap_minutes,
        session_date,
        count(*) as session_count,
        sum(estimated_minutes) as estimated_minutes,
        count(case when is_return then 1 end) as return_count
    from sessions
    group by account_id, gap_minutes, session_date
),

-- every watch day at every gap: a day whose session started the evening before has 0 sessions
day_gaps as (
    select
        watch_days.account_id,
        watch_days.watch_date,
        gaps.gap_minutes,
        coalesce(session_days.session_count, 0) as session_count,
        coalesce(session_days.estimated_minutes, 0) as estimated_minutes,
        coalesce(session_days.return_count, 0) as return_count
    from watch_days
    cross join gaps
    left join session_days
        on
            watch_days.account_id = session_days.account_id
            and watch_days.watch_date = session_days.session_date
            and gaps.gap_minutes = session_days.gap_minutes
),

banded as (
    {{ watch_gap_band(
        'day_gaps', ['account_id', 'watch_date'], ['session_count', 'estimated_minutes', 'return_count'],
    ) }}
),

final as (
    select
        ---------- ids
        watch_days.account_id,
        watch_days.watch_date,
        ---------- attributes
        watch_days.time_zone,
        cast({{ primary_gap }} as integer) as gap_minutes,
        cast({{ gaps | first }} as integer) as shortest_gap_minutes,
        cast({{ gaps | last }} as integer) as longest_gap_minutes,
        ---------- measures
        cast(watch_days.video_count as bigint) as video_count,
        cast(watch_days.night_video_count as bigint) as night_video_count,
        cast(banded.session_count as bigint) as session_count,
        cast(banded.return_count as bigint) as return_count,
        cast(banded.estimated_minutes as double) as estimated_watch_minutes,
        cast(banded.session_count_low as bigint) as session_count_low,
        cast(banded.session_count_high as bigint) as session_count_high,
        cast(banded.estimated_minutes_low as double) as estimated_watch_minutes_low,
        cast(banded.estimated_minutes_high as double) as estimated_watch_minutes_high
    from watch_days
    inner join banded
        on
            watch_days.account_id = banded.account_id
            and watch_days.watch_date = banded.watch_date
)

select * from final
