with

posts as (
    select * from {{ ref('stg_tiktok_export__posts') }}
),

measured as (
    select
        account_id,
        cast({{ dbt.date_trunc('week', 'posted_at') }} as date) as posted_week,
        likes_count,
        {{ dbt.length("coalesce(caption, '')") }} as caption_length,
        {{ list_length(caption_hashtags('caption')) }} as hashtag_count
    from posts
),

final as (
    select
        ---------- ids
        account_id,
        posted_week,
        ---------- measures
        count(*) as post_count,
        avg(caption_length) as mean_caption_length,
        avg(hashtag_count) as mean_hashtags_per_post,
        cast(sum(likes_count) as bigint) as likes_count,
        avg(likes_count) as mean_likes_per_post
    from measured
    group by account_id, posted_week
)

select * from final
