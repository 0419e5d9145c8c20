{#-
  Every staged watch sits in exactly one session per gap: per account and gap, the staged watch
  events (stg_tiktok_export__watches, the merged history) against the videos of the sessions
  (watch_sessions), and the sessions that are not apart from the one before by more than the
  gap (they would overlap or should have merged). Tested: the counts equal, no such session.
  Grain: one row per (account_id, gap_minutes).
-#}

with

staged as (
    select
        account_id,
        count(*) as staged_watch_count
    from {{ ref('stg_tiktok_export__watches') }}
    group by account_id
),

sessions as (
    select * from {{ ref('watch_sessions') }}
),

gaps as (
    {{ watch_session_gaps_sql() }}
),

ordered as (
    select
        account_id,
        gap_minutes,
        video_count,
        started_at,
        lag(ended_at) over (partition by account_id, gap_minutes order by session_number) as previous_ended_at
    from sessions
),

breaks as (
    select
        *,
        {{ dbt.datediff('previous_ended_at', 'started_at', 'second') }}
            as break_seconds
    from ordered
),

session_totals as (
    select
        account_id,
        gap_minutes,
        count(*) as session_count,
        sum(video_count) as session_video_count,
        count(case when break_seconds <= gap_minutes * 60 then 1 end) as unbroken_session_count
    from breaks
    group by account_id, gap_minutes
),

expected as (
    select
        staged.account_id,
        gaps.gap_minutes,
        staged.staged_watch_count
    from staged
    cross join gaps
),

final as (
    select
        ---------- ids
        coalesce(expected.account_id, session_totals.account_id) as account_id,
        coalesce(expected.gap_minutes, session_totals.gap_minutes) as gap_minutes,
        ---------- counts
        cast(coalesce(expected.staged_watch_count, 0) as bigint) as staged_watch_count,
        cast(coalesce(session_totals.session_video_count, 0) as bigint) as session_video_count,
        cast(coalesce(session_totals.session_count, 0) as bigint) as session_count,
        cast(coalesce(session_totals.unbroken_session_count, 0) as bigint) as unbroken_session_count
    from expected
    full outer join session_totals
        on
            expected.account_id = session_totals.account_id
            and expected.gap_minutes = session_totals.gap_minutes
)

select * from final
