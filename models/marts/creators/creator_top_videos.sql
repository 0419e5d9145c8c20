{#- The top videos of each creator's current profile (the one marts.creators describes). -#}
with

top_videos as (
    select * from {{ ref('stg_creator_profiles__top_videos') }}
),

creators as (
    select * from {{ ref('int_creators_unified') }}
),

final as (
    select
        ---------- ids
        top_videos.video_id,
        top_videos.creator_handle,
        ---------- attributes
        top_videos.list_position,
        ---------- timestamps
        top_videos.video_created_at,
        top_videos.profile_scraped_at,
        {{ dbt.datediff('top_videos.video_created_at', 'top_videos.profile_scraped_at', 'day') }}
            as days_before_scrape,
        ---------- provenance
        top_videos.source_file,
        top_videos.source_row
    from top_videos
    inner join creators
        on
            top_videos.creator_handle = creators.creator_handle
            and top_videos.source_file = creators.profile_source_file
            and top_videos.source_row = creators.profile_source_row
)

select * from final
