with

creators as (
    select * from {{ ref('int_creators_unified') }}
),

final as (
    select
        ---------- ids
        creator_handle,
        ---------- attributes
        display_name,
        tier,
        tier_order,
        is_verified,
        region,
        language_code,
        country,
        has_bio_link,
        biography,
        bio_has_contact,
        is_commerce_user,
        ---------- counts
        followers,
        following_count,
        likes,
        videos,
        likes_per_video,
        average_views,
        average_likes,
        average_comments,
        average_shares,
        ---------- rates
        like_engagement_rate,
        comment_engagement_rate,
        engagement_rate,
        engagement_source,
        ---------- rankings and sources
        best_rank,
        n_ranking_lists,
        is_in_profiles,
        is_in_rankings,
        is_followers_display_rounded,
        sources,
        ---------- timestamps
        scraped_at,
        scraped_at_source,
        is_scraped_at_inferred,
        profile_scraped_at,
        account_created_at
    from creators
)

select * from final
