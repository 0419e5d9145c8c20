{#- One row per (video, measure) with a value: the long shape the summary and correlation
    marts aggregate. A cross join with the measure names rather than UNPIVOT, whose syntax
    differs by engine. -#}
{%- set measures = claim_engagement_measures() -%}

with

videos as (
    select * from {{ ref('int_claim_videos_rated') }}
),

measure_names as (
    select measure_list.measure_name
    from (
        values
        {%- for measure in measures %}
            ('{{ measure }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as measure_list (measure_name)
),

unpivoted as (
    select
        videos.video_id,
        coalesce(videos.claim_status, 'unlabelled') as claim_status,
        coalesce(videos.verified_status, 'unknown') as verified_status,
        coalesce(videos.author_ban_status, 'unknown') as author_ban_status,
        measure_names.measure_name as measure,
        case measure_names.measure_name
            {%- for measure in measures %}
                when '{{ measure }}' then cast(videos.{{ measure }} as double)
            {%- endfor %}
        end as measure_value
    from videos
    cross join measure_names
),

final as (
    select * from unpivoted
    where measure_value is not null
)

select * from final
