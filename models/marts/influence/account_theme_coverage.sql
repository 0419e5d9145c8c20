{#-
  How much the taxonomy catches: per account and source (item_kind: watched, liked,
  favorited_video, favorited_hashtag, searched, shared, commented, posted, deleted), of the
  eligible items, how many had a text to tag (text_rate: the video metadata, the post's own public
  video, a search term, a hashtag...) and how many got a theme (themed_rate), and of those with a
  text, the share the theme keywords caught (keyword_match_rate: low means the taxonomy seed misses
  the user's words; extend seeds/theme_keywords.csv). metadata_text_count: items whose text came
  from the video metadata (what `make enrich` adds). Grain: one row per (account_id, item_kind).
-#}
with

texts as (
    select * from {{ ref('int_events_texts_assembled') }}
),

tags as (
    select * from {{ ref('int_events_themes_tagged') }}
),

tagged_events as (
    select distinct event_id
    from tags
),

counted as (
    select
        texts.account_id,
        texts.event_kind as item_kind,
        max(texts.theme_source) as theme_source,
        count(*) as item_count,
        count(case when texts.theme_text is not null then 1 end) as with_text_count,
        count(case when texts.text_source in ('video_metadata', 'own_video') then 1 end)
            as metadata_text_count,
        count(tagged_events.event_id) as themed_item_count,
        min(texts.event_at) as first_event_at,
        max(texts.event_at) as last_event_at
    from texts
    left join tagged_events
        on texts.event_id = tagged_events.event_id
    group by texts.account_id, texts.event_kind
),

final as (
    select
        ---------- ids
        account_id,
        item_kind,
        ---------- attributes
        theme_source,
        -- posts are not weighted: the weights shape the engaged-theme shares only
        case when item_kind not in ('posted', 'deleted') then {{ source_weight('item_kind') }} end
            as source_weight,
        ---------- counts
        item_count,
        with_text_count,
        metadata_text_count,
        themed_item_count,
        item_count - themed_item_count as untagged_item_count,
        ---------- rates
        themed_item_count * cast(1 as double) / item_count as themed_rate,
        with_text_count * cast(1 as double) / item_count as text_rate,
        case when with_text_count > 0 then themed_item_count * cast(1 as double) / with_text_count end
            as keyword_match_rate,
        ---------- timestamps
        first_event_at,
        last_event_at
    from counted
)

select * from final
