{#- The creator segments' frame: every profiled creator with followers and an engagement rate.
    Clustered on sizes, rates, posting volume and growth; the shares (verified, commerce,
    language, region) describe the segments in their names. No label: segments are found,
    not learned. -#}
with

creators as (
    select * from {{ ref('creators') }}
),

dated as (
    select * from {{ ref('int_creator_profiles_dated') }}
),

joined as (
    select
        creators.creator_handle,
        creators.tier,
        creators.followers,
        creators.following_count,
        creators.likes,
        creators.videos,
        creators.engagement_rate,
        creators.comment_engagement_rate,
        creators.is_verified,
        creators.is_commerce_user,
        creators.language_code,
        creators.region,
        creators.account_created_at,
        -- days from the account's creation to the profile's own observation time where known,
        -- else to the scrape time staging gives
        {{ dbt.datediff(
            'creators.account_created_at',
            'coalesce(dated.reference_at, creators.profile_scraped_at)',
            'day',
        ) }} as account_age_days
    from creators
    left join dated
        on creators.creator_handle = dated.creator_handle
    where
        creators.is_in_profiles
        and creators.followers is not null
        and creators.engagement_rate is not null
),

final as (
    select
        ---------- ids
        creator_handle,
        ---------- clustered on
        followers,
        following_count,
        likes,
        videos,
        engagement_rate,
        comment_engagement_rate,
        -- growth: followers gained per day of the account's life (null without a creation date)
        cast(followers as double) / nullif(greatest(account_age_days, 0), 0) as followers_per_day,
        ---------- describe the segments
        tier,
        is_verified,
        is_commerce_user,
        language_code,
        region
    from joined
)

select * from final
