with

matched as (
    select * from {{ ref('int_post_sounds_matched') }}
    where not is_deleted and has_favorited_sound
),

final as (
    select
        ---------- ids
        account_id,
        sound_key,
        ---------- attributes
        min(favorite_sound_title) as sound_title,
        min(sound_id) as sound_id,
        ---------- counts
        count(*) as post_count,
        count(case when is_sound_favorited_before then 1 end) as post_after_favorite_count,
        ---------- timestamps
        min(first_favorited_at) as first_favorited_at,
        min(posted_at) as first_posted_at,
        max(posted_at) as last_posted_at,
        ---------- ranking
        row_number() over (
            partition by account_id
            order by count(*) desc, count(case when is_sound_favorited_before then 1 end) desc, sound_key
        ) as reuse_rank
    from matched
    group by account_id, sound_key
)

select * from final
