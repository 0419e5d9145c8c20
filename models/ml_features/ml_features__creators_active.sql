{#- The active-creator classifier's frame: every profiled creator, features and label.
    Label: the newest video on the profile's top-videos list was created at most
    var('active_creator_window_days') days before the profile's reference time
    (int_creator_profiles_dated: the row's scrape timestamp, else its picture URL's expiry minus
    a margin). Null when either is unknown: such rows are scored, not trained on. The label
    inputs (reference time, newest video, top-video count) are kept for checking, never
    features; no feature is computed from them. -#}
{%- set window_days = var('active_creator_window_days') -%}

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
        -- one line of text per bio: the vectoriser reads words, not layout
        coalesce(replace(creators.biography, chr(10), ' '), '') as biography,
        creators.has_bio_link,
        creators.is_verified,
        creators.is_commerce_user,
        creators.bio_has_contact,
        creators.language_code,
        creators.region,
        creators.followers,
        creators.following_count,
        creators.likes,
        creators.videos,
        creators.likes_per_video,
        creators.engagement_rate,
        creators.comment_engagement_rate,
        -- an absolute date, not an age: an age needs the reference time, a label input
        {{ dbt.datediff("cast('1970-01-01 00:00:00' as timestamp)", 'creators.account_created_at', 'day') }}
            as account_created_epoch_day,
        dated.reference_at,
        dated.reference_source,
        dated.profile_pic_expires_at,
        dated.latest_video_at,
        dated.top_video_count
    from creators
    left join dated
        on creators.creator_handle = dated.creator_handle
    where creators.is_in_profiles
),

final as (
    select
        ---------- ids
        creator_handle,
        ---------- features
        biography,
        has_bio_link,
        is_verified,
        is_commerce_user,
        bio_has_contact,
        language_code,
        region,
        followers,
        following_count,
        likes,
        videos,
        likes_per_video,
        engagement_rate,
        comment_engagement_rate,
        account_created_epoch_day,
        ---------- label inputs (never features)
        reference_at,
        reference_source,
        profile_pic_expires_at,
        latest_video_at,
        top_video_count,
        {{ dbt.datediff('latest_video_at', 'reference_at', 'day') }}
            as days_since_latest_video,
        ---------- label
        cast({{ window_days }} as integer) as label_window_days,
        case
            when reference_at is not null and latest_video_at is not null
                then latest_video_at >= {{
                    dbt.dateadd('day', -1 * window_days, 'reference_at')
                }}
        end as is_active
    from joined
)

select * from final
