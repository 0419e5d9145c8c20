{#-
  A year in review per account, Wrapped-style, over its window (int_year_in_review_windows:
  var year_in_review_year, else year_in_review_start_date / _end_date, else the last 12 months
  of the account's data), in local time. Each list states the span it covers inside the window
  (first and last day with an item): an export's watch history covers a limited window, and
  its like list is capped. Sessions count when they start in the window (primary gap, band over
  the other gaps). Ties: the earlier day, the earlier hour.
  Grain: one row per account with export events.
-#}
{%- set primary_gap = watch_session_primary_gap() -%}

with

windows as (
    select * from {{ ref('int_year_in_review_windows') }}
),

all_events as (
    select * from {{ ref('int_activity_events_localized') }}
),

all_sessions as (
    select * from {{ ref('watch_sessions') }}
),

top_items as (
    select * from {{ ref('year_in_review_top_items') }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

events as (
    select all_events.*
    from all_events
    inner join windows
        on all_events.account_id = windows.account_id
    where all_events.event_local_date between windows.window_start_date and windows.window_end_date
),

sessions as (
    select all_sessions.*
    from all_sessions
    inner join windows
        on all_sessions.account_id = windows.account_id
    where all_sessions.session_date between windows.window_start_date and windows.window_end_date
),

lists as (
    select
        account_id,
        ---------- watch history
        min(case when event_kind = 'watched' then event_local_date end) as first_watch_date,
        max(case when event_kind = 'watched' then event_local_date end) as last_watch_date,
        count(distinct case when event_kind = 'watched' then event_local_date end) as watch_day_count,
        count(case when event_kind = 'watched' then 1 end) as watched_video_count,
        count(case when event_kind = 'watched' and {{ is_night_hour('local_hour_of_day') }} then 1 end)
            as night_video_count,
        ---------- likes, favourites (videos, sounds, hashtags, effects), searches
        min(case when event_kind = 'liked' then event_local_date end) as first_like_date,
        max(case when event_kind = 'liked' then event_local_date end) as last_like_date,
        count(case when event_kind = 'liked' then 1 end) as liked_count,
        min(case when event_kind like 'favorited%' then event_local_date end) as first_favorite_date,
        max(case when event_kind like 'favorited%' then event_local_date end) as last_favorite_date,
        count(case when event_kind like 'favorited%' then 1 end) as favorited_count,
        count(case when event_kind = 'searched' then 1 end) as searched_count,
        ---------- posts (kept, and deleted later)
        min(case when event_kind in ('posted', 'deleted') then event_local_date end) as first_post_date,
        max(case when event_kind in ('posted', 'deleted') then event_local_date end) as last_post_date,
        count(case when event_kind = 'posted' then 1 end) as post_count,
        count(case when event_kind = 'deleted' then 1 end) as deleted_post_count
    from events
    group by account_id
),

-- how much of the watch history the video-metadata file describes (the creators' coverage)
metadata_coverage as (
    select
        events.account_id,
        count(*) as metadata_video_count
    from events
    inner join video_metadata
        on events.video_id = video_metadata.video_id
    where events.event_kind = 'watched'
    group by events.account_id
),

watch_days as (
    select
        account_id,
        event_local_date,
        count(*) as video_count,
        row_number() over (partition by account_id order by count(*) desc, event_local_date asc) as day_rank
    from events
    where event_kind = 'watched'
    group by account_id, event_local_date
),

watch_hours as (
    select
        account_id,
        local_hour_of_day,
        count(*) as video_count,
        row_number() over (partition by account_id order by count(*) desc, local_hour_of_day asc) as hour_rank
    from events
    where event_kind = 'watched'
    group by account_id, local_hour_of_day
),

session_totals as (
    {{ account_session_totals('sessions') }}
),

-- posting streaks: runs of consecutive local days with a post (kept or later deleted)
post_days as (
    select distinct
        account_id,
        event_local_date
    from events
    where event_kind in ('posted', 'deleted')
),

post_runs as (
    select
        account_id,
        event_local_date,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'event_local_date', 'day') }}
        - row_number() over (partition by account_id order by event_local_date) as run_key
    from post_days
),

streaks as (
    select
        account_id,
        min(event_local_date) as streak_start_date,
        max(event_local_date) as streak_end_date,
        count(*) as streak_days,
        row_number() over (
            partition by account_id order by count(*) desc, min(event_local_date) asc
        ) as streak_rank
    from post_runs
    group by account_id, run_key
),

top_lists as (
    select
        account_id,
        concat_ws(
            ', ',
            max(case when item_kind = 'theme' and item_rank = 1 then item_name end),
            max(case when item_kind = 'theme' and item_rank = 2 then item_name end),
            max(case when item_kind = 'theme' and item_rank = 3 then item_name end)
        ) as top_themes,
        concat_ws(
            ', ',
            max(case when item_kind = 'creator' and item_rank = 1 then item_name end),
            max(case when item_kind = 'creator' and item_rank = 2 then item_name end),
            max(case when item_kind = 'creator' and item_rank = 3 then item_name end)
        ) as top_creators
    from top_items
    group by account_id
),

final as (
    select
        ---------- ids
        windows.account_id,
        ---------- the window
        windows.window_source,
        windows.window_start_date,
        windows.window_end_date,
        windows.time_zone,
        windows.time_zone_source,
        cast({{ primary_gap }} as integer) as gap_minutes,
        ---------- watching (span: first_watch_date .. last_watch_date)
        lists.first_watch_date,
        lists.last_watch_date,
        cast(coalesce(lists.watch_day_count, 0) as bigint) as watch_day_count,
        cast(coalesce(lists.watched_video_count, 0) as bigint) as watched_video_count,
        cast(coalesce(session_totals.session_count, 0) as bigint) as session_count,
        cast(coalesce(session_totals.estimated_hours, 0) as double) as estimated_watch_hours,
        cast(coalesce(session_totals.estimated_hours_low, 0) as double) as estimated_watch_hours_low,
        cast(coalesce(session_totals.estimated_hours_high, 0) as double) as estimated_watch_hours_high,
        lists.night_video_count / cast(nullif(lists.watched_video_count, 0) as double) as night_watch_share,
        busiest_day.event_local_date as busiest_date,
        cast(busiest_day.video_count as bigint) as busiest_date_video_count,
        cast(busiest_hour.local_hour_of_day as bigint) as busiest_hour_of_day,
        cast(busiest_hour.video_count as bigint) as busiest_hour_video_count,
        ---------- top lists (year_in_review_top_items has the top 10 with counts)
        nullif(top_lists.top_themes, '') as top_themes,
        nullif(top_lists.top_creators, '') as top_creators,
        cast(coalesce(metadata_coverage.metadata_video_count, 0) as bigint) as metadata_watched_video_count,
        ---------- likes, favourites, searches, posts (each with its span)
        lists.first_like_date,
        lists.last_like_date,
        cast(coalesce(lists.liked_count, 0) as bigint) as liked_count,
        lists.first_favorite_date,
        lists.last_favorite_date,
        cast(coalesce(lists.favorited_count, 0) as bigint) as favorited_count,
        cast(coalesce(lists.searched_count, 0) as bigint) as searched_count,
        lists.first_post_date,
        lists.last_post_date,
        cast(coalesce(lists.post_count, 0) as bigint) as post_count,
        cast(coalesce(lists.deleted_post_count, 0) as bigint) as deleted_post_count,
        ---------- the longest run of consecutive days with a post
        cast(coalesce(longest_streak.streak_days, 0) as bigint) as longest_posting_streak_days,
        longest_streak.streak_start_date as posting_streak_start_date,
        longest_streak.streak_end_date as posting_streak_end_date
    from windows
    left join lists
        on windows.account_id = lists.account_id
    left join session_totals
        on windows.account_id = session_totals.account_id
    left join watch_days as busiest_day
        on
            windows.account_id = busiest_day.account_id
            and busiest_day.day_rank = 1
    left join watch_hours as busiest_hour
        on
            windows.account_id = busiest_hour.account_id
            and busiest_hour.hour_rank = 1
    left join top_lists
        on windows.account_id = top_lists.account_id
    left join metadata_coverage
        on windows.account_id = metadata_coverage.account_id
    left join streaks as longest_streak
        on
            windows.account_id = longest_streak.account_id
            and longest_streak.streak_rank = 1
)

select * from final
