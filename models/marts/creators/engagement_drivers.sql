{#-
  What goes with engagement on the top-creator lists (each creator's latest list row, so a
  creator listed in five months counts once). "Success" = total engagement (average likes +
  comments + shares per video) in the top 25% of its list. For each feature and target:
  Pearson and Spearman correlations, with two-sided p-values and 95% intervals (Fisher z).
  Likes, comments and shares are parts of the success target (`is_target_component`): their
  correlation with it is arithmetic, not a finding.
-#}

with

rankings as (
    select * from {{ ref('top_creator_rankings') }}
),

latest as (
    select
        creator_handle,
        cast(followers as double) as followers,
        cast(average_views as double) as average_views,
        cast(average_likes as double) as average_likes,
        cast(average_comments as double) as average_comments,
        cast(average_shares as double) as average_shares,
        case when is_success then 1.0 else 0.0 end as success_value
    from rankings
    where
        is_latest_snapshot
        and followers is not null
        and average_views is not null
        and average_likes is not null
        and average_comments is not null
        and average_shares is not null
),

{# Average ranks (ties share the mean rank) for Spearman's correlation. The targets get their
   own names: average_shares is also one of the features unpivoted below. #}
with_target_ranks as (
    select
        *,
        average_shares as shares_value,
        rank() over (order by average_shares)
        + (count(*) over (partition by average_shares) - 1) / 2.0 as shares_rank,
        rank() over (order by success_value)
        + (count(*) over (partition by success_value) - 1) / 2.0 as success_rank
    from latest
),

{# One row per (creator, feature); the same standard UNPIVOT clause on DuckDB and Spark. #}
long as (
    select
        feature,
        feature_value,
        shares_value,
        shares_rank,
        success_value,
        success_rank
    from with_target_ranks
    unpivot (
        feature_value for feature in (
            followers, average_views, average_likes, average_comments, average_shares
        )
    ) as unpivoted
),

ranked as (
    select
        *,
        rank() over (partition by feature order by feature_value)
        + (count(*) over (partition by feature, feature_value) - 1) / 2.0 as feature_rank
    from long
),

by_feature as (
    select
        feature,
        count(*) as n_creators,
        {{ bounded_correlation('feature_value', 'shares_value') }} as shares_pearson,
        {{ bounded_correlation('feature_rank', 'shares_rank') }} as shares_spearman,
        {{ bounded_correlation('feature_value', 'success_value') }} as success_pearson,
        {{ bounded_correlation('feature_rank', 'success_rank') }} as success_spearman
    from ranked
    group by feature
),

pairs as (
    select
        feature,
        'average_shares' as target_metric,
        n_creators,
        shares_pearson as pearson_correlation,
        shares_spearman as spearman_correlation,
        false as is_target_component
    from by_feature
    where feature <> 'average_shares'
    union all
    select
        feature,
        'is_success' as target_metric,
        n_creators,
        success_pearson as pearson_correlation,
        success_spearman as spearman_correlation,
        feature in ('average_likes', 'average_comments', 'average_shares') as is_target_component
    from by_feature
),

final as (
    select
        feature,
        target_metric,
        n_creators,
        pearson_correlation,
        {{ correlation_p_value('pearson_correlation', 'n_creators') }} as pearson_p_value,
        {{ correlation_bound('pearson_correlation', 'n_creators', 'lower') }} as pearson_lower_bound,
        {{ correlation_bound('pearson_correlation', 'n_creators', 'upper') }} as pearson_upper_bound,
        spearman_correlation,
        {{ correlation_p_value('spearman_correlation', 'n_creators') }} as spearman_p_value,
        is_target_component
    from pairs
)

select * from final
