{#-
  Each themed event (watched, liked, favourited, searched, shared, commented, posted, deleted) tagged
  with zero or more themes: a normalised word or hashtag of its text that equals a keyword of
  the `theme_keywords` seed tags it. Text = what the export carries plus, for videos, the
  caption and hashtags of the optional video-metadata file (joined on video id).
  Grain: one row per (event_id, theme); events with no theme do not appear.

  Incremental by account on the load id: a build rebuilds the accounts with themed events newer
  than the tags held here; `load_id` is the latest of the account's themed events when its rows
  were built. A change to the theme keywords or the video metadata changes every account:
  scripts/warehouse.py then runs a full refresh.
-#}
{{ config(**by_account_config("[ref('int_export_events_unioned')]", 'theme_source is not null')) }}

with

{{ new_load_accounts_cte([ref('int_export_events_unioned')], 'theme_source is not null') }}

account_loads as (
    select
        account_id,
        max(load_id) as load_id
    from {{ ref('int_export_events_unioned') }}
    where theme_source is not null and {{ in_new_load_accounts() }}
    group by account_id
),

events as (
    select
        *,
        -- the video whose caption counts (a plain equi-join key: with the kind test inside the
        -- join's ON clause DuckDB falls back to a nested-loop join, quadratic in the events)
        case
            when theme_source in ('watched', 'liked', 'favorited', 'shared', 'commented') then video_id
        end as captioned_video_id
    from {{ ref('int_export_events_unioned') }}
    where theme_source is not null and {{ in_new_load_accounts() }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

theme_keywords as (
    select * from {{ ref('theme_keywords') }}
),

keywords as (
    select distinct
        lower(trim(theme)) as theme,
        {{ normalize_hashtag('keyword') }} as keyword
    from theme_keywords
),

event_texts as (
    select
        events.event_id,
        events.account_id,
        events.theme_source,
        events.event_at,
        {{ dbt.concat([
            "coalesce(events.event_text, '')", "' '",
            "coalesce(video_metadata.description, '')", "' '",
            "coalesce(video_metadata.hashtags_text, '')",
        ]) }} as full_text
    from events
    left join video_metadata
        on events.captioned_video_id = video_metadata.video_id
),

event_words as (
    select
        event_id,
        account_id,
        theme_source,
        event_at,
        {{ unnest_list(text_words('full_text')) }} as word
    from event_texts
),

tagged as (
    select distinct
        event_words.event_id,
        event_words.account_id,
        event_words.theme_source,
        event_words.event_at,
        keywords.theme
    from event_words
    inner join keywords
        on event_words.word = keywords.keyword
),

final as (
    select
        ---------- ids
        tagged.event_id,
        tagged.account_id,
        tagged.theme,
        ---------- attributes
        tagged.theme_source,
        tagged.theme_source in ('watched', 'liked', 'favorited', 'searched', 'shared', 'commented')
            as is_engagement,
        ---------- timestamps
        tagged.event_at,
        cast({{ dbt.date_trunc('week', 'tagged.event_at') }} as date) as event_week,
        ---------- provenance
        account_loads.load_id
    from tagged
    inner join account_loads
        on tagged.account_id = account_loads.account_id
)

select * from final
