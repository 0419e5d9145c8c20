{#-
  Each themed event (watched, liked, favourited, searched, shared, commented, posted, deleted)
  tagged with zero or more themes: a normalised word or hashtag of its text
  (int_events_texts_assembled: the video metadata, the post's own public video, the search term,
  the hashtag, the comment's hashtags) that equals a keyword of the `theme_keywords` seed tags
  it. source_weight: the event kind's weight in the engaged-theme shares (var
  influence_source_weights). Grain: one row per (event_id, theme); events with no theme do not
  appear (account_theme_coverage counts them).

  Incremental by account on the load id: a build rebuilds the accounts with themed events newer
  than the tags held here; `load_id` is the latest of the account's themed events when its rows
  were built. A change to the theme keywords or the video metadata changes every account:
  scripts/warehouse.py then runs a full refresh.
-#}
{{ config(**by_account_config("[ref('int_events_texts_assembled')]")) }}

with

{{ new_load_accounts_cte([ref('int_events_texts_assembled')]) }}

texts as (
    select * from {{ ref('int_events_texts_assembled') }}
    where theme_text is not null and {{ in_new_load_accounts() }}
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

event_words as (
    select
        event_id,
        account_id,
        event_kind,
        theme_source,
        is_engagement,
        text_source,
        event_at,
        load_id,
        {{ unnest_list(text_words('theme_text')) }} as word
    from texts
),

tagged as (
    select distinct
        event_words.event_id,
        event_words.account_id,
        event_words.event_kind,
        event_words.theme_source,
        event_words.is_engagement,
        event_words.text_source,
        event_words.event_at,
        event_words.load_id,
        keywords.theme
    from event_words
    inner join keywords
        on event_words.word = keywords.keyword
),

final as (
    select
        ---------- ids
        event_id,
        account_id,
        theme,
        ---------- attributes
        event_kind,
        theme_source,
        is_engagement,
        text_source,
        {{ source_weight('event_kind') }} as source_weight,
        ---------- timestamps
        event_at,
        cast({{ dbt.date_trunc('week', 'event_at') }} as date) as event_week,
        ---------- provenance
        load_id
    from tagged
)

select * from final
