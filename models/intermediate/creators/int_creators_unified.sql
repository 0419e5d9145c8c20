{#- One row per creator across every source: the latest snapshot's numbers (a profile beats a
    ranking row scraped the same day), profile-only fields from the most complete latest
    profile, ranking figures from the latest ranking list. -#}
with

-- the columns that pick rows; the wide rows are read once per pick below (DuckDB holds a CTE
-- used more than once whole, and windows over the wide rows hold all of them in memory)
snapshot_keys as (
    select
        creator_handle,
        source_kind,
        source_file,
        source_row,
        scraped_at,
        n_known_fields,
        country,
        creator_rank
    from {{ ref('int_creator_snapshots_unioned') }}
),

latest_snapshots as (
    select * from {{ ref('int_creator_snapshots_unioned') }}
),

profile_snapshots as (
    select * from {{ ref('int_creator_snapshots_unioned') }}
),

ranking_snapshots as (
    select * from {{ ref('int_creator_snapshots_unioned') }}
),

tier_bounds as (
    select * from {{ ref('tier_bounds') }}
),

ordered as (
    select
        creator_handle,
        source_kind,
        source_file,
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
    from snapshot_keys
),

-- per creator, the file of its latest snapshot, of its latest profile and of its latest
-- ranking row (the grain of snapshots is creator and file)
picked_files as (
    select
        creator_handle,
        max(case when recency_number = 1 then source_file end) as latest_file,
        max(case when source_kind = 'profile' and kind_recency_number = 1 then source_file end)
            as profile_file,
        max(case when source_kind = 'ranking' and kind_recency_number = 1 then source_file end)
            as ranking_file
    from ordered
    where recency_number = 1 or kind_recency_number = 1
    group by creator_handle
),

latest as (
    select latest_snapshots.*
    from latest_snapshots
    inner join picked_files
        on
            latest_snapshots.creator_handle = picked_files.creator_handle
            and latest_snapshots.source_file = picked_files.latest_file
),

latest_profile as (
    select profile_snapshots.*
    from profile_snapshots
    inner join picked_files
        on
            profile_snapshots.creator_handle = picked_files.creator_handle
            and profile_snapshots.source_file = picked_files.profile_file
),

latest_ranking as (
    select ranking_snapshots.*
    from ranking_snapshots
    inner join picked_files
        on
            ranking_snapshots.creator_handle = picked_files.creator_handle
            and ranking_snapshots.source_file = picked_files.ranking_file
),

latest_country as (
    select
        creator_handle,
        country,
        row_number() over (
            partition by creator_handle
            order by scraped_at desc nulls last, source_file asc, source_row asc
        ) as country_recency_number
    from snapshot_keys
    where country is not null
),

source_counts as (
    select
        creator_handle,
        count(*) as n_sources,
        min(source_file) as first_source,
        cast(count(case when source_kind = 'ranking' then 1 end) as integer) as n_ranking_lists,
        min(creator_rank) as best_rank
    from snapshot_keys
    group by creator_handle
),

-- an ordered text aggregate is the costliest group by here, and most creators have one source:
-- only those with more are aggregated (one snapshot per creator and file, the grain, so no
-- `distinct`)
multiple_sources as (
    select
        snapshot_keys.creator_handle,
        {{ dbt.listagg(
            'snapshot_keys.source_file', "', '", 'order by snapshot_keys.source_file'
        ) }} as sources
    from snapshot_keys
    inner join source_counts
        on snapshot_keys.creator_handle = source_counts.creator_handle
    where source_counts.n_sources > 1
    group by snapshot_keys.creator_handle
),

source_summary as (
    select
        source_counts.creator_handle,
        coalesce(multiple_sources.sources, source_counts.first_source) as sources,
        source_counts.n_ranking_lists,
        source_counts.best_rank
    from source_counts
    left join multiple_sources
        on source_counts.creator_handle = multiple_sources.creator_handle
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
        latest_profile.bio_has_contact,
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
