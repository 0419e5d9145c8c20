{#-
  Watching patterns per account and local calendar month, at the primary session gap: night
  watching (00:00-04:59 local), returns (sessions after a break of var watch_return_break_minutes
  or more) per watching day, and the month's longest session (by estimated duration; ties: more
  videos, then the earlier one). Videos count in the month they were watched, sessions in the
  month they started.
  Grain: one row per (account_id, watch_month) with at least one watch.
-#}

with

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

sessions as (
    select * from {{ ref('watch_sessions') }}
    where is_primary_gap
),

watches as (
    select
        account_id,
        time_zone,
        event_local_date,
        local_hour_of_day,
        cast({{ dbt.date_trunc('month', 'event_local_date') }} as date) as watch_month
    from events
    where event_kind = 'watched'
),

watch_months as (
    select
        account_id,
        watch_month,
        max(time_zone) as time_zone,
        {{ watch_span_measures() }}
    from watches
    group by account_id, watch_month
),

month_sessions as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'session_date') }} as date) as watch_month
    from sessions
),

session_months as (
    select
        account_id,
        watch_month,
        count(*) as session_count,
        count(case when is_return then 1 end) as return_count,
        sum(estimated_minutes) as estimated_minutes
    from month_sessions
    group by account_id, watch_month
),

ranked_sessions as (
    select
        *,
        row_number() over (
            partition by account_id, watch_month
            order by estimated_duration_seconds desc, video_count desc, started_at asc
        ) as length_rank
    from month_sessions
),

longest as (
    select * from ranked_sessions
    where length_rank = 1
),

final as (
    select
        ---------- ids
        watch_months.account_id,
        watch_months.watch_month,
        ---------- attributes
        watch_months.time_zone,
        cast({{ watch_session_primary_gap() }} as integer) as gap_minutes,
        ---------- coverage
        watch_months.first_watch_date,
        watch_months.last_watch_date,
        cast(watch_months.watch_day_count as bigint) as watch_day_count,
        ---------- measures
        cast(watch_months.video_count as bigint) as video_count,
        cast(watch_months.night_video_count as bigint) as night_video_count,
        watch_months.night_video_count / cast(watch_months.video_count as double) as night_watch_share,
        cast(coalesce(session_months.session_count, 0) as bigint) as session_count,
        cast(coalesce(session_months.return_count, 0) as bigint) as return_count,
        coalesce(session_months.return_count, 0)
        / cast(watch_months.watch_day_count as double) as returns_per_watch_day,
        cast(coalesce(session_months.estimated_minutes, 0) as double) as estimated_watch_minutes,
        ---------- the longest session that started in the month
        longest.watch_session_id as longest_session_id,
        longest.started_local_at as longest_session_started_local_at,
        longest.ended_local_at as longest_session_ended_local_at,
        longest.video_count as longest_session_video_count,
        longest.estimated_minutes as longest_session_minutes
    from watch_months
    left join session_months
        on
            watch_months.account_id = session_months.account_id
            and watch_months.watch_month = session_months.watch_month
    left join longest
        on
            watch_months.account_id = longest.account_id
            and watch_months.watch_month = longest.watch_month
)

select * from final
