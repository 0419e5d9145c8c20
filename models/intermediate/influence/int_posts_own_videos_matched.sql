{#-
  Each of the user's posts (kept and recently deleted) matched to its public video. An export's
  post has no video id and no caption, but its `Date` is the video's creation time, and a TikTok
  video id's top 32 bits are that time in Unix seconds (video_created_at): the post is the
  account's own video (video metadata whose author_handle is the account, from pasted links or
  the account listing of `make enrich`, or the user's own file) created within 2 seconds of it.
  A deleted post matches only when the metadata was fetched before the deletion (enrich keeps
  what it fetched). A post with more than one such video is flagged `ambiguous` and keeps the
  nearest (then the smallest id), so the choice is deterministic. Grain: one row per post.
-#}
with

posts as (
    select * from {{ ref('stg_tiktok_export__posts') }}
),

deleted_posts as (
    select * from {{ ref('stg_tiktok_export__deleted_posts') }}
),

video_metadata as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

all_posts as (
    select
        post_id,
        account_id,
        posted_at,
        false as is_deleted,
        sound_title,
        sound_artist,
        is_original_sound
    from posts
    union all
    select
        deleted_post_id as post_id,
        account_id,
        posted_at,
        true as is_deleted,
        sound_title,
        sound_artist,
        is_original_sound
    from deleted_posts
),

own_videos as (
    select * from video_metadata
    where author_handle is not null
),

candidates as (
    select
        all_posts.post_id,
        own_videos.video_id,
        own_videos.description,
        own_videos.hashtags_text,
        own_videos.sound_title,
        own_videos.sound_id,
        own_videos.metadata_origin,
        abs({{ dbt.datediff('all_posts.posted_at', 'own_videos.video_created_at', 'second') }})
            as seconds_apart
    from all_posts
    inner join own_videos
        on
            all_posts.account_id = own_videos.author_handle
            and own_videos.video_created_at >= {{ dbt.dateadd('second', -2, 'all_posts.posted_at') }}
            and own_videos.video_created_at <= {{ dbt.dateadd('second', 2, 'all_posts.posted_at') }}
),

ranked as (
    select
        *,
        count(*) over (partition by post_id) as candidate_count,
        row_number() over (partition by post_id order by seconds_apart, video_id) as candidate_rank
    from candidates
),

final as (
    select
        ---------- ids
        all_posts.post_id,
        all_posts.account_id,
        ranked.video_id as matched_video_id,
        ---------- attributes
        all_posts.is_deleted,
        all_posts.sound_title as post_sound_title,
        all_posts.sound_artist as post_sound_artist,
        all_posts.is_original_sound,
        ranked.description as matched_description,
        ranked.hashtags_text as matched_hashtags_text,
        ranked.sound_title as matched_sound_title,
        ranked.sound_id as matched_sound_id,
        ranked.metadata_origin as matched_metadata_origin,
        ---------- match quality
        coalesce(ranked.candidate_count, 0) as candidate_count,
        ranked.seconds_apart,
        case
            when ranked.candidate_count > 1 then 'ambiguous'
            when ranked.video_id is not null then 'matched'
            else 'unmatched'
        end as match_status,
        ---------- timestamps
        all_posts.posted_at
    from all_posts
    left join ranked
        on
            all_posts.post_id = ranked.post_id
            and ranked.candidate_rank = 1
)

select * from final
