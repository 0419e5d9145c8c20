{#- When each creator's current profile (the one marts.creators describes) was observed, from
    what its own row holds: the file's scrape `timestamp` when the row has one, else the
    `x-expires` of its signed profile-picture URL minus a margin (var
    profile_pic_expiry_margin_hours). Never a file-wide time: one file can hold rows scraped
    months apart, and the file's modification time says nothing about any of them. Also the
    newest video of the profile's top-videos list (creation time from the video id). -#}
with

creators as (
    select * from {{ ref('int_creators_unified') }}
),

profiles as (
    select * from {{ ref('stg_creator_profiles__profiles') }}
),

top_videos as (
    select * from {{ ref('stg_creator_profiles__top_videos') }}
),

profile_times as (
    select
        profiles.source_file,
        profiles.source_row,
        case
            when profiles.scraped_at_source = 'file_column' then profiles.scraped_at
        end as scraped_at_in_file,
        {{ url_unix_time_parameter('profiles.profile_pic_url', 'x-expires') }} as profile_pic_expires_at
    from profiles
),

newest_videos as (
    select
        source_file,
        source_row,
        max(video_created_at) as latest_video_at,
        cast(count(*) as integer) as top_video_count
    from top_videos
    group by source_file, source_row
),

dated as (
    select
        ---------- ids
        creators.creator_handle,
        ---------- reference time
        profile_times.scraped_at_in_file,
        profile_times.profile_pic_expires_at,
        coalesce(
            profile_times.scraped_at_in_file,
            {{ dbt.dateadd(
                'hour',
                -1 * var('profile_pic_expiry_margin_hours'),
                'profile_times.profile_pic_expires_at'
            ) }}
        ) as reference_at,
        case
            when profile_times.scraped_at_in_file is not null then 'scrape_timestamp'
            when profile_times.profile_pic_expires_at is not null then 'profile_pic_expiry'
            else 'none'
        end as reference_source,
        ---------- top videos
        newest_videos.latest_video_at,
        coalesce(newest_videos.top_video_count, 0) as top_video_count,
        ---------- provenance
        creators.profile_source_file as source_file,
        creators.profile_source_row as source_row
    from creators
    left join profile_times
        on
            creators.profile_source_file = profile_times.source_file
            and creators.profile_source_row = profile_times.source_row
    left join newest_videos
        on
            creators.profile_source_file = newest_videos.source_file
            and creators.profile_source_row = newest_videos.source_row
    where creators.is_in_profiles
)

select * from dated
