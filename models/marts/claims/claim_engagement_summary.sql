{%- set fractions = {
    'p10_value': 0.1, 'p25_value': 0.25, 'median_value': 0.5, 'p75_value': 0.75, 'p90_value': 0.9,
} -%}

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
        -- one quantile state for all five (one each held the values five times over)
        {{ percentile('measure_value', fractions.values() | list) }} as quantile_values,
        max(measure_value) as max_value
    from measures
    group by
        measure,
        cube(claim_status, verified_status, author_ban_status)
),

final as (
    select
        claim_status,
        verified_status,
        author_ban_status,
        measure,
        n_videos,
        mean_value,
        stddev_value,
        min_value,
        {%- for name in fractions %}
            {{ list_element('quantile_values', loop.index) }} as {{ name }},
        {%- endfor %}
        max_value
    from summarised
)

select * from final
