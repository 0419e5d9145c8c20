{#-
  Every engagement and posting event of every account, one row per event, with the text the
  export itself carries for it (watch title, search term, share content, favourite hashtag,
  comment, post caption). Video captions from the optional metadata file and the posts' own
  public videos are added in int_events_texts_assembled. `export_copies`: the raw copies merged into the event; `load_id`:
  the latest ingest run that landed one of them.

  Incremental by account on the load id (macros/tiktok_export/incremental.sql): a build rebuilds
  the accounts with events newer than the ones held here, i.e. the accounts a new export
  brought items to.
-#}
{{ config(**by_account_config('export_event_relations()')) }}

with

{{ new_load_accounts_cte(export_event_relations()) }}

watches as (
    select * from {{ ref('stg_tiktok_export__watches') }}
    where {{ in_new_load_accounts() }}
),

likes as (
    select * from {{ ref('stg_tiktok_export__likes') }}
    where {{ in_new_load_accounts() }}
),

favorite_videos as (
    select * from {{ ref('stg_tiktok_export__favorite_videos') }}
    where {{ in_new_load_accounts() }}
),

favorite_sounds as (
    select * from {{ ref('stg_tiktok_export__favorite_sounds') }}
    where {{ in_new_load_accounts() }}
),

favorite_hashtags as (
    select * from {{ ref('stg_tiktok_export__favorite_hashtags') }}
    where {{ in_new_load_accounts() }}
),

favorite_effects as (
    select * from {{ ref('stg_tiktok_export__favorite_effects') }}
    where {{ in_new_load_accounts() }}
),

searches as (
    select * from {{ ref('stg_tiktok_export__searches') }}
    where {{ in_new_load_accounts() }}
),

shares as (
    select * from {{ ref('stg_tiktok_export__shares') }}
    where {{ in_new_load_accounts() }}
),

followings as (
    select * from {{ ref('stg_tiktok_export__followings') }}
    where {{ in_new_load_accounts() }}
),

followers as (
    select * from {{ ref('stg_tiktok_export__followers') }}
    where {{ in_new_load_accounts() }}
),

posts as (
    select * from {{ ref('stg_tiktok_export__posts') }}
    where {{ in_new_load_accounts() }}
),

deleted_posts as (
    select * from {{ ref('stg_tiktok_export__deleted_posts') }}
    where {{ in_new_load_accounts() }}
),

comments as (
    select * from {{ ref('stg_tiktok_export__comments') }}
    where {{ in_new_load_accounts() }}
),

unioned as (
    select
        watch_id as event_id,
        account_id,
        'watched' as event_kind,
        'watched' as theme_source,
        true as is_engagement,
        watched_at as event_at,
        video_id,
        video_title as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from watches
    union all
    select
        like_id as event_id,
        account_id,
        'liked' as event_kind,
        'liked' as theme_source,
        true as is_engagement,
        liked_at as event_at,
        video_id,
        cast(null as {{ dbt.type_string() }}) as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from likes
    union all
    select
        favorite_video_id as event_id,
        account_id,
        'favorited_video' as event_kind,
        'favorited' as theme_source,
        true as is_engagement,
        favorited_at as event_at,
        video_id,
        cast(null as {{ dbt.type_string() }}) as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from favorite_videos
    union all
    select
        favorite_sound_id as event_id,
        account_id,
        'favorited_sound' as event_kind,
        'favorited' as theme_source,
        true as is_engagement,
        favorited_at as event_at,
        cast(null as bigint) as video_id,
        cast(null as {{ dbt.type_string() }}) as event_text,
        sound_key,
        export_copies,
        load_id
    from favorite_sounds
    union all
    select
        favorite_hashtag_id as event_id,
        account_id,
        'favorited_hashtag' as event_kind,
        'favorited' as theme_source,
        true as is_engagement,
        favorited_at as event_at,
        cast(null as bigint) as video_id,
        hashtag as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from favorite_hashtags
    union all
    select
        favorite_effect_id as event_id,
        account_id,
        'favorited_effect' as event_kind,
        'favorited' as theme_source,
        true as is_engagement,
        favorited_at as event_at,
        cast(null as bigint) as video_id,
        cast(null as {{ dbt.type_string() }}) as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from favorite_effects
    union all
    select
        search_id as event_id,
        account_id,
        'searched' as event_kind,
        'searched' as theme_source,
        true as is_engagement,
        searched_at as event_at,
        cast(null as bigint) as video_id,
        search_term as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from searches
    union all
    select
        share_id as event_id,
        account_id,
        'shared' as event_kind,
        'shared' as theme_source,
        true as is_engagement,
        shared_at as event_at,
        video_id,
        shared_content as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from shares
    union all
    select
        following_id as event_id,
        account_id,
        'followed' as event_kind,
        cast(null as {{ dbt.type_string() }}) as theme_source,
        true as is_engagement,
        followed_at as event_at,
        cast(null as bigint) as video_id,
        cast(null as {{ dbt.type_string() }}) as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from followings
    union all
    select
        follower_id as event_id,
        account_id,
        'gained_follower' as event_kind,
        cast(null as {{ dbt.type_string() }}) as theme_source,
        false as is_engagement,
        followed_at as event_at,
        cast(null as bigint) as video_id,
        cast(null as {{ dbt.type_string() }}) as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from followers
    union all
    select
        comment_id as event_id,
        account_id,
        'commented' as event_kind,
        -- themed by the hashtags in it and the commented video's metadata (int_events_texts_assembled)
        'commented' as theme_source,
        true as is_engagement,
        commented_at as event_at,
        video_id,
        comment_text as event_text,
        cast(null as {{ dbt.type_string() }}) as sound_key,
        export_copies,
        load_id
    from comments
    union all
    select
        post_id as event_id,
        account_id,
        'posted' as event_kind,
        'posted' as theme_source,
        false as is_engagement,
        posted_at as event_at,
        video_id,
        caption as event_text,
        sound_key,
        export_copies,
        load_id
    from posts
    union all
    select
        deleted_post_id as event_id,
        account_id,
        'deleted' as event_kind,
        'deleted' as theme_source,
        false as is_engagement,
        posted_at as event_at,
        video_id,
        caption as event_text,
        sound_key,
        export_copies,
        load_id
    from deleted_posts
),

final as (
    select
        ---------- ids
        event_id,
        account_id,
        video_id,
        ---------- attributes
        event_kind,
        theme_source,
        is_engagement,
        event_text,
        sound_key,
        ---------- timestamps
        event_at,
        cast({{ dbt.date_trunc('day', 'event_at') }} as date) as event_date,
        ---------- provenance
        export_copies,
        load_id
    from unioned
)

select * from final
