{#- Engagement per tier and verified status (plus every tier across statuses, verified_status
    = 'all'). Means use rates capped at 1 (higher values are scrape artifacts, counted). -#}
with

creators as (
    select * from {{ ref('creators') }}
),

rated as (
    select
        tier,
        tier_order,
        case
            when is_verified then 'verified'
            when not is_verified then 'not verified'
            else 'unknown'
        end as verified_status,
        followers,
        least(engagement_rate, 1.0) as engagement_rate,
        least(like_engagement_rate, 1.0) as like_engagement_rate,
        comment_engagement_rate,
        engagement_rate > 1.0 as is_rate_above_one
    from creators
    where engagement_rate is not null and tier is not null
),

by_status as (
    select * from rated
    union all
    select
        tier,
        tier_order,
        'all' as verified_status,
        followers,
        engagement_rate,
        like_engagement_rate,
        comment_engagement_rate,
        is_rate_above_one
    from rated
),

aggregated as (
    select
        tier,
        tier_order,
        verified_status,
        count(*) as n_creators,
        avg(engagement_rate) as mean_engagement_rate,
        {{ percentile('engagement_rate', 0.5) }} as median_engagement_rate,
        {{ percentile('engagement_rate', 0.9) }} as p90_engagement_rate,
        stddev_samp(engagement_rate) as stddev_engagement_rate,
        avg(like_engagement_rate) as mean_like_engagement_rate,
        {{ percentile('like_engagement_rate', 0.5) }} as median_like_engagement_rate,
        avg(comment_engagement_rate) as mean_comment_engagement_rate,
        {{ percentile('comment_engagement_rate', 0.5) }} as median_comment_engagement_rate,
        {{ percentile('followers', 0.5) }} as median_followers,
        sum(case when is_rate_above_one then 1 else 0 end) as n_rates_capped
    from by_status
    group by tier, tier_order, verified_status
)

select * from aggregated
