{#-
  Verified vs not verified creators, overall (tier = 'all') and within each tier (size is a
  confounder: verified creators are bigger, bigger creators engage less). Per metric: means,
  difference, Welch z-test with a two-sided p-value and 95% interval. Closed-form, so every
  rebuild gives the same numbers.
-#}


with

creators as (
    select * from {{ ref('creators') }}
),

known as (
    select * from creators
    where is_verified is not null and engagement_rate is not null and followers is not null
),

scoped as (
    select
        tier,
        is_verified,
        least(engagement_rate, 1.0) as engagement_rate,
        log10(greatest(followers, 1)) as log10_followers
    from known
    union all
    select
        'all' as tier,
        is_verified,
        least(engagement_rate, 1.0) as engagement_rate,
        log10(greatest(followers, 1)) as log10_followers
    from known
),

long as (
    select
        tier,
        is_verified,
        'engagement_rate' as metric,
        engagement_rate as metric_value
    from scoped
    union all
    select
        tier,
        is_verified,
        'log10_followers' as metric,
        log10_followers as metric_value
    from scoped
),

grouped as (
    select
        tier,
        metric,
        sum(case when is_verified then 1 else 0 end) as verified_n,
        sum(case when not is_verified then 1 else 0 end) as not_verified_n,
        avg(case when is_verified then metric_value end) as verified_mean,
        avg(case when not is_verified then metric_value end) as not_verified_mean,
        var_samp(case when is_verified then metric_value end) as verified_variance,
        var_samp(case when not is_verified then metric_value end) as not_verified_variance
    from long
    group by tier, metric
),

tested as (
    select
        *,
        verified_mean - not_verified_mean as mean_difference,
        {{ welch_standard_error(
            'verified_variance', 'verified_n', 'not_verified_variance', 'not_verified_n'
        ) }} as difference_standard_error
    from grouped
),

with_z as (
    select
        *,
        mean_difference / nullif(difference_standard_error, 0) as z_statistic
    from tested
),

final as (
    select
        tier,
        metric,
        verified_n,
        not_verified_n,
        verified_mean,
        not_verified_mean,
        mean_difference,
        difference_standard_error,
        z_statistic,
        {{ two_sided_p_value('z_statistic') }} as p_value,
        mean_difference - {{ z_critical(0.95) }} * difference_standard_error as difference_lower_bound,
        mean_difference + {{ z_critical(0.95) }} * difference_standard_error as difference_upper_bound,
        coalesce({{ two_sided_p_value('z_statistic') }} < 0.05, false) as is_significant
    from with_z
)

select * from final
