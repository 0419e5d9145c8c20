{#- Per video-metadata file (the user's CSVs and the enrichment step's file): raw rows = staged
    + quarantined + duplicates (rows for a video another row already gives, a user row winning
    over an enriched one). Each count comes from a different model, so a filter that loses
    rows shows up here. -#}
with

video_rows as (
    select * from {{ ref('stg_video_metadata__video_rows') }}
),

videos as (
    select * from {{ ref('stg_video_metadata__videos') }}
),

quarantined as (
    select * from {{ ref('tiktok_export_quarantined_items') }}
    where list_name = 'video_metadata'
),

raw_counts as (
    select
        source_file,
        max(metadata_origin) as metadata_origin,
        count(*) as raw_rows
    from video_rows
    group by source_file
),

staged_counts as (
    select
        source_file,
        count(*) as staged_rows
    from videos
    group by source_file
),

quarantined_counts as (
    select
        source_file,
        count(*) as quarantined_rows
    from quarantined
    group by source_file
),

duplicate_counts as (
    -- identified rows that are not the row kept for their video
    select
        video_rows.source_file,
        count(*) as duplicate_rows
    from video_rows
    inner join videos
        on video_rows.video_id = videos.video_id
    where
        video_rows.quarantine_reason is null
        and (
            video_rows.source_file <> videos.source_file
            or video_rows.source_row <> videos.source_row
        )
    group by video_rows.source_file
),

reconciled as (
    select
        raw_counts.source_file,
        raw_counts.raw_rows,
        coalesce(staged_counts.staged_rows, 0) as staged_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows,
        coalesce(duplicate_counts.duplicate_rows, 0) as duplicate_rows,
        raw_counts.metadata_origin
    from raw_counts
    left join staged_counts
        on raw_counts.source_file = staged_counts.source_file
    left join quarantined_counts
        on raw_counts.source_file = quarantined_counts.source_file
    left join duplicate_counts
        on raw_counts.source_file = duplicate_counts.source_file
)

select * from reconciled
