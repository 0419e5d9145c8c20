{#-
  Every staged watch sits in exactly one session per gap: per account and gap the sessions'
  videos add up to the staged watches (stg_tiktok_export__watches), every gap is there, and
  consecutive sessions are apart by more than the gap (so none overlap or should have merged).
  Rows returned are failures.
-#}

with

staged as (
    select
        account_id,
        count(*) as watch_count
    from {{ ref('stg_tiktok_export__watches') }}
    group by account_id
),

gaps as (
    {{ watch_session_gaps_sql() }}
),

expected as (
    select
        staged.account_id,
        gaps.gap_minutes,
        staged.watch_count
    from staged
    cross join gaps
),

sessions as (
    select * from {{ ref('watch_sessions') }}
),

session_totals as (
    select
        account_id,
        gap_minutes,
        sum(video_count) as video_count
    from sessions
    group by account_id, gap_minutes
),

count_mismatches as (
    select
        coalesce(expected.account_id, session_totals.account_id) as account_id,
        coalesce(expected.gap_minutes, session_totals.gap_minutes) as gap_minutes,
        'staged watches vs session videos' as problem,
        coalesce(expected.watch_count, 0) as expected_count,
        coalesce(session_totals.video_count, 0) as actual_count
    from expected
    full outer join session_totals
        on
            expected.account_id = session_totals.account_id
            and expected.gap_minutes = session_totals.gap_minutes
    where coalesce(expected.watch_count, 0) <> coalesce(session_totals.video_count, 0)
),

ordered as (
    select
        account_id,
        gap_minutes,
        session_number,
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
    where previous_ended_at is not null
),

break_mismatches as (
    select
        account_id,
        gap_minutes,
        'sessions not apart by more than the gap' as problem,
        session_number as expected_count,
        session_number as actual_count
    from breaks
    where break_seconds <= gap_minutes * 60
)

select * from count_mismatches
union all
select * from break_mismatches
