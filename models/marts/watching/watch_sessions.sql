{#-
  Watch sessions: consecutive watches of an account with no gap of more than N minutes between
  two of them (a gap of exactly N minutes stays in the session), for each gap N of
  watch_session_gaps() (default 5, 10 and 30 minutes). Watch history has no durations: a session
  lasts from its first to its last watch plus var watch_last_video_seconds for the last video.
  Grain: one row per (account_id, gap_minutes, session_number).
-#}
{%- set primary_gap = watch_session_primary_gap() -%}

with

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

gaps as (
    {{ watch_session_gaps_sql() }}
),

watches as (
    select
        event_id as watch_id,
        account_id,
        time_zone,
        event_at as watched_at,
        event_local_at as watched_local_at,
        lag(event_at) over (partition by account_id order by event_at, event_id) as previous_watched_at
    from events
    where event_kind = 'watched'
),

gapped as (
    select
        *,
        {{ dbt.datediff('previous_watched_at', 'watched_at', 'second') }}
            as seconds_since_previous
    from watches
),

flagged as (
    select
        gapped.*,
        gaps.gap_minutes,
        case
            when gapped.seconds_since_previous is null then 1
            when gapped.seconds_since_previous > gaps.gap_minutes * 60 then 1
            else 0
        end as is_session_start
    from gapped
    cross join gaps
),

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by account_id, gap_minutes
            order by watched_at, watch_id
            rows between unbounded preceding and current row
        ) as session_number,
        -- the session's last watch: the next one starts a session, or there is none (the same
        -- window as above, so the same sort)
        coalesce(
            lead(is_session_start) over (
                partition by account_id, gap_minutes
                order by watched_at, watch_id
            ),
            1
        ) as is_session_end
    from flagged
),

sessions as (
    select
        account_id,
        gap_minutes,
        session_number,
        max(time_zone) as time_zone,
        min(watched_at) as started_at,
        max(watched_at) as ended_at,
        -- the local clock of the first and last watches, as int_activity_events_localized read
        -- it (converting each session's ends again costs more than the rest of this model)
        max(case when is_session_start = 1 then watched_local_at end) as started_local_at,
        max(case when is_session_end = 1 then watched_local_at end) as ended_local_at,
        count(*) as video_count,
        -- the first watch's gap is the break since the previous session's last watch
        max(case when is_session_start = 1 then seconds_since_previous end) as seconds_since_previous_session
    from numbered
    group by account_id, gap_minutes, session_number
),

spans as (
    select
        *,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as span_seconds
    from sessions
),

final as (
    select
        ---------- ids
        {{ dbt.concat([
            'account_id', "'/'", 'cast(gap_minutes as ' ~ dbt.type_string() ~ ')', "'/'",
            'cast(session_number as ' ~ dbt.type_string() ~ ')',
        ]) }} as watch_session_id,
        account_id,
        gap_minutes,
        cast(session_number as bigint) as session_number,
        ---------- attributes
        gap_minutes = {{ primary_gap }} as is_primary_gap,
        time_zone,
        cast(started_local_at as date) as session_date,
        cast(video_count as bigint) as video_count,
        cast(span_seconds as bigint) as span_seconds,
        cast({{ var('watch_last_video_seconds') }} as integer) as last_video_seconds,
        cast(span_seconds + {{ var('watch_last_video_seconds') }} as bigint) as estimated_duration_seconds,
        (span_seconds + {{ var('watch_last_video_seconds') }}) / cast(60 as double) as estimated_minutes,
        seconds_since_previous_session / cast(60 as double) as minutes_since_previous_session,
        coalesce(
            seconds_since_previous_session >= {{ var('watch_return_break_minutes') }} * 60, false
        ) as is_return,
        cast(started_local_at as date) <> cast(ended_local_at as date) as is_spanning_midnight,
        ---------- timestamps
        started_at,
        ended_at,
        started_local_at,
        ended_local_at
    from spans
)

select * from final
