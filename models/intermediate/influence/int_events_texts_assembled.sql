{#-
  The text each themed event is tagged from, and where it came from (text_source):
    - posts (kept and deleted): the caption and hashtags of the matched public video
      (int_posts_own_videos_matched, `own_video`), else a real `Title` (`title`), else none:
      real exports carry `N/A`, so without the video metadata a post is untagged;
    - watched, liked, favourited and shared videos, commented posts: the video's caption and
      hashtags in the video metadata (`video_metadata`), plus what the export itself carries;
    - searches: the search term (`search_term`); favourite hashtags: the tag (`hashtag`);
      shares and comments: the hashtags in `SharedContent` (`share_hashtags`; real exports
      hold a kind there, share_video) and in the comment (`comment_hashtags`; the other words
      of a short comment are not a theme).
  Favourite sounds and effects carry no text: the sound evidence reads them. Grain: one row per
  themed event, with or without text (theme_text null: nothing to tag it from).

  Incremental by account on the load id, like int_events_themes_tagged (`load_id`: the latest of
  the account's themed events when its rows were built). The video metadata and the post matches
  change every account: scripts/warehouse.py then runs a full refresh.
-#}
{%- set themed = "theme_source is not null and event_kind not in ('favorited_sound', 'favorited_effect')" -%}
{{ config(**by_account_config("[ref('int_export_events_unioned')]", themed)) }}

with

{{ new_load_accounts_cte([ref('int_export_events_unioned')], themed) }}

events as (
    select
        *,
        -- plain equi-join keys (a kind test inside the join's ON clause makes DuckDB fall back to
        -- a nested-loop join, quadratic in the events)
        case
            when event_kind in ('watched', 'liked', 'favorited_video', 'shared', 'commented') then video_id
        end as captioned_video_id,
        case when event_kind in ('posted', 'deleted') then event_id end as post_id
    from {{ ref('int_export_events_unioned') }}
    where {{ themed }} and {{ in_new_load_accounts() }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

own_videos as (
    select * from {{ ref('int_posts_own_videos_matched') }}
    where match_status <> 'unmatched'
),

-- from the table, not from `events`: a CTE read twice is kept whole, and the events are the
-- largest rows of the build
account_loads as (
    select
        account_id,
        max(load_id) as load_id
    from {{ ref('int_export_events_unioned') }}
    where {{ themed }} and {{ in_new_load_accounts() }}
    group by account_id
),

parts as (
    select
        events.event_id,
        events.account_id,
        events.event_kind,
        events.theme_source,
        events.is_engagement,
        events.event_at,
        events.video_id,
        case
            when events.event_kind in ('commented', 'shared') then {{ text_hashtags('events.event_text') }}
            else events.event_text
        end as export_text,
        nullif(trim({{ dbt.concat([
            "coalesce(video_metadata.description, '')", "' '", "coalesce(video_metadata.hashtags_text, '')",
        ]) }}), '') as video_text,
        nullif(trim({{ dbt.concat([
            "coalesce(own_videos.matched_description, '')", "' '", "coalesce(own_videos.matched_hashtags_text, '')",
        ]) }}), '') as own_video_text
    from events
    left join video_metadata
        on events.captioned_video_id = video_metadata.video_id
    left join own_videos
        on events.post_id = own_videos.post_id
),

final as (
    select
        ---------- ids
        parts.event_id,
        parts.account_id,
        parts.video_id,
        ---------- attributes
        parts.event_kind,
        parts.theme_source,
        parts.is_engagement,
        case
            when parts.own_video_text is not null then 'own_video'
            when parts.video_text is not null then 'video_metadata'
            when parts.export_text is not null
                then case parts.event_kind
                    when 'posted' then 'title'
                    when 'deleted' then 'title'
                    when 'searched' then 'search_term'
                    when 'favorited_hashtag' then 'hashtag'
                    when 'shared' then 'share_hashtags'
                    when 'commented' then 'comment_hashtags'
                    else 'export_text'
                end
        end as text_source,
        case
            -- a post's own video first: its caption is what the post said
            when parts.own_video_text is not null then parts.own_video_text
            when parts.video_text is not null and parts.export_text is not null
                then {{ dbt.concat(['parts.export_text', "' '", 'parts.video_text']) }}
            else coalesce(parts.video_text, parts.export_text)
        end as theme_text,
        ---------- timestamps
        parts.event_at,
        ---------- provenance
        account_loads.load_id
    from parts
    inner join account_loads
        on parts.account_id = account_loads.account_id
)

select * from final
