{#-
  One line per account on its whole merged watch history: what it covers first (first and last
  watch, days covered, the longest break, which may be a hole between exports), then sessions
  at the primary gap with the band over the other gaps, night watching and returns.
  Grain: one row per account with watch history.
-#}
{%- set primary_gap = watch_session_primary_gap() -%}

with

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

watches_staged as (
    select * from {{ ref('stg_tiktok_export__watches') }}
),

sessions as (
    select * from {{ ref('watch_sessions') }}
),

time_zones as (
    select * from {{ ref('int_account_time_zones_resolved') }}
),

watch_files as (
    select
        account_id,
        count(distinct source_file) as export_file_count
    from watches_staged
    group by account_id
),

watches as (
    select
        account_id,
        min(event_at) as first_watched_at,
        max(event_at) as last_watched_at,
        {{ watch_span_measures() }}
    from events
    where event_kind = 'watched'
    group by account_id
),

coverage as (
    select
        *,
        {{ dbt.datediff('first_watch_date', 'last_watch_date', 'day') }}
            as day_span
    from watches
),

bands as (
    {{ account_session_totals('sessions') }}
),

primary_sessions as (
    select * from sessions
    where gap_minutes = {{ primary_gap }}
),

primary_stats as (
    select
        account_id,
        count(*) as session_count,
        count(case when is_return then 1 end) as return_count,
        sum(estimated_minutes) / 60 as estimated_hours,
        avg(cast(video_count as double)) as mean_videos_per_session,
        {{ percentile('estimated_minutes', 0.5) }} as median_session_minutes,
        max(minutes_since_previous_session) / (60 * 24) as longest_break_days
    from primary_sessions
    group by account_id
),

ranked as (
    select
        account_id,
        started_local_at,
        estimated_minutes,
        video_count,
        row_number() over (
            partition by account_id
            order by estimated_duration_seconds desc, video_count desc, started_at asc
        ) as length_rank,
        row_number() over (
            partition by account_id
            order by minutes_since_previous_session desc nulls last, started_at asc
        ) as break_rank
    from primary_sessions
),

final as (
    select
        ---------- ids
        watches.account_id,
        ---------- attributes
        time_zones.account_region,
        time_zones.time_zone,
        time_zones.time_zone_source,
        cast({{ primary_gap }} as integer) as gap_minutes,
        cast({{ var('watch_last_video_seconds') }} as integer) as last_video_seconds,
        ---------- coverage
        watches.first_watched_at,
        watches.last_watched_at,
        watches.first_watch_date,
        watches.last_watch_date,
        cast(watches.day_span + 1 as bigint) as coverage_day_count,
        cast(watches.watch_day_count as bigint) as watch_day_count,
        cast(watch_files.export_file_count as bigint) as export_file_count,
        primary_stats.longest_break_days,
        cast(longest_break.started_local_at as date) as longest_break_end_date,
        ---------- measures
        cast(watches.video_count as bigint) as video_count,
        cast(primary_stats.session_count as bigint) as session_count,
        cast(bands.session_count_low as bigint) as session_count_low,
        cast(bands.session_count_high as bigint) as session_count_high,
        primary_stats.mean_videos_per_session,
        cast(primary_stats.median_session_minutes as double) as median_session_minutes,
        cast(primary_stats.estimated_hours as double) as estimated_watch_hours,
        cast(bands.estimated_hours_low as double) as estimated_watch_hours_low,
        cast(bands.estimated_hours_high as double) as estimated_watch_hours_high,
        longest_session.estimated_minutes as longest_session_minutes,
        longest_session.video_count as longest_session_video_count,
        longest_session.started_local_at as longest_session_started_local_at,
        cast(watches.night_video_count as bigint) as night_video_count,
        watches.night_video_count / cast(watches.video_count as double) as night_watch_share,
        cast(primary_stats.return_count as bigint) as return_count,
        primary_stats.return_count / cast(watches.watch_day_count as double) as returns_per_watch_day
    from coverage as watches
    inner join time_zones
        on watches.account_id = time_zones.account_id
    inner join primary_stats
        on watches.account_id = primary_stats.account_id
    inner join bands
        on watches.account_id = bands.account_id
    left join watch_files
        on watches.account_id = watch_files.account_id
    left join ranked as longest_session
        on
            watches.account_id = longest_session.account_id
            and longest_session.length_rank = 1
    left join ranked as longest_break
        on
            watches.account_id = longest_break.account_id
            and longest_break.break_rank = 1
            and primary_stats.longest_break_days is not null
)

select * from final
