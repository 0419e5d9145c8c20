{#-
  Each post (kept and deleted) with its sound matched to what the account had met before:
    - the sounds it favourited (int_favorite_sounds_titled: titles from the video metadata, as
      the export's favourite links carry only ids), by the id of the post's matched public
      video's sound or by normalised title and artist (macro sound_matches);
    - the sounds of the videos it watched, liked, favourited or shared (the video metadata's
      sound_id and sound_title), the same way.
  favorites_before_share is the comparison the sound evidence needs: the share of the
  account's titled favourite sounds favourited before the post. If posts took favourite sounds
  with no regard to when they were favourited (no influence), a post using a favourite would
  find it favourited before with that probability; account_sound_influence sums it into the
  expected count. Grain: one row per post (event_id of int_export_events_unioned).
-#}
with

-- every post, kept and deleted, with its Sound and its matched public video's sound id
posts as (
    select * from {{ ref('int_posts_own_videos_matched') }}
),

favorite_sounds as (
    select * from {{ ref('int_favorite_sounds_titled') }}
    where has_title
),

events as (
    select * from {{ ref('int_export_events_unioned') }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

keyed_posts as (
    select
        post_id as post_event_id,
        account_id,
        posted_at,
        is_deleted,
        post_sound_title as sound_title,
        post_sound_artist as sound_artist,
        is_original_sound,
        matched_sound_id,
        {{ sound_title_key('post_sound_title') }} as title_key,
        {{ sound_artist_key('post_sound_artist') }} as artist_key
    from posts
),

-- the keys of each sound title met in the video metadata, computed once per title: popular
-- sounds recur across many videos, and the keys' regexes are the costliest step here
title_keys as (
    select
        sound_title,
        {{ sound_title_key(post_sound_title('sound_title')) }} as title_key,
        {{ sound_artist_key(post_sound_artist('sound_title')) }} as artist_key
    from video_metadata
    where sound_title is not null
    group by sound_title
),

-- the sounds of the videos the account engaged with, first met when
video_sounds as (
    select
        video_metadata.video_id,
        video_metadata.sound_id,
        title_keys.title_key,
        title_keys.artist_key
    from video_metadata
    left join title_keys
        on video_metadata.sound_title = title_keys.sound_title
    where video_metadata.sound_title is not null or video_metadata.sound_id is not null
),

heard_sounds as (
    select
        events.account_id,
        video_sounds.sound_id,
        video_sounds.title_key,
        video_sounds.artist_key,
        {{ dbt.concat([
            "coalesce(cast(video_sounds.sound_id as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(video_sounds.title_key, '')", "'|'", "coalesce(video_sounds.artist_key, '')",
        ]) }} as heard_sound_key,
        min(events.event_at) as first_heard_at
    from events
    inner join video_sounds
        on events.video_id = video_sounds.video_id
    where events.event_kind in ('watched', 'liked', 'favorited_video', 'shared')
    group by events.account_id, video_sounds.sound_id, video_sounds.title_key, video_sounds.artist_key
),

favorite_matches as (
    {{ sound_matches('keyed_posts', 'favorite_sounds', 'favorite_sound_key', 'first_favorited_at') }}
),

heard_matches as (
    {{ sound_matches('keyed_posts', 'heard_sounds', 'heard_sound_key', 'first_heard_at') }}
),

-- the earliest favourite the post's sound matches (the same favourite by id and by title once)
first_favorites as (
    select
        post_event_id,
        sound_key as favorite_sound_key,
        sound_at as first_favorited_at,
        min_method as match_method
    from (
        select
            post_event_id,
            sound_key,
            sound_at,
            min(match_method) over (partition by post_event_id) as min_method,
            row_number() over (partition by post_event_id order by sound_at, sound_key) as match_rank
        from favorite_matches
    ) as ranked
    where match_rank = 1
),

first_heard as (
    select
        post_event_id,
        min(sound_at) as first_heard_at
    from heard_matches
    group by post_event_id
),

-- share of the account's titled favourites favourited strictly before each post: a running
-- count over one timeline of favourites and posts (posts first at a tie: not before)
timeline as (
    select
        account_id,
        first_favorited_at as event_at,
        1 as is_favorite,
        cast(null as {{ dbt.type_string() }}) as post_event_id
    from favorite_sounds
    union all
    select
        account_id,
        posted_at as event_at,
        0 as is_favorite,
        post_event_id
    from keyed_posts
),

running as (
    select
        post_event_id,
        is_favorite,
        sum(is_favorite) over (
            partition by account_id
            order by event_at, is_favorite
            rows between unbounded preceding and current row
        ) as favorites_before,
        sum(is_favorite) over (partition by account_id) as favorite_total
    from timeline
),

before_shares as (
    select
        post_event_id,
        case when favorite_total > 0 then favorites_before * cast(1 as double) / favorite_total end
            as favorites_before_share,
        favorite_total as titled_favorite_sound_count
    from running
    where is_favorite = 0
),

final as (
    select
        ---------- ids
        keyed_posts.post_event_id,
        keyed_posts.account_id,
        favorite_sounds.sound_id,
        first_favorites.favorite_sound_key,
        ---------- attributes
        keyed_posts.is_deleted,
        keyed_posts.sound_title as post_sound_title,
        keyed_posts.sound_artist as post_sound_artist,
        keyed_posts.title_key,
        keyed_posts.artist_key,
        -- the post's sound as one key (title and artist keys)
        case
            when keyed_posts.title_key is not null
                then {{ dbt.concat([
                    "keyed_posts.title_key", "coalesce(' - ' || keyed_posts.artist_key, '')",
                ]) }}
        end as sound_key,
        keyed_posts.title_key is not null as has_sound,
        coalesce(keyed_posts.is_original_sound, false) as is_original_sound,
        favorite_sounds.sound_title as favorite_sound_title,
        first_favorites.match_method as favorite_match_method,
        first_favorites.favorite_sound_key is not null as has_favorited_sound,
        coalesce(first_favorites.first_favorited_at < keyed_posts.posted_at, false)
            as is_sound_favorited_before,
        first_heard.first_heard_at is not null as has_heard_sound,
        coalesce(first_heard.first_heard_at < keyed_posts.posted_at, false) as is_sound_heard_before,
        ---------- the comparison under no influence
        before_shares.titled_favorite_sound_count,
        before_shares.favorites_before_share,
        ---------- timestamps
        keyed_posts.posted_at,
        first_favorites.first_favorited_at,
        first_heard.first_heard_at
    from keyed_posts
    left join first_favorites
        on keyed_posts.post_event_id = first_favorites.post_event_id
    left join favorite_sounds
        on
            keyed_posts.account_id = favorite_sounds.account_id
            and first_favorites.favorite_sound_key = favorite_sounds.favorite_sound_key
    left join first_heard
        on keyed_posts.post_event_id = first_heard.post_event_id
    left join before_shares
        on keyed_posts.post_event_id = before_shares.post_event_id
)

select * from final
