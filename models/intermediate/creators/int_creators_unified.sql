{#- One row per creator across every source: the latest snapshot's numbers (a profile beats a
    ranking row scraped the same day), profile-only fields from the most complete latest
    profile, ranking figures from the latest ranking list. -#}
with

snapshots as (
    select * from {{ ref('int_creator_snapshots_unioned') }}
),

tier_bounds as (
    select * from {{ ref('tier_bounds') }}
),

ordered as (
    select
        *,
        row_number() over (
            partition by creator_handle
            order by
                scraped_at desc nulls last,
                source_kind asc,
                n_known_fields desc,
                source_file asc,
                source_row asc
        ) as recency_number,
        row_number() over (
            partition by creator_handle, source_kind
            order by scraped_at desc nulls last, n_known_fields desc, source_file asc, source_row asc
        ) as kind_recency_number
    from snapshots
),

latest as (
    select * from ordered
    where recency_number = 1
),

latest_profile as (
    select * from ordered
    where source_kind = 'profile' and kind_recency_number = 1
),

latest_ranking as (
    select * from ordered
    where source_kind = 'ranking' and kind_recency_number = 1
),

latest_country as (
    select
        creator_handle,
        country,
        row_number() over (
            partition by creator_handle
            order by scraped_at desc nulls last, source_file asc, source_row asc
        ) as country_recency_number
    from snapshots
    where country is not null
),

source_summary as (
    select
        creator_handle,
        {{ dbt.listagg('distinct source_file', "', '", 'order by source_file') }} as sources,
        cast(
            count(distinct case when source_kind = 'ranking' then source_file end) as integer
        ) as n_ranking_lists,
        min(creator_rank) as best_rank
    from snapshots
    group by creator_handle
),

unified as (
    select
        latest.creator_handle,
        coalesce(latest_profile.display_name, latest_ranking.display_name) as display_name,
        latest.followers,
        latest_profile.following_count,
        latest_profile.likes,
        latest_profile.videos,
        latest.like_engagement_rate,
        latest.comment_engagement_rate,
        latest.engagement_rate,
        latest.source_kind as engagement_source,
        latest_profile.is_verified,
        latest_profile.region,
        latest_profile.language_code,
        latest_country.country,
        latest_profile.has_bio_link,
        latest_profile.biography,
        latest_profile.is_commerce_user,
        latest_ranking.average_views,
        latest_ranking.average_likes,
        latest_ranking.average_comments,
        latest_ranking.average_shares,
        source_summary.best_rank,
        source_summary.n_ranking_lists,
        latest_profile.creator_handle is not null as is_in_profiles,
        latest_ranking.creator_handle is not null as is_in_rankings,
        source_summary.sources,
        latest.is_followers_display_rounded,
        latest.scraped_at,
        latest.scraped_at_source,
        latest.scraped_at_source <> 'file_column' as is_scraped_at_inferred,
        latest_profile.scraped_at as profile_scraped_at,
        latest_profile.source_file as profile_source_file,
        latest_profile.source_row as profile_source_row,
        latest_profile.account_created_at
    from latest
    left join latest_profile
        on latest.creator_handle = latest_profile.creator_handle
    left join latest_ranking
        on latest.creator_handle = latest_ranking.creator_handle
    left join source_summary
        on latest.creator_handle = source_summary.creator_handle
    left join latest_country
        on
            latest.creator_handle = latest_country.creator_handle
            and latest_country.country_recency_number = 1
),

tiered as (
    select
        unified.*,
        cast(1 as double) * unified.likes / nullif(unified.videos, 0) as likes_per_video,
        tier_bounds.tier,
        tier_bounds.tier_order
    from unified
    left join tier_bounds
        on {{ follower_tier_join('unified.followers') }}
)

select * from tiered
