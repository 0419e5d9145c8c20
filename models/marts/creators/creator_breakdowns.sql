{#- Creators and engagement by region (profile region code), language (predicted) and country
    (ranking lists), wherever the sources carry them. Rates capped at 1. -#}

with

creators as (
    select * from {{ ref('creators') }}
),

long as (
    select
        'region' as dimension,
        region as dimension_value,
        followers,
        least(engagement_rate, 1.0) as engagement_rate,
        is_verified
    from creators
    where region is not null
    union all
    select
        'language_code' as dimension,
        language_code as dimension_value,
        followers,
        least(engagement_rate, 1.0) as engagement_rate,
        is_verified
    from creators
    where language_code is not null
    union all
    select
        'country' as dimension,
        country as dimension_value,
        followers,
        least(engagement_rate, 1.0) as engagement_rate,
        is_verified
    from creators
    where country is not null
),

aggregated as (
    select
        dimension,
        dimension_value,
        count(*) as n_creators,
        avg(engagement_rate) as mean_engagement_rate,
        {{ percentile('engagement_rate', 0.5) }} as median_engagement_rate,
        {{ percentile('followers', 0.5) }} as median_followers,
        avg(cast(case when is_verified then 1 when not is_verified then 0 end as double)) as verified_rate
    from long
    group by dimension, dimension_value
)

select * from aggregated
