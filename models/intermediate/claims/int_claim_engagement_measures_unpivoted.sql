{#- One row per (video, measure) with a value: the long shape of marts.claim_videos that the
    summary and correlation marts aggregate. UNPIVOT (the same standard clause on DuckDB and
    Spark) leaves out the null values; every measure is a double first, as the marts read it. -#}
{%- set measures = claim_engagement_measures() -%}

with

videos as (
    select * from {{ ref('claim_videos') }}
),

measured as (
    select
        {%- for measure in measures %}
            cast({{ measure }} as double) as {{ measure }},
        {%- endfor %}
        video_id,
        coalesce(claim_status, 'unlabelled') as claim_status,
        coalesce(verified_status, 'unknown') as verified_status,
        coalesce(author_ban_status, 'unknown') as author_ban_status
    from videos
),

unpivoted as (
    select
        video_id,
        claim_status,
        verified_status,
        author_ban_status,
        measure,
        measure_value
    from measured
    unpivot (
        measure_value for measure in ({{ measures | join(', ') }})
    ) as long_measures
)

select * from unpivoted
