-- Starting point: is "mid-tier creators engage more than mega creators" true on your data?
-- One row with the difference of mean engagement rates, its 95% interval and p-value.
with

comparison as (
    select * from {{ ref('tier_engagement_comparison') }}
),

mid_vs_mega as (
    select
        first_tier,
        second_tier,
        first_mean_engagement_rate,
        second_mean_engagement_rate,
        mean_difference,
        difference_lower_bound,
        difference_upper_bound,
        p_value
    from comparison
    where first_tier = 'mid' and second_tier = 'mega'
)

select * from mid_vs_mega
