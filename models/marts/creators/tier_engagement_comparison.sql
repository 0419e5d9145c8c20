{#-
  Every pair of tiers compared on mean engagement rate (capped at 1): difference, Welch
  standard error, 95% confidence interval, z statistic and two-sided p-value (normal
  approximation). The row (mid, mega) answers "mid-tier creators engage more than mega
  creators": `is_first_higher` with a p-value below 0.05 and a lower bound above 0.
-#}
with

creators as (
    select * from {{ ref('creators') }}
),

tier_stats as (
    select
        tier,
        tier_order,
        count(*) as n_creators,
        avg(least(engagement_rate, 1.0)) as mean_engagement_rate,
        var_samp(least(engagement_rate, 1.0)) as variance_engagement_rate,
        {{ percentile('least(engagement_rate, 1.0)', 0.5) }} as median_engagement_rate
    from creators
    where engagement_rate is not null and tier is not null
    group by tier, tier_order
),

pairs as (
    select
        first_tier.tier as first_tier,
        second_tier.tier as second_tier,
        first_tier.n_creators as first_n_creators,
        second_tier.n_creators as second_n_creators,
        first_tier.mean_engagement_rate as first_mean_engagement_rate,
        second_tier.mean_engagement_rate as second_mean_engagement_rate,
        first_tier.median_engagement_rate as first_median_engagement_rate,
        second_tier.median_engagement_rate as second_median_engagement_rate,
        first_tier.mean_engagement_rate - second_tier.mean_engagement_rate as mean_difference,
        {{ welch_standard_error(
            'first_tier.variance_engagement_rate', 'first_tier.n_creators',
            'second_tier.variance_engagement_rate', 'second_tier.n_creators') }} as difference_standard_error
    from tier_stats as first_tier
    inner join tier_stats as second_tier
        on first_tier.tier_order < second_tier.tier_order
),

tested as (
    select
        *,
        mean_difference / nullif(difference_standard_error, 0) as z_statistic
    from pairs
),

final as (
    select
        first_tier,
        second_tier,
        first_n_creators,
        second_n_creators,
        first_mean_engagement_rate,
        second_mean_engagement_rate,
        first_median_engagement_rate,
        second_median_engagement_rate,
        mean_difference,
        difference_standard_error,
        mean_difference - {{ z_critical(0.95) }} * difference_standard_error as difference_lower_bound,
        mean_difference + {{ z_critical(0.95) }} * difference_standard_error as difference_upper_bound,
        z_statistic,
        {{ two_sided_p_value('z_statistic') }} as p_value,
        mean_difference > 0 as is_first_higher,
        coalesce({{ two_sided_p_value('z_statistic') }} < 0.05, false) as is_significant
    from tested
)

select * from final
