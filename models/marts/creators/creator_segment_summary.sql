{#- One row per creator segment found by the ML step (ml.creator_segments): its size and
    typical creator. Empty until `python -m ml run` has written the seed. -#}
with

segments as (
    select * from {{ ref('stg_ml_scores__creator_segments') }}
),

creators as (
    select * from {{ ref('creators') }}
),

final as (
    select
        segments.segment_id,
        segments.segment_name,
        segments.model_version,
        count(*) as n_creators,
        {{ percentile('creators.followers', 0.5) }} as median_followers,
        {{ percentile('least(creators.engagement_rate, 1.0)', 0.5) }} as median_engagement_rate,
        {{ percentile('creators.videos', 0.5) }} as median_videos,
        avg(cast(case when creators.is_verified then 1 else 0 end as double)) as verified_rate
    from segments
    inner join creators
        on segments.creator_handle = creators.creator_handle
    group by segments.segment_id, segments.segment_name, segments.model_version
)

select * from final
