{#-
  Do I post with the sounds I saved? Per account, over its kept posts: posts using a sound it
  favourited, split by whether the favourite came before the post or only after it, against
  what no influence would give. The directional comparison: if the account took favourite
  sounds for its posts with no regard to when it favourited them, a post at time t using a
  favourite would find it favourited before with probability F(t), the share of the account's
  titled favourites favourited before t (int_post_sounds_matched). expected_favorited_before_post_count
  sums F(t) over the posts using a favourite; sound_direction_z compares the observed count with
  it (a normal approximation of the sum of Bernoulli(F(t)), half a post of continuity
  correction), sound_direction_p_value is its one-sided p-value. No fixed share threshold: 40%
  of posts on favourites says nothing when the favourites were all saved before the posts.
  Heard-before counts (a sound of a video watched or liked before the post) are shown, not
  tested: a popular sound is both heard early and used often, so their timing is no evidence.
  Grain: one row per account with posts.
-#}
with

matched as (
    select * from {{ ref('int_post_sounds_matched') }}
    where not is_deleted
),

favorite_sounds as (
    select * from {{ ref('int_favorite_sounds_titled') }}
),

favorites as (
    select
        account_id,
        count(*) as favorite_sound_count,
        count(case when has_title then 1 end) as titled_favorite_sound_count
    from favorite_sounds
    group by account_id
),

posts as (
    select
        account_id,
        count(*) as post_count,
        count(case when has_sound then 1 end) as post_with_sound_count,
        count(case when is_original_sound then 1 end) as original_sound_post_count,
        count(case when has_favorited_sound then 1 end) as favorited_sound_post_count,
        count(case when is_sound_favorited_before then 1 end) as favorited_before_post_count,
        count(distinct case when is_sound_favorited_before then favorite_sound_key end) as reused_sound_count,
        sum(case when has_favorited_sound then favorites_before_share else 0 end)
            as expected_favorited_before_post_count,
        sum(
            case
                when has_favorited_sound then favorites_before_share * (1 - favorites_before_share)
                else 0
            end
        ) as favorited_before_variance,
        count(case when has_heard_sound then 1 end) as heard_sound_post_count,
        count(case when is_sound_heard_before then 1 end) as heard_before_post_count
    from matched
    group by account_id
),

tested as (
    select
        *,
        case
            when favorited_before_variance > 0
                then
                    (favorited_before_post_count - expected_favorited_before_post_count - 0.5)
                    / sqrt(favorited_before_variance)
        end as sound_direction_z
    from posts
),

final as (
    select
        ---------- ids
        tested.account_id,
        ---------- counts
        tested.post_count,
        tested.post_with_sound_count,
        tested.original_sound_post_count,
        coalesce(favorites.favorite_sound_count, 0) as favorite_sound_count,
        tested.favorited_sound_post_count,
        tested.favorited_before_post_count,
        tested.reused_sound_count,
        ---------- rates
        tested.favorited_sound_post_count * cast(1 as double) / tested.post_count
            as favorited_sound_post_rate,
        tested.favorited_before_post_count * cast(1 as double) / tested.post_count
            as favorited_before_post_rate,
        ---------- the directional comparison
        coalesce(favorites.titled_favorite_sound_count, 0) as titled_favorite_sound_count,
        tested.favorited_sound_post_count - tested.favorited_before_post_count
            as favorited_only_after_post_count,
        tested.expected_favorited_before_post_count,
        tested.sound_direction_z,
        -- P(Z >= z) as Phi(-z): the tail itself, exact for a large z where 1 - Phi(z) rounds to 0
        {{ normal_cdf('-tested.sound_direction_z') }} as sound_direction_p_value,
        ---------- sounds heard in engaged videos
        tested.heard_sound_post_count,
        tested.heard_before_post_count,
        tested.heard_sound_post_count - tested.heard_before_post_count as heard_only_after_post_count
    from tested
    left join favorites
        on tested.account_id = favorites.account_id
)

select * from final
