{#-
  Each post (kept and deleted) matched to the account's favourite sounds by normalised title
  (a favourite-sound link's slug is the sound's title; a post's `Sound` field holds the title).
  Grain: one row per post (event_id of int_export_events_unioned).
-#}
with

posts as (
    select * from {{ ref('int_export_events_unioned') }}
    where event_kind in ('posted', 'deleted')
),

favorite_sounds as (
    select * from {{ ref('stg_tiktok_export__favorite_sounds') }}
),

first_favorites as (
    select
        account_id,
        sound_key,
        min(sound_id) as sound_id,
        min(sound_title) as sound_title,
        min(favorited_at) as first_favorited_at
    from favorite_sounds
    where sound_key is not null
    group by account_id, sound_key
),

final as (
    select
        ---------- ids
        posts.event_id as post_event_id,
        posts.account_id,
        posts.video_id,
        first_favorites.sound_id,
        ---------- attributes
        posts.event_kind = 'deleted' as is_deleted,
        posts.sound_key,
        first_favorites.sound_title as favorite_sound_title,
        first_favorites.sound_key is not null as has_favorited_sound,
        coalesce(first_favorites.first_favorited_at < posts.event_at, false) as is_sound_favorited_before,
        coalesce(posts.sound_key like 'original sound%', false) as is_original_sound,
        ---------- timestamps
        posts.event_at as posted_at,
        first_favorites.first_favorited_at
    from posts
    left join first_favorites
        on
            posts.account_id = first_favorites.account_id
            and posts.sound_key = first_favorites.sound_key
)

select * from final
