{#- One row per video in a profile's `top_videos` list; a TikTok video id shifted right by 32
    bits is its creation time in Unix seconds. -#}
with

profiles as (
    select * from {{ ref('stg_creator_profiles__profiles') }}
),

exploded as (
    select
        creator_handle,
        scraped_at,
        source_file,
        source_row,
        {{ unnest_with_positions(
            regex_extract_list('top_videos', '/video/([0-9]{15,20})'), 'video_id_text', 'list_position'
        ) }}
    from profiles
    where top_videos is not null
),

final as (
    select
        ---------- ids
        {{ try_cast('video_id_text', 'bigint') }} as video_id,
        creator_handle,
        ---------- attributes
        cast(list_position as integer) as list_position,
        ---------- timestamps
        {{ video_created_at(try_cast('video_id_text', 'bigint')) }} as video_created_at,
        scraped_at as profile_scraped_at,
        ---------- provenance
        source_file,
        source_row
    from exploded
)

select * from final
