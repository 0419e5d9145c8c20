with

matched as (
    select * from {{ ref('int_post_sounds_matched') }}
    where not is_deleted
),

favorite_sounds as (
    select * from {{ ref('stg_tiktok_export__favorite_sounds') }}
),

favorites as (
    select
        account_id,
        count(distinct sound_key) as favorite_sound_count
    from favorite_sounds
    group by account_id
),

posts as (
    select
        account_id,
        count(*) as post_count,
        count(case when sound_key is not null then 1 end) as post_with_sound_count,
        count(case when is_original_sound then 1 end) as original_sound_post_count,
        count(case when has_favorited_sound then 1 end) as favorited_sound_post_count,
        count(case when is_sound_favorited_before then 1 end) as favorited_before_post_count,
        count(distinct case when is_sound_favorited_before then sound_key end) as reused_sound_count
    from matched
    group by account_id
),

final as (
    select
        ---------- ids
        posts.account_id,
        ---------- counts
        posts.post_count,
        posts.post_with_sound_count,
        posts.original_sound_post_count,
        coalesce(favorites.favorite_sound_count, 0) as favorite_sound_count,
        posts.favorited_sound_post_count,
        posts.favorited_before_post_count,
        posts.reused_sound_count,
        ---------- rates
        posts.favorited_sound_post_count * cast(1 as double) / posts.post_count as favorited_sound_post_rate,
        posts.favorited_before_post_count * cast(1 as double) / posts.post_count as favorited_before_post_rate
    from posts
    left join favorites
        on posts.account_id = favorites.account_id
)

select * from final
