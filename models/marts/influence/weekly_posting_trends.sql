{#-
  Posting trends per account and week. A post's caption is its matched public video's
  (int_posts_own_videos_matched), else a real `Title`: real exports carry `N/A`, so the caption
  measures cover the captioned posts only (captioned_post_count) and are null in a week without.
-#}
with

posts as (
    select * from {{ ref('stg_tiktok_export__posts') }}
),

own_videos as (
    select * from {{ ref('int_posts_own_videos_matched') }}
),

measured as (
    select
        posts.account_id,
        cast({{ dbt.date_trunc('week', 'posts.posted_at') }} as date) as posted_week,
        posts.likes_count,
        coalesce(
            case when own_videos.match_status <> 'unmatched' then own_videos.matched_description end,
            posts.caption
        ) as caption
    from posts
    left join own_videos
        on posts.post_id = own_videos.post_id
),

final as (
    select
        ---------- ids
        account_id,
        posted_week,
        ---------- measures
        count(*) as post_count,
        avg(case when caption is not null then {{ dbt.length('caption') }} end) as mean_caption_length,
        avg(case when caption is not null then {{ list_length(caption_hashtags('caption')) }} end)
            as mean_hashtags_per_post,
        cast(sum(likes_count) as bigint) as likes_count,
        avg(likes_count) as mean_likes_per_post,
        ---------- appended: the columns above keep their positions
        count(caption) as captioned_post_count
    from measured
    group by account_id, posted_week
)

select * from final
