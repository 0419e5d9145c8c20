{#-
  The year in review's top lists per account, in its window (int_year_in_review_windows): the
  themes of what it engaged with (watched, liked, favourited, searched, shared, commented; a
  search term carries its theme even without video metadata) and the creators it watched most
  (author_handle of the video-metadata file: only watched videos found there count).
  Top 10 of each; ties by name.
  Grain: one row per (account_id, item_kind, item_rank).
-#}

with

windows as (
    select * from {{ ref('int_year_in_review_windows') }}
),

themes_tagged as (
    select * from {{ ref('int_events_themes_tagged') }}
),

events as (
    select * from {{ ref('int_activity_events_localized') }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

-- the local day is the localized event's (the window's time zone is the account's, as there):
-- looking it up costs a fraction of converting each tagged event's time again
engagement_themes as (
    select
        themes_tagged.account_id,
        themes_tagged.theme,
        events.event_local_date,
        windows.window_start_date,
        windows.window_end_date
    from themes_tagged
    inner join events
        on themes_tagged.event_id = events.event_id
    inner join windows
        on themes_tagged.account_id = windows.account_id
    where themes_tagged.is_engagement
),

theme_counts as (
    select
        account_id,
        'theme' as item_kind,
        theme as item_name,
        count(*) as event_count
    from engagement_themes
    where event_local_date between window_start_date and window_end_date
    group by account_id, theme
),

watched_creators as (
    select
        events.account_id,
        video_metadata.author_handle
    from events
    inner join windows
        on events.account_id = windows.account_id
    inner join video_metadata
        on events.video_id = video_metadata.video_id
    where
        events.event_kind = 'watched'
        and events.event_local_date between windows.window_start_date and windows.window_end_date
        and video_metadata.author_handle is not null
),

creator_counts as (
    select
        account_id,
        'creator' as item_kind,
        author_handle as item_name,
        count(*) as event_count
    from watched_creators
    group by account_id, author_handle
),

items as (
    select * from theme_counts
    union all
    select * from creator_counts
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, item_kind order by event_count desc, item_name asc
        ) as item_rank,
        event_count / cast(sum(event_count) over (partition by account_id, item_kind) as double) as item_share
    from items
),

final as (
    select
        ---------- ids
        ranked.account_id,
        ranked.item_kind,
        cast(ranked.item_rank as bigint) as item_rank,
        ---------- attributes
        ranked.item_name,
        windows.window_start_date,
        windows.window_end_date,
        ---------- measures
        cast(ranked.event_count as bigint) as event_count,
        ranked.item_share
    from ranked
    inner join windows
        on ranked.account_id = windows.account_id
    where ranked.item_rank <= 10
)

select * from final
