with

measures as (
    select * from {{ ref('int_claim_engagement_measures_unpivoted') }}
),

summarised as (
    select
        ---------- grain ('all' where a dimension is rolled up)
        case when grouping(claim_status) = 1 then 'all' else claim_status end as claim_status,
        case when grouping(verified_status) = 1 then 'all' else verified_status end as verified_status,
        case when grouping(author_ban_status) = 1 then 'all' else author_ban_status end as author_ban_status,
        measure,
        ---------- statistics
        count(*) as n_videos,
        avg(measure_value) as mean_value,
        stddev_samp(measure_value) as stddev_value,
        min(measure_value) as min_value,
        {{ percentile('measure_value', 0.1) }} as p10_value,
        {{ percentile('measure_value', 0.25) }} as p25_value,
        {{ percentile('measure_value', 0.5) }} as median_value,
        {{ percentile('measure_value', 0.75) }} as p75_value,
        {{ percentile('measure_value', 0.9) }} as p90_value,
        max(measure_value) as max_value
    from measures
    group by
        measure,
        cube(claim_status, verified_status, author_ban_status)
)

select * from summarised
