{#- Every creator on every ranking list, with the list's "success" label: total engagement
    (average likes + comments + shares per video) in the top 25% of its list. -#}
with

rankings as (
    select * from {{ ref('stg_top_creators__rankings') }}
),

tier_bounds as (
    select * from {{ ref('tier_bounds') }}
),

measured as (
    select
        *,
        average_likes + average_comments + average_shares as total_engagement
    from rankings
),

with_quartiles as (
    select
        *,
        {{ percentile('total_engagement', 0.75) }} over (
            partition by source_file
        ) as list_total_engagement_p75,
        row_number() over (
            partition by creator_handle
            order by scraped_at desc, source_file desc
        ) as recency_number
    from measured
),

final as (
    select
        ---------- ids
        with_quartiles.source_file,
        with_quartiles.creator_handle,
        ---------- attributes
        with_quartiles.display_name,
        with_quartiles.creator_rank,
        with_quartiles.country,
        tier_bounds.tier,
        ---------- counts
        with_quartiles.followers,
        with_quartiles.average_views,
        with_quartiles.average_likes,
        with_quartiles.average_comments,
        with_quartiles.average_shares,
        with_quartiles.total_engagement,
        ---------- rates
        cast(1 as double) * (with_quartiles.average_likes + with_quartiles.average_comments)
        / nullif(with_quartiles.followers, 0) as engagement_rate,
        cast(1 as double) * with_quartiles.total_engagement
        / nullif(with_quartiles.average_views, 0) as engagement_per_view_rate,
        ---------- labels and flags
        with_quartiles.total_engagement >= with_quartiles.list_total_engagement_p75 as is_success,
        with_quartiles.recency_number = 1 as is_latest_snapshot,
        with_quartiles.is_followers_display_rounded,
        ---------- timestamps
        with_quartiles.scraped_at,
        with_quartiles.scraped_at_source,
        ---------- provenance
        with_quartiles.source_row
    from with_quartiles
    left join tier_bounds
        on {{ follower_tier_join('with_quartiles.followers') }}
)

select * from final
